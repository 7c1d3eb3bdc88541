"""Input: the family receives neither the Ontario Child Benefit nor the Canada Child Benefit for
this child (newcomer or refugee claimant, newborn, no tax return filed, recent move to Ontario,
delays at the Canada Revenue Agency)."""

from __future__ import annotations

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import Person


class ow_no_child_benefits(Variable):  # type: ignore[misc]  # noqa: N801 (OpenFisca names)
    value_type = bool
    entity = Person
    definition_period = DateUnit.MONTH
    label = "No Ontario Child Benefit or Canada Child Benefit received for this child"
    reference = [
        "https://ontario.ca/document/ontario-works-policy-directives/76-transition-child-benefit",
    ]
