"""Referral and employment pages of a case, and the provider directory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caseworks.accounts.constants import Capability
from caseworks.accounts.forms import add_application_error
from caseworks.accounts.models import User
from caseworks.accounts.views import StaffRequest, staff_view
from caseworks.cases.models import BenefitUnit
from caseworks.cases.selectors import benefit_unit_get_for_user
from caseworks.cases.services import case_file_read_record
from caseworks.clients.services import client_file_access_record
from caseworks.core.access import require_capability
from caseworks.core.errors import ApplicationError

from .forms import (
    AttendanceForm,
    EmploymentActivityForm,
    ExitForm,
    FollowUpForm,
    OutcomeForm,
    ProgramForm,
    ProviderAccountForm,
    ProviderForm,
    ReferralForm,
    ReferralStatusForm,
    SessionForm,
    SessionRegisterForm,
)
from .minimum_wage import CITATION as MINIMUM_WAGE_CITATION
from .selectors import (
    activity_list_for_case,
    attendance_list_for_case,
    follow_up_get_for_case,
    outcome_list_for_case,
    program_get_for_user,
    program_list_for_user,
    provider_directory_for_user,
    provider_get_for_user,
    referral_get_for_case,
    referral_list_for_case,
    session_get_for_user,
    session_list_for_program,
    upcoming_sessions_for_case,
)
from .services import (
    assistance_exit_record,
    employment_activity_record,
    employment_program_create,
    follow_up_record,
    outcome_record,
    program_session_create,
    provider_account_create,
    referral_send,
    referral_status_change,
    service_provider_create,
    session_attendance_record,
)

# A follow-up may be recorded from two weeks before its due date (as the service allows).
FOLLOW_UP_EARLY_DAYS = 14


def _people(benefit_unit: BenefitUnit) -> list[Any]:
    return [m.person for m in benefit_unit.current_members]  # type: ignore[attr-defined]


def _page(
    request: StaffRequest, benefit_unit: BenefitUnit, bound: dict[str, forms.Form] | None = None
) -> HttpResponse:
    user: Any = request.user
    bound = bound or {}
    people = _people(benefit_unit)
    providers = list(provider_directory_for_user(user=user))
    page_forms: dict[str, forms.Form] = {
        "referral": ReferralForm(prefix="referral", people=people, providers=providers),
        "outcome": OutcomeForm(prefix="outcome", people=people),
        "activity": EmploymentActivityForm(prefix="activity", people=people),
        "exit": ExitForm(prefix="exit", initial={"expected_version": benefit_unit.version}),
        "session": SessionRegisterForm(
            prefix="session",
            sessions=upcoming_sessions_for_case(benefit_unit=benefit_unit),
            people=people,
        ),
        **bound,
    }
    case_file_read_record(
        user=user,
        benefit_unit=benefit_unit,
        view_name="employment:case_employment",
        members=benefit_unit.current_members,  # type: ignore[attr-defined]
    )
    referrals = referral_list_for_case(benefit_unit=benefit_unit)
    outcomes = outcome_list_for_case(benefit_unit=benefit_unit)
    soon = timezone.localdate() + dt.timedelta(days=FOLLOW_UP_EARLY_DAYS)
    # One form per row, each with its own prefix so that every id on the page is unique.
    referral_rows = [
        (r, bound.get(f"status-{r.pk}") or ReferralStatusForm(prefix=f"status-{r.pk}"))
        for r in referrals
    ]
    outcome_rows = [
        (
            outcome,
            [
                (
                    item,
                    (
                        bound.get(f"follow_up-{item.pk}")
                        or FollowUpForm(prefix=f"follow_up-{item.pk}")
                    )
                    if item.recorded_on is None and item.due_on <= soon
                    else None,
                )
                for item in outcome.follow_ups.all()
            ],
        )
        for outcome in outcomes
    ]
    return render(
        request,
        "employment/case_employment.html",
        {
            "case": benefit_unit,
            "referral_rows": referral_rows,
            "outcome_rows": outcome_rows,
            "activities": activity_list_for_case(benefit_unit=benefit_unit),
            "attendances": attendance_list_for_case(benefit_unit=benefit_unit),
            "forms": page_forms,
            "today": timezone.localdate(),
            "submitted": list(bound.values()),
            "minimum_wage_citation": MINIMUM_WAGE_CITATION,
            "is_open": benefit_unit.status in ("pending", "active", "suspended"),
        },
    )


@staff_view
def case_employment(request: StaffRequest, benefit_unit_id: int) -> HttpResponse:
    benefit_unit = benefit_unit_get_for_user(user=request.user, benefit_unit_id=benefit_unit_id)
    return _page(request, benefit_unit)


def _handle(
    request: StaffRequest,
    benefit_unit_id: int,
    *,
    capability: Capability,
    name: str,
    make_form: Callable[[BenefitUnit], forms.Form],
    act: Callable[[BenefitUnit, dict[str, Any]], Any],
    done: str,
    anchor: str,
) -> HttpResponseBase:
    require_capability(request.user, capability)
    benefit_unit = benefit_unit_get_for_user(user=request.user, benefit_unit_id=benefit_unit_id)
    form = make_form(benefit_unit)
    if form.is_valid():
        try:
            act(benefit_unit, dict(form.cleaned_data))
        except ApplicationError as exc:
            add_application_error(form, exc, {"hourly_wage_cents": "hourly_wage"})
        else:
            messages.success(request, done)
            return redirect(
                reverse("employment:case_employment", args=[benefit_unit.pk]) + f"#{anchor}"
            )
    return _page(request, benefit_unit, {name: form})


def _person(benefit_unit: BenefitUnit, person_id: int) -> Any:
    return next(p for p in _people(benefit_unit) if p.pk == person_id)


@staff_view
@require_POST
def referral_create(request: StaffRequest, benefit_unit_id: int) -> HttpResponseBase:
    user: Any = request.user

    def act(benefit_unit: BenefitUnit, data: dict[str, Any]) -> Any:
        return referral_send(
            acting_user=user,
            benefit_unit=benefit_unit,
            person=_person(benefit_unit, data["person"]),
            provider=provider_get_for_user(user=user, provider_id=data["provider"]),
            purpose=data["purpose"],
            consent_given=data["consent_given"],
            information_shared=data["information_shared"],
            expected_response_days=data["expected_response_days"],
        )

    return _handle(
        request,
        benefit_unit_id,
        capability=Capability.REFERRAL_MANAGE,
        name="referral",
        make_form=lambda bu: ReferralForm(
            request.POST,
            prefix="referral",
            people=_people(bu),
            providers=list(provider_directory_for_user(user=user)),
        ),
        act=act,
        done=_("Referral sent."),
        anchor="referrals",
    )


@staff_view
@require_POST
def referral_status(
    request: StaffRequest, benefit_unit_id: int, referral_id: int
) -> HttpResponseBase:
    def act(benefit_unit: BenefitUnit, data: dict[str, Any]) -> Any:
        referral = referral_get_for_case(benefit_unit=benefit_unit, referral_id=referral_id)
        return referral_status_change(
            acting_user=request.user,
            referral=referral,
            to_status=data["to_status"],
            note=data["note"],
        )

    return _handle(
        request,
        benefit_unit_id,
        capability=Capability.REFERRAL_MANAGE,
        name=f"status-{referral_id}",
        make_form=lambda bu: ReferralStatusForm(request.POST, prefix=f"status-{referral_id}"),
        act=act,
        done=_("Referral status updated."),
        anchor="referrals",
    )


@staff_view
@require_POST
def outcome_create(request: StaffRequest, benefit_unit_id: int) -> HttpResponseBase:
    def act(benefit_unit: BenefitUnit, data: dict[str, Any]) -> Any:
        return outcome_record(
            acting_user=request.user,
            benefit_unit=benefit_unit,
            person=_person(benefit_unit, data["person"]),
            employer=data["employer"],
            job_title=data["job_title"],
            start_on=data["start_on"],
            hours_per_week=data["hours_per_week"],
            hourly_wage_cents=data["hourly_wage"],
            permanence=data["permanence"],
            has_benefits=data["has_benefits"],
        )

    return _handle(
        request,
        benefit_unit_id,
        capability=Capability.EMPLOYMENT_OUTCOME_RECORD,
        name="outcome",
        make_form=lambda bu: OutcomeForm(request.POST, prefix="outcome", people=_people(bu)),
        act=act,
        done=_("Job recorded. Follow-ups are scheduled at 1, 3, 6 and 12 months."),
        anchor="outcomes",
    )


@staff_view
@require_POST
def follow_up(request: StaffRequest, benefit_unit_id: int, follow_up_id: int) -> HttpResponseBase:
    def act(benefit_unit: BenefitUnit, data: dict[str, Any]) -> Any:
        item = follow_up_get_for_case(benefit_unit=benefit_unit, follow_up_id=follow_up_id)
        return follow_up_record(
            acting_user=request.user,
            follow_up=item,
            still_employed=data["still_employed"],
            hours_per_week=data["hours_per_week"],
            hourly_wage_cents=data["hourly_wage"],
            notes=data["notes"],
        )

    return _handle(
        request,
        benefit_unit_id,
        capability=Capability.EMPLOYMENT_OUTCOME_RECORD,
        name=f"follow_up-{follow_up_id}",
        make_form=lambda bu: FollowUpForm(request.POST, prefix=f"follow_up-{follow_up_id}"),
        act=act,
        done=_("Follow-up recorded."),
        anchor="outcomes",
    )


@staff_view
@require_POST
def activity_create(request: StaffRequest, benefit_unit_id: int) -> HttpResponseBase:
    def act(benefit_unit: BenefitUnit, data: dict[str, Any]) -> Any:
        data["person"] = _person(benefit_unit, data["person"])
        return employment_activity_record(
            acting_user=request.user, benefit_unit=benefit_unit, **data
        )

    return _handle(
        request,
        benefit_unit_id,
        capability=Capability.EMPLOYMENT_OUTCOME_RECORD,
        name="activity",
        make_form=lambda bu: EmploymentActivityForm(
            request.POST, prefix="activity", people=_people(bu)
        ),
        act=act,
        done=_("Activity recorded."),
        anchor="activities",
    )


@staff_view
@require_POST
def exit_create(request: StaffRequest, benefit_unit_id: int) -> HttpResponseBase:
    def act(benefit_unit: BenefitUnit, data: dict[str, Any]) -> Any:
        return assistance_exit_record(acting_user=request.user, benefit_unit=benefit_unit, **data)

    return _handle(
        request,
        benefit_unit_id,
        capability=Capability.CASE_STATUS_CHANGE,
        name="exit",
        make_form=lambda bu: ExitForm(request.POST, prefix="exit"),
        act=act,
        done=_("Exit from assistance recorded; the case is closed."),
        anchor="exit",
    )


@staff_view
def providers(request: StaffRequest) -> HttpResponseBase:
    """The provider directory: the partner's own providers and province-wide IES providers."""
    user: Any = request.user
    directory = list(provider_directory_for_user(user=user))
    form = ProviderForm(request.POST or None, prefix="provider")
    if request.method == "POST":
        require_capability(user, Capability.PROVIDER_DIRECTORY_MANAGE)
        if form.is_valid():
            try:
                service_provider_create(acting_user=user, **form.cleaned_data)
            except ApplicationError as exc:
                add_application_error(form, exc)
            else:
                messages.success(request, _("Provider added to the directory."))
                return redirect("employment:providers")
    return render(
        request,
        "employment/providers.html",
        {
            "providers": directory,
            "form": form,
            "account_form": ProviderAccountForm(prefix="account", providers=directory),
        },
    )


