"""Care plan off track, outcome measure due and intake flagged: queued once, sent without health detail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from clinic.models import Notification
from intake.models import OutcomeInstrument
from tests.outbox import completed_session, mails_to, rows, run_dispatch
from workspace.messages import outcomes_due_enqueue
from workspace.notifications import WorkspaceMessage

pytestmark = pytest.mark.django_db


NY = dt.timezone(dt.timedelta(hours=-4))


def test_an_outcome_measure_due_after_a_session_asks_for_a_check_in_once(pinned, clinic, personas):
    completed_session(clinic, personas.client, dt.datetime(2026, 5, 31, 10, tzinfo=NY))
    assert outcomes_due_enqueue() == 1
    assert outcomes_due_enqueue() == 1  # same key: the unique row is kept, no second one
    (row,) = rows(WorkspaceMessage.OUTCOME_DUE)
    assert row.due_at == dt.datetime(2026, 6, 2, 10, tzinfo=NY)  # two days on, 10:00 local
    pinned.move_to(row.due_at)
    mail.outbox.clear()
    run_dispatch()
    (message,) = mails_to(personas.client)
    assert message.subject == "A check-in is due"
    assert reverse("intake:my-outcomes") in message.body
    # Neither the instrument nor anything hinting at a condition is in the message.
    for instrument in OutcomeInstrument.objects.all():
        assert instrument.name not in message.body
        assert instrument.code.upper() not in message.body + message.subject


def test_nothing_due_at_send_time_cancels_the_reminder(pinned, clinic, personas):
    completed_session(clinic, personas.client, dt.datetime(2026, 5, 31, 10, tzinfo=NY))
    outcomes_due_enqueue()
    OutcomeInstrument.objects.update(use_at_intake=False, use_at_review=False)
    pinned.move_to(dt.datetime(2026, 6, 2, 10, tzinfo=NY))
    mail.outbox.clear()
    run_dispatch()
    assert mails_to(personas.client) == []
    assert Notification.objects.get(kind=WorkspaceMessage.OUTCOME_DUE).status == "cancelled"
    assert outcomes_due_enqueue() == 0
