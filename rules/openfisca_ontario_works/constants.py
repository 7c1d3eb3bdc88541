"""Names shared by the variables, the input layer and the oracle."""

from __future__ import annotations

from openfisca_core.indexed_enums import Enum

ROLES: tuple[str, ...] = ("applicant", "spouse", "dependant")
ROLE_APPLICANT, ROLE_SPOUSE, ROLE_DEPENDANT = 0, 1, 2

UNEARNED_INCOME_TYPES: tuple[str, ...] = (
    "employment_insurance",
    "cpp",
    "spousal_support",
    "child_support",
    "canada_child_benefit",
    "ontario_child_benefit",
    "workers_compensation",
    "other",
    "cpp_childrens_benefit",
    "cpp_orphans_benefit",
)

ASSET_TYPES: tuple[str, ...] = (
    "cash",
    "bank_account",
    "rrsp",
    "tfsa",
    "resp",
    "rdsp",
    "principal_residence",
    "vehicle",
    "second_vehicle",
    "other",
    "locked_in_retirement",
)

SHELTER_TYPES: tuple[str, ...] = ("rent", "own", "board_and_lodging", "no_fixed_address")
SHELTER_RENT, SHELTER_OWN, SHELTER_BOARD_AND_LODGING, SHELTER_NO_FIXED_ADDRESS = 0, 1, 2, 3

# Where the benefit unit lives (unit field `residence`, default "community"): a municipal emergency
# hostel (basic needs, no shelter amount) or an institution that pays the personal-needs
# allowance instead of basic needs and shelter (long-term care home; community residence funded
# by the provincial corrections ministry: temporary absence, probation, parole).
RESIDENCES: tuple[str, ...] = (
    "community",
    "emergency_hostel",
    "long_term_care",
    "correctional_community_residence",
)
RESIDENCE_COMMUNITY, RESIDENCE_EMERGENCY_HOSTEL = 0, 1
RESIDENCE_LONG_TERM_CARE, RESIDENCE_CORRECTIONAL = 2, 3

# First benefit month the rules cover; first month with a verified board-and-lodging table.
FIRST_BENEFIT_MONTH = "2016-10"
FIRST_BOARD_AND_LODGING_MONTH = "2017-10"

# Largest accepted single amount, in cents ($1,000,000.00); keeps every sum inside int32 cents.
MAX_AMOUNT_CENTS = 100_000_000
# Largest accepted total of a unit's income or assets, in cents ($10,000,000.00).
MAX_TOTAL_CENTS = 1_000_000_000

# The overpayment recovery rate is carried as an integer number of ten-thousandths (basis points).
RATE_SCALE = 10_000


class ShelterType(Enum):
    """How the benefit unit is housed (order matches SHELTER_TYPES)."""

    rent = "Rents"
    own = "Owns"
    board_and_lodging = "Board and lodging from the same source"
    no_fixed_address = "No fixed address"


class ResidenceType(Enum):
    """Where the benefit unit lives (order matches RESIDENCES)."""

    community = "In the community"
    emergency_hostel = "Municipal emergency hostel or shelter"
    long_term_care = "Long-term care home"
    correctional_community_residence = "Community residence (probation, parole, temporary absence)"
