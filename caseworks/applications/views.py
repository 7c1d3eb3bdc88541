"""Intake and application pages: screening, appointments, the application and its checklist.

Every page loads records through the partner-scoped selectors (404 for another partner's),
checks the role's capability first (403), and logs each view of a client file.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from caseworks.accounts.constants import Capability
from caseworks.accounts.forms import add_application_error
from caseworks.accounts.views import staff_view
from caseworks.cases.constants import MemberRole
from caseworks.clients.selectors import person_get_for_user
from caseworks.clients.services import DuplicatePersonError, client_file_access_record
from caseworks.core.access import require_capability
from caseworks.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from caseworks.core.idempotency import idempotent_form
from caseworks.core.money import display_cents, parse_dollars_to_cents
from caseworks.documents.selectors import uploads_for_case
from caseworks.eligibility.explanations import explanation_lines
from caseworks.eligibility.labels import citation_text, reason_label
from caseworks.eligibility.selectors import latest_determination

from .constants import APPLICATION_EDITABLE
from .forms import (
    UPLOADED,
    ApplicationForm,
    AppointmentForm,
    AssetFormSet,
    CalendarForm,
    IncomeFormSet,
    InquiryForm,
    MemberCreateForm,
    MemberFormSet,
    StartApplicationForm,
    UploadForm,
    VerificationFormSet,
)
from .models import Application
from .selectors import (
    application_get_for_user,
    appointment_list_for_user,
    caseworker_days,
    caseworkers_for_user,
    inquiry_get_for_user,
    verification_items,
)
from .services import (
    ApplicationFacts,
    AssetFacts,
    IncomeFacts,
    MemberFacts,
    UploadFacts,
    VerificationEntry,
    application_member_create,
    application_start,
    application_update,
    appointment_book,
    inquiry_record,
    verification_checklist_save,
)


def _log_file_view(request: HttpRequest, application: Application, view_name: str) -> None:
    applicant = (
        application.benefit_unit.members.filter(role=MemberRole.APPLICANT)
        .select_related("person")
        .order_by("end_on", "-start_on", "-id")
        .first()
    )
    if applicant is not None:
        client_file_access_record(
            user=request.user,
            person=applicant.person,
            view_name=view_name,
            benefit_unit_id=application.benefit_unit_id,
        )


def _current_members(application: Application) -> list[Any]:
    return list(
        application.benefit_unit.members.filter(end_on__isnull=True)
        .select_related("person")
        .order_by("start_on", "id")
    )


# --- Screening --------------------------------------------------------------------------------


@staff_view
@require_http_methods(["GET", "POST"])
@idempotent_form  # a replayed POST once recorded the same caller twice
def inquiry_create(request: HttpRequest) -> HttpResponseBase:
    """Record a caller and pre-screen them (one submit), then show the result."""
    require_capability(request.user, Capability.INQUIRY_RECORD)
    form = InquiryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inquiry = inquiry_record(
                acting_user=request.user,
                caller_name=data["caller_name"],
                phone=data["phone"],
                adults=data["adults"],
                children=data["children"],
                has_spouse=data["has_spouse"],
                monthly_income_cents=data["monthly_income"] or 0,
                shelter_cost_cents=data["shelter_cost"] or 0,
                assets_cents=data["assets"] or 0,
            )
        except ApplicationError as exc:
            add_application_error(
                form,
                exc,
                {
                    "monthly_income_cents": "monthly_income",
                    "shelter_cost_cents": "shelter_cost",
                    "assets_cents": "assets",
                },
            )
        else:
            return redirect("applications:inquiry_detail", inquiry_id=inquiry.pk)
    return render(request, "applications/inquiry_form.html", {"form": form})


@staff_view
def inquiry_detail(request: HttpRequest, inquiry_id: int) -> HttpResponse:
    """The pre-screen result: likely eligible or not, with the rules' explanation and reasons."""
    inquiry = inquiry_get_for_user(user=request.user, inquiry_id=inquiry_id)
    if inquiry.person is not None:
        client_file_access_record(
            user=request.user, person=inquiry.person, view_name="applications:inquiry_detail"
        )
    output = inquiry.prescreen_snapshot.get("output", {})
    language = "fr" if (request.LANGUAGE_CODE or "").startswith("fr") else "en"
    lines = explanation_lines(output.get("explanation", []), language)
    reasons = [
        {
            "text": reason_label(str(r.get("code", "")), language),
            "citation": citation_text(str(r.get("citation", "")), language),
        }
        for r in output.get("ineligibility_reasons", [])
    ]
    return render(
        request,
        "applications/inquiry_detail.html",
        {
            "inquiry": inquiry,
            "lines": lines,
            "reasons": reasons,
            "output": output,
            "payment": _money_text(output.get("payment", ""), language),
            "appointments": list(inquiry.appointments.select_related("caseworker")),
        },
    )


def _money_text(amount: Any, language: str) -> str:
    """The engine's "433.00" as "$433.00" / "433,00 $"; anything unreadable as it is."""
    try:
        return display_cents(parse_dollars_to_cents(str(amount)), language)
    except ValueError:
        return str(amount)


