"""Property-based API test: schemathesis generates requests from the OpenAPI schema and sends
them in-process (WSGI) as a caseworker (the provider API as a provider login) with real records
present. No answer may be a 5xx.

Runs on PostgreSQL inside pytest-django. It needs committed data (`transaction=True`): every
request goes through Django's full WSGI handler, which closes the connection at the end of the
request, so the records cannot live in a test transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.serializers.json import DjangoJSONEncoder
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error

from caseworks.accounts.constants import Role
from caseworks.accounts.services import api_token_create
from caseworks.accounts.tests.factories import UserFactory
from caseworks.cases.constants import MemberRole
from caseworks.cases.services import (
    benefit_unit_create,
    benefit_unit_member_add,
    case_note_create,
    task_create,
)
from caseworks.clients.tests.factories import PersonFactory
from caseworks.employment.services import referral_send
from caseworks.employment.tests.factories import ServiceProviderFactory, make_provider_user
from caseworks.partners.tests.factories import DeliveryPartnerFactory
from config.api import api

# Per operation: this many requests with the ids of real records in the path, and this many
# with generated ids. Keeps the whole test well under a minute.
EXAMPLES_WITH_REAL_IDS = 10
EXAMPLES_WITH_GENERATED_IDS = 4


def _records() -> dict[str, Any]:
    partner = DeliveryPartnerFactory(code="fuzz-a", name="Fuzz Partner A")
    DeliveryPartnerFactory(code="fuzz-b", name="Fuzz Partner B")
    worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    applicant = PersonFactory(delivery_partner=partner, sin="046454286", sin_last3="286")
    case = benefit_unit_create(acting_user=worker, applicant=applicant, caseworker=worker)
    child = PersonFactory(delivery_partner=partner, date_of_birth=dt.date(2019, 2, 2))
    member = benefit_unit_member_add(
        acting_user=worker,
        benefit_unit=case,
        person=child,
        role=MemberRole.DEPENDANT_CHILD,
        start_on=case.opened_on,
    )
    case_note_create(acting_user=worker, benefit_unit=case, body="Synthetic note for fuzzing")
    task = task_create(acting_user=worker, title="Synthetic task", due_on=case.opened_on)
    token, raw = api_token_create(acting_user=worker, user=worker, name="schemathesis")
    # An employment services provider login, for the provider API, with a referral to answer.
    provider = ServiceProviderFactory(name="Fuzz Agency", delivery_partner=partner)
    agency = make_provider_user(provider=provider, partner=partner)
    _, agency_raw = api_token_create(acting_user=agency, user=agency, name="schemathesis")
    referral = referral_send(
        acting_user=worker,
        benefit_unit=case,
        person=applicant,
        provider=provider,
        purpose="Employment services",
        consent_given=True,
        information_shared=["contact"],
    )
    return {
        "raw_token": raw,
        "provider_raw_token": agency_raw,
        "ids": {
            "referral_id": referral.pk,
            "person_id": applicant.pk,
            "benefit_unit_id": case.pk,
            "member_id": member.pk,
            "task_id": task.pk,
            "token_id": token.pk,
        },
    }


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_api_never_answers_with_a_server_error_to_generated_requests() -> None:
    records = _records()
    staff = {"Authorization": f"Bearer {records['raw_token']}"}
    provider = {"Authorization": f"Bearer {records['provider_raw_token']}"}
    # The schema is served to signed-in users only: read it in-process, send requests over WSGI.
    document = json.loads(json.dumps(api.get_openapi_schema(), cls=DjangoJSONEncoder))
    schema = schemathesis.openapi.from_dict(document)
    schema.app = WSGIHandler()
    schema.location = "/api/openapi.json"
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15, "the API lost operations?"

    for operation in operations:
        headers = provider if operation.path.startswith("/api/provider/") else staff
        names = {p.name for p in operation.path_parameters}
        real_ids = {k: v for k, v in records["ids"].items() if k in names}
        runs = [(real_ids, EXAMPLES_WITH_REAL_IDS)]
        if names:
            runs.append(({}, EXAMPLES_WITH_GENERATED_IDS))
        for path_parameters, examples in runs:
            _fuzz(operation, path_parameters, examples, headers)


def _fuzz(
    operation: Any, path_parameters: dict[str, int], examples: int, headers: dict[str, str]
) -> None:
    @given(case=operation.as_strategy(path_parameters=path_parameters or None))
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def call(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=[not_a_server_error])

    call()
