"""The one template filter for amounts, and a check that every template uses it."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

NBSP = "\u00a0"
CASEWORKS = Path(__file__).resolve().parents[2]


def _render(source: str, **context: object) -> str:
    return Template("{% load money_ui %}" + source).render(Context(context))


def test_money_filter_uses_the_active_language() -> None:
    with translation.override("en"):
        assert _render("{{ x|money }}", x=123_456) == "$1,234.56"
    with translation.override("fr"):
        assert _render("{{ x|money }}", x=123_456) == f"1{NBSP}234,56{NBSP}$"


def test_money_filter_shows_empty_values_and_rounds_decimal_cents() -> None:
    with translation.override("en"):
        assert _render("{{ x|money }}", x=None) == "—"
        assert _render('{{ x|money:"" }}', x=None) == ""
        assert _render('{{ x|money:"<10" }}', x=None) == "&lt;10"
        assert _render("{{ x|money }}", x=Decimal("1234.5")) == "$12.35"  # a mean, half up
        assert _render("{{ x|money }}", x=-500) == "-$5.00"


def test_money_filter_refuses_a_float() -> None:
    with pytest.raises(TypeError, match="float"):
        _render("{{ x|money }}", x=12.5)


TEMPLATES = [p for p in CASEWORKS.rglob("*.html") if "node_modules" not in p.parts]


def test_no_template_uses_the_old_money_filters_or_shows_raw_cents() -> None:
    """Amounts are shown with `|money` only (letters get text already formatted in their own
    language by `display_cents`)."""
    raw_cents = re.compile(r"\{\{\s*[\w.]+_cents\s*\}\}")
    old = re.compile(r"\|(dollars|cents)\b|floatformat[^|}]*\|[^}]*money")
    offenders = [
        f"{path.relative_to(CASEWORKS)}: {match.group(0)}"
        for path in TEMPLATES
        for pattern in (raw_cents, old)
        for match in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert TEMPLATES
    assert offenders == []
