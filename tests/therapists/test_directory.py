"""The public directory: exact filtering, the MFR guarantee, and a query count that stays flat."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import LocationFactory
from therapists.models import Condition, TherapistProfile
from therapists.views import DIRECTORY_PER_PAGE

from .factories import (
    TherapistProfileFactory,
    TrainingFactory,
    bookable_therapist,
    language,
    modality,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    troy = LocationFactory(name="Troy", slug="troy")
    clifton = LocationFactory(name="Clifton Park", slug="clifton-park")
    tmj, back = Condition.objects.get(slug="tmj"), Condition.objects.get(slug="back-pain")

    maya = bookable_therapist(display_name="Maya")
    maya.locations.set([troy, clifton])
    maya.languages.set([language("en"), language("nl")])
    maya.modalities.set([modality("manual-mfr")])
    maya.conditions.set([back])

    daniel = bookable_therapist(display_name="Daniel")
    daniel.locations.set([troy])
    daniel.languages.set([language("en")])
    daniel.modalities.set([modality("manual-mfr"), modality("active-release")])
    daniel.conditions.set([tmj, back])

    # Claims manual MFR but her only training is unverified.
    sam = TherapistProfileFactory(display_name="Sam")
    TrainingFactory(therapist=sam)
    sam.locations.set([troy])
    sam.languages.set([language("es")])
    sam.modalities.set([modality("manual-mfr"), modality("sports-massage")])
    sam.conditions.set([tmj])

    gone = bookable_therapist(display_name="Gone", is_active=False)
    gone.modalities.set([modality("manual-mfr")])
    return {"troy": troy, "clifton": clifton, "maya": maya, "daniel": daniel, "sam": sam}


def names(response):
    return sorted(t.display_name for t in response.context["therapists"])


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Daniel", "Maya", "Sam"]),
        ({"condition": "tmj"}, ["Daniel", "Sam"]),
        ({"condition": "back-pain"}, ["Daniel", "Maya"]),
        ({"language": "nl"}, ["Maya"]),
        ({"language": "es"}, ["Sam"]),
        ({"modality": "sports-massage"}, ["Sam"]),
        ({"modality": "manual-mfr"}, ["Daniel", "Maya"]),
        ({"modality": "manual-mfr", "condition": "tmj"}, ["Daniel"]),
        ({"condition": "tmj", "language": "nl"}, []),
    ],
)
def test_directory_filters_return_exactly_the_matching_therapists(client, world, params, expected):
    response = client.post(reverse("therapists:directory"), params)
    assert response.status_code == 200
    assert names(response) == expected


def test_location_filter(client, world):
    response = client.post(reverse("therapists:directory"), {"location": world["clifton"].pk})
    assert names(response) == ["Maya"]


def test_mfr_filter_never_lists_untrained_therapist(client, world):
    for slug in ("manual-mfr", "structural-mfr"):
        world["sam"].modalities.add(modality(slug))
        response = client.post(reverse("therapists:directory"), {"modality": slug})
        assert "Sam" not in names(response)


def test_verified_marker_only_on_trained_therapists(client, world):
    page = client.get(reverse("therapists:directory")).content.decode()
    cards = {
        card.split("</a>")[0].rsplit(">", 1)[-1]: card
        for card in page.split('class="card therapist-card"')[1:]
    }
    assert "Trained in MFR ✓ (verified)" in cards["Maya"]
    assert "Trained in MFR ✓ (verified)" not in cards["Sam"]


def test_unknown_filter_value_is_a_form_error(client, world):
    response = client.post(reverse("therapists:directory"), {"condition": "gout"})
    assert response.status_code == 400
    assert "No condition with that slug." in response.content.decode()


def test_profile_shows_verified_training_and_masked_credentials(client, world):
    maya = world["maya"]
    TrainingFactory(therapist=maya, course="Unchecked course")
    credential = maya.credentials.get()
    page = client.get(reverse("therapists:profile", args=[maya.pk])).content.decode()
    verified = maya.trainings.get(verified_at__isnull=False)
    assert verified.course in page
    assert "Unchecked course" not in page
    assert credential.licence_number not in page
    assert credential.licence_number[-4:] in page
    assert credential.jurisdiction in page
    assert "Ask the front desk" in page


def test_inactive_profile_is_404(client, world):
    gone = world["maya"].__class__.objects.get(display_name="Gone")
    assert client.get(reverse("therapists:profile", args=[gone.pk])).status_code == 404


def _add_therapists(count, location):
    for _ in range(count):
        profile = bookable_therapist()
        profile.locations.set([location])
        profile.languages.set([language("en")])
        profile.modalities.set([modality("manual-mfr")])
        profile.conditions.set([Condition.objects.get(slug="neck-pain")])


@pytest.mark.parametrize("count", [2, 10, 25])
def test_directory_query_count_does_not_grow(client, django_assert_num_queries, count):
    _add_therapists(count, LocationFactory())
    # session-less anonymous request: 1 count + 1 page of therapists + 4 prefetches
    # + 4 filter option lists
    with django_assert_num_queries(10):
        response = client.get(reverse("therapists:directory"))
    assert len(response.context["therapists"]) == min(count, DIRECTORY_PER_PAGE)


def _card_names(response):
    return [t.display_name for t in response.context["therapists"]]


def test_page_two_shows_the_next_therapists(client):
    _add_therapists(DIRECTORY_PER_PAGE + 3, LocationFactory())
    everyone = list(
        TherapistProfile.objects.filter(is_active=True).values_list("display_name", flat=True)
    )
    first = client.get(reverse("therapists:directory"))
    second = client.get(reverse("therapists:directory"), {"page": 2})
    assert _card_names(first) == everyone[:DIRECTORY_PER_PAGE]
    assert _card_names(second) == everyone[DIRECTORY_PER_PAGE:]
    assert 'href="?page=2"' in first.content.decode()
    assert 'href="?page=1"' in second.content.decode()


@pytest.mark.parametrize(("asked", "expected"), [("abc", 1), ("0", 2), ("-1", 2), ("99", 2)])
def test_a_bad_page_number_gives_a_page_not_an_error(client, asked, expected):
    _add_therapists(DIRECTORY_PER_PAGE + 1, LocationFactory())
    response = client.get(reverse("therapists:directory"), {"page": asked})
    assert response.status_code == 200
    # Not a number: the first page; out of range: the last (Paginator.get_page).
    assert response.context["page"].number == expected


def test_a_filtered_list_pages_by_post_and_keeps_its_filters_out_of_urls(client):
    place = LocationFactory()
    _add_therapists(DIRECTORY_PER_PAGE + 2, place)
    _add_therapists(3, LocationFactory())  # neck pain too, elsewhere
    url = reverse("therapists:directory")
    filters = {"condition": "neck-pain", "location": place.pk}
    first = client.post(url, filters)
    page = first.content.decode()
    assert len(_card_names(first)) == DIRECTORY_PER_PAGE
    assert "?page=" not in page
    assert "condition=" not in page
    assert '<input type="hidden" name="condition" value="neck-pain">' in page
    assert f'<input type="hidden" name="location" value="{place.pk}">' in page
    assert '<button type="submit" name="page" value="2">' in page
    second = client.post(url, {**filters, "page": 2})
    assert second.status_code == 200
    assert len(_card_names(second)) == 2
    assert all(place in t.locations.all() for t in second.context["therapists"])


def test_the_filter_form_posts_and_a_condition_in_the_query_string_is_ignored(client, world):
    page = client.get(reverse("therapists:directory"), {"condition": "tmj"})
    assert names(page) == ["Daniel", "Maya", "Sam"]
    assert 'method="post"' in page.content.decode()
