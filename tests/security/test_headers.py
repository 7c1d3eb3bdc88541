"""Issue 13: security headers on every page (Content-Security-Policy, Referrer-Policy,
Permissions-Policy), and templates that keep working under the strict policy."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

TEMPLATE_ROOTS = [Path(settings.BASE_DIR) / "caseworks"]


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


def _assert_headers(response: Any) -> None:
    policy = _directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response["Referrer-Policy"] == "same-origin"
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions


def test_login_page_carries_the_security_headers(client: Client) -> None:
    response = client.get(reverse("login"))
    assert response.status_code == 200
    _assert_headers(response)


def test_staff_page_and_api_carry_the_security_headers(caseworker: Any) -> None:
    client = Client()
    client.force_login(caseworker)
    page = client.get(reverse("home"))
    assert page.status_code == 200
    _assert_headers(page)
    _assert_headers(client.get("/api/openapi.json"))


def test_no_template_needs_inline_script_or_style_attributes() -> None:
    """Under the policy a browser refuses inline scripts, event handler attributes and style
    attributes: none may appear in a page template (letters are PDFs, not served as pages)."""
    offenders = []
    for root in TEMPLATE_ROOTS:
        for path in root.rglob("*.html"):
            text = path.read_text()
            if "letter_base" in text or path.name == "letter_base.html":
                continue
            for match in re.finditer(r"<script\b[^>]*>", text):
                tag = match.group(0)
                if "src=" not in tag and 'type="application/json"' not in tag:
                    offenders.append(f"{path}: inline script")
            if re.search(r"\sstyle=\"|\son[a-z]+=\"", text):
                offenders.append(f"{path}: style or event handler attribute")
            if "<style" in text and path.name != "500.html":
                offenders.append(f"{path}: <style> element")
    assert offenders == []


def test_error_page_style_is_allowed_by_its_hash() -> None:
    text = (Path(settings.BASE_DIR) / "caseworks" / "templates" / "500.html").read_text()
    style = re.search(r"<style>(.*?)</style>", text, re.S)
    assert style is not None
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    style_src = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"]
    assert f"'sha256-{digest}'" in style_src
