"""API: who am I, my API tokens, and staff invitations (partner administrators)."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Status

from caseworks.accounts.auth import ApiRequest
from caseworks.accounts.models import ApiToken, StaffInvitation, User
from caseworks.accounts.schemas import (
    ApiTokenCreatedOut,
    ApiTokenCreateIn,
    ApiTokenOut,
    ErrorOut,
    MeOut,
    RecordId,
    StaffCreateIn,
    StaffInvitationOut,
)
from caseworks.accounts.second_factor import second_factor_verified
from caseworks.accounts.services import api_token_create, api_token_revoke, staff_invite
from caseworks.core.errors import ApplicationError, PermissionDeniedError
from caseworks.partners.models import Office

router = Router(tags=["accounts"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _me(request: ApiRequest) -> User:
    return request.auth


@router.get("/me", response={200: MeOut, 401: ErrorOut}, summary="The calling staff member")
def me(request: ApiRequest) -> User:
    return _me(request)


@router.get("/me/tokens", response={200: list[ApiTokenOut], 401: ErrorOut}, summary="My tokens")
def my_tokens(request: ApiRequest) -> list[ApiToken]:
    return list(_me(request).api_tokens.order_by("-created_at", "-id"))


@router.post(
    "/me/tokens",
    response={201: ApiTokenCreatedOut, **ERRORS},
    summary="Create an API token for myself (the raw token is shown once)",
)
def my_token_create(request: ApiRequest, payload: ApiTokenCreateIn) -> Status[dict[str, object]]:
    user = _me(request)
    if hasattr(request, "api_token"):
        # A token must not renew itself past its 90 days (or outlive its revocation).
        raise PermissionDeniedError(
            _("Make API tokens from a signed-in session, not with another token.")
        )
    token, raw = api_token_create(
        acting_user=user,
        user=user,
        name=payload.name,
        expires_at=payload.expires_at,
        second_factor=second_factor_verified(request),
    )
    return Status(
        201,
        {
            "id": token.pk,
            "name": token.name,
            "prefix": token.prefix,
            "created_at": token.created_at,
            "expires_at": token.expires_at,
            "token": raw,
        },
    )


@router.post(
    "/me/tokens/{token_id}/revoke",
    response={200: ApiTokenOut, **ERRORS},
    summary="Revoke one of my tokens",
)
def my_token_revoke(request: ApiRequest, token_id: RecordId) -> ApiToken:
    user = _me(request)
    try:
        token = user.api_tokens.get(pk=token_id)
    except ApiToken.DoesNotExist as exc:
        raise Http404 from exc
    return api_token_revoke(acting_user=user, token=token)


@router.post(
    "/staff",
    response={201: StaffInvitationOut, **ERRORS},
    summary="Invite a person to a staff account in my delivery partner (partner administrators)",
    description=(
        "Nobody chooses another person's password: the person gets a one-time link by e-mail, "
        "sets their own password and enrols a second factor. Roles that handle money, approve "
        "overrides or manage staff wait for a second administrator's approval."
    ),
)
def staff_create(request: ApiRequest, payload: StaffCreateIn) -> Status[StaffInvitation]:
    user = _me(request)
    office = None
    if payload.office_id is not None:
        # Offices are not client data; an office of another partner is refused by the service.
        office = Office.objects.filter(pk=payload.office_id).first()
        if office is None:
            raise ApplicationError(_("There is no such office."), field="office_id")
    invitation = staff_invite(
        acting_user=user,
        username=payload.username,
        role=payload.role,
        office=office,
        first_name=payload.first_name,
        last_name=payload.last_name,
        email=payload.email,
        preferred_language=payload.preferred_language,
    )
    return Status(201, invitation)
