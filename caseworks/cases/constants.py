from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    PENDING = "pending", _("Application in progress")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")
    DENIED = "denied", _("Denied")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The only status changes a case may make. Anything else is refused with a clear message.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.PENDING: frozenset({CaseStatus.ACTIVE, CaseStatus.DENIED, CaseStatus.WITHDRAWN}),
    CaseStatus.ACTIVE: frozenset({CaseStatus.SUSPENDED, CaseStatus.CLOSED}),
    CaseStatus.SUSPENDED: frozenset({CaseStatus.ACTIVE, CaseStatus.CLOSED}),
    # Rapid reinstatement: a case closed for up to 6 months may be reinstated without a new
    # application (MCSS "Improving Ontario Works 2017", in force 1 July 2017).
    CaseStatus.CLOSED: frozenset({CaseStatus.ACTIVE}),
    CaseStatus.DENIED: frozenset(),
    CaseStatus.WITHDRAWN: frozenset(),
}
REINSTATEMENT_WINDOW_MONTHS = 6
# The changes a caseworker makes by hand (the case's status form and the API's status
# operation), always with a reason. Every other allowed change belongs to the service that
# justifies it, named in TRANSITION_SERVICES: `case_status_change(manual=True)` refuses it.
MANUAL_TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.PENDING: frozenset({CaseStatus.WITHDRAWN}),
    CaseStatus.ACTIVE: frozenset({CaseStatus.CLOSED}),
    CaseStatus.SUSPENDED: frozenset({CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset(),
    CaseStatus.DENIED: frozenset(),
    CaseStatus.WITHDRAWN: frozenset(),
}
_GRANT = _("the eligibility decision (grant), made on the application's determination")
_REINSTATE = _(
    "a payment action (reinstate assistance) on the case's payments page, which sends the notice"
)
TRANSITION_SERVICES: dict[tuple[str, str], Promise] = {
    (CaseStatus.PENDING, CaseStatus.ACTIVE): _GRANT,
    (CaseStatus.PENDING, CaseStatus.DENIED): _(
        "the eligibility decision (deny), made on the application's determination"
    ),
    (CaseStatus.ACTIVE, CaseStatus.SUSPENDED): _(
        "a payment action (suspend assistance) on the case's payments page, which sends the "
        "notice with the right to an internal review"
    ),
    (CaseStatus.SUSPENDED, CaseStatus.ACTIVE): _REINSTATE,
    (CaseStatus.CLOSED, CaseStatus.ACTIVE): _REINSTATE,
}
# Status changes that must give a reason (a notice of decision states the reasons).
REASON_REQUIRED = frozenset(
    {CaseStatus.SUSPENDED, CaseStatus.CLOSED, CaseStatus.DENIED, CaseStatus.WITHDRAWN}
)
OPEN_STATUSES = frozenset({CaseStatus.PENDING, CaseStatus.ACTIVE, CaseStatus.SUSPENDED})


class MemberRole(models.TextChoices):
    """Roles in a benefit unit (O. Reg. 134/98 s. 1(1), s. 2)."""

    APPLICANT = "applicant", _("Applicant")
    SPOUSE = "spouse", _("Spouse")
    DEPENDANT_ADULT = "dependant_adult", _("Dependent adult")
    DEPENDANT_CHILD = "dependant_child", _("Dependent child")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class TransferKind(models.TextChoices):
    MINISTRY_HANDOFF = "ministry_handoff", _("Hand-off from Ministry intake to local partner")
    CLIENT_MOVED = "client_moved", _("Client moved to another area")
    OFFICE_CHANGE = "office_change", _("Moved to another office of the same partner")
