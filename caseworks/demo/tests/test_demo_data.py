"""load_demo_data: synthetic, labelled, made through the services, and quick the second time."""

from __future__ import annotations

import random
import time
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from caseworks.accounts.constants import Role
from caseworks.accounts.models import User
from caseworks.cases.constants import CaseStatus, MemberRole, TransferKind
from caseworks.cases.models import BenefitUnit, BenefitUnitMember, CaseTransfer
from caseworks.clients.models import Person
from caseworks.core.constants import AuditEventType
from caseworks.core.models import AuditEvent
from caseworks.core.text import luhn_valid
from caseworks.demo.data import DEMO_PASSWORD, demo_sin
from caseworks.demo.portal import DEMO_CLIENT_PASSWORD
from caseworks.messaging.models import MessageThread, ReportedChange
from caseworks.partners.constants import PartnerKind
from caseworks.partners.models import DeliveryPartner, Office
from caseworks.portal.models import PortalAccount


@pytest.fixture
def loaded(db: Any) -> str:
    out = StringIO()
    call_command("load_demo_data", stdout=out)
    return out.getvalue()


def test_demo_sin_passes_luhn_and_starts_with_zero_when_generated() -> None:
    used: set[str] = set()
    rng = random.Random(1)
    sins = [demo_sin(rng, used) for _ in range(200)]
    assert all(len(s) == 9 and s.startswith("0") and luhn_valid(s) for s in sins)
    assert len(set(sins)) == 200


def test_load_demo_data_builds_labelled_caseload_then_skips_quickly_when_run_twice(
    loaded: str,
) -> None:
    # Reference data came first, real partners are not flagged demo; invented ones are.
    assert DeliveryPartner.objects.filter(kind=PartnerKind.CMSM).count() == 37
    demo_nations = DeliveryPartner.objects.filter(kind=PartnerKind.FIRST_NATION)
    assert demo_nations.count() == 3
    assert all(p.is_demo and "(synthetic)" in p.name for p in demo_nations)
    assert not DeliveryPartner.objects.get(code="city-of-toronto").is_demo
    # Offices have generic names and no street address.
    assert Office.objects.filter(name__contains="Demo Office").count() == Office.objects.count()
    assert not Office.objects.exclude(address="").exists()
    # ~400 cases in every status, with spouses and children, over several partners.
    assert BenefitUnit.objects.count() == 400
    statuses = set(BenefitUnit.objects.values_list("status", flat=True))
    assert statuses == set(CaseStatus.values)
    assert BenefitUnitMember.objects.filter(role=MemberRole.SPOUSE).exists()
    assert BenefitUnitMember.objects.filter(role=MemberRole.DEPENDANT_CHILD).exists()
    assert BenefitUnit.objects.values("delivery_partner").distinct().count() >= 6
    assert CaseTransfer.objects.filter(kind=TransferKind.MINISTRY_HANDOFF).count() == 15
    # Every SIN is a demo SIN (starts with 0, never issued) that passes the check digit.
    sins = list(Person.objects.exclude(sin="").values_list("sin", flat=True))
    assert sins
    assert all(s.startswith("0") and luhn_valid(s) for s in sins)
    # Made through the services: audit events and row history exist.
    assert AuditEvent.objects.filter(event_type=AuditEventType.PERSON_CREATED).count() == (
        Person.objects.count()
    )
    assert AuditEvent.objects.filter(event_type=AuditEventType.CASE_STATUS_CHANGED).exists()
    assert Person.history.count() >= Person.objects.count()
    # One account per role at Toronto, provincial staff, all with the demo password.
    toronto = User.objects.filter(delivery_partner__code="city-of-toronto")
    assert {u.role for u in toronto} >= {
        Role.INTAKE_CLERK,
        Role.CASEWORKER,
        Role.SUPERVISOR,
        Role.PARTNER_ADMIN,
    }
    analyst = User.objects.get(username="province.analyst")
    assert analyst.delivery_partner is None
    assert analyst.check_password(DEMO_PASSWORD)
    # Clients online at Toronto: three threads (one escalated to the supervisor, one waiting)
    # and a reported change waiting for verification, made through the services.
    threads = MessageThread.objects.filter(benefit_unit__delivery_partner__code="city-of-toronto")
    assert threads.count() == 3
    escalated = threads.get(escalated_at__isnull=False)
    assert escalated.escalated_to.role == Role.SUPERVISOR
    assert threads.filter(awaiting_reply_since__isnull=False).count() == 2
    assert ReportedChange.objects.filter(status="pending").count() == 1
    assert AuditEvent.objects.filter(event_type=AuditEventType.MESSAGE_SENT).count() == 4
    # The logins are printed.
    assert DEMO_PASSWORD in loaded
    assert "toronto.caseworker" in loaded
    # A few demo clients have portal accounts (issue 17), opened by activation, printed too.
    clients = PortalAccount.objects.select_related("user", "benefit_unit")
    assert sorted(a.user.username for a in clients) == ["client1", "client2", "client3"]
    assert all(a.benefit_unit.status == CaseStatus.ACTIVE for a in clients)
    assert all(a.user.check_password(DEMO_CLIENT_PASSWORD) for a in clients)
    assert DEMO_CLIENT_PASSWORD in loaded
    assert "client1" in loaded

    # A second run (every `make run`) finds it loaded, changes nothing and is quick.
    people = Person.objects.count()
    events = AuditEvent.objects.count()
    out = StringIO()
    started = time.monotonic()
    call_command("load_demo_data", stdout=out)
    assert time.monotonic() - started < 1.0
    assert "already loaded" in out.getvalue()
    assert "toronto.caseworker" in out.getvalue()
    assert "client1" in out.getvalue()
    assert Person.objects.count() == people
    assert AuditEvent.objects.count() == events


def test_load_demo_data_refused_when_settings_are_production(
    db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "SETTINGS_MODULE", "config.settings.production")
    with pytest.raises(CommandError, match="production"):
        call_command("load_demo_data", stdout=StringIO())
    assert not Person.objects.exists()
    assert not User.objects.exists()
