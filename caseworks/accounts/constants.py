"""Staff roles and what each may do (least privilege)."""

from __future__ import annotations

import enum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    INTAKE_CLERK = "intake_clerk", _("Intake clerk")
    CASEWORKER = "caseworker", _("Caseworker")
    EMPLOYMENT_CASEWORKER = "employment_caseworker", _("Employment caseworker")
    SUPERVISOR = "supervisor", _("Supervisor")
    PARTNER_ADMIN = "partner_admin", _("Partner administrator")
    MINISTRY_ANALYST = "ministry_analyst", _("Ministry analyst")
    AUDITOR = "auditor", _("Auditor (read-only)")
    # Staff of an outside employment-services provider (issue 6): sees only the referrals sent
    # to its organisation, through the provider API; no client or case capability.
    PROVIDER = "provider", _("Employment services provider")


class Capability(enum.StrEnum):
    CLIENT_VIEW = "client_view"
    CLIENT_CREATE = "client_create"
    CLIENT_EDIT = "client_edit"
    CASE_VIEW = "case_view"
    CASE_CREATE = "case_create"
    CASE_EDIT = "case_edit"
    CASE_STATUS_CHANGE = "case_status_change"
    CASE_NOTE_CREATE = "case_note_create"
    TASK_MANAGE = "task_manage"
    CASE_REASSIGN = "case_reassign"
    CASE_TRANSFER = "case_transfer"
    ACCESS_LOG_VIEW = "access_log_view"
    STAFF_MANAGE = "staff_manage"
    REPORTS_VIEW = "reports_view"
    PLAN_MANAGE = "plan_manage"
    REFERRAL_MANAGE = "referral_manage"
    EMPLOYMENT_OUTCOME_RECORD = "employment_outcome_record"
    CASELOAD_SUPERVISE = "caseload_supervise"
    PROVIDER_DIRECTORY_MANAGE = "provider_directory_manage"
    PROVIDER_REFERRAL_RESPOND = "provider_referral_respond"
    # Intake to decision
    INQUIRY_RECORD = "inquiry_record"
    APPOINTMENT_BOOK = "appointment_book"
    DOCUMENT_UPLOAD = "document_upload"
    DOCUMENT_VIEW = "document_view"
    APPLICATION_EDIT = "application_edit"
    DETERMINATION_RUN = "determination_run"
    DECISION_MAKE = "decision_make"
    DECISION_APPROVE_OVERRIDE = "decision_approve_override"
    # Monthly cycle (issue 5)
    INCOME_REPORT_RECORD = "income_report_record"
    PAYMENT_VIEW = "payment_view"
    PAYMENT_MANAGE = "payment_manage"
    PAYMENT_RUN_PREPARE = "payment_run_prepare"
    PAYMENT_RUN_APPROVE = "payment_run_approve"
    OVERPAYMENT_MANAGE = "overpayment_manage"
    OVERPAYMENT_WRITE_OFF = "overpayment_write_off"
    REVIEW_MANAGE = "review_manage"
    # Provincial oversight (issue 7)
    SURVEY_MANAGE = "survey_manage"
    SURVEY_RESPOND = "survey_respond"
    POLICY_SIMULATE = "policy_simulate"
    # Records retention (issue 11)
    LEGAL_HOLD_MANAGE = "legal_hold_manage"


