"""Role home pages, navigation, and who may open which page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import LocationFactory, OpeningHoursFactory, RoomFactory
from tests.mfa import totp_device_for, verify_after_password

pytestmark = pytest.mark.django_db

STAFF_PAGES = [
    reverse("therapist-home"),
    reverse("front-desk-home"),
    reverse("clinic-admin-home"),
    reverse("invitation-list"),
    reverse("location-list"),
    reverse("location-create"),
    reverse("policy-edit"),
]
LOCATION_PAGES = [
    "/clinic-admin/locations/{slug}/",
    "/clinic-admin/locations/{slug}/edit/",
    "/clinic-admin/locations/{slug}/hours/",
]
PRIVATE_PAGES = [
    *STAFF_PAGES,
    reverse("home"),
    reverse("client-home"),
    reverse("client-profile"),
    reverse("password_change"),
]
PUBLIC_PAGES = [
    reverse("index"),
    reverse("login"),
    reverse("register"),
    reverse("password_reset"),
    reverse("resend-verification"),
]


@pytest.mark.parametrize(
    ("persona", "home"),
    [
        ("client", "client-home"),
        ("therapist", "therapist-home"),
        ("front_desk", "front-desk-home"),
        ("clinic_admin", "clinic-admin-home"),
    ],
)
def test_each_role_signs_in_and_lands_on_its_home(client, personas, persona, home):
    user = getattr(personas, persona)
    if user.is_clinic_staff:
        totp_device_for(user)

    response = client.post(
        reverse("login"), {"username": user.email, "password": personas.password}, follow=True
    )
    if user.is_clinic_staff:
        # Staff then enter the code from their authenticator app.
        response = verify_after_password(client, user, response)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(home)
    assert response.context["user_role"] == user.role


def test_login_honours_a_safe_next_and_ignores_an_offsite_one(client, personas):
    data = {"username": personas.client.email, "password": personas.password}
    response = client.post(reverse("login") + "?next=/client/profile/", data)
    assert response["Location"] == "/client/profile/"
    client.logout()
    response = client.post(reverse("login") + "?next=https://evil.example/", data)
    assert response["Location"] == reverse("home")


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_client_gets_403_on_staff_pages(client, personas, url):
    client.force_login(personas.client)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("template", LOCATION_PAGES)
def test_client_gets_403_on_location_pages(client, personas, template):
    location = LocationFactory()
    room = RoomFactory(location=location)
    client.force_login(personas.client)
    assert client.get(template.format(slug=location.slug)).status_code == 403
    assert client.post(template.format(slug=location.slug), {"name": "X"}).status_code == 403
    room_url = reverse("room-edit", args=[location.slug, room.pk])
    assert client.get(room_url).status_code == 403


@pytest.mark.parametrize("persona", ["therapist", "front_desk"])
@pytest.mark.parametrize(
    "url",
    [
        reverse("clinic-admin-home"),
        reverse("invitation-list"),
        reverse("location-list"),
        reverse("policy-edit"),
    ],
)
def test_other_staff_get_403_on_clinic_admin_pages(client, personas, persona, url):
    client.force_login(getattr(personas, persona))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("therapist", reverse("client-home")),
        ("therapist", reverse("front-desk-home")),
        ("front_desk", reverse("therapist-home")),
        ("clinic_admin", reverse("client-home")),
    ],
)
def test_wrong_role_gets_403_on_another_roles_home(client, personas, persona, url):
    client.force_login(getattr(personas, persona))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", PRIVATE_PAGES)
def test_anonymous_visitors_are_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("template", [*LOCATION_PAGES, "/clinic-admin/invitations/1/revoke/"])
def test_anonymous_visitors_are_sent_to_login_from_object_pages(client, template):
    location = LocationFactory()
    url = template.format(slug=location.slug)
    method = client.post if url.endswith("revoke/") else client.get
    response = method(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_open_without_signing_in(client, url):
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="skip-link" href="#main"' in page
    assert '<main id="main"' in page
    assert '<nav class="site-nav" aria-label="Main">' in page


def test_front_page_says_what_unwind_offers_and_links_onward(client):
    location = LocationFactory(name="Troy")
    OpeningHoursFactory(location=location, weekday=5)

    page = client.get(reverse("index")).content.decode()

    for href in (
        'href="/therapists/"',
        'href="/booking/"',
        'href="/accounts/login/"',
        'href="/accounts/register/"',
    ):
        assert href in page
    assert "myofascial release" in page.lower()
    assert "Troy" in page
    assert "Saturday" in page


def test_base_layout_uses_the_vendored_htmx_and_csrf_header(client, personas):
    client.force_login(personas.client)
    page = client.get(reverse("client-home")).content.decode()
    assert '<script src="/static/js/htmx.min.js" defer></script>' in page
    assert 'hx-headers=\'{"X-CSRFToken": "' in page
    assert "cdn" not in page.lower()
    assert "unpkg" not in page.lower()


def test_vendored_static_files_are_served(client):
    response = client.get("/static/js/htmx.min.js")
    assert response.status_code == 200
    assert b"htmx" in b"".join(response.streaming_content)
    assert client.get("/static/css/unwind.css").status_code == 200


@pytest.mark.parametrize(
    ("persona", "links", "absent"),
    [
        (
            "client",
            ["/booking/", "/intake/", "/therapists/", "/client/profile/"],
            ["/clinic-admin/"],
        ),
        ("therapist", ["/therapist/", "/therapists/"], ["/clinic-admin/", "/intake/"]),
        # The "Booking" card (/booking/, clients only) led to a 403; the board replaces it.
        ("front_desk", ["/front-desk/", "/booking/board/"], ["/clinic-admin/", "/intake/"]),
        (
            "clinic_admin",
            [
                "/clinic-admin/invitations/",
                "/clinic-admin/locations/",
                "/clinic-admin/policy/",
                "/admin/",
            ],
            ["/intake/"],
        ),
    ],
)
def test_home_page_links_per_role(client, personas, persona, links, absent):
    user = getattr(personas, persona)
    client.force_login(user)
    page = client.get(reverse("home"), follow=True).content.decode()
    for link in links:
        assert f'href="{link}"' in page, link
    for link in absent:
        assert f'href="{link}"' not in page, link
    assert f'action="{reverse("logout")}"' in page


def test_client_home_shows_the_profile_summary(client, personas):
    client.force_login(personas.client)
    page = client.get(reverse("client-home")).content.decode()
    assert personas.client.email in page
    assert personas.client.client_profile.phone in page
    assert "May 17, 1980" in page


def _add_locations(count: int) -> None:
    for _ in range(count):
        location = LocationFactory()
        RoomFactory(location=location)
        RoomFactory(location=location)
        OpeningHoursFactory(location=location, weekday=0)
        OpeningHoursFactory(location=location, weekday=1)


@pytest.mark.parametrize("url", [reverse("front-desk-home"), reverse("index")])
def test_location_listing_pages_use_a_fixed_number_of_queries(
    client, personas, django_assert_num_queries, url
):
    client.force_login(personas.front_desk)
    _add_locations(1)
    # session, user, the verified second factor (staff), then locations, rooms and opening
    # hours: the same for 1 or 5 locations.
    with django_assert_num_queries(6):
        client.get(url)
    _add_locations(4)
    with django_assert_num_queries(6):
        client.get(url)
