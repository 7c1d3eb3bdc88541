"""Exact money helpers: all amounts inside the rules are integer cents (OpenFisca ``int`` = int32).

Rounding rule: a fractional cent arises only from a percentage. The 50 % earnings exemption is
rounded half up (0.5 cent -> 1 cent, the exempt half cent goes to the client); the overpayment
recovery deduction is rounded down (the recipient keeps the fraction). Integer arithmetic only.
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


def percent_down(amount_cents: NDArray[Any], rate_ten_thousandths: Any) -> IntArray:
    """``amount * rate`` in cents, rounded down (in the recipient's favour), for non-negative
    amounts and rates. Used for the overpayment recovery deduction."""
    product = np.asarray(amount_cents, dtype=np.int64) * np.asarray(
        rate_ten_thousandths, dtype=np.int64
    )
    return product // 10_000


_FORMATTED_MAX = 200_000


class _Formatted(dict[int, str]):
    """Integer cents -> dollar text, memoised (amounts repeat a lot in a payment run).

    A miss formats with integer arithmetic only; subscripting (``FORMATTED[cents]``) is the fast
    path used by the batch renderer.
    """

    def __missing__(self, cents: int) -> str:
        text = "-" + self[-cents] if cents < 0 else f"{cents // 100}.{cents % 100:02d}"
        if len(self) >= _FORMATTED_MAX:
            self.clear()
        self[cents] = text
        return text


FORMATTED = _Formatted()


def format_cents(cents: int) -> str:
    """Format integer cents as a dollar string with exactly two decimals ("-1.05", "683.00").

    Integer arithmetic only; results are memoised (amounts repeat a lot in a payment run).
    """
    return FORMATTED[cents]
