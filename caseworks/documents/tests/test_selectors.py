"""Document reads: partner-scoped and needing DOCUMENT_VIEW."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from caseworks.accounts.constants import Role
from caseworks.cases.tests.factories import make_case
from caseworks.core.errors import PermissionDeniedError
from caseworks.documents.selectors import document_get_for_user, document_list_for_case
from caseworks.documents.services import document_upload

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def test_document_get_for_user_scopes_to_partner_and_capability(
    partner: Any, caseworker: Any, other_caseworker: Any, users: dict[str, Any]
) -> None:
    case = make_case(partner=partner, caseworker=caseworker)
    document = document_upload(
        acting_user=caseworker, benefit_unit=case, title="ID", filename="id.pdf", content=PDF
    )
    assert document_get_for_user(user=users[Role.AUDITOR], document_id=document.pk) == document
    with pytest.raises(Http404):
        document_get_for_user(user=other_caseworker, document_id=document.pk)
    with pytest.raises(PermissionDeniedError):
        document_get_for_user(user=users[Role.PARTNER_ADMIN], document_id=document.pk)
    listed = document_list_for_case(user=caseworker, benefit_unit=case)
    assert [d.pk for d in listed] == [document.pk]
