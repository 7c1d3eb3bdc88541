"""'(optional)' only on optional fields (issue 15), over every form class of the project.

The field tag writes "(optional)" beside a field exactly when `required=False`, so the rules are:
a required field never says "optional" in its own label or hint; a field the form asks for only
in some answers is listed in the form's `required_when` (not labelled optional, its hint says
when, and the form's clean() asks for it); everything else left `required=False` is accepted
empty. Also: every required error names its field (no bare "This field is required.").
"""

from __future__ import annotations

import copy
import importlib
import pkgutil
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from django.utils import translation

import caseworks
from caseworks.accounts.forms import StaffForm
from caseworks.clients.templatetags.caseworks_ui import field as render_field
from caseworks.core.forms import prepare_field
from caseworks.employment.forms import FollowUpForm

OPTIONAL_WORDS = ("optional", "facultatif", "facultative")


def _all_form_classes() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(caseworks.__path__, "caseworks."):
        if module.name.endswith(".forms") or ".forms." in module.name:
            importlib.import_module(module.name)
    found: list[type[forms.BaseForm]] = []
    stack: list[type[Any]] = [forms.BaseForm]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            stack.append(sub)
            if sub.__module__.startswith("caseworks.") and ".tests" not in sub.__module__:
                found.append(sub)
    return found


FORMS = _all_form_classes()


def test_the_walk_finds_the_project_forms() -> None:
    names = {cls.__name__ for cls in FORMS}
    assert {"PersonCreateForm", "FollowUpForm", "ReassignForm", "OutcomeForm"} <= names
    assert len(FORMS) > 40


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_optional_only_on_fields_that_are_not_required(
    form_class: type[forms.BaseForm], language: str
) -> None:
    required_when = getattr(form_class, "required_when", {})
    with translation.override(language):
        for name, field in form_class.base_fields.items():
            text = f"{field.label or ''} {field.help_text or ''}".lower()
            if field.required:
                assert not any(word in text for word in OPTIONAL_WORDS), (name, text)
                assert name not in required_when, name
            if name in required_when:
                assert not field.required, name
                # The form asks for it itself, in its own clean().
                assert form_class.clean is not StaffForm.clean, form_class


def test_fields_required_in_some_answers_are_not_labelled_optional() -> None:
    form = FollowUpForm(prefix="f")
    html = str(render_field(form["hours_per_week"])) + str(render_field(form["hourly_wage"]))
    assert "(optional)" not in html
    assert "Needed when the client is still employed." in html
    notes = str(render_field(form["notes"]))
    assert "(optional)" in notes


@pytest.mark.parametrize(
    ("language", "hours", "wage"),
    [
        ("en", "Hours per week now: needed", "Hourly wage now: needed"),
        ("fr", "Heures par semaine maintenant", "Salaire horaire maintenant"),
    ],
)
def test_follow_up_form_asks_for_hours_and_wage_together_when_still_employed(
    language: str, hours: str, wage: str
) -> None:
    with translation.override(language):
        form = FollowUpForm({"f-still_employed": "yes"}, prefix="f")
        assert not form.is_valid()
        assert hours in form.errors["hours_per_week"][0]
        assert wage in form.errors["hourly_wage"][0]
        left = FollowUpForm({"f-still_employed": "no"}, prefix="f")
        assert left.is_valid(), left.errors


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_required_errors_name_their_field(form_class: type[forms.BaseForm], language: str) -> None:
    if not issubclass(form_class, StaffForm):
        return
    with translation.override(language):
        for name, base in form_class.base_fields.items():
            if not base.required or isinstance(base.widget, forms.HiddenInput):
                continue
            field = copy.deepcopy(base)  # as the form does for each instance
            prepare_field(field)
            message = str(field.error_messages["required"])
            assert message not in ("This field is required.", "Ce champ est obligatoire."), name


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["Choose at least one case to reassign", "Choose a caseworker to reassign to"]),
        (
            "fr",
            [
                "Choisissez au moins un dossier à réassigner",
                "Choisissez le ou la chargé(e) de cas à qui réassigner",
            ],
        ),
    ],
)
def test_reassign_with_nothing_chosen_names_what_to_choose(
    client: Client, users: dict[str, Any], language: str, expected: list[str]
) -> None:
    client.force_login(users["supervisor"])
    response = client.post(
        reverse("caseload:reassign"), {}, HTTP_ACCEPT_LANGUAGE=language, follow=True
    )
    html = response.content.decode()
    for message in expected:
        assert message in html
    assert "This field is required." not in html
    assert "Ce champ est obligatoire." not in html
