from __future__ import annotations

from types import SimpleNamespace

import pytest

from caseworks.core.errors import ApplicationError
from caseworks.core.ownership import require_same_partner


def test_require_same_partner_passes_for_the_users_own_partner() -> None:
    require_same_partner(SimpleNamespace(delivery_partner_id=3), 3)


def test_require_same_partner_refuses_another_partners_record_with_the_message_given() -> None:
    user = SimpleNamespace(delivery_partner_id=3)
    with pytest.raises(ApplicationError, match="This case belongs to another delivery partner"):
        require_same_partner(user, 4)
    with pytest.raises(ApplicationError, match="This record"):
        require_same_partner(user, None, message="This record belongs to another partner.")
