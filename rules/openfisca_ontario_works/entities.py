"""Entities of the Ontario Works calculation: a person and the benefit unit they belong to.

O. Reg. 134/98 s.1(1): a benefit unit is the applicant or recipient and their dependants (a spouse,
dependent children and dependent adults).
"""

from __future__ import annotations

from openfisca_core.entities import build_entity

Person = build_entity(
    key="person",
    plural="persons",
    label="Person",
    doc="A member of an Ontario Works benefit unit.",
    is_person=True,
)

BenefitUnit = build_entity(
    key="benefit_unit",
    plural="benefit_units",
    label="Benefit unit",
    doc=(
        "The applicant or recipient and their dependants (O. Reg. 134/98 s.1(1)). "
        "Dependants are a spouse and dependent children or adults."
    ),
    roles=[
        {
            "key": "applicant",
            "plural": "applicants",
            "label": "Applicant or recipient",
            "max": 1,
            "doc": "The person who applies for or receives assistance.",
        },
        {
            "key": "spouse",
            "plural": "spouses",
            "label": "Spouse",
            "max": 1,
            "doc": "The spouse of the applicant (O. Reg. 134/98 s.1(1)).",
        },
        {
            "key": "dependant",
            "plural": "dependants",
            "label": "Dependant other than a spouse",
            "doc": "A dependent child (0-17) or dependent adult (18 or older).",
        },
    ],
)

entities = [BenefitUnit, Person]
