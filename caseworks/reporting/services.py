"""Policy simulation: changed rule parameters against the current caseload (read-only).

The only write is the record of the run itself (PolicySimulation + audit event); no case,
determination or payment changes. The caseload is read from the read replica when one is
configured (`use_replica`); the record of the run is written to the primary.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from openfisca_ontario_works import RULES_VERSION
from openfisca_ontario_works.simulation import (
    UnknownParameter,
    payments_with_parameters,
    reformed_tax_benefit_system,
)
from openfisca_ontario_works.validation import parse_unit

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.cases.constants import CaseStatus
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.db import use_replica
from caseworks.core.errors import ApplicationError

from . import sources
from .measures.base import FamilyType
from .models import PolicySimulation
from .suppression import SUPPRESSION_THRESHOLD

# Worker processes for large simulations (the production machine has 2 cores).
SIMULATION_WORKERS = max(1, min(2, os.cpu_count() or 1))
CHANGE_BANDS: tuple[tuple[str, int | None, int | None], ...] = (
    # (key, lower cents inclusive, upper cents exclusive) of the monthly change per case
    ("lose_over_100", None, -10000),
    ("lose_up_to_100", -10000, 0),
    ("no_change", 0, 1),
    ("gain_up_to_100", 1, 10001),
    ("gain_over_100", 10001, None),
)


@dataclass
class SimulationInput:
    units: list[Any] = field(default_factory=list)  # parsed rules units
    families: list[str] = field(default_factory=list)
    skipped: int = 0


def family_type_of(situation: dict[str, Any]) -> str:
    """Family type from an ow-calc situation: spouse present? any dependant under 18?"""
    members = situation.get("members") or []
    spouse = any(m.get("role") == "spouse" for m in members)
    children = any(m.get("role") == "dependant" and int(m.get("age", 99)) < 18 for m in members)
    if spouse:
        return FamilyType.COUPLE_WITH_CHILDREN if children else FamilyType.COUPLE
    return FamilyType.SOLE_SUPPORT if children else FamilyType.SINGLE


def simulation_input_from_situations(situations: Any, *, benefit_month: dt.date) -> SimulationInput:
    """Parse situations (ow-calc input dicts), re-dated to `benefit_month`; invalid ones are
    counted as skipped, never guessed."""
    month = f"{benefit_month:%Y-%m}"
    result = SimulationInput()
    for situation in situations:
        if not situation:
            result.skipped += 1
            continue
        unit_input = dict(situation, benefit_month=month)
        _problems, unit = parse_unit(unit_input)
        if unit is None:
            result.skipped += 1
            continue
        result.units.append(unit)
        result.families.append(family_type_of(unit_input))
    return result


def current_caseload_situations() -> Any:
    """The latest stored determination's situation of every active case (streamed)."""
    determinations = sources.determinations()
    return (
        determinations.queryset.filter(benefit_unit__status=CaseStatus.ACTIVE)
        .order_by("benefit_unit_id", "-benefit_month", "-determined_at", "-id")
        .distinct("benefit_unit_id")
        .values_list("situation", flat=True)
        .iterator(chunk_size=5000)
    )


def summarise(
    baseline: list[int],
    reform: list[int],
    eligible_before: list[bool],
    eligible_after: list[bool],
    families: list[str],
) -> dict[str, Any]:
    """Costs, gainers and losers, bands of change and the split by family type (cents)."""
    gain_count = lose_count = 0
    gain_total = lose_total = 0
    bands = {key: 0 for key, _lo, _hi in CHANGE_BANDS}
    by_family: dict[str, dict[str, int]] = {
        key: {"cases": 0, "gaining": 0, "losing": 0, "change_cents": 0}
        for key, _l in FamilyType.CHOICES
    }
    for before, after, family in zip(baseline, reform, families, strict=True):
        change = after - before
        row = by_family[family]
        row["cases"] += 1
        row["change_cents"] += change
        if change > 0:
            gain_count += 1
            gain_total += change
            row["gaining"] += 1
        elif change < 0:
            lose_count += 1
            lose_total += change
            row["losing"] += 1
        for key, low, high in CHANGE_BANDS:
            if (low is None or change >= low) and (high is None or change < high):
                bands[key] += 1
                break
    baseline_total, reform_total = sum(baseline), sum(reform)
    return {
        "cases": len(baseline),
        "baseline_monthly_cents": baseline_total,
        "reform_monthly_cents": reform_total,
        "monthly_change_cents": reform_total - baseline_total,
        "annual_change_cents": (reform_total - baseline_total) * 12,
        "gaining": gain_count,
        "losing": lose_count,
        "unchanged": len(baseline) - gain_count - lose_count,
        "mean_gain_cents": round(gain_total / gain_count) if gain_count else 0,
        "mean_loss_cents": round(-lose_total / lose_count) if lose_count else 0,
        "newly_eligible": sum(
            1 for b, a in zip(eligible_before, eligible_after, strict=True) if a and not b
        ),
        "newly_ineligible": sum(
            1 for b, a in zip(eligible_before, eligible_after, strict=True) if b and not a
        ),
        "bands": bands,
        "by_family": by_family,
    }


