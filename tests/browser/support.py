"""What the browser tests check on a page: axe, focus, sideways scrolling, failed loads."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from playwright.sync_api import ConsoleMessage, Page, Request, Response

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE_PATH = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 320, "height": 640}
# Phones first: pages are loaded at 320 px and then widened.
VIEWPORTS = {"320px": PHONE, "desktop": DESKTOP}
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    },
    "resultTypes": ["violations"],
}


@cache
def axe_source() -> str:
    if not AXE_PATH.exists():
        raise AssertionError(f"{AXE_PATH} is missing: run `npm ci` (or `make assets`)")
    return AXE_PATH.read_text()


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {' '.join(node['target'])}" for node in violation["nodes"])
    return "\n".join(lines)


@dataclass
class Tab:
    page: Page
    base_url: str
    problems: list[str] = field(default_factory=list)

    def watch(self) -> None:
        self.page.on("response", self._on_response)
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        self.page.on("requestfailed", self._on_request_failed)

    def _on_response(self, response: Response) -> None:
        # The page itself may answer 4xx on purpose; what it loads must not.
        if response.status >= 400 and response.request.resource_type != "document":
            self.problems.append(f"{response.status} for {response.url}")

    def _on_request_failed(self, request: Request) -> None:
        # A request cut short by the next navigation is not a failure of the page.
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"request failed ({request.failure}): {request.url}")

    def _on_console(self, message: ConsoleMessage) -> None:
        # A failed load is reported by _on_response with its URL.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problems.append(f"console error: {message.text}")

    def assert_no_problems(self) -> None:
        problems, self.problems[:] = list(self.problems), []
        assert problems == [], "\n".join(problems)

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str) -> Response:
        response = self.page.goto(self.url(path))
        assert response is not None
        self.assert_no_problems()
        return response

    def set_viewport(self, name: str) -> None:
        self.page.set_viewport_size(VIEWPORTS[name])

    def axe_violations(self) -> list[dict]:
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            self.page.evaluate(axe_source())
        return self.page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)[
            "violations"
        ]

    def assert_accessible(self, viewport: str = "") -> None:
        violations = self.axe_violations()
        assert violations == [], (
            f"axe found problems on {self.page.url} {viewport}:\n{describe_violations(violations)}"
        )

    def assert_accessible_at_every_viewport(self) -> None:
        """axe, and no sideways scrolling, at each size from VIEWPORTS (the page stays loaded)."""
        for name in VIEWPORTS:
            self.set_viewport(name)
            self.assert_accessible(name)
            overflow = self.horizontal_overflow()
            assert overflow == 0, f"{self.page.url} scrolls sideways by {overflow}px at {name}"

    def horizontal_overflow(self) -> int:
        """How many pixels the page is wider than the window (0 when nothing scrolls sideways)."""
        return self.page.evaluate(
            "Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"
        )

    def focused(self) -> dict:
        """The focused element: its id, tag, classes and (for a link) href."""
        return self.page.evaluate(
            """() => {
                const el = document.activeElement;
                return {id: el.id, tag: el.tagName.toLowerCase(),
                        classes: [...el.classList], href: el.getAttribute('href'),
                        type: el.getAttribute('type')};
            }"""
        )

    def error_summary_links(self) -> list[str]:
        return self.page.locator(".govuk-error-summary__list a").evaluate_all(
            "links => links.map(link => link.getAttribute('href'))"
        )


def load_baseline(path: Path) -> dict[str, list[str]]:
    return json.loads(path.read_text()) if path.exists() else {}


def axe_findings(violations: list[dict]) -> list[str]:
    """Violations as stable strings, one per rule and element: "rule-id selector"."""
    return sorted(
        {f"{v['id']} {' '.join(node['target'])}" for v in violations for node in v["nodes"]}
    )
