"""The OpenAPI document describes what the endpoints really answer (clinic/api/schema.py)."""

from __future__ import annotations

import pytest
import yaml
from django.urls import reverse

from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

ERROR_REF = "#/components/schemas/Error"


@pytest.fixture(scope="module")
def document(django_db_blocker):
    from rest_framework.test import APIClient

    with django_db_blocker.unblock():
        return yaml.safe_load(APIClient().get("/api/v1/schema/").content)


def _errors(operation):
    return {
        code
        for code, response in operation["responses"].items()
        if response.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")
        == ERROR_REF
    }


def test_the_error_shape_is_one_component(document):
    error = document["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"code", "message", "fields"}
    assert error["properties"]["fields"]["additionalProperties"]["type"] == "array"


def test_every_operation_documents_its_errors_in_the_error_shape(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            errors = _errors(operation)
            if path != "/api/v1/auth/token/":
                assert "401" in errors, (method, path)
            if "{" in path:
                assert "404" in errors, (method, path)
            if method in ("post", "put", "patch"):
                assert {"400", "413"} <= errors, (method, path)


def test_role_checked_endpoints_document_403_and_public_ones_do_not(document):
    assert "403" in _errors(document["paths"]["/api/v1/intake/responses/{id}/"]["get"])
    assert "403" not in _errors(document["paths"]["/api/v1/therapists/"]["get"])


def test_sign_in_documents_throttling_and_lockout(document):
    assert {"400", "413", "429"} <= _errors(document["paths"]["/api/v1/auth/token/"]["post"])


def test_booking_writes_document_the_conflict(document):
    for path, method in [
        ("/api/v1/appointments/", "post"),
        ("/api/v1/appointments/{id}/reschedule/", "post"),
        ("/api/v1/waitlist/offers/{id}/accept/", "post"),
        ("/api/v1/shifts/", "post"),
    ]:
        assert "409" in _errors(document["paths"][path][method]), path


def test_list_endpoints_are_documented_as_the_objects_they_return(document, client):
    page = document["paths"]["/api/v1/appointments/"]["get"]["responses"]["200"]
    schema = page["content"]["application/json"]["schema"]
    component = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    assert {"count", "next", "previous", "results"} <= set(component["properties"])
    assert component["properties"]["results"]["type"] == "array"
    names = {p["name"] for p in document["paths"]["/api/v1/appointments/"]["get"]["parameters"]}
    assert {"limit", "offset"} <= names

    client.force_login(ClientFactory())
    body = client.get(reverse("api:appointments")).json()
    assert set(body) == {"count", "next", "previous", "results"}

    for path, key in [("/api/v1/care-plans/", "results"), ("/api/v1/waitlist/", "results")]:
        schema = document["paths"][path]["get"]["responses"]["200"]["content"]
        ref = schema["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        assert document["components"]["schemas"][ref]["properties"][key]["type"] == "array"
        assert set(client.get(path).json()) == {key}


def test_local_times_are_documented_without_an_offset(document):
    opens = document["components"]["schemas"]["OpeningHours"]["properties"]["opens"]
    assert "format" not in opens
    assert opens["pattern"].startswith("^")


def test_an_unknown_api_path_answers_404_in_the_error_shape(client):
    for path in (
        "/api/v1/appointments/-1/",
        "/api/v1/nothing-here/",
        "/api/v1/shifts/1e3/",
        "/api/v1/shifts/%0A/",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json() == {"code": "not_found", "message": "Not found.", "fields": {}}


def test_an_unknown_api_path_answers_404_to_a_signed_in_write_too(client):
    client.force_login(ClientFactory())
    csrf_client = type(client)(enforce_csrf_checks=True)
    csrf_client.cookies = client.cookies
    response = csrf_client.delete("/api/v1/shifts/-1/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
