"""Ready-made surveys (loaded by `manage.py load_survey_templates`).

The 2012 survey of delivery partners on their use of third-party providers in employment
assistance: the issue asks for "which providers, which services, contract type, clients served,
spending". The original questionnaire was not found in the stored reference material
(see docs/measures.md, "Survey templates"); the questions below ask exactly those five things and
nothing more, and the service list is the employment assistance activities named in the
reference notes, with "Other".
"""

from __future__ import annotations

from typing import Any

from .constants import QuestionKind

THIRD_PARTY_PROVIDERS_2012 = "ow-third-party-providers-2012"

TEMPLATES: dict[str, dict[str, Any]] = {
    THIRD_PARTY_PROVIDERS_2012: {
        "title": "Use of third-party providers in Ontario Works employment assistance (2012)",
        "description": (
            "For each delivery partner: whether third-party providers delivered Ontario Works "
            "employment assistance in 2012, which providers and services, the type of contract, "
            "the number of clients served and the amount spent."
        ),
        "source": (
            "The Ministry's 2012 survey of delivery partners on the use of third-party "
            "providers in Ontario Works employment assistance: providers, services, type of "
            "contract, clients served and amount spent."
        ),
        "questions": [
            {
                "text": "In 2012, did third-party providers deliver any Ontario Works employment "
                "assistance for your organisation?",
                "kind": QuestionKind.YES_NO,
                "required": True,
            },
            {
                "text": "Which providers? (one per line: name of the organisation)",
                "kind": QuestionKind.TEXT,
                "required": False,
            },
            {
                "text": "Which employment assistance services did they deliver?",
                "kind": QuestionKind.MULTIPLE_CHOICE,
                "choices": [
                    "Job search support",
                    "Job placement",
                    "Job-specific skills training",
                    "Basic education and literacy",
                    "Self-employment development",
                    "Community placement",
                    "Job retention support",
                    "Other",
                ],
                "required": False,
            },
            {
                "text": "What type of contract did you mainly use?",
                "kind": QuestionKind.SINGLE_CHOICE,
                "choices": [
                    "Fee for service",
                    "Payment for results (outcome-based)",
                    "Fixed annual funding",
                    "A mix of these",
                    "Other",
                ],
                "required": False,
            },
            {
                "text": "How many Ontario Works clients did third-party providers serve in 2012?",
                "kind": QuestionKind.NUMBER,
                "required": False,
            },
            {
                "text": "How much did you spend on third-party providers in 2012?",
                "kind": QuestionKind.CURRENCY,
                "required": False,
            },
            {
                "text": "Comments",
                "kind": QuestionKind.TEXT,
                "required": False,
            },
        ],
    }
}
