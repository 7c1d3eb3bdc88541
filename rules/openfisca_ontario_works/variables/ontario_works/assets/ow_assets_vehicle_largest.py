"""Input: value of the single most valuable asset of type 'vehicle', integer cents."""

from __future__ import annotations

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import BenefitUnit


class ow_assets_vehicle_largest(Variable):  # type: ignore[misc]  # noqa: N801 (OpenFisca names)
    value_type = int
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Value of the most valuable vehicle (cents)"
    unit = "cents-CAD"
    reference = [
        "https://stepstojustice.ca/steps/income-assistance/1-know-what-ow-does-not-count-assets/"
    ]
