"""Counting the steps of a journey in the browser: form submissions and page loads.

`StepCounter(page)` counts every form submission the person makes (a `submit` event on the
page, whatever the method: a search is a step too) and every page load of the main frame.
`docs/step-budgets.md` lists the budgets the browser tests enforce with it:

    steps = StepCounter(page)
    ... the journey ...
    steps.assert_within(submits=3, journey="add a newborn to a case")
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

# Registered before any page script: a capturing listener sees every submission, including
# one a page script would cancel (a double click stopped by app.js still cost the person a click).
_LISTENER = (
    "document.addEventListener('submit', function () { window.__caseworksSubmitted(); }, true);"
)


class StepCounter:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.submits = 0
        self.page_loads = 0
        page.expose_function("__caseworksSubmitted", self._submitted)
        page.add_init_script(_LISTENER)
        page.on("framenavigated", self._navigated)

    def _submitted(self, *_args: Any) -> None:
        self.submits += 1

    def _navigated(self, frame: Any) -> None:
        if frame == self.page.main_frame:
            self.page_loads += 1

    def reset(self) -> None:
        self.submits = 0
        self.page_loads = 0

    def assert_within(self, *, submits: int, journey: str) -> None:
        assert self.submits <= submits, (
            f"{journey}: {self.submits} submits, over its budget of {submits} "
            "(docs/step-budgets.md)"
        )
