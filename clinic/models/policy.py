from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

# Read on nearly every booking request and changed a few times a year: cached, and dropped
# from the cache whenever it is saved. The timeout bounds staleness in other processes when
# the cache is per process (the default local-memory cache).
POLICY_CACHE_KEY = "clinic:policy:v1"
POLICY_CACHE_SECONDS = 60


class ClinicPolicy(models.Model):
    """The clinic's policies, one row, edited by clinic admins."""

    slot_step_minutes = models.PositiveSmallIntegerField(
        default=15, validators=[MinValueValidator(5), MaxValueValidator(120)]
    )
    minimum_notice_hours = models.PositiveSmallIntegerField(default=12)
    booking_horizon_weeks = models.PositiveSmallIntegerField(
        default=8, validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    cancellation_cutoff_hours = models.PositiveSmallIntegerField(default=24)
    cancellation_policy_text = models.TextField(
        default=_(
            "You can reschedule or cancel online up to 24 hours before your appointment. "
            "Later cancellations and missed appointments are recorded and may be charged."
        )
    )
    intake_missing_alert_hours = models.PositiveSmallIntegerField(
        default=24, help_text=_("Alert staff when an intake is still missing this long before.")
    )
    intake_validity_months = models.PositiveSmallIntegerField(
        default=12, validators=[MinValueValidator(1)]
    )
    outcome_every_n_sessions = models.PositiveSmallIntegerField(
        default=4, validators=[MinValueValidator(1)]
    )
    reminder_offsets_hours = models.CharField(
        max_length=50,
        default="48,2",
        help_text=_("Hours before an appointment to send reminders, comma-separated."),
    )
    waitlist_hold_hours = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(1)]
    )
    sms_quiet_start = models.TimeField(default="21:00")
    sms_quiet_end = models.TimeField(default="08:00")
    clinical_record_retention_years = models.PositiveSmallIntegerField(default=7)

    class Meta:
        verbose_name = "clinic policy"
        verbose_name_plural = "clinic policy"

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

    @property
    def reminder_offsets(self) -> list[int]:
        return sorted(
            {int(part) for part in self.reminder_offsets_hours.split(",") if part.strip()},
            reverse=True,
        )
