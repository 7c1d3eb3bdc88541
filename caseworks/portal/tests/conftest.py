"""A small synthetic world for the portal: two cases of partner A with a client account each
(the second has a spouse), a case of partner B with one, and a released January 2026 run.
Time is frozen on 2026-02-10: the client reports January's income, for February's payment."""

from __future__ import annotations

import dataclasses
import datetime as dt
from importlib import import_module
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest
from django.test import Client
from freezegun import freeze_time

from caseworks.applications.models import Application, VerificationItem
from caseworks.cases.constants import MemberRole
from caseworks.cases.services import benefit_unit_member_add
from caseworks.clients.tests.factories import PersonFactory
from caseworks.payments.runs import (
    payment_run_approve,
    payment_run_dry_run,
    payment_run_prepare,
    payment_run_release,
)
from caseworks.payments.tests.builders import OPENED, active_case, payment_staff
from caseworks.portal.middleware import PORTAL_REALM, REALM_SESSION_KEY
from caseworks.portal.models import PortalAccount
from caseworks.portal.services import activation_code_issue, portal_account_activate

TODAY = dt.date(2026, 2, 10)
JAN = dt.date(2026, 1, 1)
FEB = dt.date(2026, 2, 1)
PASSWORD = "purple-kettle-under-the-maple-77"


def make_checklist(case: Any, *, kinds: tuple[str, ...] = ("identity", "shelter_cost")) -> Any:
    """The case's application with a verification checklist of `kinds`, all still needed
    (rows only: the portal tests are about who sees and sends what)."""
    application = Application.objects.create(
        benefit_unit=case, delivery_partner_id=case.delivery_partner_id, applied_on=OPENED
    )
    applicant = case.members.get(role=MemberRole.APPLICANT).person
    for kind in kinds:
        VerificationItem.objects.create(
            application=application,
            kind=kind,
            person=applicant if kind == "identity" else None,
        )
    return application


def open_account(
    actor: Any, case: Any, person: Any, username: str, *, email: str = ""
) -> PortalAccount:
    _row, code = activation_code_issue(acting_user=actor, benefit_unit=case, person=person)
    return portal_account_activate(
        code=code,
        date_of_birth=person.date_of_birth,
        case_number=case.case_number,
        username=username,
        password=PASSWORD,
        email=email,
    )


def portal_login(client: Client, user: Any) -> Client:
    """A signed-in portal session, in the portal's own cookie (force_login writes the staff
    cookie)."""
    engine = import_module(settings.SESSION_ENGINE)
    request = HttpRequest()
    request.session = engine.SessionStore()
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[REALM_SESSION_KEY] = PORTAL_REALM
    request.session.save()
    client.cookies[settings.PORTAL_SESSION_COOKIE_NAME] = request.session.session_key
    return client


@dataclasses.dataclass
class World:
    staff: dict[str, Any]
    other_staff: dict[str, Any]
    case: Any
    account: PortalAccount
    spouse: Any
    other_case: Any
    other_account: PortalAccount
    far_case: Any
    far_account: PortalAccount


def _release(partner: Any, staff: dict[str, Any], month: dt.date) -> Any:
    run = payment_run_prepare(
        acting_user=staff["caseworker"], delivery_partner=partner, benefit_month=month
    )
    run = payment_run_dry_run(acting_user=staff["caseworker"], run=run)
    run = payment_run_approve(acting_user=staff["supervisor"], run=run)
    return payment_run_release(acting_user=staff["supervisor"], run=run)


@pytest.fixture
def frozen() -> Any:
    with freeze_time("2026-02-10 10:00:00-05:00", tick=True):
        yield


@pytest.fixture
def world(db: Any, partner: Any, other_partner: Any, frozen: Any) -> World:
    staff = payment_staff(partner)
    other_staff = payment_staff(other_partner)
    actor = staff["caseworker"]
    case = active_case(
        partner=partner,
        actor=actor,
        first_name="Amira",
        last_name="Haddad",
        bank=("004", "12345", "1234567"),
    )
    spouse = PersonFactory(
        delivery_partner=partner,
        first_name="Omar",
        last_name="Haddad",
        date_of_birth=dt.date(1983, 6, 2),
    )
    benefit_unit_member_add(
        acting_user=actor,
        benefit_unit=case,
        person=spouse,
        role=MemberRole.SPOUSE,
        start_on=OPENED,
    )
    other_case = active_case(partner=partner, actor=actor, first_name="Bea", last_name="Stone")
    far_case = active_case(
        partner=other_partner, actor=other_staff["caseworker"], first_name="Cy", last_name="Far"
    )
    _release(partner, staff, JAN)
    case.refresh_from_db()
    applicant = case.members.get(role=MemberRole.APPLICANT).person
    other_applicant = other_case.members.get(role=MemberRole.APPLICANT).person
    far_applicant = far_case.members.get(role=MemberRole.APPLICANT).person
    return World(
        staff=staff,
        other_staff=other_staff,
        case=case,
        account=open_account(actor, case, applicant, "amira"),
        spouse=spouse,
        other_case=other_case,
        other_account=open_account(actor, other_case, other_applicant, "bea"),
        far_case=far_case,
        far_account=open_account(other_staff["caseworker"], far_case, far_applicant, "cy"),
    )
