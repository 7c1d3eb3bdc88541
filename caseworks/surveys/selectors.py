"""Who may read which survey, and the aggregated results."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from caseworks.accounts.constants import Capability
from caseworks.core.access import require_capability
from caseworks.core.errors import PermissionDeniedError

from .constants import QuestionKind, ResponseStatus
from .models import Answer, Question, Survey, SurveyResponse


def survey_list_for_user(*, user: Any) -> QuerySet[Survey]:
    require_capability(user, Capability.SURVEY_MANAGE)
    return Survey.objects.filter(is_template=False).annotate(
        partners=Count("responses"),
        submitted=Count("responses", filter=Q(responses__status=ResponseStatus.SUBMITTED)),
    )


def survey_templates_for_user(*, user: Any) -> QuerySet[Survey]:
    require_capability(user, Capability.SURVEY_MANAGE)
    return Survey.objects.filter(is_template=True).order_by("title")


def survey_get_for_user(*, user: Any, survey_id: int) -> Survey:
    require_capability(user, Capability.SURVEY_MANAGE)
    survey = Survey.objects.filter(pk=survey_id, is_template=False).first()
    if survey is None:
        raise Http404
    return survey


def responses_for_partner_user(*, user: Any) -> QuerySet[SurveyResponse]:
    """Surveys sent to the user's own delivery partner."""
    require_capability(user, Capability.SURVEY_RESPOND)
    if user.delivery_partner_id is None:
        raise PermissionDeniedError("no partner")
    return (
        SurveyResponse.objects.filter(delivery_partner_id=user.delivery_partner_id)
        .select_related("survey")
        .order_by("-survey__sent_at")
    )


def response_get_for_user(*, user: Any, response_id: int) -> SurveyResponse:
    """Another partner's answers: 404."""
    response = responses_for_partner_user(user=user).filter(pk=response_id).first()
    if response is None:
        raise Http404
    return response


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    # choice questions: [(choice, count)]; yes/no: [("yes", n), ("no", n)]
    counts: list[tuple[str, int]] = field(default_factory=list)
    # number/currency: total, mean, median, min, max (currency in cents)
    total: Decimal | None = None
    mean: Decimal | None = None
    median: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    texts: list[tuple[str, str]] = field(default_factory=list)  # (partner, text)


@dataclass
class SurveyResults:
    survey: Survey
    responses: list[SurveyResponse]
    questions: list[QuestionResult]

    @property
    def sent(self) -> int:
        return len(self.responses)

    @property
    def submitted(self) -> int:
        return sum(1 for r in self.responses if r.status == ResponseStatus.SUBMITTED)

    @property
    def drafts(self) -> int:
        return sum(1 for r in self.responses if r.status == ResponseStatus.DRAFT)

    @property
    def not_started(self) -> int:
        return self.sent - self.submitted - self.drafts


def survey_results(*, user: Any, survey_id: int) -> SurveyResults:
    """Completion per partner and each question's aggregate over SUBMITTED answers only.

    Answers are partner-level facts (not about individuals), one per partner: at most one row per
    partner and question is read (about 50 partners)."""
    survey = survey_get_for_user(user=user, survey_id=survey_id)
    responses = list(survey.responses.select_related("delivery_partner", "submitted_by"))
    questions = list(survey.questions.all())
    answers = Answer.objects.filter(
        response__survey=survey, response__status=ResponseStatus.SUBMITTED
    ).select_related("response__delivery_partner")
    by_question: dict[int, list[Answer]] = {}
    for answer in answers:
        if answer.value is not None:
            by_question.setdefault(answer.question_id, []).append(answer)
    results = []
    for question in questions:
        items = by_question.get(question.pk, [])
        result = QuestionResult(question=question, answered=len(items))
        kind = question.kind
        if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
            tally = dict.fromkeys(question.choices, 0)
            for a in items:
                for choice in a.value if isinstance(a.value, list) else [a.value]:
                    if choice in tally:
                        tally[choice] += 1
            result.counts = list(tally.items())
        elif kind == QuestionKind.YES_NO:
            result.counts = [
                ("yes", sum(1 for a in items if a.value is True)),
                ("no", sum(1 for a in items if a.value is False)),
            ]
        elif kind in (QuestionKind.NUMBER, QuestionKind.CURRENCY):
            numbers = [Decimal(str(a.value)) for a in items]
            if numbers:
                result.total = sum(numbers, Decimal(0))
                result.mean = result.total / len(numbers)
                result.median = Decimal(statistics.median(numbers))
                result.minimum, result.maximum = min(numbers), max(numbers)
        else:
            result.texts = [(a.response.delivery_partner.name, str(a.value)) for a in items]
        results.append(result)
    return SurveyResults(survey=survey, responses=responses, questions=results)
