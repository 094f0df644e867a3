from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import cache
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

# Read on nearly every booking request and changed a few times a year: cached, and dropped
# from the cache whenever it is saved. The timeout bounds staleness in other processes when
# the cache is per process (the default local-memory cache).
POLICY_CACHE_KEY = "clinic:policy:v1"
POLICY_CACHE_SECONDS = 60


class ClinicPolicy(models.Model):
    """The clinic's policies, one row, edited by clinic admins."""

    slot_step_minutes = models.PositiveSmallIntegerField(
        _("Slot step (minutes)"),
        default=15,
        validators=[MinValueValidator(5), MaxValueValidator(120)],
    )
    minimum_notice_hours = models.PositiveSmallIntegerField(
        _("Minimum notice for online booking (hours)"), default=12
    )
    booking_horizon_weeks = models.PositiveSmallIntegerField(
        _("Bookings open this many weeks ahead"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )
    cancellation_cutoff_hours = models.PositiveSmallIntegerField(
        _("Online cancellation cutoff (hours before)"), default=24
    )
    # The cut-off itself is told by change_rule_text(), from cancellation_cutoff_hours, so the
    # two can never disagree; this is only what the clinic adds (fees, exceptions).
    cancellation_policy_text = models.TextField(
        _("Anything to add to the cancellation policy"),
        blank=True,
        default="",
        help_text=_(
            "Shown after the cut-off sentence, which is written from the hours above. "
            "For example: late cancellations and missed appointments may be charged."
        ),
    )
    arrival_minutes_before = models.PositiveSmallIntegerField(
        _("Clients arrive this many minutes early"),
        default=10,
        validators=[MaxValueValidator(120)],
    )
    visit_preparation_text = models.TextField(
        _("What to wear and bring"),
        blank=True,
        default=_(
            "Myofascial release is done directly on the skin, without oil or cream: wear or "
            "bring shorts and, if you like, a sports top. Please don't apply lotion on the day. "
            "Bring a list of your medicines and any recent scans or reports."
        ),
        help_text=_("Shown on the confirmation page and in the confirmation and reminders."),
    )
    intake_missing_alert_hours = models.PositiveSmallIntegerField(
        _("Missing-intake alert (hours before)"),
        default=24,
        help_text=_("Alert staff when an intake is still missing this long before."),
    )
    intake_validity_months = models.PositiveSmallIntegerField(
        _("An intake stays valid for (months)"), default=12, validators=[MinValueValidator(1)]
    )
    outcome_every_n_sessions = models.PositiveSmallIntegerField(
        _("Outcome measure every (sessions)"), default=4, validators=[MinValueValidator(1)]
    )
    reminder_offsets_hours = models.CharField(
        _("Reminders (hours before)"),
        max_length=50,
        default="48,2",
        help_text=_("Hours before an appointment to send reminders, comma-separated."),
    )
    waitlist_hold_hours = models.PositiveSmallIntegerField(
        _("Waitlist offers are held for (hours)"), default=2, validators=[MinValueValidator(1)]
    )
    sms_quiet_start = models.TimeField(_("No text messages from (local time)"), default="21:00")
    sms_quiet_end = models.TimeField(_("No text messages until (local time)"), default="08:00")
    check_in_opens_minutes = models.PositiveSmallIntegerField(
        _("Check-in opens (minutes before the start)"),
        default=120,
        validators=[MaxValueValidator(720)],
        help_text=_(
            "Front desk can check a client in from this long before the start, on the day "
            "of the appointment only."
        ),
    )
    clinical_record_retention_years = models.PositiveSmallIntegerField(
        _("Keep clinical records for (years)"), default=7
    )

    class Meta:
        verbose_name = _("clinic policy")
        verbose_name_plural = _("clinic policy")

    def __str__(self) -> str:
        return "Clinic policy"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A single row: whatever is saved is the policy.
        self.pk = 1
        super().save(*args, **kwargs)
        cache.delete(POLICY_CACHE_KEY)
        # Also after commit: a reader between save and commit may have cached the old row.
        transaction.on_commit(lambda: cache.delete(POLICY_CACHE_KEY))

    @classmethod
    def load(cls) -> ClinicPolicy:
        """The policy row (created with defaults on first use), cached between saves."""
        policy = cache.get(POLICY_CACHE_KEY)
        if isinstance(policy, cls):
            return policy
        policy, created = cls.objects.get_or_create(pk=1)
        if created:
            # Field defaults given as text ("21:00") become typed values only when read back.
            policy.refresh_from_db()
            # Cached only once the new row is committed: other transactions must not skip the
            # read of a row they cannot see yet (and would wait on if they inserted it too).
            transaction.on_commit(lambda: cache.set(POLICY_CACHE_KEY, policy, POLICY_CACHE_SECONDS))
        else:
            cache.set(POLICY_CACHE_KEY, policy, POLICY_CACHE_SECONDS)
        return policy

    def allows_online_change(self, start: dt.datetime, *, now: dt.datetime) -> bool:
        """Whether a client may still move or cancel, online and on time, a visit at ``start``."""
        return start - now >= dt.timedelta(hours=self.cancellation_cutoff_hours)

    def change_rule_text(self) -> str:
        """The cancellation policy in the active language, from the policy's own values."""
        hours = self.cancellation_cutoff_hours
        rule = ngettext(
            "You can reschedule or cancel online up to %(hours)d hour before your appointment.",
            "You can reschedule or cancel online up to %(hours)d hours before your appointment.",
            hours,
        ) % {"hours": hours}
        late = gettext(
            "After that, please call the clinic: a later cancellation is recorded as a late "
            "cancellation."
        )
        return f"{rule} {late} {self.cancellation_policy_text}".strip()

    def late_booking_warning(self) -> str:
        """What a client is told before booking a time inside the cut-off."""
        hours = self.cancellation_cutoff_hours
        return ngettext(
            "This time is less than %(hours)d hour away: once booked, it can't be changed or "
            "cancelled online, and cancelling it counts as a late cancellation.",
            "This time is less than %(hours)d hours away: once booked, it can't be changed or "
            "cancelled online, and cancelling it counts as a late cancellation.",
            hours,
        ) % {"hours": hours}

    @property
    def reminder_offsets(self) -> list[int]:
        return sorted(
            {int(part) for part in self.reminder_offsets_hours.split(",") if part.strip()},
            reverse=True,
        )
