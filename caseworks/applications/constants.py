from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    GRANTED = "granted", _("Granted")
    DENIED = "denied", _("Denied")
    WITHDRAWN = "withdrawn", _("Withdrawn")


APPLICATION_EDITABLE = frozenset({ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED})


class UnitRole(models.TextChoices):
    """Roles the rules engine knows (ow-calc contract)."""

    APPLICANT = "applicant", _("Applicant")
    SPOUSE = "spouse", _("Spouse")
    DEPENDANT = "dependant", _("Dependant")


class IncomeType(models.TextChoices):
    EARNINGS = "earnings", _("Net earnings from employment")
    EMPLOYMENT_INSURANCE = "employment_insurance", _("Employment Insurance")
    CPP = "cpp", _("Canada Pension Plan")
    SPOUSAL_SUPPORT = "spousal_support", _("Spousal support")
    CHILD_SUPPORT = "child_support", _("Child support")
    CANADA_CHILD_BENEFIT = "canada_child_benefit", _("Canada Child Benefit")
    ONTARIO_CHILD_BENEFIT = "ontario_child_benefit", _("Ontario Child Benefit")
    WORKERS_COMPENSATION = "workers_compensation", _("Workers' compensation (WSIB)")
    OTHER = "other", _("Other income")


class AssetType(models.TextChoices):
    CASH = "cash", _("Cash")
    BANK_ACCOUNT = "bank_account", _("Bank account")
    RRSP = "rrsp", _("RRSP")
    TFSA = "tfsa", _("TFSA")
    RESP = "resp", _("RESP")
    RDSP = "rdsp", _("RDSP")
    PRINCIPAL_RESIDENCE = "principal_residence", _("Home you live in")
    VEHICLE = "vehicle", _("Vehicle")
    SECOND_VEHICLE = "second_vehicle", _("Second vehicle")
    OTHER = "other", _("Other asset")


class ShelterType(models.TextChoices):
    RENT = "rent", _("Rent")
    OWN = "own", _("Own home")
    BOARD_AND_LODGING = "board_and_lodging", _("Board and lodging")
    NO_FIXED_ADDRESS = "no_fixed_address", _("No fixed address")


class VerificationKind(models.TextChoices):
    IDENTITY = "identity", _("Proof of identity")
    SIN = "sin", _("Social Insurance Number")
    INCOME = "income", _("Income")
    ASSETS = "assets", _("Assets")
    SHELTER_COST = "shelter_cost", _("Shelter cost")
    STATUS_IN_CANADA = "status_in_canada", _("Status in Canada")


class VerificationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    VERIFIED = "verified", _("Verified")
    WAIVED = "waived", _("Waived")


class PrescreenResult(models.TextChoices):
    LIKELY_ELIGIBLE = "likely_eligible", _("Likely eligible")
    LIKELY_INELIGIBLE = "likely_ineligible", _("Likely not eligible")


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("Did not attend")


class InquiryStatus(models.TextChoices):
    """Where an inquiry is in the intake queue."""

    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned")
    CLOSED = "closed", _("Closed")


class InquiryChannel(models.TextChoices):
    """How the inquiry reached the intake queue."""

    ONLINE = "online", _("Online application")
    PHONE = "phone", _("Phone or in person")


class UrgentNeed(models.TextChoices):
    """What an online applicant may tell us is urgent: any of these flags the queue item."""

    EVICTION = "eviction", _("I am being evicted or my utilities are being cut off")
    HOMELESS = "homeless", _("I have no place to stay tonight")
    NO_FOOD = "no_food", _("I have no food")
    SAFETY = "safety", _("I am leaving an abusive situation")


class InquiryCloseReason(models.TextChoices):
    """Why an inquiry left the queue (the intake clerk chooses one)."""

    APPLICATION_STARTED = "application_started", _("Application started")
    DUPLICATE = "duplicate", _("Duplicate of another inquiry")
    NO_CONTACT = "no_contact", _("Caller could not be reached")
    NOT_INTERESTED = "not_interested", _("Caller decided not to apply")
    REFERRED_ELSEWHERE = "referred_elsewhere", _("Referred to another program")


# An appointment's outcome, once its time has come (recorded by the caseworker).
APPOINTMENT_OUTCOMES = (AppointmentStatus.ATTENDED, AppointmentStatus.NO_SHOW)
# A reminder goes to the client this many hours before the appointment (by e-mail, when known).
APPOINTMENT_REMINDER_HOURS = 24

# The online application (issue 17): how many an address may submit in an hour (abuse guard),
# and the intake unit's service standard for contacting an online applicant (business days).
ONLINE_APPLICATIONS_PER_ADDRESS_PER_HOUR = 5
ONLINE_CONTACT_BUSINESS_DAYS = 2
ONLINE_URGENT_CONTACT_BUSINESS_DAYS = 1
