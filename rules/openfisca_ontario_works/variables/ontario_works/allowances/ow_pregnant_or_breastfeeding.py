"""Input: confirmed pregnancy, or breast-feeding a child under 12 months."""

from __future__ import annotations

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import Person


class ow_pregnant_or_breastfeeding(Variable):  # type: ignore[misc]  # noqa: N801 (OpenFisca names)
    value_type = bool
    entity = Person
    definition_period = DateUnit.MONTH
    label = "Pregnant or breast-feeding (confirmed)"
    reference = [
        "https://www.toronto.ca/community-people/employment-social-support/child-family-support/ontario-works-child-related-benefits/"
    ]
