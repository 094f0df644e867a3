"""Run axe-core in a Playwright page and fail on serious or critical violations.

axe.min.js comes from the axe-playwright-python package (pinned in the dev extra), read from
disk and evaluated through Playwright: no CDN, and no inline script for the page's
Content-Security-Policy to refuse (page.evaluate is not page script).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import axe_playwright_python
import pytest

AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
BLOCKING = ("serious", "critical")


def axe_violations(page: Any, *, impacts: tuple[str, ...] = BLOCKING) -> list[dict[str, Any]]:
    """axe's violations of the given impacts on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    results = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations'], iframes: false})"
    )
    return [v for v in results["violations"] if v.get("impact") in impacts]


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            target = " ".join(str(t) for t in node.get("target", []))
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {target}: {summary}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    ... and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def assert_accessible(page: Any, where: str = "") -> None:
    """Fail with a readable list when axe finds a serious or critical violation."""
    violations = axe_violations(page)
    if violations:
        pytest.fail(
            f"axe: {len(violations)} serious or critical violation(s) on {where or page.url}:\n"
            + describe(violations),
            pytrace=False,
        )
