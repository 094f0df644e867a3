"""Care-plan pages: set a plan from the client's context, book the series, progress, access."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from booking.careplans import care_plan_create, series_starts
from booking.models import Appointment, AppointmentStatus, CarePlan
from booking.scheduling import appointment_book
from clinic.models import AuditEvent
from tests.booking.factories import clinic_setup, past_session
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)  # Monday 08:00 in New York


@pytest.fixture(autouse=True)
def _pinned(request):
    if "page" in request.fixturenames:
        yield  # browser tests run on the real clock (the live server and Chromium share it)
        return
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def clinic(personas):
    location, service, (therapist,) = clinic_setup()
    therapist.user = personas.therapist
    therapist.save()
    # The client has seen this therapist before: they are the therapist's client.
    appointment_book(
        client=personas.client,
        service=service,
        therapist=therapist,
        start=dt.datetime(2026, 6, 2, 9, 0, tzinfo=location.zone),
        actor=personas.client,
    )
    return location, service, therapist


def make_plan(clinic, client, **kw):
    location, service, therapist = clinic
    past_session(client, therapist, service, location)
    fields = {
        "sessions_per_week": 2,
        "weeks": 3,
        "reassessment_at_session": 6,
        "starts_on": dt.date(2026, 6, 3),
    }
    fields.update(kw)
    return care_plan_create(
        actor=therapist.user, client=client, therapist=therapist, service=service, **fields
    )


@pytest.fixture
def plan(clinic, personas):
    return make_plan(clinic, personas.client)


def new_url(client):
    return f"/booking/clients/{client.pk}/care-plans/new/"


def test_therapist_sets_a_plan_from_the_clients_context(client, personas, clinic):
    _location, service, therapist = clinic
    client.force_login(personas.therapist)
    page = client.get(new_url(personas.client))
    assert page.status_code == 200
    assert "New care plan for Casey" in page.content.decode()
    assert "therapist" not in page.context["form"].fields  # a therapist plans their own sessions
    response = client.post(
        new_url(personas.client),
        {
            "service": service.pk,
            "sessions_per_week": 2,
            "weeks": 6,
            "reassessment_at_session": 6,
            "starts_on": "2026-06-03",
        },
    )
    plan = CarePlan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/booking/care-plans/{plan.pk}/"
    assert (plan.client, plan.therapist, plan.total_sessions) == (personas.client, therapist, 12)
    assert AuditEvent.objects.filter(
        object_type="booking.CarePlan", object_id=str(plan.pk), action="create"
    ).exists()


def test_a_bad_plan_is_a_form_error_and_nothing_is_saved(client, personas, clinic):
    _location, service, _therapist = clinic
    client.force_login(personas.therapist)
    base = {"service": service.pk, "sessions_per_week": 2, "weeks": 6, "starts_on": "2026-06-03"}
    too_late = client.post(new_url(personas.client), {**base, "reassessment_at_session": 20})
    assert too_late.status_code == 400
    assert too_late.context["form"].errors
    too_many = client.post(new_url(personas.client), {**base, "sessions_per_week": 9})
    assert too_many.status_code == 400
    assert "sessions_per_week" in too_many.context["form"].errors
    assert not CarePlan.objects.exists()


def test_who_may_set_a_plan(client, personas, clinic):
    url = new_url(personas.client)
    assert client.get(url).status_code == 302  # anonymous: to the login page
    assert client.get(url)["Location"].startswith("/accounts/login/")
    for wrong_role in (personas.client, personas.front_desk):
        client.force_login(wrong_role)
        assert client.get(url).status_code == 403
    client.force_login(personas.therapist)
    # Not this therapist's client (never booked with them): not found.
    assert client.get(new_url(personas.other_client)).status_code == 404
    client.force_login(personas.other_therapist)
    assert client.get(url).status_code == 404
    client.force_login(personas.clinic_admin)
    admin_page = client.get(new_url(personas.other_client))
    assert admin_page.status_code == 200
    assert "therapist" in admin_page.context["form"].fields


def test_plan_detail_shows_progress_to_those_who_may_see_it(client, personas, plan):
    url = f"/booking/care-plans/{plan.pk}/"
    assert client.get(url)["Location"].startswith("/accounts/login/")
    for outsider in (personas.other_client, personas.other_therapist):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    for insider in (personas.client, personas.therapist, personas.front_desk):
        client.force_login(insider)
        page = client.get(url)
        assert page.status_code == 200
        assert "0 done · 0 booked · 6 left of 6" in page.content.decode()
    views = AuditEvent.objects.filter(object_type="booking.CarePlan", action="view")
    assert views.count() == 3
    assert set(views.values_list("subject", flat=True)) == {personas.client.pk}


def book_page(client, plan):
    page = client.get(f"/booking/care-plans/{plan.pk}/book/")
    assert page.status_code == 200
    return page, [value for value, _label in page.context["form"].fields["start"].choices]


def test_client_books_the_series_and_picks_alternatives_for_conflicts(client, personas, plan):
    client.force_login(personas.client)
    _page, choices = book_page(client, plan)
    first = dt.datetime.fromisoformat(choices[0])
    assert first.astimezone(dt.UTC) > NOW
    session_3 = series_starts(first, per_week=2, weeks=3, zone=plan.therapist.locations.get().zone)[
        2
    ]
    appointment_book(
        client=personas.other_client,
        service=plan.service,
        therapist=plan.therapist,
        start=session_3,
        actor=personas.other_client,
    )
    result = client.post(f"/booking/care-plans/{plan.pk}/book/", {"start": choices[0]})
    assert result.status_code == 200
    assert len(result.context["booked"]) == 5
    (conflict,) = result.context["conflicts"]
    assert conflict["session"] == 3
    assert conflict["options"], "nearest alternatives are proposed"
    assert "Session 3" in result.content.decode()
    chosen = conflict["options"][0]["value"]
    done = client.post(f"/booking/care-plans/{plan.pk}/sessions/", {"session_3": chosen})
    assert done.status_code == 200
    assert done.context["conflicts"] == []
    assert "Care plan booked" in done.content.decode()
    mine = Appointment.objects.filter(care_plan=plan, status=AppointmentStatus.BOOKED)
    assert sorted(mine.values_list("plan_session_number", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert set(mine.values_list("therapist", flat=True)) == {plan.therapist.pk}
    assert mine.get(plan_session_number=3).starts_at == dt.datetime.fromisoformat(chosen)
    detail = client.get(f"/booking/care-plans/{plan.pk}/")
    assert "0 done · 6 booked · 0 left of 6" in detail.content.decode()


def test_front_desk_books_a_series_for_the_client(client, personas, plan):
    client.force_login(personas.front_desk)
    _page, choices = book_page(client, plan)
    result = client.post(f"/booking/care-plans/{plan.pk}/book/", {"start": choices[0]})
    assert len(result.context["booked"]) == 6
    assert set(Appointment.objects.filter(care_plan=plan).values_list("client", flat=True)) == {
        personas.client.pk
    }


def test_bad_booking_input_is_a_clear_error_not_a_500(client, personas, plan):
    client.force_login(personas.client)
    bad = client.post(f"/booking/care-plans/{plan.pk}/book/", {"start": "tomorrow-ish"})
    assert bad.status_code == 400
    assert "no longer available" in bad.content.decode()
    garbage = client.post(f"/booking/care-plans/{plan.pk}/sessions/", {"session_x": "soon"})
    assert garbage.status_code == 302
    out_of_range = client.post(
        f"/booking/care-plans/{plan.pk}/sessions/",
        {"session_99": "2026-06-10T10:00:00-04:00"},
        follow=True,
    )
    assert "This plan has no session 99." in out_of_range.content.decode()
    assert not Appointment.objects.filter(care_plan=plan).exists()


def test_who_may_book_a_series(client, personas, plan):
    url = f"/booking/care-plans/{plan.pk}/book/"
    assert client.get(url)["Location"].startswith("/accounts/login/")
    client.force_login(personas.therapist)
    assert client.get(url).status_code == 403
    assert client.post(f"/booking/care-plans/{plan.pk}/sessions/", {}).status_code == 403
    client.force_login(personas.other_client)
    assert client.get(url).status_code == 404
    assert client.post(f"/booking/care-plans/{plan.pk}/sessions/", {}).status_code == 404


def test_list_flags_clients_who_fall_behind(client, personas, clinic, plan):
    behind = make_plan(clinic, personas.other_client, starts_on=dt.date(2026, 5, 4))
    client.force_login(personas.front_desk)
    page = client.get("/booking/care-plans/")
    rows = {row["plan"].pk: row["progress"] for row in page.context["rows"]}
    assert rows[behind.pk].behind
    assert not rows[plan.pk].behind
    assert "Behind: 6 expected by now" in page.content.decode()
    only = client.get("/booking/care-plans/", {"behind": "1"})
    assert [row["plan"].pk for row in only.context["rows"]] == [behind.pk]
    client.force_login(personas.client)
    own = client.get("/booking/care-plans/")
    assert [row["plan"].pk for row in own.context["rows"]] == [plan.pk]
    client.force_login(personas.therapist)
    page = client.get("/booking/care-plans/")
    assert {row["plan"].pk for row in page.context["rows"]} == {plan.pk, behind.pk}
    assert personas.client in page.context["my_clients"]
    client.force_login(personas.other_therapist)
    assert client.get("/booking/care-plans/").context["rows"] == []


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_query_count_does_not_grow_with_plans(
    client, personas, clinic, plan, django_assert_num_queries
):
    client.force_login(personas.front_desk)
    baseline = _count(client, "/booking/care-plans/")
    for _ in range(6):
        make_plan(clinic, ClientFactory())
    with django_assert_num_queries(baseline):
        page = client.get("/booking/care-plans/")
    assert len(page.context["rows"]) == 7
    client.force_login(personas.therapist)
    baseline = _count(client, "/booking/care-plans/")
    make_plan(clinic, ClientFactory())
    with django_assert_num_queries(baseline):
        client.get("/booking/care-plans/")


@pytest.mark.django_db(transaction=True)
def test_browser_client_books_a_care_plan_series_choosing_an_alternative(live_server, page):
    from playwright.sync_api import expect

    from booking.careplans import care_plan_first_slots
    from tests.factories import TEST_PASSWORD

    location, service, (therapist,) = clinic_setup()
    casey, other = ClientFactory(email="casey@example.test"), ClientFactory()
    past_session(casey, therapist, service, location)
    today = dt.datetime.now(tz=location.zone).date()
    plan = care_plan_create(
        actor=therapist.user,
        client=casey,
        therapist=therapist,
        service=service,
        sessions_per_week=2,
        weeks=2,
        reassessment_at_session=4,
        starts_on=today + dt.timedelta(days=2),
    )
    first = care_plan_first_slots(plan)[0].start
    second = series_starts(first, per_week=2, weeks=2, zone=location.zone)[1]
    appointment_book(client=other, service=service, therapist=therapist, start=second, actor=other)

    page.goto(f"{live_server.url}/accounts/login/?next=/booking/care-plans/")
    page.get_by_label("E-mail address").fill(casey.email)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="2 a week for 2 weeks").click()
    expect(page.locator("main")).to_contain_text("0 done · 0 booked · 4 left of 4")
    page.get_by_role("link", name="Book the whole series").click()
    page.locator("input[name=start]").first.check()
    page.get_by_role("button", name="Book all sessions").click()

    expect(
        page.get_by_role("heading", name="Almost done: choose times for 1 session")
    ).to_be_visible()
    expect(page.locator("fieldset.conflict legend")).to_contain_text("Session 2")
    page.get_by_role("button", name="Book the chosen times").click()

    expect(page.get_by_role("heading", name="Care plan booked")).to_be_visible()
    expect(page.locator("main")).to_contain_text("0 done · 4 booked · 0 left of 4")
    booked = Appointment.objects.filter(care_plan=plan, status=AppointmentStatus.BOOKED)
    assert booked.count() == 4
    assert set(booked.values_list("therapist", flat=True)) == {therapist.pk}
    assert booked.get(plan_session_number=1).starts_at == first
    assert booked.get(plan_session_number=2).starts_at != second


def test_every_care_plan_read_is_audited_in_the_api_and_the_list(client, api_as, personas, plan):
    """The API's list and detail and the HTML list each leave one record per plan shown."""
    reads = AuditEvent.objects.filter(object_type="booking.CarePlan", action="view")
    api = api_as(personas.therapist)
    assert api.get(f"/api/v1/care-plans/{plan.pk}/").status_code == 200
    assert reads.filter(detail="care plan").count() == 1
    assert [p["id"] for p in api.get("/api/v1/care-plans/").json()["results"]] == [plan.pk]
    client.force_login(personas.client)
    assert client.get("/booking/care-plans/").status_code == 200
    listed = reads.filter(detail="care plans: list")
    assert set(listed.values_list("actor", "subject")) == {
        (personas.therapist.pk, personas.client.pk),
        (personas.client.pk, personas.client.pk),
    }
    outsider = api_as(personas.other_therapist)
    assert outsider.get(f"/api/v1/care-plans/{plan.pk}/").status_code == 404
    assert AuditEvent.objects.filter(
        actor=personas.other_therapist, outcome="denied", object_id="api:care-plan"
    ).exists()
