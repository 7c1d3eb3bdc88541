"""Letters to post: the office's notices not yet printed, chosen with select-all and printed
together as one PDF (each marked posted, by whom and when)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from caseworks.accounts.forms import add_application_error
from caseworks.accounts.views import StaffRequest, staff_view
from caseworks.clients.services import client_file_accesses_record
from caseworks.core.errors import ApplicationError

from .forms import LettersPrintForm
from .selectors import letters_to_mail_for_user
from .services import letters_print_for_mail


@staff_view
@require_http_methods(["GET", "POST"])
def letters_to_mail(request: StaffRequest) -> HttpResponseBase:
    user = request.user
    form = LettersPrintForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = letters_print_for_mail(
                acting_user=user, document_ids=form.cleaned_data["letters"]
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            # Shown on the next page: this answer is the PDF itself.
            messages.success(
                request,
                _("%(n)d letter(s) printed and marked posted.") % {"n": batch.first_printings},
            )
            response = HttpResponse(batch.pdf, content_type="application/pdf")
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
            response["Content-Disposition"] = f'attachment; filename="letters-{stamp}.pdf"'
            response["X-Content-Type-Options"] = "nosniff"
            response["Cache-Control"] = "no-store, private"
            return response
    letters, total = letters_to_mail_for_user(user=user)
    client_file_accesses_record(
        user=user,
        person_ids=[letter.person_id for letter in letters if letter.person_id],
        view_name="documents:letters",
        benefit_unit_ids={
            letter.person_id: letter.benefit_unit_id
            for letter in letters
            if letter.person_id and letter.benefit_unit_id
        },
    )
    return render(
        request,
        "documents/letters.html",
        {
            "letters": letters,
            "total": total,
            "form": form,
            "submitted_forms": [form],
            "selected": {int(v) for v in request.POST.getlist("letters") if v.isdigit()},
        },
        status=422 if form.is_bound and form.errors else 200,
    )
