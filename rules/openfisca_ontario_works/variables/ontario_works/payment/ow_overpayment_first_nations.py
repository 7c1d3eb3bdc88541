"""Input: the overpayment is recovered by a First Nations delivery agent (default rate 5 %)."""

from __future__ import annotations

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import BenefitUnit


class ow_overpayment_first_nations(Variable):  # type: ignore[misc]  # noqa: N801 (OpenFisca names)
    value_type = bool
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Overpayment recovered in a First Nations community (default rate 5 %)"
    reference = [
        "https://stepstojustice.ca/steps/income-assistance/2-learn-what-ow-can-do-if-you-have-overpayment/"
    ]
