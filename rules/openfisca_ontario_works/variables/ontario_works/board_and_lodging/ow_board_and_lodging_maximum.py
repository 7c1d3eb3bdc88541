"""Board and lodging maximum, O. Reg. 134/98 s.44(1) para 1 (Table)."""

from __future__ import annotations

from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import BenefitUnit
from openfisca_ontario_works.tables import table_amount
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_board_and_lodging_maximum(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = int
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Board and lodging maximum (cents)"
    unit = "cents-CAD"
    reference = [
        "https://www.toronto.ca/community-people/employment-social-support/support-for-people-in-financial-need/assistance-through-ontario-works/policies-and-procedures/board-and-lodging/",
        "https://www.ontario.ca/laws/regulation/980134",
    ]

    def formula_2017_10_01(
        benefit_unit: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        # Tables from October 2017 (O. Reg. 282/17) and October 2018; October 2016 - September
        # 2017 is rejected by validation (the O. Reg. 228/16 table was not retrieved).
        table = parameters(period).ontario_works.board_and_lodging
        return table_amount(
            has_spouse=benefit_unit("ow_has_spouse", period),
            adults=benefit_unit("ow_number_of_dependant_adults", period),
            children=benefit_unit("ow_number_of_dependant_children", period),
            alone=table.recipient_alone,
            with_spouse=table.recipient_and_spouse,
            additional=(
                # Without a spouse, a recipient with dependants is a sole support parent.
                (
                    table.each_additional_dependant_18_or_older_sole_support_parent,
                    table.each_additional_dependant_0_to_17_sole_support_parent,
                ),
                (
                    table.each_additional_dependant_18_or_older_otherwise,
                    table.each_additional_dependant_0_to_17_otherwise,
                ),
            ),
        )
