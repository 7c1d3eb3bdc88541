"""Intake and application writes: one transaction each, audited, with row history.

One module per sub-domain (intake, appointments, the application, verification, transfers);
this package re-exports the public services so that
`from caseworks.applications.services import …` keeps working.
"""

from ._common import (
    APPOINTMENT_MINUTES,
    MAX_ASSET_CENTS,
    MAX_MONTHLY_CENTS,
    PER_PERSON_CHECKS,
    PER_UNIT_CHECKS,
)
from .application import (
    ApplicationFacts,
    AssetFacts,
    IncomeFacts,
    MemberFacts,
    application_for_case,
    application_member_add,
    application_start,
    application_start_for_case,
    application_submit,
    application_update,
)
from .appointments import (
    appointment_book,
    appointment_cancel,
    appointment_outcome_record,
    appointment_reminders_due,
    appointment_reminders_send,
    appointment_reschedule,
)
from .intake import (
    inquiry_assign,
    inquiry_close,
    inquiry_name_parts,
    inquiry_person_link,
    inquiry_person_register,
    inquiry_record,
    prescreen_unit,
)
from .online import (
    ChildAnswers,
    OnlineAnswers,
    online_answers_registration,
    online_application_submit,
)
from .transfers import applications_move_with_case
from .verification import (
    UploadFacts,
    VerificationEntry,
    application_member_create,
    verification_checklist_save,
    verification_update,
)

__all__ = [
    "APPOINTMENT_MINUTES",
    "MAX_ASSET_CENTS",
    "MAX_MONTHLY_CENTS",
    "PER_PERSON_CHECKS",
    "PER_UNIT_CHECKS",
    "ApplicationFacts",
    "AssetFacts",
    "ChildAnswers",
    "IncomeFacts",
    "MemberFacts",
    "OnlineAnswers",
    "UploadFacts",
    "VerificationEntry",
    "application_for_case",
    "application_member_add",
    "application_member_create",
    "application_start",
    "application_start_for_case",
    "application_submit",
    "application_update",
    "applications_move_with_case",
    "appointment_book",
    "appointment_cancel",
    "appointment_outcome_record",
    "appointment_reminders_due",
    "appointment_reminders_send",
    "appointment_reschedule",
    "inquiry_assign",
    "inquiry_close",
    "inquiry_name_parts",
    "inquiry_person_link",
    "inquiry_person_register",
    "inquiry_record",
    "online_answers_registration",
    "online_application_submit",
    "prescreen_unit",
    "verification_checklist_save",
    "verification_update",
]
