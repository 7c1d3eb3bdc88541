"""Small-number suppression rules (docs/measures.md, "Suppression")."""

from __future__ import annotations

from caseworks.reporting.suppression import (
    Cell,
    count,
    mean,
    rate,
    suppress_complement,
    suppress_primary,
    suppress_secondary_row,
)


def test_suppress_primary_hides_counts_of_1_to_9_when_not_zero() -> None:
    cells = [count(0), count(1), count(9), count(10)]
    suppress_primary(cells)
    assert [c.suppressed for c in cells] == [False, True, True, False]
    assert [c.display() for c in cells] == ["0", "<10", "<10", "10"]
    assert cells[1].export_value() is None


def test_suppress_primary_hides_rates_when_denominator_or_numerator_small() -> None:
    # 3 of 200 (numerator small), 5 of 8 (denominator small), 0 of 50 and 20 of 50 shown.
    cells = [rate(3, 200), rate(5, 8), rate(0, 50), rate(20, 50)]
    suppress_primary(cells)
    assert [c.suppressed for c in cells] == [True, True, False, False]
    assert cells[3].display() == "40.0%"


def test_suppress_primary_hides_means_when_fewer_than_10_people() -> None:
    cells = [mean(9000, 9, "money"), mean(10000, 10, "money")]
    suppress_primary(cells)
    assert [c.suppressed for c in cells] == [True, False]
    assert cells[1].value == 1000


def test_suppress_secondary_row_hides_next_smallest_when_one_cell_suppressed() -> None:
    # Partners 5, 22, 40 with total 67 shown: 5 is suppressed, so 22 (next smallest) is too.
    row = [count(5), count(40), count(22)]
    suppress_primary(row)
    suppress_secondary_row(row)
    assert [c.suppressed for c in row] == [True, False, True]
    assert row[2].reason == "secondary"


def test_suppress_secondary_row_leaves_row_when_two_already_suppressed() -> None:
    row = [count(5), count(3), count(22)]
    suppress_primary(row)
    suppress_secondary_row(row)
    assert [c.suppressed for c in row] == [True, True, False]


def test_suppress_complement_hides_province_when_rest_is_small() -> None:
    own, province = count(22), count(27)  # the rest of Ontario: 5 people
    suppress_complement(own, province)
    assert province.suppressed
    own, province = count(22), count(32)  # the rest: 10
    suppress_complement(own, province)
    assert not province.suppressed
    own_rate, province_rate = rate(11, 22), rate(13, 40)  # rest: 2 of 18
    suppress_complement(own_rate, province_rate)
    assert province_rate.suppressed


def test_cell_display_formats_french_when_language_fr() -> None:
    assert Cell("count", 12345).display("fr") == "12\u202f345"
    assert rate(1, 4).display("fr") == "25.0 %"
