"""Client portal accounts for a few demo clients (issue 17): opened through the portal's own
activation service, with a code the demo caseworker gives, like a real client's."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from caseworks.accounts.models import User
from caseworks.cases.constants import CaseStatus, MemberRole
from caseworks.cases.models import BenefitUnitMember
from caseworks.portal.models import PortalAccount
from caseworks.portal.services import activation_code_issue, portal_account_activate

from .data import DEMO_PARTNERS

# A passphrase that passes the password rules (the staff demo password names the programme).
DEMO_CLIENT_PASSWORD = "lantern-ferry-quiet-orchard"  # noqa: S105  # synthetic demo accounts
DEMO_CLIENT_COUNT = 3


@dataclass(frozen=True)
class DemoClientLogin:
    username: str
    name: str
    case_number: str


def demo_client_username(index: int) -> str:
    return f"client{index + 1}"


def demo_portal_accounts_ensure() -> list[DemoClientLogin]:
    """Give the first demo partner's first active adult applicants a portal account (idempotent)
    and return every demo client login."""
    demo = DEMO_PARTNERS[0]
    worker = User.objects.filter(username=f"{demo.short}.caseworker").first()
    if worker is None:
        return []
    wanted = [demo_client_username(i) for i in range(DEMO_CLIENT_COUNT)]
    have = set(
        PortalAccount.objects.filter(user__username__in=wanted).values_list(
            "user__username", flat=True
        )
    )
    missing = [name for name in wanted if name not in have]
    if missing:
        adult_born_before = timezone.localdate().replace(year=timezone.localdate().year - 18)
        applicants = (
            BenefitUnitMember.objects.filter(
                role=MemberRole.APPLICANT,
                end_on=None,
                benefit_unit__status=CaseStatus.ACTIVE,
                benefit_unit__delivery_partner_id=worker.delivery_partner_id,
                person__date_of_birth__lt=adult_born_before,
            )
            .exclude(person_id__in=PortalAccount.objects.values("person_id"))
            .select_related("person", "benefit_unit")
            .order_by("benefit_unit__case_number")[: len(missing)]
        )
        for username, member in zip(missing, applicants, strict=False):
            with transaction.atomic():
                _row, code = activation_code_issue(
                    acting_user=worker, benefit_unit=member.benefit_unit, person=member.person
                )
                portal_account_activate(
                    code=code,
                    date_of_birth=member.person.date_of_birth,
                    case_number=member.benefit_unit.case_number,
                    username=username,
                    password=DEMO_CLIENT_PASSWORD,
                )
    return [
        DemoClientLogin(
            username=a.user.username,
            name=a.person.full_name,
            case_number=a.benefit_unit.case_number,
        )
        for a in PortalAccount.objects.filter(user__username__in=wanted)
        .select_related("user", "person", "benefit_unit")
        .order_by("user__username")
    ]
