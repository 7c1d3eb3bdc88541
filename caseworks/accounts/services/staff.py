"""Writes to staff accounts: create (the system or a superuser; partner administrators invite,
see invitations.py) and update. One transaction each, audited, with row history.

`acting_user=None` means the system itself, recorded as such (see caseworks.partners.services,
whose permission and audit helpers these share)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError, PermissionDeniedError
from caseworks.partners.models import DeliveryPartner, Office
from caseworks.partners.services import (
    audit_extra_for,
    full_clean_or_error,
    is_active_superuser,
    is_system_actor,
    require_partner_admin,
    set_history_user,
)

from ..constants import PROVINCIAL_ROLES, ROLES_NEEDING_SECOND_APPROVER, Role
from ..models import User

STAFF_EDITABLE_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "role",
    "delivery_partner",
    "office",
    "preferred_language",
    "is_active",
)


def _clean_staff_placement(
    role: str, delivery_partner: DeliveryPartner | None, office: Office | None
) -> None:
    if role and role not in Role.values:
        raise ApplicationError(_("Unknown role."), field="role")
    if delivery_partner is None and role not in {r.value for r in PROVINCIAL_ROLES} and role:
        raise ApplicationError(
            _("Staff in this role must belong to a delivery partner."), field="delivery_partner"
        )
    if office is not None and (
        delivery_partner is None or office.delivery_partner_id != delivery_partner.pk
    ):
        raise ApplicationError(_("The office belongs to another delivery partner."), field="office")


@transaction.atomic
def staff_user_create(
    *,
    acting_user: User | None,
    username: str,
    password: str,
    role: str,
    delivery_partner: DeliveryPartner | None = None,
    office: Office | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    preferred_language: str = "en",
    is_staff: bool = False,
    is_superuser: bool = False,
    password_hash: str = "",
) -> User:
    """Create a staff account in a role, placed in a delivery partner (and office).

    `password` is checked against the password validators and stored hashed. `password_hash`
    (an already-hashed value) is for the demo loader, which hashes its one shared demo password
    once. Only the system or a superuser can create superusers or provincial staff.
    """
    if not (is_system_actor(acting_user) or is_active_superuser(acting_user)):
        # Partner administrators invite (caseworks.accounts.services.staff_invite): the person
        # sets their own password, and money roles need a second approver (issue 13).
        raise PermissionDeniedError(
            _("Staff accounts are opened by invitation: invite the person from Staff.")
        )
    username = username.strip()
    if not username:
        raise ApplicationError(_("Username is required."), field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise ApplicationError(
            _("This username is taken."), field="username", code="duplicate_username"
        )
    _clean_staff_placement(role, delivery_partner, office)
    user = User(
        username=username,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip(),
        role=role,
        delivery_partner=delivery_partner,
        office=office,
        preferred_language=preferred_language,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    if password_hash:
        user.password = password_hash
    else:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ApplicationError(" ".join(exc.messages), field="password") from exc
        user.set_password(password)
    full_clean_or_error(user, exclude=["password"])
    set_history_user(user, acting_user)
    user.save()
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.USER_CREATED,
        subject=user,
        delivery_partner_id=user.delivery_partner_id,
        extra_data=audit_extra_for(
            acting_user,
            {"username": username, "role": role, "office": office.pk if office else None},
        ),
    )
    return user


@transaction.atomic
def staff_user_update(
    *, acting_user: User, user: User, data: dict[str, Any], role_change_approved: bool = False
) -> User:
    """Change a staff account's details, role or placement. Never the password (Django's
    password forms do that) and never superuser rights (only `createsuperuser`).

    A new role that moves money, approves overrides or manages staff needs a second approver
    (issue 13): an administrator asks for it with `caseworks.accounts.services.staff_invite`
    (a role change), and only the approval, which passes `role_change_approved`, applies it.
    The system and superusers are the Ministry's own administrators and may apply it."""
    unknown = set(data) - set(STAFF_EDITABLE_FIELDS)
    if unknown:
        field = sorted(unknown)[0]
        raise ApplicationError(_("Unknown field: %(field)s") % {"field": field}, field=field)
    locked = User.objects.select_for_update().get(pk=user.pk)
    target_partner = data.get("delivery_partner", locked.delivery_partner)
    if not (is_system_actor(acting_user) or is_active_superuser(acting_user)):
        # A partner's staff manager may only change staff who stay within that partner.
        require_partner_admin(acting_user, locked.delivery_partner_id or -1)
        require_partner_admin(acting_user, target_partner.pk if target_partner else -1)
    _clean_staff_placement(
        data.get("role", locked.role), target_partner, data.get("office", locked.office)
    )
    new_role = data.get("role", locked.role)
    if (
        new_role != locked.role
        and new_role in ROLES_NEEDING_SECOND_APPROVER
        and not (
            role_change_approved or is_system_actor(acting_user) or is_active_superuser(acting_user)
        )
    ):
        raise ApplicationError(
            _(
                "This role needs a second approver: ask for the role change under Staff "
                "invitations, and another administrator approves it."
            ),
            field="role",
            code="needs_second_approver",
        )
    changes: dict[str, dict[str, Any]] = {}
    update_fields: list[str] = []
    for field, raw in data.items():
        value = raw.strip() if isinstance(raw, str) else raw
        old = getattr(locked, field)
        if old != value:
            shown_old = old.pk if hasattr(old, "pk") else old
            shown_new = value.pk if hasattr(value, "pk") else value
            changes[field] = {"old": shown_old, "new": shown_new}
            setattr(locked, field, value)
            update_fields.append(field)
    if not changes:
        return locked
    full_clean_or_error(locked, exclude=["password"])
    set_history_user(locked, acting_user)
    locked.save(update_fields=update_fields)
    event = (
        AuditEventType.USER_ROLE_CHANGED
        if {"role", "delivery_partner", "office", "is_active"} & set(changes)
        else AuditEventType.USER_UPDATED
    )
    audit_record(
        acting_user=acting_user,
        event_type=event,
        subject=locked,
        delivery_partner_id=locked.delivery_partner_id,
        extra_data=audit_extra_for(acting_user, {"changes": changes}),
    )
    return locked
