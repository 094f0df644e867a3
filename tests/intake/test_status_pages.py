"""Front desk's intake status list: 50 clients a page, accessible page links, fixed queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic.models import Role, User
from tests.factories import ClientFactory

URL = reverse("intake:statuses")


def _clients(count: int, start: int = 0) -> list[Any]:
    return [ClientFactory(last_name=f"Client{n:03d}") for n in range(start, start + count)]


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def _listed(page: Any) -> list[int]:
    return [row["client"].pk for row in page.context["rows"]]


def test_query_count_per_page_is_the_same_for_3_and_60_clients(
    client, personas, submit_intake, django_assert_num_queries
):
    people = _clients(3)
    submit_intake(people[0], "hold")
    client.force_login(personas.front_desk)
    client.get(URL)  # warm the session
    few = _queries(client, URL)
    more = _clients(57, start=3)
    for person in more[::5]:
        submit_intake(person, "hold")
    assert User.objects.filter(role=Role.CLIENT, is_active=True).count() == 62  # with personas'
    with django_assert_num_queries(few):
        first = client.get(URL)
    with django_assert_num_queries(few):
        second = client.get(URL, {"page": 2})
    assert len(_listed(first)) == 50
    assert len(_listed(second)) == 12
    everyone = User.objects.filter(role=Role.CLIENT, is_active=True).values_list("pk", flat=True)
    assert sorted(_listed(first) + _listed(second)) == sorted(everyone)


def test_statuses_on_a_later_page_are_right(client, personas, submit_intake):
    # Last names sort after the personas' and the other clients', so they land on page 2.
    _clients(55)
    flagged = ClientFactory(last_name="Zzflagged")
    submit_intake(flagged, "hold")
    missing = ClientFactory(last_name="Zzmissing")
    client.force_login(personas.front_desk)
    rows = {row["client"].pk: row["status"] for row in client.get(URL, {"page": 2}).context["rows"]}
    assert (rows[flagged.pk], rows[missing.pk]) == ("flagged", "missing")


def test_page_links_are_accessible_and_bad_page_numbers_do_not_fail(client, personas):
    _clients(110)  # 112 clients: three pages
    client.force_login(personas.front_desk)
    first = client.get(URL).content.decode()
    assert '<nav aria-label="Pages of clients">' in first
    assert 'href="?page=1" aria-current="page"' in first
    assert 'href="?page=2" rel="next">Next<span class="visually-hidden"> page</span>' in first
    assert 'href="?page=3"><span class="visually-hidden">Page </span>3</a>' in first
    assert "Clients 1 to 50 of 112" in first
    assert 'rel="prev"' not in first
    middle = client.get(URL, {"page": 2}).content.decode()
    assert 'href="?page=1" rel="prev"' in middle
    assert 'href="?page=2" aria-current="page"' in middle
    assert "Clients 51 to 100 of 112" in middle
    for bad, number in (("99", 3), ("abc", 1), ("-1", 3)):
        page = client.get(URL, {"page": bad})
        assert page.status_code == 200
        assert page.context["page"].number == number


def test_a_single_page_has_no_page_links(client, personas):
    _clients(3)
    client.force_login(personas.front_desk)
    page = client.get(URL).content.decode()
    assert "Pages of clients" not in page
    assert page.count("<tr><td>") == 5


@pytest.mark.parametrize("who", ["therapist", "client", "other_therapist"])
def test_only_front_desk_and_admins_see_the_list(client, personas, who):
    client.force_login(getattr(personas, who))
    assert client.get(URL).status_code == 403
    client.force_login(personas.clinic_admin)
    assert client.get(URL).status_code == 200


def test_anonymous_is_sent_to_login(client, db):
    page = client.get(URL)
    assert page.status_code == 302
    assert "/accounts/login/" in page["Location"]
