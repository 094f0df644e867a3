"""Every user-facing string is translatable and every catalogue is complete and compiled.

- The Dutch and Spanish catalogues have no untranslated and no fuzzy entry.
- The committed .mo files say exactly what their .po files say (compiled with polib, pure
  Python, so no machine needs GNU gettext to check; ``make messages`` recompiles them).
- No template shows text outside {% translate %} / {% blocktranslate %}: a small extractor
  strips comments, tags, variables, translated blocks and script/style contents and reports
  any remaining visible word, and any word in an alt/title/aria-label/placeholder attribute
  or a |default:"..." or |yesno:"..." literal, as file:line.
- Every msgid the source uses (literal gettext-family calls in the apps' Python, read with ast;
  {% translate %} strings and {% blocktranslate %} bodies in templates) is in both catalogues,
  reported as file:line, so a string added without ``make messages`` fails here.
"""

from __future__ import annotations

import gettext
import io
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
LOCALE = BASE / "locale"
TEMPLATES = BASE / "templates"
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]


def _catalogue(code: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / code / "LC_MESSAGES" / "django.po"))


def _label(entry: polib.POEntry) -> str:
    where = entry.occurrences[0] if entry.occurrences else ("?", "")
    return f"{where[0]}:{where[1]}  {entry.msgid[:60]!r}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_catalogue_is_complete(code):
    catalogue = _catalogue(code)
    missing = [_label(e) for e in catalogue.untranslated_entries() if not e.obsolete]
    fuzzy = [_label(e) for e in catalogue.fuzzy_entries() if not e.obsolete]
    assert not missing, f"{code}: {len(missing)} untranslated:\n" + "\n".join(missing)
    assert not fuzzy, f"{code}: {len(fuzzy)} fuzzy:\n" + "\n".join(fuzzy)


def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"%\(\w+\)[sd]|\{\w*\}", text))


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_keep_every_placeholder(code):
    wrong = []
    for entry in _catalogue(code).translated_entries():
        wanted = _placeholders(entry.msgid)
        if entry.msgid_plural:
            for form in entry.msgstr_plural.values():
                # A singular form may name the count in words ("one", "een").
                if set(_placeholders(form)) - set(_placeholders(entry.msgid_plural)):
                    wrong.append(_label(entry))
        elif _placeholders(entry.msgstr) != wanted:
            wrong.append(_label(entry))
    assert not wrong, f"{code}: placeholders differ:\n" + "\n".join(wrong)


def _read_mo(data: bytes) -> dict:
    catalogue = dict(gettext.GNUTranslations(io.BytesIO(data))._catalog)  # type: ignore[attr-defined]
    # msgfmt leaves the POT-Creation-Date out of the header, polib keeps it: not a difference.
    catalogue[""] = re.sub(r"POT-Creation-Date:[^\n]*\n", "", catalogue.get("", ""))
    return catalogue


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_committed_mo_is_compiled_from_the_po(code, tmp_path):
    compiled = tmp_path / "django.mo"
    _catalogue(code).save_as_mofile(str(compiled))
    committed = LOCALE / code / "LC_MESSAGES" / "django.mo"
    assert _read_mo(committed.read_bytes()) == _read_mo(compiled.read_bytes()), (
        f"{committed} is stale: run `make messages`"
    )


# --- the template extractor check --------------------------------------------------------

_KEEP_LINES = re.compile(r"[^\n]")


def _blank(match: re.Match[str]) -> str:
    """Remove a match but keep its newlines, so line numbers stay right."""
    return _KEEP_LINES.sub(" ", match.group(0))


_REMOVED = [
    re.compile(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S),
    re.compile(r"\{#.*?#\}", re.S),
    re.compile(r"\{%\s*blocktrans(?:late)?\b.*?\{%\s*endblocktrans(?:late)?\s*%\}", re.S),
    re.compile(r"<script\b.*?</script>", re.S | re.I),
    re.compile(r"<style\b.*?</style>", re.S | re.I),
]
_ATTRIBUTE = re.compile(r"\b(?:alt|title|aria-label|placeholder)\s*=\s*(\"[^\"]*\"|'[^']*')", re.I)
_DEFAULT_LITERAL = re.compile(r"\|(?:default|default_if_none|yesno):(\"[^\"]*\"|'[^']*')")
_TEMPLATE_CODE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)
_HTML_TAG = re.compile(r"<[^>]*>", re.S)
_ENTITY = re.compile(r"&#?\w+;")
_WORD = re.compile(r"[^\W\d_]")


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def untranslated_text(source: str) -> list[tuple[int, str]]:
    """(line, text) of every visible piece of ``source`` that no translate tag covers."""
    for pattern in _REMOVED:
        source = pattern.sub(_blank, source)
    found = []
    for match in _DEFAULT_LITERAL.finditer(source):
        # A lower-case word is a code ('en', 'info'), not text: words have capitals or spaces.
        if _WORD.search(match.group(1)) and not re.fullmatch(r"[a-z_-]+", match.group(1)[1:-1]):
            found.append((_line(source, match.start()), match.group(0)))
    # Template code becomes blank, so an attribute holding {% translate "..." %} reads empty.
    source = _TEMPLATE_CODE.sub(_blank, source)
    for match in _ATTRIBUTE.finditer(source):
        if _WORD.search(_ENTITY.sub(" ", match.group(1))):
            found.append((_line(source, match.start()), match.group(0).strip()))
    source = _HTML_TAG.sub(_blank, source)
    source = _ENTITY.sub(_blank, source)
    for number, line in enumerate(source.splitlines(), start=1):
        if _WORD.search(line):
            found.append((number, line.strip()))
    return sorted(found)


