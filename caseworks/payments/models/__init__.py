"""The monthly cycle: reported income, dated circumstances, payment runs, payments, direct
deposit, holds and the overpayment ledger. Every amount is an integer number of cents.
One module per group; every model is imported here (the app label stays `payments`).
"""

from __future__ import annotations

from .accounts import (
    BankAccount,
    BankDetailChange,
    PaymentProfile,
)
from .authorizations import (
    HealthAuthorization,
    HealthAuthorizationInvoice,
)
from .circumstances import (
    CircumstancesChange,
    IncomeReport,
    MemberCircumstancesChange,
)
from .files import (
    ChequeAction,
    FileCreationCounter,
    PaymentFile,
    PaymentReissue,
    PaymentReturn,
    ReturnsFile,
)
from .ledger import (
    LedgerEntry,
    PaymentAction,
)
from .onetime import (
    OneTimeBatch,
    OneTimePayment,
    OneTimePolicy,
)
from .runs import (
    Payment,
    PaymentApprover,
    PaymentRun,
    PaymentRunAcknowledgement,
    PaymentRunLine,
)

__all__ = [
    "BankAccount",
    "BankDetailChange",
    "ChequeAction",
    "CircumstancesChange",
    "FileCreationCounter",
    "HealthAuthorization",
    "HealthAuthorizationInvoice",
    "IncomeReport",
    "LedgerEntry",
    "MemberCircumstancesChange",
    "OneTimeBatch",
    "OneTimePayment",
    "OneTimePolicy",
    "Payment",
    "PaymentAction",
    "PaymentApprover",
    "PaymentFile",
    "PaymentProfile",
    "PaymentReissue",
    "PaymentReturn",
    "PaymentRun",
    "PaymentRunAcknowledgement",
    "PaymentRunLine",
    "ReturnsFile",
]
