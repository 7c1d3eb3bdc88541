"""What the client pages show of a person's cases, read through the cases app.

`clients` sits below `cases` in the app order (docs/directory-structure.md), so it never imports
cases. The cases app hands its readers down instead: `CasesConfig.ready()` registers them here,
and the client pages and selectors call them. Until something registers, a person has no case.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q


def _no_cases(*, user: Any, person_id: int) -> list[Any]:
    return []


def _no_open_case(cases: Sequence[Any]) -> bool:
    return False


def _attach_nothing(*, people: list[Any]) -> None:
    for person in people:
        person.current_memberships = []


def _match_nothing(case_number: str) -> Q:
    return Q(pk__in=[])


def _no_case_id(*, user: Any, case_number: str) -> int | None:
    return None


@dataclass(frozen=True)
class CaseReaders:
    # The cases a person is or was on that the user may see, newest first.
    cases_for_person: Callable[..., list[Any]] = _no_cases
    # Whether one of those cases is open.
    has_open_case: Callable[[Sequence[Any]], bool] = _no_open_case
    # Give each person `current_memberships` (current membership with its case) in one query.
    attach_current_cases: Callable[..., None] = _attach_nothing
    # The access-log rows about a case number: the case's own pages and its members' files.
    access_filter_for_case: Callable[[str], Q] = _match_nothing
    # The id of the case with this number, when the user may open it (their partner's); else None.
    case_id_for_number: Callable[..., int | None] = _no_case_id


_readers = CaseReaders()


def case_readers_register(readers: CaseReaders) -> None:
    """Called once, by the cases app when Django starts."""
    global _readers  # noqa: PLW0603  # one registration at start-up, read by every request
    _readers = readers


def case_readers() -> CaseReaders:
    return _readers
