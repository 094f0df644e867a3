"""The shipped vocabularies (conditions, modalities, competencies, languages) reach the
catalogues (therapists.vocabulary_texts) and read in the visitor's language."""

from __future__ import annotations

import importlib

import pytest
from django.utils import translation

from therapists.models import Condition, Language
from therapists.vocabulary_texts import VOCABULARY_TEXTS

SEED = importlib.import_module("therapists.migrations.0003_seed_vocabularies")


def test_every_shipped_name_is_marked_for_translation():
    names = {name for _slug, name, _x in (*SEED.CONDITIONS, *SEED.MODALITIES, *SEED.COMPETENCIES)}
    names |= {name for _code, name in SEED.LANGUAGES}
    assert names == set(VOCABULARY_TEXTS)


@pytest.mark.django_db
def test_the_directory_reads_in_dutch(client):
    response = client.get("/therapists/", HTTP_ACCEPT_LANGUAGE="nl")
    body = response.content.decode()
    assert "Chronische rugpijn" in body
    assert "Chronic back pain" not in body
    assert ">Aandoening<" in body or "Aandoening:" in body


@pytest.mark.django_db
def test_a_name_the_clinic_wrote_is_shown_as_written():
    condition = Condition.objects.get(slug="back-pain")
    with translation.override("nl"):
        assert str(condition) == "Chronische rugpijn"
        assert str(Language.objects.get(code="nl")) == "Nederlands"
        condition.name = "Lage rugklachten"
        assert str(condition) == "Lage rugklachten"
