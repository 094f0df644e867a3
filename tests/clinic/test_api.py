from __future__ import annotations

import pytest
import yaml
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


def test_token_for_valid_credentials_authenticates_later_requests(personas, api_client):
    response = api_client.post(
        "/api/v1/auth/token/",
        {"email": personas.client.email.upper(), "password": personas.password},
        format="json",
    )
    assert response.status_code == 200
    token = response.json()["token"]

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/v1/").status_code == 200


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email": "client@example.test", "password": "wrong"}, "non_field_errors"),
        ({"email": "nobody@example.test", "password": "whatever"}, "non_field_errors"),
        ({"email": "not-an-email", "password": "x"}, "email"),
        ({"password": "x"}, "email"),
    ],
)
def test_bad_credentials_get_400_in_the_one_error_shape(personas, api_client, payload, field):
    response = api_client.post("/api/v1/auth/token/", payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["message"]
    assert field in body["fields"]


def test_inactive_user_gets_no_token(personas, api_client):
    personas.client.is_active = False
    personas.client.save()
    response = api_client.post(
        "/api/v1/auth/token/",
        {"email": personas.client.email, "password": personas.password},
        format="json",
    )
    assert response.status_code == 400


def test_unknown_endpoint_and_bad_token_use_the_error_shape(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = api_client.get("/api/v1/")
    assert response.status_code == 401
    assert set(response.json()) == {"code", "message", "fields"}


def test_schema_is_valid_openapi_3(api_client):
    response = api_client.get("/api/v1/schema/")
    assert response.status_code == 200
    document = yaml.safe_load(response.content)
    assert document["openapi"].startswith("3.")
    validate(document)
    assert "/api/v1/auth/token/" in document["paths"]


def test_docs_are_served_by_the_app_without_a_cdn(api_client, client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    for cdn in ("cdn.jsdelivr", "unpkg.com", "cdnjs"):
        assert cdn not in html
    assert (
        client.get(
            "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"
        ).status_code
        == 200
    )
