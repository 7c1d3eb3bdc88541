"""Input: how the benefit unit is housed (rent, own, board and lodging, no fixed address)."""

from __future__ import annotations

from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable
from openfisca_ontario_works.constants import ShelterType
from openfisca_ontario_works.entities import BenefitUnit


class ow_shelter_type(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = Enum
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Shelter arrangement"
    possible_values = ShelterType
    default_value = ShelterType.no_fixed_address
    reference = [
        "https://www.ontario.ca/document/ontario-works-policy-directives/63-shelter",
    ]
