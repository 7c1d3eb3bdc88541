"""The project's own error pages (DEBUG off, as in the demo and production): the 404 page in the
visitor's language, the 500 page in both languages, never a traceback."""

from __future__ import annotations

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
