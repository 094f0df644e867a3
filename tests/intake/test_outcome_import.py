"""The import_instrument command: a clinic's licensed copy in, clear errors for bad files."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from intake.instruments import HERE
from intake.models import OutcomeInstrument
from intake.scoring import score

pytestmark = pytest.mark.django_db

EXAMPLE = HERE / "examples" / "odi-import.example.json"


def run(path, *extra):
    out = StringIO()
    call_command("import_instrument", str(path), *extra, stdout=out)
    return out.getvalue()


def test_imports_the_example_with_the_shipped_rule_and_licence():
    output = run(EXAMPLE, "--licence", "Clinic licence ODI-2026-7")
    assert "Imported Oswestry Disability Index version 2.1a (10 items" in output
    odi = OutcomeInstrument.objects.get(code="odi", is_active=True)
    assert odi.licence_reference == "Clinic licence ODI-2026-7"
    assert odi.licence_required
    result = score(odi.parsed, {f"s{i}": 1 for i in range(1, 11)})
    assert (str(result.value), result.band) == ("20.00", "0-20%")


def test_licensed_instrument_without_licence_is_refused():
    with pytest.raises(CommandError, match="needs the clinic's licence reference"):
        run(EXAMPLE)
    assert not OutcomeInstrument.objects.filter(code="odi").exists()


def test_missing_file_and_bad_json_are_explained(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run(tmp_path / "nope.json", "--licence", "x")
    broken = tmp_path / "broken.json"
    broken.write_text('{"id": "odi",\n "items": [}')
    with pytest.raises(CommandError, match="not valid JSON at line 2"):
        run(broken, "--licence", "x")


def test_every_problem_is_listed(tmp_path):
    data = json.loads(EXAMPLE.read_text())
    data["items"][0]["max"] = 4
    del data["items"][9]
    path = tmp_path / "odi.json"
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError) as caught:
        run(path, "--licence", "x")
    assert "item 's1': max is 4 but the scoring rule expects 5" in str(caught.value)
    assert "item 's10': missing" in str(caught.value)


def test_the_same_version_twice_is_refused():
    run(EXAMPLE, "--licence", "x")
    with pytest.raises(CommandError, match="already imported"):
        run(EXAMPLE, "--licence", "x")
