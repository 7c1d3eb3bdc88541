from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from caseworks.ops.logs import json_formatter


class CapturedLog:
    """The JSON lines a logger wrote, rendered exactly as in production."""

    def __init__(self, stream: io.StringIO) -> None:
        self.stream = stream

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    @property
    def lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.text.splitlines() if line.strip()]

    def events(self, name: str) -> list[dict[str, Any]]:
        return [line for line in self.lines if line.get("event") == name]


def _capture(name: str) -> Iterator[CapturedLog]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(json_formatter())
    logger = logging.getLogger(name)
    logger.addHandler(handler)
    try:
        yield CapturedLog(stream)
    finally:
        logger.removeHandler(handler)


@pytest.fixture
def request_log() -> Iterator[CapturedLog]:
    yield from _capture("django_structlog")


@pytest.fixture
def audit_log() -> Iterator[CapturedLog]:
    yield from _capture("caseworks.audit")
