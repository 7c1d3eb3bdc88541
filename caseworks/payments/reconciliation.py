"""The cheque register and the reconciliation of a run (issued, returned, reissued,
outstanding, paid), and a partner's returns."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caseworks.core.errors import ApplicationError
from caseworks.core.exports import csv_cell
from caseworks.core.money import format_cents
from caseworks.partners.models import DeliveryPartner

from .constants import (
    ChequeActionKind,
    PaymentMethod,
    RunStatus,
)
from .models import (
    ChequeAction,
    OneTimeBatch,
    Payment,
    PaymentReissue,
    PaymentReturn,
    PaymentRun,
)


def cheque_register(run: PaymentRun) -> list[dict[str, Any]]:
    """The run's cheques with their stop/cancel/reissue state (page; a few thousand at most)."""
    actions: dict[int, list[str]] = defaultdict(list)
    for payment_id, kind in ChequeAction.objects.filter(payment__run=run).values_list(
        "payment_id", "kind"
    ):
        actions[payment_id].append(kind)
    reissued = dict(
        PaymentReissue.objects.filter(original__run=run).values_list("original_id", "method")
    )
    rows = []
    for p in (
        Payment.objects.filter(run=run, method=PaymentMethod.CHEQUE)
        .order_by("id")
        .values("id", "benefit_unit_id", "benefit_unit__case_number", "payee_name", "amount_cents")
    ):
        kinds = actions.get(p["id"], [])
        rows.append(
            {
                **p,
                "stopped": ChequeActionKind.STOP in kinds,
                "cancelled": ChequeActionKind.CANCEL in kinds,
                "reissued": reissued.get(p["id"]),
            }
        )
    return rows


# --- Reconciliation -------------------------------------------------------------------------

METHODS = (PaymentMethod.EFT, PaymentMethod.CHEQUE)
ROWS = ("issued", "returned", "reissued", "outstanding", "paid")


def reconciliation(run: PaymentRun) -> dict[str, dict[str, tuple[int, int]]]:
    """{row: {method or "total": (count, cents)}} for a released run. Definitions:

    * issued: the run's payments, by their method;
    * returned: those that did not reach the client: deposits the bank returned, cheques
      stopped or cancelled (by the original method);
    * reissued: reissues of those, by the method of the reissue;
    * outstanding: returned and not (yet) reissued (by the original method): owed to clients;
    * paid: issued − returned + reissued (the money that reached clients, as far as known).

    Identity (tested): issued = paid + returned − reissued, i.e. issued = paid + outstanding,
    to the cent; outstanding is counted from the unreissued returns themselves, not by
    subtraction. Five aggregate queries, whatever the run's size."""
    payments = Payment.objects.filter(run=run)
    returned_q = Q(pk__in=PaymentReturn.objects.filter(payment__run=run).values("payment_id")) | Q(
        pk__in=ChequeAction.objects.filter(
            payment__run=run, kind__in=[ChequeActionKind.STOP, ChequeActionKind.CANCEL]
        ).values("payment_id")
    )
    reissues = PaymentReissue.objects.filter(original__run=run)
    report: dict[str, dict[str, tuple[int, int]]] = {row: {} for row in ROWS}

    def fill(row: str, rows: Any) -> None:
        for r in rows.values("method").annotate(n=Count("id"), cents=Sum("amount_cents")):
            report[row][r["method"]] = (r["n"], r["cents"] or 0)

    fill("issued", payments)
    fill("returned", payments.filter(returned_q))
    fill("reissued", reissues)
    fill("outstanding", payments.filter(returned_q).exclude(pk__in=reissues.values("original_id")))
    for row in ("issued", "returned", "reissued", "outstanding"):
        for method in METHODS:
            report[row].setdefault(method, (0, 0))
    for method in METHODS:
        report["paid"][method] = tuple(  # type: ignore[assignment]
            report["issued"][method][i]
            - report["returned"][method][i]
            + report["reissued"][method][i]
            for i in (0, 1)
        )
    for row in ROWS:
        report[row]["total"] = (
            sum(report[row][m][0] for m in METHODS),
            sum(report[row][m][1] for m in METHODS),
        )
    return report


def one_time_reconciliation(batch: OneTimeBatch) -> dict[str, dict[str, tuple[int, int]]]:
    """The same report for a between-run batch of one-time payments (issue 16). Bank returns
    and cheque actions are recorded against monthly payments only, so nothing of a batch is
    counted returned yet: issued = paid, outstanding 0 (stated on the page)."""
    report: dict[str, dict[str, tuple[int, int]]] = {row: {} for row in ROWS}
    for r in batch.payments.values("method").annotate(n=Count("id"), cents=Sum("amount_cents")):
        report["issued"][r["method"]] = (r["n"], r["cents"] or 0)
    for method in METHODS:
        report["issued"].setdefault(method, (0, 0))
        for row in ("returned", "reissued", "outstanding"):
            report[row][method] = (0, 0)
        report["paid"][method] = report["issued"][method]
    for row in ROWS:
        report[row]["total"] = (
            sum(report[row][m][0] for m in METHODS),
            sum(report[row][m][1] for m in METHODS),
        )
    return report


ROW_LABELS = {
    "issued": gettext_lazy("Issued"),
    "returned": gettext_lazy("Returned, stopped or cancelled"),
    "reissued": gettext_lazy("Reissued"),
    "outstanding": gettext_lazy("Outstanding (not reissued)"),
    "paid": gettext_lazy("Paid (issued − returned + reissued)"),
}


def one_time_reconciliation_table(batch: OneTimeBatch) -> list[tuple[Any, list[tuple[int, int]]]]:
    """The batch's report as the pages show it: (row label, [direct deposit, cheque, total])."""
    report = one_time_reconciliation(batch)
    return [(ROW_LABELS[row], [report[row][m] for m in (*METHODS, "total")]) for row in ROWS]


def reconciliation_csv(run: PaymentRun) -> str:
    if run.status != RunStatus.RELEASED:
        raise ApplicationError(_("Only a released run is reconciled."), field="status")
    report = reconciliation(run)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [csv_cell(x) for x in (run.delivery_partner.name, run.benefit_month.strftime("%Y-%m"))]
    )
    header = ["row"]
    for method in (*METHODS, "total"):
        header += [f"{method}_count", f"{method}_amount"]
    writer.writerow(header)
    for row in ROWS:
        cells = [str(ROW_LABELS[row])]
        for method in (*METHODS, "total"):
            count, cents = report[row][method]
            cells += [str(count), format_cents(cents)]
        writer.writerow([csv_cell(c) for c in cells])
    return out.getvalue()


def partner_returns(partner: DeliveryPartner | int, *, limit: int = 200) -> list[PaymentReturn]:
    """The latest returns of a partner (page)."""
    partner_id = partner if isinstance(partner, int) else partner.pk
    return list(
        PaymentReturn.objects.filter(benefit_unit__delivery_partner_id=partner_id)
        .select_related("payment", "benefit_unit", "reissue")
        .order_by("-returned_on", "-id")[:limit]
    )
