from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from caseworks.core.money import (
    display_cents,
    format_cents,
    format_money_input,
    parse_dollars_to_cents,
    parse_money,
)

NBSP = "\u00a0"
NNBSP = "\u202f"


@pytest.fixture(autouse=True)
def _english_unless_a_test_says_otherwise() -> Iterator[None]:
    """Messages are lazy: they render in the language active when read (a French request in an
    earlier test would otherwise leak into this one)."""
    with translation.override("en"):
        yield


# --- The machine format (JSON, API, CSV, the rules engine) ---------------------------------------


@pytest.mark.parametrize(
    ("text", "cents"),
    [("0", 0), ("123.45", 12345), ("1234.50", 123450), ("5", 500), ("-2.5", -250), (" 7.10 ", 710)],
)
def test_parse_dollars_to_cents_reads_machine_text(text: str, cents: int) -> None:
    assert parse_dollars_to_cents(text) == cents


@pytest.mark.parametrize(
    "text",
    [
        "1e30",
        "NaN",
        "Infinity",
        "abc",
        "",
        "1.234",
        "1e12",
        "1,234.50",  # no grouping in the machine format
        "12,50",  # nor a decimal comma
        "$5",
        " 1_000 ",
        "1 000",
        "+5",
        "5.",
        "٣",  # non-ASCII digits
    ],
)
def test_parse_dollars_to_cents_refuses_with_value_error(text: str) -> None:
    with pytest.raises(ValueError, match="must"):
        parse_dollars_to_cents(text)


def test_parse_dollars_to_cents_refuses_binary_floats() -> None:
    with pytest.raises(ValueError, match="float"):
        parse_dollars_to_cents(0.1)  # type: ignore[arg-type]


def test_parse_dollars_to_cents_takes_int_dollars_and_decimals() -> None:
    assert parse_dollars_to_cents(12) == 1200
    assert parse_dollars_to_cents(Decimal("12.30")) == 1230
    with pytest.raises(ValueError, match="must"):
        parse_dollars_to_cents(Decimal("NaN"))


@given(st.integers(min_value=-(10**13), max_value=10**13))
def test_format_then_parse_round_trips_every_cent(cents: int) -> None:
    assert parse_dollars_to_cents(format_cents(cents)) == cents
    assert Decimal(format_cents(cents)) * 100 == cents


# --- Display ------------------------------------------------------------------------------------


def test_display_cents_in_english_and_french() -> None:
    assert display_cents(123456) == "$1,234.56"
    assert display_cents(123456, "fr") == f"1{NBSP}234,56{NBSP}$"
    assert display_cents(-5) == "-$0.05"
    assert display_cents(45000, "fr-ca") == f"450,00{NBSP}$"


def test_format_money_input_has_no_dollar_sign() -> None:
    assert format_money_input(123456, "en") == "1,234.56"
    assert format_money_input(123456, "fr") == f"1{NBSP}234,56"
    assert format_money_input(5, "fr") == "0,05"


# --- What a person types: parse_money -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("1 234,56", 123456),
        (f"1{NBSP}234,56", 123456),
        (f"1{NNBSP}234,56", 123456),
        ("1 234,56 $", 123456),
        (f"1{NBSP}234,56{NBSP}$", 123456),
        ("12,50", 1250),
        ("1234,5", 123450),
        ("1234", 123400),
        ("450,00", 45000),
        ("850,00", 85000),
        ("450.00", 45000),  # a dot before exactly one or two digits is a decimal mark
        ("12.5", 1250),
        ("1 234.56", 123456),
        ("1 234 567,89", 123456789),
        ("$450", 45000),
        (" 0,5 ", 50),
        ("0", 0),
    ],
)
def test_parse_money_reads_french(text: str, cents: int) -> None:
    assert parse_money(text, "fr") == cents


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("1,234.56", 123456),
        ("$1,234.56", 123456),
        ("$ 1,234.56", 123456),
        ("12.50", 1250),
        ("1234", 123400),
        ("1234.5", 123450),
        ("1,234", 123400),
        ("1,234,567.89", 123456789),
        (".50", 50),
        ("450.00 $", 45000),
        ("0", 0),
    ],
)
def test_parse_money_reads_english(text: str, cents: int) -> None:
    assert parse_money(text, "en") == cents


