"""What the Content-Security-Policy refuses in HTML: inline script and inline style.

Shared by the template scan (tests/clinic/test_csp.py) and the access matrix, which checks every
page it renders.
"""

from __future__ import annotations

import re

INLINE_PATTERNS = {
    # A <script> element without src= runs inline code (data blocks are not used here either).
    "inline <script>": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "<style> element": re.compile(r"<style\b", re.IGNORECASE),
    "style attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE),
    "on* event attribute": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE),
    "hx-on attribute": re.compile(r"\shx-on(?::|-|\s*=)", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def inline_code(html: str) -> list[str]:
    """The kinds of inline script or style found in ``html`` with a snippet of each."""
    found = []
    for kind, pattern in INLINE_PATTERNS.items():
        for match in pattern.finditer(html):
            found.append(f"{kind}: {html[match.start() : match.start() + 80]!r}")
    return found
