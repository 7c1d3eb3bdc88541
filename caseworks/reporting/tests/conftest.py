from __future__ import annotations

from typing import Any

import pytest

from .dataset import Built, build_partner_a, build_partner_b


@pytest.fixture
def dataset(partner: Any, other_partner: Any) -> tuple[Built, Built]:
    return build_partner_a(partner), build_partner_b(other_partner)
