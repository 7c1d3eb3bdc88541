"""The draft (what was typed, screen by screen) checked again and turned into the service's
`OnlineAnswers` (money in cents, dates as dates)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from caseworks.applications.services import ChildAnswers, OnlineAnswers
from caseworks.core.errors import ApplicationError

from .forms import AboutForm, AddressForm, ChildForm, HouseholdForm, MoneyForm


def _clean(form_class: type[Any], typed: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    form = form_class(typed, **kwargs)
    if not form.is_valid():
        name, errors = next(iter(form.errors.items()))
        raise ApplicationError(str(errors[0]), field=name)
    return dict(form.cleaned_data)


def answers_from_draft(draft: dict[str, Any], review: dict[str, Any]) -> OnlineAnswers:
    """Every screen of the draft, checked as when it was sent (a session changed by hand, or a
    screen skipped, is refused naming the field)."""
    if not all(screen in draft for screen in ("about", "address", "household", "money")):
        raise ApplicationError(_("Some answers are missing: go back to the first screen."))
    about = _clean(AboutForm, draft["about"])
    address = _clean(AddressForm, draft["address"])
    household = _clean(HouseholdForm, draft["household"])
    money = _clean(MoneyForm, draft["money"])
    children = []
    for index, typed in enumerate(draft.get("children", [])):
        prefixed = {f"child-{index}-{key}": value for key, value in typed.items()}
        child = _clean(ChildForm, prefixed, prefix=f"child-{index}")
        children.append(
            ChildAnswers(
                first_name=child["first_name"],
                last_name=child["last_name"] or about["last_name"],
                date_of_birth=child["date_of_birth"],
            )
        )
    has_spouse = bool(household["has_spouse"])
    return OnlineAnswers(
        first_name=about["first_name"],
        last_name=about["last_name"],
        date_of_birth=about["date_of_birth"],
        phone=about["phone"],
        email=about["email"] or "",
        language=about["language"],
        address_line=address["address_line"],
        city=address["city"],
        postal_code=address["postal_code"],
        has_spouse=has_spouse,
        spouse_first_name=household["spouse_first_name"] if has_spouse else "",
        spouse_last_name=household["spouse_last_name"] if has_spouse else "",
        spouse_date_of_birth=household["spouse_date_of_birth"] if has_spouse else None,
        children=tuple(children),
        monthly_income_cents=money["monthly_income"] or 0,
        assets_cents=money["assets"] or 0,
        shelter_cost_cents=money["shelter_cost"] or 0,
        urgent_needs=tuple(money["urgent_needs"]),
        consent=bool(review.get("consent")),
        declaration=bool(review.get("declaration")),
    )
