"""``compilemessages`` without GNU gettext: compile every locale/*/LC_MESSAGES/*.po with polib.

The .mo files are committed; tests/test_translations.py checks they match their .po, so run
this (``make messages``) after editing a catalogue.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the .po catalogues under LOCALE_PATHS into .mo files (pure Python)."

    def handle(self, *args: Any, **options: Any) -> None:
        for folder in settings.LOCALE_PATHS:
            for po_path in sorted(Path(folder).glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
                self.stdout.write(f"compiled {mo_path.relative_to(settings.BASE_DIR)}")
