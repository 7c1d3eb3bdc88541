"""Small-number suppression: no published cell may let anyone identify a person.

Rules (docs/measures.md, "Suppression"):

1. Primary: a cell that counts people (a count, or the numerator/denominator behind a rate,
   mean or amount) is suppressed when it rests on 1 to 9 people. A zero count is shown (it
   describes nobody); a rate, mean or amount over fewer than 10 people is suppressed.
2. Secondary (rows): when a row of partner (or office, or family-type) cells is shown beside
   its total and exactly one cell is suppressed, the total minus the others would reveal it,
   so the next-smallest shown cell of that row is suppressed as well.
3. Complement (partner view): a partner sees its own figure beside the provincial total. If
   the provincial total minus the partner's own figure rests on 1 to 9 people, the
   provincial cell is suppressed in that view.

Suppressed cells are shown as "<10" and exported as empty (null) values.
"""

from __future__ import annotations

from collections.abc import Iterable, MutableSequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from django.utils.translation import gettext as _

from caseworks.core.money import display_cents

SUPPRESSION_THRESHOLD = 10
SUPPRESSED_LABEL = "<10"

CellKind = Literal["count", "rate", "mean", "money", "days", "months", "hours"]


def is_small(people: int | None) -> bool:
    """1 to 9 people: too few to publish."""
    return people is not None and 0 < people < SUPPRESSION_THRESHOLD


@dataclass
class Cell:
    """One published figure with what it rests on."""

    kind: CellKind
    value: int | Decimal | None
    # People (or records about people) the figure rests on; for rates the numerator and
    # denominator, for means and amounts the number of people averaged or summed over.
    numerator: int | None = None
    denominator: int | None = None
    suppressed: bool = False
    reason: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def people(self) -> int:
        """The people the cell rests on (for sorting which cell to suppress next)."""
        if self.kind == "count":
            return int(self.value or 0)
        if self.kind == "rate":
            return int(self.numerator or 0)
        return int(self.denominator or 0)

    def apply_primary(self) -> None:
        if self.kind == "count":
            small = is_small(int(self.value or 0))
        elif self.kind == "rate":
            small = (self.denominator or 0) < SUPPRESSION_THRESHOLD or is_small(self.numerator)
        else:
            small = (self.denominator or 0) < SUPPRESSION_THRESHOLD
        if small:
            self.suppress("primary")

    def suppress(self, reason: str) -> None:
        if not self.suppressed:
            self.suppressed = True
            self.reason = reason

    @property
    def is_empty(self) -> bool:
        return self.value is None and not self.suppressed

    def display(self, language: str = "en") -> str:
        if self.suppressed:
            return SUPPRESSED_LABEL
        if self.value is None:
            return "—"
        if self.kind == "count":
            return f"{int(self.value):,}".replace(",", "\u202f" if language == "fr" else ",")
        if self.kind == "rate":
            return (
                f"{quantize(self.value, 1)} %"
                if language == "fr"
                else f"{quantize(self.value, 1)}%"
            )
        if self.kind == "money":
            return display_cents(int(self.value), language)
        return str(quantize(self.value, 1))

    def export_value(self) -> int | Decimal | None:
        """The machine-readable value: None when suppressed or not computable."""
        if self.suppressed or self.value is None:
            return None
        if self.kind == "money":
            return (Decimal(int(self.value)) / 100).quantize(Decimal("0.01"))
        if self.kind == "count":
            return int(self.value)
        return quantize(self.value, 1)

    def export_parts(self) -> tuple[int | None, int | None]:
        """Numerator and denominator for exports (None when suppressed)."""
        if self.suppressed:
            return None, None
        return self.numerator, self.denominator


def quantize(value: int | Decimal, places: int) -> Decimal:
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def rate(numerator: int, denominator: int) -> Cell:
    value = Decimal(numerator) * 100 / Decimal(denominator) if denominator else None
    return Cell("rate", value, numerator, denominator)


def mean(total: int | Decimal | None, people: int, kind: CellKind) -> Cell:
    """Mean of `total` over `people`. Money means are whole cents (half up)."""
    if not people or total is None:
        return Cell(kind, None, None, people)
    value = Decimal(total) / Decimal(people)
    if kind == "money":
        return Cell(kind, int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP)), None, people)
    return Cell(kind, value, None, people)


def count(value: int) -> Cell:
    return Cell("count", int(value), None, None)


def money_total(cents: int, people: int) -> Cell:
    return Cell("money", int(cents), None, people)


def suppress_primary(cells: Iterable[Cell]) -> None:
    for cell in cells:
        cell.apply_primary()


def suppress_secondary_row(cells: MutableSequence[Cell]) -> None:
    """Rule 2: one suppressed cell in a row with a shown total → suppress the next smallest."""
    suppressed = [c for c in cells if c.suppressed]
    if len(suppressed) != 1:
        return
    candidates = [c for c in cells if not c.suppressed and c.value is not None and c.people > 0]
    if not candidates:
        return
    min(candidates, key=lambda c: c.people).suppress("secondary")


def suppress_complement(own: Cell, province: Cell) -> None:
    """Rule 3: province − own must not rest on 1 to 9 people."""
    if own.suppressed or province.suppressed:
        return
    if province.kind == "count":
        rest = int(province.value or 0) - int(own.value or 0)
    elif province.kind == "rate":
        rest_num = int(province.numerator or 0) - int(own.numerator or 0)
        rest_den = int(province.denominator or 0) - int(own.denominator or 0)
        if is_small(rest_num) or is_small(rest_den):
            province.suppress("complement")
        return
    else:
        rest = int(province.denominator or 0) - int(own.denominator or 0)
    if is_small(rest):
        province.suppress("complement")


def reason_label(reason: str) -> str:
    return {
        "primary": _("fewer than 10 people"),
        "secondary": _("suppressed so that another suppressed cell cannot be worked out"),
        "complement": _("the rest of the province is fewer than 10 people"),
    }.get(reason, "")


def as_json(cell: Cell) -> dict[str, Any]:
    return {
        "value": cell.export_value(),
        "suppressed": cell.suppressed,
        "numerator": cell.export_parts()[0],
        "denominator": cell.export_parts()[1],
    }
