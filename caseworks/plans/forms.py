"""Input checks for participation agreement pages. The services apply the rules."""

from __future__ import annotations

import base64
import binascii
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caseworks.accounts.forms import StaffForm
from caseworks.clients.forms import DateInput

from .constants import DeferralReason, GoalCategory, ResponsibleParty, SignatureMethod


def _today() -> Any:
    return timezone.localdate()


class AgreementCreateForm(StaffForm):
    person = forms.TypedChoiceField(label=_("Participant"), coerce=int)
    start_on = forms.DateField(label=_("Start date"), initial=_today, widget=DateInput())

    def __init__(self, *args: Any, adults: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["person"]).choices = [
            (p.pk, p.full_name) for p in adults
        ]


class GoalForm(StaffForm):
    category = forms.ChoiceField(label=_("Kind of goal"), choices=GoalCategory.choices)
    description = forms.CharField(
        label=_("Goal"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    target_on = forms.DateField(label=_("Target date"), required=False, widget=DateInput())


class ActivityForm(StaffForm):
    goal = forms.TypedChoiceField(label=_("For goal"), coerce=int, required=False, empty_value=None)
    description = forms.CharField(
        label=_("Activity"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    start_on = forms.DateField(label=_("Start date"), initial=_today, widget=DateInput())
    end_on = forms.DateField(label=_("End date"), required=False, widget=DateInput())
    responsible_party = forms.ChoiceField(
        label=_("Responsible party"), choices=ResponsibleParty.choices
    )
    responsible_detail = forms.CharField(
        label=_("Responsible (name)"), max_length=200, required=False
    )

    def __init__(self, *args: Any, goals: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["goal"]).choices = [
            ("", _("No particular goal")),
            *[(g.pk, g.description[:80]) for g in goals],
        ]


class SignForm(StaffForm):
    """On paper (the date it was signed) or on screen (now: typed name and consent, and
    optionally a drawing). A post without `method` (older pages, scripts) is on paper."""

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        if data is not None and not data.get(f"{kwargs.get('prefix', '')}-method"):
            data = data.copy()
            data[f"{kwargs.get('prefix', '')}-method"] = SignatureMethod.PAPER
        super().__init__(data, *args, **kwargs)

    method = forms.ChoiceField(
        label=_("How the participant signs"),
        choices=SignatureMethod.choices,
        initial=SignatureMethod.PAPER,
        widget=forms.RadioSelect,
    )
    signed_on = forms.DateField(
        label=_("Signed on paper on"),
        initial=_today,
        widget=DateInput(),
        help_text=_("On paper only: the date written beside the signature."),
        error_messages={"required": _("Signed on paper on: give the date of the signature.")},
    )
    signed_by = forms.CharField(
        label=_("Name of the person who signs"),
        max_length=200,
        help_text=_(
            "The participant or their trustee. On screen, the participant types their name here."
        ),
    )
    confirmed = forms.BooleanField(
        label=_("On screen: the participant has read the agreement and agrees to it"),
        required=False,
    )
    signature = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("method") == SignatureMethod.SCREEN:
            # Signed now: the paper date does not apply (nor any error about it).
            self.errors.pop("signed_on", None)
            data["signed_on"] = timezone.localdate()
        drawn = (data.get("signature") or "").strip()
        data["signature_png"] = None
        if drawn:
            prefix = "data:image/png;base64,"
            try:
                if not drawn.startswith(prefix):
                    raise ValueError
                data["signature_png"] = base64.b64decode(drawn[len(prefix) :], validate=True)
            except (ValueError, binascii.Error):
                self.add_error(
                    None, _("Signature: the drawing could not be read. Clear it and sign again.")
                )
        return data


class ReviewForm(StaffForm):
    reviewed_on = forms.DateField(label=_("Reviewed on"), initial=_today, widget=DateInput())
    notes = forms.CharField(
        label=_("Review summary"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DeferralForm(StaffForm):
    reason = forms.ChoiceField(label=_("Reason for deferral"), choices=DeferralReason.choices)
    start_on = forms.DateField(label=_("From"), initial=_today, widget=DateInput())
    end_on = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    details = forms.CharField(
        label=_("Details"),
        max_length=2000,
        required=False,
        help_text=_("Required for other exceptional circumstances."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
