"""Where HTML views meet domain errors: one helper puts an error on a form, one middleware turns
"not yours / not found" into the 404 page (never a hint that the object exists)."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpRequest, HttpResponse

from clinic.exceptions import ApplicationError, NotFound


def form_add_domain_error(form: forms.BaseForm, error: ApplicationError) -> None:
    """Show a domain error on ``form``: next to the fields it names, else at the top.

    A NotFound is not a form problem: it is raised again, and the middleware answers 404.
    """
    if isinstance(error, NotFound):
        raise error
    fields = error.extra.get("fields") or {}
    placed = False
    for name, messages in fields.items():
        target = name if name in form.fields else None
        for message in messages if isinstance(messages, list | tuple) else [messages]:
            form.add_error(target, message)
            placed = True
    if not placed:
        form.add_error(None, error.message)


class NotFoundMiddleware:
    """A domain NotFound escaping an HTML view is the 404 page, whatever view raised it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound):
            return response_for_exception(request, Http404(exception.message))
        return None
