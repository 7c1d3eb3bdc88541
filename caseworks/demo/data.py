"""SYNTHETIC demonstration data for `manage.py load_demo_data` (and `make run`).

Everything here is invented and labelled as such:

- three demo First Nations delivery partners, named "Demo First Nation A (synthetic)" and so on,
  flagged `is_demo=True`;
- offices named "<Partner> — Demo Office N" with no street address;
- staff accounts sharing one demo password (printed at the end of every run);
- ~400 cases with ~900 people. Names are common English and French names drawn at random;
  Social Insurance Numbers start with 0, which is never issued to a person, and pass the Luhn
  check so that the real validation accepts them; phones are 555-01xx numbers and e-mail
  addresses are at example.org (both reserved for fiction).

Every record is written through the real services (person_create, benefit_unit_create,
benefit_unit_member_add, case_status_change, case_note_create, task_create, case_transfer), so
audit events and row history exist as they would in real use. A fixed seed makes the data the
same on every machine (dates are relative to today).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from caseworks.accounts.constants import Role
from caseworks.accounts.models import User
from caseworks.accounts.services import staff_user_create
from caseworks.applications.services import application_start_for_case
from caseworks.cases.constants import CaseStatus, MemberRole, TransferKind
from caseworks.cases.models import BenefitUnit
from caseworks.cases.services import (
    benefit_unit_create,
    benefit_unit_member_add,
    case_note_create,
    case_status_change,
    case_transfer,
    task_create,
)
from caseworks.clients.constants import Language
from caseworks.clients.services import person_create
from caseworks.core.text import name_key
from caseworks.partners.constants import PartnerKind
from caseworks.partners.models import DeliveryPartner, Office
from caseworks.partners.reference import MINISTRY_CODE
from caseworks.partners.services import delivery_partner_create, office_create
from caseworks.payments.services import circumstances_change_record

from .scenes import demo_clients_online, demo_intake

DEMO_PASSWORD = "demo-Caseworks-2026"  # noqa: S105  # synthetic demo accounts only
# The demo accounts' second factor: one published authenticator key (base32, as apps take it)
# for all of them, like the published password. `make demo-code` prints the current code.
DEMO_TOTP_KEY_BASE32 = "CASEWORKSDEMOKEYFORALLDEMOLOGINS"  # synthetic demo accounts only
SEED = 20261123
# Written last, in the same transaction as everything else: if it exists, all the data does.
MARKER_USERNAME = "demo-admin"

STAFF_ROLES = (
    Role.INTAKE_CLERK,
    Role.CASEWORKER,
    Role.EMPLOYMENT_CASEWORKER,
    Role.SUPERVISOR,
    Role.PARTNER_ADMIN,
    Role.AUDITOR,
)
_ROLE_SLUG: dict[str, str] = {
    Role.INTAKE_CLERK: "intake",
    Role.CASEWORKER: "caseworker",
    Role.EMPLOYMENT_CASEWORKER: "employment",
    Role.SUPERVISOR: "supervisor",
    Role.PARTNER_ADMIN: "admin",
    Role.AUDITOR: "auditor",
    Role.MINISTRY_ANALYST: "analyst",
}


@dataclass(frozen=True)
class DemoPartner:
    """A partner that gets demo offices, staff and cases."""

    code: str
    short: str  # username prefix
    city: str
    offices: int
    cases: int
    roles: tuple[str, ...]
    # Demo First Nations are created here; the others come from load_reference_data.
    demo_name: str = ""


DEMO_FIRST_NATIONS = (
    ("demo-first-nation-a", "Demo First Nation A (synthetic)", "Première Nation A (démo)"),
    ("demo-first-nation-b", "Demo First Nation B (synthetic)", "Première Nation B (démo)"),
    ("demo-first-nation-c", "Demo First Nation C (synthetic)", "Première Nation C (démo)"),
)

DEMO_PARTNERS = (
    DemoPartner("city-of-toronto", "toronto", "Toronto", 2, 150, STAFF_ROLES),
    DemoPartner(
        "thunder-bay-district-social-services-administration-board",
        "thunderbay",
        "Thunder Bay",
        1,
        70,
        STAFF_ROLES,
    ),
    DemoPartner("city-of-ottawa", "ottawa", "Ottawa", 1, 45, (Role.CASEWORKER, Role.SUPERVISOR)),
    DemoPartner(
        "city-of-hamilton", "hamilton", "Hamilton", 1, 35, (Role.CASEWORKER, Role.SUPERVISOR)
    ),
    # The Ministry intake unit decides initial eligibility in its 10 areas, then hands cases to
    # the local delivery partner (O. Reg. 369/24); here it hands some to Hamilton.
    DemoPartner(MINISTRY_CODE, "ministry", "Toronto", 1, 40, (Role.CASEWORKER, Role.SUPERVISOR)),
    DemoPartner(
        "demo-first-nation-a", "fna", "", 1, 25, (Role.CASEWORKER,), DEMO_FIRST_NATIONS[0][1]
    ),
    DemoPartner(
        "demo-first-nation-b", "fnb", "", 1, 20, (Role.CASEWORKER,), DEMO_FIRST_NATIONS[1][1]
    ),
    DemoPartner(
        "demo-first-nation-c", "fnc", "", 1, 15, (Role.CASEWORKER,), DEMO_FIRST_NATIONS[2][1]
    ),
)
MINISTRY_HANDOFFS = 15  # Ministry cases granted and handed to Hamilton

FIRST_NAMES_EN = (  # noqa: SIM905  # a word list reads better as text
    "Olivia Liam Emma Noah Ava William Sophia James Charlotte Benjamin Amelia Lucas Mia Ethan "
    "Harper Jacob Evelyn Logan Abigail Owen Emily Nathan Chloe Ryan Grace Daniel Hannah Samuel "
    "Zoe Michael Sarah David Jessica Kevin Ashley Brandon Priya Arjun Fatima Omar Aisha Wei Mei "
    "Jin Amara Kwame Tyler Megan Jordan Taylor Dylan Brooke Marcus Keisha Hassan Leila"
).split()
FIRST_NAMES_FR = (  # noqa: SIM905  # a word list reads better as text
    "Gabriel Léa Félix Chloé Raphaël Juliette Antoine Camille Étienne Zoé Mathis Rosalie "
    "Olivier Béatrice Émile Florence Jérôme Geneviève Mathieu Mélanie Sébastien Marie-Ève "
    "Jean-Philippe Élodie Loïc Annick Benoît Josée Luc Sylvie Rémi Nathalie"
).split()
LAST_NAMES_EN = (  # noqa: SIM905  # a word list reads better as text
    "Smith Brown Martin Wilson MacDonald Johnson Taylor Campbell Anderson Lee Wong Patel Singh "
    "Nguyen Thompson White Clarke Harris Lewis Walker Young Scott Mitchell Stewart Reid Murphy "
    "Ahmed Khan Chen Li Mohamed Ali Williams Jones Kelly Robinson Grant Fraser Baker Morrison"
).split()
LAST_NAMES_FR = (  # noqa: SIM905  # a word list reads better as text
    "Tremblay Roy Gagnon Côté Bouchard Gauthier Morin Lavoie Fortin Gagné Ouellet Pelletier "
    "Bélanger Lévesque Bergeron Leclerc Paquette Girard Simard Boucher Caron Beaulieu Cloutier "
    "Dubé Poirier Fournier Lapointe Gosselin Lefebvre Desjardins Thériault Leblanc"
).split()

NOTES_EN = (
    "Intake interview completed by phone. Identification seen and copied to file.",
    "Client reports a change in rent from next month; asked for the new lease.",
    "Participation agreement discussed; client interested in a forklift certificate course.",
    "Bank statements for the last 30 days received and reviewed. No unreported income.",
    "Client called about a late cheque; confirmed direct deposit details.",
    "Home visit not needed; verification completed with documents on file.",
    "Referred to the local food bank and to a housing help centre.",
    "Client started part-time work; reminded to report earnings each month.",
)
NOTES_FR = (
    "Entrevue d'admission faite par téléphone. Pièces d'identité vues et versées au dossier.",
    "La cliente signale une hausse de loyer le mois prochain; demandé le nouveau bail.",
    "Entente de participation discutée; le client veut suivre un cours de français langue seconde.",
    "Relevés bancaires des 30 derniers jours reçus et vérifiés. Aucun revenu non déclaré.",
    "Appel au sujet d'un dépôt en retard; coordonnées bancaires confirmées.",
)
TASKS = (
    ("Request proof of rent", "verification"),
    ("Review reported earnings for the month", "income_review"),
    ("Schedule participation agreement review", "participation"),
    ("Follow up on missing bank statement", "verification"),
    ("Demander une preuve de loyer", "verification"),
    ("Revoir l'entente de participation", "participation"),
)
CLOSE_REASONS = (
    "Client found full-time employment; income now exceeds budgetary requirements.",
    "Client moved out of Ontario.",
    "Client now receives ODSP.",
    "Le client a trouvé un emploi à temps plein.",
)
SUSPEND_REASONS = (
    "Did not provide requested income verification by the due date.",
    "Mail returned; client could not be reached.",
)
DENY_REASONS = ("Assets above the limit for the benefit unit.", "Not a resident of Ontario.")
WITHDRAW_REASONS = ("Applicant withdrew: found employment before the decision.",)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    partner: str


def demo_sin(rng: random.Random, used: set[str]) -> str:
    """A 9-digit number starting with 0 (never issued to a person) that passes the Luhn check."""
    while True:
        body = "0" + "".join(str(rng.randint(0, 9)) for _ in range(7))
        total = 0
        for index, char in enumerate(reversed(body)):
            digit = int(char)
            if index % 2 == 0:  # positions that are doubled once the check digit is appended
                digit *= 2
                if digit > 9:
                    digit -= 9
            total += digit
        sin = body + str((10 - total % 10) % 10)
        if sin not in used:
            used.add(sin)
            return sin


def demo_logins() -> list[DemoLogin]:
    """Every demo account that exists in the database, for the table printed after loading."""
    usernames = [MARKER_USERNAME, "province.analyst", "province.auditor"]
    for demo in DEMO_PARTNERS:
        usernames += [f"{demo.short}.{_ROLE_SLUG[role]}" for role in demo.roles]
    users = {
        u.username: u
        for u in User.objects.filter(username__in=usernames).select_related("delivery_partner")
    }
    logins = []
    for username in usernames:
        user = users.get(username)
        if user is None:
            continue
        role = "superuser (Django admin)" if user.is_superuser else user.get_role_display()
        partner = user.delivery_partner.name if user.delivery_partner else "— (province-wide)"
        logins.append(DemoLogin(username=username, role=str(role), partner=partner))
    return logins


def demo_second_factor_ensure() -> int:
    """Give every demo account without a second factor the demo authenticator (idempotent:
    also for a demo database loaded before second factors existed). Returns how many."""
    import base64  # noqa: PLC0415

    from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: PLC0415

    key_hex = base64.b32decode(DEMO_TOTP_KEY_BASE32).hex()
    usernames = [login.username for login in demo_logins()]
    have = set(
        TOTPDevice.objects.filter(user__username__in=usernames, confirmed=True).values_list(
            "user__username", flat=True
        )
    )
    made = [
        TOTPDevice(user=user, name="Demo authenticator", key=key_hex, confirmed=True)
        for user in User.objects.filter(username__in=usernames).exclude(username__in=have)
    ]
    TOTPDevice.objects.bulk_create(made)
    return len(made)


def demo_second_factor_code() -> str:
    """The demo authenticator's code now (what an app given DEMO_TOTP_KEY_BASE32 shows)."""
    import base64  # noqa: PLC0415

    from django_otp.oath import TOTP  # noqa: PLC0415

    return f"{TOTP(base64.b32decode(DEMO_TOTP_KEY_BASE32)).token():06d}"