@staff_view
@require_POST
def provider_account(request: StaffRequest) -> HttpResponseBase:
    """A partner administrator gives a provider login access to one provider's referrals."""
    user: Any = request.user
    require_capability(user, Capability.STAFF_MANAGE)
    directory = list(provider_directory_for_user(user=user))
    form = ProviderAccountForm(request.POST, prefix="account", providers=directory)
    if form.is_valid():
        login = User.objects.filter(
            username=form.cleaned_data["username"],
            delivery_partner_id=user.delivery_partner_id,
        ).first()
        provider = next(p for p in directory if p.pk == form.cleaned_data["provider"])
        if login is None:
            form.add_error("username", _("No login with this username in your organisation."))
        else:
            try:
                provider_account_create(acting_user=user, provider=provider, user=login)
            except ApplicationError as exc:
                add_application_error(form, exc, {"user": "username"})
            else:
                messages.success(
                    request,
                    _("%(username)s can now answer the referrals sent to %(provider)s.")
                    % {"username": login.username, "provider": provider.name},
                )
                return redirect("employment:providers")
    return render(
        request,
        "employment/providers.html",
        {
            "providers": directory,
            "form": ProviderForm(prefix="provider"),
            "account_form": form,
        },
    )


# --- Workshops and pre-employment programs ------------------------------------------------


