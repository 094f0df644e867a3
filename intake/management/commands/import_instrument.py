"""Import a licensed (or custom) outcome instrument from the clinic's own JSON copy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clinic.exceptions import ApplicationError
from intake.instruments import DefinitionError
from intake.outcomes import instrument_import


class Command(BaseCommand):
    help = (
        "Import an outcome instrument from a JSON definition (see "
        "intake/instruments/examples/). A copy without 'scoring' uses the shipped rule for its id."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The clinic's JSON copy of the instrument.")
        parser.add_argument(
            "--licence", default="", help="The clinic's licence reference (licensed instruments)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file.") from None
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{path}: cannot be read ({error}).") from None
        except json.JSONDecodeError as error:
            raise CommandError(
                f"{path}: not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}."
            ) from None
        try:
            instrument = instrument_import(data=data, licence_reference=options["licence"])
        except DefinitionError as error:
            lines = "\n".join(f"  - {problem}" for problem in error.errors)
            raise CommandError(f"{path}: the definition has problems:\n{lines}") from None
        except ApplicationError as error:
            raise CommandError(f"{path}: {error.message}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {instrument.name} version {instrument.version} "
                f"({len(instrument.parsed.items)} items, scored by '{instrument.parsed.scoring.kind}')."
            )
        )
