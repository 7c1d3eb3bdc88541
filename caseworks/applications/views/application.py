"""Starting and editing the application, and adding a member to it."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from caseworks.accounts.constants import Capability
from caseworks.accounts.forms import add_application_error
from caseworks.accounts.views import staff_view
from caseworks.cases.constants import MemberRole
from caseworks.cases.selectors import benefit_unit_get_for_user
from caseworks.cases.services import case_file_read_record
from caseworks.clients.selectors import person_get_for_user
from caseworks.clients.services import DuplicatePersonError, client_file_access_record
from caseworks.core.access import require_capability
from caseworks.core.errors import ApplicationError, ConflictError

from ..constants import APPLICATION_EDITABLE
from ..forms import (
    ApplicationForm,
    AssetFormSet,
    IncomeFormSet,
    MemberCreateForm,
    MemberFormSet,
    StartApplicationForm,
)
from ..models import Application
from ..selectors import (
    application_get_for_user,
    inquiry_latest_for_person,
    verification_items,
)
from ..services import (
    ApplicationFacts,
    AssetFacts,
    IncomeFacts,
    MemberFacts,
    application_member_create,
    application_start,
    application_start_for_case,
    application_update,
)
from ._common import _current_members

# --- Starting and editing the application ---------------------------------------------------


@staff_view
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, person_id: int) -> HttpResponseBase:
    """One submit opens the case (pending) and the application, with its checklist."""
    user: Any = request.user
    require_capability(user, Capability.APPLICATION_EDIT)
    person = person_get_for_user(user=user, person_id=person_id)
    inquiry = inquiry_latest_for_person(person_id=person.pk)
    form = StartApplicationForm(request.POST or None, initial={"applied_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            application = application_start(
                acting_user=user,
                applicant=person,
                applied_on=form.cleaned_data["applied_on"],
                inquiry=inquiry,
            )
        except ApplicationError as exc:
            add_application_error(form, exc, {"opened_on": "applied_on"})
        else:
            messages.success(
                request,
                _("Case %(number)s is open. Complete the application below.")
                % {"number": application.benefit_unit.case_number},
            )
            return redirect("applications:edit", application_id=application.pk)
    client_file_access_record(user=user, person=person, view_name="applications:start")
    return render(
        request,
        "applications/start.html",
        {"form": form, "person": person, "inquiry": inquiry},
    )


@staff_view
@require_http_methods(["POST"])
def start_for_case(request: HttpRequest, benefit_unit_id: int) -> HttpResponseBase:
    """Start the missing application of a case whose application is in progress (one submit,
    from the case page)."""
    user: Any = request.user
    require_capability(user, Capability.APPLICATION_EDIT)
    case = benefit_unit_get_for_user(user=user, benefit_unit_id=benefit_unit_id)
    applicant = case.members.filter(end_on__isnull=True, role=MemberRole.APPLICANT).first()
    inquiry = inquiry_latest_for_person(person_id=applicant.person_id) if applicant else None
    try:
        application = application_start_for_case(
            acting_user=user, benefit_unit=case, inquiry=inquiry
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("cases:detail", benefit_unit_id=case.pk)
    messages.success(request, _("The application is started. Complete it below."))
    return redirect("applications:edit", application_id=application.pk)


_FIELD_RE = re.compile(r"^(members|incomes|assets)\[(\d+)\]\.(\w+)$")
_MONEY_FIELDS = {
    "shelter_cost_cents": "shelter_cost",
    "heat_cents": "heat",
    "utilities_cents": "utilities",
}


def _prescreen_income(prescreen: Any, members: list[Any]) -> list[dict[str, Any]]:
    """The pre-screen's monthly income as the applicant's income row (its type to choose)."""
    if prescreen is None or not prescreen.monthly_income_cents or not members:
        return []
    applicant = next((m for m in members if m.role == MemberRole.APPLICANT), members[0])
    return [{"person": applicant.person_id, "monthly_amount": prescreen.monthly_income_cents}]


def _prescreen_assets(prescreen: Any) -> list[dict[str, Any]]:
    if prescreen is None or not prescreen.assets_cents:
        return []
    return [{"value": prescreen.assets_cents}]


class _EditForms:
    """The application page's forms: the unit facts, one row per member, income and asset rows."""

    def __init__(self, request: HttpRequest, application: Application) -> None:
        data = request.POST if request.method == "POST" else None
        members = _current_members(application)
        self.members = members
        people = [(m.person_id, m.person.full_name) for m in members]
        circumstances = {c.person_id: c for c in application.member_circumstances.all()}
        # Never saved since it started from a pre-screen: the caller's answers are offered
        # (rent, income, assets) for the caseworker to confirm, never typed twice.
        self.prescreen = application.inquiry if application.version == 1 else None
        prescreen = self.prescreen
        self.main = ApplicationForm(
            data,
            prefix="app",
            initial={
                "expected_version": application.version,
                "address_line": application.address_line,
                "city": application.city,
                "postal_code": application.postal_code,
                "shelter_type": application.shelter_type
                or ("rent" if prescreen and prescreen.shelter_cost_cents else ""),
                "shelter_cost": application.shelter_cost_cents
                or (prescreen.shelter_cost_cents if prescreen else 0),
                "heat": application.heat_cents,
                "utilities": application.utilities_cents,
                "remote_community": application.remote_community,
                "months_in_receipt": application.months_in_receipt,
                "consent_to_verification": application.consent_to_verification,
            },
        )
        self.member_rows = MemberFormSet(
            data,
            prefix="member",
            initial=[
                {
                    "person_id": m.person_id,
                    "full_time_student": getattr(
                        circumstances.get(m.person_id), "full_time_student", False
                    ),
                    "pregnant_or_breastfeeding": getattr(
                        circumstances.get(m.person_id), "pregnant_or_breastfeeding", False
                    ),
                    "special_diet": getattr(
                        circumstances.get(m.person_id), "special_diet_cents", 0
                    ),
                    "child_care_costs": getattr(
                        circumstances.get(m.person_id), "child_care_costs_cents", 0
                    ),
                }
                for m in members
            ],
        )
        self.incomes = IncomeFormSet(
            data,
            prefix="income",
            people=people,
            initial=[
                {
                    "person": i.person_id,
                    "income_type": i.income_type,
                    "monthly_amount": i.monthly_amount_cents,
                    "description": i.description,
                }
                for i in application.incomes.order_by("id")
            ]
            or _prescreen_income(prescreen, members),
        )
        self.assets = AssetFormSet(
            data,
            prefix="asset",
            initial=[
                {"asset_type": a.asset_type, "value": a.value_cents, "description": a.description}
                for a in application.assets.order_by("id")
            ]
            or _prescreen_assets(prescreen),
        )
        names = dict(people)
        self.member_pairs = list(zip(members, self.member_rows.forms, strict=False))
        self.names = names

    def all_forms(self) -> list[Any]:
        return [
            self.main,
            *self.member_rows.forms,
            *self.incomes.forms,
            *self.assets.forms,
        ]

    def is_valid(self) -> bool:
        # Evaluate every form so that every error shows at once.
        results = [
            self.main.is_valid(),
            self.member_rows.is_valid(),
            self.incomes.is_valid(),
            self.assets.is_valid(),
        ]
        return all(results)

    def facts(self) -> ApplicationFacts:
        data = self.main.cleaned_data
        return ApplicationFacts(
            address_line=data["address_line"],
            city=data["city"],
            postal_code=data["postal_code"],
            shelter_type=data["shelter_type"],
            shelter_cost_cents=data["shelter_cost"] or 0,
            heat_cents=data["heat"] or 0,
            utilities_cents=data["utilities"] or 0,
            remote_community=data["remote_community"],
            months_in_receipt=data["months_in_receipt"] or 0,
            consent_to_verification=data["consent_to_verification"],
            members=[
                MemberFacts(
                    person_id=f.cleaned_data["person_id"],
                    full_time_student=f.cleaned_data["full_time_student"],
                    pregnant_or_breastfeeding=f.cleaned_data["pregnant_or_breastfeeding"],
                    special_diet_cents=f.cleaned_data["special_diet"] or 0,
                    child_care_costs_cents=f.cleaned_data["child_care_costs"] or 0,
                )
                for f in self.member_rows.forms
            ],
            incomes=[
                IncomeFacts(
                    person_id=f.cleaned_data["person"],
                    income_type=f.cleaned_data["income_type"],
                    monthly_amount_cents=f.cleaned_data["monthly_amount"],
                    description=f.cleaned_data["description"],
                )
                for f in self.incomes.kept_forms()
            ],
            assets=[
                AssetFacts(
                    asset_type=f.cleaned_data["asset_type"],
                    value_cents=f.cleaned_data["value"],
                    description=f.cleaned_data["description"],
                )
                for f in self.assets.kept_forms()
            ],
        )

    def add_error(self, error: ApplicationError) -> None:
        """Put a service's error beside the field it names (`incomes[0].monthly_amount_cents`)."""
        match = _FIELD_RE.match(error.field or "")
        if match:
            section, index, name = match.group(1), int(match.group(2)), match.group(3)
            rows = {
                "members": self.member_rows.forms,
                "incomes": self.incomes.kept_forms(),
                "assets": self.assets.kept_forms(),
            }[section]
            name = {
                "monthly_amount_cents": "monthly_amount",
                "value_cents": "value",
                "special_diet_cents": "special_diet",
                "child_care_costs_cents": "child_care_costs",
            }.get(name, name)
            if index < len(rows) and name in rows[index].fields:
                rows[index].add_error(name, error.message)
                return
        add_application_error(self.main, error, _MONEY_FIELDS)


