"""Maximum income assistance for a single person: basic needs (s.41(1) para 1, no dependants)
plus the maximum shelter allowance for one person (s.42(2) para 2)."""

from __future__ import annotations

import numpy as np
from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import Person
from openfisca_ontario_works.money import to_cents
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_single_maximum_assistance(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = int
    entity = Person
    definition_period = DateUnit.MONTH
    label = "Maximum assistance for a single person (cents)"
    unit = "cents-CAD"
    reference = [
        "http://www.mcss.gov.on.ca/en/mcss/programs/social/directives/ow/5_3_OW_Directives.aspx",
        "https://www.toronto.ca/community-people/employment-social-support/support-for-people-in-financial-need/assistance-through-ontario-works/policies-and-procedures/dependent-adult/",
    ]

    def formula_2016_10_01(
        person: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        p = parameters(period).ontario_works
        amount = to_cents(p.basic_needs.recipient_alone.adults_0_children_0) + to_cents(
            p.shelter.maximum_unit_size_1
        )
        return np.full(person.count, amount, dtype=np.int64)
