"""The records-retention schedule (docs/backup.md, "Records retention").

Ontario Works files are the delivery partner's records: a municipality sets how long its
records are kept in a records retention by-law (Municipal Act, 2001, S.O. 2001, c. 25,
s. 254-255: retention periods are set by by-law, subject to the municipal auditor's approval),
a DSSAB by its board's records policy, and the Ministry's audit requirements (Ontario Works
Policy Directive 11.1, "Delivery standards": management of information) apply on top. No
single provincial period for a closed Ontario Works file could be verified for this schedule,
so the period is a setting that each partner fills in from its own by-law; the purge refuses to
run without it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from caseworks.cases.constants import CaseStatus

SCHEDULE_DATED = "2026-12-07"

# A case in one of these statuses, unchanged since its retention period started, is "closed".
# Rapid reinstatement (a closed case may come back within 6 months) is far shorter than any
# retention period, so a purged case can no longer be reinstated anyway.
CLOSED_STATUSES = frozenset({CaseStatus.CLOSED, CaseStatus.DENIED, CaseStatus.WITHDRAWN})


class RetentionAction(models.TextChoices):
    ANONYMISE = "anonymise", _("Personal data and documents removed; the record stays")
    KEEP = "keep", _("Kept")


@dataclass(frozen=True)
class RetentionRule:
    record_class: str
    period: str
    trigger: str
    action: str
    source: str


RETENTION_SCHEDULE: tuple[RetentionRule, ...] = (
    RetentionRule(
        record_class="Client file of a closed, denied or withdrawn case: names, SIN, contact "
        "details, addresses, bank account numbers, notes and other free text, documents and "
        "letters, and the row history of all of these",
        period="RECORDS_CLOSED_FILE_RETENTION_YEARS (set by the partner; no default)",
        trigger="the date the case was closed, denied or withdrawn (status_changed_on)",
        action=RetentionAction.ANONYMISE,
        source="partner's records retention by-law (Municipal Act, 2001, s. 254-255) or "
        "DSSAB board policy; period not verified here",
    ),
    RetentionRule(
        record_class="Money: payments (amounts, months, methods), the overpayment ledger, "
        "payment runs, determinations and decisions (the legal basis of each amount)",
        period="kept by this command; removed only under the partner's financial-records schedule",
        trigger="-",
        action=RetentionAction.KEEP,
        source="partner's records retention by-law (financial records); Ministry audit "
        "requirements",
    ),
    RetentionRule(
        record_class="Audit trail and client-file access log (who did what, when): kept; the "
        "old and new values in a purged case's audit events are removed",
        period="kept",
        trigger="-",
        action=RetentionAction.KEEP,
        source="accountability for every access and change to a client file",
    ),
    RetentionRule(
        record_class="Any file under a legal hold (litigation, appeal, investigation, access "
        "request)",
        period="until the hold is lifted, then the period above",
        trigger="the hold is lifted",
        action=RetentionAction.KEEP,
        source="a record relevant to a proceeding must not be destroyed while it is pending",
    ),
)
