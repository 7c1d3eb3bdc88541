"""Payment cycle constants, each with the rule it comes from."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    DRY_RUN_COMPLETE = "dry_run_complete", _("Dry run complete")
    APPROVED = "approved", _("Approved")
    RELEASING = "releasing", _("Releasing")
    RELEASED = "released", _("Released")


class PaymentMethod(models.TextChoices):
    EFT = "eft", _("Direct deposit")
    CHEQUE = "cheque", _("Cheque")


class LineKind(models.TextChoices):
    PAY = "pay", _("Payment")
    NO_PAYMENT = "no_payment", _("No payment (not eligible or nothing due)")
    ERROR = "error", _("Cannot calculate (information missing)")


class FactSource(models.TextChoices):
    """Where a dated fact came from."""

    APPLICATION = "application", _("Declared on the application (recorded at the grant)")
    CHANGE = "change", _("Reported or changed after the decision")


class Residence(models.TextChoices):
    """Where the case lives, when it changes the monthly budget (ow-calc `residence`)."""

    COMMUNITY = "community", _("In the community (own home, rented room, no fixed address)")
    CORRECTIONAL_COMMUNITY_RESIDENCE = (
        "correctional_community_residence",
        _("Community residence (probation, parole or temporary absence), provincially funded"),
    )
    EMERGENCY_HOSTEL = "emergency_hostel", _("Municipal emergency hostel or shelter")
    LONG_TERM_CARE = "long_term_care", _("Long-term care home")


class LedgerEntryKind(models.TextChoices):
    OVERPAYMENT = "overpayment", _("Overpayment")
    RECOVERY = "recovery", _("Recovery by deduction")
    REPAYMENT = "repayment", _("Repayment by the client")
    WRITE_OFF = "write_off", _("Write-off")
    UNDERPAYMENT = "underpayment", _("Underpayment owed to the client")
    UNDERPAYMENT_PAID = "underpayment_paid", _("Underpayment paid")
    SET_OFF = "set_off", _("Underpayment set off against the overpayment")
    ONE_TIME_PAYMENT = "one_time_payment", _("One-time payment issued")


class PaymentActionKind(models.TextChoices):
    HOLD = "hold", _("Payment hold")
    HOLD_RELEASED = "hold_released", _("Payment hold lifted")
    SUSPENSION = "suspension", _("Suspension")
    CANCELLATION = "cancellation", _("Cancellation")
    REINSTATEMENT = "reinstatement", _("Reinstatement")


class IncomeKind(models.TextChoices):
    """Income reported each month (ow-calc `unearned_income[].type` plus net earnings)."""

    EARNINGS = "earnings", _("Net earnings from employment")
    EMPLOYMENT_INSURANCE = "employment_insurance", _("Employment Insurance")
    CPP = "cpp", _("Canada Pension Plan")
    SPOUSAL_SUPPORT = "spousal_support", _("Spousal support")
    CHILD_SUPPORT = "child_support", _("Child support")
    CANADA_CHILD_BENEFIT = "canada_child_benefit", _("Canada Child Benefit")
    ONTARIO_CHILD_BENEFIT = "ontario_child_benefit", _("Ontario Child Benefit")
    WORKERS_COMPENSATION = "workers_compensation", _("Workers' compensation (WSIB)")
    OTHER = "other", _("Other income")


# Income received in month M is used to calculate the payment for month M + 1 (MCCSS
# "Earning money" page, archived 2021-09-14: https://bac-lac.wayback.archive-it.org/web/
# 20210914193357/https://www.mcss.gov.on.ca/en/mcss/programs/social/ow/client/earning_Money.aspx;
# /work/shared/reference/ow-rules.md §0 "Reporting lag").
INCOME_REPORTING_LAG_MONTHS = 1
REPORTING_LAG_CITATION = (
    'MCCSS "Earning money" (2021): income received in one month is used for the next '
    "month's payment"
)

# Overpayment recovery rates in basis points (1/100 of a percent): 10 % by default, 5 % usual in
# First Nations communities, another rate only with the recipient's written consent
# (Steps to Justice "What OW can do if you have an overpayment"; O. Reg. 134/98 s. 62;
# OW Directive 9.3; ow-rules.md §5 — secondary sources, the directive's body text not retrieved).
DEFAULT_RECOVERY_RATE_BP = 1000
FIRST_NATION_RECOVERY_RATE_BP = 500
MAX_RECOVERY_RATE_BP = 10000
RECOVERY_CITATION = "O. Reg. 134/98, s. 62; OW Policy Directive 9.3 (overpayment recovery)"

# A payment that moves by more than this share from last month is listed for the approver.
UNUSUAL_CHANGE_PERCENT = 25
# Cases calculated per rules call (one vectorised OpenFisca simulation) and per insert batch.
DRY_RUN_CHUNK = 20_000
RELEASE_CHUNK = 10_000

# Payments Canada Standard 007 transaction code 603 "Income Security Benefits" (category
# 600–620, Provincial and Local Government Transactions), used for social assistance credits.
CPA_TRANSACTION_CODE = "603"


class ReturnsFileFormat(models.TextChoices):
    """A bank's returned-items file (issue 12): Standard 005 returned credits, or a CSV report."""

    CPA005 = "cpa005", _("CPA-005 returned items file")
    CSV = "csv", _("Returns report (CSV)")


