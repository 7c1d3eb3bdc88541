"""Staff invitations (issue 13): an administrator invites, a second approver approves a role
that moves money, the person opens the account from the link. One transaction each, audited."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError, PermissionDeniedError
from caseworks.partners.models import Office

from ..constants import (
    INVITATION_VALID_DAYS,
    ROLES_NEEDING_SECOND_APPROVER,
    Capability,
    Role,
)
from ..models import ApiToken, StaffInvitation, User
from .staff import staff_user_create, staff_user_update

# Partner administrators create staff of their own partner. Ministry analysts are provincial
# staff created by the Ministry, not by a delivery partner.
PARTNER_CREATABLE_ROLES = frozenset(r for r in Role if r != Role.MINISTRY_ANALYST)


def _check_inviter(acting_user: User, delivery_partner_id: int | None) -> None:
    require_capability(acting_user, Capability.STAFF_MANAGE)
    if acting_user.delivery_partner_id is None or (
        acting_user.delivery_partner_id != delivery_partner_id
    ):
        raise PermissionDeniedError(_("You can only invite staff to your own delivery partner."))


def _send_invitation(invitation: StaffInvitation) -> str:
    """Give the invitation a fresh one-time link and e-mail it, in the person's language, inside
    the caller's transaction (a refused e-mail records nothing). Returns the raw token (only its
    hash is stored)."""
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation.token_hash = ApiToken.hash_token(raw)
    invitation.status = StaffInvitation.Status.SENT
    invitation.sent_at = now
    invitation.expires_at = now + dt.timedelta(days=INVITATION_VALID_DAYS)
    language = invitation.preferred_language
    path = reverse("invitation_accept", kwargs={"token": raw})
    link = f"{settings.SITE_URL.rstrip('/')}{path}"
    with translation.override(language):
        subject = _("Your Caseworks account")
        body = render_to_string(
            "accounts/invitation_email.txt",
            {
                "invitation": invitation,
                "link": link,
                "days": INVITATION_VALID_DAYS,
                "partner": invitation.delivery_partner.name,
            },
        )
    recipient = invitation.email or (invitation.user.email if invitation.user else "")
    # Sent inside the transaction: if the mail server refuses it, nothing is recorded and the
    # administrator sees the error (a link whose row rolled back later would simply not work).
    send_mail(subject, body, None, [recipient], fail_silently=False)
    return raw


def _clean_new_account(username: str, email: str) -> tuple[str, str]:
    username, email = username.strip(), email.strip()
    if not username:
        raise ApplicationError(_("Username is required."), field="username")
    if User.objects.filter(username__iexact=username).exists() or (
        StaffInvitation.objects.filter(
            username__iexact=username,
            status__in=[StaffInvitation.Status.AWAITING_APPROVAL, StaffInvitation.Status.SENT],
        ).exists()
    ):
        raise ApplicationError(
            _("This username is taken."), field="username", code="duplicate_username"
        )
    if not email:
        raise ApplicationError(
            _("Give the person's work e-mail: the invitation link is sent there."), field="email"
        )
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ApplicationError(_("Enter a valid e-mail address."), field="email") from exc
    return username, email


@transaction.atomic
def staff_invite(
    *,
    acting_user: User,
    role: str,
    username: str = "",
    email: str = "",
    office: Office | None = None,
    first_name: str = "",
    last_name: str = "",
    preferred_language: str = "en",
    user: User | None = None,
) -> StaffInvitation:
    """A partner administrator invites a person to a staff account in their own delivery
    partner (or, with `user`, asks for a new role for an existing account).

    Roles that move money, approve overrides or manage staff wait for a second approver
    (`staff_invitation_approve`); other invitations are e-mailed at once. Nobody chooses the
    person's password: they set it through the one-time link."""
    partner = acting_user.delivery_partner if user is None else user.delivery_partner
    _check_inviter(acting_user, getattr(partner, "pk", None))
    if partner is None:
        raise PermissionDeniedError(_("You can only invite staff to your own delivery partner."))
    if role not in PARTNER_CREATABLE_ROLES:
        raise ApplicationError(
            _("Choose one of the roles a delivery partner can give."), field="role"
        )
    if preferred_language not in ("en", "fr"):
        raise ApplicationError(_("Language must be English or French."), field="preferred_language")
    if office is not None and office.delivery_partner_id != partner.pk:
        raise ApplicationError(_("The office belongs to another delivery partner."), field="office")
    if user is None:
        username, email = _clean_new_account(username, email)
        kind = StaffInvitation.Kind.NEW_ACCOUNT
    else:
        if user.pk == acting_user.pk:
            raise PermissionDeniedError(_("You cannot change your own role."))
        if role == user.role:
            raise ApplicationError(_("The person already has this role."), field="role")
        username, email = user.username, user.email
        first_name, last_name = user.first_name, user.last_name
        preferred_language = user.preferred_language
        kind = StaffInvitation.Kind.ROLE_CHANGE
    invitation = StaffInvitation(
        kind=kind,
        status=StaffInvitation.Status.AWAITING_APPROVAL,
        delivery_partner=partner,
        office=office,
        role=role,
        username=username,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        preferred_language=preferred_language,
        user=user,
        invited_by=acting_user,
    )
    needs_approver = role in ROLES_NEEDING_SECOND_APPROVER
    if kind == StaffInvitation.Kind.NEW_ACCOUNT and not needs_approver:
        _send_invitation(invitation)
    invitation._history_user = acting_user  # type: ignore[attr-defined]
    invitation.save()
    if kind == StaffInvitation.Kind.ROLE_CHANGE and not needs_approver:
        _apply_role_change(invitation, approver=acting_user)
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.STAFF_INVITED,
        subject=invitation,
        delivery_partner_id=partner.pk,
        extra_data={
            "kind": kind,
            "username": username,
            "role": role,
            "needs_second_approver": needs_approver,
            "user_id": user.pk if user else None,
        },
    )
    return invitation


