"""Referrals, employment services and outcomes."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

# A job of 30 hours a week or more counts as full time. This is the threshold the Ontario Works
# Full-Time Employment Benefit uses ("starting ≥30 h/week work", OW Policy Directive 7.4,
# https://www.ontario.ca/document/ontario-works-policy-directives/74-employment-and-participation-benefits);
# Caseworks uses it for reporting only.
FULL_TIME_HOURS_PER_WEEK = Decimal(30)
# Follow-ups after a client starts a job: 1, 3, 6 and 12 months.
FOLLOW_UP_MONTHS = (1, 3, 6, 12)
DEFAULT_RESPONSE_DAYS = 10
REFERRAL_RESPONSE_TASK_KIND = "referral_no_response"
FOLLOW_UP_TASK_KIND = "employment_follow_up"
# A job started on an active case changes the case's income: the caseworker gets a task to take
# the earnings in the monthly income report (income received in one month is counted in the next
# month's payment: MCCSS "Earning money"; recipients report earnings every month, even zero:
# https://www.ontario.ca/page/working-and-earning-while-ontario-works) and a task to review
# eligibility (ineligible when income exceeds budgetary requirements, the Act s. 7(3)(b) as quoted
# in OW Policy Directive 6.1; /work/shared/reference/ow-rules.md §0).
JOB_INCOME_REPORT_TASK_KIND = "job_income_report"
JOB_ELIGIBILITY_REVIEW_TASK_KIND = "job_eligibility_review"
JOB_ELIGIBILITY_REVIEW_DAYS = 10


class ProviderKind(models.TextChoices):
    COMMUNITY_AGENCY = "community_agency", _("Community agency")
    EMPLOYMENT_ONTARIO = "employment_ontario", _("Employment Ontario service provider")
    IES_SERVICE_SYSTEM_MANAGER = (
        "ies_ssm",
        _("Integrated Employment Services – Service System Manager"),
    )


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    STARTED = "started", _("Started")
    COMPLETED = "completed", _("Completed")
    NO_SHOW = "no_show", _("Did not attend")


# The only status changes a referral may make.
REFERRAL_TRANSITIONS: dict[str, frozenset[str]] = {
    ReferralStatus.SENT: frozenset({ReferralStatus.ACCEPTED, ReferralStatus.DECLINED}),
    ReferralStatus.ACCEPTED: frozenset({ReferralStatus.STARTED, ReferralStatus.NO_SHOW}),
    ReferralStatus.STARTED: frozenset({ReferralStatus.COMPLETED, ReferralStatus.NO_SHOW}),
    # A client who missed the start may still begin later.
    ReferralStatus.NO_SHOW: frozenset({ReferralStatus.STARTED}),
    ReferralStatus.DECLINED: frozenset(),
    ReferralStatus.COMPLETED: frozenset(),
}
# A referral is ACTIVE for its provider while its status still has a next step: sent (awaiting
# the provider's answer), accepted, started, or no-show (the client may still begin). Declined and
# completed are final: the provider's part is over. (The provider API also requires the case to
# be open; see referral_list_for_provider.)
REFERRAL_ACTIVE_STATUSES = frozenset(
    status for status, next_steps in REFERRAL_TRANSITIONS.items() if next_steps
)
# Statuses the receiving provider may set through its API.
PROVIDER_SETTABLE = frozenset(
    {
        ReferralStatus.ACCEPTED,
        ReferralStatus.DECLINED,
        ReferralStatus.STARTED,
        ReferralStatus.COMPLETED,
        ReferralStatus.NO_SHOW,
    }
)


class SharedInformation(models.TextChoices):
    """What the client agreed to share with the provider (recorded with the consent)."""

    CONTACT = "contact", _("Name and contact details")
    LANGUAGE = "language", _("Language of service")
    EMPLOYMENT_HISTORY = "employment_history", _("Employment history")
    EDUCATION = "education", _("Education and training")
    PLAN_GOALS = "plan_goals", _("Participation agreement goals")
    BARRIERS = "barriers", _("Barriers to employment the client chose to share")


class ActivityKind(models.TextChoices):
    JOB_SEARCH = "job_search", _("Job search")
    TRAINING = "training", _("Training enrolment")
    PLACEMENT = "placement", _("Job placement")
    RETENTION = "retention", _("Job retention support")


class ActivityState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    ENDED_EARLY = "ended_early", _("Ended early")


class ProgramKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    PRE_EMPLOYMENT = "pre_employment", _("Pre-employment program")


class AttendanceStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    ATTENDED = "attended", _("Attended")
    ABSENT = "absent", _("Absent")
    CANCELLED = "cancelled", _("Cancelled")


class Permanence(models.TextChoices):
    PERMANENT = "permanent", _("Permanent")
    TEMPORARY = "temporary", _("Temporary")
    SEASONAL = "seasonal", _("Seasonal")


class ExitReason(models.TextChoices):
    EMPLOYMENT = "employment", _("Employment")
    OTHER_INCOME = "other_income", _("Other income (e.g. EI, CPP, ODSP)")
    MOVED = "moved", _("Moved out of the area or the province")
    SPOUSE_INCOME = "spouse_income", _("Income of a spouse")
    EDUCATION = "education", _("Full-time post-secondary study (OSAP)")
    NO_LONGER_ELIGIBLE = "no_longer_eligible", _("No longer eligible for another reason")
    CLIENT_REQUEST = "client_request", _("Client asked to close")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    WEB = "web", _("Caseworks (staff)")
    API = "api", _("Provider API")
    SYSTEM = "system", _("Scheduled job")