@staff_view
def programs(request: StaffRequest) -> HttpResponseBase:
    user: Any = request.user
    form = ProgramForm(request.POST or None, prefix="program")
    if request.method == "POST":
        require_capability(user, Capability.REFERRAL_MANAGE)
        if form.is_valid():
            try:
                program = employment_program_create(acting_user=user, **form.cleaned_data)
            except ApplicationError as exc:
                add_application_error(form, exc)
            else:
                messages.success(request, _("Program created. Add its sessions."))
                return redirect("employment:program_detail", program_id=program.pk)
    return render(
        request,
        "employment/programs.html",
        {"programs": program_list_for_user(user=user), "form": form},
    )


def _program_page(
    request: StaffRequest, program: Any, form: forms.Form | None = None
) -> HttpResponse:
    sessions = session_list_for_program(program=program)
    for session in sessions:
        for attendance in session.attendees.all():
            client_file_access_record(
                user=request.user,
                person=attendance.person,
                view_name="employment:program_detail",
                benefit_unit_id=attendance.benefit_unit_id,
            )
    return render(
        request,
        "employment/program_detail.html",
        {
            "program": program,
            "sessions": sessions,
            "form": form or SessionForm(prefix="session"),
            "attendance_choices": AttendanceForm.base_fields["status"].choices,  # type: ignore[attr-defined]
        },
    )


@staff_view
def program_detail(request: StaffRequest, program_id: int) -> HttpResponseBase:
    user: Any = request.user
    program = program_get_for_user(user=user, program_id=program_id)
    if request.method != "POST":
        return _program_page(request, program)
    require_capability(user, Capability.REFERRAL_MANAGE)
    form = SessionForm(request.POST, prefix="session")
    if form.is_valid():
        try:
            program_session_create(acting_user=user, program=program, **form.cleaned_data)
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Session added."))
            return redirect("employment:program_detail", program_id=program.pk)
    return _program_page(request, program, form)


@staff_view
@require_POST
def attendance_update(
    request: StaffRequest, session_id: int, attendance_id: int
) -> HttpResponseBase:
    """Record whether a registered client attended (from the program page)."""
    user: Any = request.user
    require_capability(user, Capability.REFERRAL_MANAGE)
    session = session_get_for_user(user=user, session_id=session_id)
    attendance = next((a for a in session.attendees.all() if a.pk == attendance_id), None)
    if attendance is None:
        raise Http404
    benefit_unit = benefit_unit_get_for_user(user=user, benefit_unit_id=attendance.benefit_unit_id)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        try:
            session_attendance_record(
                acting_user=user,
                session=session,
                benefit_unit=benefit_unit,
                person=attendance.person,
                status=form.cleaned_data["status"],
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Attendance recorded."))
    return redirect("employment:program_detail", program_id=session.program_id)


@staff_view
@require_POST
def session_register(request: StaffRequest, benefit_unit_id: int) -> HttpResponseBase:
    """Register a member of the case for a workshop session (within its capacity)."""

    def act(benefit_unit: BenefitUnit, data: dict[str, Any]) -> Any:
        session = session_get_for_user(user=request.user, session_id=data["session"])
        return session_attendance_record(
            acting_user=request.user,
            session=session,
            benefit_unit=benefit_unit,
            person=_person(benefit_unit, data["person"]),
        )

    return _handle(
        request,
        benefit_unit_id,
        capability=Capability.REFERRAL_MANAGE,
        name="session",
        make_form=lambda bu: SessionRegisterForm(
            request.POST,
            prefix="session",
            sessions=upcoming_sessions_for_case(benefit_unit=bu),
            people=_people(bu),
        ),
        act=act,
        done=_("Registered for the session."),
        anchor="workshops",
    )
