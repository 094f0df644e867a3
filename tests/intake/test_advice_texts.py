"""The shipped screening advice is in the catalogues and shown in the client's language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.utils import translation

from intake.advice_texts import ADVICE_TEXTS
from intake.gate import advice_text, emergency_advice
from intake.models import ScreeningAdvice
from intake.screening import client_message

SCREENING = Path(__file__).resolve().parents[2] / "intake" / "data" / "default_screening.json"


def test_every_shipped_advice_is_marked_for_translation():
    shipped = {row["client_message"] for row in json.loads(SCREENING.read_text())["advice"]}
    assert shipped == set(ADVICE_TEXTS)


@pytest.mark.django_db
def test_shipped_advice_is_shown_in_the_clients_language():
    english = advice_text("urgent")
    with translation.override("nl"):
        dutch = advice_text("urgent")
    assert english in ADVICE_TEXTS
    assert dutch != english
    assert "huisarts" in dutch or "arts" in dutch


@pytest.mark.django_db
def test_a_clinics_own_advice_is_shown_as_written():
    ScreeningAdvice.objects.filter(level="urgent").update(client_message="Call Dr. Vos today.")
    with translation.override("nl"):
        assert advice_text("urgent") == "Call Dr. Vos today."


@pytest.mark.django_db
def test_the_intake_page_message_is_in_the_clients_language():
    english = client_message("clear")
    with translation.override("nl"):
        assert client_message("clear") == "Dank u. Uw intake is compleet en u kunt online boeken."
    assert english == "Thank you. Your intake is complete and you can book online."


@pytest.mark.django_db
def test_the_emergency_advice_on_a_step_is_in_the_clients_language():
    english = emergency_advice()
    with translation.override("es"):
        spanish = emergency_advice()
    assert english in ADVICE_TEXTS
    assert spanish != english
    assert "urgencias" in spanish