def _templates() -> list[Path]:
    return sorted(p for p in TEMPLATES.rglob("*") if p.suffix in {".html", ".txt"})


def test_the_extractor_finds_plain_text_and_ignores_translated_text():
    source = (
        '{% load i18n %}<p title="{% translate "Hint" %}">{% translate "Hello" %}</p>\n'
        "{# a comment #}<p>{{ name }} · 12:30</p>\n"
        "{% blocktranslate %}Hi {{ name }}{% endblocktranslate %}\n"
        "<script>var words = 1;</script>\n"
        '<img alt="A logo">\n'
        "<p>Plain words</p>\n"
        '{{ value|default:"Nothing" }}{{ level|default:"info" }}\n'
        '{{ flag|yesno:"yes,no" }}\n'
    )
    assert [line for line, _text in untranslated_text(source)] == [5, 6, 7, 8]


def test_every_template_string_is_translatable():
    offenders = []
    for path in _templates():
        relative = path.relative_to(BASE).as_posix()
        for line, text in untranslated_text(path.read_text()):
            offenders.append(f"{relative}:{line}: {text[:70]}")
    assert not offenders, f"{len(offenders)} untranslated template strings:\n" + "\n".join(
        offenders
    )


# --- every msgid the source uses is in the catalogues -------------------------------------

APPS = ("clinic", "therapists", "intake", "booking", "workspace")
_GETTEXT_CALLS = {
    "_": (None, 0),
    "gettext": (None, 0),
    "gettext_lazy": (None, 0),
    "gettext_noop": (None, 0),
    "ngettext": (None, 0),
    "ngettext_lazy": (None, 0),
    "pgettext": (0, 1),
    "pgettext_lazy": (0, 1),
    "npgettext": (0, 1),
    "npgettext_lazy": (0, 1),
}
_QUOTED = r"(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')"
_TRANSLATE_TAG = re.compile(r"\{%\s*trans(?:late)?\s+" + _QUOTED + r"(.*?)%\}", re.S)
_UNDERSCORE_LITERAL = re.compile(r"\b_\(" + _QUOTED + r"\)")
_CONTEXT = re.compile(r"\bcontext\s+" + _QUOTED)
_BLOCK = re.compile(
    r"\{%\s*blocktrans(?:late)?\b(.*?)%\}(.*?)\{%\s*endblocktrans(?:late)?\s*%\}", re.S
)
_PLURAL_TAG = re.compile(r"\{%\s*plural\s*%\}")
_BLOCK_VARIABLE = re.compile(r"\{\{\s*(\w+)\s*\}\}")

Msgid = tuple[str | None, str]  # (msgctxt, msgid)


def python_msgids(source: str) -> list[tuple[int, Msgid]]:
    """(line, (context, msgid)) of each gettext-family call whose text is a literal."""
    import ast

    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name not in _GETTEXT_CALLS:
            continue
        context_at, msgid_at = _GETTEXT_CALLS[name]
        args = node.args
        literal = [isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args]
        if len(args) <= msgid_at or not literal[msgid_at]:
            continue
        context = None
        if context_at is not None:
            if not literal[context_at]:
                continue
            context = args[context_at].value  # type: ignore[attr-defined]
        found.append((node.lineno, (context, args[msgid_at].value)))  # type: ignore[attr-defined]
    return found


def _unquote(quoted: str) -> str:
    return re.sub(r"\\(.)", r"\1", quoted[1:-1])


