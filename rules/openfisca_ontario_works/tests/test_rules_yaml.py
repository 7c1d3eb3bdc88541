"""Runs every OpenFisca YAML test (tests/ontario_works/**) with OpenFisca's own test runner."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from openfisca_ontario_works.tests.helpers import PACKAGE_DIR

YAML_DIR = PACKAGE_DIR / "tests" / "ontario_works"
VARIABLES_DIR = PACKAGE_DIR / "variables" / "ontario_works"


def test_openfisca_yaml_tests_all_pass() -> None:
    openfisca = Path(sys.executable).with_name("openfisca")
    result = subprocess.run(
        [str(openfisca), "test", str(YAML_DIR), "-c", "openfisca_ontario_works"],
        cwd=PACKAGE_DIR.parent,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    cases = sum(len(yaml.safe_load(path.read_text())) for path in YAML_DIR.rglob("*.yaml"))
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert f"{cases} passed" in result.stdout


def test_yaml_tests_mirror_variables_and_cite_a_provision() -> None:
    variables = {path.stem: path.parent.name for path in VARIABLES_DIR.rglob("ow_*.py")}
    for path in YAML_DIR.rglob("*.yaml"):
        assert variables.get(path.stem) == path.parent.name, f"{path} has no matching variable"
        for case in yaml.safe_load(path.read_text()):
            instrument, _, rest = case["name"].partition(" — ")
            assert rest.count(" — ") >= 1, case["name"]
            assert "s." in instrument or "Directive" in instrument, case["name"]


def test_every_formula_variable_has_a_yaml_test_or_is_covered_by_the_oracle() -> None:
    tested = {path.stem for path in YAML_DIR.rglob("*.yaml")}
    formulas = {
        path.stem for path in VARIABLES_DIR.rglob("ow_*.py") if "def formula" in path.read_text()
    }
    # composition helpers are exercised through ow_benefit_unit_size's multi-output case
    untested = (
        formulas
        - tested
        - {
            "ow_is_dependant_adult",
            "ow_is_dependant_child",
            "ow_number_of_dependant_adults",
            "ow_number_of_dependant_children",
            "ow_has_spouse",
            "ow_shelter_cost_total",
            # tested in composition/ow_left_out_of_benefit_unit.yaml
            "ow_in_benefit_unit",
            "ow_net_monthly_income",
            "ow_single_maximum_assistance",
        }
    )
    assert not untested
