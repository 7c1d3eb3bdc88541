"""The between-run batch marks health authorizations paid (issue 16): called by
`onetime.one_time_batch_issue` inside its transaction, for the payments it issued. An
authorization whose invoices are all issued is `paid` (more may still be invoiced within the
limit and the period). Kept apart from `authorizations` so that `onetime` can call it without an
import cycle."""

from __future__ import annotations

from simple_history.utils import bulk_update_with_history

from caseworks.accounts.models import User

from ..constants import HealthAuthorizationStatus, OneTimeStatus
from ..models import HealthAuthorization, OneTimePayment


def health_authorizations_paid(*, acting_user: User, payments: list[OneTimePayment]) -> int:
    """Mark paid the invoiced authorizations of `payments` with no invoice left to issue;
    returns how many. Row history records the change (the batch's audit event lists the
    payments)."""
    ids = [p.pk for p in payments]
    candidates = (
        HealthAuthorization.objects.filter(
            invoices__one_time_payment_id__in=ids, status=HealthAuthorizationStatus.INVOICED
        )
        .exclude(invoices__one_time_payment__status=OneTimeStatus.APPROVED)
        .values("pk")
    )
    found = list(HealthAuthorization.objects.select_for_update().filter(pk__in=candidates))
    for authorization in found:
        authorization.status = HealthAuthorizationStatus.PAID
    if found:
        bulk_update_with_history(found, HealthAuthorization, ["status"], default_user=acting_user)
    return len(found)