def _children_missing(edit: _EditForms) -> int:
    """How many of the children the caller spoke of are not yet members of the case."""
    if edit.prescreen is None:
        return 0
    children = sum(1 for m in edit.members if m.role == MemberRole.DEPENDANT_CHILD)
    return max(0, edit.prescreen.children - children)


def _edit_page(
    request: HttpRequest, application: Application, edit: _EditForms, *, conflict: str = ""
) -> HttpResponse:
    case_file_read_record(
        user=request.user, benefit_unit=application.benefit_unit, view_name="applications:edit"
    )
    user: Any = request.user
    editable = application.status in APPLICATION_EDITABLE and user.has_capability(
        Capability.APPLICATION_EDIT
    )
    if not editable:
        # Decided, or a read-only role: show the facts without inviting changes.
        for form in edit.all_forms():
            for field in form.fields.values():
                field.disabled = True
    return render(
        request,
        "applications/edit.html",
        {
            "application": application,
            "case": application.benefit_unit,
            "edit": edit,
            "conflict": conflict,
            "editable": editable,
            "checklist": verification_items(application=application),
            "prescreen": edit.prescreen,
            "children_missing": _children_missing(edit),
        },
        status=409 if conflict else 200,
    )


@staff_view
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, application_id: int) -> HttpResponseBase:
    """The one application page. Saving keeps partial input; an invalid field is shown beside
    it with what was typed, and nothing is saved."""
    user: Any = request.user
    if request.method == "POST":
        require_capability(user, Capability.APPLICATION_EDIT)
    application = application_get_for_user(user=user, application_id=application_id)
    edit_forms = _EditForms(request, application)
    if request.method == "POST" and edit_forms.is_valid():
        try:
            application_update(
                acting_user=user,
                application=application,
                facts=edit_forms.facts(),
                expected_version=edit_forms.main.cleaned_data["expected_version"],
            )
        except ConflictError as exc:
            return _edit_page(request, application, edit_forms, conflict=exc.message)
        except ApplicationError as exc:
            edit_forms.add_error(exc)
        else:
            messages.success(request, _("The application is saved."))
            if "save_and_verify" in request.POST:
                return redirect("applications:verification", application_id=application.pk)
            return redirect("applications:edit", application_id=application.pk)
    return _edit_page(request, application, edit_forms)


