"""Phone numbers and time zones as people read them: national format, tel: links, zone labels."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.urls import reverse

from clinic.models import ClientProfile, Location
from clinic.phones import phone_display, phone_normalize
from tests.factories import LocationFactory

NY = "America/New_York"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("(518) 371-0420", "+15183710420"),
        ("518.371.0420", "+15183710420"),
        ("+1 518 371 0420", "+15183710420"),
        ("+44 20 7946 0958", "+442079460958"),
        ("", ""),
        ("12", None),
        ("call me", None),
    ],
)
def test_typed_numbers_are_stored_as_e164(typed, stored):
    assert phone_normalize(typed) == stored


def test_home_numbers_show_nationally_and_dial_e164():
    shown = phone_display("+15183710420")
    assert shown.text == "(518) 371-0420"
    assert shown.tel == "tel:+15183710420"
    assert phone_display("+442079460958").text == "+44 20 7946 0958"
    assert phone_display("junk") == phone_display("junk").__class__("junk", "")


def _render(source: str, **context: object) -> str:
    return Template("{% load clinic_format %}" + source).render(Context(context))


def test_phone_filter_is_a_link_and_escapes_junk():
    assert _render("{{ n|phone }}", n="+15183710420") == (
        '<a href="tel:+15183710420">(518) 371-0420</a>'
    )
    assert _render("{{ n|phone }}", n="<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"


def test_zone_label_is_the_local_abbreviation_at_that_moment():
    summer = dt.datetime(2026, 7, 1, 14, tzinfo=dt.UTC)
    winter = dt.datetime(2026, 1, 5, 14, tzinfo=dt.UTC)
    assert _render("{{ t|zone_label:z }}", t=summer, z=NY) == "EDT"
    assert _render("{{ t|zone_label:z }}", t=winter, z=NY) == "EST"
    assert _render("{{ z|zone_label }}", z=NY) == "New York time"


@pytest.mark.django_db
def test_registration_stores_a_nationally_typed_number_as_e164(client):
    response = client.post(
        reverse("register"),
        {
            "first_name": "Robin",
            "last_name": "Hale",
            "email": "robin@example.test",
            "password1": "correct horse battery staple 42",
            "password2": "correct horse battery staple 42",
            "phone": "(518) 371-0420",
        },
    )
    assert response.status_code == 302
    assert ClientProfile.objects.get(user__email="robin@example.test").phone == "+15183710420"


@pytest.mark.django_db
def test_an_undiallable_number_is_a_form_error(client, personas):
    client.force_login(personas.client)
    before = personas.client.client_profile.phone
    response = client.post(
        reverse("client-profile"),
        {"phone": "12345", "preferred_language": "en", "reminder_channel": "email"},
    )
    assert response.status_code == 200
    assert "phone" in response.context["form"].errors
    assert ClientProfile.objects.get(user=personas.client).phone == before


@pytest.mark.django_db
def test_client_home_shows_the_phone_as_a_national_link(client, personas):
    profile = personas.client.client_profile
    profile.phone = "+15183710420"
    profile.save()
    client.force_login(personas.client)
    body = client.get(reverse("client-home")).content.decode()
    assert '<a href="tel:+15183710420">(518) 371-0420</a>' in body


@pytest.mark.django_db
def test_location_pages_show_a_zone_label_and_a_clickable_phone(client, personas):
    location = LocationFactory(time_zone=NY, phone="+15185870000")
    client.force_login(personas.clinic_admin)
    body = client.get(reverse("location-detail", args=[location.slug])).content.decode()
    assert '<a href="tel:+15185870000">(518) 587-0000</a>' in body
    assert "(New York time)" in body
    assert "(local time, America/New_York)" not in body
    listed = client.get(reverse("location-list")).content.decode()
    assert "New York time" in listed
    assert Location.objects.get(pk=location.pk).phone == "+15185870000"


@pytest.mark.django_db
def test_the_migration_stores_readable_numbers_as_e164_and_keeps_the_rest():
    import importlib

    from django.apps import apps

    from tests.factories import ClientFactory

    migration = importlib.import_module("clinic.migrations.0013_phones_stored_as_e164")
    typed = ClientFactory(email="typed@example.test").client_profile
    junk = ClientFactory(email="junk@example.test").client_profile
    ClientProfile.objects.filter(pk=typed.pk).update(phone="518-371-0420")
    ClientProfile.objects.filter(pk=junk.pk).update(phone="ask reception")
    location = LocationFactory(phone="(518) 587 0000")
    migration.normalise(apps, None)
    assert ClientProfile.objects.get(pk=typed.pk).phone == "+15183710420"
    assert ClientProfile.objects.get(pk=junk.pk).phone == "ask reception"
    assert Location.objects.get(pk=location.pk).phone == "+15185870000"
