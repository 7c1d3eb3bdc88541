"""Template helpers for the staff UI: accessible form fields, error summaries, masked SINs."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.core.exceptions import NON_FIELD_ERRORS
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from caseworks.clients.page_names import page_label

register = template.Library()


@register.simple_tag
def field(bound_field: forms.BoundField, **options: Any) -> SafeString:
    """Render one field: label, hint, error (linked by aria-describedby) and the input."""
    widget = bound_field.field.widget
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}_helptext")
    if bound_field.errors:
        described_by.append(f"{bound_field.auto_id}_error")
    is_checkbox = isinstance(widget, forms.CheckboxInput)
    is_group = isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
    attrs: dict[str, Any] = {}
    for key, value in options.items():
        if key.startswith("attr_"):
            attrs[key[5:].replace("_", "-")] = value
    if described_by and not is_group:
        attrs["aria-describedby"] = " ".join(described_by)
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    return render_to_string(
        "includes/field.html",
        {
            "field": bound_field,
            "widget_html": bound_field.as_widget(attrs=attrs),
            "is_checkbox": is_checkbox,
            "is_group": is_group,
            "described_by": " ".join(described_by),
            "hide_label": options.get("hide_label", False),
            # A search box is never "required", so saying "optional" there is noise.
            "show_optional": not bound_field.field.required
            and not getattr(bound_field.field, "required_when", None)
            and getattr(widget, "input_type", "") != "search"
            and widget.attrs.get("type") != "search",
        },
    )


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*forms_to_check: Any) -> dict[str, Any]:
    """A summary of every error at the top of the page, each linking to its field.
    Takes forms, or lists of forms; anything else (an unsubmitted form, "") is skipped."""
    flat: list[Any] = []
    for item in forms_to_check:
        flat.extend(item if isinstance(item, list | tuple) else [item])
    items: list[dict[str, Any]] = []
    for form in flat:
        if not isinstance(form, forms.BaseForm) or not form.is_bound:
            continue
        for message in form.non_field_errors():
            items.append({"href": "", "message": message})
        for name, errors in form.errors.items():
            if name == NON_FIELD_ERRORS:
                continue
            bound = form[name]
            widget = bound.field.widget
            anchor = bound.auto_id
            if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                anchor = f"{bound.auto_id}_0"
            for message in errors:
                items.append({"href": f"#{anchor}", "message": message})
    return {"items": items}


@register.filter
def masked_sin(person: Any) -> str:
    """***-***-123: only the last three digits of a SIN are ever shown."""
    last3: str = getattr(person, "sin_last3", None) or ""
    return f"***-***-{last3}" if last3 else ""


@register.filter
def partner_name(partner: Any) -> str:
    """The delivery partner's name in the active language when a French name is recorded."""
    if partner is None:
        return ""
    if (get_language() or "en").startswith("fr") and getattr(partner, "name_fr", None):
        return str(partner.name_fr)
    return str(partner.name)


@register.simple_tag
def done_by(user: Any, channel_display: Any = "", channel: str = "") -> str:
    """Who did something: the person's name, with the channel when it was not a staff page
    ("Dana Provider (Provider API)"); the channel alone when no person did it (a scheduled
    job). Pages never say "Caseworks (staff)" where they can name the person."""
    name = ""
    if user is not None:
        name = user.get_full_name() or user.username
    if name and channel and channel != "web":
        return f"{name} ({channel_display})"
    return name or str(channel_display)


@register.filter
def page_name(view_name: str) -> str:
    """The access log's page, as people call it: "Case money" for `payments:case_money`."""
    return page_label(view_name)
