"""The shipped questionnaire and the built-in outcome measures reach the catalogues and the client."""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from clinic.models import ClientProfile
from intake import painmap
from intake import questionnaire_logic as ql
from intake.instrument_texts import INSTRUMENT_TEXTS, instrument_text
from intake.questionnaire_texts import QUESTIONNAIRE_TEXTS, translated_items
from intake.screening_texts import SCREENING_TEXTS

INTAKE = Path(__file__).resolve().parents[2] / "intake"
SHIPPED_FORMS = sorted((INTAKE / "data").glob("default_intake*.json"))
LOCALE = INTAKE.parent / "locale"
BUILTIN_MEASURES = sorted((INTAKE / "instruments" / "builtin").glob("*.json"))


def _item_texts(items: list[dict]) -> set[str]:
    texts: set[str] = set()
    for item in items:
        texts |= {item[k] for k in ("text", "help_text") if item.get(k)}
        texts |= {o["label"] for o in item.get("options") or [] if o.get("label")}
        texts |= _item_texts(item.get("items") or [])
    return texts


def _questionnaire_texts() -> set[str]:
    texts: set[str] = set()
    for path in SHIPPED_FORMS:
        data = json.loads(path.read_text(encoding="utf-8"))
        texts |= {data["title"]} | _item_texts(data["items"])
    return texts


def _measure_texts() -> set[str]:
    texts: set[str] = set()
    for path in BUILTIN_MEASURES:
        data = json.loads(path.read_text(encoding="utf-8"))
        texts.add(data["name"])
        for item in data["items"]:
            texts.add(item["text"])
            texts |= {a["label"] for a in item.get("anchors") or []}
            texts |= {o["text"] for o in item.get("options") or [] if o.get("text")}
    return texts


def test_every_shipped_questionnaire_text_is_marked_for_translation():
    assert len(SHIPPED_FORMS) == 3
    assert _questionnaire_texts() == set(QUESTIONNAIRE_TEXTS)


def test_every_builtin_measure_text_is_marked_for_translation():
    assert [p.stem for p in BUILTIN_MEASURES] == ["nprs", "pgic", "psfs"]
    assert _measure_texts() == set(INSTRUMENT_TEXTS)


def test_every_shipped_rule_label_and_precaution_is_marked_for_translation():
    data = json.loads((INTAKE / "data" / "default_screening.json").read_text(encoding="utf-8"))
    texts = set()
    for rule in data["rules"]:
        lines = (rule.get("precautions") or "").splitlines()
        texts |= {rule["label"]} | {line.strip() for line in lines if line.strip()}
    assert texts == set(SCREENING_TEXTS)


REGION_NAMES = [r.label for r in painmap.REGIONS] + list(painmap.SIDE_LABELS.values())


@pytest.mark.parametrize("language", ["nl", "es"])
@pytest.mark.parametrize(
    "texts",
    [QUESTIONNAIRE_TEXTS, INSTRUMENT_TEXTS, REGION_NAMES, SCREENING_TEXTS],
    ids=["questionnaire", "measures", "pain-map", "screening"],
)
def test_every_text_is_translated(language, texts):
    # By the catalogue, not by gettext(t) != t: some words read the same ("Massage", "No").
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    translated = {e.msgid for e in catalogue.translated_entries() if not e.msgctxt}
    assert [t for t in texts if t not in translated] == []


def test_the_client_reads_the_questionnaire_in_their_language():
    items = ql.parse_items(
        json.loads((INTAKE / "data" / "default_intake.json").read_text())["items"]
    )
    with translation.override("nl"):
        shown = translated_items(items)
    onset = ql.find_item(shown, "onset")
    assert onset is not None
    assert onset.text == "Hoe is het begonnen?"
    assert [o.value for o in onset.options] == [
        o.value for o in ql.find_item(items, "onset").options
    ]
    assert onset.options[0].label == "Plotseling"
    assert ql.steps(shown)[0].text == "Over uw bezoek"
    # Display only: the stored items keep the shipped English.
    assert ql.find_item(items, "onset").text == "How did it start?"


def test_a_clinics_own_question_is_shown_as_written():
    items = ql.parse_items(
        [{"link_id": "g", "type": "group", "text": "Our own step", "items": [
            {"link_id": "q", "type": "choice", "text": "Our own question?",
             "options": [{"value": "a", "label": "Our answer"}]},
        ]}]
    )  # fmt: skip
    with translation.override("nl"):
        shown = translated_items(items)
    assert shown[0].text == "Our own step"
    assert shown[0].items[0].options[0].label == "Our answer"


