"""Sections that apps above eligibility add to the notice of decision.

The notice is rendered here, but some of what it tells the client belongs to apps higher in the
app graph: the client portal prints the one-time activation code of a granted case's adults.
Eligibility may not import them (docs/directory-structure.md), so the call is turned round:
each such app appends a provider to `NOTICE_SECTION_PROVIDERS` in its `AppConfig.ready()`, and
`services.notices_generate` asks every provider once per decision, before rendering the letter
in English and in French, inside its transaction.

A provider may write (the portal issues codes, with its own audit events): it is called only
when the decision's notices are generated for the first time, never on a replay, so the stored
letters keep what it printed, byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from caseworks.accounts.models import User

from .models import Decision


@dataclass(frozen=True)
class NoticeSection:
    """A section of the letter in one language: a heading, paragraphs, and lines to show
    apart in bold (such as a code to type)."""

    heading: str
    paragraphs: tuple[str, ...] = ()
    lines: tuple[str, ...] = ()
    after: tuple[str, ...] = field(default=())  # paragraphs after the lines


# {language: [sections]} for one decision; an empty dict adds nothing.
NoticeSections = dict[str, list[NoticeSection]]
NoticeSectionProvider = Callable[..., NoticeSections]

NOTICE_SECTION_PROVIDERS: list[NoticeSectionProvider] = []


def notice_sections(*, acting_user: User, decision: Decision) -> NoticeSections:
    """Every provider's sections for this decision, by language, in the providers' order."""
    found: NoticeSections = {}
    for provider in NOTICE_SECTION_PROVIDERS:
        for language, sections in provider(acting_user=acting_user, decision=decision).items():
            found.setdefault(language, []).extend(sections)
    return found
