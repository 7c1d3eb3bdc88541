"""Every portal URL × the case's own client, a client of another case of the same partner, a
client of another partner, staff and anonymous (after tests/test_permission_matrix.py).

A URL that names a record (a letter, a receipt, a month's statement) answers 404 to any client
but the record's own; a URL that names none shows only the signed-in client's own case. Staff
and anonymous never reach a portal page (the sign-in page instead)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from caseworks.documents.services import notice_store
from caseworks.eligibility.constants import DecisionOutcome, DecisionStatus, DeterminationResult
from caseworks.eligibility.models import Decision, Determination
from caseworks.payments.models import IncomeReport
from caseworks.portal.models import ReportReceipt
from caseworks.portal.services import portal_report_nothing_changed
from caseworks.reviews.services import internal_review_request_from_client

from .conftest import World, make_checklist, portal_login

pytestmark = pytest.mark.django_db


@dataclasses.dataclass(frozen=True)
class Url:
    name: str
    method: str
    path: str  # with {placeholders}
    # "record": names a record of the owner's case (others: 404);
    # "own": acts on or shows the signed-in client's own case only;
    # "public": anyone (signing in, activation, the signed webhook).
    kind: str
    ok: tuple[int, ...] = (200,)
    body: Callable[[World], dict[str, Any]] | None = None


def _key(_world: World) -> dict[str, Any]:
    return {"idempotency_key": str(uuid.uuid4())}


URLS = [
    Url("portal:home", "GET", "/my/", "own"),
    Url("portal:statements", "GET", "/my/statements/", "own"),
    Url("portal:statement", "GET", "/my/statements/{year}/{month}/", "record"),
    Url("portal:letters", "GET", "/my/letters/", "own"),
    Url("portal:letter_download", "GET", "/my/letters/{document_id}/", "record"),
    Url("portal:proof_of_assistance", "POST", "/my/letters/proof-of-assistance/", "own"),
    Url("portal:preferences", "POST", "/my/letters/preferences/", "own", (302,)),
    Url("portal:report", "GET", "/my/report/", "own"),
    Url("portal:report", "POST", "/my/report/", "own", (302, 400), _key),
    Url(
        "portal:report_nothing_changed",
        "POST",
        "/my/report/nothing-changed/",
        "own",
        (302,),
        _key,
    ),
    Url("portal:report_stub", "POST", "/my/report/stub/", "own", (400,), _key),
    Url("portal:receipt", "GET", "/my/report/receipts/{receipt_id}/", "record"),
    Url("portal:bank", "GET", "/my/bank/", "own", (302,)),
    Url("portal:access_log", "GET", "/my/access-log/", "own"),
    Url("portal:messages", "GET", "/my/messages/", "own"),
    Url("portal:messages", "POST", "/my/messages/", "own", (400,), _key),
    Url("portal:review_request", "GET", "/my/decisions/{decision_id}/review/", "record"),
    Url(
        "portal:review_request",
        "POST",
        "/my/decisions/{decision_id}/review/",
        "record",
        (400,),
        _key,
    ),
    Url("portal:review_requested", "GET", "/my/reviews/{review_id}/", "record"),
    Url("portal:login", "GET", "/my/login/", "public", (200, 302)),
    Url("portal:activate", "GET", "/my/activate/", "public", (200, 302)),
    Url("portal:changes", "GET", "/my/changes/", "own"),
    Url("portal:change_address", "GET", "/my/changes/address/", "own"),
    Url("portal:change_address", "POST", "/my/changes/address/", "own", (400,), _key),
    Url("portal:change_shelter_cost", "GET", "/my/changes/shelter-cost/", "own"),
    Url("portal:change_shelter_cost", "POST", "/my/changes/shelter-cost/", "own", (400,), _key),
    Url("portal:change_household", "GET", "/my/changes/household/", "own"),
    Url("portal:change_household", "POST", "/my/changes/household/", "own", (400,), _key),
    Url("portal:documents", "GET", "/my/documents/", "own"),
    Url("portal:document_upload", "POST", "/my/documents/{item_id}/", "record", (400,), _key),
    Url("portal:sms_inbound", "POST", "/my/sms/inbound/", "public", (403,)),
    # The online application: anyone, no account (a draft in the session; nothing of a case).
    Url("portal:apply", "GET", "/my/apply/", "public"),
    Url("portal:apply_about", "GET", "/my/apply/about/", "public"),
    Url("portal:apply_about", "POST", "/my/apply/about/", "public", (400,)),
    Url("portal:apply_address", "GET", "/my/apply/address/", "public", (302,)),
    Url("portal:apply_household", "GET", "/my/apply/household/", "public", (302,)),
    Url("portal:apply_money", "GET", "/my/apply/money/", "public", (302,)),
    Url("portal:apply_review", "GET", "/my/apply/review/", "public", (302,)),
    Url("portal:apply_review", "POST", "/my/apply/review/", "public", (302,)),
    Url("portal:apply_done", "GET", "/my/apply/done/", "public", (302,)),
]


@dataclasses.dataclass
class Scene:
    world: World
    ids: dict[str, Any]


def _decision(world: World, case: Any) -> Decision:
    """A final decision on the case (rows only: this matrix is about who reaches the pages)."""
    staff = world.staff["caseworker"]
    determination = Determination.objects.create(
        benefit_unit=case,
        benefit_month=dt.date(2026, 2, 1),
        result=DeterminationResult.ELIGIBLE,
        rules_version="matrix",
        determined_by=staff,
    )
    return Decision.objects.create(
        benefit_unit=case,
        determination=determination,
        outcome=DecisionOutcome.GRANT,
        status=DecisionStatus.FINAL,
        effective_on=dt.date(2026, 2, 1),
        decided_by=staff,
    )


@pytest.fixture
def scene(world: World) -> Scene:
    letter = notice_store(
        acting_user=world.staff["caseworker"],
        benefit_unit=world.case,
        person=world.account.person,
        title="Notice of decision",
        pdf=b"%PDF-1.4\n%%EOF\n",
        language="en",
    )
    receipt = portal_report_nothing_changed(acting_user=world.account.user, account=world.account)
    decision = _decision(world, world.case)
    item = make_checklist(world.case).verifications.first()
    review = internal_review_request_from_client(
        person=world.account.person, decision=_decision(world, world.case), reason="Rent missed"
    )
    # Another case's own report: the other client's receipt page is theirs, not the owner's.
    return Scene(
        world=world,
        ids={
            "document_id": letter.pk,
            "receipt_id": receipt.pk,
            "decision_id": decision.pk,
            "review_id": review.pk,
            "item_id": item.pk,
            # A month the owner was paid and the other partner's client was not.
            "year": 2026,
            "month": 1,
        },
    )


def _path(url: Url, scene: Scene) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(scene.ids[m.group(1)]), url.path)


def _call(client: Client, url: Url, scene: Scene) -> Any:
    path = _path(url, scene)
    if url.method == "GET":
        return client.get(path)
    return client.post(path, url.body(scene.world) if url.body else {})


@pytest.mark.parametrize("url", URLS, ids=lambda u: f"{u.method} {u.path}")
def test_the_owner_reaches_every_portal_url(scene: Scene, url: Url) -> None:
    client = portal_login(Client(), scene.world.account.user)
    response = _call(client, url, scene)
    assert response.status_code in url.ok, response.content[:300]


@pytest.mark.parametrize("url", [u for u in URLS if u.kind != "public"], ids=lambda u: u.path)
@pytest.mark.parametrize("who", ["other_account", "far_account"])
def test_another_client_gets_404_or_only_their_own_case(scene: Scene, url: Url, who: str) -> None:
    world = scene.world
    other = getattr(world, who)
    client = portal_login(Client(), other.user)
    receipts_before = set(ReportReceipt.objects.values_list("pk", flat=True))
    reports_before = IncomeReport.objects.filter(benefit_unit=world.case).count()
    response = _call(client, url, scene)
    if url.kind == "record" and not (url.name == "portal:statement" and who == "other_account"):
        assert response.status_code == 404
        return
    assert response.status_code != 404 or url.name == "portal:statement"
    content = response.content
    assert world.case.case_number.encode() not in content
    assert b"Amira" not in content
    assert b"Haddad" not in content
    # Nothing was written to the owner's case.
    new = ReportReceipt.objects.exclude(pk__in=receipts_before)
    assert not new.filter(benefit_unit=world.case).exists()
    assert IncomeReport.objects.filter(benefit_unit=world.case).count() == reports_before


@pytest.mark.parametrize("url", [u for u in URLS if u.kind != "public"], ids=lambda u: u.path)
@pytest.mark.parametrize("who", ["staff", "anonymous"])
def test_staff_and_anonymous_reach_no_portal_page(scene: Scene, url: Url, who: str) -> None:
    client = Client()
    if who == "staff":
        client.force_login(scene.world.staff["caseworker"])
    response = _call(client, url, scene)
    assert response.status_code == 302
    assert response["Location"].startswith("/my/login/")


def _portal_routes() -> set[str]:
    found: set[str] = set()

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(
                    pattern.url_patterns,
                    prefix + str(pattern.pattern),
                    pattern.namespace or namespace,
                )
            elif isinstance(pattern, URLPattern) and namespace == "portal":
                route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", prefix + str(pattern.pattern))
                found.add("/" + route)

    walk(get_resolver().url_patterns, "", "")
    return found


def test_every_portal_url_is_in_the_matrix() -> None:
    assert _portal_routes() == {u.path for u in URLS}


@pytest.mark.parametrize(
    "url", [u for u in URLS if u.name.startswith("portal:apply")], ids=lambda u: u.path
)
@pytest.mark.parametrize("who", ["account", "other_account", "staff", "anonymous"])
def test_the_online_application_shows_no_case_to_anyone(scene: Scene, url: Url, who: str) -> None:
    """Open to anyone, and about nobody's case: a signed-in client, staff (anonymous here: the
    staff cookie is not sent to /my/) or a stranger sees the same screens, never a case."""
    world = scene.world
    client = Client()
    if who == "staff":
        client.force_login(world.staff["caseworker"])
    elif who != "anonymous":
        client = portal_login(client, getattr(world, who).user)
    response = _call(client, url, scene)
    assert response.status_code in url.ok
    if response.status_code == 302:
        assert response["Location"].startswith("/my/apply/")
    content = response.content
    assert world.case.case_number.encode() not in content
    assert b"Amira" not in content
    assert b"Haddad" not in content
