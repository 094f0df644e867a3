"""Serializer fields that take whole numbers strictly, for every id and count the API reads.

DRF's own fields turn ``1.5`` into ``1`` (so ``"therapist": 1.5`` booked therapist 1), accept
``true`` and ``"1"`` in JSON, and hand ids beyond the database's integer range to a query
(a 500). Here a JSON number must be an integer within 64 bits; digits in a string are accepted
only where every value is a string, in query parameters.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import models
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

_DIGITS = re.compile(r"-?[0-9]{1,19}")
SMALLEST = -(2**63)
LARGEST = 2**63 - 1


def whole_number(field: serializers.Field, data: Any) -> int:
    """``data`` as an int if it is one; raises the field's ``invalid`` error otherwise."""
    root = field.root
    from_query = isinstance(getattr(root, "initial_data", None), QueryDict)
    if isinstance(data, int) and not isinstance(data, bool):
        value = data
    elif from_query and isinstance(data, str) and _DIGITS.fullmatch(data):
        value = int(data)
    else:
        raise serializers.ValidationError(_("A whole number is required."), code="invalid")
    if not SMALLEST <= value <= LARGEST:
        raise serializers.ValidationError(_("This number is out of range."), code="invalid")
    return value


def id_from_query(value: Any) -> int | None:
    """A positive 64-bit id from a query parameter, or None if ``value`` is not one."""
    if not isinstance(value, str) or not _DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if 1 <= number <= LARGEST else None


class WholeNumberField(serializers.IntegerField):
    """An integer: refuses ``1.5``, ``1e400``, ``true``, and ``"1"`` outside query parameters."""

    def to_internal_value(self, data: Any) -> int:
        return whole_number(self, data)


class PrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A related object by its id, with the id read as strictly as :class:`WholeNumberField`."""

    def to_internal_value(self, data: Any) -> Any:
        pk = whole_number(self, data)
        if pk < 1:
            self.fail("does_not_exist", pk_value=pk)
        return super().to_internal_value(pk)


class StrictModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose generated integer and foreign-key fields are the strict ones."""

    serializer_related_field = PrimaryKeyField
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.IntegerField: WholeNumberField,
        models.SmallIntegerField: WholeNumberField,
        models.BigIntegerField: WholeNumberField,
        models.PositiveIntegerField: WholeNumberField,
        models.PositiveSmallIntegerField: WholeNumberField,
        models.PositiveBigIntegerField: WholeNumberField,
    }
