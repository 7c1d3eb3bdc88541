"""Surveys the ministry sends to delivery partners, and the partners' answers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from caseworks.core.models import BaseModel

from .constants import QuestionKind, ResponseStatus, SurveyStatus


class Survey(BaseModel):
    """A questionnaire. `is_template` rows are ready-made surveys an analyst copies."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        max_length=16, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    is_template = models.BooleanField(default=False)
    template_key = models.SlugField(max_length=64, blank=True)
    source = models.CharField(_("source of the questions"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["template_key"],
                condition=models.Q(is_template=True),
                name="survey_one_template_per_key",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Question(BaseModel):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("hint"), max_length=500, blank=True)
    kind = models.CharField(_("kind of answer"), max_length=16, choices=QuestionKind.choices)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("an answer is required"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="question_unique_position")
        ]

    def __str__(self) -> str:
        return self.text


class SurveyResponse(BaseModel):
    """One delivery partner's answers to one survey."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    delivery_partner = models.ForeignKey(
        "partners.DeliveryPartner", on_delete=models.PROTECT, related_name="survey_responses"
    )
    status = models.CharField(
        max_length=16, choices=ResponseStatus.choices, default=ResponseStatus.NOT_STARTED
    )
    saved_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["survey", "delivery_partner__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "delivery_partner"], name="response_once_per_partner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} / {self.delivery_partner_id}: {self.status}"


class Answer(BaseModel):
    """The answer to one question. `value`: text (str), number (decimal str), single choice
    (str), multiple choice (list of str), yes/no (bool), currency (integer cents)."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.JSONField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="answer_once")]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.value!r}"
