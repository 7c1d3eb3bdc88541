"""Cross-app suites use the same fixtures as the apps' own tests (caseworks/conftest.py)."""

import os

import pytest

from caseworks.conftest import (  # noqa: F401  # re-exported pytest fixtures
    _language_reset_after_test,
    _second_factor_on_force_login,
    caseworker,
    other_caseworker,
    other_partner,
    partner,
    users,
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """CASEWORKS_SERIAL=exclude leaves out the tests marked `serial` (they take over the whole
    test cluster: a streaming replica, a restore drill); =only keeps just them. `make test`
    (tools/run-suite.sh) runs the rest on every core, then these alone."""
    mode = os.environ.get("CASEWORKS_SERIAL", "")
    if mode not in ("exclude", "only"):
        return
    keep, drop = [], []
    for item in items:
        serial = item.get_closest_marker("serial") is not None
        (keep if serial == (mode == "only") else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
