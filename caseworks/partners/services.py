"""Writes to the delivery network: delivery partners and offices (staff accounts:
caseworks.accounts.services.staff, which shares the permission and audit helpers here).

Every function is one transaction with an AuditEvent and row history. `acting_user=None` means
the system itself (a management command such as `load_reference_data`); it is recorded as such
(the audit event has no acting user and says `"by": "system"`). Views and the admin always pass
the logged-in staff member, whose rights are checked here.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from caseworks.core.actors import StaffActor
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError, PermissionDeniedError

from .constants import PartnerKind
from .models import DeliveryPartner, Office

_Changed = TypeVar("_Changed", DeliveryPartner, Office)

PARTNER_EDITABLE_FIELDS = ("name", "name_fr", "kind", "region", "notes", "source", "is_active")
# accounts.constants.Capability.STAFF_MANAGE (a str enum): accounts sits above partners in the
# app graph, so the value is spelled here (partners/tests/test_services.py checks they agree).
STAFF_MANAGE = "staff_manage"
OFFICE_EDITABLE_FIELDS = ("name", "address", "city", "postal_code", "phone", "is_active")


def is_system_actor(acting_user: StaffActor | None) -> bool:
    return acting_user is None


def is_active_superuser(acting_user: StaffActor | None) -> bool:
    return acting_user is not None and acting_user.is_superuser and acting_user.is_active


def _require_network_admin(acting_user: StaffActor | None) -> None:
    """Creating or changing any delivery partner: the system, a superuser, or a Ministry
    staff manager (the Ministry keeps the list of delivery agents and partners)."""
    if acting_user is None or is_active_superuser(acting_user):
        return
    partner = getattr(acting_user, "delivery_partner", None)
    if (
        acting_user.is_authenticated
        and acting_user.has_capability(STAFF_MANAGE)
        and partner is not None
        and partner.kind == PartnerKind.MINISTRY
    ):
        return
    raise PermissionDeniedError(_("Only the Ministry can register or change delivery partners."))


def require_partner_admin(acting_user: StaffActor | None, partner_id: int) -> None:
    """Offices and staff of a partner: the system, a superuser, or that partner's staff manager."""
    if acting_user is None or is_active_superuser(acting_user):
        return
    if not acting_user.is_authenticated or not acting_user.has_capability(STAFF_MANAGE):
        raise PermissionDeniedError(_("Your role does not allow this action."))
    if acting_user.delivery_partner_id != partner_id:
        raise PermissionDeniedError(_("You can only manage your own delivery partner."))


def audit_extra_for(acting_user: StaffActor | None, data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "by": "system"} if is_system_actor(acting_user) else data


def set_history_user(obj: Any, acting_user: StaffActor | None) -> None:
    obj._history_user = acting_user  # simple-history hook (None: the system)


def full_clean_or_error(obj: Any, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ApplicationError(" ".join(str(m) for m in messages), field=field) from exc


def _clean_kind(kind: str) -> str:
    if kind not in PartnerKind.values:
        raise ApplicationError(
            _("Kind must be Ministry, CMSM, DSSAB or First Nation."), field="kind"
        )
    return kind


@transaction.atomic
def delivery_partner_create(
    *,
    acting_user: StaffActor | None,
    name: str,
    kind: str,
    code: str = "",
    name_fr: str = "",
    region: str = "",
    notes: str = "",
    source: str = "",
    is_demo: bool = False,
) -> DeliveryPartner:
    """Register a delivery partner (a service manager, a First Nation or the Ministry)."""
    _require_network_admin(acting_user)
    name = name.strip()
    if not name:
        raise ApplicationError(_("Name is required."), field="name")
    code = slugify(code.strip() or name)[:64]
    if not code:
        raise ApplicationError(_("Code is required."), field="code")
    if DeliveryPartner.objects.filter(code=code).exists():
        raise ApplicationError(
            _("A delivery partner with code “%(code)s” already exists.") % {"code": code},
            field="code",
            code="duplicate_code",
        )
    if DeliveryPartner.objects.filter(name__iexact=name).exists():
        raise ApplicationError(
            _("A delivery partner with this name already exists."),
            field="name",
            code="duplicate_name",
        )
    partner = DeliveryPartner(
        code=code,
        name=name,
        name_fr=name_fr.strip(),
        kind=_clean_kind(kind),
        region=region.strip(),
        notes=notes.strip(),
        source=source.strip(),
        is_demo=is_demo,
    )
    full_clean_or_error(partner)
    set_history_user(partner, acting_user)
    partner.save()
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.DELIVERY_PARTNER_CREATED,
        subject=partner,
        delivery_partner_id=partner.pk,
        extra_data=audit_extra_for(
            acting_user, {"code": code, "name": name, "kind": kind, "is_demo": is_demo}
        ),
    )
    return partner