def _block_msgid(body: str, trimmed: bool) -> str:
    # As Django's blocktranslate: {{ name }} becomes %(name)s and a literal % is doubled.
    text = _BLOCK_VARIABLE.sub(lambda m: "\0" + m.group(1) + "\1", body).replace("%", "%%")
    text = text.replace("\0", "%(").replace("\1", ")s")
    if trimmed:
        text = re.sub(r"\s*\n\s*", " ", text.strip())
    return text


def template_msgids(source: str) -> list[tuple[int, Msgid]]:
    """(line, (context, msgid)) of each {% translate "..." %}, _("...") and blocktranslate body."""
    found = []
    for match in _TRANSLATE_TAG.finditer(source):
        context = _CONTEXT.search(match.group(2))
        msgid = _unquote(match.group(1))
        found.append(
            (_line(source, match.start()), (context and _unquote(context.group(1)), msgid))
        )
    for match in _UNDERSCORE_LITERAL.finditer(source):
        found.append((_line(source, match.start()), (None, _unquote(match.group(1)))))
    for match in _BLOCK.finditer(source):
        options = match.group(1)
        context = _CONTEXT.search(options)
        trimmed = re.search(r"\btrimmed\b", options) is not None
        for body in _PLURAL_TAG.split(match.group(2)):
            msgid = _block_msgid(body, trimmed)
            found.append(
                (_line(source, match.start()), (context and _unquote(context.group(1)), msgid))
            )
    return found


def _source_msgids() -> list[tuple[str, int, Msgid]]:
    used = []
    for app in APPS:
        for path in sorted((BASE / app).rglob("*.py")):
            relative = path.relative_to(BASE).as_posix()
            used += [(relative, line, m) for line, m in python_msgids(path.read_text())]
    for path in _templates():
        relative = path.relative_to(BASE).as_posix()
        used += [(relative, line, m) for line, m in template_msgids(path.read_text())]
    return used


def _known_msgids(code: str) -> set[Msgid]:
    known: set[Msgid] = set()
    for entry in _catalogue(code):
        if not entry.obsolete:
            known.add((entry.msgctxt or None, entry.msgid))
            if entry.msgid_plural:
                known.add((entry.msgctxt or None, entry.msgid_plural))
    return known


def missing_msgids(used: list[tuple[str, int, Msgid]], known: set[Msgid]) -> list[str]:
    """file:line and text of each used msgid the catalogue lacks."""
    return [
        f"{where}:{line}: {msgid[:60]!r}" + (f" (context {context!r})" if context else "")
        for where, line, (context, msgid) in used
        if (context, msgid) not in known
    ]


def test_the_msgid_extractor_reads_python_and_templates_as_makemessages_does():
    python = (
        "from django.utils.translation import gettext as _, pgettext\n"
        "A = _('Plain')\n"
        "B = translation.gettext_lazy('Lazy ' 'joined')\n"
        "C = pgettext('month', 'May')\n"
        "D = ngettext('One visit', '%(n)s visits', n)\n"
        "E = _(f'{x} computed')\n"
        "F = print('not a message')\n"
    )
    assert python_msgids(python) == [
        (2, (None, "Plain")),
        (3, (None, "Lazy joined")),
        (4, ("month", "May")),
        (5, (None, "One visit")),
    ]
    template = (
        '{% load i18n %}<p>{% translate "Hello" %}</p>\n'
        "<p>{% translate 'Back' context 'body view' %}</p>\n"
        "{% blocktranslate with day=d|date %}Seen on {{ day }}, 100% sure{% endblocktranslate %}\n"
        "{% blocktranslate trimmed count n=k %}\n  One item\n  here\n"
        "{% plural %}{{ n }} items{% endblocktranslate %}\n"
        '{{ value|default:_("None yet") }}\n'
    )
    assert sorted(template_msgids(template)) == [
        (1, (None, "Hello")),
        (2, ("body view", "Back")),
        (3, (None, "Seen on %(day)s, 100%% sure")),
        (4, (None, "%(n)s items")),
        (4, (None, "One item here")),
        (8, (None, "None yet")),
    ]


def test_a_new_translate_tag_without_a_catalogue_entry_is_reported():
    used = [
        ("templates/x.html", 3, m)
        for _line_number, m in template_msgids('{% translate "A brand new phrase" %}')
    ]
    used += [("clinic/x.py", 7, m) for _n, m in python_msgids("_('Known')")]
    assert missing_msgids(used, known={(None, "Known")}) == [
        "templates/x.html:3: 'A brand new phrase'"
    ]


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_msgid_in_the_source_is_in_the_catalogue(code):
    missing = missing_msgids(_source_msgids(), _known_msgids(code))
    assert not missing, (
        f"{code}: {len(missing)} msgids not in the catalogue (run `make messages`):\n"
        + "\n".join(missing)
    )
