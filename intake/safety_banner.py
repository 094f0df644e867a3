"""The persistent safety banner a client sees while an EMERGENCY, URGENT or STOP level is open.

Registered with clinic's client notices from ``IntakeConfig.ready()``, so the client's home,
"My care" and the booking pages show it without importing intake.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from intake.gate import safety_advice_for


def safety_banner(user: Any) -> str:
    """The banner's HTML for ``user``, or "" when no refusing level is open."""
    advice = safety_advice_for(user)
    if advice is None:
        return ""
    return render_to_string("intake/_safety_banner.html", {"advice": advice})
