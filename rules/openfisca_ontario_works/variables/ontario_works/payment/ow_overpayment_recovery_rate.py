"""Overpayment recovery rate in ten-thousandths: the case's rate, or the default 10 %."""

from __future__ import annotations

import numpy as np
from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import BenefitUnit
from openfisca_ontario_works.money import to_ten_thousandths
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_overpayment_recovery_rate(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = int
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Overpayment recovery rate (ten-thousandths)"
    reference = [
        "https://stepstojustice.ca/questions/income-assistance/what-can-ontario-works-do-if-i-have-overpayment/",
        "https://www.ontario.ca/laws/regulation/980134",
    ]

    def formula_2016_10_01(
        benefit_unit: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        p = parameters(period).ontario_works.payment
        default = np.where(
            benefit_unit("ow_overpayment_first_nations", period),
            to_ten_thousandths(p.first_nations_overpayment_recovery_rate),
            to_ten_thousandths(p.default_overpayment_recovery_rate),
        )
        requested = benefit_unit("ow_overpayment_recovery_rate_requested", period)
        return np.where(requested < 0, default, requested)
