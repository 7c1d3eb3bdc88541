"""`{% load idempotency %}{% idempotency_field %}`: the hidden key of a money form, new each time
the form is rendered (see `caseworks.core.idempotency`)."""

from __future__ import annotations

import uuid

from django import template
from django.utils.html import format_html

from caseworks.core.idempotency import FORM_FIELD

register = template.Library()


@register.simple_tag
def idempotency_field() -> str:
    return format_html('<input type="hidden" name="{}" value="{}">', FORM_FIELD, uuid.uuid4())
