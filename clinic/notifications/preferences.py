"""Who gets which message on which channel, and the signed one-click unsubscribe links."""

from __future__ import annotations

from django.core import signing

from clinic.models import Channel, ClientProfile, NotificationChannel, User
from clinic.notifications.registry import message_kind_get

UNSUBSCRIBE_SALT = "clinic.notifications.unsubscribe"


def is_essential(kind: str) -> bool:
    """Essential kinds (a booking's confirmation, a safety alert) go by e-mail whatever the
    recipient opted out of; the owning app says which kinds are essential when registering."""
    registered = message_kind_get(kind)
    return registered is not None and registered.essential


def _sms_kind(kind: str) -> bool:
    registered = message_kind_get(kind)
    return registered is not None and registered.sms


def _profile(user: User) -> ClientProfile | None:
    try:
        return user.client_profile
    except ClientProfile.DoesNotExist:
        return None


def channels_for(user: User, kind: str) -> list[str]:
    """The channels ``kind`` goes to ``user`` on, from their profile; staff get e-mail."""
    profile = _profile(user)
    if profile is None:
        return [NotificationChannel.EMAIL]
    wants_email = profile.reminder_channel in (Channel.EMAIL, Channel.BOTH)
    wants_sms = profile.reminder_channel in (Channel.SMS, Channel.BOTH)
    sms_ok = _sms_kind(kind) and wants_sms and profile.sms_opt_in and bool(profile.phone)
    # A client who chose SMS gets e-mail for what texts do not carry (or when texts cannot go).
    email_ok = is_essential(kind) or (profile.email_opt_in and (wants_email or not sms_ok))
    channels: list[str] = []
    if email_ok:
        channels.append(NotificationChannel.EMAIL)
    if sms_ok:
        channels.append(NotificationChannel.SMS)
    return channels


def channel_allowed(user: User, kind: str, channel: str) -> bool:
    """Re-checked just before sending: an opt-out since queueing stops non-essential messages."""
    if is_essential(kind) and channel == NotificationChannel.EMAIL:
        return True
    profile = _profile(user)
    if profile is None:
        return channel == NotificationChannel.EMAIL
    if channel == NotificationChannel.SMS:
        return profile.sms_opt_in and bool(profile.phone)
    return profile.email_opt_in


def unsubscribe_token(user: User, channel: str) -> str:
    return signing.dumps({"u": user.pk, "c": channel}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_token_read(token: str) -> tuple[int, str]:
    """Return (user id, channel) from a link's token; raise signing.BadSignature if forged."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(data, dict) or data.get("c") not in NotificationChannel.values:
        raise signing.BadSignature("Malformed unsubscribe token.")
    return int(data["u"]), str(data["c"])
