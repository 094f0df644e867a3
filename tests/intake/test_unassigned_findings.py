"""A new client's red flag is seen at once: every clinician's queue lists a flagged client whom
no therapist treats yet, and any clinician may open and decide it (then they treat them)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from intake.selectors import review_queue_for
from therapists.care import treats

pytestmark = pytest.mark.django_db


def test_a_new_clients_open_finding_is_in_every_clinicians_queue(client, personas, submit_intake):
    flagged = submit_intake(personas.client, "urgent")
    for therapist in (personas.therapist, personas.other_therapist):
        assert [entry.pk for entry in review_queue_for(therapist)] == [flagged.pk]
        client.force_login(therapist)
        assert client.get(reverse("intake:review-detail", args=[flagged.pk])).status_code == 200


def test_a_new_client_without_a_finding_stays_private(client, personas, submit_intake):
    clear = submit_intake(personas.client, "clear")
    assert review_queue_for(personas.therapist) == []
    client.force_login(personas.therapist)
    assert client.get(reverse("intake:review-detail", args=[clear.pk])).status_code == 404


def test_once_a_clinician_decides_the_client_is_theirs_not_everyones(
    client, personas, submit_intake
):
    flagged = submit_intake(personas.client, "hold")
    client.force_login(personas.therapist)
    page = client.post(
        reverse("intake:review-detail", args=[flagged.pk]),
        {"action": "cleared", "note": "Spoke to the client; safe to treat."},
    )
    assert page.status_code == 302
    assert treats(personas.therapist, personas.client.pk)
    assert review_queue_for(personas.other_therapist) == []
    client.force_login(personas.other_therapist)
    assert client.get(reverse("intake:review-detail", args=[flagged.pk])).status_code == 404
