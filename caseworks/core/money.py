"""Money helpers: amounts are integer cents in the database; Decimal only for display and I/O.

Two kinds of text carry amounts, and each has exactly one parser:

* **Machine format** (JSON, the API, CSV files, the rules engine's output):
  :func:`parse_dollars_to_cents` reads ``"1234.50"`` — an optional ``-``, ASCII digits, and
  optionally a dot followed by one or two digits. No grouping, no currency sign, no comma, no
  underscore, no exponent. :func:`format_cents` writes it.

* **What a person types in a form**: :func:`parse_money` reads the conventions of the page's
  language and refuses anything it cannot read in exactly one way:

  - English: ``1234``, ``1234.5``, ``1,234.56``, ``$1,234.56``, ``.50``. The comma only groups
    thousands (groups of exactly three digits); the dot is the only decimal mark, so a comma
    before cents (``12,50``) is refused rather than guessed.
  - French: ``1234``, ``12,50``, ``1234,5``, ``1 234,56``, ``1 234,56 $``. Thousands are grouped
    with a space, a no-break space (U+00A0), a narrow no-break space (U+202F) or a thin space
    (U+2009); the comma is the decimal mark. A dot is also read as the decimal mark (French
    keyboards' numeric keypads type one) but only when one or two digits follow it — ``450.00``
    and ``12.5`` are unambiguous, whereas ``1.234`` (a European thousands dot, or three decimals)
    is refused.
  - Both: one ``$`` before or after the number, a leading minus sign only where the caller allows
    negative amounts, surrounding whitespace ignored. Refused: misplaced groups (``12,34,5.00``),
    underscores (``1_000``), two decimal marks (``1.234,56`` / ``1,234.56`` in French), more
    than two decimals, letters, exponents, ``NaN``/``Infinity``, non-ASCII digits, amounts of a
    trillion dollars or more, and anything that is not a ``str`` (a ``float`` above all).

  The refusal is a ``ValidationError`` naming the field and showing an example in the user's
  language ("Enter an amount like 1,234.56" / "… comme 1 234,56").

Display: :func:`display_cents` gives ``$1,234.50`` / ``1 234,50 $`` (no-break spaces, the
Canadian French style); :func:`format_money_input` gives the same without the dollar sign, for
the value shown in a form's text box. Templates show amounts through the ``money`` filter
(``caseworks/core/templatetags/money.py``), which uses the active language. CSV and XLSX exports
(reports, survey results, cheque lists) are data for spreadsheets and other systems: they always
use the machine format, whatever the page's language.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")
# No amount in this system reaches a trillion dollars; anything that large is a typing error
# (and "1e30" would overflow the decimal context when rounded to cents).
MAX_AMOUNT = Decimal("1000000000000")
MAX_CENTS = int(MAX_AMOUNT * 100)
# Longer text than this is not an amount (and is never handed to the regular expressions).
MAX_TEXT_LENGTH = 40

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"
THIN_SPACE = "\u2009"

_MACHINE = re.compile(r"-?[0-9]+(?:\.[0-9]{1,2})?", re.ASCII)
_ENGLISH = re.compile(
    r"(?P<whole>[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)?(?:\.(?P<part>[0-9]{1,2}))?", re.ASCII
)
_FRENCH = re.compile(
    r"(?P<whole>[0-9]+|[0-9]{1,3}(?:[ \u00a0\u202f\u2009][0-9]{3})+)?"
    r"(?:[,.](?P<part>[0-9]{1,2}))?"
)
_MINUS_SIGNS = ("-", "\u2212")  # hyphen-minus and the true minus sign
_EXAMPLES = {"en": "1,234.56", "fr": f"1{NBSP}234,56"}


def _is_french(language: str | None) -> bool:
    return (language or "en").lower().startswith("fr")


def cents_to_decimal(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


def format_cents(cents: int) -> str:
    """'1234.50' — the machine format used in JSON and CSV."""
    return str(cents_to_decimal(cents))


def format_money_input(cents: int, language: str | None = "en") -> str:
    """The value shown in a form's amount box: '1,234.50' / '1 234,50' (no dollar sign).
    :func:`parse_money` reads it back to the same cents."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    if _is_french(language):
        return f"{sign}{whole:,}".replace(",", NBSP) + f",{part:02d}"
    return f"{sign}{whole:,}.{part:02d}"