def _apply_role_change(invitation: StaffInvitation, *, approver: Any) -> None:
    assert invitation.user is not None  # a role change names its account
    data: dict[str, Any] = {"role": invitation.role}
    if invitation.office is not None:
        data["office"] = invitation.office
    staff_user_update(
        acting_user=approver, user=invitation.user, data=data, role_change_approved=True
    )
    invitation.status = StaffInvitation.Status.ACCEPTED
    invitation.accepted_at = timezone.now()
    invitation._history_user = approver  # type: ignore[attr-defined]
    invitation.save(update_fields=["status", "accepted_at"])


@transaction.atomic
def staff_invitation_approve(*, acting_user: User, invitation: StaffInvitation) -> StaffInvitation:
    """The second approver: another administrator of the partner (or a Ministry system
    administrator), never the one who invited. A new account's link is sent now; a role change
    takes effect now."""
    locked = StaffInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not (getattr(acting_user, "is_superuser", False) and acting_user.is_active):
        _check_inviter(acting_user, locked.delivery_partner_id)
    if locked.invited_by_id == acting_user.pk:
        raise PermissionDeniedError(
            _("A second administrator must approve: you made this invitation.")
        )
    if locked.status != StaffInvitation.Status.AWAITING_APPROVAL:
        raise ApplicationError(
            _("This invitation is not waiting for approval."), field="invitation"
        )
    locked.approved_by = acting_user
    locked.approved_at = timezone.now()
    locked._history_user = acting_user  # type: ignore[attr-defined]
    if locked.kind == StaffInvitation.Kind.NEW_ACCOUNT:
        _send_invitation(locked)
        locked.save()
    else:
        locked.save(update_fields=["approved_by", "approved_at"])
        _apply_role_change(locked, approver=acting_user)
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.STAFF_INVITATION_APPROVED,
        subject=locked,
        delivery_partner_id=locked.delivery_partner_id,
        extra_data={"kind": locked.kind, "role": locked.role, "invited_by": locked.invited_by_id},
    )
    return locked


@transaction.atomic
def staff_invitation_revoke(*, acting_user: User, invitation: StaffInvitation) -> StaffInvitation:
    """Withdraw an invitation that is not yet accepted: its link stops working."""
    locked = StaffInvitation.objects.select_for_update().get(pk=invitation.pk)
    _check_inviter(acting_user, locked.delivery_partner_id)
    if not locked.is_open:
        raise ApplicationError(_("This invitation is already closed."), field="invitation")
    locked.status = StaffInvitation.Status.REVOKED
    locked.revoked_at = timezone.now()
    locked.token_hash = ""
    locked._history_user = acting_user  # type: ignore[attr-defined]
    locked.save(update_fields=["status", "revoked_at", "token_hash"])
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.STAFF_INVITATION_REVOKED,
        subject=locked,
        delivery_partner_id=locked.delivery_partner_id,
        extra_data={"username": locked.username},
    )
    return locked


def invitation_for_token(raw: str) -> StaffInvitation | None:
    """The open, unexpired invitation this link's token belongs to, or None."""
    if not raw:
        return None
    invitation = (
        StaffInvitation.objects.select_related("delivery_partner")
        .filter(token_hash=ApiToken.hash_token(raw), status=StaffInvitation.Status.SENT)
        .first()
    )
    if invitation is None or invitation.expires_at is None:
        return None
    if invitation.expires_at <= timezone.now():
        return None
    return invitation


@transaction.atomic
def staff_invitation_accept(*, token: str, password: str) -> User:
    """The invited person sets their own password: the account is opened, the link is spent.
    The person enrols a second factor at first sign-in (the second-factor middleware)."""
    invitation = invitation_for_token(token)
    if invitation is None:
        raise ApplicationError(
            _(
                "This invitation link has expired, was withdrawn or was already used. Ask your "
                "administrator for a new one."
            ),
            field="token",
            code="invitation_invalid",
        )
    locked = StaffInvitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.status != StaffInvitation.Status.SENT:
        raise ApplicationError(_("This invitation link was already used."), field="token")
    user = staff_user_create(
        acting_user=None,  # the system, on the invitation recorded below
        username=locked.username,
        password=password,
        role=locked.role,
        delivery_partner=locked.delivery_partner,
        office=locked.office,
        first_name=locked.first_name,
        last_name=locked.last_name,
        email=locked.email,
        preferred_language=locked.preferred_language,
    )
    locked.user = user
    locked.status = StaffInvitation.Status.ACCEPTED
    locked.accepted_at = timezone.now()
    locked.token_hash = ""
    locked._history_user = user  # type: ignore[attr-defined]
    locked.save(update_fields=["user", "status", "accepted_at", "token_hash"])
    audit_record(
        acting_user=user,
        event_type=AuditEventType.STAFF_INVITATION_ACCEPTED,
        subject=locked,
        delivery_partner_id=locked.delivery_partner_id,
        extra_data={
            "user_id": user.pk,
            "invited_by": locked.invited_by_id,
            "approved_by": locked.approved_by_id,
        },
    )
    return user
