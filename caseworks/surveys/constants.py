from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    SINGLE_CHOICE = "single_choice", _("One choice from a list")
    MULTIPLE_CHOICE = "multiple_choice", _("Several choices from a list")
    YES_NO = "yes_no", _("Yes or no")
    CURRENCY = "currency", _("Amount in dollars")


CHOICE_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE})


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    CLOSED = "closed", _("Closed")


class ResponseStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    DRAFT = "draft", _("Draft saved")
    SUBMITTED = "submitted", _("Submitted")
