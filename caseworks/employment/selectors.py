"""Reads of providers, referrals and outcomes.

Staff read through the case (benefit_unit_get_for_user: partner-scoped). An outside provider
reads ONLY the active referrals sent to its organisation on a case its partner still serves
(referral_*_for_provider: not after a transfer to another partner); anything
else is Http404, and a login that is not a linked provider login gets PermissionDeniedError
(403).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.cases.models import BenefitUnit
from caseworks.core.access import partner_scope, require_capability
from caseworks.core.errors import PermissionDeniedError

from .constants import AttendanceStatus
from .models import (
    EmploymentActivity,
    EmploymentOutcome,
    EmploymentProgram,
    OutcomeFollowUp,
    ProgramSession,
    Referral,
    ReferralStatusChange,
    ServiceProvider,
    SessionAttendance,
    referral_active_q,
    referral_of_provider_q,
)
from .services import provider_for_user


def provider_directory_for_user(*, user: Any) -> QuerySet[ServiceProvider]:
    """Providers staff may refer to: their partner's directory plus province-wide providers."""
    if not user.is_authenticated or not user.has_capability(Capability.PROVIDER_DIRECTORY_MANAGE):
        require_capability(user, Capability.CASE_VIEW)
    queryset = ServiceProvider.objects.filter(is_active=True)
    scope = partner_scope(user)
    if scope is not None:
        queryset = queryset.filter(Q(delivery_partner_id=scope) | Q(delivery_partner__isnull=True))
    return queryset.order_by("kind", "catchment", "name")


def provider_get_for_user(*, user: Any, provider_id: int) -> ServiceProvider:
    try:
        return provider_directory_for_user(user=user).get(pk=provider_id)
    except ServiceProvider.DoesNotExist as exc:
        raise Http404 from exc


def referral_list_for_case(*, benefit_unit: BenefitUnit) -> list[Referral]:
    """Referral history of an already permission-checked case, newest first."""
    return list(
        Referral.objects.filter(benefit_unit=benefit_unit)
        .select_related("provider", "person", "referred_by")
        .prefetch_related(
            Prefetch(
                "status_changes",
                queryset=ReferralStatusChange.objects.select_related("changed_by"),
            )
        )
        .order_by("-sent_on", "-id")
    )


def referral_get_for_case(*, benefit_unit: BenefitUnit, referral_id: int) -> Referral:
    try:
        return Referral.objects.select_related("benefit_unit", "provider").get(
            pk=referral_id, benefit_unit=benefit_unit
        )
    except Referral.DoesNotExist as exc:
        raise Http404 from exc


def outcome_list_for_case(*, benefit_unit: BenefitUnit) -> list[EmploymentOutcome]:
    return list(
        EmploymentOutcome.objects.filter(benefit_unit=benefit_unit)
        .select_related("person", "referral__provider", "recorded_by")
        .prefetch_related(
            Prefetch("follow_ups", queryset=OutcomeFollowUp.objects.select_related("recorded_by"))
        )
        .order_by("-start_on", "-id")
    )


def follow_up_get_for_case(*, benefit_unit: BenefitUnit, follow_up_id: int) -> OutcomeFollowUp:
    try:
        return OutcomeFollowUp.objects.select_related("outcome__benefit_unit").get(
            pk=follow_up_id, outcome__benefit_unit=benefit_unit
        )
    except OutcomeFollowUp.DoesNotExist as exc:
        raise Http404 from exc


def activity_list_for_case(*, benefit_unit: BenefitUnit) -> list[EmploymentActivity]:
    return list(
        EmploymentActivity.objects.filter(benefit_unit=benefit_unit).select_related("person")
    )


# --- What an outside provider may see -----------------------------------------------------


def _provider_or_403(user: Any) -> ServiceProvider:
    require_capability(user, Capability.PROVIDER_REFERRAL_RESPOND)
    provider = provider_for_user(user)
    if provider is None:
        raise PermissionDeniedError(_("This login is not linked to a service provider."))
    return provider


