"""Issue 13, point 7: small-cell suppression must not be undone by differencing.

The attacks that recovered suppressed cells (reproduced here against the exports an analyst can
download, and asserted to fail):

1. With family_type=couple, couples without children have exactly two beneficiaries per case:
   "Beneficiaries at month end" ÷ 2 gave Hamilton's suppressed 8 and Ottawa's 5.
2. The no-filter export minus the three other family types gave Thunder Bay's suppressed 8.

Then properties of the method (caseworks/reporting/SUPPRESSION.md) on random small tables.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.partners.tests.factories import DeliveryPartnerFactory
from caseworks.reporting import reports
from caseworks.reporting.reports import FAMILY_VIEWS, _lines, _links
from caseworks.reporting.selectors import MEASURES, PROVINCE, ReportFilters, compute_measures
from caseworks.reporting.suppression import Cell, Line, count, is_small, suppress_table
from caseworks.reporting.tests.dataset import AS_OF, D, make_case

PROVINCE_LABEL = "Ontario (all partners)"
Q1 = {"month_from": "2026-01", "month_to": "2026-03"}
CASES = "Cases at month end"
BENEFICIARIES = "Beneficiaries at month end"

# Cases by family type (single, couple, sole-support parent with 1 child, couple with 2
# children). Hamilton 8 and Ottawa 5 couples are small; so is Thunder Bay's 8 sole-support.
FAMILIES: dict[str, dict[str, int]] = {
    "Hamilton": {"single": 12, "couple": 8, "sole_support": 10, "couple_with_children": 0},
    "Ottawa": {"single": 11, "couple": 5, "sole_support": 0, "couple_with_children": 10},
    "Thunder Bay": {"single": 14, "couple": 12, "sole_support": 8, "couple_with_children": 10},
    "Toronto": {"single": 13, "couple": 11, "sole_support": 10, "couple_with_children": 10},
}
SHAPE: dict[str, dict[str, Any]] = {
    "single": {"spouse": False, "children": 0},
    "couple": {"spouse": True, "children": 0},
    "sole_support": {"spouse": False, "children": 1},
    "couple_with_children": {"spouse": True, "children": 2},
}


@pytest.fixture
def province(db: Any) -> dict[str, Any]:
    partners = {}
    for name, families in FAMILIES.items():
        partner = DeliveryPartnerFactory(name=name)
        worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
        for family, n in families.items():
            for _i in range(n):
                make_case(
                    partner,
                    worker,
                    status="active",
                    opened_on=D(2025, 5, 20),
                    granted_on=D(2025, 6, 1),
                    **SHAPE[family],
                )
        partners[name] = partner
    return partners


@pytest.fixture
def analyst(db: Any) -> Any:
    return UserFactory(role=Role.MINISTRY_ANALYST, delivery_partner=None)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _csv(client: Client, family: str, url: str = "") -> dict[str, dict[str, str]]:
    """measure label → column label → exported value ("" when suppressed)."""
    url = url or reverse("reporting:dashboard_export", kwargs={"fmt": "csv"})
    response = client.get(url, {**Q1, "family_type": family})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header = rows[0]
    columns = header[3:-1]
    return {row[1]: dict(zip(columns, row[3:-1], strict=True)) for row in rows[1:]}


def _true(family: str) -> Any:
    return compute_measures(
        filters=ReportFilters(D(2026, 1, 1), D(2026, 3, 1), family_type=family), as_of=AS_OF
    )


def test_couple_filter_beneficiaries_do_not_reveal_suppressed_case_counts(
    province: dict[str, Any], analyst: Any
) -> None:
    table = _csv(_client(analyst), "couple")
    for name, small in (("Hamilton", 8), ("Ottawa", 5)):
        assert table[CASES][name] == ""  # suppressed
        # The attack: beneficiaries ÷ 2. Beneficiaries must be suppressed with the cases.
        assert table[BENEFICIARIES][name] == ""
        leaked = table[BENEFICIARIES][name]
        assert not (leaked and int(leaked) // 2 == small)
    # Every column, every filter: cases and beneficiaries are shown or hidden together.
    client = _client(analyst)
    for family in FAMILY_VIEWS:
        table = _csv(client, family)
        for column, value in table[CASES].items():
            assert (value == "") == (table[BENEFICIARIES][column] == ""), (family, column)


def test_no_filter_minus_other_family_types_does_not_reveal_thunder_bay(
    province: dict[str, Any], analyst: Any
) -> None:
    client = _client(analyst)
    tables = {family: _csv(client, family) for family in FAMILY_VIEWS}
    assert tables["sole_support"][CASES]["Thunder Bay"] == ""
    # The attack: no filter − single − couple − couple with children.
    visible = [tables[f][CASES]["Thunder Bay"] for f in FAMILY_VIEWS]
    if all(v != "" for i, v in enumerate(visible) if FAMILY_VIEWS[i] != "sole_support"):
        recovered = int(visible[0]) - sum(int(v) for v in visible[2:] if v)
        pytest.fail(f"Thunder Bay sole-support recovered: {recovered}")
    truth = {f: _true(f) for f in FAMILY_VIEWS}
    _assert_no_family_difference(tables, truth)


def _assert_no_family_difference(
    tables: dict[str, dict[str, dict[str, str]]], truth: dict[str, Any]
) -> None:
    """For every measure and column: the no-filter figure minus the shown family types never
    isolates one suppressed family type."""
    by_label = {str(m.label): m for m in MEASURES}
    for label, columns in tables[""].items():
        measure = by_label.get(label)
        if measure is None or measure.kind != "count":
            continue
        for column in columns:
            cells = [tables[f][label][column] for f in FAMILY_VIEWS[1:]]
            hidden = [i for i, v in enumerate(cells) if v == ""]
            if tables[""][label][column] == "" or not hidden:
                continue
            assert len(hidden) >= 2, (label, column, cells)
            difference = int(tables[""][label][column]) - sum(int(v) for v in cells if v)
            assert not is_small(difference), (label, column, difference)


def test_province_minus_shown_partners_never_isolates_a_suppressed_partner(
    province: dict[str, Any], analyst: Any
) -> None:
    client = _client(analyst)
    by_label = {str(m.label): m for m in MEASURES}
    for family in FAMILY_VIEWS:
        table = _csv(client, family)
        for label, columns in table.items():
            measure = by_label.get(label)
            if measure is None or measure.kind != "count" or columns[PROVINCE_LABEL] == "":
                continue
            partners = [v for c, v in columns.items() if c != PROVINCE_LABEL]
            hidden = [v for v in partners if v == ""]
            if not hidden:
                continue
            assert len(hidden) >= 2, (family, label, columns)
            difference = int(columns[PROVINCE_LABEL]) - sum(int(v) for v in partners if v)
            assert not is_small(difference), (family, label, difference)


def test_partner_view_province_is_suppressed_consistently_across_family_types(
    province: dict[str, Any],
) -> None:
    """Thunder Bay's administrator sees Thunder Bay and Ontario under each filter: Ontario minus
    Thunder Bay (the rest of the province) and Ontario's family types must not isolate a small
    figure either."""
    admin = UserFactory(role=Role.PARTNER_ADMIN, delivery_partner=province["Thunder Bay"])
    client = _client(admin)
    tables = {family: _csv(client, family) for family in FAMILY_VIEWS}
    for family, table in tables.items():
        own, prov = table[CASES]["Thunder Bay"], table[CASES][PROVINCE_LABEL]
        if own and prov:
            assert not is_small(int(prov) - int(own)), family
    for column in ("Thunder Bay", PROVINCE_LABEL):
        cells = [tables[f][CASES][column] for f in FAMILY_VIEWS[1:]]
        hidden = [v for v in cells if v == ""]
        if hidden and tables[""][CASES][column]:
            assert len(hidden) >= 2, (column, cells)


def test_page_csv_and_xlsx_show_the_same_suppressed_cells(
    province: dict[str, Any], analyst: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Any] = []
    real = reports.suppressed_cube

    def spy(**kwargs: Any) -> Any:
        calls.append(kwargs.get("partner_id"))
        return real(**kwargs)

    monkeypatch.setattr(reports, "suppressed_cube", spy)
    client = _client(analyst)
    hamilton = province["Hamilton"]
    pages = [
        ("reporting:dashboard", "reporting:dashboard_export", {}, {}),
        (
            "reporting:compare",
            "reporting:compare_export",
            {},
            {"first": hamilton.pk, "second": province["Ottawa"].pk},
        ),
        ("reporting:partner", "reporting:partner_export", {"partner_id": hamilton.pk}, {}),
    ]
    for page_name, export_name, kwargs, extra in pages:
        for family in ("", "couple"):
            params = {**Q1, **extra, "family_type": family}
            before = len(calls)
            html = client.get(reverse(page_name, kwargs=kwargs), params).content.decode()
            assert len(calls) > before, page_name  # the page went through suppressed_cube
            row = html.split('id="measure-caseload_cases"')[1].split("</tr>")[0]
            page_hidden = ["suppressed" in td.split(">")[0] for td in row.split("<td")[1:]]
            before = len(calls)
            response = client.get(reverse(export_name, kwargs={**kwargs, "fmt": "csv"}), params)
            assert len(calls) > before, export_name
            rows = list(csv.reader(io.StringIO(response.content.decode())))
            csv_row = next(r for r in rows if r[1] == CASES)[3:-1]
            before = len(calls)
            response = client.get(reverse(export_name, kwargs={**kwargs, "fmt": "xlsx"}), params)
            assert len(calls) > before, export_name
            sheet = load_workbook(io.BytesIO(response.content)).active
            assert sheet is not None
            xlsx_row = next(r for r in sheet.iter_rows(values_only=True) if r[1] == CASES)[3:-1]
            assert page_hidden == [v == "" for v in csv_row] == [v is None for v in xlsx_row]


# --------------------------------------------------------------------------- properties

FAMILY_TYPES = FAMILY_VIEWS[1:]


def _table(values: list[list[int]]) -> dict[Any, Cell]:
    """Family types × partners of one count, with the margins the reports publish."""
    partners = list(range(len(values[0])))
    cells: dict[Any, Cell] = {}
    for f, family in enumerate(FAMILY_TYPES):
        for p in partners:
            cells[("caseload_cases", family, p)] = count(values[f][p])
        cells[("caseload_cases", family, PROVINCE)] = count(sum(values[f]))
    for group in [*partners, PROVINCE]:
        cells[("caseload_cases", "", group)] = count(
            sum(int(cells[("caseload_cases", f, group)].value or 0) for f in FAMILY_TYPES)
        )
    return cells


small_tables = st.integers(min_value=1, max_value=5).flatmap(
    lambda partners: st.lists(
        st.lists(st.integers(min_value=0, max_value=40), min_size=partners, max_size=partners),
        min_size=4,
        max_size=4,
    )
)


def _check(cells: dict[Any, Cell], lines: list[Line]) -> None:
    for line in lines:
        if any(k not in cells for k in line.cells):
            continue  # a line of rows this table does not have (tenure bands)
        inner = [cells[k] for k in line.cells]
        total = cells.get(line.total)
        members = inner + ([total] if total is not None else [])
        hidden = [c for c in members if c.suppressed]
        # A line with a suppressed cell has at least two, or is suppressed whole.
        assert len(hidden) != 1 or len(members) == 1, line
        if total is None or total.suppressed:
            continue
        hidden_inner = [c for c in inner if c.suppressed]
        # total − shown cells: zero, or the sum of two or more suppressed cells, never 1 to 9.
        shown = sum(int(c.value or 0) for c in inner if not c.suppressed)
        difference = int(total.value or 0) - shown
        assert difference == sum(int(c.value or 0) for c in hidden_inner)
        assert not is_small(difference), line
        assert len(hidden_inner) != 1, line
        if len(hidden_inner) >= 2:
            assert all(difference != c.value for c in hidden_inner if c.value), line


@settings(max_examples=300, deadline=None)
@given(small_tables)
def test_suppressed_table_leaves_no_line_with_a_single_suppressed_cell(
    values: list[list[int]],
) -> None:
    cells = _table(values)
    partners = list(range(len(values[0])))
    lines = _lines(["caseload_cases"], [], partners)
    suppress_table(cells, lines, _links([], partners))
    _check(cells, lines)
    # Every small cell is suppressed (primary).
    for cell in cells.values():
        if is_small(int(cell.value or 0)):
            assert cell.suppressed


@settings(max_examples=200, deadline=None)
@given(small_tables, st.data())
def test_partner_view_never_reveals_the_rest_of_the_province(
    values: list[list[int]], data: st.DataObject
) -> None:
    """A partner's view: own, the rest (never shown) and the province, × family types."""
    partners = list(range(len(values[0])))
    own = data.draw(st.sampled_from(partners))
    full = _table(values)
    cells: dict[Any, Cell] = {}
    for family in FAMILY_VIEWS:
        mine = int(full[("caseload_cases", family, own)].value or 0)
        whole = int(full[("caseload_cases", family, PROVINCE)].value or 0)
        cells[("caseload_cases", family, own)] = count(mine)
        cells[("caseload_cases", family, reports.REST)] = count(whole - mine)
        cells[("caseload_cases", family, PROVINCE)] = count(whole)
    lines = _lines(["caseload_cases"], [], [own, reports.REST], prefer_total=True)
    rest = frozenset(k for k in cells if k[2] == reports.REST)
    suppress_table(cells, lines, unpublished=rest)
    for family in FAMILY_VIEWS:
        own_cell = cells[("caseload_cases", family, own)]
        province_cell = cells[("caseload_cases", family, PROVINCE)]
        if not own_cell.suppressed and not province_cell.suppressed:
            assert not is_small(int(province_cell.value or 0) - int(own_cell.value or 0))
    for group in (own, PROVINCE):
        column = [cells[("caseload_cases", f, group)] for f in FAMILY_VIEWS[1:]]
        margin = cells[("caseload_cases", "", group)]
        hidden = [c for c in column if c.suppressed]
        if not margin.suppressed:
            assert len(hidden) != 1
            shown = sum(int(c.value or 0) for c in column if not c.suppressed)
            assert not is_small(int(margin.value or 0) - shown)
