"""Load (or refresh) the ready-made survey templates, e.g. the 2012 third-party provider survey."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from caseworks.surveys.services import survey_templates_load


class Command(BaseCommand):
    help = "Create or refresh the ready-made survey templates (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        for survey in survey_templates_load():
            self.stdout.write(
                f"Template {survey.template_key}: {survey.questions.count()} questions"
            )
