"""Who gets what, for every route the URL configuration has and every kind of person.

Generated from the URL configuration: a route without a row here fails
``test_every_route_has_a_row``. Each row names the objects its ids point at (client A's
records, treated by the treating therapist; see tests/access_world.py) and the answer each
persona gets to a GET:

    LOGIN   redirect to the sign-in page          3xx  another redirect
    200 / 401 / 403 / 404 / 405 ...              that status

Every HTML page any persona can open is also checked for the Content-Security-Policy header and
for inline script or style (tests/inline_code.py).
"""

from __future__ import annotations

import functools
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.access_world import PERSONAS, World, build_world, sign_in
from tests.inline_code import inline_code

LOGIN = "LOGIN"
REDIRECT = "3xx"


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            found += _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            found.append((name or route, route))
    return found


@functools.cache
def routes() -> dict[str, str]:
    """Every route as {name (or its pattern when unnamed): pattern}; the first of a name wins,
    as it does when Django resolves a path."""
    table: dict[str, str] = {}
    for key, route in _walk(get_resolver().url_patterns):
        table.setdefault(key, route)
    return table


def _url(route: str, ids: str, world: World) -> str:
    values = {}
    for pair in filter(None, ids.split(",")):
        name, _, value = pair.partition("=")
        values[name] = world.kwargs.get(value, value)
    route = route.removeprefix("^").removesuffix("$").removesuffix("\\Z")
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: f"<{m.group(1)}>", route)
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)


def _answer(response: Any) -> str:
    if response.status_code in (301, 302, 303, 307, 308):
        location = response["Location"]
        if location.startswith(("/accounts/login/", "/admin/login/")):
            return LOGIN
        return REDIRECT
    return str(response.status_code)


