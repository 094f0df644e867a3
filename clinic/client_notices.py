"""Notices the floors above put at the top of a client's pages (a registry, filled in ready()).

The client's home page belongs to ``clinic``, which knows no intake; yet a client with an open
emergency finding must see that advice there too. So clinic offers this registry: an app
registers a provider from its ``AppConfig.ready()``, and the ``{% client_notices %}`` tag shows
what every provider returns for the signed-in client.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.safestring import SafeString, mark_safe

# user -> rendered, escaped HTML ("" when there is nothing to say)
NoticeProvider = Callable[[Any], str]
_providers: dict[str, NoticeProvider] = {}


def client_notice_register(provider: NoticeProvider) -> NoticeProvider:
    """Register ``provider(user)``; it must return HTML it rendered from a template."""
    _providers[f"{provider.__module__}.{provider.__qualname__}"] = provider
    return provider


def client_notices_for(user: Any) -> SafeString:
    """Every provider's notice for ``user``, in a stable order."""
    parts = [_providers[name](user) for name in sorted(_providers)]
    return mark_safe("".join(part for part in parts if part))  # noqa: S308 - rendered templates
