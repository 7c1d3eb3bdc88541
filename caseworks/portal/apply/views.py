"""The online application's screens: intro → about you → address → household → money and urgent
need → review, consent and declaration → confirmation. No account: the draft is kept in the
portal session (its own cookie, /my/), so that Back and a refused screen keep every answer."""

from __future__ import annotations

import secrets
from typing import Any

from axes.helpers import get_client_ip_address
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from caseworks.accounts.forms import add_application_error
from caseworks.applications.constants import (
    ONLINE_CONTACT_BUSINESS_DAYS,
    ONLINE_URGENT_CONTACT_BUSINESS_DAYS,
    UrgentNeed,
)
from caseworks.applications.services import online_application_submit
from caseworks.core.business_days import add_business_days
from caseworks.core.errors import ApplicationError

from .answers import answers_from_draft
from .forms import AboutForm, AddressForm, ChildForm, HouseholdForm, MoneyForm, ReviewForm

DRAFT = "online_application"
DONE = "online_application_done"
MAX_CHILDREN = 20
# Screen -> its form; the order is the journey's.
SCREENS: dict[str, type[Any]] = {
    "about": AboutForm,
    "address": AddressForm,
    "household": HouseholdForm,
    "money": MoneyForm,
}
ORDER = [*SCREENS, "review"]


def _draft(request: HttpRequest) -> dict[str, Any]:
    draft = request.session.get(DRAFT)
    if not isinstance(draft, dict):
        draft = {"key": secrets.token_urlsafe(24), "children": []}
        request.session[DRAFT] = draft
    return draft


def _save(request: HttpRequest, draft: dict[str, Any]) -> None:
    request.session[DRAFT] = draft
    request.session.modified = True


def _typed(form: Any, data: Any) -> dict[str, Any]:
    """What was typed in the form's fields (lists for multiple choices), to show again."""
    typed: dict[str, Any] = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        typed[name] = (
            data.getlist(key)
            if hasattr(field, "choices") and getattr(field.widget, "allow_multiple_selected", False)
            else data.get(key, "")
        )
    return typed


def _first_missing(draft: dict[str, Any], screen: str) -> str | None:
    for earlier in ORDER[: ORDER.index(screen)]:
        if earlier not in draft:
            return earlier
    return None


def _step_context(screen: str) -> dict[str, Any]:
    return {"screen": screen, "number": ORDER.index(screen) + 1, "total": len(ORDER)}


@never_cache
def start(request: HttpRequest) -> HttpResponse:
    """What the application asks for, how long it takes and what happens after."""
    return render(request, "portal/apply/start.html", {"total": len(ORDER)})


def _children_forms(request: HttpRequest, draft: dict[str, Any]) -> list[ChildForm]:
    if request.method == "POST":
        try:
            count = min(max(int(request.POST.get("child_count", "0")), 0), MAX_CHILDREN)
        except ValueError:
            count = 0
        return [ChildForm(request.POST, prefix=f"child-{i}") for i in range(count)]
    return [
        ChildForm(initial=child, prefix=f"child-{i}")
        for i, child in enumerate(draft.get("children", []))
    ]


@never_cache
@require_http_methods(["GET", "POST"])
def screen(request: HttpRequest, name: str) -> HttpResponseBase:
    """One screen of the application: every field checked at once, the answers kept."""
    draft = _draft(request)
    missing = _first_missing(draft, name)
    if missing is not None:
        return redirect(f"portal:apply_{missing}")
    form_class = SCREENS[name]
    children = _children_forms(request, draft) if name == "household" else []
    if request.method == "POST":
        form = form_class(request.POST)
        action = request.POST.get("action", "continue")
        if name == "household" and action != "continue":
            typed = [_typed(child, request.POST) for child in children]
            if action == "add_child" and len(typed) < MAX_CHILDREN:
                typed.append({"first_name": "", "last_name": "", "date_of_birth": ""})
            elif action.startswith("remove_child_"):
                index = action.removeprefix("remove_child_")
                typed = [c for i, c in enumerate(typed) if str(i) != index]
            draft["household_typed"] = _typed(form, request.POST)
            draft["children"] = typed
            _save(request, draft)
            return redirect(f"{request.path}#child-count")
        if form.is_valid() and all(child.is_valid() for child in children):
            draft[name] = _typed(form, request.POST)
            if name == "household":
                draft["children"] = [_typed(child, request.POST) for child in children]
                draft.pop("household_typed", None)
            _save(request, draft)
            return redirect(f"portal:apply_{ORDER[ORDER.index(name) + 1]}")
        status = 400
    else:
        initial = draft.get(name) or (draft.get("household_typed") if name == "household" else None)
        form = form_class(initial=initial or None)
        status = 200
    return render(
        request,
        f"portal/apply/{name}.html",
        {"form": form, "children": children, **_step_context(name)},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest) -> HttpResponseBase:
    """Every answer to check, consent and declaration, then one submit files the application."""
    done = request.session.get(DONE)
    if DRAFT not in request.session and isinstance(done, dict):
        return redirect("portal:apply_done")  # sent already (a second click): the same reference
    draft = _draft(request)
    missing = _first_missing(draft, "review")
    if missing is not None:
        return redirect(f"portal:apply_{missing}")
    form = ReviewForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                answers = answers_from_draft(draft, form.cleaned_data)
                inquiry = online_application_submit(
                    answers=answers,
                    draft_key=draft["key"],
                    sender_address=get_client_ip_address(request) or "",
                )
            except ApplicationError as exc:
                add_application_error(form, exc)
                status = 429 if exc.code == "too_many" else 400
            else:
                days = (
                    ONLINE_URGENT_CONTACT_BUSINESS_DAYS
                    if inquiry.urgent
                    else ONLINE_CONTACT_BUSINESS_DAYS
                )
                request.session[DONE] = {
                    "reference": inquiry.reference,
                    "urgent": inquiry.urgent,
                    "contact_by": add_business_days(timezone.localdate(), days).isoformat(),
                    "email": bool(inquiry.email),
                }
                request.session.pop(DRAFT, None)
                return redirect("portal:apply_done")
    summary = _summary(draft)
    return render(
        request,
        "portal/apply/review.html",
        {"form": form, **summary, **_step_context("review")},
        status=status,
    )


def _summary(draft: dict[str, Any]) -> dict[str, Any]:
    """The answers as they will be sent (checked: a postal code in capitals, money in cents)."""
    try:
        answers = answers_from_draft(draft, {"consent": True, "declaration": True})
    except ApplicationError:
        return {"answers": None, "urgent_labels": []}
    return {
        "answers": answers,
        "urgent_labels": [str(UrgentNeed(n).label) for n in answers.urgent_needs],
    }


@never_cache
def done(request: HttpRequest) -> HttpResponseBase:
    """The reference, what happens next and when (Ontario Works Policy Directive 2.1)."""
    sent = request.session.get(DONE)
    if not isinstance(sent, dict):
        return redirect("portal:apply")
    return render(request, "portal/apply/done.html", {"sent": sent})
