from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseworks.core.money import display_cents, format_cents, parse_dollars_to_cents


@pytest.mark.parametrize(
    ("text", "cents"),
    [("0", 0), ("123.45", 12345), ("1,234.50", 123450), ("$5", 500), ("-2.5", -250)],
)
def test_parse_dollars_to_cents_reads_dollar_text(text: str, cents: int) -> None:
    assert parse_dollars_to_cents(text) == cents


@pytest.mark.parametrize("text", ["1e30", "NaN", "Infinity", "abc", "", "1.234", "1e12"])
def test_parse_dollars_to_cents_refuses_with_value_error(text: str) -> None:
    with pytest.raises(ValueError, match="must"):
        parse_dollars_to_cents(text)


def test_parse_dollars_to_cents_refuses_binary_floats() -> None:
    with pytest.raises(ValueError, match="float"):
        parse_dollars_to_cents(0.1)  # type: ignore[arg-type]


@given(st.integers(min_value=-(10**13), max_value=10**13))
def test_format_then_parse_round_trips_every_cent(cents: int) -> None:
    assert parse_dollars_to_cents(format_cents(cents)) == cents
    assert Decimal(format_cents(cents)) * 100 == cents


def test_display_cents_in_english_and_french() -> None:
    assert display_cents(123456) == "$1,234.56"
    assert display_cents(123456, "fr") == "1\u00a0234,56\u00a0$"
    assert display_cents(-5) == "-$0.05"
