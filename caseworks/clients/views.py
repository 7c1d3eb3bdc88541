"""Client pages: search, register, view, edit, and the access log for auditors."""

from __future__ import annotations

import csv
import dataclasses
import io
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from caseworks.accounts.constants import Capability
from caseworks.accounts.forms import add_application_error
from caseworks.accounts.views import StaffRequest, staff_view
from caseworks.core.access import partner_scope, require_capability
from caseworks.core.errors import ApplicationError
from caseworks.core.exports import csv_cell

from .case_links import case_readers
from .forms import AccessLogFilterForm, ClientSearchForm, PersonCreateForm, PersonEditForm
from .selectors import (
    AccessLogFilter,
    PersonSearch,
    client_file_access_list_for_user,
    client_file_access_search_for_user,
    person_attach_current_cases,
    person_get_for_user,
    person_search_for_user,
)
from .services import (
    PERSON_EDITABLE_FIELDS,
    DuplicatePersonError,
    client_file_access_record,
    client_file_accesses_record,
    person_create,
    person_search_detail,
    person_update,
)

ACCESS_LOG_LIMIT = 500
ACCESS_LOG_EXPORT_LIMIT = 100_000


def _search_from_form(data: dict[str, Any]) -> PersonSearch:
    """The free-text box is read the way the selector reads it; structured fields add to it."""
    search = PersonSearch.from_text(data.get("q") or "")
    extra: dict[str, Any] = {}
    if data.get("name"):
        extra["name"] = data["name"].strip()
    if data.get("date_of_birth"):
        extra["date_of_birth"] = data["date_of_birth"]
    if data.get("sin_last3"):
        extra["sin_last3"] = data["sin_last3"]
    if data.get("case_number"):
        extra["case_number"] = data["case_number"].strip().upper().replace("-", "")
    return dataclasses.replace(search, **extra)


def _case_only_search(request: HttpRequest, query: PersonSearch) -> int | None:
    """A search for a case number alone goes straight to the case, when the user may open it
    (their partner's); the case page records the access. Otherwise the people search runs and
    says nobody was found."""
    if not query.case_number or query.name or query.date_of_birth or query.sin_last3:
        return None
    return case_readers().case_id_for_number(user=request.user, case_number=query.case_number)


@staff_view
def search(request: HttpRequest) -> HttpResponseBase:
    require_capability(request.user, Capability.CLIENT_VIEW)
    form = ClientSearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid() and form.has_criteria():
        query = _search_from_form(form.cleaned_data)
        case_id = _case_only_search(request, query)
        if case_id is not None:
            return redirect("cases:detail", case_id)
        people = person_search_for_user(user=request.user, search=query)
        client_file_accesses_record(
            user=request.user,
            person_ids=[person.pk for person in people],
            view_name="clients:search",
            detail=person_search_detail(query),
        )
        results = person_attach_current_cases(people=people)
    advanced_open = form.is_bound and any(
        request.GET.get(name) for name in ("name", "date_of_birth", "sin_last3", "case_number")
    )
    return render(
        request,
        "clients/search.html",
        {"form": form, "results": results, "advanced_open": advanced_open},
    )


@staff_view
@require_http_methods(["GET", "POST"])
def create(request: StaffRequest) -> HttpResponseBase:
    require_capability(request.user, Capability.CLIENT_CREATE)
    duplicates = None
    if request.method == "POST":
        form = PersonCreateForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            add_to_case = data.pop("add_to_case")
            data.pop("sin_entered")
            try:
                person = person_create(acting_user=request.user, **data)
            except DuplicatePersonError as exc:
                duplicates = exc.duplicates
                form.add_error("acknowledge_possible_duplicates", exc.message)
            except ApplicationError as exc:
                add_application_error(form, exc)
            else:
                messages.success(request, _("%(name)s is registered.") % {"name": person.full_name})
                if add_to_case:
                    url = reverse("cases:detail", args=[add_to_case])
                    return redirect(f"{url}?add_person={person.pk}#add-member")
                return redirect("clients:detail", person_id=person.pk)
    else:
        form = PersonCreateForm(initial={"add_to_case": request.GET.get("add_to_case")})
    show_acknowledge = bool(duplicates) or bool(form.data.get("acknowledge_possible_duplicates"))
    return render(
        request,
        "clients/create.html",
        {"form": form, "duplicates": duplicates, "show_acknowledge": show_acknowledge},
    )


