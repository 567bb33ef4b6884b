"""Page helpers for the browser journeys: sign in, run axe-core, watch the console."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from playwright.sync_api import Page, expect

from protutor.people.demo import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]


@cache
def axe_source() -> str:
    """axe-core from npm (node_modules), else the copy bundled with axe-playwright-python."""
    npm_copy = ROOT / "node_modules" / "axe-core" / "axe.min.js"
    if npm_copy.exists():
        return npm_copy.read_text()
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


def axe_violations(page: Page) -> list[dict]:
    # evaluate() rather than add_script_tag(): the strict CSP blocks an injected <script>.
    page.evaluate(axe_source())
    violations = page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',"
        " 'wcag22aa', 'best-practice'], resultTypes: ['violations']})).violations"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in violations
    ]


def watch_console(page: Page) -> list[str]:
    """Collect console errors and uncaught exceptions; CSP violations show up here."""
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    return problems


def sign_in(page: Page, base_url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Sign in to protutor")
