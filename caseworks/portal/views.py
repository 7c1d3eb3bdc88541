"""The client realm's pages (/my/…). Each loads the signed-in client's own account first
(`portal_account_for_user`, 404 for anyone else), then calls one selector or service."""

from __future__ import annotations

import datetime as dt
import functools
import json
import time
from collections.abc import Callable
from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseworks.accounts.forms import add_application_error
from caseworks.core.errors import ApplicationError, PermissionDeniedError
from caseworks.core.idempotency import idempotent_form
from caseworks.documents.storage import document_content_read
from caseworks.documents.views import document_response

from . import selectors
from .forms import (
    ActivationForm,
    BankChangeForm,
    IncomeReportForm,
    PreferencesForm,
    StubForm,
    person_field,
)
from .models import PortalAccount
from .ocr import stub_read
from .services import (
    pay_stub_upload,
    portal_account_activate,
    portal_bank_change_request,
    portal_income_report_preview,
    portal_income_report_submit,
    portal_preferences_set,
    portal_report_nothing_changed,
    proof_of_assistance_issue,
    report_month,
    sms_inbound_receive,
)
from .sms import SIGNATURE_HEADER, webhook_signature_valid

PortalView = Callable[..., HttpResponseBase]


def _language() -> str:
    return "fr" if (get_language() or "en").startswith("fr") else "en"


