"""The therapist's day: today's and the coming days' clients with what to know first."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.models import Role
from clinic.permissions import role_required
from clinic.views.common import signed_in_user
from workspace.dayview import therapist_day


def _day_param(request: HttpRequest) -> dt.date:
    raw = request.GET.get("day", "")
    try:
        return dt.date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        return timezone.localdate()


@role_required(Role.THERAPIST)
def day_view(request: HttpRequest) -> HttpResponse:
    day = _day_param(request)
    view = therapist_day(signed_in_user(request), day=day, request=request)
    if view is None:
        raise Http404(_("Set up your therapist profile first."))
    return render(
        request,
        "workspace/day.html",
        {
            "view": view,
            "previous_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1),
        },
    )
