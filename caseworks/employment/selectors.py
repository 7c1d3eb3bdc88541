"""Reads of providers, referrals and outcomes.

Staff read through the case (benefit_unit_get_for_user: partner-scoped). An outside provider
reads ONLY the referrals sent to its organisation (referral_*_for_provider); anything else is
Http404, and a login that is not a linked provider login gets PermissionDeniedError (403).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.cases.models import BenefitUnit
from caseworks.core.access import partner_scope, require_capability
from caseworks.core.errors import PermissionDeniedError

from .models import (
    EmploymentActivity,
    EmploymentOutcome,
    OutcomeFollowUp,
    Referral,
    ServiceProvider,
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
        .prefetch_related("status_changes")
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
        .select_related("person", "referral__provider")
        .prefetch_related("follow_ups")
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
    """Only the referrals sent to the caller's organisation."""
    provider = _provider_or_403(user)
    queryset = (
        Referral.objects.filter(provider=provider)
        .select_related("person", "provider")
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
    provider = _provider_or_403(user)
    try:
        return OutcomeFollowUp.objects.select_related("outcome__referral").get(
            pk=follow_up_id, outcome__referral__provider=provider
        )
    except OutcomeFollowUp.DoesNotExist as exc:
        raise Http404 from exc
