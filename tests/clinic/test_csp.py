"""Content-Security-Policy: the app's own files only, no inline script or style anywhere.

Every page the access matrix renders is also checked for the header and for inline code
(tests/test_access_matrix.py); here are the policy itself, the template scan and the one
relaxed page (Swagger UI).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.inline_code import inline_code

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def _is_email(path: Path) -> bool:
    # E-mail bodies never reach a browser as a page, and mail clients drop <style> and
    # stylesheets, so their styles stay inline.
    relative = path.relative_to(TEMPLATES)
    return "messages" in relative.parts or relative.as_posix() == "notifications/email_base.html"


def _page_templates() -> list[Path]:
    return sorted(p for p in TEMPLATES.rglob("*.html") if not _is_email(p))


def _directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {part[0]: part[1:] for part in parts}


def test_templates_hold_no_inline_script_or_style():
    offenders = {
        str(path.relative_to(TEMPLATES)): found
        for path in _page_templates()
        if (found := inline_code(path.read_text()))
    }
    assert len(_page_templates()) > 50
    assert offenders == {}


def test_the_scan_recognises_each_kind_of_inline_code():
    for html in (
        "<script>alert(1)</script>",
        '<script type="module">import x from "/y"</script>',
        "<style>p{}</style>",
        '<p style="color: red">',
        '<button type="button" onclick="go()">',
        '<div hx-on:click="go()">',
        '<a href="javascript:go()">',
    ):
        assert inline_code(html), html
    assert not inline_code('<script src="/static/js/unwind.js" defer></script>')
    assert not inline_code('<link rel="stylesheet" href="/static/css/unwind.css">')
    assert not inline_code('<div class="blk" data-top="12.5" data-height="4">')


@pytest.mark.parametrize("name", ["index", "login", "register", "password_reset"])
def test_pages_send_a_strict_policy(client, name):
    response = client.get(reverse(name))

    policy = _directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert inline_code(response.content.decode()) == []
    # A template comment spread over lines ({# ... #} is one line only) would show as text.
    assert "{#" not in response.content.decode()


def test_api_responses_carry_the_policy_too(client):
    response = client.get(reverse("api:root"))
    assert _directives(response)["default-src"] == ["'self'"]


def test_swagger_ui_runs_without_inline_code_and_only_adds_data_images(client):
    page = client.get(reverse("api:docs"))
    init = client.get(reverse("api:docs") + "?script=")

    assert page.status_code == 200
    assert inline_code(page.content.decode()) == []
    assert "{#" not in page.content.decode()
    assert '<script src="/api/v1/docs/?script="></script>' in page.content.decode()
    policy = _directives(page)
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert init.status_code == 200
    assert init["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in init.content.decode()


def test_only_the_swagger_page_allows_data_images(client):
    assert _directives(client.get(reverse("index")))["img-src"] == ["'self'"]


def test_site_behaviours_are_a_static_file(client):
    page = client.get(reverse("index")).content.decode()
    assert '<script src="/static/js/unwind.js" defer></script>' in page
    assert '"includeIndicatorStyles":false' in page
    assert '"allowEval":false' in page