# --- Appointments -----------------------------------------------------------------------------


def _parse_day(value: str | None) -> dt.date:
    try:
        return _safe_day(dt.date.fromisoformat(value or ""))
    except ValueError:
        return timezone.localdate()


def _safe_day(day: dt.date) -> dt.date:
    """A calendar day to show; far-off years (9999-12-31) show today instead of overflowing."""
    return day if 2000 <= day.year <= 2100 else timezone.localdate()


@staff_view
@require_http_methods(["GET", "POST"])
def appointment_book_view(request: HttpRequest) -> HttpResponseBase:
    """Book an intake appointment: choose a caseworker and a free time; each caseworker's day
    is shown beside the form. A double booking is refused with a clear message."""
    user: Any = request.user
    require_capability(user, Capability.APPOINTMENT_BOOK)
    inquiry = None
    inquiry_param = request.POST.get("inquiry") or request.GET.get("inquiry") or ""
    if inquiry_param:
        if not inquiry_param.isdigit():
            raise Http404
        inquiry = inquiry_get_for_user(user=user, inquiry_id=int(inquiry_param))
    workers = caseworkers_for_user(user=user)
    day = _parse_day(request.POST.get("day") or request.GET.get("day"))
    form = AppointmentForm(
        request.POST or None,
        caseworkers=workers,
        initial={"day": day, "duration_minutes": 60},
    )
    if request.method == "POST" and form.is_valid():
        caseworker = next(w for w in workers if w.pk == form.cleaned_data["caseworker"])
        try:
            appointment = appointment_book(
                acting_user=user,
                caseworker=caseworker,
                starts_at=form.starts_at(),
                duration_minutes=form.cleaned_data["duration_minutes"],
                inquiry=inquiry,
                person=inquiry.person if inquiry else None,
                purpose=form.cleaned_data["purpose"],
            )
        except ApplicationError as exc:
            add_application_error(form, exc, {"starts_at": "start_time"})
        else:
            local = timezone.localtime(appointment.starts_at)
            messages.success(
                request,
                _("Appointment booked with %(worker)s on %(day)s at %(time)s.")
                % {
                    "worker": caseworker.get_full_name() or caseworker.username,
                    "day": f"{local:%Y-%m-%d}",
                    "time": f"{local:%H:%M}",
                },
            )
            url = reverse("applications:calendar")
            return redirect(f"{url}?day={local:%Y-%m-%d}")
    return render(
        request,
        "applications/appointment_form.html",
        {
            "form": form,
            "inquiry": inquiry,
            "day": day,
            "days": caseworker_days(user=user, day=day),
        },
    )


@staff_view
def calendar(request: HttpRequest) -> HttpResponse:
    """The office calendar: each caseworker's appointments for a day or a week."""
    user: Any = request.user
    require_capability(user, Capability.APPOINTMENT_BOOK)
    form = CalendarForm(request.GET or None)
    day = timezone.localdate()
    view = "day"
    if form.is_bound and form.is_valid():
        day = _safe_day(form.cleaned_data["day"] or day)
        view = form.cleaned_data["view"] or "day"
    if view == "week":
        day = day - dt.timedelta(days=day.weekday())
    days = 7 if view == "week" else 1
    appointments = appointment_list_for_user(user=user, start=day, days=days)
    workers = caseworkers_for_user(user=user)
    by_worker = [
        {"caseworker": w, "appointments": [a for a in appointments if a.caseworker_id == w.pk]}
        for w in workers
    ]
    return render(
        request,
        "applications/calendar.html",
        {
            "form": form,
            "day": day,
            "view": view,
            "last_day": day + dt.timedelta(days=days - 1),
            "by_worker": by_worker,
            "previous": day - dt.timedelta(days=days),
            "next": day + dt.timedelta(days=days),
        },
    )


# --- Starting and editing the application ---------------------------------------------------


