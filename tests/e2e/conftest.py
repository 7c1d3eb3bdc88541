"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium), with axe-core.

Never `playwright install`: the machine's own Chromium is launched by path. axe-core comes
from npm (package.json) and is injected into each page scanned.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by test set-up
# are still plain synchronous code, so Django's async-safety guard is relaxed for e2e only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, Page, expect, sync_playwright

from caseworks.accounts.tests.factories import TEST_PASSWORD

from .portal_world import phone_context
from .steps import StepCounter

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CASEWORKS_CHROMIUM", "/usr/bin/chromium")
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOT_DIR = os.environ.get("CASEWORKS_SCREENSHOT_DIR", "")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


# One browser per test module: Playwright's event loop stops with it, so the tests that a
# pytest-xdist worker runs after a browser module (procrastinate's async_to_sync, the health
# checks) find no loop running in their thread.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run tools/install-system-deps.sh")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A page on a phone (390x844, touch) for the client's journeys in the portal."""
    context = phone_context(browser)
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="en-CA", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    opened = context.new_page()
    # The Content-Security-Policy must never block one of our own scripts or styles.
    blocked: list[str] = []
    opened.on(
        "console",
        lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
    )
    yield opened
    context.close()
    assert blocked == [], blocked


def axe_violations(page: Page, minimum: tuple[str, ...] = ("serious", "critical")) -> list[Any]:
    """Run axe-core on the current page; return violations of the given impacts."""
    if not AXE_JS.exists():
        pytest.fail("axe-core is missing: run `npm install` (make test does)")
    # Evaluated by the test driver, not added as an inline <script> (which the CSP refuses).
    page.evaluate(AXE_JS.read_text())
    results = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: [
                'wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'
            ]},
            resultTypes: ['violations']
        })"""
    )
    return [v for v in results["violations"] if v.get("impact") in minimum]


def assert_accessible(page: Page, label: str = "") -> None:
    violations = axe_violations(page)
    if violations:
        summary = [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"][:5]],
            }
            for v in violations
        ]
        pytest.fail(
            f"axe: serious/critical violations on {label or page.url}:\n"
            + json.dumps(summary, indent=1)
        )


def login(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")
    pass_second_factor(page, username)


def pass_second_factor(page: Page, username: str) -> None:
    """Step two of signing in, as a person with a recovery code in hand: every staff session
    passes a second factor (caseworks.accounts.second_factor). A recovery code works any number
    of times a minute, where an authenticator's code works once per 30 seconds."""
    if "/second-factor/" not in page.url:
        return
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken  # noqa: PLC0415

    from caseworks.accounts.models import User  # noqa: PLC0415

    user = User.objects.get(username=username)
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="Recovery codes", defaults={"confirmed": True}
    )
    code = StaticToken.random_token()
    StaticToken.objects.create(device=device, token=code)
    if "/second-factor/setup/" in page.url:
        page.goto(page.url.replace("/second-factor/setup/", "/second-factor/"))
    page.fill("#id_code", code)
    with page.expect_navigation():
        page.locator("#second-factor-submit").click()
    page.wait_for_load_state("networkidle")


def screenshot(page: Page, name: str) -> None:
    """Write docs screenshots only when asked (CASEWORKS_SCREENSHOT_DIR), never in CI by default."""
    if SCREENSHOT_DIR:
        Path(SCREENSHOT_DIR).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOT_DIR) / f"{name}.png"), full_page=True)


SIGN_IN = {"en": "Sign in", "fr": "Se connecter"}
StaffDesk = Callable[[Any, str, str], tuple[Page, StepCounter]]


@pytest.fixture
def staff_desk(browser: Browser) -> Iterator[StaffDesk]:
    """`open_as(user, base_url, language)`: a browser of its own for each member of staff,
    signed in (second factor passed) with the page in the language asked, and a StepCounter
    started after signing in (signing in is not part of any journey)."""
    contexts = []

    def open_as(user: Any, base: str, language: str) -> tuple[Page, StepCounter]:
        context = browser.new_context(locale="en-CA", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        steps = StepCounter(page)
        page.goto(f"{base}/login/")
        if language == "fr":
            with page.expect_navigation():
                page.get_by_role("button", name="Français").click()
        page.fill("#id_username", user.username)
        page.fill("#id_password", TEST_PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name=SIGN_IN[language], exact=True).click()
        pass_second_factor(page, user.username)
        expect(page.locator("html")).to_have_attribute("lang", language)
        steps.reset()
        return page, steps

    yield open_as
    for context in contexts:
        context.close()