def referral_list_for_provider(*, user: Any, status: str | None = None) -> QuerySet[Referral]:
    """The referrals the caller's organisation may see: its own (referral_of_provider_q) AND
    still active (referral_active_q).

    Its own means sent to it, on a case of its delivery partner: a partner's provider loses a
    referral when the case is transferred to another partner (a province-wide provider, with no
    delivery partner, keeps it).
    Active (referral_active_q) means both:
    - the referral's status still has a next step (REFERRAL_ACTIVE_STATUSES): "sent" (awaiting
      the provider's answer, even past its due date), "accepted", "started", or "no_show" (the
      client may still begin); "declined" and "completed" are final, the provider's part is over;
    - its case is open (pending, active or suspended); a closed, denied or withdrawn case ends
      every referral on it.
    Anything else is Http404 in referral_get_for_provider, exactly as a referral that does not
    exist or was sent to another provider, and is left out of this list. The provider's answers
    (accept, decline, progress, a job) go through the same rules; only the 1/3/6/12-month job
    follow-ups outlast the active rule (follow_up_get_for_provider), and they show nothing of the
    client, but not the "its own" rule: after a transfer they are 404 too.

    What the provider sees of the client is the copy made when the referral was sent
    (Referral.shared_*, only what the client consented to share), never the live client record.
    Every read is logged by the caller (client_file_access_record, channel "api").
    """
    provider = _provider_or_403(user)
    queryset = (
        Referral.objects.filter(referral_active_q(), referral_of_provider_q(provider))
        .select_related("provider")
        .prefetch_related(
            Prefetch(
                "outcomes",
                queryset=EmploymentOutcome.objects.prefetch_related("follow_ups"),
            )
        )
        .order_by("-sent_on", "-id")
    )
    return queryset.filter(status=status) if status else queryset


def referral_get_for_provider(*, user: Any, referral_id: int) -> Referral:
    try:
        return referral_list_for_provider(user=user).get(pk=referral_id)
    except Referral.DoesNotExist as exc:
        raise Http404 from exc


def follow_up_get_for_provider(*, user: Any, follow_up_id: int) -> OutcomeFollowUp:
    """A follow-up of a job reported on one of the provider's own referrals
    (referral_of_provider_q: not after the case was transferred to another partner), active or
    not."""
    provider = _provider_or_403(user)
    try:
        return OutcomeFollowUp.objects.select_related("outcome__referral").get(
            referral_of_provider_q(provider, prefix="outcome__referral__"), pk=follow_up_id
        )
    except OutcomeFollowUp.DoesNotExist as exc:
        raise Http404 from exc


# --- Workshops and pre-employment programs (partner-scoped) -------------------------------


def program_list_for_user(*, user: Any) -> list[EmploymentProgram]:
    require_capability(user, Capability.CASE_VIEW)
    scope = partner_scope(user)
    queryset = EmploymentProgram.objects.select_related("provider").prefetch_related("sessions")
    if scope is not None:
        queryset = queryset.filter(delivery_partner_id=scope)
    return list(queryset.order_by("name", "id"))


def program_get_for_user(*, user: Any, program_id: int) -> EmploymentProgram:
    require_capability(user, Capability.CASE_VIEW)
    scope = partner_scope(user)
    queryset = EmploymentProgram.objects.all()
    if scope is not None:
        queryset = queryset.filter(delivery_partner_id=scope)
    try:
        return queryset.get(pk=program_id)
    except EmploymentProgram.DoesNotExist as exc:
        raise Http404 from exc


def session_list_for_program(*, program: EmploymentProgram) -> list[ProgramSession]:
    """Sessions of an already permission-checked program, with attendees and seats taken."""
    return list(
        program.sessions.annotate(
            seats_taken=Count(
                "attendees",
                filter=Q(
                    attendees__status__in=[AttendanceStatus.REGISTERED, AttendanceStatus.ATTENDED]
                ),
            )
        )
        .prefetch_related(
            Prefetch(
                "attendees",
                queryset=SessionAttendance.objects.select_related("person", "benefit_unit"),
            )
        )
        .order_by("starts_at", "id")
    )


def session_get_for_user(*, user: Any, session_id: int) -> ProgramSession:
    require_capability(user, Capability.CASE_VIEW)
    scope = partner_scope(user)
    queryset = ProgramSession.objects.select_related("program")
    if scope is not None:
        queryset = queryset.filter(program__delivery_partner_id=scope)
    try:
        return queryset.get(pk=session_id)
    except ProgramSession.DoesNotExist as exc:
        raise Http404 from exc


def upcoming_sessions_for_case(*, benefit_unit: BenefitUnit) -> list[ProgramSession]:
    """Sessions of the case's partner that have not started yet."""
    return list(
        ProgramSession.objects.filter(
            program__delivery_partner_id=benefit_unit.delivery_partner_id,
            starts_at__gte=timezone.now(),
        )
        .select_related("program")
        .order_by("starts_at", "id")[:100]
    )


def attendance_list_for_case(*, benefit_unit: BenefitUnit) -> list[SessionAttendance]:
    return list(
        SessionAttendance.objects.filter(benefit_unit=benefit_unit)
        .select_related("session__program", "person")
        .order_by("-session__starts_at")
    )
