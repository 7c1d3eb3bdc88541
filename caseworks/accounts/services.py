"""Writes to staff accounts and API tokens: one transaction each, audited."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError, PermissionDeniedError
from caseworks.partners import services as partners_services
from caseworks.partners.models import DeliveryPartner, Office

from .constants import API_TOKEN_MAX_DAYS, Capability, Role
from .models import ApiToken, User

API_TOKEN_PREFIX = "cw_"  # noqa: S105  # a visible marker, not a secret
API_TOKEN_NAME_MAX_LENGTH = 100
# Partner administrators create staff of their own partner. Ministry analysts are provincial
# staff created by the Ministry, not by a delivery partner.
PARTNER_CREATABLE_ROLES = frozenset(r for r in Role if r != Role.MINISTRY_ANALYST)


def _may_manage_tokens_of(acting_user: Any, user: User) -> bool:
    """Anyone may manage their own tokens; a partner administrator those of their staff."""
    if not getattr(acting_user, "is_authenticated", False) or not acting_user.is_active:
        return False
    if acting_user.pk == user.pk:
        return bool(acting_user.role)
    return (
        acting_user.has_capability(Capability.STAFF_MANAGE)
        and acting_user.delivery_partner_id is not None
        and acting_user.delivery_partner_id == user.delivery_partner_id
    )


@transaction.atomic
def api_token_create(
    *,
    acting_user: Any,
    user: User,
    name: str,
    expires_at: dt.datetime | None = None,
) -> tuple[ApiToken, str]:
    """Issue a bearer token for `user`. Returns the token row and the raw token, which is shown
    once and never stored (only its SHA-256 hash is)."""
    if not _may_manage_tokens_of(acting_user, user):
        raise PermissionDeniedError(_("You may only create API tokens for your own account."))
    if not user.is_active or not user.role:
        raise ApplicationError(_("This account is inactive or has no role."), field="user")
    name = name.strip()
    if not name:
        raise ApplicationError(_("Give the token a name."), field="name")
    if len(name) > API_TOKEN_NAME_MAX_LENGTH:
        raise ApplicationError(
            _("A token name can be at most %(n)d characters.") % {"n": API_TOKEN_NAME_MAX_LENGTH},
            field="name",
        )
    now = timezone.now()
    if expires_at is None:
        expires_at = now + dt.timedelta(days=API_TOKEN_MAX_DAYS)
    elif timezone.is_naive(expires_at):
        expires_at = timezone.make_aware(expires_at)  # a time without offset is Ontario time
    if expires_at <= now:
        raise ApplicationError(_("The expiry must be in the future."), field="expires_at")
    if expires_at > now + dt.timedelta(days=API_TOKEN_MAX_DAYS):
        raise ApplicationError(
            _("The expiry (expires_at) can be at most %(n)d days from now.")
            % {"n": API_TOKEN_MAX_DAYS},
            field="expires_at",
            code="too_far",
        )
    raw = f"{API_TOKEN_PREFIX}{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        name=name,
        token_hash=ApiToken.hash_token(raw),
        prefix=raw[:8],
        expires_at=expires_at,
    )
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.API_TOKEN_CREATED,
        subject=token,
        delivery_partner_id=user.delivery_partner_id,
        extra_data={
            "user_id": user.pk,
            "name": name,
            "prefix": token.prefix,
            "expires_at": expires_at.isoformat(),
        },
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, acting_user: Any, token: ApiToken) -> ApiToken:
    """Stop a token from working, from now on."""
    if not _may_manage_tokens_of(acting_user, token.user):
        raise PermissionDeniedError(_("You may only revoke your own API tokens."))
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is not None:
        raise ApplicationError(_("This token is already revoked."), field="token")
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.API_TOKEN_REVOKED,
        subject=locked,
        delivery_partner_id=locked.user.delivery_partner_id,
        extra_data={"user_id": locked.user_id, "prefix": locked.prefix},
    )
    return locked


@transaction.atomic
def staff_user_create(
    *,
    acting_user: Any,
    username: str,
    role: str,
    delivery_partner: DeliveryPartner,
    password: str,
    office: Office | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    preferred_language: str = "en",
) -> User:
    """A partner administrator opens a staff account in their own delivery partner.

    The policy for partner administrators (their own partner only, partner roles only, never
    administrator rights) is checked here; the account itself is made, validated, audited
    (USER_CREATED) and history-stamped by the one staff-account writer,
    `caseworks.partners.services.staff_user_create`.
    """
    require_capability(acting_user, Capability.STAFF_MANAGE)
    if acting_user.delivery_partner_id is None or (
        acting_user.delivery_partner_id != delivery_partner.pk
    ):
        raise PermissionDeniedError(
            _("You can only create staff accounts for your own delivery partner.")
        )
    if role not in PARTNER_CREATABLE_ROLES:
        raise ApplicationError(
            _("Choose one of the roles a delivery partner can give."), field="role"
        )
    if preferred_language not in ("en", "fr"):
        raise ApplicationError(_("Language must be English or French."), field="preferred_language")
    return partners_services.staff_user_create(
        acting_user=acting_user,
        username=username,
        password=password,
        role=role,
        delivery_partner=delivery_partner,
        office=office,
        first_name=first_name,
        last_name=last_name,
        email=email,
        preferred_language=preferred_language,
    )