def run_simulation(data: SimulationInput, overrides: dict[str, Decimal]) -> dict[str, Any]:
    baseline, eligible_before = payments_with_parameters(data.units, {})
    reform, eligible_after = payments_with_parameters(data.units, overrides)
    return summarise(baseline, reform, eligible_before, eligible_after, data.families)


ChunkResult = tuple[list[int], list[int], list[bool], list[bool], list[str], int]


# Situations shared with forked workers by memory (copy-on-write), not by pickling.
_SHARED: dict[str, Any] = {}


def _simulate_chunk(
    args: tuple[list[dict[str, Any]], dict[str, Decimal], dt.date],
) -> ChunkResult:
    situations, overrides, benefit_month = args
    data = simulation_input_from_situations(situations, benefit_month=benefit_month)
    baseline, eligible_before = payments_with_parameters(data.units, {})
    reform, eligible_after = payments_with_parameters(data.units, overrides)
    return baseline, reform, eligible_before, eligible_after, data.families, data.skipped


def _simulate_shared_range(bounds: tuple[int, int]) -> ChunkResult:
    start, stop = bounds
    situations = _SHARED["situations"][start:stop]
    return _simulate_chunk((situations, _SHARED["overrides"], _SHARED["benefit_month"]))


def simulate_situations(
    situations: list[dict[str, Any]],
    overrides: dict[str, Decimal],
    *,
    benefit_month: dt.date,
    workers: int = 1,
) -> tuple[dict[str, Any], int, int]:
    """Parse and simulate `situations` (split over `workers` forked processes: the machine's
    cores). Returns (summary, cases simulated, cases skipped). Order does not matter: the
    summary only adds up."""
    if workers <= 1 or len(situations) < 20_000:
        results = [_simulate_chunk((situations, overrides, benefit_month))]
    else:
        reformed_tax_benefit_system(overrides)  # load the rules once, before forking
        size = -(-len(situations) // workers)
        bounds = [(i, min(i + size, len(situations))) for i in range(0, len(situations), size)]
        _SHARED.update(situations=situations, overrides=overrides, benefit_month=benefit_month)
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                results = pool.map(_simulate_shared_range, bounds)
        finally:
            _SHARED.clear()
    baseline: list[int] = []
    reform: list[int] = []
    before: list[bool] = []
    after: list[bool] = []
    families: list[str] = []
    skipped = 0
    for (
        chunk_baseline,
        chunk_reform,
        chunk_before,
        chunk_after,
        chunk_families,
        chunk_skipped,
    ) in results:
        baseline += chunk_baseline
        reform += chunk_reform
        before += chunk_before
        after += chunk_after
        families += chunk_families
        skipped += chunk_skipped
    return summarise(baseline, reform, before, after, families), len(baseline), skipped


def suppressed_counts(summary: dict[str, Any]) -> dict[str, Any]:
    """Family-type and band counts of 1 to 9 cases are shown as None ("<10")."""

    def small(value: int) -> int | None:
        return None if 0 < value < SUPPRESSION_THRESHOLD else value

    out = dict(summary)
    out["bands"] = {k: small(v) for k, v in summary["bands"].items()}
    out["by_family"] = {
        family: {
            "cases": small(row["cases"]),
            "gaining": small(row["gaining"]),
            "losing": small(row["losing"]),
            "change_cents": None
            if 0 < row["cases"] < SUPPRESSION_THRESHOLD
            else row["change_cents"],
        }
        for family, row in summary["by_family"].items()
    }
    return out


def policy_simulation_run(
    *, acting_user: User, overrides: dict[str, Decimal], benefit_month: dt.date
) -> PolicySimulation:
    """Simulate `overrides` on the current caseload and record the run (nothing else changes)."""
    require_capability(acting_user, Capability.POLICY_SIMULATE)
    if not overrides:
        raise ApplicationError(
            _("Change at least one rule parameter."), field="overrides", code="required"
        )
    try:
        reformed_tax_benefit_system(overrides)
    except UnknownParameter as exc:
        raise ApplicationError(str(exc), field="overrides", code="unknown_parameter") from exc
    with use_replica():
        situations = list(current_caseload_situations())
    summary, simulated, skipped = simulate_situations(
        situations, overrides, benefit_month=benefit_month, workers=SIMULATION_WORKERS
    )
    with transaction.atomic():
        simulation = PolicySimulation(
            run_by=acting_user,
            benefit_month=benefit_month.replace(day=1),
            overrides={path: str(value) for path, value in overrides.items()},
            case_count=simulated,
            skipped_count=skipped,
            baseline_monthly_cents=summary["baseline_monthly_cents"],
            reform_monthly_cents=summary["reform_monthly_cents"],
            summary=summary,
            rules_version=RULES_VERSION,
        )
        simulation._history_user = acting_user  # type: ignore[attr-defined]
        simulation.save()
        audit_record(
            acting_user=acting_user,
            event_type=AuditEventType.POLICY_SIMULATION_RUN,
            subject=simulation,
            extra_data={
                "overrides": simulation.overrides,
                "cases": simulation.case_count,
                "monthly_change_cents": summary["monthly_change_cents"],
            },
        )
    return simulation
