"""The address of the client behind a request, trusting only the proxies the clinic runs.

Lockout (django-axes), DRF's throttles (``NUM_PROXIES``) and anything else that counts requests
per client use this one rule, so a forged ``X-Forwarded-For`` never looks like another client.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR``, or the entry our trusted proxies appended.

    With ``TRUSTED_PROXY_COUNT = n``, each of our ``n`` proxies appends the address it saw to
    ``X-Forwarded-For``, so the n-th entry from the right is the one a client cannot choose;
    everything left of it is whatever the client sent. The same rule as DRF's ``NUM_PROXIES``.
    """
    remote_addr = str(request.META.get("REMOTE_ADDR") or "")
    proxies: int = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies <= 0 or not forwarded:
        return remote_addr
    addresses = [part.strip() for part in str(forwarded).split(",")]
    return addresses[-min(proxies, len(addresses))] or remote_addr
