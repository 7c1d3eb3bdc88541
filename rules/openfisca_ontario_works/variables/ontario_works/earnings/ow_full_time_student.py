"""Input: full-time student (high school, college or university)."""

from __future__ import annotations

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import Person


class ow_full_time_student(Variable):  # type: ignore[misc]  # noqa: N801 (OpenFisca names)
    value_type = bool
    entity = Person
    definition_period = DateUnit.MONTH
    label = "Attends school or post-secondary full time"
    reference = ["https://www.cleo.on.ca/en/publications/work-ow/all"]