# Every route but the admin's. ids: which of client A's objects each part of the path names
# (tests/access_world.py); a token that is not one where a route takes a signed token.
# Personas: anonymous, client A, client B, the treating therapist (T), another therapist (OT),
# front desk (FD), clinic admin. A GET to a POST-only route answers 405 once the sign-in and
# role checks have passed.
# fmt: off
MATRIX: dict[str, tuple[str, str, str, str, str, str, str, str]] = {
    # route                           ids                               anon     A        B        T        OT       FD       admin
    "healthz":                        ("",                               "200",   "200",   "200",   "200",   "200",   "200",   "200"),
    "api:root":                       ("",                               "200",   "200",   "200",   "200",   "200",   "200",   "200"),
    "api:auth-token":                 ("",                               "405",   "405",   "405",   "405",   "405",   "405",   "405"),
    "api:schema":                     ("",                               "200",   "200",   "200",   "200",   "200",   "200",   "200"),
    "api:docs":                       ("",                               "200",   "200",   "200",   "200",   "200",   "200",   "200"),
    "api:therapist-list":             ("",                               "200",   "200",   "200",   "200",   "200",   "200",   "200"),
    "api:therapist-detail":           ("pk=therapist",                   "200",   "200",   "200",   "200",   "200",   "200",   "200"),
    "api:service-list":               ("",                               "200",   "200",   "200",   "200",   "200",   "200",   "200"),
    "api:location-list":              ("",                               "200",   "200",   "200",   "200",   "200",   "200",   "200"),
    "api:shift-list":                 ("",                               "401",   "403",   "403",   "403",   "403",   "403",   "200"),
    "api:shift-detail":               ("pk=shift",                       "401",   "403",   "403",   "403",   "403",   "403",   "200"),
    "api:time-off-list":              ("",                               "401",   "403",   "403",   "403",   "403",   "200",   "200"),
    "api:time-off-detail":            ("pk=time_off",                    "401",   "403",   "403",   "403",   "403",   "200",   "200"),
    "api:intake-questionnaire":       ("",                               "200",   "200",   "200",   "200",   "200",   "200",   "200"),
    "api:intake-me":                  ("",                               "401",   "200",   "404",   "403",   "403",   "403",   "403"),
    "api:intake-me-submit":           ("",                               "401",   "405",   "405",   "403",   "403",   "403",   "403"),
    "api:intake-me-screening":        ("",                               "401",   "200",   "404",   "403",   "403",   "403",   "403"),
    "api:intake-responses":           ("",                               "401",   "403",   "403",   "200",   "200",   "403",   "200"),
    "api:intake-response":            ("pk=intake_response",             "401",   "403",   "403",   "200",   "404",   "403",   "200"),
    "api:intake-response-decisions":  ("pk=intake_response",             "401",   "403",   "403",   "405",   "405",   "403",   "405"),
    "api:intake-response-fhir":       ("pk=intake_response",             "401",   "200",   "404",   "200",   "404",   "403",   "200"),
    "api:intake-statuses":            ("",                               "401",   "403",   "403",   "403",   "403",   "400",   "400"),
    "api:outcome-submit":             ("",                               "401",   "405",   "405",   "405",   "405",   "403",   "405"),
    "api:outcome-trend":              ("",                               "401",   "200",   "200",   "400",   "400",   "403",   "400"),
    "api:outcome-due":                ("",                               "401",   "200",   "200",   "400",   "400",   "403",   "400"),
    "api:availability":               ("",                               "400",   "400",   "400",   "400",   "400",   "400",   "400"),
    "api:availability-days":          ("",                               "400",   "400",   "400",   "400",   "400",   "400",   "400"),
    "api:matches":                    ("",                               "401",   "400",   "400",   "403",   "403",   "403",   "403"),
    "api:appointments":               ("",                               "401",   "200",   "200",   "200",   "200",   "200",   "200"),
    "api:appointment":                ("pk=appointment",                 "401",   "200",   "404",   "200",   "404",   "200",   "200"),
    "api:appointment-cancel":         ("pk=appointment",                 "401",   "405",   "405",   "405",   "405",   "405",   "405"),
    "api:appointment-reschedule":     ("pk=appointment",                 "401",   "405",   "405",   "405",   "405",   "405",   "405"),
    "api:appointment-no-show":        ("pk=appointment",                 "401",   "403",   "403",   "405",   "405",   "405",   "405"),
    "api:appointment-decide":         ("pk=appointment",                 "401",   "405",   "405",   "405",   "405",   "405",   "405"),
    "api:appointment-ics":            ("pk=appointment",                 "401",   "200",   "404",   "200",   "404",   "200",   "200"),
    "api:care-plans":                 ("",                               "401",   "200",   "200",   "200",   "200",   "200",   "200"),
    "api:care-plan":                  ("pk=care_plan",                   "401",   "200",   "404",   "200",   "404",   "200",   "200"),
    "api:care-plan-book":             ("pk=care_plan",                   "401",   "405",   "405",   "405",   "405",   "405",   "405"),
    "api:waitlist":                   ("",                               "401",   "200",   "200",   "200",   "200",   "200",   "200"),
    "api:waitlist-leave":             ("pk=waitlist_entry",              "401",   "405",   "405",   "405",   "405",   "405",   "405"),
    "api:waitlist-offer-accept":      ("pk=waitlist_offer",              "401",   "405",   "405",   "403",   "403",   "403",   "403"),
    "api:not-found":                  ("path=nothing-here/",             "404",   "404",   "404",   "404",   "404",   "404",   "404"),
    "index":                          ("",                               "200",   "200",   "200",   "200",   "200",   "200",   "200"),
    "set-language":                   ("",                               "405",   "405",   "405",   "405",   "405",   "405",   "405"),
    "home":                           ("",                               "LOGIN", "3xx",   "3xx",   "3xx",   "3xx",   "3xx",   "3xx"),
    "client-home":                    ("",                               "LOGIN", "200",   "200",   "403",   "403",   "403",   "403"),
    "client-profile":                 ("",                               "LOGIN", "200",   "200",   "403",   "403",   "403",   "403"),
    "therapist-home":                 ("",                               "LOGIN", "403",   "403",   "200",   "200",   "403",   "403"),
    "front-desk-home":                ("",                               "LOGIN", "403",   "403",   "403",   "403",   "200",   "403"),
    "clinic-admin-home":              ("",                               "LOGIN", "403",   "403",   "403",   "403",   "403",   "200"),
    "invitation-list":                ("",                               "LOGIN", "403",   "403",   "403",   "403",   "403",   "200"),
    "invitation-revoke":              ("pk=invitation",                  "405",   "405",   "405",   "405",   "405",   "405",   "405"),
    "location-list":                  ("",                               "LOGIN", "403",   "403",   "403",   "403",   "403",   "200"),
    "location-create":                ("",                               "LOGIN", "403",   "403",   "403",   "403",   "403",   "200"),
    "location-detail":                ("slug=location",                  "LOGIN", "403",   "403",   "403",   "403",   "403",   "200"),
    "location-edit":                  ("slug=location",                  "LOGIN", "403",   "403",   "403",   "403",   "403",   "200"),
    "opening-hours-edit":             ("slug=location",                  "LOGIN", "403",   "403",   "403",   "403",   "403",   "200"),
    "room-edit":                      ("slug=location,pk=room",          "LOGIN", "403",   "403",   "403",   "403",   "403",   "200"),
    "policy-edit":                    ("",                               "LOGIN", "403",   "403",   "403",   "403",   "403",   "200"),
    "login":                          ("",                               "200",   "3xx",   "3xx",   "3xx",   "3xx",   "3xx",   "3xx"),
    "password_reset":                 ("",                               "200",   "200",   "200",   "200",   "200",   "200",   "200"),
    "register":                       ("",                               "200",   "3xx",   "3xx",   "3xx",   "3xx",   "3xx",   "3xx"),
    "register-done":                  ("",                               "200",   "200",   "200",   "200",   "200",   "200",   "200"),
    "resend-verification":            ("",                               "200",   "200",   "200",   "200",   "200",   "200",   "200"),
    "verify-email":                   ("token=not-a-token",              "400",   "400",   "400",   "400",   "400",   "400",   "400"),
    "invitation-accept":              ("token=not-a-token",              "404",   "404",   "404",   "404",   "404",   "404",   "404"),
    "logout":                         ("",                               "405",   "405",   "405",   "405",   "405",   "405",   "405"),
    "password_change":                ("",                               "LOGIN", "200",   "200",   "200",   "200",   "200",   "200"),
    "password_change_done":           ("",                               "LOGIN", "200",   "200",   "200",   "200",   "200",   "200"),
    "password_reset_done":            ("",                               "200",   "200",   "200",   "200",   "200",   "200",   "200"),
    "password_reset_confirm":         ("uidb64=MQ,token=not-a-token",    "200",   "200",   "200",   "200",   "200",   "200",   "200"),
    "password_reset_complete":        ("",                               "200",   "200",   "200",   "200",   "200",   "200",   "200"),
    "therapists:directory":           ("",                               "200",   "200",   "200",   "200",   "200",   "200",   "200"),
    "therapists:profile":             ("pk=therapist",                   "200",   "200",   "200",   "200",   "200",   "200",   "200"),
    "therapists:me":                  ("",                               "LOGIN", "403",   "403",   "200",   "200",   "403",   "403"),
    "therapists:me-training-create":  ("",                               "LOGIN", "403",   "403",   "200",   "200",   "403",   "403"),
    "therapists:manage":              ("",                               "LOGIN", "403",   "403",   "403",   "403",   "403",   "200"),
    "therapists:manage-create":       ("",                               "LOGIN", "403",   "403",   "403",   "403",   "403",   "200"),
    "therapists:manage-therapist":    ("pk=therapist",                   "LOGIN", "403",   "403",   "403",   "403",   "403",   "200"),
    "therapists:manage-edit":         ("pk=therapist",                   "LOGIN", "403",   "403",   "403",   "403",   "403",   "200"),
    "therapists:credential-create":   ("pk=therapist",                   "LOGIN", "403",   "403",   "403",   "403",   "403",   "200"),
    "therapists:credential-edit":     ("pk=credential",                  "LOGIN", "403",   "403",   "403",   "403",   "403",   "200"),
    "therapists:credential-delete":   ("pk=credential",                  "LOGIN", "403",   "403",   "403",   "403",   "403",   "200"),
    "therapists:training-create":     ("pk=therapist",                   "LOGIN", "403",   "403",   "403",   "403",   "403",   "200"),
    "therapists:training-verify":     ("pk=training",                    "LOGIN", "403",   "403",   "403",   "403",   "403",   "200"),
    "therapists:training-unverify":   ("pk=training",                    "LOGIN", "403",   "403",   "403",   "403",   "403",   "405"),
    "therapists:shift-create":        ("pk=therapist",                   "LOGIN", "403",   "403",   "403",   "403",   "403",   "200"),
    "therapists:shift-edit":          ("pk=shift",                       "LOGIN", "403",   "403",   "403",   "403",   "403",   "200"),
    "therapists:shift-delete":        ("pk=shift",                       "LOGIN", "403",   "403",   "403",   "403",   "403",   "200"),
    "therapists:services":            ("",                               "LOGIN", "403",   "403",   "403",   "403",   "403",   "200"),
    "therapists:service-create":      ("",                               "LOGIN", "403",   "403",   "403",   "403",   "403",   "200"),
    "therapists:service-edit":        ("pk=service",                     "LOGIN", "403",   "403",   "403",   "403",   "403",   "200"),
    "therapists:time-off":            ("",                               "LOGIN", "403",   "403",   "403",   "403",   "200",   "200"),
    "therapists:time-off-create":     ("",                               "LOGIN", "403",   "403",   "403",   "403",   "200",   "200"),
    "therapists:time-off-edit":       ("pk=time_off",                    "LOGIN", "403",   "403",   "403",   "403",   "200",   "200"),
    "therapists:time-off-delete":     ("pk=time_off",                    "LOGIN", "403",   "403",   "403",   "403",   "200",   "200"),
    "therapists:closure-create":      ("",                               "LOGIN", "403",   "403",   "403",   "403",   "200",   "200"),
    "therapists:closure-delete":      ("pk=closure",                     "LOGIN", "403",   "403",   "403",   "403",   "200",   "200"),
    "intake:home":                    ("",                               "LOGIN", "200",   "200",   "403",   "403",   "403",   "403"),
    "intake:start":                   ("",                               "405",   "405",   "405",   "405",   "405",   "405",   "405"),
    "intake:step":                    ("step=about",                     "LOGIN", "200",   "404",   "403",   "403",   "403",   "403"),
    "intake:check":                   ("",                               "LOGIN", "200",   "404",   "403",   "403",   "403",   "403"),
    "intake:submit":                  ("",                               "405",   "405",   "405",   "405",   "405",   "405",   "405"),
    "intake:new-condition":           ("",                               "405",   "405",   "405",   "405",   "405",   "405",   "405"),
    "intake:fhir":                    ("pk=intake_response",             "LOGIN", "200",   "404",   "200",   "404",   "403",   "200"),
    "intake:questionnaire-fhir":      ("",                               "200",   "200",   "200",   "200",   "200",   "200",   "200"),
    "intake:review-queue":            ("",                               "LOGIN", "403",   "403",   "200",   "200",   "403",   "200"),
    "intake:review-detail":           ("pk=intake_response",             "LOGIN", "403",   "403",   "200",   "404",   "403",   "200"),
    "intake:statuses":                ("",                               "LOGIN", "403",   "403",   "403",   "403",   "200",   "200"),
    "intake:my-outcomes":             ("",                               "LOGIN", "200",   "200",   "403",   "403",   "403",   "403"),
    "intake:answer-outcome":          ("code=nprs",                      "LOGIN", "200",   "200",   "403",   "403",   "403",   "403"),
    "intake:client-outcomes":         ("client_id=client_a",             "LOGIN", "403",   "403",   "200",   "404",   "403",   "200"),
    "booking:start":                  ("",                               "200",   "200",   "200",   "200",   "200",   "200",   "200"),
    # Without a reason posted to the start page first, the finder sends the client back there.
    "booking:find":                   ("",                               "LOGIN", "3xx",   "3xx",   "403",   "403",   "403",   "403"),
    "booking:confirm":                ("",                               "LOGIN", "400",   "400",   "403",   "403",   "403",   "403"),
    "booking:appointments":           ("",                               "LOGIN", "200",   "200",   "200",   "200",   "200",   "200"),
    "booking:appointment":            ("pk=appointment",                 "LOGIN", "200",   "404",   "200",   "404",   "200",   "200"),
    "booking:appointment-ics":        ("pk=appointment",                 "LOGIN", "200",   "404",   "200",   "404",   "200",   "200"),
    # GET asks for confirmation (or goes back to the appointment); outsiders get 404.
    "booking:appointment-cancel":     ("pk=appointment",                 "LOGIN", "3xx",   "404",   "3xx",   "404",   "3xx",   "3xx"),
    "booking:appointment-reschedule": ("pk=appointment",                 "LOGIN", "200",   "404",   "200",   "404",   "200",   "200"),
    "booking:appointment-no-show":    ("pk=appointment",                 "LOGIN", "403",   "403",   "405",   "405",   "405",   "405"),
    "booking:appointment-decide":     ("pk=appointment",                 "LOGIN", "403",   "403",   "405",   "405",   "403",   "405"),
    "booking:care-plans":             ("",                               "LOGIN", "200",   "200",   "200",   "200",   "200",   "200"),
    "booking:care-plan":              ("pk=care_plan",                   "LOGIN", "200",   "404",   "200",   "404",   "200",   "200"),
    "booking:care-plan-book":         ("pk=care_plan",                   "LOGIN", "200",   "404",   "403",   "403",   "200",   "200"),
    "booking:care-plan-sessions":     ("pk=care_plan",                   "LOGIN", "405",   "405",   "403",   "403",   "405",   "405"),
    "booking:care-plan-new":          ("client_id=client_a",             "LOGIN", "403",   "403",   "200",   "404",   "403",   "200"),
    "booking:waitlist":               ("",                               "LOGIN", "200",   "200",   "403",   "403",   "403",   "403"),
    "booking:waitlist-join":          ("",                               "LOGIN", "200",   "200",   "403",   "403",   "403",   "403"),
    "booking:waitlist-leave":         ("pk=waitlist_entry",              "LOGIN", "405",   "405",   "403",   "403",   "405",   "405"),
    "booking:waitlist-offer":         ("pk=waitlist_offer",              "LOGIN", "200",   "404",   "403",   "403",   "403",   "403"),
    "booking:waitlist-desk":          ("",                               "LOGIN", "403",   "403",   "403",   "403",   "200",   "200"),
    "booking:waitlist-desk-offer":    ("pk=appointment",                 "LOGIN", "403",   "403",   "403",   "403",   "405",   "405"),
    "booking:feed-settings":          ("",                               "LOGIN", "403",   "403",   "200",   "200",   "403",   "403"),
    "booking:feed":                   ("token=not-a-token",              "404",   "404",   "404",   "404",   "404",   "404",   "404"),
    "booking:board":                  ("",                               "LOGIN", "403",   "403",   "403",   "403",   "200",   "200"),
    "booking:board-panel":            ("pk=appointment",                 "LOGIN", "403",   "403",   "403",   "403",   "200",   "200"),
    "booking:board-act":              ("pk=appointment,action=check-in", "LOGIN", "403",   "403",   "403",   "403",   "405",   "405"),
    "booking:board-clients":          ("",                               "LOGIN", "403",   "403",   "403",   "403",   "200",   "200"),
    "booking:board-client-new":       ("",                               "LOGIN", "403",   "403",   "403",   "403",   "200",   "200"),
    "booking:board-book":             ("",                               "LOGIN", "403",   "403",   "403",   "403",   "200",   "200"),
    "booking:board-block":            ("",                               "LOGIN", "403",   "403",   "403",   "403",   "200",   "200"),
    "booking:board-sheet":            ("",                               "LOGIN", "403",   "403",   "403",   "403",   "200",   "200"),
    "booking:reports":                ("",                               "LOGIN", "403",   "403",   "403",   "403",   "403",   "200"),
    "workspace:day":                  ("",                               "LOGIN", "403",   "403",   "200",   "200",   "403",   "403"),
    "workspace:exercises":            ("",                               "LOGIN", "403",   "403",   "200",   "200",   "403",   "200"),
    "workspace:note":                 ("pk=appointment",                 "LOGIN", "403",   "403",   "200",   "404",   "403",   "200"),
    "workspace:addendum":             ("pk=appointment",                 "LOGIN", "403",   "403",   "405",   "405",   "403",   "405"),
    "workspace:selfcare":             ("pk=appointment",                 "LOGIN", "403",   "403",   "200",   "404",   "403",   "403"),
    "workspace:portal":               ("",                               "LOGIN", "200",   "200",   "403",   "403",   "403",   "403"),
    "booking/portal/":                ("",                               "3xx",   "3xx",   "3xx",   "3xx",   "3xx",   "3xx",   "3xx"),
    "workspace:checkin":              ("token=not-a-token",              "400",   "400",   "400",   "400",   "400",   "400",   "400"),
    "notifications:outbox":           ("",                               "LOGIN", "403",   "403",   "403",   "403",   "200",   "200"),
    "notifications:resend":           ("pk=notification",                "405",   "405",   "405",   "405",   "405",   "405",   "405"),
    "notifications:unsubscribe":      ("token=not-a-token",              "400",   "400",   "400",   "400",   "400",   "400",   "400"),
    "^media/(?P<path>.*)$":           ("path=missing.jpg",               "404",   "404",   "404",   "404",   "404",   "404",   "404"),
    # Added with two-factor sign-in, tokens, the audit page, data rights, the desk API and the
    # safety gate. POST-only routes answer 405 to a GET once past their role check.
    "api:appointment-check-in":       ("pk=appointment",                  "401", "403", "403", "403", "403", "405", "405"),
    "api:appointment-check-in-undo":  ("pk=appointment",                  "401", "403", "403", "403", "403", "405", "405"),
    "api:auth-token-revoke":          ("",                                "401", "405", "405", "405", "405", "405", "405"),
    "api:desk-blocks":                ("",                                "401", "403", "403", "403", "403", "405", "405"),
    "api:desk-day-sheet":             ("",                                "401", "403", "403", "403", "403", "400", "400"),
    "api:intake-me-stop-passed":      ("",                                "401", "405", "405", "403", "403", "403", "403"),
    "api:sign-out-everywhere":        ("",                                "401", "405", "405", "405", "405", "405", "405"),
    "audit-trail":                    ("",                                "LOGIN", "403", "403", "403", "403", "403", "200"),
    "intake:alert-acknowledge":       ("pk=0",                            "405", "405", "405", "405", "405", "405", "405"),
    "intake:step-advice":             ("step=red-flags",                  "405", "405", "405", "405", "405", "405", "405"),
    "intake:stop-passed":             ("",                                "405", "405", "405", "405", "405", "405", "405"),
    "mfa-disable":                    ("",                                "LOGIN", "405", "405", "405", "405", "405", "405"),
    "mfa-recovery-codes":             ("",                                "LOGIN", "405", "405", "405", "405", "405", "405"),
    "mfa-setup":                      ("",                                "LOGIN", "200", "200", "3xx", "3xx", "3xx", "3xx"),
    "mfa-verify":                     ("",                                "LOGIN", "3xx", "3xx", "3xx", "3xx", "3xx", "3xx"),
    "security":                       ("",                                "LOGIN", "200", "200", "200", "200", "200", "200"),
    "sign-out-everywhere":            ("",                                "LOGIN", "405", "405", "405", "405", "405", "405"),
    "token-revoke":                   ("pk=0",                            "LOGIN", "405", "405", "405", "405", "405", "405"),
    "workspace:erasure":              ("",                                "LOGIN", "200", "200", "403", "403", "403", "403"),
    "workspace:erasure-complete":     ("pk=0",                            "405", "405", "405", "405", "405", "405", "405"),
    "workspace:erasure-requests":     ("",                                "LOGIN", "403", "403", "403", "403", "403", "200"),
    "workspace:my-data":              ("",                                "LOGIN", "200", "200", "403", "403", "403", "403"),
    "workspace:my-data-fhir":         ("",                                "LOGIN", "200", "200", "403", "403", "403", "403"),
    "api:therapist-search":           ("",                                "405", "405", "405", "405", "405", "405", "405"),
}
# fmt: on

