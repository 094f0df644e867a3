"""The exercise library's texts reach the catalogues (workspace.library_texts) and the client."""

from __future__ import annotations

import json

import pytest
from django.template import Context, Template
from django.utils import translation

from workspace.library_texts import LIBRARY_TEXTS
from workspace.models.selfcare import seconds_text
from workspace.selfcare import LIBRARY_PATH, general_precautions


def _library_texts() -> set[str]:
    data = json.loads(LIBRARY_PATH.read_text(encoding="utf-8"))
    texts = set(data["general_precautions"])
    for row in data["exercises"]:
        texts |= {row["name"], row["instructions"], *row["precautions"]}
    return texts


def test_every_library_text_is_marked_for_translation():
    assert _library_texts() == set(LIBRARY_TEXTS)


@pytest.mark.parametrize("language", ["nl", "es"])
def test_every_library_text_is_translated(language):
    with translation.override(language):
        untranslated = [text for text in LIBRARY_TEXTS if translation.gettext(text) == text]
    assert not untranslated


def test_the_client_reads_the_library_in_their_language():
    name = "Foam roller: upper back"
    with translation.override("nl"):
        shown = Template("{% load clinic_format %}{{ name|translated }}").render(
            Context({"name": name})
        )
        precautions = general_precautions()
    assert shown == "Foamroller: bovenrug"
    assert precautions[0].startswith("Stop en neem contact op met de praktijk")


def test_a_text_the_catalogue_does_not_know_is_shown_as_written():
    with translation.override("nl"):
        shown = Template("{% load clinic_format %}{{ name|translated }}").render(
            Context({"name": "Our own stretch"})
        )
    assert shown == "Our own stretch"


def test_durations_read_in_the_language():
    assert seconds_text(90) == "1 min 30 s"
    with translation.override("nl"):
        assert seconds_text(90) == "1 min 30 s"
        assert seconds_text(45) == "45 s"
