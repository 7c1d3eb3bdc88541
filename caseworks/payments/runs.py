"""Payment runs: the code lives in services/runs.py (prepare, dry run, approval) and
services/run_release.py (release); this module keeps the old import path for the other apps.
"""

from __future__ import annotations

from .interim import interim_assistance_case_ids
from .services.run_release import (
    payment_run_release,
    payment_runs_stalled,
)
from .services.runs import (
    MISSING_REPORT_TASK_KIND,
    UNUSUAL_LIST_LIMIT,
    payment_run_approve,
    payment_run_dry_run,
    payment_run_prepare,
    run_candidate_ids,
)

__all__ = [
    "MISSING_REPORT_TASK_KIND",
    "UNUSUAL_LIST_LIMIT",
    "interim_assistance_case_ids",
    "payment_run_approve",
    "payment_run_dry_run",
    "payment_run_prepare",
    "payment_run_release",
    "payment_runs_stalled",
    "run_candidate_ids",
]
