"""The real delivery network loaded by `manage.py load_reference_data`.

Kept apart from the management command so that tests and other loaders (the demo data, the
benchmarks) read the same rows.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.utils.text import slugify

from .constants import PartnerKind

DATA_DIR = Path(__file__).resolve().parent / "data"
SERVICE_MANAGERS_CSV = DATA_DIR / "service_managers.csv"
SERVICE_MANAGERS_SOURCE = "caseworks/partners/data/service_managers.csv (see SOURCE.md)"
EXPECTED_COUNTS = {PartnerKind.CMSM: 37, PartnerKind.DSSAB: 10}

MINISTRY_CODE = "mccss"
MINISTRY: dict[str, str] = {
    "code": MINISTRY_CODE,
    "name": "Ministry of Children, Community and Social Services",
    "name_fr": "Ministère des Services à l'enfance et des Services sociaux et communautaires",
    "kind": PartnerKind.MINISTRY,
    "region": (
        "Province of Ontario; delivery agent for initial eligibility decisions in 10 areas: "
        "Hamilton; Kawartha Lakes and Haliburton; Brant and Brantford; Northumberland; "
        "Peterborough; Muskoka; Norfolk and Haldimand; Niagara; Peel; York"
    ),
    "notes": (
        "Since 1 October 2024 the Ministry is the Ontario Works delivery agent for initial "
        "eligibility decisions (including the first payment and the notice to the applicant) "
        "in 10 geographic areas, with the service manager there as delivery partner "
        "(O. Reg. 369/24 amending O. Reg. 136/98, Schedule 1; Ministry memo of 25 September "
        "2024). Ministry intake staff belong to this partner."
    ),
    "source": "O. Reg. 369/24 (filed 23 Sep 2024), https://ontario.ca/laws/regulation/R24369",
}

_KINDS = {"CMSM": PartnerKind.CMSM, "DSSAB": PartnerKind.DSSAB}


@dataclass(frozen=True)
class ServiceManagerRow:
    code: str
    name: str
    kind: str
    region: str
    notes: str


def service_manager_code(name: str) -> str:
    """A stable code from the name: 'City of Toronto' -> 'city-of-toronto'."""
    return slugify(name)[:64]


def service_manager_rows(path: Path = SERVICE_MANAGERS_CSV) -> list[ServiceManagerRow]:
    """Read and check the service managers file: 37 CMSMs and 10 DSSABs, no duplicates."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = []
        for line in reader:
            kind = _KINDS.get(line["type"].strip())
            if kind is None:
                raise ValueError(f"{path.name}: unknown type {line['type']!r} for {line['name']!r}")
            name = line["name"].strip()
            rows.append(
                ServiceManagerRow(
                    code=service_manager_code(name),
                    name=name,
                    kind=kind,
                    region=line["region"].strip(),
                    notes=line["notes"].strip(),
                )
            )
    counts = {kind: sum(1 for r in rows if r.kind == kind) for kind in EXPECTED_COUNTS}
    if counts != EXPECTED_COUNTS:
        raise ValueError(
            f"{path.name}: expected 37 CMSMs and 10 DSSABs, found "
            f"{counts[PartnerKind.CMSM]} and {counts[PartnerKind.DSSAB]}"
        )
    if len({r.code for r in rows}) != len(rows):
        raise ValueError(f"{path.name}: two service managers have the same code")
    return rows
