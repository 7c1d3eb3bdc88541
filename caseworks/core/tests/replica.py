"""Test support: register a `replica` database alias for the length of a block.

`override_settings(DATABASES=...)` does not rebuild Django's connections, so the alias is added
to the connection handler's settings (the same dict as settings.DATABASES) and removed again,
its connection closed, at the end.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

from caseworks.core.db import REPLICA_DB_ALIAS


@contextmanager
def replica_alias(**changes: Any) -> Iterator[dict[str, Any]]:
    """A `replica` alias: the primary's (test) settings with `changes` (HOST, PORT, ...), marked
    as a test mirror of the primary so test cases never flush or create it."""
    assert REPLICA_DB_ALIAS not in connections.settings
    settings_dict = copy.deepcopy(connections[DEFAULT_DB_ALIAS].settings_dict)
    settings_dict.update(changes)
    settings_dict["CONN_MAX_AGE"] = 0
    settings_dict["TEST"] = {**settings_dict.get("TEST", {}), "MIRROR": DEFAULT_DB_ALIAS}
    connections.settings[REPLICA_DB_ALIAS] = settings_dict
    try:
        yield settings_dict
    finally:
        if hasattr(connections._connections, REPLICA_DB_ALIAS):
            connections[REPLICA_DB_ALIAS].close()
            del connections[REPLICA_DB_ALIAS]
        del connections.settings[REPLICA_DB_ALIAS]
