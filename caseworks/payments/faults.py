"""Fault injection for the crash tests (issue 12, acceptance 2): a named point in a money path
where a test kills the process (SIGKILL: no exception handler, no rollback code runs — what a
killed worker or a power cut does).

`fault_point("returns_batch")` does nothing unless `settings.FAULT_INJECTION` is true (the test
settings only; production never sets it) and the process was started with
`CASEWORKS_FAULT=returns_batch` (or `returns_batch:2`: at the second time the point is reached).
The tests start a real worker or `manage.py shell` with that variable and check what is left.
"""

from __future__ import annotations

import os
import signal

from django.conf import settings

_reached: dict[str, int] = {}


def fault_point(name: str) -> None:
    if not getattr(settings, "FAULT_INJECTION", False):
        return
    wanted = os.environ.get("CASEWORKS_FAULT", "")
    point, _sep, count = wanted.partition(":")
    if point != name:
        return
    _reached[name] = _reached.get(name, 0) + 1
    if _reached[name] >= int(count or 1):
        os.kill(os.getpid(), signal.SIGKILL)
