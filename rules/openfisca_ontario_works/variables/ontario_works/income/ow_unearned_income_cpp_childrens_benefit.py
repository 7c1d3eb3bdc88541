"""Input: monthly income of type 'cpp_childrens_benefit', integer cents."""

from __future__ import annotations

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import Person


class ow_unearned_income_cpp_childrens_benefit(Variable):  # type: ignore[misc]  # noqa: N801 (OpenFisca names)
    value_type = int
    entity = Person
    definition_period = DateUnit.MONTH
    label = "Income from the CPP disabled contributor's child's benefit in the month (cents)"
    unit = "cents-CAD"
    reference = ["https://www.ontario.ca/laws/regulation/980134"]