@staff_view
@require_http_methods(["GET", "POST"])
def member_create(request: HttpRequest, application_id: int) -> HttpResponseBase:
    """Add a new person (name, date of birth, role) to the case and the application at once."""
    user: Any = request.user
    require_capability(user, Capability.APPLICATION_EDIT)
    application = application_get_for_user(user=user, application_id=application_id)
    form = MemberCreateForm(request.POST or None, initial={"expected_version": application.version})
    duplicates: list[Any] = []
    conflict = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            circumstances = application_member_create(
                acting_user=user,
                application=application,
                first_name=data["first_name"],
                last_name=data["last_name"],
                date_of_birth=data["date_of_birth"],
                role=data["role"],
                expected_version=data["expected_version"],
                acknowledge_possible_duplicates=data["acknowledge_possible_duplicates"],
            )
        except DuplicatePersonError as exc:
            duplicates = list(exc.duplicates)
            form.add_error("acknowledge_possible_duplicates", exc.message)
        except ConflictError as exc:
            conflict = exc.message
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is now a member of the case.")
                % {"name": circumstances.person.full_name},
            )
            return redirect(reverse("applications:edit", args=[application.pk]) + "#members")
    case_file_read_record(
        user=request.user,
        benefit_unit=application.benefit_unit,
        view_name="applications:member_create",
    )
    return render(
        request,
        "applications/member_form.html",
        {
            "form": form,
            "application": application,
            "case": application.benefit_unit,
            "members": _current_members(application),
            "duplicates": duplicates,
            "conflict": conflict,
        },
        status=409 if conflict else 200,
    )
