"""The staff side of the portal: the caseworker's button that gives a client an activation
code (issue 17). Staff pages: staff sign-in, partner scoping, the access log."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from caseworks.accounts.constants import Capability
from caseworks.accounts.views import StaffRequest, staff_view
from caseworks.cases.selectors import benefit_unit_get_for_user
from caseworks.clients.services import client_file_access_record
from caseworks.core.access import require_capability
from caseworks.core.errors import ApplicationError

from .models import PortalAccount
from .services import activation_code_issue, reporting_members


@staff_view
@require_http_methods(["GET", "POST"])
def portal_access(request: StaffRequest, benefit_unit_id: int) -> HttpResponse:
    """Which adults of the case have an online account; a new activation code for one."""
    require_capability(request.user, Capability.CASE_EDIT)
    case = benefit_unit_get_for_user(user=request.user, benefit_unit_id=benefit_unit_id)
    members = reporting_members(case)
    for member in members:
        client_file_access_record(
            user=request.user,
            person=member.person,
            view_name="portal:staff_access",
            benefit_unit_id=case.pk,
        )
    with_account = set(
        PortalAccount.objects.filter(benefit_unit=case).values_list("person_id", flat=True)
    )
    context: dict[str, Any] = {"case": case, "members": members, "with_account": with_account}
    if request.method == "POST":
        person = next(
            (m.person for m in members if str(m.person_id) == request.POST.get("person")), None
        )
        if person is None:
            context["error"] = ApplicationError("", field="person")
        else:
            try:
                row, code = activation_code_issue(
                    acting_user=request.user, benefit_unit=case, person=person
                )
            except ApplicationError as exc:
                context["error"] = exc
            else:
                context.update({"code": code, "code_person": person, "code_row": row})
    return render(request, "portal/staff_access.html", context)
