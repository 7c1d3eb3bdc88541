"""Input: total value of the benefit unit's assets of type 'locked_in_retirement', integer cents."""

from __future__ import annotations

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import BenefitUnit


class ow_assets_locked_in_retirement(Variable):  # type: ignore[misc]  # noqa: N801 (OpenFisca names)
    value_type = int
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Value of assets of type locked-in retirement savings (cents)"
    unit = "cents-CAD"
    reference = ["https://www.ontario.ca/document/ontario-works-policy-directives/42-asset-limits"]
