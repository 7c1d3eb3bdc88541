"""One row per delivery partner, one column per question (submitted answers only)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from .constants import QuestionKind, ResponseStatus
from .models import Answer
from .selectors import SurveyResults


def _cell(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == QuestionKind.CURRENCY:
        return f"{int(value) // 100}.{int(value) % 100:02d}"
    if kind == QuestionKind.YES_NO:
        return _("Yes") if value else _("No")
    if kind == QuestionKind.MULTIPLE_CHOICE:
        return "; ".join(value)
    return value


def results_table(results: SurveyResults) -> list[list[Any]]:
    questions = [r.question for r in results.questions]
    header: list[Any] = [_("Delivery partner"), _("Status"), _("Submitted at")]
    header += [q.text for q in questions]
    table: list[list[Any]] = [header]
    answers: dict[tuple[int, int], Any] = {
        (a.response_id, a.question_id): a.value
        for a in Answer.objects.filter(
            response__survey=results.survey, response__status=ResponseStatus.SUBMITTED
        )
    }
    for response in results.responses:
        row: list[Any] = [
            response.delivery_partner.name,
            str(response.get_status_display()),
            response.submitted_at.isoformat(timespec="minutes") if response.submitted_at else None,
        ]
        row += [_cell(q.kind, answers.get((response.pk, q.pk))) for q in questions]
        table.append(row)
    return table