@staff_view
def detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_get_for_user(user=request.user, person_id=person_id)
    readers = case_readers()
    cases = readers.cases_for_person(user=request.user, person_id=person.pk)
    client_file_access_record(user=request.user, person=person, view_name="clients:detail")
    return render(
        request,
        "clients/detail.html",
        {
            "person": person,
            "cases": cases,
            "has_open_case": readers.has_open_case(cases),
        },
    )


@staff_view
@require_http_methods(["GET", "POST"])
def edit(request: StaffRequest, person_id: int) -> HttpResponseBase:
    require_capability(request.user, Capability.CLIENT_EDIT)
    person = person_get_for_user(user=request.user, person_id=person_id)
    initial = {name: getattr(person, name) for name in PERSON_EDITABLE_FIELDS if name != "sin"}
    if request.method == "POST":
        form = PersonEditForm(request.POST, initial=initial, sin_last3=person.sin_last3)
        if form.is_valid():
            changed = [name for name in form.changed_data if name in PERSON_EDITABLE_FIELDS]
            data = {name: form.cleaned_data[name] for name in changed}
            if not data.get("sin"):
                data.pop("sin", None)  # blank keeps the SIN on file
            try:
                person_update(acting_user=request.user, person=person, data=data)
            except ApplicationError as exc:
                add_application_error(form, exc)
            else:
                messages.success(request, _("The client's details are saved."))
                return redirect("clients:detail", person_id=person.pk)
    else:
        form = PersonEditForm(initial=initial, sin_last3=person.sin_last3)
    client_file_access_record(user=request.user, person=person, view_name="clients:edit")
    return render(request, "clients/edit.html", {"form": form, "person": person})


@staff_view
def access_log(request: HttpRequest, person_id: int) -> HttpResponse:
    entries = client_file_access_list_for_user(user=request.user, person_id=person_id)
    person = person_get_for_user(user=request.user, person_id=person_id)
    return render(
        request,
        "clients/access_log.html",
        {"person": person, "entries": list(entries[:ACCESS_LOG_LIMIT]), "limit": ACCESS_LOG_LIMIT},
    )


def _access_filters(request: HttpRequest) -> tuple[AccessLogFilterForm, AccessLogFilter]:
    form = AccessLogFilterForm(request.GET or None)
    if not (form.is_bound and form.is_valid()):
        return form, AccessLogFilter()
    data = form.cleaned_data
    return form, AccessLogFilter(
        username=data["user"],
        person_id=data["person"],
        case_number=data["case_number"],
        date_from=data["date_from"],
        date_to=data["date_to"],
        channel=data["channel"],
        view_name=data["view_name"],
    )


@staff_view
def access_log_search(request: HttpRequest) -> HttpResponse:
    """The partner's access log for auditors, filtered by staff member, client, case, dates,
    channel and page; the CSV export takes the same filters."""
    form, filters = _access_filters(request)
    entries = client_file_access_search_for_user(user=request.user, filters=filters)
    scope = partner_scope(request.user)
    return render(
        request,
        "clients/access_log_search.html",
        {
            "form": form,
            "entries": list(entries[:ACCESS_LOG_LIMIT]),
            "limit": ACCESS_LOG_LIMIT,
            "scope": scope,
            "export_query": request.GET.urlencode(),
        },
    )


@staff_view
def access_log_export(request: HttpRequest) -> HttpResponse:
    _form, filters = _access_filters(request)
    entries = client_file_access_search_for_user(user=request.user, filters=filters)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        ["viewed_at", "username", "role", "person_id", "case_id", "channel", "view_name", "detail"]
    )
    for entry in entries[:ACCESS_LOG_EXPORT_LIMIT]:
        writer.writerow(
            [
                csv_cell(value)
                for value in (
                    entry.viewed_at.isoformat(),
                    entry.user.username,
                    entry.user.role,
                    entry.person_id,
                    entry.benefit_unit_id or "",
                    entry.channel,
                    entry.view_name,
                    entry.detail,
                )
            ]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="access-log.csv"'
    return response
