"""Input: child care costs paid by this member so they can work, integer cents."""

from __future__ import annotations

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import Person


class ow_child_care_costs(Variable):  # type: ignore[misc]  # noqa: N801 (OpenFisca names)
    value_type = int
    entity = Person
    definition_period = DateUnit.MONTH
    label = "Allowable child care costs paid in the month (cents)"
    unit = "cents-CAD"
    reference = [
        "https://www.ontario.ca/document/ontario-works-policy-directives/54-child-care-deductions"
    ]