class PaymentFileKind(models.TextChoices):
    RUN = "run", _("A run's payments")
    REISSUES = "reissues", _("Reissued payments")
    ONE_TIME = "one_time", _("One-time payments (between runs)")


class ReissueMethod(models.TextChoices):
    CHEQUE = "cheque", _("Cheque")
    EFT = "eft", _("Direct deposit to the corrected account")


class ChequeActionKind(models.TextChoices):
    """Cheque register actions (issue 12). Stop: the bank is told not to honour the cheque (lost
    or stolen). Cancel: the cheque is voided (back in the office uncashed). Either may then be
    reissued, once."""

    STOP = "stop", _("Stop payment")
    CANCEL = "cancel", _("Cancel (void)")
    REISSUE = "reissue", _("Reissue")


RETURNED_PAYMENT_TASK_KIND = "payment_returned"
# Returned items written per transaction (the import resumes after the last committed batch).
RETURNS_BATCH = 2_000


class OneTimeBenefitKind(models.TextChoices):
    """Benefits paid once, between monthly runs (issue 16). Mandatory benefits (O. Reg. 134/98
    s. 55(1)) have a provincial maximum in the rules package; discretionary benefits (s. 59)
    have the amount each delivery partner sets."""

    ADULT_DENTAL = "adult_dental", _("Adult dental care (discretionary)")
    CHILD_CARE_ADVANCE = "child_care_advance", _("Advance child care costs")
    EMPLOYMENT_EXPENSES = "employment_expenses", _("Employment-related expenses")
    EYEGLASSES = "eyeglasses", _("Eyeglasses (discretionary)")
    FULL_TIME_EMPLOYMENT = "full_time_employment", _("Full-Time Employment Benefit")
    FUNERAL_BURIAL = "funeral_burial", _("Funeral and burial (discretionary)")
    # Only through a health authorization (services/authorizations.py), never asked for alone.
    HEALTH_AUTHORIZATION = "health_authorization", _("Health benefit paid to a vendor")
    MOVING = "moving", _("Moving costs (discretionary)")
    NEWBORN_ITEMS = "newborn_items", _("Items for a newborn (discretionary)")


# s. 59 benefits: not appealable to the Social Benefits Tribunal (Act s. 26(2) para 2).
DISCRETIONARY_KINDS = frozenset(
    {
        OneTimeBenefitKind.ADULT_DENTAL,
        OneTimeBenefitKind.EYEGLASSES,
        OneTimeBenefitKind.FUNERAL_BURIAL,
        OneTimeBenefitKind.MOVING,
        OneTimeBenefitKind.NEWBORN_ITEMS,
    }
)


class OneTimeStatus(models.TextChoices):
    APPROVED = "approved", _("Approved, waiting for the next between-run batch")
    ISSUED = "issued", _("Issued")
    REFUSED = "refused", _("Refused")
    REQUESTED = "requested", _("Waiting for approval")


class OneTimePayee(models.TextChoices):
    CLIENT = "client", _("The client")
    VENDOR = "vendor", _("A vendor")


class HealthAuthorizationKind(models.TextChoices):
    """Health benefits an office authorizes a vendor to provide (issue 16; ow-benefits.md §2a,
    §2c, §8d). Mandatory benefits: O. Reg. 134/98 s. 55(1) paras 1 and 1.1; discretionary
    benefits (adult dental, funeral and burial): s. 59(2), amount set by the delivery partner."""

    CHILD_VISION = "child_vision", _("Vision items and services for a child under 18")
    ADULT_EYE_EXAM = "adult_eye_exam", _("Routine eye examination (adults 20 to 64)")
    DIABETIC_SURGICAL = "diabetic_surgical", _("Diabetic supplies, surgical supplies, dressings")
    MEDICAL_TRANSPORTATION = "medical_transportation", _("Medical transportation")
    ADP_SHARE = "adp_share", _("Assistive Devices Program: the client's 25 % share")
    ADULT_DENTAL = "adult_dental", _("Adult dental care (discretionary)")
    FUNERAL_BURIAL = "funeral_burial", _("Funeral and burial (discretionary)")


# Discretionary authorizations (s. 59): the partner's yearly amount applies, no appeal to the
# Social Benefits Tribunal (Act s. 26(2) para 2). Each is paid as the one-time benefit of the
# same name, so the partner's yearly limit counts both paths.
DISCRETIONARY_AUTHORIZATION_KINDS = frozenset(
    {HealthAuthorizationKind.ADULT_DENTAL, HealthAuthorizationKind.FUNERAL_BURIAL}
)


class HealthAuthorizationStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for approval")
    APPROVED = "approved", _("Approved: the vendor may provide it")
    REFUSED = "refused", _("Refused")
    INVOICED = "invoiced", _("Invoice recorded, payment waiting for the next between-run batch")
    PAID = "paid", _("Vendor paid")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired (the period ended)")


# A mandatory health benefit paid to a vendor against an authorization: the one-time payment's
# kind. Only the authorization service creates it (a plain one-time request is refused).
HEALTH_AUTHORIZATION_PAYMENT_KIND = OneTimeBenefitKind.HEALTH_AUTHORIZATION
