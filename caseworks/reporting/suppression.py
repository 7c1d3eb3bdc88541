"""Small-number suppression: no published cell may let anyone identify a person.

The method, what it stops and what it does not: SUPPRESSION.md beside this file. The reports
(reports.suppressed_cube) apply `suppress_table` to the whole family-type × partner (or office)
table of every measure, so each filter, page and export shows the same decisions.

Rules (SUPPRESSION.md):

1. Primary: a cell that counts people (a count, or the numerator/denominator behind a rate,
   mean or amount) is suppressed when it rests on 1 to 9 people. A zero count is shown (it
   describes nobody); a rate, mean or amount over fewer than 10 people is suppressed.
2. Complementary (`suppress_table`): in every line of a published table (a row of partners,
   offices or providers with its total; a column of family types with the no-filter figure;
   rows that add up to another row) one hidden cell never stands alone, and the hidden cells
   of a line with a shown total never rest on 1 to 9 people together; then a linear audit of
   each measure's table. Repeated until nothing changes.
3. Complement (partner view): the province minus the partner's own figure is a hidden cell of
   the partner's table; when it rests on 1 to 9 people, the provincial cell is suppressed.
4. Derived: a figure worked out from a suppressed count is suppressed with it (both ways when
   one is a deterministic multiple of the other).

`suppress_secondary_row` and `suppress_complement` are rules 2 and 3 for a single row.

Suppressed cells are shown as "<10" and exported as empty (null) values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableSequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from django.utils.translation import get_language
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

    def display(self, language: str | None = None) -> str:
        """The figure as a page shows it, in `language` (default: the active language)."""
        language = (language or get_language() or "en")[:2]
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
        "derived": _("suppressed because the count it is worked out from is suppressed"),
    }.get(reason, "")


def as_json(cell: Cell) -> dict[str, Any]:
    return {
        "value": cell.export_value(),
        "suppressed": cell.suppressed,
        "numerator": cell.export_parts()[0],
        "denominator": cell.export_parts()[1],
    }


# --------------------------------------------------------------------------- whole tables

Key = Any  # any hashable: reports use (measure, family type, group)


@dataclass(frozen=True)
class Line:
    """Cells that add up to `total` (a row or column of a table, or rows adding up to another).

    Rates, means and amounts are lines too: their numerators and denominators add up."""

    cells: tuple[Key, ...]
    total: Key | None = None
    # When a second cell must be hidden, hide the total first (the partner view hides the
    # provincial figure rather than the partner's own).
    prefer_total: bool = False
    # Part of the linear audit (determined_cells). Lines joining several measures (bands that
    # add up to the caseload) make the audited systems large; they keep the line rule only.
    audit: bool = True


@dataclass(frozen=True)
class Link:
    """`derived` is worked out from `base` (a rate, mean or amount over its people, or the same
    people counted another way): it is suppressed whenever `base` is. `mutual`: `base` is a
    deterministic function of `derived` too (beneficiaries of couples are 2 × cases), so each
    is suppressed whenever the other is."""

    base: Key
    derived: Key
    mutual: bool = False


def parts(cell: Cell) -> tuple[int, ...]:
    """The additive people behind a cell: a count; a rate's numerator and denominator; the
    people a mean or amount rests on."""
    if cell.kind == "count":
        return (int(cell.value or 0),)
    if cell.kind == "rate":
        return (int(cell.numerator or 0), int(cell.denominator or 0))
    return (int(cell.denominator or 0),)


def _weight(cell: Cell) -> tuple[int, int]:
    return (cell.people, sum(parts(cell)))


def suppress_table(
    cells: Mapping[Key, Cell],
    lines: Iterable[Line],
    links: Iterable[Link] = (),
    *,
    fixed: frozenset[Key] = frozenset(),
    unpublished: frozenset[Key] = frozenset(),
) -> None:
    """Primary, then complementary suppression of a whole table, until nothing changes.

    * Primary: `Cell.apply_primary` on every published cell. An unpublished cell (never shown,
      e.g. the rest of the province in a partner's view) is sensitive when any of its parts
      rests on 1 to 9 people.
    * Links: a derived cell is suppressed with its base (both ways when mutual).
    * Lines: a line whose hidden cells (suppressed or unpublished) include a sensitive one
      must not let it be worked out: when exactly one cell of the line is hidden, or the total
      is shown and the hidden cells together rest on 1 to 9 people, the smallest shown cell of
      the line (the total only when no other cell is left, or when the line prefers it) is
      suppressed too.
    * `fixed` cells keep the state they arrive with (decided in a table above this one).
    """
    _primary(cells, fixed, unpublished)
    checked = [line for line in lines if _present(cells, line)]
    edges = [link for link in links if link.base in cells and link.derived in cells]
    by_key = _lines_by_key(cells, checked)
    audited: dict[frozenset[Key], list[Key]] = {}
    while True:
        changed = True
        while changed:
            changed = False
            for link in edges:
                changed |= _follow(cells, link.base, link.derived, fixed)
                if link.mutual:
                    changed |= _follow(cells, link.derived, link.base, fixed)
            for line in checked:
                changed |= _protect_line(cells, line, fixed, unpublished)
        # Audit: lines combined (a row, minus a column, plus another row...) must not pin down
        # a suppressed cell either. Each pinned cell gets one more cell of its lines hidden.
        pinned = [
            k
            for k in determined_cells(cells, checked, unpublished, cache=audited)
            if _sensitive(cells[k])
        ]
        widened = [_widen(cells, key, by_key, fixed, unpublished) for key in pinned]
        if not any(widened):
            return


def _primary(cells: Mapping[Key, Cell], fixed: frozenset[Key], unpublished: frozenset[Key]) -> None:
    for key, cell in cells.items():
        if key in fixed:
            continue
        if key in unpublished:
            if any(is_small(p) for p in parts(cell)):
                cell.suppress("primary")
        else:
            cell.apply_primary()


def _lines_by_key(
    cells: Mapping[Key, Cell], lines: Iterable[Line]
) -> dict[Key, list[tuple[Key, ...]]]:
    by_key: dict[Key, list[tuple[Key, ...]]] = {}
    for line in lines:
        inner, total = line_members(cells, line)
        members = (*inner, *([total] if total is not None else []))
        for k in members:
            by_key.setdefault(k, []).append(members)
    return by_key


def _present(cells: Mapping[Key, Cell], line: Line) -> bool:
    count_in = sum(k in cells for k in line.cells) + (line.total in cells)
    return count_in >= 2  # a line of one cell constrains nothing


def _follow(cells: Mapping[Key, Cell], base: Key, derived: Key, fixed: frozenset[Key]) -> bool:
    if cells[base].suppressed and not cells[derived].suppressed and derived not in fixed:
        cells[derived].suppress("derived")
        return True
    return False


def line_members(cells: Mapping[Key, Cell], line: Line) -> tuple[list[Key], Key | None]:
    inner = [k for k in line.cells if k in cells]
    total = line.total if line.total is not None and line.total in cells else None
    return inner, total


def _sensitive(cell: Cell) -> bool:
    return cell.suppressed and any(parts(cell))


def _protect_line(
    cells: Mapping[Key, Cell], line: Line, fixed: frozenset[Key], unpublished: frozenset[Key]
) -> bool:
    inner, total = line_members(cells, line)
    members = inner + ([total] if total is not None else [])
    hidden = [k for k in members if cells[k].suppressed or k in unpublished]
    if len(hidden) == len(members) or not any(_sensitive(cells[k]) for k in hidden):
        return False
    exposed = len(hidden) == 1
    if not exposed and total is not None and total not in hidden:
        # total − shown cells = the hidden cells together: not 1 to 9 people either.
        sums = [sum(column) for column in zip(*(parts(cells[k]) for k in hidden), strict=True)]
        exposed = any(is_small(s) for s in sums)
    if not exposed:
        return False
    shown = [k for k in members if k not in hidden and k not in fixed]
    inner_shown = [k for k in shown if k != total and any(parts(cells[k]))]
    total_shown = total is not None and total in shown
    pick: Key
    if line.prefer_total and total_shown:
        pick = total
    elif inner_shown:
        pick = min(inner_shown, key=lambda k: _weight(cells[k]))
    elif total_shown:
        pick = total
    elif shown:
        pick = min(shown, key=lambda k: _weight(cells[k]))
    else:
        return False
    cells[pick].suppress("secondary")
    return True


def _equations(
    cells: Mapping[Key, Cell], lines: Iterable[Line], hidden: set[Key]
) -> list[list[tuple[Key, int]]]:
    """Each complete line with a total, as an equation in its hidden cells (shown cells are
    known numbers): inner cells +1, total −1."""
    out = []
    for line in lines:
        inner, total = line_members(cells, line)
        if not line.audit or total is None or len(inner) != len(line.cells):
            continue
        unknown = [(k, 1) for k in inner if k in hidden]
        if total in hidden:
            unknown.append((total, -1))
        if unknown:
            out.append(unknown)
    return out


def determined_cells(
    cells: Mapping[Key, Cell],
    lines: Iterable[Line],
    unpublished: frozenset[Key] = frozenset(),
    *,
    cache: dict[frozenset[Key], list[Key]] | None = None,
) -> list[Key]:
    """Hidden cells whose value follows from the shown ones by any linear combination of the
    lines (the cell's unit vector lies in the row space of the equations: it is zero on every
    null-space vector). Only the pattern of hidden cells matters, not the values, so a
    component already audited with the same hidden cells is not audited again (`cache`)."""
    import numpy as np  # noqa: PLC0415  # only the audit needs it

    hidden = {k for k, c in cells.items() if c.suppressed or k in unpublished}
    equations = _equations(cells, lines, hidden)
    parent: dict[Key, Key] = {}

    def find(k: Key) -> Key:
        while parent.setdefault(k, k) != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for equation in equations:
        first = find(equation[0][0])
        for k, _c in equation[1:]:
            parent[find(k)] = first
    components: dict[Key, list[list[tuple[Key, int]]]] = {}
    for equation in equations:
        components.setdefault(find(equation[0][0]), []).append(equation)
    out: list[Key] = []
    for component in components.values():
        keys = sorted({k for eq in component for k, _c in eq}, key=repr)
        signature = frozenset(keys)
        if cache is not None and signature in cache:
            out += cache[signature]
            continue
        found: list[Key] = []
        index = {k: i for i, k in enumerate(keys)}
        matrix = np.zeros((len(component), len(keys)))
        for row, equation in enumerate(component):
            for k, coefficient in equation:
                matrix[row, index[k]] += coefficient
        _u, singular, vt = np.linalg.svd(matrix)
        tolerance = singular.max(initial=0.0) * max(matrix.shape) * 1e-12
        null_space = vt[int((singular > tolerance).sum()) :]
        for k, i in index.items():
            if null_space.shape[0] == 0 or np.all(np.abs(null_space[:, i]) < 1e-8):
                found.append(k)
        if cache is not None:
            cache[signature] = found
        out += found
    return out


def _widen(
    cells: Mapping[Key, Cell],
    key: Key,
    by_key: Mapping[Key, list[tuple[Key, ...]]],
    fixed: frozenset[Key],
    unpublished: frozenset[Key],
) -> bool:
    """Hide the smallest shown cell of the lines through `key`; when they have none left, of
    the lines through the hidden cells of those lines, and so on outwards."""
    seen, frontier = {key}, [key]
    while frontier:
        candidates: set[Key] = set()
        reached: list[Key] = []
        for hidden_key in frontier:
            for members in by_key.get(hidden_key, []):
                for k in members:
                    cell = cells[k]
                    if not cell.suppressed and k not in unpublished:
                        if k not in fixed and any(parts(cell)):
                            candidates.add(k)
                    elif k not in seen:
                        seen.add(k)
                        reached.append(k)
        if candidates:
            pick = min(candidates, key=lambda k: (_weight(cells[k]), repr(k)))
            cells[pick].suppress("secondary")
            return True
        frontier = reached
    return False