# The admin's routes come from its ModelAdmins; all of them answer one rule: everybody but a
# clinic admin is sent to the admin's sign-in, and a clinic admin gets an answer (a page, a
# redirect for an object that is not there, 403 where the admin forbids adding or changing),
# never the sign-in and never a server error. Its own sign-in and sign-out pages are the
# exceptions below.
ADMIN_IDS = "object_id=0,url=x,app_label=clinic,content_type_id=1,id=0"
ADMIN_EXCEPTIONS: dict[str, tuple[str, str, str, str, str, str, str]] = {
    "admin:login": ("200", "200", "200", "200", "200", "200", "3xx"),
    "admin:logout": ("3xx", "3xx", "3xx", "3xx", "3xx", "3xx", "405"),
}
CLINIC_ADMIN_IN_ADMIN = {"200", "3xx", "403", "404"}


def _signed_in_clients(world: World) -> dict[str, Client]:
    clients = {}
    for persona in PERSONAS:
        clients[persona] = Client()
        if world.users[persona] is not None:
            sign_in(clients[persona], world.users[persona])
    return clients


def _check_page(response: Any, where: str) -> list[str]:
    """Every HTML page carries the policy and no inline script or style."""
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
        return []
    problems = []
    if "Content-Security-Policy" not in response:
        problems.append(f"{where}: no Content-Security-Policy header")
    problems += [f"{where}: {found}" for found in inline_code(response.content.decode())]
    return problems