def test_pain_map_regions_and_sides_read_in_the_language():
    with translation.override("nl"):
        assert painmap.region_label("lower-back", "left") == "Onderrug, links"
        assert painmap.region_label("jaw") == "Kaak / kaakgewricht"


class _Measure:
    def __init__(self, licensed: bool) -> None:
        self.licence_required = licensed


def test_a_builtin_measure_is_translated_and_a_licensed_one_is_shown_as_imported():
    with translation.override("es"):
        assert instrument_text("No pain", _Measure(licensed=False)) == "Sin dolor"
        assert instrument_text("No pain", _Measure(licensed=True)) == "No pain"


@pytest.mark.django_db
def test_a_dutch_therapist_reads_the_flagged_intake_in_dutch(
    client, personas, submit_intake, treats
):
    treats(personas.therapist, personas.client)
    response = submit_intake(personas.client, "urgent")
    client.force_login(personas.therapist)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    page = client.get(reverse("intake:review-detail", args=[response.pk])).content.decode()
    assert "Mogelijke DVT: eenzijdige zwelling, warmte, roodheid van de kuit" in page
    assert "Heeft u zwelling, warmte of roodheid in maar één kuit (onderbeen)?" in page
    assert "Onderrug" in page  # the pain map marks
    assert "Possible DVT" not in page


def test_widespread_pain_index_areas_read_in_the_language():
    assert painmap.wpi_label("left upper leg") == "upper leg, left"
    with translation.override("nl"):
        assert painmap.wpi_label("left upper leg") == "bovenbeen, links"
        assert painmap.wpi_label("lower back") == "onderrug"
        labels = [painmap.wpi_label(area) for area in painmap.WPI_AREAS]
    assert len(set(labels)) == 19


@pytest.mark.django_db
def test_a_spanish_client_gets_the_step_and_its_errors_in_spanish(client, personas):
    ClientProfile.objects.filter(user=personas.client).update(preferred_language="es")
    client.force_login(personas.client)
    client.post(reverse("intake:start"))
    page = client.post(
        reverse("intake:step", args=["pain"]),
        {"pain_now": "cinco", "pain_best": "8", "pain_worst": "3", "onset": "gradual"},
    ).content.decode()
    assert "Paso 2 de 8" in page
    assert "¿Cómo empezó?" in page
    assert "Poco a poco" in page
    assert "Zona lumbar" in page  # the pain-map list
    assert "Escriba un número entero." in page  # "cinco" is not a number
    assert "El dolor en el mejor momento (8) no puede ser mayor que en el peor (3)." in page
    assert "Esta pregunta necesita una respuesta." in page  # duration left out


def test_an_exclusive_answer_is_named_in_the_language():
    items = ql.parse_items(
        json.loads((INTAKE / "data" / "default_intake.json").read_text())["items"]
    )
    with translation.override("es"):
        errors = ql.validate_answers(items, {"tried": ["nothing", "massage"]}, only={"tried"})
    assert errors["tried"] == ["«Nada todavía» no se puede combinar con otras respuestas."]


@pytest.mark.django_db
def test_a_dutch_client_answers_and_follows_a_builtin_measure_in_dutch(client, personas):
    ClientProfile.objects.filter(user=personas.client).update(preferred_language="nl")
    client.force_login(personas.client)
    url = reverse("intake:answer-outcome", args=["nprs"])
    form = client.post(url, {"pain_now": "11"}).content.decode()
    assert "<h1>Numerieke pijnschaal (NPRS)</h1>" in form
    assert "Hoeveel pijn heeft u op dit moment?" in form
    assert "0 = Geen pijn; 10 = Ergst denkbare pijn" in form
    assert "Moet een geheel getal van 0 tot 10 zijn, niet 11" in form
    client.post(url, {"pain_now": "4"})
    progress = client.get(reverse("intake:my-outcomes")).content.decode()
    assert "Dank u: uw antwoorden voor de Numerieke pijnschaal (NPRS) zijn opgeslagen." in progress
    assert "Patiëntspecifieke klachtenlijst (PSFS)" in progress  # due at intake
    assert "Lager is beter." in progress
