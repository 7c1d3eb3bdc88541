"""Provider API: an outside employment-services provider answers the referrals sent to it.

The caller is a provider-role login (session or `Authorization: Bearer <token>`) linked to one
ServiceProvider through ProviderAccount. It can list and read ONLY the ACTIVE referrals sent to its
organisation (not declined, not completed, on an open case of its delivery partner, not after a
transfer to another partner: see referral_list_for_provider; anything else is 404, as another
provider's referral), accept or decline them, report progress,
a job and the 1/3/6/12-month follow-ups. It holds no client or case capability, so every client
and case endpoint answers 403. Reading a referral shows part of a client file (what the client
consented to share, as it stood when the referral was sent) and is logged (ClientFileAccess,
channel "api").
"""

from __future__ import annotations

from typing import Literal

from ninja import Query, Router, Status

from caseworks.accounts.auth import ApiRequest
from caseworks.accounts.schemas import ErrorOut, RecordId
from caseworks.clients.services import client_file_accesses_record

from .models import EmploymentOutcome, OutcomeFollowUp, Referral
from .schemas import (
    FollowUpIn,
    FollowUpOut,
    OutcomeIn,
    OutcomeOut,
    ReferralAnswerOut,
    ReferralOut,
    ReferralStatusIn,
)
from .selectors import (
    follow_up_get_for_provider,
    referral_get_for_provider,
    referral_list_for_provider,
)
from .services import (
    follow_up_provider_report,
    outcome_provider_report,
    referral_provider_respond,
)

router = Router(tags=["provider"])
ReferralStatusName = Literal["sent", "accepted", "declined", "started", "completed", "no_show"]
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
LIST_LIMIT = 500


def _log(request: ApiRequest, referrals: list[Referral], view_name: str) -> None:
    """Every referral the provider is shown is a read of part of a client file: one access-log
    row per client, in one INSERT."""
    client_file_accesses_record(
        user=request.auth,
        person_ids=[referral.person_id for referral in referrals],
        benefit_unit_ids={referral.person_id: referral.benefit_unit_id for referral in referrals},
        view_name=view_name,
        channel="api",
    )


@router.get(
    "/referrals",
    response={200: list[ReferralOut], **ERRORS},
    summary="Active referrals sent to my organisation",
)
def provider_referral_list(
    request: ApiRequest, status: Query[ReferralStatusName | None] = None
) -> list[Referral]:
    referrals = list(referral_list_for_provider(user=request.auth, status=status)[:LIST_LIMIT])
    _log(request, referrals, "api:provider_referral_list")
    return referrals


@router.get(
    "/referrals/{referral_id}",
    response={200: ReferralOut, **ERRORS},
    summary="One active referral sent to my organisation",
)
def provider_referral_detail(request: ApiRequest, referral_id: RecordId) -> Referral:
    referral = referral_get_for_provider(user=request.auth, referral_id=referral_id)
    _log(request, [referral], "api:provider_referral_detail")
    return referral


@router.post(
    "/referrals/{referral_id}/status",
    response={200: ReferralAnswerOut, **ERRORS},
    summary="Accept or decline a referral, or report the client's progress",
)
def provider_referral_status(
    request: ApiRequest, referral_id: RecordId, payload: ReferralStatusIn
) -> Referral:
    """Answers with the status recorded, nothing of the client: declining or completing ends the
    referral, and from then on the provider sees nothing of it (GET answers 404)."""
    referral = referral_get_for_provider(user=request.auth, referral_id=referral_id)
    return referral_provider_respond(
        acting_user=request.auth, referral=referral, to_status=payload.to_status, note=payload.note
    )


@router.post(
    "/referrals/{referral_id}/outcomes",
    response={201: OutcomeOut, **ERRORS},
    summary="Report a job the client started",
)
def provider_outcome_report(
    request: ApiRequest, referral_id: RecordId, payload: OutcomeIn
) -> Status[EmploymentOutcome]:
    referral = referral_get_for_provider(user=request.auth, referral_id=referral_id)
    outcome = outcome_provider_report(
        acting_user=request.auth,
        referral=referral,
        employer=payload.employer,
        job_title=payload.job_title,
        start_on=payload.start_on,
        hours_per_week=payload.hours_per_week,
        hourly_wage_cents=payload.hourly_wage_cents,
        permanence=payload.permanence,
        has_benefits=payload.has_benefits,
    )
    return Status(201, outcome)


@router.post(
    "/follow-ups/{follow_up_id}",
    response={200: FollowUpOut, **ERRORS},
    summary="Report a 1/3/6/12-month job follow-up",
)
def provider_follow_up_report(
    request: ApiRequest, follow_up_id: RecordId, payload: FollowUpIn
) -> OutcomeFollowUp:
    follow_up = follow_up_get_for_provider(user=request.auth, follow_up_id=follow_up_id)
    return follow_up_provider_report(
        acting_user=request.auth,
        follow_up=follow_up,
        still_employed=payload.still_employed,
        hours_per_week=payload.hours_per_week,
        hourly_wage_cents=payload.hourly_wage_cents,
        notes=payload.notes,
    )
