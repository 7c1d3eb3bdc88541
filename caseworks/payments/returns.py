"""Bank returns, reissues, the cheque register and the reconciliation of a run (issue 12).

Returned direct deposits
------------------------
A bank sends back the credits it could not deposit, each with a reason code from Payments
Canada Standard 007 ("Returned items" in Standard 005 files). Two formats are read:

* **Standard 005 returned items** (`parse_cpa005_returns`): 1464-byte records, a header A, the
  returned credits in C records of up to six 240-byte segments laid out like the credits we sent
  (cpa005.SEGMENT_FIELDS), a trailer Z. Some banks mark returned credits with the logical record
  type "I" (returned credit) instead of "C": both are read. In a returned segment:

  - amount (positions 4–13) is the original amount;
  - date funds available (14–19) is read as the date of the return;
  - item trace number (41–62) is the trace the bank gave the item;
  - originator's cross reference (151–169) is what we wrote: "OW" + the payment id on 17
    digits (services.run_credits);
  - the return reason code: **UNVERIFIED position.** No public bank specification of the return
    layout was found (searched: "CPA 005 returned items file", RBC/TD/BMO/Scotiabank AFT
    returns). The layout has a "stored transaction type" field (63–65) that a credit we send
    carries as zeros; we read the returned item as carrying the 900-series reason code in the
    transaction type field (1–3) and the original transaction type (603) in the stored
    transaction type, which is what those two field names suggest. Confirm with the partner's
    bank before production use; `RETURN_REASON_FIELD` is the one place to change.

* **A CSV returns report** (`parse_csv_returns`), which most banks' online banking offers:
  header row with `cross_reference` (or `payment_number`), `amount` ("1234.56"),
  `reason_code`, `date` (YYYY-MM-DD), optional `trace`.

Reason codes (`RETURN_REASONS`), credit returns only. Verified against two secondary sources
quoting Standard 007: LoanPro "Canada Bank Return Codes" (help.loanpro.io/article/0achdqpo8g)
and Property Vista "Returned / NSF / Reject Codes" (support.propertyvista.com, article
205677988); Payrix "EFT Rejects & Returns - Canada" agrees on 902–912. VoPay's "EFT return
codes" page numbers them differently (902 account closed, 905 payment stopped, …): it disagrees
with the other three and is not followed. The Standard 007 text itself was not retrieved.

Import: every line is parsed and matched (payment found in the importer's partner, a direct
deposit, amount equal to the cent) before anything is written; any problem refuses the whole
file naming the line. Then the items are written in batches of RETURNS_BATCH, each batch one
transaction with the file's checkpoint (`ReturnsFile.next_item`): a killed import, run again
with the same file, resumes after the last batch. The same file twice changes nothing (unique
per partner and SHA-256); a payment is returned once (unique), so an item already recorded
from another file is skipped and counted.

The code lives in returns_parsing.py, services/returns.py, services/reissues.py and
reconciliation.py; this module keeps the old import path for the other apps.
"""

from __future__ import annotations

from .reconciliation import (
    METHODS,
    ROW_LABELS,
    ROWS,
    cheque_register,
    partner_returns,
    reconciliation,
    reconciliation_csv,
)
from .returns_parsing import (
    CROSS_REFERENCE,
    RETURN_REASON_FIELD,
    RETURN_REASONS,
    ReturnedItem,
    parse_cpa005_returns,
    parse_csv_returns,
    parse_returns,
    reason_label,
)
from .services.reissues import (
    REISSUE_CROSS_REFERENCE,
    cheque_action_record,
    payment_return_for_user,
    payment_return_reissue,
    reissue_cheque_list_csv,
    reissue_file_build,
)
from .services.returns import (
    ImportResult,
    payment_returns_import,
)

__all__ = [
    "CROSS_REFERENCE",
    "METHODS",
    "REISSUE_CROSS_REFERENCE",
    "RETURN_REASONS",
    "RETURN_REASON_FIELD",
    "ROWS",
    "ROW_LABELS",
    "ImportResult",
    "ReturnedItem",
    "cheque_action_record",
    "cheque_register",
    "parse_cpa005_returns",
    "parse_csv_returns",
    "parse_returns",
    "partner_returns",
    "payment_return_for_user",
    "payment_return_reissue",
    "payment_returns_import",
    "reason_label",
    "reconciliation",
    "reconciliation_csv",
    "reissue_cheque_list_csv",
    "reissue_file_build",
]
