"""Determination and decision reads: partner-scoped; the approvals queue for supervisors."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.clients.tests.factories import PersonFactory
from caseworks.core.errors import PermissionDeniedError
from caseworks.eligibility.selectors import (
    decision_get_for_user,
    decisions_awaiting_approval_for_user,
    determination_get_for_user,
)
from caseworks.eligibility.services import decision_make, determination_run
from caseworks.eligibility.tests.test_services import complete_application

pytestmark = pytest.mark.django_db


def test_selectors_scope_to_partner_and_queue_only_own_overrides(
    partner: Any, users: dict[str, Any], other_partner: Any
) -> None:
    worker = users[Role.CASEWORKER]
    application = complete_application(worker, PersonFactory(delivery_partner=partner))
    determination = determination_run(acting_user=worker, application=application)
    decision = decision_make(
        acting_user=worker, determination=determination, outcome="deny", override_reason="x"
    )
    outsider = UserFactory(role=Role.SUPERVISOR, delivery_partner=other_partner)
    assert determination_get_for_user(user=worker, determination_id=determination.pk)
    with pytest.raises(Http404):
        determination_get_for_user(user=outsider, determination_id=determination.pk)
    with pytest.raises(Http404):
        decision_get_for_user(user=outsider, decision_id=decision.pk)
    assert decisions_awaiting_approval_for_user(user=users[Role.SUPERVISOR]) == [decision]
    assert decisions_awaiting_approval_for_user(user=outsider) == []
    with pytest.raises(PermissionDeniedError):
        decisions_awaiting_approval_for_user(user=worker)
