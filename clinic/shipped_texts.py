"""Texts the app ships in English and stores in rows the clinic may edit (questionnaires,
measures, screening rules, advice, the exercise library, vocabularies).

Their English is marked for translation in the *_texts modules; a page shows a stored text
through ``shipped_text``, so a shipped text reads in the reader's language and a text the
clinic wrote or edited, which the catalogues do not know, is shown as written.
"""

from __future__ import annotations

from django.utils.translation import gettext


def shipped_text(text: str) -> str:
    """``text`` in the active language when the catalogues know it, else as it is."""
    return gettext(text) if text else text
