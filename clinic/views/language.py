"""The language switcher on every page: Django's set_language, which also stores a signed-in
client's choice as their preferred language."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from clinic import accounts
from clinic.languages import language_remember
from clinic.views.common import signed_in_user


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return HttpResponseBadRequest(_("language: choose one of the offered languages."))
    if request.user.is_authenticated:
        accounts.client_language_set(user=signed_in_user(request), language=language)
        language_remember(request, language)
    return django_set_language(request)
