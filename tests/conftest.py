"""Cross-app suites use the same fixtures as the apps' own tests (caseworks/conftest.py)."""

from caseworks.conftest import (  # noqa: F401  # re-exported pytest fixtures
    _language_reset_after_test,
    _second_factor_on_force_login,
    caseworker,
    other_caseworker,
    other_partner,
    partner,
    users,
)