_READ = {Capability.CLIENT_VIEW, Capability.CASE_VIEW, Capability.DOCUMENT_VIEW}
_INTAKE = {Capability.INQUIRY_RECORD, Capability.APPOINTMENT_BOOK, Capability.DOCUMENT_UPLOAD}
# Participation agreements, referrals and employment outcomes (issue 6).
_EMPLOYMENT = {
    Capability.PLAN_MANAGE,
    Capability.REFERRAL_MANAGE,
    Capability.EMPLOYMENT_OUTCOME_RECORD,
}
_CASEWORK = (
    _READ
    | _INTAKE
    | {
        Capability.APPLICATION_EDIT,
        Capability.DETERMINATION_RUN,
        Capability.DECISION_MAKE,
        Capability.CLIENT_CREATE,
        Capability.CLIENT_EDIT,
        Capability.CASE_CREATE,
        Capability.CASE_EDIT,
        Capability.CASE_STATUS_CHANGE,
        Capability.CASE_NOTE_CREATE,
        Capability.TASK_MANAGE,
        # Monthly cycle (issue 5): income, bank details, holds, overpayments, reviews, dry runs.
        Capability.INCOME_REPORT_RECORD,
        Capability.PAYMENT_VIEW,
        Capability.PAYMENT_MANAGE,
        Capability.PAYMENT_RUN_PREPARE,
        Capability.OVERPAYMENT_MANAGE,
        Capability.REVIEW_MANAGE,
    }
)

ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    # Intake clerks screen callers and register people; they do not decide eligibility.
    Role.INTAKE_CLERK: frozenset(
        _READ
        | _INTAKE
        | {Capability.CLIENT_CREATE, Capability.CASE_CREATE, Capability.CASE_NOTE_CREATE}
    ),
    Role.CASEWORKER: frozenset(_CASEWORK | _EMPLOYMENT),
    # Employment caseworkers plan and record employment activity, not financial status.
    Role.EMPLOYMENT_CASEWORKER: frozenset(
        _READ | _EMPLOYMENT | {Capability.CASE_NOTE_CREATE, Capability.TASK_MANAGE}
    ),
    Role.SUPERVISOR: frozenset(
        _CASEWORK
        | _EMPLOYMENT
        | {
            Capability.CASE_REASSIGN,
            Capability.CASE_TRANSFER,
            Capability.REPORTS_VIEW,
            Capability.DECISION_APPROVE_OVERRIDE,
            # Approve and release a payment run someone else prepared; write off overpayments.
            Capability.PAYMENT_RUN_APPROVE,
            Capability.OVERPAYMENT_WRITE_OFF,
            Capability.CASELOAD_SUPERVISE,
            Capability.PROVIDER_DIRECTORY_MANAGE,
            Capability.LEGAL_HOLD_MANAGE,
        }
    ),
    # Partner administrators run the office: staff and offices, and aggregate reports; no files.
    Role.PARTNER_ADMIN: frozenset(
        {
            Capability.STAFF_MANAGE,
            Capability.REPORTS_VIEW,
            Capability.PROVIDER_DIRECTORY_MANAGE,
            Capability.SURVEY_RESPOND,
            Capability.LEGAL_HOLD_MANAGE,
        }
    ),
    # Ministry analysts see aggregates across partners, never a client file.
    Role.MINISTRY_ANALYST: frozenset(
        {Capability.REPORTS_VIEW, Capability.SURVEY_MANAGE, Capability.POLICY_SIMULATE}
    ),
    # Auditors read files and the access log; they change nothing.
    Role.AUDITOR: frozenset(_READ | {Capability.ACCESS_LOG_VIEW, Capability.PAYMENT_VIEW}),
    # Outside providers answer the referrals sent to them; nothing about clients or cases.
    Role.PROVIDER: frozenset({Capability.PROVIDER_REFERRAL_RESPOND}),
}

# Roles that may exist without a delivery partner (provincial staff). A tuple, not a set: the
# order is written into the users' check constraint, and a set's order follows the hash seed,
# so `makemigrations --check` saw a new constraint on about half of the runs.
PROVINCIAL_ROLES: tuple[Role, ...] = (Role.MINISTRY_ANALYST, Role.AUDITOR)

# A token is a password that scripts keep: it expires within 90 days of its creation (issue 13),
# 90 by default; tokens made before the rule without an expiry stop 90 days after creation.
API_TOKEN_MAX_DAYS = 90

# Roles that move money, approve overrides or manage staff: giving one (by invitation or by a
# role change) needs a second approver, never the person who asked (issue 13).
SECOND_APPROVER_CAPABILITIES = frozenset(
    {
        Capability.PAYMENT_MANAGE,
        Capability.PAYMENT_RUN_PREPARE,
        Capability.PAYMENT_RUN_APPROVE,
        Capability.OVERPAYMENT_WRITE_OFF,
        Capability.DECISION_APPROVE_OVERRIDE,
        Capability.STAFF_MANAGE,
    }
)
ROLES_NEEDING_SECOND_APPROVER: tuple[str, ...] = tuple(
    role for role, caps in ROLE_CAPABILITIES.items() if caps & SECOND_APPROVER_CAPABILITIES
)

# An invitation link works once, for this many days after it is sent.
INVITATION_VALID_DAYS = 7
