"""Prepared message templates render exactly what Django's own rendering of them gives."""

from __future__ import annotations

import datetime as dt
import pathlib
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.template import TemplateSyntaxError
from django.template.backends.django import DjangoTemplates
from django.utils import timezone, translation

from clinic.notifications.templating import (
    FixedTranslationNode,
    MemoisedBlockTranslationNode,
    message_template,
)

TEMPLATES = pathlib.Path(settings.BASE_DIR) / "templates"
NAMES = sorted(
    str(path.relative_to(TEMPLATES))
    for folder in ("booking", "intake", "therapists", "workspace")
    for path in (TEMPLATES / folder / "messages").glob("*")
    if path.is_file() and not path.name.startswith("_")
)


def pristine():
    """A second engine with its own loader cache: the templates as Django compiles them."""
    options = settings.TEMPLATES[0]
    return DjangoTemplates(
        {
            "NAME": "pristine",
            "DIRS": options["DIRS"],
            "APP_DIRS": options["APP_DIRS"],
            "OPTIONS": dict(options["OPTIONS"]),
        }
    )


def context():
    starts = dt.datetime(2026, 3, 29, 9, 30, tzinfo=dt.UTC)
    place = SimpleNamespace(
        name="Troy & <Co>", address="1 Main St", phone="+15185550100", time_zone="America/New_York"
    )
    return {
        "recipient": SimpleNamespace(first_name="Ann <b>"),
        "clinic_name": "Unwind",
        "site_url": "https://example.test",
        "appointment": SimpleNamespace(pk=7),
        "location": place,
        "therapist_name": "Maya",
        "service_name": "MFR 60",
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=1),
        "arrive_at": starts - dt.timedelta(minutes=10),
        "time_zone": place.time_zone,
        "map_url": "https://maps.example.test/?q=a&b",
        "appointments_url": "https://example.test/booking/",
        "appointment_url": "https://example.test/booking/7/",
        "preparation": "Loose clothes.",
        "change_rule": "24 hours' notice.",
        "unsubscribe_url": "https://example.test/u/x/",
        "LANGUAGE_CODE": "nl",
    }


def render(template, name):
    """The output, or the error (a plural's counter is not in this one context)."""
    try:
        return template.render(context())
    except TemplateSyntaxError as error:
        return f"error: {error}"


def test_there_are_message_templates():
    assert len(NAMES) > 20


@pytest.mark.parametrize("language", ["en", "nl", "es"])
def test_prepared_templates_render_the_same_as_django(language):
    plain = pristine()
    for name in NAMES:
        for _round in range(2):  # the second render comes from the memo
            with translation.override(language), timezone.override(dt.UTC):
                assert render(message_template(name), name) == render(
                    plain.get_template(name), name
                ), name


def test_fixed_translations_are_memoised_and_variables_are_not():
    template = message_template("booking/messages/reminder.html").template
    parent = template.engine.get_template("notifications/email_base.html")
    assert parent.nodelist.get_nodes_by_type(FixedTranslationNode)
    assert parent.nodelist.get_nodes_by_type(MemoisedBlockTranslationNode)
    with translation.override("nl"):
        dutch = message_template("booking/messages/reminder.txt").render(context())
    with translation.override("en"):
        english = message_template("booking/messages/reminder.txt").render(context())
    assert dutch != english
    assert "Hello Ann" in english
    assert "Hello Ann &lt;b&gt;," in message_template("booking/messages/reminder.html").render(
        context()
    )
