"""A read of a case file, logged against its applicant: the client whose file the case is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import F

from caseworks.clients.services import client_file_access_record

from ..constants import MemberRole
from ..models import BenefitUnit, BenefitUnitMember


def _recency(member: BenefitUnitMember) -> tuple[bool, dt.date, dt.date, int]:
    return (member.end_on is None, member.end_on or dt.date.max, member.start_on, member.pk)


def case_applicant(
    benefit_unit: BenefitUnit, members: Iterable[BenefitUnitMember] | None = None
) -> BenefitUnitMember | None:
    """The case's current applicant (membership, with its person), else the most recent one (a
    closed case), else None.

    From `members` when the caller has already loaded them (no query), else one query.
    """
    if members is not None:
        applicants = [m for m in members if m.role == MemberRole.APPLICANT]
        return max(applicants, key=_recency) if applicants else None
    member = (
        benefit_unit.members.filter(role=MemberRole.APPLICANT)
        .select_related("person")
        .order_by(F("end_on").desc(nulls_first=True), "-start_on", "-id")
        .first()
    )
    return member


def case_file_read_record(
    *,
    user: Any,
    benefit_unit: BenefitUnit,
    view_name: str,
    channel: str = "web",
    members: Iterable[BenefitUnitMember] | None = None,
) -> BenefitUnitMember | None:
    """Log that `user` read the case file (client_file_access_record against the applicant);
    every page and API operation that shows a case calls it. Returns the applicant's
    membership."""
    applicant = case_applicant(benefit_unit, members)
    if applicant is not None:
        client_file_access_record(
            user=user,
            person=applicant.person,
            view_name=view_name,
            benefit_unit_id=benefit_unit.pk,
            channel=channel,
        )
    return applicant
