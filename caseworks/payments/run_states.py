"""The states of a payment run and the moves between them, in one table.

    draft ──dry run──► dry_run_complete ──approve──► approved ──release──► releasing ──► released
      ▲  └─(dry run again)    │
      └────prepare / redo─────┘        releasing → releasing: a release resumed after a crash

`run_transition_check` is the one place that says whether a run may move, and with which error
it is refused; the services call it under the run's row lock, the pages ask `run_may_move`.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from caseworks.core.errors import ApplicationError, ConflictError

from .constants import RunStatus
from .models import PaymentRun

RUN_TRANSITIONS: dict[str, frozenset[str]] = {
    RunStatus.DRAFT: frozenset({RunStatus.DRAFT, RunStatus.DRY_RUN_COMPLETE}),
    RunStatus.DRY_RUN_COMPLETE: frozenset({RunStatus.DRAFT, RunStatus.APPROVED}),
    RunStatus.APPROVED: frozenset({RunStatus.RELEASING}),
    RunStatus.RELEASING: frozenset({RunStatus.RELEASING, RunStatus.RELEASED}),
    RunStatus.RELEASED: frozenset(),
}

_NOT_YET_APPROVED = _("Only a run that is not yet approved can be dry-run.")
_ONLY_APPROVED = _("Only an approved run can be released (status: %(status)s).")

# The refusal for each target state: (error class, message); the field is "status".
_REFUSALS: dict[str, tuple[type[ApplicationError], Promise]] = {
    RunStatus.DRAFT: (ApplicationError, _NOT_YET_APPROVED),
    RunStatus.DRY_RUN_COMPLETE: (ApplicationError, _NOT_YET_APPROVED),
    RunStatus.APPROVED: (
        ConflictError,
        _("Only a completed dry run can be approved (status: %(status)s)."),
    ),
    RunStatus.RELEASING: (ConflictError, _ONLY_APPROVED),
    RunStatus.RELEASED: (ConflictError, _ONLY_APPROVED),
}


def run_may_move(status: str, to_status: str) -> bool:
    return to_status in RUN_TRANSITIONS[status]


def run_transition_refusal(run: PaymentRun, to_status: str) -> ApplicationError | None:
    """The error refusing the move of `run` to `to_status` (None: the table allows it)."""
    if run_may_move(run.status, to_status):
        return None
    error_class, message = _REFUSALS[to_status]
    return error_class(str(message) % {"status": RunStatus(run.status).label}, field="status")


def run_transition_check(run: PaymentRun, to_status: str) -> None:
    """Raise the refusal when the table does not allow `run` to move to `to_status`."""
    refusal = run_transition_refusal(run, to_status)
    if refusal is not None:
        raise refusal
