"""Phone numbers for people: national format for the clinic's own country, a tel: link.

Numbers are stored as typed (ideally E.164, e.g. +15183710420); this only displays them.
Pure module: no ORM.
"""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers

# The clinic's country; numbers from elsewhere are shown in international format.
DEFAULT_REGION = "US"


@dataclass(frozen=True)
class PhoneDisplay:
    text: str
    tel: str  # ``tel:`` and the E.164 number, or "" when the number cannot be dialled as typed


def phone_display(raw: str, region: str = DEFAULT_REGION) -> PhoneDisplay:
    """``+15183710420`` -> ``(518) 371-0420`` with ``tel:+15183710420``; junk stays as typed."""
    raw = (raw or "").strip()
    if not raw:
        return PhoneDisplay("", "")
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return PhoneDisplay(raw, "")
    if not phonenumbers.is_possible_number(number):
        return PhoneDisplay(raw, "")
    home = phonenumbers.region_code_for_number(number) == region
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if home
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return PhoneDisplay(
        phonenumbers.format_number(number, style),
        "tel:" + phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
    )


def phone_normalize(raw: str, region: str = DEFAULT_REGION) -> str | None:
    """The E.164 form of a typed number (``(518) 371-0420`` -> ``+15183710420``); None if invalid.

    An empty entry stays empty. Numbers are stored this way so every screen can format them.
    """
    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
