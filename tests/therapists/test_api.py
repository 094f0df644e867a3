"""The therapists API: public reads, filters, 400s, staff-only writes, flat query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from clinic.models import Role
from tests.factories import LocationFactory, OpeningHoursFactory, RoomFactory
from therapists.models import Condition, Shift, TimeOff

from .factories import (
    CredentialFactory,
    ServiceFactory,
    ShiftFactory,
    TherapistProfileFactory,
    TimeOffFactory,
    TrainingFactory,
    bookable_therapist,
    language,
    modality,
)

pytestmark = pytest.mark.django_db

THERAPISTS = "/api/v1/therapists/"


def ids(response):
    return sorted(row["id"] for row in response.json()["results"])


@pytest.fixture
def world():
    troy = LocationFactory(name="Troy", slug="troy")
    maya = bookable_therapist(display_name="Maya")
    maya.locations.set([troy])
    maya.languages.set([language("nl")])
    maya.modalities.set([modality("manual-mfr")])
    maya.conditions.set([Condition.objects.get(slug="tmj")])
    sam = TherapistProfileFactory(display_name="Sam")
    TrainingFactory(therapist=sam)
    CredentialFactory(therapist=sam)
    sam.modalities.set([modality("manual-mfr"), modality("pilates")])
    expired = TherapistProfileFactory(display_name="Grace")
    TrainingFactory(therapist=expired, verified=True)
    CredentialFactory(therapist=expired, expires_on=timezone.localdate() - dt.timedelta(days=1))
    expired.languages.set([language("nl")])
    return {"troy": troy, "maya": maya, "sam": sam, "grace": expired}


def test_list_is_public_with_flags(api_client, world):
    response = api_client.get(THERAPISTS)
    assert response.status_code == 200
    rows = {row["display_name"]: row for row in response.json()["results"]}
    assert (rows["Maya"]["trained_in_mfr"], rows["Maya"]["bookable"]) == (True, True)
    assert (rows["Sam"]["trained_in_mfr"], rows["Sam"]["bookable"]) == (False, False)
    assert (rows["Grace"]["trained_in_mfr"], rows["Grace"]["bookable"]) == (True, False)
    assert "user" not in rows["Maya"]
    assert "credentials" not in rows["Maya"]


@pytest.mark.parametrize(
    ("params", "who"),
    [
        ({"language": "nl"}, ["maya", "grace"]),
        ({"modality": "manual-mfr"}, ["maya"]),
        ({"modality": "pilates"}, ["sam"]),
        ({"language": "nl", "modality": "manual-mfr"}, ["maya"]),
    ],
)
def test_list_filters(api_client, world, params, who):
    response = api_client.get(THERAPISTS, params)
    assert ids(response) == sorted(world[name].pk for name in who)


def test_location_filter(api_client, world):
    assert ids(api_client.get(THERAPISTS, {"location": world["troy"].pk})) == [world["maya"].pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"location": "abc"}, "location"),
        ({"location": "999999"}, "location"),
        ({"language": "xx"}, "language"),
        ({"modality": "reiki"}, "modality"),
    ],
)
def test_bad_filter_is_400_naming_the_parameter(api_client, world, params, field):
    response = api_client.get(THERAPISTS, params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["fields"]) == [field]
    assert body["message"].startswith(f"{field}:")


def test_detail_masks_licence_and_lists_only_verified_training(api_client, world):
    maya = world["maya"]
    TrainingFactory(therapist=maya, course="Not yet checked")
    body = api_client.get(f"{THERAPISTS}{maya.pk}/").json()
    credential = maya.credentials.get()
    assert body["credentials"][0]["licence_number"] == "•••" + credential.licence_number[-4:]
    assert body["credentials"][0]["expired"] is False
    assert [t["course"] for t in body["verified_trainings"]] == [
        maya.trainings.get(verified_at__isnull=False).course
    ]


def test_detail_of_inactive_therapist_is_404(api_client, world):
    world["maya"].is_active = False
    world["maya"].save()
    assert api_client.get(f"{THERAPISTS}{world['maya'].pk}/").status_code == 404


def _grow(count):
    location = LocationFactory()
    for _ in range(count):
        profile = bookable_therapist()
        profile.locations.set([location])
        profile.languages.set([language("en")])
        profile.modalities.set([modality("manual-mfr")])
        profile.conditions.set([Condition.objects.get(slug="back-pain")])
        ServiceFactory().locations.set([location])
        loc = LocationFactory()
        RoomFactory(location=loc)
        OpeningHoursFactory(location=loc)


@pytest.mark.parametrize("count", [2, 10])
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        (THERAPISTS, 6),  # count + page + 4 prefetches
        (THERAPISTS + "?modality=manual-mfr&language=en", 8),  # + 2 filter lookups
        ("/api/v1/services/", 3),  # count + page + locations
        ("/api/v1/locations/", 3),  # count + page + opening hours
    ],
)
def test_list_query_counts_do_not_grow(api_client, django_assert_num_queries, count, url, queries):
    _grow(count)
    with django_assert_num_queries(queries):
        response = api_client.get(url)
    assert response.status_code == 200
    assert response.json()["count"] >= count


def test_services_public_see_online_only_staff_see_all(api_client, api_as, personas):
    online = ServiceFactory(name="MFR session")
    staff_only = ServiceFactory(name="Staff only", bookable_online=False)
    ServiceFactory(name="Retired", is_active=False)
    public = [row["id"] for row in api_client.get("/api/v1/services/").json()["results"]]
    assert public == [online.pk]
    staff = api_as(personas.front_desk).get("/api/v1/services/").json()["results"]
    assert sorted(row["id"] for row in staff) == sorted([online.pk, staff_only.pk])


def test_locations_have_rooms_zone_and_hours(api_client):
    troy = LocationFactory(name="Troy", slug="troy", time_zone="America/New_York")
    RoomFactory(location=troy)
    RoomFactory(location=troy)
    RoomFactory(location=troy, is_active=False)
    OpeningHoursFactory(location=troy, weekday=0)
    row = api_client.get("/api/v1/locations/").json()["results"][0]
    assert row["rooms_count"] == 2
    assert row["time_zone"] == "America/New_York"
    assert row["opening_hours"] == [{"weekday": 0, "opens": "08:00:00", "closes": "19:00:00"}]


# --- staff writes -----------------------------------------------------------------------------


def shift_payload(therapist, location, **overrides):
    return {
        "therapist": therapist.pk,
        "location": location.pk,
        "weekday": 1,
        "starts_at": "09:00",
        "ends_at": "13:00",
        "effective_from": "2026-01-05",
        **overrides,
    }


def test_admin_creates_shift_and_overlap_is_409_naming_it(api_as, personas):
    therapist = TherapistProfileFactory()
    troy = LocationFactory(name="Troy", slug="troy")
    clifton = LocationFactory(name="Clifton Park", slug="clifton-park")
    api = api_as(personas.clinic_admin)
    assert api.post("/api/v1/shifts/", shift_payload(therapist, troy)).status_code == 201

    response = api.post(
        "/api/v1/shifts/", shift_payload(therapist, clifton, starts_at="12:00", ends_at="15:00")
    )
    assert response.status_code == 409
    assert response.json()["code"] == "shift_overlap"
    assert "overlaps Tue 09:00\u201313:00 at Troy from 2026-01-05" in response.json()["message"]
    assert Shift.objects.count() == 1


def test_shift_bad_input_is_400_with_field(api_as, personas):
    therapist = TherapistProfileFactory()
    troy = LocationFactory()
    response = api_as(personas.clinic_admin).post(
        "/api/v1/shifts/", shift_payload(therapist, troy, starts_at="13:00", ends_at="09:00")
    )
    assert response.status_code == 400
    assert "ends_at" in response.json()["fields"]


def test_admin_patches_and_deletes_shift(api_as, personas):
    shift = ShiftFactory()
    api = api_as(personas.clinic_admin)
    response = api.patch(f"/api/v1/shifts/{shift.pk}/", {"ends_at": "14:00"})
    assert response.status_code == 200
    assert response.json()["ends_at"] == "14:00:00"
    assert api.delete(f"/api/v1/shifts/{shift.pk}/").status_code == 204
    assert not Shift.objects.exists()


@pytest.mark.parametrize("role", ["front_desk", "clinic_admin"])
def test_schedulers_manage_time_off(api_as, personas, role):
    therapist = TherapistProfileFactory()
    api = api_as(getattr(personas, role))
    response = api.post(
        "/api/v1/time-off/",
        {
            "therapist": therapist.pk,
            "starts_at": "2026-07-01T09:00:00-04:00",
            "ends_at": "2026-07-03T17:00:00-04:00",
            "kind": "vacation",
            "reason": "Beach",
        },
    )
    assert response.status_code == 201, response.json()
    block = TimeOff.objects.get()
    assert block.starts_at == dt.datetime(2026, 7, 1, 13, tzinfo=dt.UTC)
    assert api.patch(f"/api/v1/time-off/{block.pk}/", {"reason": "Lake"}).status_code == 200
    assert api.delete(f"/api/v1/time-off/{block.pk}/").status_code == 204


def test_time_off_end_before_start_is_400(api_as, personas):
    therapist = TherapistProfileFactory()
    response = api_as(personas.front_desk).post(
        "/api/v1/time-off/",
        {
            "therapist": therapist.pk,
            "starts_at": "2026-07-03T09:00:00Z",
            "ends_at": "2026-07-01T09:00:00Z",
            "kind": "vacation",
        },
    )
    assert response.status_code == 400
    assert "ends_at" in response.json()["fields"]


WRITE_ENDPOINTS = [
    ("get", "/api/v1/shifts/", {Role.CLINIC_ADMIN}),
    ("post", "/api/v1/shifts/", {Role.CLINIC_ADMIN}),
    ("get", "/api/v1/shifts/{shift}/", {Role.CLINIC_ADMIN}),
    ("patch", "/api/v1/shifts/{shift}/", {Role.CLINIC_ADMIN}),
    ("delete", "/api/v1/shifts/{shift}/", {Role.CLINIC_ADMIN}),
    ("get", "/api/v1/time-off/", {Role.FRONT_DESK, Role.CLINIC_ADMIN}),
    ("post", "/api/v1/time-off/", {Role.FRONT_DESK, Role.CLINIC_ADMIN}),
    ("get", "/api/v1/time-off/{block}/", {Role.FRONT_DESK, Role.CLINIC_ADMIN}),
    ("patch", "/api/v1/time-off/{block}/", {Role.FRONT_DESK, Role.CLINIC_ADMIN}),
    ("delete", "/api/v1/time-off/{block}/", {Role.FRONT_DESK, Role.CLINIC_ADMIN}),
]


@pytest.mark.parametrize(("method", "url", "allowed"), WRITE_ENDPOINTS)
@pytest.mark.parametrize("persona", ["client", "therapist", "front_desk", "clinic_admin", None])
def test_staff_endpoint_permissions(api_client, api_as, personas, method, url, allowed, persona):
    shift, block = ShiftFactory(), TimeOffFactory()
    api = api_client if persona is None else api_as(getattr(personas, persona))
    response = getattr(api, method)(url.format(shift=shift.pk, block=block.pk), {})
    if persona is None:
        assert response.status_code in {401, 403}
    elif getattr(personas, persona).role in allowed:
        assert response.status_code in {200, 204, 400}  # empty body on POST is a 400, not a 403
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("url", [THERAPISTS, "/api/v1/services/", "/api/v1/locations/"])
@pytest.mark.parametrize("persona", ["client", "therapist", "front_desk", "clinic_admin", None])
def test_public_endpoints_open_to_everyone(api_client, api_as, personas, url, persona):
    api = api_client if persona is None else api_as(getattr(personas, persona))
    assert api.get(url).status_code == 200


def test_public_detail_open_to_anonymous(api_client, world):
    assert api_client.get(f"{THERAPISTS}{world['maya'].pk}/").status_code == 200


def test_schema_is_valid(api_client):
    response = api_client.get("/api/v1/schema/")
    assert response.status_code == 200


SEARCH = "/api/v1/therapists/search/"


def test_condition_search_goes_in_the_body(api_client, world):
    # A condition is health data: searched by POST body, never put in a URL or a log line.
    response = api_client.post(SEARCH, {"condition": "tmj"}, format="json")
    assert response.status_code == 200
    assert ids(response) == [world["maya"].pk]
    both = api_client.post(SEARCH, {"condition": "tmj", "language": "nl"}, format="json")
    assert ids(both) == [world["maya"].pk]


def test_a_condition_in_the_url_is_refused_with_where_to_send_it(api_client, world):
    response = api_client.get(THERAPISTS, {"condition": "tmj"})
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["condition"]
    assert "POST /api/v1/therapists/search/" in response.json()["fields"]["condition"][0]


def test_an_unknown_condition_in_the_search_is_400_naming_it(api_client, world):
    response = api_client.post(SEARCH, {"condition": "gout"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["condition"]