def portal_view(view: PortalView) -> PortalView:
    """A page of the signed-in client: the view gets their own account; nothing is cached by
    the browser (a shared or borrowed phone)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        account = selectors.portal_account_for_user(user=request.user)
        try:
            return view(request, account, *args, **kwargs)
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from exc

    return never_cache(wrapper)


# --- Activation -----------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def activate(request: HttpRequest) -> HttpResponseBase:
    """Open an account with the code from the caseworker, date of birth and case number."""
    if request.user.is_authenticated:
        return redirect("portal:home")
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = portal_account_activate(
                code=data["code"],
                date_of_birth=data["date_of_birth"],
                case_number=data["case_number"],
                username=data["username"],
                password=data["password"],
                email=data["email"],
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            user: Any = account.user
            user.backend = "django.contrib.auth.backends.ModelBackend"
            get_adapter(request).login(request, user)
            messages.success(request, _("Your account is open. Welcome."))
            return redirect("portal:home")
    return render(request, "portal/activate.html", {"form": form})


# --- Home -----------------------------------------------------------------------------------


@portal_view
@require_GET
def home(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    return render(
        request,
        "portal/home.html",
        {
            "home": selectors.portal_home(account=account),
            "mfa_enabled": is_mfa_enabled(request.user),
            "language": _language(),
        },
    )


# --- Payments and letters -------------------------------------------------------------------


@portal_view
@require_GET
def statements(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    return render(
        request,
        "portal/statements.html",
        {"months": selectors.statement_months(account=account)},
    )


@portal_view
@require_GET
def statement(request: HttpRequest, account: PortalAccount, year: int, month: int) -> HttpResponse:
    try:
        first = dt.date(year, month, 1)
    except ValueError as exc:
        raise Http404 from exc
    found = selectors.statement_for_month(account=account, month=first, language=_language())
    return render(request, "portal/statement.html", {"statement": found, "language": _language()})


@portal_view
@require_GET
def letters(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    language = _language()
    documents = selectors.letter_list(account=account)
    decisions = selectors.decisions_by_notice(account=account, documents=documents)
    for document in documents:  # a decision's letter offers "ask for a review"
        document.review_decision_id = decisions.get(document.pk)  # type: ignore[attr-defined]
    return render(
        request,
        "portal/letters.html",
        {
            "letters": [d for d in documents if d.language in ("", language)],
            "other_language": [d for d in documents if d.language not in ("", language)],
            "form": PreferencesForm(initial={"e_letters": account.e_letters}),
            "can_prove": account.benefit_unit.status == "active",
        },
    )


@portal_view
@require_GET
def letter_download(request: HttpRequest, account: PortalAccount, document_id: int) -> HttpResponse:
    document = selectors.letter_get(account=account, document_id=document_id)
    selectors.portal_read_record(account=account, view_name="portal:letter_download")
    return document_response(document)


@portal_view
@require_POST
def proof_of_assistance(request: HttpRequest, account: PortalAccount) -> HttpResponseBase:
    try:
        document = proof_of_assistance_issue(
            acting_user=account.user,
            account=account,
            language=_language(),
            facts=selectors.proof_facts(account=account),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("portal:letters")
    return document_response(document)


@portal_view
@require_POST
def preferences(request: HttpRequest, account: PortalAccount) -> HttpResponseBase:
    form = PreferencesForm(request.POST)
    if form.is_valid():
        portal_preferences_set(
            acting_user=account.user, account=account, e_letters=form.cleaned_data["e_letters"]
        )
        messages.success(request, _("Your choice is saved."))
    return redirect("portal:letters")


# --- Monthly report -------------------------------------------------------------------------


@portal_view
@require_POST
@idempotent_form
def report_nothing_changed(request: HttpRequest, account: PortalAccount) -> HttpResponseBase:
    """ "Nothing changed" in one step: recorded, then the receipt."""
    try:
        receipt = portal_report_nothing_changed(acting_user=account.user, account=account)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("portal:report")
    return redirect("portal:receipt", receipt_id=receipt.pk)


def _stub_prefill(account: PortalAccount, stub_id: str | None) -> tuple[Any, Any, dict[str, Any]]:
    """(the stub, its reading, initial form values) for a stub the client sent: the net pay
    read from it pre-fills their own earnings, to check and confirm."""
    if not stub_id or not stub_id.isdigit():
        return None, None, {}
    stub = selectors.pay_stub_get(account=account, document_id=int(stub_id))
    reading = stub_read(document_content_read(stub), stub.content_type)
    initial: dict[str, Any] = {"stub_id": stub.pk}
    if reading.net_pay_cents is not None:
        initial[person_field(account.person_id, "earnings")] = reading.net_pay_cents
    return stub, reading, initial


@portal_view
@require_http_methods(["GET", "POST"])
@idempotent_form
def report(request: HttpRequest, account: PortalAccount) -> HttpResponseBase:
    """Last month's income: amounts per adult (pre-filled from a pay stub the client sent, for
    them to check), a preview of next month's payment from the rules, then send."""
    people = selectors.report_people(account=account)
    context: dict[str, Any] = {
        "report_month": report_month(),
        "language": _language(),
        "stub_form": StubForm(),
    }
    if request.method != "POST":
        selectors.portal_read_record(account=account, view_name="portal:report")
        stub, reading, initial = _stub_prefill(account, request.GET.get("stub"))
        context.update(
            {
                "form": IncomeReportForm(initial=initial, people=people),
                "stub": stub,
                "reading": reading,
            }
        )
        return render(request, "portal/report.html", context)
    form = IncomeReportForm(request.POST, people=people)
    context["form"] = form
    if not form.is_valid():
        return render(request, "portal/report.html", context, status=400)
    stub_id = form.cleaned_data.get("stub_id")
    proof = selectors.pay_stub_get(account=account, document_id=stub_id) if stub_id else None
    context["stub"] = proof
    try:
        if request.POST.get("action") == "preview":
            context["preview"] = portal_income_report_preview(
                acting_user=account.user, account=account, amounts=form.amounts()
            )
            return render(request, "portal/report.html", context)
        receipt = portal_income_report_submit(
            acting_user=account.user, account=account, amounts=form.amounts(), proof=proof
        )
    except ApplicationError as exc:
        add_application_error(form, exc)
        return render(request, "portal/report.html", context, status=400)
    return redirect("portal:receipt", receipt_id=receipt.pk)


@portal_view
@require_POST
@idempotent_form
def report_stub(request: HttpRequest, account: PortalAccount) -> HttpResponseBase:
    """A pay stub, photographed or chosen: kept on the case, then read on the report page."""
    form = StubForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["stub"]
        try:
            stub = pay_stub_upload(
                acting_user=account.user,
                account=account,
                filename=upload.name,
                content=upload.read(),
            )
        except ApplicationError as exc:
            add_application_error(form, exc, {"file": "stub"})
        else:
            return redirect(reverse("portal:report") + f"?stub={stub.pk}")
    people = selectors.report_people(account=account)
    context = {
        "report_month": report_month(),
        "language": _language(),
        "stub_form": form,
        "form": IncomeReportForm(people=people),
    }
    return render(request, "portal/report.html", context, status=400)


