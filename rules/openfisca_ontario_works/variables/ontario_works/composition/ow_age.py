"""Input: age of the member in completed years."""

from __future__ import annotations

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import Person


class ow_age(Variable):  # type: ignore[misc]  # noqa: N801 (OpenFisca names)
    value_type = int
    entity = Person
    definition_period = DateUnit.MONTH
    label = "Age in years"
    reference = ["https://www.ontario.ca/laws/regulation/980134"]
