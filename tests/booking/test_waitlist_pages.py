"""Waitlist pages: join, see entries and held offers, confirm (first wins), leave; the desk view."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from booking.changes import appointment_cancel
from booking.models import Appointment, WaitlistEntry, WaitlistOfferStatus, WaitlistStatus
from booking.scheduling import appointment_book
from booking.waitlist import waitlist_join, waitlist_offers_expire
from tests.booking.factories import clinic_setup
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)  # Monday 08:00 New York, 14:00 Amsterdam


@pytest.fixture(autouse=True)
def _pinned(request):
    if "page" in request.fixturenames:
        yield  # browser tests run on the real clock (the live server and Chromium share it)
        return
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def clinic():
    # Amsterdam, while the server's default zone is New York: deadlines must show local time.
    location, service, (therapist,) = clinic_setup(time_zone="Europe/Amsterdam")
    return location, service, therapist


@pytest.fixture
def freed(clinic):
    """A Wednesday 10:00 (Amsterdam) appointment of a third client, cancelled later in tests."""
    location, service, therapist = clinic
    third = ClientFactory()
    return appointment_book(
        client=third,
        service=service,
        therapist=therapist,
        start=dt.datetime(2026, 6, 3, 10, 0, tzinfo=location.zone),
        actor=third,
    )


def join_data(service, **extra):
    data = {
        "service": service.pk,
        "therapist": "",
        "location": "",
        "windows-TOTAL_FORMS": "3",
        "windows-INITIAL_FORMS": "0",
        "windows-MIN_NUM_FORMS": "0",
        "windows-MAX_NUM_FORMS": "3",
    }
    data.update(extra)
    return data


def test_client_joins_with_time_windows(client, personas, clinic):
    _location, service, therapist = clinic
    client.force_login(personas.client)
    assert client.get("/booking/waitlist/join/").status_code == 200
    response = client.post(
        "/booking/waitlist/join/",
        join_data(
            service,
            therapist=therapist.pk,
            **{"windows-0-weekday": "2", "windows-0-start": "09:00", "windows-0-end": "12:00"},
        ),
    )
    assert response.status_code == 302
    entry = WaitlistEntry.objects.get(client=personas.client)
    assert entry.therapist == therapist
    assert entry.windows == [{"weekday": 2, "start": "09:00", "end": "12:00"}]
    page = client.get("/booking/waitlist/")
    assert "Wednesday 09:00 to 12:00" in page.content.decode()


def test_bad_windows_are_field_errors_and_nothing_is_saved(client, personas, clinic):
    _location, service, _therapist = clinic
    client.force_login(personas.client)
    backwards = client.post(
        "/booking/waitlist/join/",
        join_data(
            service,
            **{"windows-0-weekday": "1", "windows-0-start": "12:00", "windows-0-end": "09:00"},
        ),
    )
    assert backwards.status_code == 400
    assert "The end must be after the start." in backwards.content.decode()
    half = client.post(
        "/booking/waitlist/join/", join_data(service, **{"windows-1-start": "09:00"})
    )
    assert half.status_code == 400
    assert "Give a day, a start and an end" in half.content.decode()
    no_service = client.post("/booking/waitlist/join/", {**join_data(service), "service": "x"})
    assert no_service.status_code == 400
    assert not WaitlistEntry.objects.exists()


def test_client_sees_the_offer_with_its_deadline_in_location_time_and_confirms(
    client, personas, freed
):
    waitlist_join(client=personas.client, service=freed.service)
    appointment_cancel(appointment=freed, actor=freed.client)
    client.force_login(personas.client)
    page = client.get("/booking/waitlist/")
    (offer,) = page.context["offers"]
    text = page.content.decode()
    # Held 2 h from 14:00 Amsterdam (08:00 in the server's New York zone).
    assert "held until Mon 1 Jun, 16:00 (CEST)" in text
    assert "Wednesday 3 June, 10:00" in text
    detail = client.get(f"/booking/waitlist/offers/{offer.pk}/")
    assert "Monday 1 June, 16:00" in detail.content.decode()
    confirmed = client.post(f"/booking/waitlist/offers/{offer.pk}/")
    appointment = Appointment.objects.get(client=personas.client)
    assert confirmed.status_code == 302
    assert confirmed["Location"] == f"/booking/appointments/{appointment.pk}/"
    assert appointment.starts_at == freed.starts_at
    assert WaitlistEntry.objects.get(client=personas.client).status == WaitlistStatus.BOOKED


def test_a_late_confirmation_is_told_already_taken_not_a_500(client, personas, freed):
    waitlist_join(client=personas.client, service=freed.service)
    waitlist_join(client=personas.other_client, service=freed.service)
    appointment_cancel(appointment=freed, actor=freed.client)
    first = personas.client.waitlist_entries.get().offers.get()
    with time_machine.travel(NOW + dt.timedelta(hours=2, minutes=1), tick=False):
        waitlist_offers_expire()  # the first hold lapses; the next in line is offered it
        second = personas.other_client.waitlist_entries.get().offers.get()
        client.force_login(personas.other_client)
        assert client.post(f"/booking/waitlist/offers/{second.pk}/").status_code == 302
        client.force_login(personas.client)
        late = client.post(f"/booking/waitlist/offers/{first.pk}/")
        assert late.status_code == 409
        assert "already been taken" in late.content.decode()
        first.refresh_from_db()
        assert first.status == WaitlistOfferStatus.TAKEN
        again = client.get(f"/booking/waitlist/offers/{first.pk}/")
        assert "already been taken" in again.content.decode()
        assert "Confirm this time" not in again.content.decode()
    assert Appointment.objects.filter(starts_at=freed.starts_at).exclude(pk=freed.pk).count() == 1


def test_an_expired_offer_says_so(client, personas, freed):
    waitlist_join(client=personas.client, service=freed.service)
    appointment_cancel(appointment=freed, actor=freed.client)
    offer = personas.client.waitlist_entries.get().offers.get()
    client.force_login(personas.client)
    with time_machine.travel(NOW + dt.timedelta(hours=3), tick=False):
        response = client.post(f"/booking/waitlist/offers/{offer.pk}/")
    assert response.status_code == 409
    assert "This offer has expired. You are still on the waitlist." in response.content.decode()


def test_client_leaves_the_waitlist(client, personas, clinic):
    _location, service, _therapist = clinic
    entry = waitlist_join(client=personas.client, service=service)
    client.force_login(personas.other_client)
    assert client.post(f"/booking/waitlist/{entry.pk}/leave/").status_code == 404
    client.force_login(personas.client)
    assert client.post(f"/booking/waitlist/{entry.pk}/leave/").status_code == 302
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.LEFT


def test_page_permissions(client, personas, freed):
    entry = waitlist_join(client=personas.client, service=freed.service)
    appointment_cancel(appointment=freed, actor=freed.client)
    offer = entry.offers.get()
    client_pages = ["/booking/waitlist/", "/booking/waitlist/join/"]
    offer_url = f"/booking/waitlist/offers/{offer.pk}/"
    desk_pages = ["/booking/waitlist/desk/"]
    for url in [*client_pages, offer_url, *desk_pages]:
        assert client.get(url)["Location"].startswith("/accounts/login/"), url
    client.force_login(personas.other_client)
    assert client.get(offer_url).status_code == 404
    assert client.post(offer_url).status_code == 404
    for url in desk_pages:
        assert client.get(url).status_code == 403
    assert client.post(f"/booking/waitlist/desk/freed/{freed.pk}/offer/").status_code == 403
    client.force_login(personas.front_desk)
    for url in [*client_pages, offer_url]:
        assert client.get(url).status_code == 403, url
    client.force_login(personas.therapist)
    assert client.post(f"/booking/waitlist/{entry.pk}/leave/").status_code == 403
    assert client.get("/booking/waitlist/desk/").status_code == 403


def test_front_desk_sees_the_waitlist_per_location_and_offers_a_freed_time(
    client, personas, clinic, freed
):
    location, service, _therapist = clinic
    elsewhere, other_service, _ = clinic_setup()
    here = waitlist_join(client=personas.client, service=service)
    waitlist_join(client=personas.other_client, service=other_service)
    # Staff cancel without offering; the desk offers the freed time by hand.
    freed.status = "cancelled"
    freed.save(update_fields=["status"])
    client.force_login(personas.front_desk)
    page = client.get("/booking/waitlist/desk/", {"location": location.pk})
    assert [row["entry"] for row in page.context["rows"]] == [here]
    assert [a.pk for a in page.context["freed"]] == [freed.pk]
    other = client.get("/booking/waitlist/desk/", {"location": elsewhere.pk})
    assert [row["entry"].client for row in other.context["rows"]] == [personas.other_client]
    offered = client.post(f"/booking/waitlist/desk/freed/{freed.pk}/offer/", follow=True)
    assert "Offered to Casey" in offered.content.decode()
    assert "(CEST)" in offered.content.decode()
    assert here.offers.get().status == WaitlistOfferStatus.OPEN
    # Offering the same time again does not hold it for a second client.
    again = client.post(f"/booking/waitlist/desk/freed/{freed.pk}/offer/", follow=True)
    assert again.status_code == 200
    assert here.offers.count() == 1
    assert client.get("/booking/waitlist/desk/", {"location": "nope"}).status_code == 404
    removed = client.post(f"/booking/waitlist/{here.pk}/leave/", {"location": location.pk})
    assert removed["Location"] == f"/booking/waitlist/desk/?location={location.pk}"
    here.refresh_from_db()
    assert here.status == WaitlistStatus.LEFT


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_query_counts_do_not_grow_with_entries(
    client, personas, clinic, django_assert_num_queries
):
    location, service, _therapist = clinic
    waitlist_join(client=personas.client, service=service)
    client.force_login(personas.front_desk)
    desk = f"/booking/waitlist/desk/?location={location.pk}"
    baseline = _count(client, desk)
    for _ in range(5):
        waitlist_join(client=ClientFactory(), service=service)
    with django_assert_num_queries(baseline):
        page = client.get(desk)
    assert len(page.context["rows"]) == 6
    client.force_login(personas.client)
    baseline = _count(client, "/booking/waitlist/")
    for _ in range(3):
        waitlist_join(client=personas.client, service=service)
    with django_assert_num_queries(baseline):
        client.get("/booking/waitlist/")


@pytest.mark.django_db(transaction=True)
def test_browser_client_joins_the_waitlist_and_confirms_an_offer(live_server, page):
    from playwright.sync_api import expect

    from tests.factories import TEST_PASSWORD

    location, service, (therapist,) = clinic_setup(time_zone="Europe/Amsterdam")
    casey, third = ClientFactory(email="casey@example.test"), ClientFactory()
    day = dt.datetime.now(tz=location.zone).date() + dt.timedelta(days=3)
    taken = appointment_book(
        client=third,
        service=service,
        therapist=therapist,
        start=dt.datetime.combine(day, dt.time(10, 0), tzinfo=location.zone),
        actor=third,
    )

    page.goto(f"{live_server.url}/accounts/login/?next=/booking/waitlist/join/")
    page.get_by_label("E-mail address").fill(casey.email)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Service").select_option(str(service.pk))
    page.get_by_role("button", name="Join the waitlist").click()
    expect(page.get_by_role("heading", name="My waitlist")).to_be_visible()
    expect(page.locator("main")).to_contain_text("You are on the waitlist")

    appointment_cancel(appointment=taken, actor=third)  # the time frees up and is offered
    page.reload()
    expect(page.get_by_role("heading", name="A time is being held for you")).to_be_visible()
    expect(page.locator("main")).to_contain_text(
        re.compile(r"\(CES?T\)")
    )  # real time: summer or winter
    page.get_by_role("link", name="See and confirm").click()
    expect(page.locator("main")).to_contain_text("Held until")
    page.get_by_role("button", name="Confirm this time").click()

    expect(page.get_by_role("heading", name="Appointment confirmed")).to_be_visible()
    mine = Appointment.objects.get(client=casey)
    assert mine.starts_at == taken.starts_at
    assert WaitlistEntry.objects.get(client=casey).status == WaitlistStatus.BOOKED
