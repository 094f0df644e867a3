from __future__ import annotations

from .accounts import STAFF_ROLES, Role, StaffInvitation, User
from .audit import AppendOnlyError, AuditAction, AuditEvent, AuditOutcome
from .clients import Channel, ClientProfile, Consent, ConsentKind, ConsentText
from .locations import Location, OpeningHours, Room, Weekday, validate_time_zone
from .notifications import (
    Notification,
    NotificationChannel,
    NotificationStatus,
)
from .policy import ClinicPolicy
from .tokens import ApiToken

__all__ = [
    "STAFF_ROLES",
    "ApiToken",
    "AppendOnlyError",
    "AuditAction",
    "AuditEvent",
    "AuditOutcome",
    "Channel",
    "ClientProfile",
    "ClinicPolicy",
    "Consent",
    "ConsentKind",
    "ConsentText",
    "Location",
    "Notification",
    "NotificationChannel",
    "NotificationStatus",
    "OpeningHours",
    "Role",
    "Room",
    "StaffInvitation",
    "User",
    "Weekday",
    "validate_time_zone",
]
