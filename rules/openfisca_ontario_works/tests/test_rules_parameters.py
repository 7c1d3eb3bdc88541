"""Walks the parameter tree: required metadata, e-Laws/official hrefs, dates, freshness."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from openfisca_ontario_works import tax_benefit_system
from openfisca_ontario_works.tests.helpers import PACKAGE_DIR

PARAMETERS = PACKAGE_DIR / "parameters"
UNITS = {"currency-CAD", "/1", "month", "year", "boolean"}
INSTRUMENTS = {"act", "regulation", "directive"}
STALE_AFTER = timedelta(days=365)
# Fails once a value has not been re-checked against the law for a year: re-read the cited
# section, then bump last_value_still_valid_on.
TODAY = date.today()
FILES = sorted(p for p in PARAMETERS.rglob("*.yaml") if p.name != "index.yaml")


def test_every_folder_has_an_index() -> None:
    for folder in [PARAMETERS / "ontario_works", *(PARAMETERS / "ontario_works").rglob("*/")]:
        if folder.is_dir():
            assert (folder / "index.yaml").exists(), folder


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PARAMETERS)))
def test_parameter_metadata(path: Path) -> None:
    data = yaml.safe_load(path.read_text())
    assert data["description"]
    meta = data["metadata"]
    assert meta["unit"] in UNITS
    assert meta["label"]
    assert meta.get("instrument", "regulation") in INSTRUMENTS
    valid_on = date.fromisoformat(meta["last_value_still_valid_on"])
    assert valid_on >= TODAY - STALE_AFTER, "last_value_still_valid_on is stale: re-check the law"
    values = data["values"]
    assert min(values) <= date(2016, 10, 1) or "board_and_lodging" in str(path)
    references = meta["reference"]
    for when in values:
        covering = [d for d in references if d <= when]
        assert covering, f"value of {when} has no reference"
    for entries in references.values():
        assert entries
        for entry in entries:
            assert entry["title"]
            assert entry["href"].startswith(("https://", "http://"))
    if meta["unit"] == "currency-CAD":
        for item in values.values():
            value = item["value"]
            assert value is None or round(value * 100) == value * 100, "more than 2 decimals"


def test_tree_loads_and_current_single_rates() -> None:
    params = tax_benefit_system().parameters("2026-01-01").ontario_works
    assert params.basic_needs.recipient_alone.adults_0_children_0 == 343
    assert params.shelter.maximum_unit_size_1 == 390
    assert params.assets.limit_single == 10_000
