"""The access log's "Page" column in words: what each recorded view name is called on screen.

Views record a route name (`payments:case_money`) in `ClientFileAccess.view_name`; auditors read
the page's name ("Case money"). `tests/test_user_facing_words.py` checks that every name the
code records has a label here.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

PAGE_NAMES: dict[str, Promise] = {
    "cases:detail": _("Case"),
    "clients:detail": _("Client file"),
    "clients:edit": _("Edit client details"),
    "clients:search": _("Client search results"),
    "clients:duplicate_check": _("Duplicate check when registering a client"),
    "applications:start": _("Start an application"),
    "applications:edit": _("Application"),
    "applications:member_create": _("Add a person to an application"),
    "applications:verification": _("Verification of an application"),
    "applications:inquiry_detail": _("Inquiry"),
    "caseload:supervisor": _("Supervisor's caseload"),
    "caseload:transfer_history": _("Transfer history"),
    "documents:case_documents": _("Case documents"),
    "documents:download": _("Document download"),
    "documents:letters": _("Letters to post"),
    "eligibility:approvals": _("Decisions awaiting approval"),
    "eligibility:decision": _("Decision"),
    "eligibility:determination": _("Eligibility determination"),
    "employment:case_employment": _("Employment"),
    "employment:program_detail": _("Employment program"),
    "employment:providers": _("Employment providers"),
    "payments:case_money": _("Case money"),
    "payments:circumstances": _("Circumstances"),
    "payments:member_circumstances": _("A member's circumstances"),
    "payments:income_report": _("Income report"),
    "payments:recalculate": _("Recalculation"),
    "payments:health_authorizations": _("Health benefit authorizations"),
    "payments:health_authorization": _("Health benefit authorization"),
    "payments:run_file": _("Payment run bank file"),
    "payments:run_cheques": _("Payment run cheques"),
    "payments:run_cheque_register": _("Payment run cheque register"),
    "payments:one_time_request": _("One-time payment request"),
    "payments:one_time_queue": _("One-time payments to approve"),
    "payments:one_time_batches": _("Between-run payments"),
    "payments:one_time_batch": _("Between-run batch"),
    "plans:case_plans": _("Participation agreements"),
    "plans:detail": _("Participation agreement"),
    "plans:agreement_pdf": _("Participation agreement (printable)"),
    "reviews:case_reviews": _("Reviews and appeals"),
    "api:client_search": _("API: client search"),
    "api:client_detail": _("API: client"),
    "api:case_detail": _("API: case"),
    "api:case_notes": _("API: case notes"),
    "api:application_detail": _("API: application"),
    "api:application_verification": _("API: verification"),
    "api:decision_detail": _("API: decision"),
    "api:determination_create": _("API: new determination"),
    "api:determination_detail": _("API: determination"),
    "api:payments_case_money": _("API: case money"),
    "api:payments_recalculation": _("API: recalculation"),
    "api:payments:run_cheque_register": _("API: payment run cheque register"),
    "api:payments_one_time_list": _("API: one-time payments"),
    "api:provider_referral_detail": _("API: provider's referral"),
    "api:provider_referral_list": _("API: provider's referrals"),
    "applications:appointment_detail": _("Appointment"),
    "messaging:case": _("Client online (case)"),
    "portal:access_log": _("Client portal: who looked at my file"),
    "portal:apply": _("Online application: start"),
    "portal:apply_about": _("Online application: about you"),
    "portal:apply_address": _("Online application: address"),
    "portal:apply_done": _("Online application: sent"),
    "portal:apply_household": _("Online application: household"),
    "portal:apply_money": _("Online application: money and urgent needs"),
    "portal:apply_review": _("Online application: check and send"),
    "portal:bank": _("Client portal: bank details"),
    "portal:change_address": _("Client portal: report a move"),
    "portal:change_household": _("Client portal: report someone moving in or out"),
    "portal:change_shelter_cost": _("Client portal: report a new housing cost"),
    "portal:changes": _("Client portal: changes reported"),
    "portal:documents": _("Client portal: documents we need"),
    "portal:home": _("Client portal: home"),
    "portal:letter_download": _("Client portal: letter download"),
    "portal:letters": _("Client portal: letters"),
    "portal:messages": _("Client portal: messages"),
    "portal:review_request": _("Client portal: ask for a review"),
    "portal:review_requested": _("Client portal: review request received"),
    "portal:receipt": _("Client portal: report receipt"),
    "portal:report": _("Client portal: monthly report"),
    "portal:staff_access": _("Client online accounts (staff)"),
    "portal:statement": _("Client portal: monthly statement"),
    "portal:statements": _("Client portal: statements"),
}

_ADMIN_OBJECTS: dict[str, Promise] = {
    "person": _("client"),
    "case": _("case"),
}


def page_label(view_name: str) -> str:
    """The page's name in the active language; the recorded name itself if it is unknown."""
    label = PAGE_NAMES.get(view_name)
    if label is not None:
        return str(label)
    parts = view_name.split(":")
    if parts[0] == "admin" and len(parts) >= 2:
        thing = _ADMIN_OBJECTS.get(parts[1])
        if thing is not None:
            return gettext("Administration: %(thing)s") % {"thing": thing}
        return gettext("Administration")
    return view_name


def page_choices() -> list[tuple[str, str]]:
    """For the access log's "Page" filter: (recorded name, page name), by page name."""
    return sorted(((key, str(label)) for key, label in PAGE_NAMES.items()), key=lambda c: c[1])
