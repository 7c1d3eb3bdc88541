"""Building, sending and answering surveys. Every write: one transaction, audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError, ConflictError
from caseworks.core.money import parse_dollars_to_cents
from caseworks.partners.constants import PartnerKind
from caseworks.partners.models import DeliveryPartner

from .constants import CHOICE_KINDS, QuestionKind, ResponseStatus, SurveyStatus
from .models import Answer, Question, Survey, SurveyResponse
from .templates_data import TEMPLATES

MAX_CHOICES = 30
MAX_TEXT = 5000


def _save(obj: Any, acting_user: User | None, update_fields: list[str] | None = None) -> None:
    """Create (no fields) or update only `update_fields` (and modified_at), with history."""
    obj._history_user = acting_user
    if update_fields is None:
        obj.save()
    else:
        obj.save(update_fields=[*update_fields, "modified_at"])


@transaction.atomic
def survey_create(
    *,
    acting_user: User,
    title: str,
    description: str = "",
    deadline: dt.date | None = None,
    template_key: str = "",
) -> Survey:
    """A draft survey; with `template_key`, a copy of that ready-made survey's questions."""
    require_capability(acting_user, Capability.SURVEY_MANAGE)
    template = None
    if template_key:
        template = Survey.objects.filter(is_template=True, template_key=template_key).first()
        if template is None:
            raise ApplicationError(_("Unknown survey template."), field="template", code="unknown")
        title = title.strip() or template.title
        description = description.strip() or template.description
    title = title.strip()
    if not title:
        raise ApplicationError(_("Give the survey a title."), field="title", code="required")
    survey = Survey(
        title=title[:200],
        description=description.strip(),
        deadline=deadline,
        created_by=acting_user,
        template_key=template_key,
        source=template.source if template else "",
    )
    _save(survey, acting_user)
    if template is not None:
        for question in template.questions.all():
            copy = Question(
                survey=survey,
                position=question.position,
                text=question.text,
                help_text=question.help_text,
                kind=question.kind,
                choices=question.choices,
                required=question.required,
            )
            _save(copy, acting_user)
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.SURVEY_CREATED,
        subject=survey,
        extra_data={"title": survey.title, "template": template_key},
    )
    return survey


def _clean_choices(kind: str, choices: list[str]) -> list[str]:
    cleaned = [c.strip() for c in choices if c.strip()]
    if kind in CHOICE_KINDS:
        if len(cleaned) < 2:
            raise ApplicationError(
                _("List at least two choices, one per line."), field="choices", code="too_few"
            )
        if len(cleaned) > MAX_CHOICES or len(set(cleaned)) != len(cleaned):
            raise ApplicationError(
                _("Choices must be different, and at most 30."), field="choices", code="invalid"
            )
        return cleaned
    return []


@transaction.atomic
def survey_question_add(
    *,
    acting_user: User,
    survey: Survey,
    text: str,
    kind: str,
    choices: list[str] | None = None,
    required: bool = True,
    help_text: str = "",
) -> Question:
    require_capability(acting_user, Capability.SURVEY_MANAGE)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != SurveyStatus.DRAFT or survey.is_template:
        raise ApplicationError(
            _("Questions can only be added to a draft survey."), field="survey", code="not_draft"
        )
    if kind not in QuestionKind.values:
        raise ApplicationError(_("Choose the kind of answer."), field="kind", code="invalid")
    if not text.strip():
        raise ApplicationError(_("Write the question."), field="text", code="required")
    position = (survey.questions.aggregate(last=Max("position"))["last"] or 0) + 1
    question = Question(
        survey=survey,
        position=position,
        text=text.strip()[:500],
        help_text=help_text.strip()[:500],
        kind=kind,
        choices=_clean_choices(kind, choices or []),
        required=required,
    )
    _save(question, acting_user)
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.SURVEY_QUESTION_ADDED,
        subject=question,
        extra_data={"survey": survey.pk, "kind": kind},
    )
    return question


@transaction.atomic
def survey_send(
    *,
    acting_user: User,
    survey: Survey,
    deadline: dt.date,
    partner_ids: list[int] | None = None,
) -> list[SurveyResponse]:
    """Send a draft survey to delivery partners' administrators (all partners by default)."""
    require_capability(acting_user, Capability.SURVEY_MANAGE)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != SurveyStatus.DRAFT or survey.is_template:
        raise ApplicationError(_("This survey was already sent."), field="survey", code="sent")
    if not survey.questions.exists():
        raise ApplicationError(_("Add at least one question."), field="survey", code="empty")
    if deadline <= timezone.localdate():
        raise ApplicationError(
            _("The deadline must be after today."), field="deadline", code="past"
        )
    partners = DeliveryPartner.objects.filter(is_active=True).exclude(kind=PartnerKind.MINISTRY)
    if partner_ids is not None:
        partners = partners.filter(pk__in=partner_ids)
    partners_list = list(partners)
    if not partners_list:
        raise ApplicationError(
            _("Choose at least one delivery partner."), field="partners", code="required"
        )
    survey.status = SurveyStatus.SENT
    survey.deadline = deadline
    survey.sent_by = acting_user
    survey.sent_at = timezone.now()
    _save(survey, acting_user, ["status", "deadline", "sent_by", "sent_at"])
    responses = []
    for partner in partners_list:
        response = SurveyResponse(survey=survey, delivery_partner=partner)
        _save(response, acting_user)
        responses.append(response)
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.SURVEY_SENT,
        subject=survey,
        extra_data={"partners": [p.pk for p in partners_list], "deadline": deadline.isoformat()},
    )
    return responses


