"""Clinic-admin reports for a location and a period (local dates, inclusive).

- utilisation per therapist: booked minutes / available shift minutes (shifts at the location
  minus time off and closures), computed through the location's zone (DST-correct);
- cancellations (on time and late) and the no-show rate, of all appointments in the period;
- new versus returning clients: new = their first ever appointment falls in the period;
- outcomes by condition: of clients seen in the period with two or more valid NPRS pain
  scores (up to the period's end), the share whose latest score is 2+ points below the first.

Aggregates only: no names, no answers. A fixed number of queries whatever the period length.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Min, Q
from django.utils.translation import gettext_noop

from booking.availability import Interval
from booking.board.layout import Frame, days_between, shift_span, subtract
from booking.models import Appointment, AppointmentStatus
from clinic.models import Location
from intake.models import OutcomeResponse
from therapists.models import Closure, Shift, TimeOff

BOOKED = (AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN, AppointmentStatus.COMPLETED)
CANCELLED = (AppointmentStatus.CANCELLED, AppointmentStatus.LATE_CANCELLED)
PAIN_IMPROVEMENT = Decimal("2")
# Kept in English like the condition names; the page shows both through the catalogue.
NOT_SPECIFIED = gettext_noop("Not specified")


def _share(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1")) if whole else None


@dataclass
class TherapistUse:
    name: str
    available_minutes: int = 0
    booked_minutes: int = 0

    @property
    def utilisation(self) -> Decimal | None:
        return _share(self.booked_minutes, self.available_minutes)


@dataclass
class ConditionOutcome:
    condition: str
    clients: int = 0
    improved: int = 0

    @property
    def share(self) -> Decimal | None:
        return _share(self.improved, self.clients)


@dataclass
class Report:
    location: Location
    first_day: dt.date
    last_day: dt.date
    therapists: list[TherapistUse] = field(default_factory=list)
    total: int = 0
    cancelled: int = 0
    late_cancelled: int = 0
    no_show: int = 0
    new_clients: int = 0
    returning_clients: int = 0
    outcomes: list[ConditionOutcome] = field(default_factory=list)

    @property
    def cancellation_rate(self) -> Decimal | None:
        return _share(self.cancelled + self.late_cancelled, self.total)

    @property
    def no_show_rate(self) -> Decimal | None:
        return _share(self.no_show, self.total)


def _minutes(spans: list[Interval]) -> int:
    return int(sum((s.end - s.start).total_seconds() for s in spans) // 60)


def _utilisation(
    location: Location, days: list[dt.date], span: Interval, appointments: list[Appointment]
) -> list[TherapistUse]:
    shifts = (
        Shift.objects.filter(location=location, effective_from__lte=days[-1])
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=days[0]))
        .select_related("therapist")
    )
    uses: dict[int, TherapistUse] = {}
    windows: dict[int, list[Interval]] = defaultdict(list)
    for shift in shifts:
        uses.setdefault(shift.therapist_id, TherapistUse(shift.therapist.display_name))
        for day in days:
            applies = (
                shift.weekday == day.weekday()
                and shift.effective_from <= day
                and (shift.effective_to is None or day <= shift.effective_to)
            )
            if applies:
                windows[shift.therapist_id].append(
                    shift_span(day, shift.starts_at, shift.ends_at, location.zone)
                )
    blocked: dict[int, list[Interval]] = defaultdict(list)
    for therapist_id, start, end in TimeOff.objects.filter(
        therapist_id__in=list(uses), starts_at__lt=span.end, ends_at__gt=span.start
    ).values_list("therapist_id", "starts_at", "ends_at"):
        blocked[therapist_id].append(Interval(start, end))
    closures = [Interval(s, e) for s, e in Closure.objects.filter(
        location=location, starts_at__lt=span.end, ends_at__gt=span.start
    ).values_list("starts_at", "ends_at")]  # fmt: skip
    for therapist_id, use in uses.items():
        use.available_minutes = _minutes(
            subtract(windows[therapist_id], blocked[therapist_id] + closures)
        )
    for a in appointments:
        if a.status in BOOKED and a.therapist_id in uses:
            use = uses[a.therapist_id]
            use.booked_minutes += int((a.ends_at - a.starts_at).total_seconds() // 60)
    return sorted(uses.values(), key=lambda u: u.name)


def _clients(report: Report, appointments: list[Appointment], span: Interval) -> None:
    seen = {a.client_id for a in appointments if a.status in BOOKED}
    firsts = dict(
        Appointment.objects.filter(client_id__in=seen, status__in=BOOKED)
        .values("client_id")
        .annotate(first=Min("starts_at"))
        .values_list("client_id", "first")
    )
    report.new_clients = sum(1 for cid in seen if firsts.get(cid) and firsts[cid] >= span.start)
    report.returning_clients = len(seen) - report.new_clients


def _outcomes(client_ids: set[int], until: dt.datetime) -> list[ConditionOutcome]:
    series: dict[tuple[int, str], list[Decimal]] = defaultdict(list)
    rows = (
        OutcomeResponse.objects.filter(
            client_id__in=client_ids, instrument__code="nprs", valid=True, recorded_at__lt=until
        )
        .order_by("recorded_at", "id")
        .values_list("client_id", "condition__name", "score")
    )
    for client_id, condition, score in rows:
        if score is not None:  # valid rows always have a score (a database constraint)
            series[(client_id, condition or NOT_SPECIFIED)].append(score)
    by_condition: dict[str, ConditionOutcome] = {}
    for (_client, condition), scores in series.items():
        if len(scores) < 2:
            continue
        row = by_condition.setdefault(condition, ConditionOutcome(condition))
        row.clients += 1
        row.improved += int(scores[0] - scores[-1] >= PAIN_IMPROVEMENT)
    return sorted(by_condition.values(), key=lambda r: r.condition)


def report_build(*, location: Location, first_day: dt.date, last_day: dt.date) -> Report:
    """Every figure of the admin report for ``location`` from ``first_day`` to ``last_day``."""
    days = days_between(first_day, last_day)
    span = Interval(
        Frame.for_day(first_day, location.zone, 0, 0).start,
        Frame.for_day(last_day + dt.timedelta(days=1), location.zone, 0, 0).start,
    )
    appointments = list(
        Appointment.objects.filter(
            location=location, starts_at__gte=span.start, starts_at__lt=span.end
        ).only("id", "client_id", "therapist_id", "status", "starts_at", "ends_at")
    )
    report = Report(location, first_day, last_day)
    report.therapists = _utilisation(location, days, span, appointments)
    report.total = len(appointments)
    report.cancelled = sum(a.status == AppointmentStatus.CANCELLED for a in appointments)
    report.late_cancelled = sum(a.status == AppointmentStatus.LATE_CANCELLED for a in appointments)
    report.no_show = sum(a.status == AppointmentStatus.NO_SHOW for a in appointments)
    _clients(report, appointments, span)
    seen = {a.client_id for a in appointments if a.status in BOOKED}
    report.outcomes = _outcomes(seen, span.end)
    return report


def report_csv_rows(report: Report) -> list[list[Any]]:
    """The report as rows for a CSV file: section, item, figures."""
    rows: list[list[Any]] = [["section", "item", "value", "of", "percent"]]
    for use in report.therapists:
        rows.append(
            ["utilisation", use.name, use.booked_minutes, use.available_minutes, use.utilisation]
        )
    rows.append(
        [
            "appointments",
            "cancelled (on time)",
            report.cancelled,
            report.total,
            _share(report.cancelled, report.total),
        ]
    )
    rows.append(
        [
            "appointments",
            "late cancellations",
            report.late_cancelled,
            report.total,
            _share(report.late_cancelled, report.total),
        ]
    )
    rows.append(["appointments", "no-shows", report.no_show, report.total, report.no_show_rate])
    clients = report.new_clients + report.returning_clients
    rows.append(
        ["clients", "new", report.new_clients, clients, _share(report.new_clients, clients)]
    )
    rows.append(
        [
            "clients",
            "returning",
            report.returning_clients,
            clients,
            _share(report.returning_clients, clients),
        ]
    )
    for row in report.outcomes:
        rows.append(
            ["pain improved 2+ points (NPRS)", row.condition, row.improved, row.clients, row.share]
        )
    return rows