@portal_view
@require_GET
def receipt(request: HttpRequest, account: PortalAccount, receipt_id: int) -> HttpResponse:
    found = selectors.receipt_get(account=account, receipt_id=receipt_id)
    selectors.portal_read_record(account=account, view_name="portal:receipt")
    people = {str(p.pk): p for p in selectors.report_people(account=account)}
    rows = [
        (people.get(person_id), kind, cents)
        for person_id, by_kind in found.amounts.items()
        for kind, cents in by_kind.items()
    ]
    return render(
        request,
        "portal/receipt.html",
        {"receipt": found, "rows": rows, "language": _language()},
    )


# --- Bank details ---------------------------------------------------------------------------


def second_factor_recent(request: HttpRequest) -> bool:
    """The session passed the client's second factor within PORTAL_SECOND_FACTOR_MAX_AGE: at
    sign-in or a re-authentication (allauth's records of this session), or by setting up the
    authenticator just now (its first code proved the device)."""
    records = get_authentication_records(request, request.user)
    now = time.time()
    max_age = settings.PORTAL_SECOND_FACTOR_MAX_AGE
    if any(r.get("method") == "mfa" and now - float(r.get("at", 0)) < max_age for r in records):
        return True
    return Authenticator.objects.filter(
        user=request.user,
        type=Authenticator.Type.TOTP,
        created_at__gte=timezone.now() - dt.timedelta(seconds=max_age),
    ).exists()


@portal_view
@require_http_methods(["GET", "POST"])
@idempotent_form
def bank(request: HttpRequest, account: PortalAccount) -> HttpResponseBase:
    """A new direct-deposit account: needs a second factor set up, and passed in the last
    minutes; the change waits for staff approval, a notice and the cooling-off."""
    if not is_mfa_enabled(request.user):
        messages.warning(
            request,
            _("To change bank details, first set up a second factor (an authenticator app)."),
        )
        return redirect(reverse("mfa_activate_totp") + "?next=" + reverse("portal:bank"))
    if not second_factor_recent(request):
        return redirect(reverse("mfa_reauthenticate") + "?next=" + reverse("portal:bank"))
    form = BankChangeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            portal_bank_change_request(
                acting_user=account.user,
                account=account,
                second_factor_recent=True,
                holder_name=data["holder_name"],
                institution=data["institution"],
                transit=data["transit"],
                account_number=data["account"],
                proof_filename=data["proof"].name,
                proof_content=data["proof"].read(),
            )
        except ApplicationError as exc:
            add_application_error(form, exc, {"file": "proof"})
        else:
            messages.success(
                request,
                _(
                    "Your new account is sent. Staff check the proof; we then send you a notice, "
                    "and deposits go to the new account after the waiting period it states."
                ),
            )
            return redirect("portal:home")
    selectors.portal_read_record(account=account, view_name="portal:bank")
    return render(request, "portal/bank.html", {"form": form})


# --- Who looked at my file ------------------------------------------------------------------


@portal_view
@require_GET
def access_log(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    return render(
        request, "portal/access_log.html", {"rows": selectors.access_log(account=account)}
    )


# --- Text messages --------------------------------------------------------------------------


@csrf_exempt
@require_POST
def sms_inbound(request: HttpRequest) -> HttpResponse:
    """The provider-neutral webhook: JSON {"from": "+14165550100", "body": "0", "id": "…"},
    signed with HMAC-SHA256 of the raw body in the X-Caseworks-Signature header."""
    if not webhook_signature_valid(request.body, request.headers.get(SIGNATURE_HEADER, "")):
        return JsonResponse({"detail": "bad signature", "code": "bad_signature"}, status=403)
    try:
        payload = json.loads(request.body)
        phone, body = str(payload["from"]), str(payload["body"])
    except (ValueError, KeyError, TypeError):
        return JsonResponse(
            {"detail": "JSON with 'from' and 'body' expected", "code": "bad_request"}, status=400
        )
    answer = sms_inbound_receive(phone=phone, body=body, provider_id=str(payload.get("id", "")))
    return JsonResponse({"answered": answer is not None}, status=200)