def answer_value(question: Question, raw: Any) -> Any:  # noqa: PLR0911, PLR0912 (one branch per kind)
    """The stored value for a raw form value, or None when blank. Refuses bad input."""
    field = f"q{question.pk}"
    if raw is None or raw in ("", []):
        return None
    kind = question.kind
    if kind == QuestionKind.TEXT:
        text = str(raw).strip()
        if len(text) > MAX_TEXT:
            raise ApplicationError(_("At most 5,000 characters."), field=field, code="too_long")
        return text or None
    if kind == QuestionKind.NUMBER:
        try:
            number = Decimal(str(raw).strip())
        except InvalidOperation as exc:
            raise ApplicationError(_("Enter a number."), field=field, code="invalid") from exc
        if not number.is_finite() or number < 0 or number > Decimal("1e12"):
            raise ApplicationError(_("Enter a number of 0 or more."), field=field, code="invalid")
        if number == number.to_integral_value():
            return str(number.quantize(Decimal(1)))
        return str(number)
    if kind == QuestionKind.CURRENCY:
        try:
            cents = parse_dollars_to_cents(str(raw).strip())
        except (ApplicationError, ValueError, InvalidOperation) as exc:
            raise ApplicationError(
                _("Enter an amount in dollars, like 1250.00."), field=field, code="invalid"
            ) from exc
        if cents < 0:
            raise ApplicationError(_("The amount cannot be negative."), field=field, code="invalid")
        return cents
    if kind == QuestionKind.YES_NO:
        if raw in (True, "yes"):
            return True
        if raw in (False, "no"):
            return False
        raise ApplicationError(_("Answer yes or no."), field=field, code="invalid")
    if kind == QuestionKind.SINGLE_CHOICE:
        if raw not in question.choices:
            raise ApplicationError(_("Choose one of the options."), field=field, code="invalid")
        return raw
    values = list(raw) if isinstance(raw, list | tuple) else [raw]
    if any(v not in question.choices for v in values):
        raise ApplicationError(_("Choose from the options."), field=field, code="invalid")
    return [c for c in question.choices if c in values]


@transaction.atomic
def survey_response_save(
    *,
    acting_user: User,
    response: SurveyResponse,
    answers: dict[int, Any],
    submit: bool,
    expected_version: int | None = None,
) -> SurveyResponse:
    """Save a partner's answers as a draft, or submit them (then they can no longer change)."""
    require_capability(acting_user, Capability.SURVEY_RESPOND)
    locked = SurveyResponse.objects.select_for_update().select_related("survey").get(pk=response.pk)
    if acting_user.delivery_partner_id != locked.delivery_partner_id:
        raise ApplicationError(
            _("This survey is for another delivery partner."), field=None, code="partner"
        )
    if locked.status == ResponseStatus.SUBMITTED:
        raise ApplicationError(
            _("These answers were already submitted."), field=None, code="submitted"
        )
    if locked.survey.status != SurveyStatus.SENT:
        raise ApplicationError(_("This survey is closed."), field=None, code="closed")
    if expected_version is not None and expected_version != locked.version:
        raise ConflictError(_("Someone else saved these answers meanwhile. Reload the page."))
    questions = list(locked.survey.questions.all())
    values = {q.pk: answer_value(q, answers.get(q.pk)) for q in questions}
    if submit:
        for question in questions:
            if question.required and values[question.pk] is None:
                raise ApplicationError(
                    _("This question needs an answer before you submit."),
                    field=f"q{question.pk}",
                    code="required",
                )
    existing = {a.question_id: a for a in locked.answers.all()}
    for question in questions:
        answer = existing.get(question.pk) or Answer(response=locked, question=question)
        if answer.pk is None:
            answer.value = values[question.pk]
            _save(answer, acting_user)
        elif answer.value != values[question.pk]:
            answer.value = values[question.pk]
            _save(answer, acting_user, ["value"])
    now = timezone.now()
    locked.saved_at = now
    locked.version += 1
    if submit:
        locked.status = ResponseStatus.SUBMITTED
        locked.submitted_at = now
        locked.submitted_by = acting_user
    else:
        locked.status = ResponseStatus.DRAFT
    _save(locked, acting_user, ["saved_at", "version", "status", "submitted_at", "submitted_by"])
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.SURVEY_RESPONSE_SUBMITTED
        if submit
        else AuditEventType.SURVEY_RESPONSE_SAVED,
        subject=locked,
        delivery_partner_id=locked.delivery_partner_id,
        extra_data={"survey": locked.survey_id},
    )
    return locked


@transaction.atomic
def survey_templates_load(*, acting_user: User | None = None) -> list[Survey]:
    """Create or refresh the ready-made template surveys (idempotent)."""
    loaded = []
    for key, spec in TEMPLATES.items():
        survey = (
            Survey.objects.select_for_update().filter(is_template=True, template_key=key).first()
        )
        created = survey is None
        if survey is None:
            survey = Survey(is_template=True, template_key=key)
        survey.title = spec["title"]
        survey.description = spec["description"]
        survey.source = spec["source"]
        _save(survey, acting_user, None if created else ["title", "description", "source"])
        survey.questions.all().delete()
        for position, item in enumerate(spec["questions"], start=1):
            _save(
                Question(
                    survey=survey,
                    position=position,
                    text=item["text"],
                    kind=item["kind"],
                    choices=item.get("choices", []),
                    required=item.get("required", True),
                ),
                acting_user,
            )
        loaded.append(survey)
    return loaded
