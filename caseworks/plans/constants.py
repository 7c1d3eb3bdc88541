"""Participation agreements (Ontario Works Act, 1997 s. 7(4); OW Policy Directive 2.5).

Source: Ontario Works Policy Directive 2.5 "Participation Requirements" (September 2023),
https://www.ontario.ca/document/ontario-works-policy-directives/25-participation-requirements
(instrument: directive). The participation agreement is reviewed 30 days after it is first
signed and every 3 months after that, or earlier if circumstances change.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# Directive 2.5 (Sep 2023): first review 30 days after the agreement starts ...
FIRST_REVIEW_DAYS = 30
# ... and every 3 months thereafter.
REVIEW_INTERVAL_MONTHS = 3
DIRECTIVE_CITATION = "OW Policy Directive 2.5, Participation Requirements (Sep 2023)"
DIRECTIVE_URL = (
    "https://www.ontario.ca/document/ontario-works-policy-directives/25-participation-requirements"
)
PLAN_REVIEW_TASK_KIND = "plan_review"


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft (not signed yet)")
    ACTIVE = "active", _("Signed and in effect")
    ENDED = "ended", _("Ended")


class SignatureMethod(models.TextChoices):
    """How the participant signed: on the printed agreement, or on the worker's screen."""

    PAPER = "paper", _("On paper")
    SCREEN = "screen", _("On screen")


class GoalCategory(models.TextChoices):
    """Employment, training and life-stabilization goals (Directive 2.5; Directive 8.1)."""

    EMPLOYMENT = "employment", _("Employment")
    TRAINING = "training", _("Education or training")
    HOUSING = "housing", _("Life stabilization: housing")
    HEALTH = "health", _("Life stabilization: health")
    CHILD_CARE = "child_care", _("Life stabilization: child care")
    ADDICTIONS = "addictions", _("Life stabilization: addictions")
    IDENTIFICATION = "identification", _("Life stabilization: identification documents")


class GoalStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    ACHIEVED = "achieved", _("Achieved")
    WITHDRAWN = "withdrawn", _("No longer pursued")


class ResponsibleParty(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    CASEWORKER = "caseworker", _("Caseworker")
    PROVIDER = "provider", _("Service provider")
    OTHER = "other", _("Other")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    NOT_COMPLETED = "not_completed", _("Not completed")


class DeferralReason(models.TextChoices):
    """Temporary deferral of participation requirements (Directive 2.5, Sep 2023)."""

    SOLE_SUPPORT_PARENT = (
        "sole_support_parent",
        _("Sole support parent with a child not yet in publicly funded school"),
    )
    CAREGIVER = "caregiver", _("Caregiver for a family member")
    AGE_65_PLUS = "age_65_plus", _("Aged 65 or older")
    OTHER_EXCEPTIONAL = "other_exceptional", _("Other exceptional circumstances")
