"""Input: the benefit unit lives in a community that qualifies for the Remote Communities
Allowance.
"""

from __future__ import annotations

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import BenefitUnit


class ow_remote_community(Variable):  # type: ignore[misc]  # noqa: N801 (OpenFisca names)
    value_type = bool
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Lives in a remote community"
    reference = ["https://www.ontario.ca/laws/regulation/980134"]