@transaction.atomic
def delivery_partner_update(
    *, acting_user: StaffActor | None, partner: DeliveryPartner, data: dict[str, Any]
) -> DeliveryPartner:
    """Change a partner's details; the audit event keeps old and new values. The code is fixed."""
    _require_network_admin(acting_user)
    unknown = set(data) - set(PARTNER_EDITABLE_FIELDS)
    if unknown:
        field = sorted(unknown)[0]
        raise ApplicationError(_("Unknown field: %(field)s") % {"field": field}, field=field)
    locked = DeliveryPartner.objects.select_for_update().get(pk=partner.pk)
    changes: dict[str, dict[str, Any]] = {}
    for field, raw in data.items():
        value = raw.strip() if isinstance(raw, str) else raw
        if field == "kind":
            value = _clean_kind(value)
        if field == "name":
            if not value:
                raise ApplicationError(_("Name is required."), field="name")
            if DeliveryPartner.objects.filter(name__iexact=value).exclude(pk=locked.pk).exists():
                raise ApplicationError(
                    _("A delivery partner with this name already exists."),
                    field="name",
                    code="duplicate_name",
                )
        old = getattr(locked, field)
        if old != value:
            changes[field] = {"old": old, "new": value}
            setattr(locked, field, value)
    return _save_changes(
        locked,
        changes,
        acting_user=acting_user,
        event_type=AuditEventType.DELIVERY_PARTNER_UPDATED,
        delivery_partner_id=locked.pk,
    )


@transaction.atomic
def delivery_partner_sync(
    *,
    acting_user: StaffActor | None,
    code: str,
    name: str,
    kind: str,
    name_fr: str = "",
    region: str = "",
    notes: str = "",
    source: str = "",
    is_demo: bool = False,
) -> tuple[DeliveryPartner, str]:
    """Create the partner with this code, or bring its details in line (reference loaders).

    Returns the partner and what happened: "created", "updated" or "unchanged". Loading the
    same data twice changes nothing and writes no audit event.
    """
    partner = DeliveryPartner.objects.filter(code=code).first()
    if partner is None:
        created = delivery_partner_create(
            acting_user=acting_user,
            code=code,
            name=name,
            kind=kind,
            name_fr=name_fr,
            region=region,
            notes=notes,
            source=source,
            is_demo=is_demo,
        )
        return created, "created"
    before = partner.modified_at
    updated = delivery_partner_update(
        acting_user=acting_user,
        partner=partner,
        data={
            "name": name,
            "name_fr": name_fr,
            "kind": kind,
            "region": region,
            "notes": notes,
            "source": source,
        },
    )
    return updated, ("unchanged" if updated.modified_at == before else "updated")


@transaction.atomic
def office_create(
    *,
    acting_user: StaffActor | None,
    delivery_partner: DeliveryPartner,
    name: str,
    address: str = "",
    city: str = "",
    postal_code: str = "",
    phone: str = "",
) -> Office:
    """Add an office (a site where the partner serves clients)."""
    require_partner_admin(acting_user, delivery_partner.pk)
    name = name.strip()
    if not name:
        raise ApplicationError(_("Name is required."), field="name")
    if Office.objects.filter(delivery_partner=delivery_partner, name__iexact=name).exists():
        raise ApplicationError(
            _("This delivery partner already has an office with this name."),
            field="name",
            code="duplicate_name",
        )
    office = Office(
        delivery_partner=delivery_partner,
        name=name,
        address=address.strip(),
        city=city.strip(),
        postal_code=postal_code.strip().upper(),
        phone=phone.strip(),
    )
    full_clean_or_error(office)
    set_history_user(office, acting_user)
    office.save()
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.OFFICE_CREATED,
        subject=office,
        delivery_partner_id=delivery_partner.pk,
        extra_data=audit_extra_for(acting_user, {"name": name, "city": office.city}),
    )
    return office


@transaction.atomic
def office_update(
    *, acting_user: StaffActor | None, office: Office, data: dict[str, Any]
) -> Office:
    """Change an office's details (the partner it belongs to never changes)."""
    require_partner_admin(acting_user, office.delivery_partner_id)
    unknown = set(data) - set(OFFICE_EDITABLE_FIELDS)
    if unknown:
        field = sorted(unknown)[0]
        raise ApplicationError(_("Unknown field: %(field)s") % {"field": field}, field=field)
    locked = Office.objects.select_for_update().get(pk=office.pk)
    changes: dict[str, dict[str, Any]] = {}
    for field, raw in data.items():
        value = raw.strip() if isinstance(raw, str) else raw
        if field == "postal_code":
            value = value.upper()
        if field == "name" and not value:
            raise ApplicationError(_("Name is required."), field="name")
        old = getattr(locked, field)
        if old != value:
            changes[field] = {"old": old, "new": value}
            setattr(locked, field, value)
    return _save_changes(
        locked,
        changes,
        acting_user=acting_user,
        event_type=AuditEventType.OFFICE_UPDATED,
        delivery_partner_id=locked.delivery_partner_id,
    )


def _save_changes(
    locked: _Changed,
    changes: dict[str, dict[str, Any]],
    *,
    acting_user: StaffActor | None,
    event_type: AuditEventType,
    delivery_partner_id: int,
) -> _Changed:
    """Save the changed fields of a locked row with its history and one audit event listing
    each field's old and new value; nothing is written when nothing changed."""
    if not changes:
        return locked
    full_clean_or_error(locked)
    set_history_user(locked, acting_user)
    locked.save(update_fields=[*changes, "modified_at"])
    audit_record(
        acting_user=acting_user,
        event_type=event_type,
        subject=locked,
        delivery_partner_id=delivery_partner_id,
        extra_data=audit_extra_for(acting_user, {"changes": changes}),
    )
    return locked
