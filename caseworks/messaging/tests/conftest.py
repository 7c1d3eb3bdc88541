from __future__ import annotations

import pytest
from django.urls import get_resolver


@pytest.fixture(autouse=True, scope="session")
def _urls_loaded_before_time_is_frozen() -> None:
    """Load the URLs (and the API's pydantic schemas) before a test freezes the clock: a
    module first imported under freezegun keeps its fake datetime class, which pydantic then
    cannot build a schema for."""
    get_resolver().url_patterns  # noqa: B018  # the import is the point
