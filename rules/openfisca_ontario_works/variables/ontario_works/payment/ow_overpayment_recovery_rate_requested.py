"""Input: recovery rate set for this case in ten-thousandths (1000 = 10 %); -1 means use the
default rate.
"""

from __future__ import annotations

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import BenefitUnit


class ow_overpayment_recovery_rate_requested(Variable):  # type: ignore[misc]  # noqa: N801 (OpenFisca names)
    value_type = int
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Overpayment recovery rate set for the case, ten-thousandths (-1: default)"
    default_value = -1
    reference = ["https://www.ontario.ca/laws/regulation/980134"]
