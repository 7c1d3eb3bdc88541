"""Shapes of the documents API."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class DocumentOut(Schema):
    """A document's description (the content is downloaded from the web page, as an attachment)."""

    id: int
    benefit_unit_id: int | None
    person_id: int | None
    kind: str
    title: str
    original_name: str
    content_type: str
    size_bytes: int
    sha256: str
    language: str
    uploaded_at: dt.datetime
