"""Self-care plans (library as data, assignment, who reads them) and the therapist's day view."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from booking.models import AppointmentStatus
from clinic.exceptions import NotFound, ValidationFailed
from clinic.models import AuditEvent
from workspace import selfcare
from workspace.models import Exercise, SelfCarePlan

pytestmark = pytest.mark.django_db


def test_library_is_seeded_with_each_kind_dose_regions_and_precautions():
    kinds = set(Exercise.objects.values_list("kind", flat=True))
    assert kinds == {"foam_roller", "massage_ball", "stretch"}
    for exercise in Exercise.objects.all():
        assert exercise.instructions
        assert exercise.dose
        assert exercise.regions
    assert (
        Exercise.objects.get(slug="ball-foot-sole")
        .conditions.filter(slug="plantar-fasciitis")
        .exists()
    )
    joined = " ".join(selfcare.general_precautions()).lower()
    for words in ("open wound", "fever", "blood thinners", "calf", "pregnant"):
        assert words in joined


def _items(*slugs):
    return [{"exercise": Exercise.objects.get(slug=s)} for s in slugs]


def test_assign_replaces_the_current_plan_and_client_reads_only_their_own(clinic, personas):
    first = clinic.appointment(personas.client, starts_at=timezone.now() - dt.timedelta(days=7))
    second = clinic.appointment(personas.client)
    old = selfcare.selfcare_plan_assign(
        appointment=first, actor=personas.therapist, items=_items("foam-roller-calf")
    )
    with (
        mock.patch("workspace.selfcare.selfcare_plan_notifications_schedule") as hook,
        mock.patch("django.db.transaction.on_commit", side_effect=lambda fn: fn()),
    ):
        new = selfcare.selfcare_plan_assign(
            appointment=second,
            actor=personas.therapist,
            items=_items("stretch-cat-cow", "ball-foot-sole"),
            message="Daily, gently.",
        )
    hook.assert_called_once_with(new)
    old.refresh_from_db()
    assert old.replaced_at is not None
    current = selfcare.selfcare_plan_current_for(personas.client, personas.client.pk)
    assert current == new
    assert [i.exercise.slug for i in current.items.all()] == ["stretch-cat-cow", "ball-foot-sole"]
    with pytest.raises(NotFound):
        selfcare.selfcare_plan_current_for(personas.other_client, personas.client.pk)
    with pytest.raises(NotFound):
        selfcare.selfcare_plan_current_for(personas.front_desk, personas.client.pk)
    with pytest.raises(NotFound):
        selfcare.selfcare_plan_current_for(personas.other_therapist, personas.client.pk)
    assert selfcare.selfcare_plan_current_for(personas.therapist, personas.client.pk) == new
    data = selfcare.selfcare_plan_data(new.pk)
    assert [e["name"] for e in data["exercises"]] == [
        "Stretch: cat and cow",
        "Massage ball: sole of the foot",
    ]
    assert data["precautions"] == selfcare.general_precautions()


def test_a_plan_assigned_as_of_a_past_session_is_dated_then_and_replaces_as_of(clinic, personas):
    week_ago = timezone.now() - dt.timedelta(days=7)
    first = clinic.appointment(personas.client, starts_at=week_ago - dt.timedelta(days=7))
    second = clinic.appointment(personas.client, starts_at=week_ago)
    old = selfcare.selfcare_plan_assign(
        appointment=first,
        actor=personas.therapist,
        items=_items("foam-roller-calf"),
        as_of=week_ago - dt.timedelta(days=7, minutes=-55),
    )
    assigned = week_ago + dt.timedelta(minutes=55)
    new = selfcare.selfcare_plan_assign(
        appointment=second,
        actor=personas.therapist,
        items=_items("stretch-cat-cow"),
        as_of=assigned,
    )
    assert new.assigned_at == assigned
    old.refresh_from_db()
    assert old.replaced_at == assigned


def test_assign_refuses_before_check_in_other_therapists_and_empty_plans(clinic, personas):
    booked = clinic.appointment(
        personas.client,
        status=AppointmentStatus.BOOKED,
        starts_at=timezone.now() + dt.timedelta(days=1),
    )
    with pytest.raises(ValidationFailed):
        selfcare.selfcare_plan_assign(
            appointment=booked, actor=personas.therapist, items=_items("foam-roller-calf")
        )
    seen = clinic.appointment(personas.client)
    with pytest.raises(NotFound):
        selfcare.selfcare_plan_assign(
            appointment=seen, actor=personas.other_therapist, items=_items("foam-roller-calf")
        )
    with pytest.raises(ValidationFailed):
        selfcare.selfcare_plan_assign(appointment=seen, actor=personas.therapist, items=[])
    assert not SelfCarePlan.objects.exists()


def test_assign_page_permissions_and_form_errors(client, clinic, personas):
    appointment = clinic.appointment(personas.client)
    url = reverse("workspace:selfcare", args=[appointment.pk])
    client.force_login(personas.other_therapist)
    assert client.get(url).status_code == 404
    for user in (personas.front_desk, personas.client, personas.clinic_admin):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(personas.therapist)
    assert client.get(url).status_code == 200
    response = client.post(url, {"times_per_day": 1, "days_per_week": 7})
    assert response.status_code == 400
    assert "Choose at least one exercise." in response.content.decode()
    exercise = Exercise.objects.get(slug="stretch-neck-side")
    response = client.post(
        url, {"exercises": [exercise.pk], "times_per_day": 2, "days_per_week": 5}
    )
    assert response.status_code == 302
    assert SelfCarePlan.objects.get().items.get().times_per_day == 2


def test_exercise_library_page(client, personas):
    client.force_login(personas.therapist)
    page = client.get(reverse("workspace:exercises")).content.decode()
    assert "Foam roller: calf" in page
    assert "open wound" in page
    client.force_login(personas.front_desk)
    assert client.get(reverse("workspace:exercises")).status_code == 403


def test_day_view_lists_todays_and_upcoming_clients_in_order_with_preparation(
    client, clinic, personas
):
    now = timezone.localtime()
    today_noon = now.replace(hour=12, minute=0, second=0, microsecond=0)
    later = clinic.appointment(personas.client, starts_at=today_noon + dt.timedelta(hours=2),
                               status=AppointmentStatus.BOOKED)  # fmt: skip
    earlier = clinic.appointment(personas.other_client, starts_at=today_noon,
                                 status=AppointmentStatus.BOOKED)  # fmt: skip
    tomorrow = clinic.appointment(personas.client, starts_at=today_noon + dt.timedelta(days=1),
                                  status=AppointmentStatus.BOOKED)  # fmt: skip
    clinic.appointment(personas.client, profile=clinic.other_profile,
                       starts_at=today_noon + dt.timedelta(hours=4))  # fmt: skip
    client.force_login(personas.therapist)
    response = client.get(reverse("workspace:day"))
    assert response.status_code == 200
    view = response.context["view"]
    assert [r.appointment for r in view.today] == [earlier, later]
    assert [r.appointment for d, rows in view.upcoming for r in rows] == [tomorrow]
    assert view.today[0].brief.intake.status == "missing"
    page = response.content.decode()
    assert "Outcome measures due" in page
    assert "Care plan" in page
    # One audit row per client whose intake summary was shown.
    reads = AuditEvent.objects.filter(actor=personas.therapist, detail="day view: intake summary")
    assert reads.count() == 2


@pytest.mark.parametrize("persona", ["front_desk", "client", "clinic_admin"])
def test_day_view_is_for_therapists_only(client, personas, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(reverse("workspace:day")).status_code == 403


def test_day_view_queries_do_not_grow_with_appointments_of_the_same_clients(
    client, clinic, personas, django_assert_num_queries
):
    start = timezone.localtime().replace(hour=8, minute=0, second=0, microsecond=0)
    clinic.appointment(personas.client, starts_at=start, status=AppointmentStatus.BOOKED)
    client.force_login(personas.therapist)
    client.get(reverse("workspace:day"))  # warm caches (sessions, policy row)
    client.get(reverse("workspace:day"))  # the policy row, created above, is cached from here
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("workspace:day"))
    for days in range(1, 6):
        clinic.appointment(personas.client, starts_at=start + dt.timedelta(days=days),
                           status=AppointmentStatus.BOOKED)  # fmt: skip
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse("workspace:day"))
