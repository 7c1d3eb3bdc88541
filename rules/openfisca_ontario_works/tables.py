"""Helpers shared by formulas: the regulation's "number of dependants" tables."""

from __future__ import annotations

from typing import Any

import numpy as np

from openfisca_ontario_works.constants import ShelterType
from openfisca_ontario_works.money import to_cents
from openfisca_ontario_works.typing_helpers import Array

TABLE_PLACES = 3


def _column(node: Any) -> Array:
    """The table column as a 4x4 array indexed [adults][children] (cells with a+c > 3 unused)."""
    cells = np.zeros((TABLE_PLACES + 1, TABLE_PLACES + 1), dtype=np.int64)
    for adults in range(TABLE_PLACES + 1):
        for children in range(TABLE_PLACES + 1 - adults):
            cells[adults, children] = to_cents(node[f"adults_{adults}_children_{children}"])
    return cells


def table_amount(
    *,
    has_spouse: Array,
    adults: Array,
    children: Array,
    alone: Any,
    with_spouse: Any,
    additional: tuple[tuple[Any, Any], tuple[Any, Any]],
) -> Array:
    """Amount from a s.41(1)/s.44(1) style table plus "each additional dependant" increments.

    The table has rows for up to three dependants other than a spouse. Ordering assumption for
    four or more: dependants 18 or older take the three table places first, then dependants 0-17;
    every other dependant is "additional" (see parameters/ontario_works/basic_needs/index.yaml).
    ``additional`` is ((18+, 0-17) without spouse, (18+, 0-17) with spouse), in dollars.
    """
    adults = np.asarray(adults, dtype=np.int64)
    children = np.asarray(children, dtype=np.int64)
    adults_in_table = np.minimum(adults, TABLE_PLACES)
    children_in_table = np.minimum(children, TABLE_PLACES - adults_in_table)
    extra_adults = adults - adults_in_table
    extra_children = children - children_in_table
    (alone_adult, alone_child), (couple_adult, couple_child) = additional
    base = np.where(
        has_spouse,
        _column(with_spouse)[adults_in_table, children_in_table],
        _column(alone)[adults_in_table, children_in_table],
    )
    add_adult = np.where(has_spouse, to_cents(couple_adult), to_cents(alone_adult))
    add_child = np.where(has_spouse, to_cents(couple_child), to_cents(alone_child))
    amount: Array = base + extra_adults * add_adult + extra_children * add_child
    return amount


def rents_or_owns(shelter_type: Any) -> Array:
    """True for units that rent or own (s.42 shelter allowance applies)."""
    renter_or_owner: Array = (shelter_type == ShelterType.rent) + (shelter_type == ShelterType.own)
    return renter_or_owner
