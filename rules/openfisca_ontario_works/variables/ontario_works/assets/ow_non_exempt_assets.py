"""Value of the benefit unit's assets that count towards the limit (s.39, Directives 4.1-4.7)."""

from __future__ import annotations

import numpy as np
from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.constants import ASSET_TYPES
from openfisca_ontario_works.entities import BenefitUnit
from openfisca_ontario_works.money import to_cents
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_non_exempt_assets(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = int
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Non-exempt assets (cents)"
    unit = "cents-CAD"
    reference = [
        "https://www.ontario.ca/document/ontario-works-policy-directives/42-asset-limits",
        "https://ontario.ca/document/ontario-works-policy-directives/41-summary-assets",
    ]

    def formula_2016_10_01(
        benefit_unit: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        p = parameters(period).ontario_works.assets
        total = np.zeros(benefit_unit.count, dtype=np.int64)
        for asset_type in ASSET_TYPES:
            if asset_type in ("vehicle", "second_vehicle") or p.exempt[asset_type]:
                continue
            total += benefit_unit(f"ow_assets_{asset_type}", period)
        # One motor vehicle is exempt (the most valuable one listed as "vehicle"); one second
        # vehicle needed for employment is exempt up to the maximum; every other vehicle counts.
        vehicles = benefit_unit("ow_assets_vehicle", period)
        exempt_vehicle = np.where(
            p.exempt.vehicle, benefit_unit("ow_assets_vehicle_largest", period), 0
        )
        seconds = benefit_unit("ow_assets_second_vehicle", period)
        second = benefit_unit("ow_assets_second_vehicle_largest", period)
        cap = to_cents(p.second_vehicle_exemption_maximum)
        exempt_second = np.minimum(second, cap)
        return total + (vehicles - exempt_vehicle) + (seconds - exempt_second)
