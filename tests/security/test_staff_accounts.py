"""Attack: a partner administrator alone made a supervisor account with a password of their
choosing, the first half of a chain that paid $733 to an account of their choice (issue 13,
point 2). The invitation tests (caseworks/accounts/tests/test_invitations.py) cover the
accounts; these cover the ways around them."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from caseworks.accounts.constants import Role
from caseworks.accounts.services import staff as staff_services
from caseworks.accounts.services import staff_invite
from caseworks.accounts.tests.factories import UserFactory
from caseworks.core.errors import ApplicationError
from caseworks.payments.constants import RunStatus
from caseworks.payments.controls import approve_refusal, payment_approver_set
from caseworks.payments.models import PaymentApprover

pytestmark = pytest.mark.django_db


def test_an_administrator_alone_cannot_make_an_auditor_a_payment_approver(
    partner: Any, users: dict[str, Any]
) -> None:
    admin = users[Role.PARTNER_ADMIN]
    # An auditor needs no second approver to be invited (read-only) and sees payments...
    invitation = staff_invite(
        acting_user=admin, username="friend", email="friend@example.org", role=Role.AUDITOR
    )
    assert invitation.status == "sent"
    auditor = UserFactory(role=Role.AUDITOR, delivery_partner=partner)
    # ...but cannot be named to approve and release payment runs.
    with pytest.raises(ApplicationError) as refused:
        payment_approver_set(acting_user=admin, delivery_partner=partner, user=auditor, active=True)
    assert refused.value.field == "user"
    assert not PaymentApprover.objects.exists()


def test_a_named_approver_moved_to_a_read_only_role_can_no_longer_approve(
    partner: Any, users: dict[str, Any]
) -> None:
    admin, worker = users[Role.PARTNER_ADMIN], users[Role.CASEWORKER]
    payment_approver_set(acting_user=admin, delivery_partner=partner, user=worker, active=True)
    run = SimpleNamespace(
        delivery_partner_id=partner.pk, prepared_by_id=None, status=RunStatus.DRY_RUN_COMPLETE
    )
    assert approve_refusal(worker, run) is None  # type: ignore[arg-type]  # a run's fields
    staff_services.staff_user_update(acting_user=admin, user=worker, data={"role": Role.AUDITOR})
    worker.refresh_from_db()
    assert approve_refusal(worker, run) is not None  # type: ignore[arg-type]


def test_an_administrator_cannot_promote_an_account_they_control_without_a_second_admin(
    users: dict[str, Any],
) -> None:
    admin, clerk = users[Role.PARTNER_ADMIN], users[Role.INTAKE_CLERK]
    with pytest.raises(ApplicationError) as refused:
        staff_services.staff_user_update(
            acting_user=admin, user=clerk, data={"role": Role.SUPERVISOR}
        )
    assert refused.value.code == "needs_second_approver"
