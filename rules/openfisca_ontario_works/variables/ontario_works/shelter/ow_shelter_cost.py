"""Input: monthly rent, mortgage, taxes, or board and lodging paid, integer cents."""

from __future__ import annotations

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import BenefitUnit


class ow_shelter_cost(Variable):  # type: ignore[misc]  # noqa: N801 (OpenFisca names)
    value_type = int
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Monthly shelter cost (cents)"
    unit = "cents-CAD"
    reference = ["https://www.ontario.ca/document/ontario-works-policy-directives/63-shelter"]
