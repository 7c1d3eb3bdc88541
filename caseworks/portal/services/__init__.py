"""Writes of the client realm (issue 17). Each is one transaction with its audit event.

Clients have no staff role: the services below check that the acting account is the client's
own portal account on the benefit unit, then call the lower apps' `…_for_client` services
(payments, documents), which keep the staff services' own checks of the data.

One module per part; this package re-exports them so that imports of the package keep working.
"""

from ._common import (
    ADULT_AGE,
    NO_MATCH,
    REPORTING_ROLES,
    require_own_account,
)
from .activation import (
    activation_code_issue,
    format_code,
    portal_account_activate,
)
from .bank import (
    portal_bank_change_request,
)
from .letters import (
    PROOF_TITLES,
    ProofFacts,
    proof_of_assistance_issue,
)
from .preferences import (
    portal_preferences_set,
)
from .reports import (
    Amounts,
    last_reported_amounts,
    pay_stub_upload,
    portal_income_report_preview,
    portal_income_report_submit,
    portal_report_nothing_changed,
    report_due_on,
    report_month,
    reporting_members,
)
from .text_messages import (
    receipt_text,
    sms_inbound_receive,
)

__all__ = [
    "ADULT_AGE",
    "NO_MATCH",
    "PROOF_TITLES",
    "REPORTING_ROLES",
    "Amounts",
    "ProofFacts",
    "activation_code_issue",
    "format_code",
    "last_reported_amounts",
    "pay_stub_upload",
    "portal_account_activate",
    "portal_bank_change_request",
    "portal_income_report_preview",
    "portal_income_report_submit",
    "portal_preferences_set",
    "portal_report_nothing_changed",
    "proof_of_assistance_issue",
    "receipt_text",
    "report_due_on",
    "report_month",
    "reporting_members",
    "require_own_account",
    "sms_inbound_receive",
]