@staff_view
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, person_id: int) -> HttpResponseBase:
    """One submit opens the case (pending) and the application, with its checklist."""
    user: Any = request.user
    require_capability(user, Capability.APPLICATION_EDIT)
    person = person_get_for_user(user=user, person_id=person_id)
    form = StartApplicationForm(request.POST or None, initial={"applied_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            application = application_start(
                acting_user=user, applicant=person, applied_on=form.cleaned_data["applied_on"]
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
    return render(request, "applications/start.html", {"form": form, "person": person})


_FIELD_RE = re.compile(r"^(members|incomes|assets)\[(\d+)\]\.(\w+)$")
_MONEY_FIELDS = {
    "shelter_cost_cents": "shelter_cost",
    "heat_cents": "heat",
    "utilities_cents": "utilities",
}


class _EditForms:
    """The application page's forms: the unit facts, one row per member, income and asset rows."""

    def __init__(self, request: HttpRequest, application: Application) -> None:
        data = request.POST if request.method == "POST" else None
        members = _current_members(application)
        self.members = members
        people = [(m.person_id, m.person.full_name) for m in members]
        circumstances = {c.person_id: c for c in application.member_circumstances.all()}
        self.main = ApplicationForm(
            data,
            prefix="app",
            initial={
                "expected_version": application.version,
                "address_line": application.address_line,
                "city": application.city,
                "postal_code": application.postal_code,
                "shelter_type": application.shelter_type,
                "shelter_cost": application.shelter_cost_cents,
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
            ],
        )
        self.assets = AssetFormSet(
            data,
            prefix="asset",
            initial=[
                {"asset_type": a.asset_type, "value": a.value_cents, "description": a.description}
                for a in application.assets.order_by("id")
            ],
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


def _edit_page(
    request: HttpRequest, application: Application, edit: _EditForms, *, conflict: str = ""
) -> HttpResponse:
    _log_file_view(request, application, "applications:edit")
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
            "determination": latest_determination(benefit_unit=application.benefit_unit),
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
        except PermissionDeniedError:
            raise
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
        except PermissionDeniedError:
            raise
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
    _log_file_view(request, application, "applications:member_create")
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


# --- Verification -----------------------------------------------------------------------------


def _item_label(item: Any) -> str:
    label = str(item.get_kind_display())
    return f"{label} — {item.person.full_name}" if item.person_id else label


@staff_view
@require_http_methods(["GET", "POST"])
def verification(request: HttpRequest, application_id: int) -> HttpResponseBase:
    """The whole checklist on one form, with an upload: upload a proof and mark the items it
    proves in one submit. Any error saves nothing."""
    user: Any = request.user
    if request.method == "POST":
        require_capability(user, Capability.APPLICATION_EDIT)
    application = application_get_for_user(user=user, application_id=application_id)
    items = verification_items(application=application)
    documents = uploads_for_case(user=user, benefit_unit=application.benefit_unit)
    doc_choices = [(d.pk, f"{d.title} ({d.uploaded_at:%Y-%m-%d})") for d in documents]
    members = _current_members(application)
    data = request.POST if request.method == "POST" else None
    formset = VerificationFormSet(
        data,
        prefix="item",
        documents=doc_choices,
        initial=[
            {
                "item_id": item.pk,
                "status": item.status,
                "document": str(item.document_id) if item.document_id else "",
                "waived_reason": item.waived_reason,
            }
            for item in items
        ],
    )
    upload_form = UploadForm(
        data,
        request.FILES if data is not None else None,
        prefix="upload",
        people=[(m.person_id, m.person.full_name) for m in members],
    )
    if request.method == "POST":
        formset_ok = formset.is_valid()
        upload_ok = upload_form.is_valid()
        ids = [f.cleaned_data.get("item_id") for f in formset.forms if hasattr(f, "cleaned_data")]
        if formset_ok and sorted(ids) != sorted(i.pk for i in items):
            formset_ok = False
            messages.error(request, _("The checklist changed while you worked. Check it again."))
        if formset_ok and upload_ok:
            upload = None
            file = upload_form.cleaned_data.get("file")
            if file:
                upload = UploadFacts(
                    title=upload_form.cleaned_data["title"],
                    filename=file.name or "",
                    content=file.read(),
                    person_id=upload_form.cleaned_data["person"],
                )
            entries = [
                VerificationEntry(
                    item_id=f.cleaned_data["item_id"],
                    status=f.cleaned_data["status"],
                    document_id=int(f.cleaned_data["document"])
                    if f.cleaned_data["document"] not in ("", UPLOADED)
                    else None,
                    use_upload=f.cleaned_data["document"] == UPLOADED,
                    waived_reason=f.cleaned_data["waived_reason"],
                )
                for f in formset.forms
            ]
            try:
                verification_checklist_save(
                    acting_user=user, application=application, entries=entries, upload=upload
                )
            except PermissionDeniedError:
                raise
            except ApplicationError as exc:
                _checklist_error(formset, upload_form, exc)
            else:
                messages.success(request, _("The checklist is saved."))
                return redirect("applications:verification", application_id=application.pk)
    _log_file_view(request, application, "applications:verification")
    by_id = {item.pk: item for item in items}
    rows = []
    for form in formset.forms:
        raw = form["item_id"].value()
        item = by_id.get(int(raw)) if str(raw).isdigit() else None
        if item is not None:
            rows.append({"item": item, "label": _item_label(item), "form": form})
    return render(
        request,
        "applications/verification.html",
        {
            "application": application,
            "case": application.benefit_unit,
            "formset": formset,
            "rows": rows,
            "upload_form": upload_form,
            "documents": documents,
            "editable": application.status in APPLICATION_EDITABLE
            and user.has_capability(Capability.APPLICATION_EDIT),
        },
    )


_ITEM_RE = re.compile(r"^items\[(\d+)\](?:\.(\w+))?$")


def _checklist_error(formset: Any, upload_form: Any, error: ApplicationError) -> None:
    field = error.field or ""
    if field.startswith("upload."):
        name = field.split(".", 1)[1]
        upload_form.add_error(name if name in upload_form.fields else None, error.message)
        return
    match = _ITEM_RE.match(field)
    if match and int(match.group(1)) < len(formset.forms):
        form = formset.forms[int(match.group(1))]
        name = match.group(2) or "status"
        form.add_error(name if name in form.fields else None, error.message)
        return
    upload_form.add_error(None, error.message)
