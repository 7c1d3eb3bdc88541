"""Input: special diet amount for this member as determined by the administrator, before the cap."""

from __future__ import annotations

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import Person


class ow_special_diet_requested(Variable):  # type: ignore[misc]  # noqa: N801 (OpenFisca names)
    value_type = int
    entity = Person
    definition_period = DateUnit.MONTH
    label = "Special diet amount determined under Schedule 1 to O. Reg. 564/05 (cents)"
    unit = "cents-CAD"
    reference = [
        "https://www.toronto.ca/community-people/employment-social-support/support-for-people-in-financial-need/assistance-through-ontario-works/policies-and-procedures/board-and-lodging/"
    ]