@pytest.mark.parametrize(
    "text",
    [
        "12,34,5.00",  # misplaced groups
        " 1_000 ",  # underscores
        "1_000",
        "1.234,56",  # two decimal marks
        "1,234.56",  # English grouping on a French page: refused, not guessed
        "1.234",  # ambiguous: a European thousands dot, or three decimals
        "1,234",  # three decimals
        "12,345",
        "1 23,45",  # a short group
        "1  234,56",  # two spaces
        "12,",
        ",",
        "",
        "   ",
        "$",
        "1e3",
        "1E3",
        "NaN",
        "nan",
        "Infinity",
        "-Infinity",
        "inf",
        "douze",
        "12 $ 50",
        "$12$",
        "12,50 €",
        "٣٤",  # non-ASCII digits
        "1" * 41,
        "0x10",
    ],
)
def test_parse_money_refuses_in_french(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_money(text, "fr", field="Revenu")
    assert info.value.code == "invalid"


@pytest.mark.parametrize(
    "text",
    [
        "12,34,5.00",
        " 1_000 ",
        "1_000.00",
        "12,50",  # a comma never marks cents in English
        "450,00",
        "1 234.56",
        "1.234",
        "1.2.3",
        "1,234.567",
        "1,23",
        ",123",
        "1,,234",
        "1e3",
        "NaN",
        "Infinity",
        "12.",
        ".",
        "abc",
        "$$5",
        "(12.00)",
        "--5",
        "- $-5",
    ],
)
def test_parse_money_refuses_in_english(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_money(text, "en", field="Income", allow_negative=True)
    assert info.value.code == "invalid"


@pytest.mark.parametrize("value", [450.0, 0.1, Decimal("450"), 45000, None, b"450"])
def test_parse_money_refuses_anything_but_text(value: object) -> None:
    with pytest.raises(ValidationError):
        parse_money(value, "en")


def test_parse_money_refuses_negative_amounts_unless_allowed() -> None:
    for text, language in [("-12.50", "en"), ("-$12.50", "en"), ("-12,50 $", "fr")]:
        with pytest.raises(ValidationError) as info:
            parse_money(text, language, field="Amount")
        assert info.value.code == "negative"
    assert parse_money("-$12.50", "en", allow_negative=True) == -1250
    assert parse_money("$-12.50", "en", allow_negative=True) == -1250
    assert parse_money("\u221212,50 $", "fr", allow_negative=True) == -1250
    assert parse_money("-0", "en") == 0


def test_parse_money_refuses_a_trillion_dollars() -> None:
    assert parse_money("999,999,999,999.99", "en") == 99_999_999_999_999
    with pytest.raises(ValidationError) as info:
        parse_money("1,000,000,000,000", "en")
    assert info.value.code == "too_large"


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


def test_errors_name_the_field_and_give_an_example_in_the_users_language() -> None:
    with translation.override("en"), pytest.raises(ValidationError) as info:
        parse_money("12,34,5.00", "en", field="Monthly amount")
    assert _message(info.value) == "Monthly amount: enter an amount like 1,234.56."
    with translation.override("fr"), pytest.raises(ValidationError) as info:
        parse_money("1,234.56", "fr", field="Montant mensuel")
    with translation.override("fr"):
        message = _message(info.value)
    assert message == f"Montant mensuel : entrez un montant sous la forme 1{NBSP}234,56."
    with translation.override("en"), pytest.raises(ValidationError) as info:
        parse_money("-5", "en", field="Rent")
    assert _message(info.value) == "Rent: the amount cannot be negative."


# --- The regressions of issue 10, item 5 ---------------------------------------------------------


def test_regression_french_decimal_comma_is_not_multiplied_by_100() -> None:
    assert parse_money("450,00", "fr") == 45_000  # not 4 500 000 (45 000,00 $)
    assert parse_money("850,00", "fr") == 85_000  # pre-screen rent, not $85,000.00


def test_regression_misplaced_groups_are_refused() -> None:
    for language in ("en", "fr"):
        with pytest.raises(ValidationError):
            parse_money("12,34,5.00", language)
    with pytest.raises(ValueError, match="must"):
        parse_dollars_to_cents("12,34,5.00")


def test_regression_underscores_are_refused() -> None:
    for language in ("en", "fr"):
        with pytest.raises(ValidationError):
            parse_money(" 1_000 ", language)
    with pytest.raises(ValueError, match="must"):
        parse_dollars_to_cents(" 1_000 ")


# --- Properties ---------------------------------------------------------------------------------

CENTS = st.integers(min_value=0, max_value=10**11)


@given(CENTS, st.sampled_from(["en", "fr"]))
def test_display_then_parse_round_trips_in_both_languages(cents: int, language: str) -> None:
    assert parse_money(display_cents(cents, language), language) == cents
    assert parse_money(format_money_input(cents, language), language) == cents


@given(CENTS)
def test_negative_amounts_round_trip_when_allowed(cents: int) -> None:
    for language in ("en", "fr"):
        text = display_cents(-cents, language)
        assert parse_money(text, language, allow_negative=True) == -cents


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=99))
def test_a_french_decimal_comma_never_scales_by_100(dollars: int, part: int) -> None:
    text = f"{dollars},{part:02d}"
    assert parse_money(text, "fr") == dollars * 100 + part
    grouped = f"{dollars:,}".replace(",", " ") + f",{part:02d}"
    assert parse_money(grouped, "fr") == dollars * 100 + part


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=99))
def test_plain_dot_amounts_mean_the_same_in_both_languages(dollars: int, part: int) -> None:
    text = f"{dollars}.{part:02d}"
    assert parse_money(text, "en") == parse_money(text, "fr") == dollars * 100 + part


@given(st.text(max_size=20))
def test_parse_money_either_reads_text_or_refuses_with_validation_error(text: str) -> None:
    for language in ("en", "fr"):
        try:
            cents = parse_money(text, language, allow_negative=True)
        except ValidationError:
            continue
        assert isinstance(cents, int)
        assert abs(cents) < 10**14