def demo_data_loaded() -> bool:
    return User.objects.filter(username=MARKER_USERNAME).exists()


class _Loader:
    def __init__(self, *, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311  # reproducible demo data, not secrets
        self.today = timezone.localdate()
        self.password_hash = make_password(DEMO_PASSWORD)
        self.used_sins: set[str] = set()
        self.used_identities: set[tuple[str, str, dt.date]] = set()
        self.counts: dict[str, int] = {"people": 0, "cases": 0, "notes": 0, "tasks": 0}

    # --- network and staff -------------------------------------------------------------

    def partners(self) -> dict[str, DeliveryPartner]:
        found = {p.code: p for p in DeliveryPartner.objects.filter(code__in=_codes())}
        for code, name, name_fr in DEMO_FIRST_NATIONS:
            if code not in found:
                found[code] = delivery_partner_create(
                    acting_user=None,
                    code=code,
                    name=name,
                    name_fr=name_fr,
                    kind=PartnerKind.FIRST_NATION,
                    region="Synthetic demonstration partner; not a real First Nation.",
                    notes=(
                        "SYNTHETIC: made up for the demonstration. Real First Nations delivery "
                        "partners are registered through the admin screen."
                    ),
                    source="caseworks load_demo_data (synthetic)",
                    is_demo=True,
                )
        missing = sorted(set(_codes()) - set(found))
        if missing:
            raise RuntimeError(f"run load_reference_data first (missing: {', '.join(missing)})")
        return found

    def offices(self, demo: DemoPartner, partner: DeliveryPartner) -> list[Office]:
        label = demo.city or partner.name.replace(" (synthetic)", "")
        existing = {o.name: o for o in Office.objects.filter(delivery_partner=partner)}
        made = []
        for n in range(1, demo.offices + 1):
            name = f"{label} — Demo Office {n}"
            office = existing.get(name) or office_create(
                acting_user=None, delivery_partner=partner, name=name, city=demo.city
            )
            made.append(office)
        return made

    def staff(
        self, *, username: str, role: str, partner: DeliveryPartner | None, office: Any
    ) -> User:
        existing = User.objects.filter(username=username).first()
        if existing is not None:
            return existing
        first = self.rng.choice(FIRST_NAMES_EN + FIRST_NAMES_FR)
        return staff_user_create(
            acting_user=None,
            username=username,
            password="",
            password_hash=self.password_hash,
            role=role,
            delivery_partner=partner,
            office=office,
            first_name=first,
            last_name=f"Demo {_ROLE_SLUG.get(role, role).title()}",
            email=f"{username}@example.org",
        )

    # --- people and cases --------------------------------------------------------------

    def _name(self, french: bool) -> tuple[str, str]:
        firsts = FIRST_NAMES_FR if french else FIRST_NAMES_EN
        lasts = LAST_NAMES_FR if french else LAST_NAMES_EN
        return self.rng.choice(firsts), self.rng.choice(lasts)

    def person(
        self, *, user: User, city: str, age_range: tuple[int, int], on: dt.date, last: str = ""
    ) -> Any:
        french = self.rng.random() < 0.3
        while True:
            first, family = self._name(french)
            family = last or family
            years = self.rng.randint(*age_range)
            born = on - relativedelta(years=years) - dt.timedelta(days=self.rng.randint(1, 360))
            key = (first, family, born)
            if key not in self.used_identities:
                self.used_identities.add(key)
                break
        has_sin = years >= 16 or self.rng.random() < 0.5
        self.counts["people"] += 1
        return person_create(
            acting_user=user,
            first_name=first,
            last_name=family,
            date_of_birth=born,
            sin=demo_sin(self.rng, self.used_sins) if has_sin else "",
            phone=f"416-555-01{self.rng.randint(0, 99):02d}" if years >= 16 else "",
            email=name_key(f"{first}.{family}").replace(" ", ".") + "@example.org"
            if years >= 18 and self.rng.random() < 0.6
            else "",
            city=city,
            language_preference=Language.FRENCH
            if french and self.rng.random() < 0.7
            else Language.ENGLISH,
        )

    def case(self, *, user: User, offices: list[Office], city: str) -> BenefitUnit:
        rng = self.rng
        opened = self.today - dt.timedelta(days=rng.randint(3, 720))
        applicant = self.person(user=user, city=city, age_range=(18, 64), on=opened)
        unit = benefit_unit_create(
            acting_user=user,
            applicant=applicant,
            opened_on=opened,
            office=rng.choice(offices),
            caseworker=user,
        )
        self.counts["cases"] += 1
        if rng.random() < 0.3:
            spouse = self.person(
                user=user, city=city, age_range=(18, 64), on=opened, last=applicant.last_name
            )
            benefit_unit_member_add(
                acting_user=user,
                benefit_unit=unit,
                person=spouse,
                role=MemberRole.SPOUSE,
                start_on=opened,
            )
        if rng.random() < 0.4:
            for _ in range(rng.randint(1, 3)):
                child = self.person(
                    user=user, city=city, age_range=(0, 16), on=opened, last=applicant.last_name
                )
                benefit_unit_member_add(
                    acting_user=user,
                    benefit_unit=unit,
                    person=child,
                    role=MemberRole.DEPENDANT_CHILD,
                    start_on=opened,
                )
        unit.refresh_from_db()
        self.status_history(user=user, unit=unit, opened=opened)
        unit.refresh_from_db()
        if unit.status == CaseStatus.PENDING:
            # A case whose application is in progress has its application (the case page
            # offers "Complete the application", never "This case has no application.").
            application_start_for_case(acting_user=user, benefit_unit=unit)
            self.counts["applications"] = self.counts.get("applications", 0) + 1
        for _ in range(rng.randint(0, 3)):
            body = rng.choice(NOTES_FR if applicant.language_preference == "fr" else NOTES_EN)
            case_note_create(acting_user=user, benefit_unit=unit, body=body)
            self.counts["notes"] += 1
        unit.refresh_from_db()
        if unit.status in (CaseStatus.PENDING, CaseStatus.ACTIVE) and rng.random() < 0.4:
            title, kind = rng.choice(TASKS)
            task_create(
                acting_user=user,
                benefit_unit=unit,
                title=title,
                kind=kind,
                due_on=self.today + dt.timedelta(days=rng.randint(-10, 30)),
            )
            self.counts["tasks"] += 1
        return unit

    def housing(self, *, user: User, unit: BenefitUnit, granted: dt.date) -> None:
        """The case's housing and assets from the month of the grant (a dated version), so the
        demo's payment runs calculate it. Drawn from a generator of the case's own, so the rest
        of the demo data is the same as without it."""
        rng = random.Random(SEED + unit.pk)  # noqa: S311  # reproducible demo data
        roll = rng.random()
        shelter_type = (
            "rent"
            if roll < 0.75
            else "own"
            if roll < 0.85
            else "board_and_lodging"
            if roll < 0.92
            else "no_fixed_address"
        )
        cost = 0 if shelter_type == "no_fixed_address" else rng.randrange(450, 1450, 25) * 100
        circumstances_change_record(
            acting_user=user,
            benefit_unit=unit,
            effective_month=granted.replace(day=1),
            shelter_type=shelter_type,
            shelter_cost_cents=cost,
            assets=[{"type": "bank_account", "value_cents": rng.randrange(0, 3000) * 100}],
            reason="Housing and assets at the grant (synthetic demo data)",
        )
        self.counts["housing versions"] = self.counts.get("housing versions", 0) + 1

    def _later(self, start: dt.date, low: int, high: int) -> dt.date:
        return min(self.today, start + dt.timedelta(days=self.rng.randint(low, high)))

    def status_history(self, *, user: User, unit: BenefitUnit, opened: dt.date) -> None:
        """Walk the case through realistic statuses along the allowed transitions."""
        rng = self.rng
        roll = rng.random()
        if (self.today - opened).days < 20 or roll < 0.14:
            return  # still pending: application in progress
        if roll < 0.19:
            case_status_change(
                acting_user=user,
                benefit_unit=unit,
                to_status=CaseStatus.DENIED,
                reason=rng.choice(DENY_REASONS),
                effective_on=self._later(opened, 5, 20),
            )
            return
        if roll < 0.23:
            case_status_change(
                acting_user=user,
                benefit_unit=unit,
                to_status=CaseStatus.WITHDRAWN,
                reason=rng.choice(WITHDRAW_REASONS),
                effective_on=self._later(opened, 2, 15),
            )
            return
        granted = self._later(opened, 5, 20)
        unit = case_status_change(
            acting_user=user, benefit_unit=unit, to_status=CaseStatus.ACTIVE, effective_on=granted
        )
        self.housing(user=user, unit=unit, granted=granted)
        if roll < 0.80 or (self.today - granted).days < 30:
            return
        if roll < 0.88:
            case_status_change(
                acting_user=user,
                benefit_unit=unit,
                to_status=CaseStatus.SUSPENDED,
                reason=rng.choice(SUSPEND_REASONS),
                effective_on=self._later(granted, 30, 200),
            )
            return
        case_status_change(
            acting_user=user,
            benefit_unit=unit,
            to_status=CaseStatus.CLOSED,
            reason=rng.choice(CLOSE_REASONS),
            effective_on=self._later(granted, 30, 300),
        )

    # --- the whole load ----------------------------------------------------------------

    def run(self) -> dict[str, int]:
        partners = self.partners()
        workers: dict[str, User] = {}
        supervisors: dict[str, User] = {}
        office_map: dict[str, list[Office]] = {}
        for demo in DEMO_PARTNERS:
            partner = partners[demo.code]
            offices = self.offices(demo, partner)
            office_map[demo.code] = offices
            for role in demo.roles:
                user = self.staff(
                    username=f"{demo.short}.{_ROLE_SLUG[role]}",
                    role=role,
                    partner=partner,
                    office=offices[0],
                )
                if role == Role.CASEWORKER:
                    workers[demo.code] = user
                if role == Role.SUPERVISOR:
                    supervisors[demo.code] = user
        self.staff(
            username="province.analyst", role=Role.MINISTRY_ANALYST, partner=None, office=None
        )
        self.staff(username="province.auditor", role=Role.AUDITOR, partner=None, office=None)

        ministry_granted: list[BenefitUnit] = []
        for demo in DEMO_PARTNERS:
            for _ in range(demo.cases):
                unit = self.case(
                    user=workers[demo.code], offices=office_map[demo.code], city=demo.city
                )
                if demo.code == MINISTRY_CODE and unit.status == CaseStatus.ACTIVE:
                    ministry_granted.append(unit)
        for demo in DEMO_PARTNERS:
            demo_intake(user=workers[demo.code], today=self.today, counts=self.counts)
        hamilton = partners["city-of-hamilton"]
        for unit in ministry_granted[:MINISTRY_HANDOFFS]:
            unit.refresh_from_db()
            case_transfer(
                acting_user=supervisors[MINISTRY_CODE],
                benefit_unit=unit,
                to_partner=hamilton,
                to_office=office_map["city-of-hamilton"][0],
                kind=TransferKind.MINISTRY_HANDOFF,
                reason=(
                    "Initial eligibility granted by the Ministry intake unit; ongoing case "
                    "management by the delivery partner."
                ),
            )
        self.counts["handoffs"] = min(len(ministry_granted), MINISTRY_HANDOFFS)
        demo_clients_online(worker=workers["city-of-toronto"], today=self.today, counts=self.counts)
        # The marker: a superuser for the Django admin, created last.
        staff_user_create(
            acting_user=None,
            username=MARKER_USERNAME,
            password="",
            password_hash=self.password_hash,
            role="",
            first_name="Demo",
            last_name="Administrator",
            email="demo-admin@example.org",
            is_staff=True,
            is_superuser=True,
        )
        return self.counts


def _codes() -> list[str]:
    return [demo.code for demo in DEMO_PARTNERS]


def load_demo_data(*, seed: int = SEED) -> dict[str, int] | None:
    """Load everything in one transaction (all or nothing). None if it was already loaded."""
    if demo_data_loaded():
        return None
    with transaction.atomic():
        return _Loader(seed=seed).run()
