"""Writes of the monthly cycle, one module per sub-domain: reported income and changes of
circumstances (reports), bank accounts (bank), status actions and the overpayment ledger
(ledger_entries), payment files (files), payment runs (runs, run_release), recalculation of
past months (recalculation), bank returns (returns) and reissues (reissues).

This package re-exports the functions of the former services.py for the other apps.
"""

from __future__ import annotations

from .bank import (
    bank_account_record,
    bank_details_clean,
    bank_details_errors,
)
from .files import (
    cheque_list_csv,
    file_creation_number_take,
    numbered_credit_file,
    originator_for,
    payment_file_build,
    payment_file_download_record,
    run_credits,
    run_payees_access_record,
)
from .ledger_entries import (
    interim_assistance_overpayments_record,
    ledger_entry_record,
    overpayment_balance_cents,
    overpayment_record,
    payment_action_record,
    recovery_rate_set,
)
from .reports import (
    SHELTER_TYPES,
    circumstances_change_record,
    income_report_record,
)

__all__ = [
    "SHELTER_TYPES",
    "bank_account_record",
    "bank_details_clean",
    "bank_details_errors",
    "cheque_list_csv",
    "circumstances_change_record",
    "file_creation_number_take",
    "income_report_record",
    "interim_assistance_overpayments_record",
    "ledger_entry_record",
    "numbered_credit_file",
    "originator_for",
    "overpayment_balance_cents",
    "overpayment_record",
    "payment_action_record",
    "payment_file_build",
    "payment_file_download_record",
    "recovery_rate_set",
    "run_credits",
    "run_payees_access_record",
]
