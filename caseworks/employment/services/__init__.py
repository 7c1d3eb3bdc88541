"""Writes for providers, referrals, employment services, outcomes, follow-ups and exits.

One module per sub-domain; this package re-exports the public services so that
`from caseworks.employment.services import …` keeps working.
"""

from ._common import MAX_HOURS_PER_WEEK, MAX_RESPONSE_DAYS, RaiseResult
from .exits import assistance_exit_record
from .outcomes import (
    follow_up_due_on,
    follow_up_provider_report,
    follow_up_record,
    follow_up_tasks_raise,
    outcome_provider_report,
    outcome_record,
)
from .programs import (
    employment_activity_record,
    employment_program_create,
    program_session_create,
    session_attendance_record,
    session_attendances_withdraw_with_case,
)
from .providers import (
    IES_CSV,
    IES_SOURCE,
    ies_providers_load,
    provider_account_create,
    provider_for_user,
    service_provider_create,
)
from .referrals import (
    referral_overdue_tasks_raise,
    referral_provider_respond,
    referral_send,
    referral_shared_snapshot,
    referral_status_change,
    referral_transition_error,
)

__all__ = [
    "IES_CSV",
    "IES_SOURCE",
    "MAX_HOURS_PER_WEEK",
    "MAX_RESPONSE_DAYS",
    "RaiseResult",
    "assistance_exit_record",
    "employment_activity_record",
    "employment_program_create",
    "follow_up_due_on",
    "follow_up_provider_report",
    "follow_up_record",
    "follow_up_tasks_raise",
    "ies_providers_load",
    "outcome_provider_report",
    "outcome_record",
    "program_session_create",
    "provider_account_create",
    "provider_for_user",
    "referral_overdue_tasks_raise",
    "referral_provider_respond",
    "referral_send",
    "referral_shared_snapshot",
    "referral_status_change",
    "referral_transition_error",
    "service_provider_create",
    "session_attendance_record",
    "session_attendances_withdraw_with_case",
]
