"""The API's one parser and its strict number fields: every bad body is a 4xx in the error shape."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.http import QueryDict
from rest_framework import serializers

from clinic.api.fields import PrimaryKeyField, WholeNumberField
from clinic.api.parsers import control_character_paths, nesting_depth_exceeds
from clinic.models import User

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    # Many posts to the token view here; its per-minute throttle lives in the cache.
    cache.clear()
    yield
    cache.clear()


def _error_shape(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["message"]
    return body


def test_a_body_over_the_bound_is_413_in_the_error_shape(client, settings):
    body = json.dumps({"email": "a@example.test", "password": "x" * 3_000_000})
    response = client.post(TOKEN_URL, body, content_type="application/json")
    assert _error_shape(response, 413)["code"] == "too_large"


def test_the_bound_is_a_setting(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    body = json.dumps({"email": "a@example.test", "password": "x" * 3000})
    assert client.post(TOKEN_URL, body, content_type="application/json").status_code == 413


@pytest.mark.parametrize("depth", [101, 50_000])
def test_deep_nesting_is_400(client, depth):
    body = '{"email": ' + "[" * depth + "]" * depth + "}"
    response = client.post(TOKEN_URL, body, content_type="application/json")
    assert "nests deeper" in _error_shape(response, 400)["message"]


def test_nesting_inside_strings_does_not_count():
    assert not nesting_depth_exceeds('{"a": "' + "[" * 500 + '\\"["}', 100)
    assert nesting_depth_exceeds("[" * 101 + "]" * 101, 100)
    assert not nesting_depth_exceeds("[" * 100 + "]" * 100, 100)


@pytest.mark.parametrize("number", ["1e400", "-1e400", "NaN", "Infinity"])
def test_numbers_json_cannot_hold_are_400(client, number):
    body = '{"email": "a@example.test", "password": ' + number + "}"
    response = client.post(TOKEN_URL, body, content_type="application/json")
    assert _error_shape(response, 400)["code"] == "parse_error"


@pytest.mark.parametrize(
    "value", ["a@example.test\x00", "a\x01@example.test", "\x1b[31m@example.test", "x\x7f"]
)
def test_strings_with_control_characters_are_400_naming_the_field(client, value):
    response = client.post(
        TOKEN_URL, json.dumps({"email": value, "password": "x"}), content_type="application/json"
    )
    body = _error_shape(response, 400)
    assert body["code"] == "invalid"
    assert "email" in body["fields"]


def test_control_characters_are_found_at_any_depth_and_in_keys():
    data = {"answers": {"pain": ["ok", "bad\x00"], "k\x00": "v"}, "note": "line\nnext\tcol\r"}
    assert sorted(control_character_paths(data)) == ["answers", "answers.pain.1"]


def test_invalid_json_and_other_media_types_are_4xx_in_the_error_shape(client):
    _error_shape(client.post(TOKEN_URL, "{", content_type="application/json"), 400)
    _error_shape(client.post(TOKEN_URL, {"email": "a@example.test", "password": "x"}), 415)
    bad_utf8 = b'{"email": "\xff"}'
    _error_shape(client.post(TOKEN_URL, bad_utf8, content_type="application/json"), 400)


class _Numbers(serializers.Serializer):
    count = WholeNumberField(required=False)
    user = PrimaryKeyField(queryset=User.objects.all(), required=False)


@pytest.mark.parametrize("value", [1.5, 1.0, True, "1", "1.5", None, [1], 2**63, -(2**63) - 1])
@pytest.mark.parametrize("name", ["count", "user"])
def test_json_numbers_must_be_whole_and_in_range(name, value):
    data = _Numbers(data={name: value})
    assert not data.is_valid()
    assert name in data.errors


def test_whole_numbers_pass_and_query_strings_may_spell_them(personas):
    data = _Numbers(data={"count": 7, "user": personas.client.pk})
    assert data.is_valid(), data.errors
    assert data.validated_data == {"count": 7, "user": personas.client}

    query = _Numbers(data=QueryDict(f"count=7&user={personas.client.pk}"))
    assert query.is_valid(), query.errors
    for bad in ("count=1.5", "count=1e400", "user=99999999999999999999", "user=0", "count=٣"):
        assert not _Numbers(data=QueryDict(bad)).is_valid(), bad


API_SERIALIZER_MODULES = [
    "clinic.api.views",
    "booking.api.serializers",
    "intake.api.serializers",
    "intake.api.outcomes",
    "therapists.api.serializers",
]


def _api_serializers():
    import importlib
    import inspect

    for name in API_SERIALIZER_MODULES:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, serializers.BaseSerializer) and cls.__module__ == name:
                yield cls


@pytest.mark.parametrize("serializer", list(_api_serializers()), ids=lambda cls: cls.__name__)
def test_every_writable_id_and_count_in_the_api_is_strict(serializer):
    for name, field in serializer().fields.items():
        if field.read_only:
            continue
        if isinstance(field, serializers.ManyRelatedField):
            field = field.child_relation
        if isinstance(field, serializers.PrimaryKeyRelatedField):
            assert isinstance(field, PrimaryKeyField), f"{serializer.__name__}.{name}"
        if isinstance(field, serializers.IntegerField):
            assert isinstance(field, WholeNumberField), f"{serializer.__name__}.{name}"
