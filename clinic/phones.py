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
    tel: str  # an RFC 3966 URI, or "" when the number cannot be dialled as typed


def phone_display(raw: str, region: str = DEFAULT_REGION) -> PhoneDisplay:
    """``+15183710420`` -> ``(518) 371-0420`` with ``tel:+1-518-371-0420``; junk stays as typed."""
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
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.RFC3966),
    )
