"""Input: monthly income of type 'canada_child_benefit', integer cents."""

from __future__ import annotations

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import Person


class ow_unearned_income_canada_child_benefit(Variable):  # type: ignore[misc]  # noqa: N801 (OpenFisca names)
    value_type = int
    entity = Person
    definition_period = DateUnit.MONTH
    label = "Income from canada child benefit in the month (cents)"
    unit = "cents-CAD"
    reference = ["https://www.ontario.ca/laws/regulation/980134"]
