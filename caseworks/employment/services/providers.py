"""Writes for the provider directory and provider accounts; which provider a login acts for."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability, Role
from caseworks.accounts.models import User
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError

from ..constants import (
    ProviderKind,
)
from ..models import (
    ProviderAccount,
    Referral,
    ServiceProvider,
    referral_active_q,
    referral_of_provider_q,
)
from ._common import _save

IES_CSV = Path(__file__).resolve().parent.parent / "data" / "ies_catchments.csv"
# Shown on the providers page: where the entry comes from, in words for its readers (the file
# and its provenance notes are described in data/SOURCE.md, not on the page).
IES_SOURCE = (
    "Ontario's announcements of the Employment Services Transformation (Integrated Employment "
    "Services catchments and Service System Managers, 2021-2024)"
)
# A provenance note in the reference file, not part of the provider's name.
_SOURCE_NOTE = re.compile(r"\s*\[secondary source only\]\s*", re.IGNORECASE)

# --- Provider directory -------------------------------------------------------------------


@transaction.atomic
def service_provider_create(
    *,
    acting_user: User,
    name: str,
    kind: str,
    services: str = "",
    catchment: str = "",
    contact_name: str = "",
    phone: str = "",
    email: str = "",
    address: str = "",
) -> ServiceProvider:
    """Add a provider to the acting user's partner directory."""
    require_capability(acting_user, Capability.PROVIDER_DIRECTORY_MANAGE)
    if not name.strip():
        raise ApplicationError(_("Give the provider's name."), field="name")
    if kind not in ProviderKind.values:
        raise ApplicationError(_("Choose the kind of provider."), field="kind")
    if ServiceProvider.objects.filter(
        kind=kind, catchment=catchment.strip(), name=name.strip()
    ).exists():
        raise ApplicationError(_("This provider is already in the directory."), field="name")
    provider = ServiceProvider(
        delivery_partner_id=acting_user.delivery_partner_id,
        name=name.strip(),
        kind=kind,
        services=services.strip(),
        catchment=catchment.strip(),
        contact_name=contact_name.strip(),
        phone=phone.strip(),
        email=email.strip(),
        address=address.strip(),
        source=_("Entered by staff"),
    )
    _save(provider, acting_user)
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.SERVICE_PROVIDER_CREATED,
        subject=provider,
        delivery_partner_id=acting_user.delivery_partner_id,
        extra_data={"name": provider.name, "kind": kind},
    )
    return provider


@transaction.atomic
def ies_providers_load(*, path: Path = IES_CSV) -> int:
    """Load the IES Service System Managers as province-wide providers (idempotent)."""
    created = 0
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            launch = row["launch"].strip()
            services = _("Integrated Employment Services (Employment Ontario) for the catchment")
            if launch:
                services += " — " + _("launched %(month)s") % {"month": launch}
            raw_name = row["service_system_manager"].strip()
            name = _SOURCE_NOTE.sub(" ", raw_name).strip()
            catchment = row["catchment"].strip()
            kind = ProviderKind.IES_SERVICE_SYSTEM_MANAGER
            # Rows loaded before the note was dropped from names and sources: put them right.
            ServiceProvider.objects.filter(kind=kind, catchment=catchment, name=raw_name).update(
                name=name
            )
            ServiceProvider.objects.filter(
                kind=kind, catchment=catchment, name=name, delivery_partner=None
            ).exclude(source=IES_SOURCE).update(source=IES_SOURCE)
            _provider, was_created = ServiceProvider.objects.get_or_create(
                kind=kind,
                catchment=catchment,
                name=name,
                defaults={"services": services, "source": IES_SOURCE, "delivery_partner": None},
            )
            created += int(was_created)
    return created


@transaction.atomic
def provider_account_create(
    *, acting_user: User, provider: ServiceProvider, user: Any
) -> ProviderAccount:
    """Give an existing provider-role login access to `provider`'s referrals only."""
    require_capability(acting_user, Capability.STAFF_MANAGE)
    if user.role != Role.PROVIDER:
        raise ApplicationError(
            _("Only a provider login can be linked to a provider."), field="user"
        )
    if user.delivery_partner_id != acting_user.delivery_partner_id:
        raise ApplicationError(_("The login belongs to another delivery partner."), field="user")
    if provider.delivery_partner_id not in (None, acting_user.delivery_partner_id):
        raise ApplicationError(
            _("This provider is in another partner's directory."), field="provider"
        )
    if ProviderAccount.objects.filter(user=user).exists():
        raise ApplicationError(_("This login is already linked to a provider."), field="user")
    account = ProviderAccount(user=user, provider=provider, created_by=acting_user)
    _save(account, acting_user)
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.PROVIDER_ACCOUNT_CREATED,
        subject=account,
        delivery_partner_id=acting_user.delivery_partner_id,
        extra_data={"user": user.pk, "provider": provider.pk},
    )
    return account


def provider_for_user(user: Any) -> ServiceProvider | None:
    """The provider a provider-role login acts for, or None."""
    if not user.is_authenticated or not user.has_capability(Capability.PROVIDER_REFERRAL_RESPOND):
        return None
    account = (
        ProviderAccount.objects.select_related("provider")
        .filter(user=user, is_active=True, provider__is_active=True)
        .first()
    )
    return account.provider if account else None


def _require_provider_owns(acting_user: User, referral: Referral) -> None:
    """The referral is the provider's own (referral_of_provider_q): sent to it, on a case its
    partner still serves (not after a transfer to another partner), as the row is now."""
    require_capability(acting_user, Capability.PROVIDER_REFERRAL_RESPOND)
    provider = provider_for_user(acting_user)
    if (
        provider is None
        or not Referral.objects.filter(referral_of_provider_q(provider), pk=referral.pk).exists()
    ):
        raise ApplicationError(
            _("This referral was not sent to your organisation."), code="not_found"
        )


def _require_provider_may_answer(acting_user: User, referral: Referral) -> None:
    """The provider owns the referral and it is still active (referral_active_q): a declined or
    completed referral, or one on a closed case, takes no more answers (its row as it is now,
    not as the caller read it)."""
    _require_provider_owns(acting_user, referral)
    if not Referral.objects.filter(referral_active_q(), pk=referral.pk).exists():
        raise ApplicationError(
            _("This referral is no longer active: your organisation cannot answer it."),
            code="not_found",
        )
