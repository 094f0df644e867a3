"""Private iCalendar feed links for therapists' own calendar apps."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone

from therapists.models import TherapistProfile


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """One secret feed URL per therapist; revoking replaces the token so old links stop working."""

    therapist = models.OneToOneField(
        TherapistProfile, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Calendar feed for {self.therapist}"
