"""Exact money helpers: all amounts inside the rules are integer cents (OpenFisca ``int`` = int32).

Rounding rule: a fractional cent arises only from a percentage (the 50 % earnings exemption, the
overpayment recovery rate). It is rounded half up (0.5 cent -> 1 cent) on the amount the percentage
produces, using integer arithmetic only.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
from numpy.typing import NDArray

IntArray = NDArray[np.int64]


def to_cents(value: Any) -> int:
    """Convert a parameter value in dollars (YAML number) to integer cents, exactly."""
    return int((Decimal(str(value)) * 100).to_integral_value())


def to_ten_thousandths(value: Any) -> int:
    """Convert a rate (YAML number such as 0.5) to an integer number of ten-thousandths."""
    return int((Decimal(str(value)) * 10_000).to_integral_value())


def percent_half_up(amount_cents: NDArray[Any], rate_ten_thousandths: Any) -> IntArray:
    """``amount * rate`` in cents, rounded half up, for non-negative amounts and rates."""
    product = np.asarray(amount_cents, dtype=np.int64) * np.asarray(
        rate_ten_thousandths, dtype=np.int64
    )
    return (product + 5_000) // 10_000


_FORMATTED: dict[int, str] = {}
_FORMATTED_MAX = 200_000


def format_cents(cents: int) -> str:
    """Format integer cents as a dollar string with exactly two decimals ("-1.05", "683.00").

    Integer arithmetic only; results are memoised (amounts repeat a lot in a payment run).
    """
    text = _FORMATTED.get(cents)
    if text is None:
        text = "-" + format_cents(-cents) if cents < 0 else f"{cents // 100}.{cents % 100:02d}"
        if len(_FORMATTED) >= _FORMATTED_MAX:
            _FORMATTED.clear()
        _FORMATTED[cents] = text
    return text
