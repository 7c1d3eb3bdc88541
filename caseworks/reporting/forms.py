"""Dashboard filters and the policy simulation form."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from caseworks.core.forms import MoneyField
from caseworks.core.money import cents_to_decimal
from caseworks.partners.models import DeliveryPartner, Office

from .measures.base import FamilyType, ReportFilters, add_months, month_start

MAX_MONTHS = 24


class MonthField(forms.DateField):
    """A month as YYYY-MM (an <input type="month">)."""

    input_formats = ["%Y-%m"]
    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


class ReportFilterForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Delivery partner"),
        queryset=DeliveryPartner.objects.none(),
        required=False,
        empty_label=_("All partners"),
    )
    office = forms.ModelChoiceField(
        label=_("Office"),
        queryset=Office.objects.none(),
        required=False,
        empty_label=_("All offices"),
    )
    month_from = MonthField(label=_("From (month)"), required=False)
    month_to = MonthField(label=_("To (month)"), required=False)
    family_type = forms.ChoiceField(
        label=_("Family type"),
        choices=[("", _("All family types")), *FamilyType.CHOICES],
        required=False,
    )

    def __init__(
        self, *args: Any, own_partner_id: int | None, today: dt.date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.own_partner_id = own_partner_id
        office_field: Any = self.fields["office"]
        if own_partner_id is None:
            partner_field: Any = self.fields["partner"]
            partner_field.queryset = DeliveryPartner.objects.filter(is_active=True)
            office_field.queryset = Office.objects.select_related("delivery_partner")
        else:
            del self.fields["partner"]
            office_field.queryset = Office.objects.filter(delivery_partner_id=own_partner_id)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        last_full = add_months(month_start(self.today), -1)
        month_to = data.get("month_to") or last_full
        month_from = data.get("month_from") or add_months(month_to, -11)
        if month_from > month_to:
            self.add_error("month_from", _("The first month must be on or before the last month."))
        elif (
            len(
                range(
                    (month_to.year - month_from.year) * 12 + month_to.month - month_from.month + 1
                )
            )
            > MAX_MONTHS
        ):
            self.add_error("month_from", _("Choose at most 24 months."))
        data["month_from"], data["month_to"] = month_start(month_from), month_start(month_to)
        return data

    def report_filters(self) -> ReportFilters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else self._defaults()
        partner = data.get("partner")
        office = data.get("office")
        return ReportFilters(
            month_from=data["month_from"],
            month_to=data["month_to"],
            partner_ids=(partner.pk,) if partner else None,
            office_id=office.pk if office else None,
            family_type=data.get("family_type") or "",
        )

    def _defaults(self) -> dict[str, Any]:
        month_to = add_months(month_start(self.today), -1)
        return {"month_from": add_months(month_to, -11), "month_to": month_to}


class CompareForm(forms.Form):
    first = forms.ModelChoiceField(
        label=_("First partner"), queryset=DeliveryPartner.objects.filter(is_active=True)
    )
    second = forms.ModelChoiceField(
        label=_("Second partner"), queryset=DeliveryPartner.objects.filter(is_active=True)
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("first") and data.get("first") == data.get("second"):
            self.add_error("second", _("Choose two different partners."))
        return data


class SimulationForm(forms.Form):
    """Changed rule parameters; an empty field keeps the rule as it is."""

    flat_exemption = MoneyField(
        label=_("Earnings exemption, flat amount ($ a month)"),
        required=False,
        max_cents=5_000_00,
    )
    percentage_exemption = forms.DecimalField(
        label=_("Earnings exemption, share above the flat amount (%)"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100),
        decimal_places=2,
    )
    basic_needs_single = MoneyField(
        label=_("Basic needs, single person ($ a month)"),
        required=False,
        max_cents=10_000_00,
    )
    shelter_maximum_1 = MoneyField(
        label=_("Maximum shelter allowance, 1 person ($ a month)"),
        required=False,
        max_cents=10_000_00,
    )
    asset_limit_single = MoneyField(
        label=_("Asset limit, single person ($)"),
        required=False,
        max_cents=1_000_000_00,
    )

    PARAMETERS = {
        "flat_exemption": "ontario_works.earnings.flat_exemption",
        "percentage_exemption": "ontario_works.earnings.percentage_exemption",
        "basic_needs_single": "ontario_works.basic_needs.recipient_alone.adults_0_children_0",
        "shelter_maximum_1": "ontario_works.shelter.maximum_unit_size_1",
        "asset_limit_single": "ontario_works.assets.limit_single",
    }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(name) is not None for name in self.PARAMETERS):
            raise forms.ValidationError(_("Change at least one rule parameter."))
        return data

    def overrides(self) -> dict[str, Decimal]:
        out: dict[str, Decimal] = {}
        for name, path in self.PARAMETERS.items():
            value = self.cleaned_data.get(name)
            if value is None:
                continue
            if name == "percentage_exemption":
                out[path] = Decimal(value) / 100
            else:  # MoneyField: integer cents; the rule parameters are in dollars
                out[path] = cents_to_decimal(value)
        return out
