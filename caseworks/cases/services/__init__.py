"""Writes to cases: one transaction each, with an audit event and row history.

One module per topic; this package re-exports the public services so that
`from caseworks.cases.services import …` keeps working.
"""

from ._common import (
    CASE_NUMBER_PREFIX,
    NOTE_MAX_LENGTH,
    benefit_unit_lock,
    case_number_for,
    case_version_conflict,
)
from .file_reads import case_applicant, case_file_read_record
from .notes import case_note_create
from .status import case_status_change, case_status_transition_error
from .tasks import (
    TASK_TITLE_MAX_LENGTH,
    task_assign,
    task_bulk_assign,
    task_bulk_complete,
    task_complete,
    task_create,
    task_notices_dismiss,
)
from .transfers import case_reassign, case_transfer
from .units import benefit_unit_create, benefit_unit_member_add, benefit_unit_member_end

__all__ = [
    "CASE_NUMBER_PREFIX",
    "NOTE_MAX_LENGTH",
    "TASK_TITLE_MAX_LENGTH",
    "benefit_unit_create",
    "benefit_unit_lock",
    "benefit_unit_member_add",
    "benefit_unit_member_end",
    "case_applicant",
    "case_file_read_record",
    "case_note_create",
    "case_number_for",
    "case_reassign",
    "case_status_change",
    "case_status_transition_error",
    "case_transfer",
    "case_version_conflict",
    "task_assign",
    "task_bulk_assign",
    "task_bulk_complete",
    "task_complete",
    "task_create",
    "task_notices_dismiss",
]
