"""The clinic policy is read from the cache between saves, and a save drops the cached copy."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clinic.models import ClinicPolicy

pytestmark = pytest.mark.django_db


def test_policy_is_read_once_then_served_from_the_cache() -> None:
    ClinicPolicy.load()  # creates the row: cached only after commit, never inside this test
    ClinicPolicy.load()  # reads the existing row and caches it
    with CaptureQueriesContext(connection) as captured:
        assert ClinicPolicy.load().slot_step_minutes == 15
    assert len(captured.captured_queries) == 0


def test_saving_the_policy_invalidates_the_cached_copy() -> None:
    policy = ClinicPolicy.load()
    policy.slot_step_minutes = 30
    policy.save()
    assert ClinicPolicy.load().slot_step_minutes == 30


def test_a_row_created_in_an_open_transaction_is_not_cached_before_commit() -> None:
    ClinicPolicy.load()
    with CaptureQueriesContext(connection) as captured:
        ClinicPolicy.load()
    assert len(captured.captured_queries) == 1
