"""Basic needs amount, O. Reg. 134/98 s.41(1) para 1 (renters, owners, no fixed address)."""

from __future__ import annotations

import numpy as np
from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.constants import ShelterType
from openfisca_ontario_works.entities import BenefitUnit
from openfisca_ontario_works.tables import table_amount
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_basic_needs(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = int
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Basic needs (cents)"
    reference = [
        "https://www.ontario.ca/laws/regulation/980134",
        "https://www.ontario.ca/laws/regulation/r17282",
        "https://www.ontario.ca/laws/regulation/r16228",
    ]

    def formula_2016_10_01(
        benefit_unit: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        # s.41(1) para 1: the Table, by number of dependants 18+ and 0-17, column by spouse.
        # s.44(1): a unit in board and lodging gets the board-and-lodging amount instead.
        table = parameters(period).ontario_works.basic_needs
        amount = table_amount(
            has_spouse=benefit_unit("ow_has_spouse", period),
            adults=benefit_unit("ow_number_of_dependant_adults", period),
            children=benefit_unit("ow_number_of_dependant_children", period),
            alone=table.recipient_alone,
            with_spouse=table.recipient_and_spouse,
            additional=(
                (
                    table.recipient_alone.each_additional_dependant_18_or_older,
                    table.recipient_alone.each_additional_dependant_0_to_17,
                ),
                (
                    table.recipient_and_spouse.each_additional_dependant_18_or_older,
                    table.recipient_and_spouse.each_additional_dependant_0_to_17,
                ),
            ),
        )
        # s.43(1) (Directives 6.7, 3.2): an institution resident gets the personal-needs
        # allowance instead (ow_personal_needs_allowance).
        shelter_type = benefit_unit("ow_shelter_type", period)
        replaced = (shelter_type == ShelterType.board_and_lodging) + benefit_unit(
            "ow_in_institution", period
        )
        return np.where(replaced, 0, amount)
