"""The project's own error pages (DEBUG off, as in the demo and production): the 404 page in the
visitor's language, the 500 page in both languages, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpRequest
from django.test import Client
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def _broken(request: HttpRequest) -> Any:
    raise RuntimeError("secret detail that must not be shown")


urlpatterns = [path("broken/", _broken), *project_urlpatterns]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Page not found"), ("fr", "Page introuvable")]
)
def test_404_page_is_the_projects_own_in_the_visitors_language(
    client: Client, language: str, heading: str
) -> None:
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    html = response.content.decode()
    assert heading in html
    assert f'lang="{language}"' in html


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_500_page_is_bilingual_and_shows_no_detail(settings: Any) -> None:
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert "Une erreur s’est produite" in html
    assert "secret detail" not in html
    assert "Traceback" not in html


@pytest.mark.parametrize(("env", "debug"), [(None, "False"), ("0", "False"), ("1", "True")])
def test_make_run_settings_keep_debug_off_unless_asked(env: str | None, debug: str) -> None:
    """`make run` (config.settings.local) shows the project's error pages, never Django's
    developer pages, unless DEBUG=1 is set by hand (issue 15: a cross-partner URL showed the
    developer 404 page in the demo)."""
    environment = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    if env is not None:
        environment["DEBUG"] = env
    environment["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    result = subprocess.run(  # our own interpreter, fixed arguments
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.DEBUG)",
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert result.stdout.strip() == debug
