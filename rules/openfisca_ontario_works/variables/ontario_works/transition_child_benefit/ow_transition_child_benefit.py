"""Transition Child Benefit for one child, OW Policy Directive 7.6 (mandatory benefit added to
the monthly payment; O. Reg. 134/98 s. 58.3 is among the directive's authorities)."""

from __future__ import annotations

import numpy as np
from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.constants import ResidenceType
from openfisca_ontario_works.entities import Person
from openfisca_ontario_works.money import to_cents
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_transition_child_benefit(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = int
    entity = Person
    definition_period = DateUnit.MONTH
    label = "Transition Child Benefit for this child (cents)"
    unit = "cents-CAD"
    reference = [
        "https://ontario.ca/document/ontario-works-policy-directives/76-transition-child-benefit",
    ]

    def formula_2016_10_01(
        person: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        # Directive 7.6: a dependent child under 18 of a recipient who receives $0 OCB and $0
        # NCBS for the child gets up to the maximum. Paid only while assistance is paid (a
        # mandatory benefit of a recipient), never to a resident of an emergency hostel or an
        # institution (Directive 7.6; Steps to Justice, TCB eligibility).
        tcb = parameters(period).ontario_works.transition_child_benefit
        maximum = to_cents(tcb.maximum_per_child)
        child = person("ow_is_dependant_child", period)
        unit = person.benefit_unit
        residence = unit("ow_residence", period)
        in_community = residence == ResidenceType.community
        paid = (
            child
            * person("ow_no_child_benefits", period)
            * person("ow_in_benefit_unit", period)
            * in_community
            * unit("ow_eligible", period)
        )
        return np.where(paid, maximum, 0)
