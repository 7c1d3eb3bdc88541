"""Input: a health professional confirmed that the pregnant or breast-feeding member needs a
non-dairy diet ($50 instead of $40)."""

from __future__ import annotations

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import Person


class ow_pregnancy_allowance_non_dairy(Variable):  # type: ignore[misc]  # noqa: N801 (OpenFisca names)
    value_type = bool
    entity = Person
    definition_period = DateUnit.MONTH
    label = "Non-dairy diet confirmed for the pregnancy/breast-feeding allowance"
    reference = [
        "https://www.toronto.ca/community-people/employment-social-support/child-family-support/ontario-works-child-related-benefits/"
    ]