def display_cents(cents: int, language: str | None = "en") -> str:
    """'$1,234.50' in English, '1 234,50 $' in French (Canadian conventions)."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    if _is_french(language):
        grouped = f"{whole:,}".replace(",", NBSP)
        return f"{sign}{grouped},{part:02d}{NBSP}$"
    return f"{sign}${whole:,}.{part:02d}"


def money_example(language: str | None) -> str:
    """The example amount shown in error messages and hints: '1,234.56' / '1 234,56'."""
    return _EXAMPLES["fr" if _is_french(language) else "en"]


def _refuse(code: str, field: Any, language: str | None) -> ValidationError:
    params = {"field": field, "example": money_example(language)}
    if code == "negative":
        message = (
            _("%(field)s: the amount cannot be negative.")
            if field
            else _("The amount cannot be negative.")
        )
    elif code == "too_large":
        message = (
            _("%(field)s: the amount is too large; check it.")
            if field
            else _("The amount is too large; check it.")
        )
    else:
        message = (
            _("%(field)s: enter an amount like %(example)s.")
            if field
            else _("Enter an amount like %(example)s.")
        )
    return ValidationError(message, code=code, params=params)


def parse_money(
    text: Any,
    language: str | None,
    *,
    field: Any = None,
    allow_negative: bool = False,
) -> int:
    """An amount typed by a person, in the conventions of `language`, as integer cents.

    `field` is the field's label, named in the error message. Raises ``ValidationError`` with
    code ``invalid``, ``negative`` or ``too_large``; see the module docstring for the grammar.
    """
    if not isinstance(text, str) or len(text) > MAX_TEXT_LENGTH:
        raise _refuse("invalid", field, language)
    rest = text.strip()
    negative = False
    if rest[:1] in _MINUS_SIGNS:
        negative, rest = True, rest[1:].lstrip()
    if rest.startswith("$"):
        rest = rest[1:].lstrip()
    elif rest.endswith("$"):
        rest = rest[:-1].rstrip()
    if not negative and rest[:1] in _MINUS_SIGNS:  # "$-12.50"
        negative, rest = True, rest[1:]
    match = (_FRENCH if _is_french(language) else _ENGLISH).fullmatch(rest)
    if match is None or not (match["whole"] or match["part"]):
        raise _refuse("invalid", field, language)
    whole = int(re.sub(r"[^0-9]", "", match["whole"] or "") or "0")
    cents = whole * 100 + int((match["part"] or "0").ljust(2, "0"))
    if cents >= MAX_CENTS:
        raise _refuse("too_large", field, language)
    if negative and cents and not allow_negative:
        raise _refuse("negative", field, language)
    return -cents if negative else cents


def parse_dollars_to_cents(value: str | int | Decimal) -> int:
    """The machine format, '123.45' or '-5' (at most two decimals), into 12345 / -500.

    For JSON, the API, CSV and the rules engine; never for what a person typed in a form (use
    :func:`parse_money`). Strict: no grouping commas, underscores, spaces inside, dollar signs or
    exponents. Surrounding whitespace is ignored. Raises ValueError with a clear message.
    """
    if isinstance(value, float):
        raise ValueError("amounts must be given as text or Decimal, not a binary float")
    if isinstance(value, bool):
        raise ValueError("must be an amount in dollars, like 123.45")
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        amount = value
    else:
        text = str(value).strip()
        if len(text) > MAX_TEXT_LENGTH or not _MACHINE.fullmatch(text):
            if re.fullmatch(r"-?[0-9]+\.[0-9]{3,}", text, re.ASCII):
                raise ValueError("must have at most two decimals")
            raise ValueError("must be an amount in dollars, like 123.45")
        amount = Decimal(text)
    try:
        if not amount.is_finite() or abs(amount) >= MAX_AMOUNT:
            raise ValueError("must be an amount in dollars, like 123.45")
        if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
            raise ValueError("must have at most two decimals")
    except InvalidOperation as exc:
        raise ValueError("must be an amount in dollars, like 123.45") from exc
    return int(amount * 100)
