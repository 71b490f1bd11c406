"""Every page type passes axe-core's checks in Chromium: no serious or critical violations."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import DESKTOP, EVERY_PAGE_TYPE, PHONE, expected_status

if TYPE_CHECKING:
    from playwright.sync_api import Page

BLOCKING_IMPACTS = {"serious", "critical"}

# axe-core on the whole document, or with a CSS selector on that part of it only: the
# violations, and how many rules passed (which shows the part was found and checked).
RUN_AXE = """async (selector) => {
    const context = selector ? {include: [selector]} : document;
    const results = await axe.run(context, {resultTypes: ['violations']});
    return {
        passes: results.passes.length,
        violations: results.violations.map(v => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            helpUrl: v.helpUrl,
            nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
        })),
    };
}"""


CASES = [
    *(pytest.param(name, DESKTOP, id=f"{name}-desktop") for name in EVERY_PAGE_TYPE),
    pytest.param("home", {**PHONE, "mobile": True}, id="home-phone"),
    pytest.param("book", {**PHONE, "mobile": True}, id="book-phone"),
]


def describe(violation: dict) -> str:
    nodes = "\n".join(
        f"      {node['target']}\n        {' '.join((node['summary'] or '').split())}"
        for node in violation["nodes"][:5]
    )
    more = len(violation["nodes"]) - 5
    if more > 0:
        nodes += f"\n      ... and {more} more"
    return (
        f"  {violation['id']} ({violation['impact']}): {violation['help']}\n"
        f"    {violation['helpUrl']}\n{nodes}"
    )


@pytest.mark.parametrize(("name", "viewport"), CASES)
def test_page_has_no_serious_accessibility_violations(
    open_page: Callable[..., Page],
    page_paths: dict[str, str],
    axe_script: Path,
    name: str,
    viewport: dict[str, int | bool],
) -> None:
    page = open_page(**viewport, bypass_csp=True)  # to inject axe-core
    response = page.goto(page_paths[name])
    assert response.status == expected_status(name), f"{name}: HTTP {response.status}"
    page.add_script_tag(path=str(axe_script))
    violations = page.evaluate(RUN_AXE, None)["violations"]

    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, (
        f"axe-core found {len(blocking)} serious or critical problem(s) on {name} "
        f"({page_paths[name]}) at {viewport['width']}px:\n"
        + "\n".join(describe(v) for v in blocking)
    )
