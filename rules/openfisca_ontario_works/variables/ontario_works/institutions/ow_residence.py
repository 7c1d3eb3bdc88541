"""Input: where the benefit unit lives (community, emergency hostel, long-term care, community
residence funded by the provincial corrections ministry)."""

from __future__ import annotations

from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable
from openfisca_ontario_works.constants import ResidenceType
from openfisca_ontario_works.entities import BenefitUnit


class ow_residence(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = Enum
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Where the benefit unit lives"
    possible_values = ResidenceType
    default_value = ResidenceType.community
    reference = [
        "https://www.ontario.ca/document/ontario-works-policy-directives/613-calculating-reduced-assistance",
        "https://www.ontario.ca/document/ontario-works-policy-directives/67-persons-long-term-care-homes",
        "https://www.ontario.ca/document/ontario-works-policy-directives/32-residential-arrangements",
    ]
