"""Writes to staff accounts, invitations and API tokens: one transaction each, audited.

One module per topic; this package re-exports the functions other apps and the tests import
(`from caseworks.accounts.services import api_token_create`)."""

from .invitations import (
    PARTNER_CREATABLE_ROLES,
    invitation_for_token,
    staff_invitation_accept,
    staff_invitation_approve,
    staff_invitation_revoke,
    staff_invite,
)
from .staff import STAFF_EDITABLE_FIELDS, staff_user_create, staff_user_update
from .tokens import (
    API_TOKEN_NAME_MAX_LENGTH,
    API_TOKEN_PREFIX,
    api_token_create,
    api_token_revoke,
)

__all__ = [
    "API_TOKEN_NAME_MAX_LENGTH",
    "API_TOKEN_PREFIX",
    "PARTNER_CREATABLE_ROLES",
    "STAFF_EDITABLE_FIELDS",
    "api_token_create",
    "api_token_revoke",
    "invitation_for_token",
    "staff_invitation_accept",
    "staff_invitation_approve",
    "staff_invitation_revoke",
    "staff_invite",
    "staff_user_create",
    "staff_user_update",
]
