# ruff: noqa: PLC0415  # Django models can only be imported after bench_database() sets Django up
"""A province-sized SYNTHETIC caseload for benchmarks: 300,000 cases, ~450,000 people, 48 partners.

Reused by every benchmark that needs Ontario-scale data (client search, caseload views, payment
runs). Two steps:

    with bench_database("caseworks_bench"):   # fresh PostgreSQL database, migrated, Django set up
        caseload = generate_caseload(cases=300_000)

Rows are written with PostgreSQL COPY (psycopg `cursor.copy()`), not through the services: a
benchmark needs the volume in a couple of minutes, and the services' behaviour is tested
elsewhere. Every column of each table is filled from the model's own field list (values given
here, or the field's default), so a column added by a later migration does not break the
generator as long as it has a default.

All data is synthetic: names drawn from common English and French names plus generated
surnames, SINs that start with 0 (never issued) and pass the Luhn check, no addresses.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import random
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SEED = 300_000
DEFAULT_CASES = 300_000

FIRST_NAMES = (  # noqa: SIM905  # a word list reads better as text
    "Olivia Liam Emma Noah Ava William Sophia James Charlotte Benjamin Amelia Lucas Mia Ethan "
    "Harper Jacob Evelyn Logan Abigail Owen Emily Nathan Chloe Ryan Grace Daniel Hannah Samuel "
    "Zoe Michael Sarah David Jessica Kevin Ashley Brandon Priya Arjun Fatima Omar Aisha Wei Mei "
    "Jin Amara Kwame Tyler Megan Jordan Taylor Dylan Brooke Marcus Keisha Hassan Leila Robert "
    "Jennifer Mary Patricia Linda Elizabeth Susan Karen Nancy Lisa Betty Sandra Donna Carol "
    "Joseph Thomas Charles Christopher Matthew Anthony Mark Donald Steven Paul Andrew Joshua "
    "Kenneth George Brian Edward Ronald Timothy Jason Jeffrey Gary Nicholas Eric Jonathan "
    "Stephen Larry Justin Scott Frank Raymond Gregory Alexander Patrick Jack Dennis Tyrone "
    "Gabriel Léa Félix Chloé Raphaël Juliette Antoine Camille Étienne Zoé Mathis Rosalie "
    "Olivier Béatrice Émile Florence Jérôme Geneviève Mathieu Mélanie Sébastien Marie-Ève "
    "Jean-Philippe Élodie Loïc Annick Benoît Josée Luc Sylvie Rémi Nathalie Denis Chantal "
    "Ahmed Mohammed Ali Yusuf Zainab Maryam Ibrahim Hamza Noor Sana Ravi Anil Sunita Deepa "
    "Harpreet Gurpreet Manpreet Simran Jasmine Mandeep Li Xin Yan Hui Ming Hao Chen Thi Minh "
    "Anh Linh Hoa Tuan Duc Kofi Ama Yaw Abena Chidi Ngozi Emeka Adaeze Tariq Farah Layla Yara"
).split()
LAST_NAMES = (  # noqa: SIM905  # a word list reads better as text
    "Smith Brown Martin Wilson MacDonald Johnson Taylor Campbell Anderson Lee Wong Patel Singh "
    "Nguyen Thompson White Clarke Harris Lewis Walker Young Scott Mitchell Stewart Reid Murphy "
    "Ahmed Khan Chen Li Mohamed Ali Williams Jones Kelly Robinson Grant Fraser Baker Morrison "
    "Tremblay Roy Gagnon Côté Bouchard Gauthier Morin Lavoie Fortin Gagné Ouellet Pelletier "
    "Bélanger Lévesque Bergeron Leclerc Paquette Girard Simard Boucher Caron Beaulieu Cloutier "
    "Dubé Poirier Fournier Lapointe Gosselin Lefebvre Desjardins Thériault Leblanc Sharma Gill "
    "Kaur Sandhu Dhillon Grewal Zhang Wang Liu Huang Zhao Wu Tran Pham Hoang Phan Vu Kim Park "
    "Choi Jung Kang Cho Silva Santos Pereira Costa Rodrigues Ferreira Garcia Martinez Lopez "
    "Gonzalez Hernandez Perez Sanchez Ramirez Torres Flores Rivera Gomez Diaz Cruz Morales "
    "Mensah Owusu Boateng Okafor Okeke Adeyemi Hussein Abdi Warsame Yusuf Hassan Osman "
    "Johnston Graham Ross Hamilton Henderson Morgan Bell Wright Hughes Edwards Collins Stevens"
).split()
_SYLLABLES = (  # noqa: SIM905  # a word list reads better as text
    "ka to mi ra be lo ve na ri so de la mo ti sa ne ko ru pe li da fo gu ha ji ma no pa "
    "qui re su ta vo wa xe yo ze bra cho dri fla gre klo pru stra tro vin"
).split()


def _synthetic_surname(rng: random.Random) -> str:
    """A made-up but pronounceable surname for the long tail of rare names."""
    word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
    return word.capitalize()


def demo_sin(person_id: int) -> str:
    """9 digits: 0 + the id on 7 digits + a Luhn check digit (0-prefixed SINs are never issued)."""
    body = f"0{person_id % 10_000_000:07d}"
    total = 0
    for index, char in enumerate(reversed(body)):
        digit = int(char)
        if index % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return body + str((10 - total % 10) % 10)


@contextlib.contextmanager
def bench_database(name: str = "caseworks_bench", *, keep: bool = False) -> Iterator[str]:
    """Create a fresh database `name` beside DATABASE_URL's, point Django at it and migrate.

    DATABASE_URL must be PostgreSQL (`make bench` starts a private cluster). The database is
    dropped afterwards unless `keep`.
    """
    import psycopg

    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith("postgres"):
        raise SystemExit(
            "bench: DATABASE_URL must point at PostgreSQL (run through tools/with-test-postgres.sh)"
        )
    parts = urlsplit(base_url)
    bench_url = urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(base_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DEBUG"] = "0"  # no query log: it would cost memory and time
    os.environ.setdefault("CONN_MAX_AGE", "0")
    import django

    django.setup()
    from django.core.management import call_command

    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"bench: migrated {name} in {time.monotonic() - started:.1f} s")
    try:
        yield bench_url
    finally:
        from django.db import connections

        connections.close_all()
        os.environ["DATABASE_URL"] = base_url
        if not keep:
            with psycopg.connect(base_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _copy(model: Any, rows: Iterable[dict[str, Any]]) -> int:
    """COPY rows into the model's table. Columns not given take the field's default."""
    from django.db import connection

    fields = list(model._meta.concrete_fields)
    columns = ", ".join(f'"{f.column}"' for f in fields)
    defaults: dict[str, Any] = {}
    for f in fields:
        if f.has_default() or (f.empty_strings_allowed and f.blank and not f.null):
            value = f.get_default()  # "" for blank text fields
            defaults[f.attname] = json.dumps(value) if isinstance(value, dict | list) else value
        elif f.null:
            defaults[f.attname] = None
    count = 0
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # the psycopg cursor
        with cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
            for row in rows:
                values = []
                for f in fields:
                    if f.attname in row:
                        values.append(row[f.attname])
                    elif f.attname in defaults:
                        values.append(defaults[f.attname])
                    else:
                        raise KeyError(f"{model.__name__}.{f.attname} has no value and no default")
                copy.write_row(values)
                count += 1
    return count


def _reset_sequence(model: Any) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(sql)


@dataclass
class Caseload:
    """What generate_caseload() made: sizes and handles for the benchmarks."""

    cases: int = 0
    people: int = 0
    members: int = 0
    partners: int = 0
    seconds: float = 0.0
    caseworker_by_partner: dict[int, Any] = field(default_factory=dict)
    cases_by_partner: dict[int, int] = field(default_factory=dict)
    largest_partner_id: int = 0

    def describe(self) -> str:
        return (
            f"{self.cases:,} cases, {self.people:,} people, {self.members:,} memberships, "
            f"{self.partners} delivery partners (generated in {self.seconds:.0f} s)"
        )


# Share of the province's cases by partner code; every other partner shares the rest equally.
# Rough shape only (Toronto is by far the largest, then the big GTA regions and cities).
_WEIGHTS = {
    "city-of-toronto": 0.22,
    "regional-municipality-of-peel": 0.07,
    "city-of-ottawa": 0.06,
    "city-of-hamilton": 0.05,
    "regional-municipality-of-durham": 0.035,
    "regional-municipality-of-york": 0.035,
    "regional-municipality-of-niagara": 0.03,
    "city-of-london": 0.03,
    "city-of-windsor": 0.025,
    "regional-municipality-of-waterloo": 0.025,
}


def generate_caseload(
    *, cases: int = DEFAULT_CASES, seed: int = SEED, today: dt.date | None = None
) -> Caseload:
    """Fill the (empty, migrated) database with a synthetic province-wide caseload."""
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from caseworks.accounts.constants import Role
    from caseworks.accounts.models import User
    from caseworks.cases.constants import CaseStatus, MemberRole
    from caseworks.cases.models import BenefitUnit, BenefitUnitMember
    from caseworks.cases.services import case_number_for
    from caseworks.clients.models import Person
    from caseworks.core.text import name_key
    from caseworks.partners.models import DeliveryPartner

    started = time.monotonic()
    rng = random.Random(seed)  # reproducible synthetic data
    today = today or timezone.localdate()
    now = timezone.now()
    call_command("load_reference_data", verbosity=0)
    partners = list(DeliveryPartner.objects.order_by("pk"))
    result = Caseload(partners=len(partners))
    for partner in partners:
        user = User.objects.create(
            username=f"bench.{partner.code}"[:150],
            role=Role.CASEWORKER,
            delivery_partner=partner,
            first_name="Bench",
            last_name="Caseworker",
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        result.caseworker_by_partner[partner.pk] = user

    rest = [p for p in partners if p.code not in _WEIGHTS]
    rest_share = (1.0 - sum(_WEIGHTS.values())) / len(rest)
    weights = [_WEIGHTS.get(p.code, rest_share) for p in partners]
    partner_ids = [p.pk for p in partners]
    unit_partner = rng.choices(partner_ids, weights=weights, k=cases)
    for pid in unit_partner:
        result.cases_by_partner[pid] = result.cases_by_partner.get(pid, 0) + 1
    result.largest_partner_id = max(result.cases_by_partner, key=result.cases_by_partner.get)  # type: ignore[arg-type]

    statuses = [
        (CaseStatus.ACTIVE, 0.74),
        (CaseStatus.PENDING, 0.06),
        (CaseStatus.SUSPENDED, 0.04),
        (CaseStatus.CLOSED, 0.12),
        (CaseStatus.DENIED, 0.03),
        (CaseStatus.WITHDRAWN, 0.01),
    ]
    status_values = [s for s, _ in statuses]
    status_weights = [w for _, w in statuses]
    first_keys = {n: name_key(n) for n in FIRST_NAMES}

    people: list[dict[str, Any]] = []
    units: list[dict[str, Any]] = []
    members: list[dict[str, Any]] = []
    person_id = 0
    member_id = 0

    def new_person(partner_id: int, last: str, born: dt.date, creator: int) -> int:
        nonlocal person_id
        person_id += 1
        first = rng.choice(FIRST_NAMES)
        sin = demo_sin(person_id) if (today - born).days > 16 * 365 or rng.random() < 0.3 else ""
        people.append(
            {
                "id": person_id,
                "created_at": now,
                "modified_at": now,
                "delivery_partner_id": partner_id,
                "first_name": first,
                "middle_name": "",
                "last_name": last,
                "date_of_birth": born,
                "sin": sin,
                "sin_last3": sin[-3:],
                "first_name_key": first_keys[first],
                "last_name_key": name_key(last),
                "language_preference": "fr" if rng.random() < 0.08 else "en",
                "created_by_id": creator,
            }
        )
        return person_id

    for unit_id in range(1, cases + 1):
        partner_id = unit_partner[unit_id - 1]
        creator = result.caseworker_by_partner[partner_id].pk
        opened = today - dt.timedelta(days=rng.randint(1, 2500))
        status = rng.choices(status_values, weights=status_weights)[0]
        closed = (
            None
            if status in (CaseStatus.ACTIVE, CaseStatus.PENDING, CaseStatus.SUSPENDED)
            else min(today, opened + dt.timedelta(days=rng.randint(10, 900)))
        )
        units.append(
            {
                "id": unit_id,
                "created_at": now,
                "modified_at": now,
                "case_number": case_number_for(unit_id),
                "delivery_partner_id": partner_id,
                "office_id": None,
                "caseworker_id": creator,
                "status": status,
                "opened_on": opened,
                "status_changed_on": closed or opened,
                "closed_on": closed,
                "version": 1,
            }
        )
        last = rng.choice(LAST_NAMES) if rng.random() < 0.75 else _synthetic_surname(rng)
        household: list[tuple[str, dt.date]] = [
            (MemberRole.APPLICANT, today - dt.timedelta(days=rng.randint(18 * 365, 64 * 365)))
        ]
        if rng.random() < 0.2:
            household.append(
                (MemberRole.SPOUSE, today - dt.timedelta(days=rng.randint(18 * 365, 64 * 365)))
            )
        if rng.random() < 0.15:
            for _ in range(rng.randint(1, 3)):
                household.append(
                    (
                        MemberRole.DEPENDANT_CHILD,
                        opened - dt.timedelta(days=rng.randint(30, 17 * 365)),
                    )
                )
        for role, born in household:
            pid = new_person(partner_id, last, born, creator)
            member_id += 1
            members.append(
                {
                    "id": member_id,
                    "created_at": now,
                    "modified_at": now,
                    "benefit_unit_id": unit_id,
                    "person_id": pid,
                    "role": role,
                    "start_on": opened,
                    "end_on": closed,
                }
            )

    with transaction.atomic():
        result.people = _copy(Person, people)
        result.cases = _copy(BenefitUnit, units)
        result.members = _copy(BenefitUnitMember, members)
        for model in (Person, BenefitUnit, BenefitUnitMember):
            _reset_sequence(model)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    result.seconds = time.monotonic() - started
    return result
