"""The case page and the forms on it: status, members, notes and tasks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caseworks.accounts.constants import Capability
from caseworks.accounts.forms import add_application_error
from caseworks.accounts.views import StaffRequest, staff_view
from caseworks.clients.selectors import PersonSearch, person_get_for_user, person_search_for_user
from caseworks.core.access import require_capability
from caseworks.core.errors import ApplicationError

from .constants import CaseStatus, MemberRole
from .forms import (
    MemberAddForm,
    MemberEndForm,
    MemberSearchForm,
    NoteForm,
    OpenCaseForm,
    StatusChangeForm,
    TaskForm,
)
from .models import BenefitUnit
from .selectors import (
    benefit_unit_get_for_user,
    benefit_unit_members,
    case_note_list,
    case_status_history,
    task_get_for_user,
    task_list_for_user,
)
from .services import (
    benefit_unit_create,
    benefit_unit_member_add,
    benefit_unit_member_end,
    case_file_read_record,
    case_note_create,
    case_status_change,
    task_complete,
    task_create,
)

CASEWORK_ROLES = frozenset({"caseworker", "supervisor", "employment_caseworker"})


def _detail_url(benefit_unit: BenefitUnit, anchor: str = "") -> str:
    url = reverse("cases:detail", args=[benefit_unit.pk])
    return f"{url}#{anchor}" if anchor else url


def _member_candidates(request: HttpRequest, current_ids: set[int]) -> tuple[MemberSearchForm, Any]:
    """People to offer in the add-member form: a search within the partner, or one person just
    registered for this case (?add_person=)."""
    search_form = MemberSearchForm(request.GET or None)
    people: list[Any] | None = None
    if request.GET.get("add_person", "").isdigit():
        people = [person_get_for_user(user=request.user, person_id=int(request.GET["add_person"]))]
    elif search_form.is_bound and search_form.is_valid() and search_form.cleaned_data["member_q"]:
        people = person_search_for_user(
            user=request.user, search=PersonSearch.from_text(search_form.cleaned_data["member_q"])
        )
    if people is not None:
        people = [p for p in people if p.pk not in current_ids]
    return search_form, people


def _case_page(
    request: HttpRequest,
    benefit_unit: BenefitUnit,
    *,
    forms: dict[str, Any] | None = None,
    end_form: tuple[int, MemberEndForm] | None = None,
) -> HttpResponse:
    """Render the case page (with a submitted form and its errors, if any) and log the view."""
    user: Any = request.user
    forms = forms or {}
    members = benefit_unit_members(benefit_unit=benefit_unit)
    current = [m for m in members if m.end_on is None]
    past = [m for m in members if m.end_on is not None]
    applicant = case_file_read_record(
        user=user, benefit_unit=benefit_unit, view_name="cases:detail", members=members
    )
    version = {"expected_version": benefit_unit.version}
    can_edit = user.has_capability(Capability.CASE_EDIT)
    search_form, candidates = (None, None)
    if can_edit:
        search_form, candidates = _member_candidates(request, {m.person_id for m in current})
    member_add_form = forms.get("member") or MemberAddForm(
        prefix="member",
        initial={
            **version,
            "person": candidates[0].pk if candidates and len(candidates) == 1 else None,
        },
        people=candidates,
    )
    end_forms = []
    for member in current:
        if member.role == MemberRole.APPLICANT:
            continue
        form = (
            end_form[1]
            if end_form and end_form[0] == member.pk
            else MemberEndForm(prefix=f"end-{member.pk}", initial=version)
        )
        end_forms.append((member, form))
    status_form = forms.get("status") or StatusChangeForm(
        prefix="status", current_status=benefit_unit.status, initial=version
    )
    context = {
        "case": benefit_unit,
        "applicant": applicant,
        "current_members": current,
        "past_members": past,
        "status_history": case_status_history(benefit_unit=benefit_unit),
        "notes": case_note_list(benefit_unit=benefit_unit),
        "tasks": list(task_list_for_user(user=user, benefit_unit=benefit_unit)),
        "status_form": status_form,
        "note_form": forms.get("note") or NoteForm(prefix="note"),
        "task_form": forms.get("task") or TaskForm(prefix="task"),
        "member_search_form": search_form,
        "member_candidates": candidates,
        "member_add_form": member_add_form,
        "end_forms": end_forms,
        "submitted_forms": [*forms.values(), *([end_form[1]] if end_form else [])],
        "is_open": benefit_unit.status
        in (CaseStatus.PENDING, CaseStatus.ACTIVE, CaseStatus.SUSPENDED),
    }
    return render(request, "cases/detail.html", context)


@staff_view
def detail(request: HttpRequest, benefit_unit_id: int) -> HttpResponse:
    benefit_unit = benefit_unit_get_for_user(user=request.user, benefit_unit_id=benefit_unit_id)
    return _case_page(request, benefit_unit)


@staff_view
@require_POST
def create(request: HttpRequest) -> HttpResponseBase:
    """Open a case for a registered person (one click from the client page)."""
    user: Any = request.user
    require_capability(user, Capability.CASE_CREATE)
    form = OpenCaseForm(request.POST)
    if not form.is_valid():
        raise Http404
    person = person_get_for_user(user=user, person_id=form.cleaned_data["person_id"])
    try:
        benefit_unit = benefit_unit_create(
            acting_user=user,
            applicant=person,
            caseworker=user if user.role in CASEWORK_ROLES else None,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("clients:detail", person_id=person.pk)
    messages.success(request, _("Case %(number)s is open.") % {"number": benefit_unit.case_number})
    return redirect(_detail_url(benefit_unit))


@staff_view
@require_POST
def status_change(request: StaffRequest, benefit_unit_id: int) -> HttpResponseBase:
    require_capability(request.user, Capability.CASE_STATUS_CHANGE)
    benefit_unit = benefit_unit_get_for_user(user=request.user, benefit_unit_id=benefit_unit_id)
    form = StatusChangeForm(request.POST, prefix="status", current_status=benefit_unit.status)
    if form.is_valid():
        try:
            updated = case_status_change(
                acting_user=request.user,
                benefit_unit=benefit_unit,
                to_status=form.cleaned_data["to_status"],
                reason=form.cleaned_data["reason"],
                effective_on=form.cleaned_data["effective_on"],
                expected_version=form.cleaned_data["expected_version"],
                manual=True,
            )
        except ApplicationError as exc:
            add_application_error(form, exc, {"status": "to_status"})
        else:
            messages.success(
                request,
                _("The case is now “%(status)s”.") % {"status": updated.get_status_display()},
            )
            return redirect(_detail_url(updated, "status"))
    return _case_page(request, benefit_unit, forms={"status": form})


@staff_view
@require_POST
def note_add(request: StaffRequest, benefit_unit_id: int) -> HttpResponseBase:
    require_capability(request.user, Capability.CASE_NOTE_CREATE)
    benefit_unit = benefit_unit_get_for_user(user=request.user, benefit_unit_id=benefit_unit_id)
    form = NoteForm(request.POST, prefix="note")
    if form.is_valid():
        try:
            case_note_create(
                acting_user=request.user, benefit_unit=benefit_unit, body=form.cleaned_data["body"]
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Note added."))
            return redirect(_detail_url(benefit_unit, "notes"))
    return _case_page(request, benefit_unit, forms={"note": form})


@staff_view
@require_POST
def task_add(request: StaffRequest, benefit_unit_id: int) -> HttpResponseBase:
    require_capability(request.user, Capability.TASK_MANAGE)
    benefit_unit = benefit_unit_get_for_user(user=request.user, benefit_unit_id=benefit_unit_id)
    form = TaskForm(request.POST, prefix="task")
    if form.is_valid():
        try:
            task_create(
                acting_user=request.user,
                benefit_unit=benefit_unit,
                title=form.cleaned_data["title"],
                due_on=form.cleaned_data["due_on"],
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Task added."))
            return redirect(_detail_url(benefit_unit, "tasks"))
    return _case_page(request, benefit_unit, forms={"task": form})


@staff_view
@require_POST
def task_done(request: StaffRequest, task_id: int) -> HttpResponseBase:
    require_capability(request.user, Capability.TASK_MANAGE)
    task = task_get_for_user(user=request.user, task_id=task_id)
    try:
        task_complete(acting_user=request.user, task=task)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Task “%(title)s” is done.") % {"title": task.title})
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    if task.benefit_unit_id:
        return redirect(reverse("cases:detail", args=[task.benefit_unit_id]) + "#tasks")
    return redirect("home")


@staff_view
@require_POST
def member_add(request: StaffRequest, benefit_unit_id: int) -> HttpResponseBase:
    require_capability(request.user, Capability.CASE_EDIT)
    benefit_unit = benefit_unit_get_for_user(user=request.user, benefit_unit_id=benefit_unit_id)
    form = MemberAddForm(request.POST, prefix="member")
    valid = form.is_valid()
    person = None
    if "person" in form.cleaned_data:
        person = person_get_for_user(user=request.user, person_id=form.cleaned_data["person"])
        form.fields["person"].widget.choices = [(person.pk, person.full_name)]
    if valid and person is not None:
        try:
            benefit_unit_member_add(
                acting_user=request.user,
                benefit_unit=benefit_unit,
                person=person,
                role=form.cleaned_data["role"],
                start_on=form.cleaned_data["start_on"],
                expected_version=form.cleaned_data["expected_version"],
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(
                request, _("%(name)s is added to the case.") % {"name": person.full_name}
            )
            _warn_if_paid(request, benefit_unit, form.cleaned_data["start_on"], joins=True)
            return redirect(_detail_url(benefit_unit, "members"))
    return _case_page(request, benefit_unit, forms={"member": form})


def _warn_if_paid(request: HttpRequest, benefit_unit: Any, on: dt.date, *, joins: bool) -> None:
    """A member is in a month's calculation if a member on its first day: a change dated in
    a month already paid changes what was due. The money page checks those months (a preview,
    then only the differences are booked)."""
    first = on.replace(day=1)
    if not (joins and on.day == 1):
        first = (first + dt.timedelta(days=32)).replace(day=1)
    # `payments` is a reverse relation of the case (no import of the payments app here).
    if benefit_unit.payments.filter(benefit_month__gte=first).exists():
        messages.warning(
            request,
            _(
                "This change reaches months already paid (from %(month)s): check them on the "
                "money page (“Check paid months again”) so the difference is booked."
            )
            % {"month": first.strftime("%Y-%m")},
        )


@staff_view
@require_POST
def member_end(request: StaffRequest, benefit_unit_id: int, member_id: int) -> HttpResponseBase:
    require_capability(request.user, Capability.CASE_EDIT)
    benefit_unit = benefit_unit_get_for_user(user=request.user, benefit_unit_id=benefit_unit_id)
    member = next(
        (m for m in benefit_unit_members(benefit_unit=benefit_unit) if m.pk == member_id), None
    )
    if member is None:
        raise Http404
    form = MemberEndForm(request.POST, prefix=f"end-{member.pk}")
    if form.is_valid():
        try:
            benefit_unit_member_end(
                acting_user=request.user,
                member=member,
                end_on=form.cleaned_data["end_on"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["expected_version"],
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(
                request, _("%(name)s has left the case.") % {"name": member.person.full_name}
            )
            _warn_if_paid(request, benefit_unit, form.cleaned_data["end_on"], joins=False)
            return redirect(_detail_url(benefit_unit, "members"))
    return _case_page(request, benefit_unit, end_form=(member.pk, form))
