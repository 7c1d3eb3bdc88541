"""Writes to API tokens: one transaction each, audited."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError, PermissionDeniedError

from ..constants import (
    API_TOKEN_MAX_DAYS,
    Capability,
)
from ..models import ApiToken, User

API_TOKEN_PREFIX = "cw_"  # noqa: S105  # a visible marker, not a secret
API_TOKEN_NAME_MAX_LENGTH = 100


def _may_manage_tokens_of(acting_user: User, user: User) -> bool:
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
    acting_user: User,
    user: User,
    name: str,
    expires_at: dt.datetime | None = None,
    second_factor: bool = False,
) -> tuple[ApiToken, str]:
    """Issue a bearer token for `user`. Returns the token row and the raw token, which is shown
    once and never stored (only its SHA-256 hash is).

    `second_factor`: the caller's session was verified by a second factor (the API passes
    `caseworks.core.second_factor.second_factor_verified(request)`); only such a token, made
    by its owner, may be used for payment, bank-detail and override operations."""
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
        second_factor_at=now if second_factor and acting_user.pk == user.pk else None,
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
            "second_factor": token.second_factor_at is not None,
        },
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, acting_user: User, token: ApiToken) -> ApiToken:
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
