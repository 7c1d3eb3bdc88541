"""The task queue (one's own, or the team's for supervisors) with bulk actions: mark done, or
hand to a colleague (who gets a notice on their home page); and reading those notices."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caseworks.accounts.forms import add_application_error
from caseworks.accounts.views import StaffRequest, staff_view
from caseworks.cases.services import task_bulk_assign, task_bulk_complete, task_notices_dismiss
from caseworks.core.errors import ApplicationError

from .forms import TaskBulkForm
from .selectors_waiting import task_assignees_for_user, task_queue_for_user


def _queue_url(scope: str, due: str) -> str:
    params = "&".join(f"{k}={v}" for k, v in (("scope", scope), ("due", due)) if v)
    url = reverse("caseload:tasks")
    return f"{url}?{params}" if params else url


@staff_view
def tasks(request: StaffRequest) -> HttpResponseBase:
    """Open tasks with select-all and bulk actions."""
    user = request.user
    source = request.POST if request.method == "POST" else request.GET
    queue = task_queue_for_user(
        user=user, scope=source.get("scope", "mine"), due=source.get("due", "")
    )
    colleagues = task_assignees_for_user(user=user)
    kwargs: dict[str, Any] = {
        "task_choices": [(t.pk, t.title) for t in queue.tasks],
        "colleagues": colleagues,
    }
    form = TaskBulkForm(**kwargs)
    if request.method == "POST":
        form = TaskBulkForm(request.POST, **kwargs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["action"] == "assign":
                    target = next(c for c in colleagues if c.pk == data["assigned_to"])
                    done = task_bulk_assign(
                        acting_user=user, task_ids=data["tasks"], assigned_to=target
                    )
                    messages.success(
                        request,
                        _("%(n)d task(s) assigned to %(name)s.")
                        % {"n": len(done), "name": target.get_full_name() or target.username},
                    )
                else:
                    done = task_bulk_complete(acting_user=user, task_ids=data["tasks"])
                    messages.success(request, _("%(n)d task(s) marked done.") % {"n": len(done)})
            except ApplicationError as exc:
                add_application_error(form, exc)
            else:
                return redirect(_queue_url(queue.scope, queue.due))
    return render(
        request,
        "caseload/tasks.html",
        {
            "queue": queue,
            "form": form,
            "today": timezone.localdate(),
            "submitted_forms": [form],
            # A refused submission keeps the ticks.
            "selected": {int(v) for v in request.POST.getlist("tasks") if v.isdigit()},
            "scope_urls": {
                "mine": _queue_url("mine", queue.due),
                "team": _queue_url("team", queue.due),
                "all_due": _queue_url(queue.scope, ""),
                "overdue": _queue_url(queue.scope, "overdue"),
            },
        },
        status=422 if form.is_bound and form.errors else 200,
    )


@staff_view
@require_POST
def task_notices_seen(request: StaffRequest) -> HttpResponse:
    """The user has read the notices of tasks colleagues handed to them."""
    ids = [int(v) for v in request.POST.getlist("tasks") if v.isdigit()]
    count = task_notices_dismiss(acting_user=request.user, task_ids=ids)
    if count:
        messages.success(request, _("Marked as read."))
    return redirect("home")
