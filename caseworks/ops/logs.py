"""Structured logs (structlog): one JSON object per line in production, plain lines in a terminal.

Imported by the settings (no Django models here). `logging_config()` returns the LOGGING dict and
`configure_structlog()` sets structlog up once. Two streams:

* the application log (stderr): request lines from django-structlog with request_id, user_id,
  partner_id, role, the route (never the path's query string) and the status code;
* the audit/security stream, logger `caseworks.audit` (always JSON; to AUDIT_LOG_FILE when set,
  otherwise stderr): one line per audit event and per sign-in, sign-out, failure and lockout.

Never client data: the processors below drop fields named after client data, cut query strings
and hide the values PostgreSQL repeats in constraint errors ("Key (sin)=(…)").
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

AUDIT_LOGGER = "caseworks.audit"

# Keys that name client data: dropped from every log line whatever logged them.
CLIENT_DATA_KEYS = frozenset(
    {
        "sin",
        "first_name",
        "middle_name",
        "last_name",
        "name",
        "full_name",
        "date_of_birth",
        "address",
        "address_line",
        "postal_code",
        "phone",
        "email",
        "q",
        "query",
        "search",
    }
)
URL_KEYS = ("request", "path", "url", "referer", "referrer")
# PostgreSQL repeats the offending values in constraint errors: keep the column, hide the values.
_DB_KEY_DETAIL = re.compile(r"(Key \([^)]*\))=\((?:[^()]|\([^()]*\))*\)")
_DB_FAILING_ROW = re.compile(r"Failing row contains \(.*?\)\.?(?=\n|$)", re.DOTALL)

# Requests that load balancers and Prometheus make every few seconds: not logged when they pass.
PROBE_VIEWS = frozenset({"ops:health", "ops:ready", "ops:metrics"})

EventDict = MutableMapping[str, Any]


def drop_client_data(_logger: Any, _method: str, event_dict: EventDict) -> EventDict:
    for key in CLIENT_DATA_KEYS.intersection(event_dict):
        del event_dict[key]
    for key in URL_KEYS:
        value = event_dict.get(key)
        if isinstance(value, str) and "?" in value:
            event_dict[key] = value.split("?", 1)[0]
    return event_dict


def redact_database_values(_logger: Any, _method: str, event_dict: EventDict) -> EventDict:
    for key in ("event", "exception"):
        value = event_dict.get(key)
        if isinstance(value, str) and ("Key (" in value or "Failing row" in value):
            value = _DB_KEY_DETAIL.sub(r"\1=(…)", value)
            event_dict[key] = _DB_FAILING_ROW.sub("Failing row contains (…)", value)
    return event_dict


def drop_passing_probes(_logger: Any, _method: str, event_dict: EventDict) -> EventDict:
    if (
        event_dict.get("view") in PROBE_VIEWS
        and event_dict.get("event") in ("request_started", "request_finished")
        and int(event_dict.get("code", 200)) < 400
    ):
        raise structlog.DropEvent
    return event_dict


def shared_processors() -> list[Any]:
    """Run on every line, from structlog or from the standard library's logging."""
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.StackInfoRenderer(),
        structlog.processors.format_exc_info,
        structlog.processors.UnicodeDecoder(),
        drop_passing_probes,
        drop_client_data,
        redact_database_values,
    ]


def formatter(renderer: str) -> dict[str, Any]:
    """A logging formatter (dictConfig form) rendering JSON or console lines."""
    final: Any = (
        structlog.processors.JSONRenderer()
        if renderer == "json"
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    return {
        "()": structlog.stdlib.ProcessorFormatter,
        "processors": [structlog.stdlib.ProcessorFormatter.remove_processors_meta, final],
        "foreign_pre_chain": shared_processors(),
    }


def json_formatter() -> logging.Formatter:
    """The audit stream's formatter as an object (for a handler added at run time, or a test)."""
    options = formatter("json")
    factory = options.pop("()")
    return factory(**options)


def default_log_format() -> str:
    """JSON unless a person is watching a terminal (`make run`)."""
    return "console" if sys.stderr.isatty() else "json"


def logging_config(*, log_format: str, level: str, audit_log_file: str) -> dict[str, Any]:
    if log_format not in ("json", "console"):
        raise ValueError(f"LOG_FORMAT must be json or console, not {log_format!r}")
    audit_handler: dict[str, Any] = (
        {"class": "logging.handlers.WatchedFileHandler", "filename": audit_log_file}
        if audit_log_file
        else {"class": "logging.StreamHandler"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": formatter("json"), "console": formatter("console")},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": log_format},
            # The audit stream is always JSON: it is read by machines (SIEM), not people.
            "audit": {**audit_handler, "formatter": "json"},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django_structlog": {"level": "INFO"},
            "caseworks": {"level": "INFO"},
            AUDIT_LOGGER: {"handlers": ["audit"], "level": "INFO", "propagate": False},
        },
    }


def configure_structlog() -> None:
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *shared_processors(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
