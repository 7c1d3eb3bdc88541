"""Staff accounts by invitation (issue 13): nobody chooses another person's password, money roles
need a second approver who is not the inviter, the link works once and expires."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from caseworks.accounts.constants import ROLES_NEEDING_SECOND_APPROVER, Role
from caseworks.accounts.models import StaffInvitation, User
from caseworks.accounts.services import staff as staff_services
from caseworks.accounts.services import (
    staff_invitation_accept,
    staff_invitation_approve,
    staff_invitation_revoke,
    staff_invite,
)
from caseworks.accounts.tests.factories import UserFactory
from caseworks.core.errors import ApplicationError, PermissionDeniedError
from caseworks.core.models import AuditEvent
from caseworks.partners.tests.factories import OfficeFactory

pytestmark = pytest.mark.django_db

PASSPHRASE = "a-long-and-unusual-passphrase-7"


def _link_token(mail: Any) -> str:
    match = re.search(r"/invitation/([^/\s]+)/", mail.body)
    assert match, mail.body
    return match.group(1)


def _invite(admin: Any, role: str = Role.INTAKE_CLERK, **kwargs: Any) -> StaffInvitation:
    arguments = {"username": "new.person", "email": "new.person@example.org", **kwargs}
    return staff_invite(acting_user=admin, role=role, **arguments)


def test_roles_that_handle_money_or_staff_need_a_second_approver() -> None:
    assert set(ROLES_NEEDING_SECOND_APPROVER) == {
        Role.CASEWORKER,
        Role.SUPERVISOR,
        Role.PARTNER_ADMIN,
    }


def test_an_intake_clerk_is_invited_at_once_and_sets_their_own_password(
    partner: Any, users: dict[str, Any], mailoutbox: Any
) -> None:
    office = OfficeFactory(delivery_partner=partner)
    invitation = _invite(users["partner_admin"], office=office, first_name="Ana")
    assert invitation.status == StaffInvitation.Status.SENT
    assert not User.objects.filter(username="new.person").exists()
    token = _link_token(mailoutbox[0])
    assert invitation.token_hash
    assert token not in invitation.token_hash
    user = staff_invitation_accept(token=token, password=PASSPHRASE)
    assert (user.role, user.delivery_partner, user.office) == ("intake_clerk", partner, office)
    assert user.check_password(PASSPHRASE)
    events = list(AuditEvent.objects.values_list("event_type", flat=True).order_by("pk"))
    assert events == ["staff_invited", "user_created", "staff_invitation_accepted"]
    with pytest.raises(ApplicationError):  # the link works once
        staff_invitation_accept(token=token, password=PASSPHRASE)


def test_a_supervisor_invitation_waits_for_another_administrator(
    partner: Any, users: dict[str, Any], mailoutbox: Any
) -> None:
    inviter = users["partner_admin"]
    invitation = _invite(inviter, role=Role.SUPERVISOR)
    assert invitation.status == StaffInvitation.Status.AWAITING_APPROVAL
    assert mailoutbox == []
    with pytest.raises(PermissionDeniedError):
        staff_invitation_approve(acting_user=inviter, invitation=invitation)
    with pytest.raises(PermissionDeniedError):  # a supervisor is not an administrator
        staff_invitation_approve(acting_user=users["supervisor"], invitation=invitation)
    second = UserFactory(role=Role.PARTNER_ADMIN, delivery_partner=partner)
    approved = staff_invitation_approve(acting_user=second, invitation=invitation)
    assert (approved.status, approved.approved_by) == (StaffInvitation.Status.SENT, second)
    assert len(mailoutbox) == 1
    user = staff_invitation_accept(token=_link_token(mailoutbox[0]), password=PASSPHRASE)
    assert user.role == Role.SUPERVISOR


def test_an_administrator_of_another_partner_cannot_approve(
    other_partner: Any, users: dict[str, Any]
) -> None:
    invitation = _invite(users["partner_admin"], role=Role.CASEWORKER)
    stranger = UserFactory(role=Role.PARTNER_ADMIN, delivery_partner=other_partner)
    with pytest.raises(PermissionDeniedError):
        staff_invitation_approve(acting_user=stranger, invitation=invitation)


def test_a_weak_password_is_refused_and_the_link_still_works(
    users: dict[str, Any], mailoutbox: Any
) -> None:
    _invite(users["partner_admin"])
    token = _link_token(mailoutbox[0])
    with pytest.raises(ApplicationError) as excinfo:
        staff_invitation_accept(token=token, password="password123456")
    assert excinfo.value.field == "password"
    assert not User.objects.filter(username="new.person").exists()
    assert staff_invitation_accept(token=token, password=PASSPHRASE).username == "new.person"


def test_an_expired_or_withdrawn_link_does_not_open_an_account(
    users: dict[str, Any], mailoutbox: Any
) -> None:
    first = _invite(users["partner_admin"])
    StaffInvitation.objects.filter(pk=first.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    with pytest.raises(ApplicationError):
        staff_invitation_accept(token=_link_token(mailoutbox[0]), password=PASSPHRASE)
    second = _invite(users["partner_admin"], username="other.person")
    staff_invitation_revoke(acting_user=users["partner_admin"], invitation=second)
    with pytest.raises(ApplicationError):
        staff_invitation_accept(token=_link_token(mailoutbox[1]), password=PASSPHRASE)
    assert not User.objects.filter(username__in=["new.person", "other.person"]).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"role": Role.MINISTRY_ANALYST}, "role"),
        ({"role": "wizard"}, "role"),
        ({"username": "  "}, "username"),
        ({"username": "Taken"}, "username"),
        ({"email": ""}, "email"),
        ({"email": "not-an-address"}, "email"),
        ({"preferred_language": "de"}, "preferred_language"),
    ],
)
def test_bad_invitation_input_names_the_field_and_changes_nothing(
    partner: Any, users: dict[str, Any], overrides: dict[str, Any], field: str
) -> None:
    UserFactory(username="taken", delivery_partner=partner)
    arguments = {"role": Role.INTAKE_CLERK, **overrides}
    with pytest.raises(ApplicationError) as excinfo:
        _invite(users["partner_admin"], **arguments)
    assert excinfo.value.field == field
    assert not StaffInvitation.objects.exists()
    assert not AuditEvent.objects.exists()


def test_only_staff_managers_of_their_own_partner_invite(
    other_partner: Any, users: dict[str, Any]
) -> None:
    with pytest.raises(PermissionDeniedError):
        _invite(users["supervisor"])
    foreign = UserFactory(role=Role.PARTNER_ADMIN, delivery_partner=other_partner)
    target = users["intake_clerk"]
    with pytest.raises(PermissionDeniedError):
        staff_invite(acting_user=foreign, user=target, role=Role.SUPERVISOR)


def test_partner_administrators_can_no_longer_make_accounts_with_a_password(
    partner: Any, users: dict[str, Any]
) -> None:
    with pytest.raises(PermissionDeniedError):
        staff_services.staff_user_create(
            acting_user=users["partner_admin"],
            username="direct",
            password=PASSPHRASE,
            role=Role.SUPERVISOR,
            delivery_partner=partner,
        )


def test_a_promotion_to_supervisor_needs_the_second_approver(
    partner: Any, users: dict[str, Any]
) -> None:
    admin, clerk = users["partner_admin"], users["intake_clerk"]
    with pytest.raises(ApplicationError) as excinfo:  # the direct way is closed
        staff_services.staff_user_update(
            acting_user=admin, user=clerk, data={"role": Role.SUPERVISOR}
        )
    assert excinfo.value.code == "needs_second_approver"
    request = staff_invite(acting_user=admin, user=clerk, role=Role.SUPERVISOR)
    clerk.refresh_from_db()
    assert (request.status, clerk.role) == ("awaiting_approval", Role.INTAKE_CLERK)
    second = UserFactory(role=Role.PARTNER_ADMIN, delivery_partner=partner)
    staff_invitation_approve(acting_user=second, invitation=request)
    clerk.refresh_from_db()
    assert clerk.role == Role.SUPERVISOR


def test_nobody_changes_their_own_role(users: dict[str, Any]) -> None:
    admin = users["partner_admin"]
    with pytest.raises(PermissionDeniedError):
        staff_invite(acting_user=admin, user=admin, role=Role.SUPERVISOR)


def test_the_invitation_pages_walk_from_invite_to_second_approval(
    partner: Any, users: dict[str, Any], mailoutbox: Any
) -> None:
    inviter, second = (
        users["partner_admin"],
        UserFactory(role=Role.PARTNER_ADMIN, delivery_partner=partner),
    )
    client = Client()
    client.force_login(inviter)
    response = client.post(
        "/staff/invitations/",
        {
            "form": "invite",
            "invite-username": "new.worker",
            "invite-email": "new.worker@example.org",
            "invite-role": "caseworker",
            "invite-preferred_language": "fr",
        },
    )
    assert response.status_code == 302
    invitation = StaffInvitation.objects.get()
    page = client.get("/staff/invitations/").content.decode()
    assert "new.worker" in page
    assert f"/staff/invitations/{invitation.pk}/approve/" not in page
    approver = Client()
    approver.force_login(second)
    assert approver.post(f"/staff/invitations/{invitation.pk}/approve/").status_code == 302
    assert "Caseworks" in mailoutbox[0].subject or "compte" in mailoutbox[0].subject
    assert "Bonjour" in mailoutbox[0].body  # in the person's language
    newcomer = Client()
    token = _link_token(mailoutbox[0])
    assert newcomer.get(f"/invitation/{token}/").status_code == 200
    answer = newcomer.post(
        f"/invitation/{token}/", {"new_password1": PASSPHRASE, "new_password2": PASSPHRASE}
    )
    assert answer.status_code == 302
    assert answer["Location"] == "/second-factor/setup/"
    assert newcomer.get("/").status_code == 302  # no page before the second factor
    assert newcomer.get(f"/invitation/{token}/").status_code == 302  # signed in: home
    assert Client().get(f"/invitation/{token}/").status_code == 404  # spent