def _mismatches(world: World, expected: dict[str, tuple[str, tuple[str, ...]]]) -> list[str]:
    clients = _signed_in_clients(world)
    problems = []
    for key, (ids, answers) in expected.items():
        url = _url(routes()[key], ids, world)
        for persona, want in zip(PERSONAS, answers, strict=True):
            response = clients[persona].get(url)
            got = _answer(response)
            ok = got in want if isinstance(want, set) else got == want
            if not ok:
                problems.append(f"{key} ({url}) as {persona}: expected {want}, got {got}")
            problems += _check_page(response, f"{key} as {persona}")
    return problems


def _is_admin(key: str, route: str) -> bool:
    return key.startswith("admin:") or route.startswith("admin/")


def test_every_route_has_a_row():
    listed = set(MATRIX)
    missing = [k for k, r in routes().items() if not _is_admin(k, r) and k not in listed]
    stale = sorted(listed - set(routes()))
    assert missing == [], "routes without a row in MATRIX: add one with each persona's answer"
    assert stale == [], "rows in MATRIX for routes that no longer exist"


@pytest.mark.django_db
def test_each_persona_gets_the_answer_in_the_matrix(personas):
    world = build_world(personas)
    expected = {key: (row[0], row[1:]) for key, row in MATRIX.items()}
    assert _mismatches(world, expected) == []


@pytest.mark.django_db
def test_only_a_clinic_admin_gets_into_the_admin(personas):
    world = build_world(personas)
    deny = ("LOGIN",) * 6
    expected: dict[str, tuple[str, tuple[Any, ...]]] = {}
    for key, route in routes().items():
        if _is_admin(key, route):
            answers = ADMIN_EXCEPTIONS.get(key, (*deny, CLINIC_ADMIN_IN_ADMIN))
            expected[key] = (ADMIN_IDS, answers)
    assert len(expected) > 100
    assert _mismatches(world, expected) == []
