"""Clean links: every navigation link on every role's pages is reachable by that role.

Starting from each role's home, the walk follows same-site links (two clicks deep, each
distinct path and set of query names once) and fails on any 403 or 404.
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.utils import timezone

from booking.models import AppointmentStatus, WaitlistEntry

pytestmark = pytest.mark.django_db

HREF = re.compile(r'<a\b[^>]*\bhref="([^"]+)"')
# Sign-out is a POST form; the admin site and API docs are not the roles' navigation.
SKIP = ("/accounts/logout", "/admin/", "/static/", "/media/", "/api/", "/__")
ROLES = ["anonymous", "client", "therapist", "front_desk", "clinic_admin"]
MAX_PAGES = 80


def _links(html: str) -> list[str]:
    found = []
    for raw in HREF.findall(html):
        href = unescape(raw)
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue  # other sites, mailto:, tel:, fragments and relative links
        if parts.path.startswith(SKIP):
            continue
        found.append(href)
    return found


def _shape(href: str) -> tuple[str, tuple[str, ...]]:
    parts = urlsplit(href)
    return parts.path, tuple(sorted(k for k, _ in parse_qsl(parts.query)))


def _walk(client, start: str) -> dict[str, int]:
    seen: set[tuple[str, tuple[str, ...]]] = set()
    bad: dict[str, int] = {}
    frontier = [(start, "start")]
    for _depth in range(3):
        following = []
        for href, source in frontier:
            if _shape(href) in seen or len(seen) >= MAX_PAGES:
                continue
            seen.add(_shape(href))
            response = client.get(href, follow=True)
            if response.status_code in (403, 404):
                bad[f"{href} (linked from {source})"] = response.status_code
                continue
            if "text/html" in response.get("Content-Type", ""):
                following += [(link, href) for link in _links(response.content.decode())]
        frontier = following
    return bad


@pytest.fixture
def busy_clinic(clinic, personas):
    zone = clinic.location.zone
    today = timezone.now().astimezone(zone).date()
    for days, status in ((-1, AppointmentStatus.COMPLETED), (1, AppointmentStatus.BOOKED),
                         (2, AppointmentStatus.CANCELLED)):  # fmt: skip
        start = dt.datetime.combine(today + dt.timedelta(days=days), dt.time(10), tzinfo=zone)
        clinic.appointment(personas.client, status=status, starts_at=start)
    WaitlistEntry.objects.create(client=personas.other_client, service=clinic.service)
    return clinic


@pytest.mark.parametrize("role", ROLES)
def test_every_link_a_role_sees_is_reachable(client, busy_clinic, personas, role):
    if role != "anonymous":
        client.force_login(getattr(personas, role))
    start = "/" if role == "anonymous" else "/home/"
    bad = _walk(client, start)
    assert bad == {}, "\n".join(f"{status}: {link}" for link, status in bad.items())


def test_the_walk_catches_a_dead_link(client, personas):
    client.force_login(personas.front_desk)
    assert _links('<a href="/nowhere/">x</a> <a href="https://example.org/">y</a>') == ["/nowhere/"]
    assert _walk(client, "/nowhere/") == {"/nowhere/ (linked from start)": 404}


def test_the_links_the_issue_named_lead_somewhere(client, busy_clinic, personas):
    client.force_login(personas.front_desk)
    home = client.get("/front-desk/").content.decode()
    assert 'href="/booking/"' not in home  # the "Booking" card led to a 403
    desk = client.get(
        "/booking/waitlist/desk/", {"location": busy_clinic.location.pk}
    ).content.decode()
    (board,) = [link for link in _links(desk) if link.startswith("/booking/board/?")]
    assert client.get(board).status_code == 200  # was a 404: the board takes the slug
    profile = client.get(f"/therapists/{busy_clinic.profile.pk}/").content.decode()
    slot_links = [link for link in _links(profile) if "start=" in link]
    assert slot_links
    assert all(link.startswith("/booking/board/book/?") for link in slot_links)
    assert client.get(slot_links[0]).status_code == 200
