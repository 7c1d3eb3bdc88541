"""Issue 13, point 4: providers keep reading. An outside employment-services provider's token kept
reading a referral after the provider declined it and after the case closed, and it read the
client's CURRENT phone and e-mail. Each test is the attack.

The rule: a provider sees a referral only while it is active (sent, accepted, started, no-show, on
an open case; see referral_list_for_provider) and on a case its delivery partner still serves (a
transferred case takes its referrals from the sender's provider; a province-wide provider keeps
them), and only the contact details the client consented to share, as they stood when the
referral was sent. Anything else = 404, as a referral that does not exist, and gone from the list.
Every read is in the client-file access log.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from freezegun import freeze_time

from caseworks.accounts.constants import Role
from caseworks.accounts.services import api_token_create
from caseworks.cases.constants import CaseStatus, TransferKind
from caseworks.cases.models import BenefitUnit
from caseworks.cases.services import case_status_change, case_transfer
from caseworks.cases.tests.factories import make_case
from caseworks.clients.models import ClientFileAccess
from caseworks.clients.services import person_update
from caseworks.core.errors import ApplicationError
from caseworks.employment.constants import REFERRAL_ACTIVE_STATUSES, ReferralStatus
from caseworks.employment.models import EmploymentOutcome, Referral
from caseworks.employment.services import (
    follow_up_provider_report,
    outcome_provider_report,
    referral_provider_respond,
    referral_send,
    referral_status_change,
)
from caseworks.employment.tests.factories import ServiceProviderFactory, make_provider_user
from caseworks.plans.tests.factories import applicant_of

pytestmark = pytest.mark.django_db

PHONE = "705-555-0101"
EMAIL = "ana.roy@example.org"
JOB = {
    "employer": "Northern Hardware",
    "start_on": "2026-01-12",
    "hours_per_week": "37.5",
    "hourly_wage_cents": 1925,
    "permanence": "permanent",
    "has_benefits": True,
}


@pytest.fixture
def world(partner: Any, caseworker: Any) -> dict[str, Any]:
    agency = ServiceProviderFactory(name="Northern Jobs Centre")
    case = make_case(
        partner=partner, caseworker=caseworker, phone=PHONE, email=EMAIL, language_preference="fr"
    )
    user = make_provider_user(provider=agency, partner=partner)
    _token, raw = api_token_create(acting_user=user, user=user, name="agency")

    def send(shared: list[str]) -> Referral:
        return referral_send(
            acting_user=caseworker,
            benefit_unit=case,
            person=applicant_of(case),
            provider=agency,
            purpose="Employment services",
            consent_given=True,
            information_shared=shared,
        )

    return {
        "case": case,
        "send": send,
        "user": user,
        "api": Client(HTTP_AUTHORIZATION=f"Bearer {raw}"),
    }


def _post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, data=json.dumps(body), content_type="application/json")


def _listed(world: dict[str, Any], query: str = "") -> list[int]:
    response = world["api"].get(f"/api/provider/referrals{query}")
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()]


def _assert_gone(world: dict[str, Any], referral: Referral) -> None:
    """Nothing of the referral reaches the provider, read or write, as if it did not exist."""
    api = world["api"]
    base = f"/api/provider/referrals/{referral.pk}"
    assert api.get(base).status_code == 404
    assert referral.pk not in _listed(world)
    for status in ("sent", "accepted", "declined", "started", "completed", "no_show"):
        assert referral.pk not in _listed(world, f"?status={status}")
    assert _post(api, f"{base}/status", {"to_status": "started"}).status_code == 404
    assert _post(api, f"{base}/outcomes", JOB).status_code == 404
    missing = api.get("/api/provider/referrals/999999999")
    assert missing.status_code == 404
    assert api.get(base).json() == missing.json()  # indistinguishable from "no such referral"


def test_a_declined_referral_is_404_and_gone_from_the_list(world: dict[str, Any]) -> None:
    referral = world["send"](["contact"])
    assert _listed(world) == [referral.pk]
    answer = _post(
        world["api"],
        f"/api/provider/referrals/{referral.pk}/status",
        {"to_status": "declined", "note": "No places left"},
    )
    # The answer is recorded, and its response carries nothing of the client.
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "declined"
    assert "client" not in answer.json()
    assert PHONE not in answer.content.decode()
    _assert_gone(world, referral)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED
    assert not EmploymentOutcome.objects.filter(referral=referral).exists()


def test_a_referral_the_caseworker_records_as_declined_is_gone_too(
    world: dict[str, Any], caseworker: Any
) -> None:
    referral = world["send"](["contact"])
    referral_status_change(
        acting_user=caseworker, referral=referral, to_status="declined", note="Client moved"
    )
    _assert_gone(world, referral)


def test_a_completed_referral_is_404(world: dict[str, Any]) -> None:
    referral = world["send"](["contact"])
    for to_status in ("accepted", "started", "completed"):
        response = _post(
            world["api"], f"/api/provider/referrals/{referral.pk}/status", {"to_status": to_status}
        )
        assert response.status_code == 200, response.content
    _assert_gone(world, referral)


def test_a_closed_case_ends_every_referral_on_it(world: dict[str, Any], caseworker: Any) -> None:
    referral = world["send"](["contact"])
    accepted = _post(
        world["api"], f"/api/provider/referrals/{referral.pk}/status", {"to_status": "accepted"}
    )
    assert accepted.status_code == 200
    assert _listed(world) == [referral.pk]
    case = case_status_change(
        acting_user=caseworker, benefit_unit=world["case"], to_status=CaseStatus.ACTIVE
    )
    case_status_change(
        acting_user=caseworker, benefit_unit=case, to_status=CaseStatus.CLOSED, reason="Moved away"
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED  # the referral itself was never closed
    _assert_gone(world, referral)


def test_a_referral_awaiting_the_providers_answer_stays_readable_and_answerable(
    world: dict[str, Any],
) -> None:
    referral = world["send"](["contact"])
    # Past its expected response date the provider may still answer, and read what it answers.
    with freeze_time(referral.response_due_on + dt.timedelta(days=30)):
        assert world["api"].get(f"/api/provider/referrals/{referral.pk}").status_code == 200
        response = _post(
            world["api"], f"/api/provider/referrals/{referral.pk}/status", {"to_status": "accepted"}
        )
    assert response.status_code == 200, response.content
    # A client who did not attend may still begin: the referral stays active.
    for to_status in ("no_show", "started"):
        response = _post(
            world["api"], f"/api/provider/referrals/{referral.pk}/status", {"to_status": to_status}
        )
        assert response.status_code == 200, response.content
        assert world["api"].get(f"/api/provider/referrals/{referral.pk}").status_code == 200
    with freeze_time("2026-01-10 12:00"):
        job = _post(world["api"], f"/api/provider/referrals/{referral.pk}/outcomes", JOB)
    assert job.status_code == 201, job.content


def test_the_active_statuses_are_those_with_a_next_step() -> None:
    assert {
        ReferralStatus.SENT,
        ReferralStatus.ACCEPTED,
        ReferralStatus.STARTED,
        ReferralStatus.NO_SHOW,
    } == REFERRAL_ACTIVE_STATUSES


def test_phone_changed_after_sending_provider_sees_the_old_consented_value(
    world: dict[str, Any], caseworker: Any
) -> None:
    referral = world["send"](["contact", "language"])
    person = applicant_of(world["case"])
    person_update(
        acting_user=caseworker,
        person=person,
        data={"phone": "416-555-0199", "email": "new.address@example.org"},
    )
    person.refresh_from_db()
    assert person.phone == "416-555-0199"
    for url in ("/api/provider/referrals", f"/api/provider/referrals/{referral.pk}"):
        body = world["api"].get(url).content.decode()
        assert "416-555-0199" not in body
        assert "new.address@example.org" not in body
    client = world["api"].get(f"/api/provider/referrals/{referral.pk}").json()["client"]
    assert client["phone"] == PHONE
    assert client["email"] == EMAIL
    assert client["language_of_service"] == "fr"


def test_not_consented_no_phone_or_email_in_the_response(world: dict[str, Any]) -> None:
    referral = world["send"](["employment_history"])
    referral.refresh_from_db()
    assert (referral.shared_phone, referral.shared_email, referral.shared_language) == ("", "", "")
    response = world["api"].get(f"/api/provider/referrals/{referral.pk}")
    assert response.status_code == 200
    client = response.json()["client"]
    assert client["phone"] is None
    assert client["email"] is None
    assert client["language_of_service"] is None
    body = response.content.decode() + world["api"].get("/api/provider/referrals").content.decode()
    assert PHONE not in body
    assert EMAIL not in body


def test_a_referral_sent_before_the_copy_existed_shares_no_contact(
    world: dict[str, Any],
) -> None:
    """What the migration leaves on existing rows: the name, no contact details (not consented
    as they stood when shared)."""
    referral = world["send"](["contact"])
    Referral.objects.filter(pk=referral.pk).update(shared_phone="", shared_email="")
    client = world["api"].get(f"/api/provider/referrals/{referral.pk}").json()["client"]
    assert client["phone"] is None
    assert client["email"] is None
    assert client["last_name"] == applicant_of(world["case"]).last_name


def test_every_provider_read_of_a_referral_is_in_the_access_log(world: dict[str, Any]) -> None:
    referral = world["send"](["contact"])
    user = world["user"]
    assert world["api"].get("/api/provider/referrals").status_code == 200
    assert world["api"].get(f"/api/provider/referrals/{referral.pk}").status_code == 200
    rows = ClientFileAccess.objects.filter(user=user, channel="api").order_by("id")
    assert [(r.view_name, r.person_id, r.benefit_unit_id) for r in rows] == [
        ("api:provider_referral_list", referral.person_id, referral.benefit_unit_id),
        ("api:provider_referral_detail", referral.person_id, referral.benefit_unit_id),
    ]
    # An answer shows nothing of the client; a refused read shows nothing and logs nothing.
    _post(
        world["api"],
        f"/api/provider/referrals/{referral.pk}/status",
        {"to_status": "declined", "note": "Full"},
    )
    assert world["api"].get(f"/api/provider/referrals/{referral.pk}").status_code == 404
    assert world["api"].get("/api/provider/referrals").json() == []
    assert ClientFileAccess.objects.filter(user=user, channel="api").count() == 2


def test_the_services_refuse_an_answer_to_an_inactive_referral(
    world: dict[str, Any], caseworker: Any
) -> None:
    """Below the API: a referral read while active and answered after it ended is refused."""
    referral = world["send"](["contact"])
    stale = Referral.objects.get(pk=referral.pk)
    referral_status_change(
        acting_user=caseworker, referral=referral, to_status="declined", note="Client moved"
    )
    with pytest.raises(ApplicationError) as refused:
        referral_provider_respond(acting_user=world["user"], referral=stale, to_status="accepted")
    assert refused.value.code == "not_found"
    completed = world["send"](["contact"])
    for to_status in ("accepted", "started", "completed"):
        referral_status_change(acting_user=caseworker, referral=completed, to_status=to_status)
    with pytest.raises(ApplicationError):
        outcome_provider_report(
            acting_user=world["user"],
            referral=completed,
            employer="Northern Hardware",
            start_on=dt.date(2026, 1, 12),
            hours_per_week="37.5",
            hourly_wage_cents=1925,
            permanence="permanent",
            has_benefits=True,
        )
    assert not EmploymentOutcome.objects.filter(referral=completed).exists()


def test_a_transferred_case_takes_its_referrals_from_the_senders_provider(
    partner: Any, other_partner: Any, users: dict[str, Any], caseworker: Any
) -> None:
    """Issue 13: "a transferred case takes everything; the sender gets 404". Partner A's own
    agency kept reading the referral (the client's name and contact) and answering it, its job
    and the job's follow-ups after the case moved to partner B. A province-wide provider (no
    delivery partner) serves the client wherever the case is: it keeps its referral."""
    local = ServiceProviderFactory(name="Partner A Jobs", delivery_partner=partner)
    provincial = ServiceProviderFactory(name="Province-wide Employment Services")
    case = make_case(partner=partner, caseworker=caseworker, phone=PHONE, email=EMAIL)
    logins: dict[str, Any] = {}
    apis: dict[str, Client] = {}
    referrals: dict[str, Referral] = {}
    for name, provider in (("local", local), ("provincial", provincial)):
        logins[name] = make_provider_user(provider=provider, partner=partner)
        _token, raw = api_token_create(acting_user=logins[name], user=logins[name], name=name)
        apis[name] = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
        referrals[name] = referral_send(
            acting_user=caseworker,
            benefit_unit=case,
            person=applicant_of(case),
            provider=provider,
            purpose="Employment services",
            consent_given=True,
            information_shared=["contact"],
        )
        base = f"/api/provider/referrals/{referrals[name].pk}"
        for to_status in ("accepted", "started"):
            assert _post(apis[name], f"{base}/status", {"to_status": to_status}).status_code == 200
    with freeze_time("2026-01-10 12:00"):
        job = _post(apis["local"], f"/api/provider/referrals/{referrals['local'].pk}/outcomes", JOB)
    assert job.status_code == 201, job.content
    follow_up = EmploymentOutcome.objects.get(pk=job.json()["id"]).follow_ups.earliest("due_on")
    local_world = {"api": apis["local"]}
    assert _listed(local_world) == [referrals["local"].pk]

    case_transfer(
        acting_user=users[Role.SUPERVISOR],
        benefit_unit=BenefitUnit.objects.get(pk=case.pk),
        to_partner=other_partner,
        kind=TransferKind.CLIENT_MOVED,
        reason="Moved to Partner B",
    )

    # The sender's agency: nothing of the referral, read or write, as if it did not exist.
    referrals["local"].refresh_from_db()
    assert referrals["local"].status == ReferralStatus.STARTED  # active; the case is open
    _assert_gone(local_world, referrals["local"])
    follow_up_path = f"/api/provider/follow-ups/{follow_up.pk}"
    answer = _post(apis["local"], follow_up_path, {"still_employed": True})
    assert answer.status_code == 404
    missing = _post(apis["local"], "/api/provider/follow-ups/999999999", {"still_employed": True})
    assert answer.json() == missing.json()
    for body in (
        apis["local"].get("/api/provider/referrals").content.decode(),
        apis["local"].get(f"/api/provider/referrals/{referrals['local'].pk}").content.decode(),
    ):
        assert PHONE not in body
        assert EMAIL not in body
    # Below the API: an answer to the referral or its follow-up, read before the transfer.
    with pytest.raises(ApplicationError) as refused:
        referral_provider_respond(
            acting_user=logins["local"], referral=referrals["local"], to_status="completed"
        )
    assert refused.value.code == "not_found"
    with pytest.raises(ApplicationError) as refused:
        follow_up_provider_report(
            acting_user=logins["local"], follow_up=follow_up, still_employed=True
        )
    assert refused.value.code == "not_found"
    follow_up.refresh_from_db()
    assert follow_up.recorded_on is None

    # The province-wide provider still serves the client, now partner B's.
    provincial_world = {"api": apis["provincial"]}
    assert _listed(provincial_world) == [referrals["provincial"].pk]
    read = apis["provincial"].get(f"/api/provider/referrals/{referrals['provincial'].pk}")
    assert read.status_code == 200
    assert read.json()["client"]["phone"] == PHONE
