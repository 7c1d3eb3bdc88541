"""The primary database and an optional read replica (docs/scaling.md).

When DATABASE_REPLICA_URL is set, settings add a `replica` alias: a PostgreSQL streaming
replica of the primary. Reports, exports and policy simulation read from it; every write, and
every other read, uses the primary (`default`).

Routing is explicit, never by model: a replica lags the primary (usually under a second, more
under load or after a network hiccup), and a caseworker who saves a change and reloads the page
must see it. Only code that can live with data a few seconds old (aggregate reports of past
months, a simulation of the whole caseload) asks for the replica:

    with use_replica():
        report = dashboard_report(...)

or, as a decorator, `@use_replica()` (under `@staff_view`, so that the session and the signed-in
user are read from the primary first). Inside such a block:

- reads go to the replica when one is configured, otherwise to the primary (no change);
- writes always go to the primary: the access log, audit events, a simulation's result row;
- reads inside a transaction on the primary also stay there (a service that writes and reads
  back sees its own write; it never mixes a transaction's rows with the replica's).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import dj_database_url
from dj_database_url import DBConfig
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA_DB_ALIAS = "replica"

_replica_reads: ContextVar[bool] = ContextVar("caseworks_replica_reads", default=False)


@contextmanager
def use_replica() -> Iterator[None]:
    """Reads in this block (or decorated function) may go to the replica; writes never do."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def replica_configured() -> bool:
    return REPLICA_DB_ALIAS in connections.settings


def reads_use_replica() -> bool:
    """True when a read here goes to the replica."""
    return (
        _replica_reads.get()
        and replica_configured()
        and not connections[DEFAULT_DB_ALIAS].in_atomic_block
    )


def replica_database(primary: Mapping[str, Any], url: str) -> DBConfig:
    """The `replica` alias for settings: `url`, with the primary's connection options (its
    persistent-connection age, health checks and OPTIONS; the URL's own options win)."""
    replica = dj_database_url.parse(url)
    replica["CONN_MAX_AGE"] = primary.get("CONN_MAX_AGE", 0)
    replica["CONN_HEALTH_CHECKS"] = primary.get("CONN_HEALTH_CHECKS", False)
    replica["OPTIONS"] = {**primary.get("OPTIONS", {}), **replica.get("OPTIONS", {})}
    return replica


class PrimaryReplicaRouter:
    """DATABASE_ROUTERS entry: reads in a `use_replica()` block go to the replica, all else to
    the primary. Migrations run on the primary only (the replica copies them)."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        return REPLICA_DB_ALIAS if reads_use_replica() else DEFAULT_DB_ALIAS

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # The replica holds the same rows as the primary.
        same_data = {DEFAULT_DB_ALIAS, REPLICA_DB_ALIAS}
        if obj1._state.db in same_data and obj2._state.db in same_data:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS
