"""Message templates for the outbox: loaded once per process, fixed translations memoised.

A reminder's subject, text and HTML are three renders of about 70 template nodes; a fan-out
renders them thousands of times a minute in a handful of languages. A ``{% translate %}`` of a
literal (or a ``{% blocktranslate %}`` without variables) gives the same output for the same
language and autoescaping every time, yet Django looks it up in the catalogue chain on every
render; a ``{% blocktranslate %}`` with variables looks up the same message every time.
:func:`message_template` rewrites those nodes, once per compiled template (and the templates
it extends or includes by a literal name), into nodes that remember their output (or their
translated message) per language. Everything else renders as before, and the variables of a
``{% blocktranslate %}`` are resolved and escaped as Django does, so the output is the same
byte for byte (``tests/clinic/notifications/test_templating.py``). The cache is dropped when the language settings change (tests do that).
"""

from __future__ import annotations

import threading
from typing import Any, TypeGuard

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import Context
from django.template.base import (
    Node,
    NodeList,
    Template,
    TokenType,
    Variable,
    render_value_in_context,
)
from django.template.loader import get_template
from django.template.loader_tags import ExtendsNode, IncludeNode
from django.templatetags.i18n import BlockTranslateNode, TranslateNode
from django.utils import translation

_lock = threading.RLock()  # re-entered: a template prepares its parent and includes
_prepared: set[int] = set()  # ids of base Templates already rewritten (kept alive by the loader)
_generation = 0


@receiver(setting_changed)
def _settings_changed(*, setting: str, **kwargs: Any) -> None:
    global _generation
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS"}:
        _generation += 1


class FixedTranslationNode(Node):
    """A translation whose output depends only on the language and autoescaping."""

    child_nodelists = ()

    def __init__(self, node: Node) -> None:
        self.node = node
        self.token = node.token
        self.origin = node.origin
        self.outputs: dict[tuple[int, str | None, bool], str] = {}

    def render(self, context: Context) -> str:
        key = (_generation, translation.get_language(), context.autoescape)
        try:
            return self.outputs[key]
        except KeyError:
            output = self.node.render(context)
            self.outputs[key] = output
            return output


class MemoisedBlockTranslationNode(Node):
    """A ``{% blocktranslate %}`` with variables and one form: the message it looks up in the
    catalogue is fixed, so its translation is remembered per language; the variables are
    resolved and escaped on every render exactly as Django does."""

    child_nodelists = ()

    def __init__(self, node: BlockTranslateNode) -> None:
        self.node = node
        self.token = node.token
        self.origin = node.origin
        self.singular, self.vars = node.render_token_list(node.singular)
        self.translations: dict[tuple[int, str | None], str] = {}

    def render(self, context: Context) -> str:
        node = self.node
        key = (_generation, translation.get_language())
        try:
            result = self.translations[key]
        except KeyError:
            result = self.translations[key] = translation.gettext(self.singular)
        context.update({var: val.resolve(context) for var, val in node.extra_context.items()})
        default_value = context.template.engine.string_if_invalid  # type: ignore[union-attr]
        data = {}
        for name in self.vars:
            if name in context:
                value = context[name]
            else:
                value = default_value % name if "%s" in default_value else default_value
            data[name] = render_value_in_context(value, context)
        context.pop()
        try:
            return result % data
        except (KeyError, ValueError):
            return str(node.render(context))  # Django's own way out of a malformed translation


def _literal(expression: Any) -> str | None:
    """The string of a filter expression that is a quoted string with no filters, else None."""
    if getattr(expression, "filters", True):
        return None
    var = getattr(expression, "var", None)
    if isinstance(var, Variable):
        return var.literal if isinstance(var.literal, str) else None
    # A constant is resolved when the template is parsed (extends and include names).
    return var if isinstance(var, str) else None


def _fixed(node: Node) -> bool:
    if isinstance(node, TranslateNode):
        return (
            node.asvar is None
            and node.message_context is None
            and not node.noop
            and _literal(node.filter_expression) is not None
        )
    # A memoisable blocktranslate with no variables and no "with": its output is fixed too.
    return (
        _memoisable(node)
        and not node.extra_context
        and all(token.token_type == TokenType.TEXT for token in node.singular)
    )


def _memoisable(node: Node) -> TypeGuard[BlockTranslateNode]:
    return (
        isinstance(node, BlockTranslateNode)
        and node.asvar is None
        and node.message_context is None
        and not node.plural
        and node.countervar is None
    )


def _rewrite(nodelist: NodeList, engine: Any) -> None:
    for index, node in enumerate(nodelist):
        if _fixed(node):
            nodelist[index] = FixedTranslationNode(node)
            continue
        if _memoisable(node):
            nodelist[index] = MemoisedBlockTranslationNode(node)
            continue
        for attr in getattr(node, "child_nodelists", ()):
            child = getattr(node, attr, None)
            if child is not None:
                _rewrite(child, engine)
        for _condition, child in getattr(node, "conditions_nodelists", ()):
            _rewrite(child, engine)
        name = None
        if isinstance(node, ExtendsNode):
            name = _literal(node.parent_name)
        elif isinstance(node, IncludeNode):
            name = _literal(node.template)
        if name is not None:
            _prepare(engine.get_template(name))


def _prepare(template: Template) -> None:
    if id(template) in _prepared:
        return
    with _lock:
        if id(template) in _prepared:
            return
        _rewrite(template.nodelist, template.engine)
        _prepared.add(id(template))


def message_template(name: str) -> Any:
    """The backend template ``name`` (from the cached loader), prepared as described above."""
    template = get_template(name)
    _prepare(template.template)  # type: ignore[attr-defined]  # the DjangoTemplates backend's
    return template
