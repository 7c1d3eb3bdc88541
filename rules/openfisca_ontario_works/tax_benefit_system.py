"""The Ontario Works tax and benefit system (parameters + variables)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from openfisca_ontario_works.entities import entities

PACKAGE_DIR = Path(__file__).resolve().parent
PARAMETERS_DIR = PACKAGE_DIR / "parameters"
VARIABLES_DIR = PACKAGE_DIR / "variables"


class OntarioWorksTaxBenefitSystem(TaxBenefitSystem):  # type: ignore[misc]
    """Ontario Works rules: O. Reg. 134/98 and the Ontario Works Policy Directives."""

    CURRENCY = "CAD"

    def __init__(self) -> None:
        super().__init__(entities)
        self.add_variables_from_directory(str(VARIABLES_DIR))
        self.load_parameters(str(PARAMETERS_DIR))


# OpenFisca's test runner (`openfisca test -c openfisca_ontario_works`) looks for this name.
CountryTaxBenefitSystem = OntarioWorksTaxBenefitSystem


@cache
def tax_benefit_system() -> OntarioWorksTaxBenefitSystem:
    """Return the process-wide system (loading YAML parameters takes a few hundred ms)."""
    return OntarioWorksTaxBenefitSystem()
