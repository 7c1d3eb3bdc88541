# ruff: noqa: PLC0415  # Django models can only be imported after bench_database() sets Django up
"""Client search at province scale: `make bench`, or
`tools/with-test-postgres.sh .venv/bin/python bench/search.py [--cases N] [--searches N]`.

Builds a fresh PostgreSQL database with the synthetic 300,000-case caseload (bench/dataset.py),
then times staff searches through the real selector `person_search_for_user`, as a caseworker
of the largest delivery partner (the worst case for a partner-scoped search). The mix is what
a counter clerk types: a surname prefix, "surname first-name", a first name, a date of birth,
the last 3 digits of a SIN, a case number, and a part of a compound name typed alone (the
second half of "Jean-Philippe", or the whole name in any order: every word is a prefix of a name
word, through the GIN word index). Prints median / p95 / max in milliseconds.

Options: --cases N (default 300000), --searches N (default 300), --keep (keep the database).
Goal: median under 10 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from dataset import DEFAULT_CASES, bench_database, generate_caseload

GOAL_MEDIAN_MS = 10.0


def _queries(user_partner_id: int, count: int, rng: random.Random) -> list[tuple[str, str]]:
    """(kind, text) pairs taken from the partner's own people, so searches find something."""
    from caseworks.cases.models import BenefitUnit
    from caseworks.clients.models import Person

    sample = list(
        Person.objects.filter(delivery_partner_id=user_partner_id)
        .order_by("?")
        .values("first_name", "last_name", "date_of_birth", "sin_last3")[:count]
    )
    case_numbers = list(
        BenefitUnit.objects.filter(delivery_partner_id=user_partner_id)
        .order_by("?")
        .values_list("case_number", flat=True)[: max(1, count // 10)]
    )
    kinds = [
        ("surname prefix", 0.25),
        ("surname first-name", 0.20),
        ("first-name surname prefix", 0.10),
        ("part of a compound name", 0.10),
        ("date of birth", 0.15),
        ("SIN last 3", 0.10),
        ("case number", 0.10),
    ]
    queries: list[tuple[str, str]] = []
    for index in range(count):
        person = sample[index % len(sample)]
        kind = rng.choices([k for k, _ in kinds], weights=[w for _, w in kinds])[0]
        last = person["last_name"]
        first = person["first_name"]
        if kind == "surname prefix":
            text = last[: rng.randint(3, max(3, len(last)))]
        elif kind == "surname first-name":
            text = f"{last} {first[: rng.randint(1, len(first))]}"
        elif kind == "first-name surname prefix":
            text = f"{first} {last[:3]}"
        elif kind == "part of a compound name":
            parts = first.replace("-", " ").split()
            # "Philippe" alone for a Jean-Philippe; else the full name, surname first.
            text = parts[-1] if len(parts) > 1 else f"{last} {first}"
        elif kind == "date of birth":
            text = person["date_of_birth"].isoformat()
        elif kind == "SIN last 3" and person["sin_last3"]:
            text = person["sin_last3"]
        elif kind == "case number":
            text = rng.choice(case_numbers)
        else:
            kind, text = "surname prefix", last[:4]
        queries.append((kind, text))
    return queries


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return (
        f"median {statistics.median(ordered):6.1f} ms   p95 {p95:6.1f} ms   "
        f"max {ordered[-1]:6.1f} ms   (n={len(ordered)})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=DEFAULT_CASES)
    parser.add_argument("--searches", type=int, default=300)
    parser.add_argument("--keep", action="store_true", help="keep the caseworks_bench database")
    args = parser.parse_args()

    with bench_database("caseworks_bench", keep=args.keep):
        caseload = generate_caseload(cases=args.cases)
        print(f"bench: dataset {caseload.describe()}")

        from caseworks.clients.selectors import PersonSearch, person_search_for_user
        from caseworks.partners.models import DeliveryPartner

        partner_id = caseload.largest_partner_id
        user = caseload.caseworker_by_partner[partner_id]
        partner = DeliveryPartner.objects.get(pk=partner_id)
        rng = random.Random(7)
        queries = _queries(partner_id, args.searches, rng)
        print(
            f"bench: searching as a caseworker of {partner.name} "
            f"({caseload.cases_by_partner[partner_id]:,} of the {caseload.cases:,} cases)"
        )
        for _kind, text in queries[:20]:  # warm the connection and caches; not timed
            person_search_for_user(user=user, search=PersonSearch.from_text(text))
        timings: dict[str, list[float]] = {}
        every: list[float] = []
        empty = 0
        for kind, text in queries:
            search = PersonSearch.from_text(text)
            started = time.perf_counter()
            found = person_search_for_user(user=user, search=search)
            elapsed = (time.perf_counter() - started) * 1000
            empty += not found
            timings.setdefault(kind, []).append(elapsed)
            every.append(elapsed)
        print(f"bench: client search, {len(every)} searches ({empty} found nobody)")
        for kind, values in sorted(timings.items()):
            print(f"  {kind:<27} {_ms(values)}")
        print(f"  {'ALL':<27} {_ms(every)}")
        median = statistics.median(every)
        verdict = "OK" if median < GOAL_MEDIAN_MS else "SLOWER THAN GOAL"
        print(f"bench: search median {median:.1f} ms (goal < {GOAL_MEDIAN_MS:.0f} ms): {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
