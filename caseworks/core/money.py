"""Money helpers: amounts are integer cents in the database; Decimal only for display and I/O."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
# No amount in this system reaches a trillion dollars; anything that large is a typing error
# (and "1e30" would overflow the decimal context when rounded to cents).
MAX_AMOUNT = Decimal("1000000000000")


def cents_to_decimal(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


def format_cents(cents: int) -> str:
    """'1234.50' — the machine format used in JSON and CSV."""
    return str(cents_to_decimal(cents))


def display_cents(cents: int, language: str = "en") -> str:
    """'$1,234.50' in English, '1 234,50 $' in French (Canadian conventions)."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    if language.startswith("fr"):
        grouped = f"{whole:,}".replace(",", "\u00a0")
        return f"{sign}{grouped},{part:02d}\u00a0$"
    return f"{sign}${whole:,}.{part:02d}"


def parse_dollars_to_cents(value: str | int | Decimal) -> int:
    """Parse '123.45' (at most two decimals) into 12345. Raises ValueError with a clear message."""
    if isinstance(value, float):
        raise ValueError("amounts must be given as text or Decimal, not a binary float")
    try:
        amount = Decimal(str(value).strip().replace(",", "").replace("$", ""))
    except InvalidOperation as exc:
        raise ValueError("must be an amount in dollars, like 123.45") from exc
    if not amount.is_finite() or abs(amount) >= MAX_AMOUNT:
        raise ValueError("must be an amount in dollars, like 123.45")
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise ValueError("must have at most two decimals")
    return int(amount * 100)
