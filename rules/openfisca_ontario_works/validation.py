"""Input validation and normalisation of one benefit unit (the JSON object of the ow-calc contract).

Every problem is reported as ``path: message`` (``members[1].age: must be an integer from 0 to
130``). Unknown keys are rejected at every level, so a misspelt field never silently takes its
default. Amounts are converted to integer cents here, from their decimal text, so no binary float
is ever involved.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from openfisca_ontario_works.constants import (
    ASSET_TYPES,
    FIRST_BENEFIT_MONTH,
    FIRST_BOARD_AND_LODGING_MONTH,
    MAX_AMOUNT_CENTS,
    MAX_TOTAL_CENTS,
    RATE_SCALE,
    RESIDENCES,
    ROLES,
    SHELTER_BOARD_AND_LODGING,
    SHELTER_NO_FIXED_ADDRESS,
    SHELTER_TYPES,
    UNEARNED_INCOME_TYPES,
)
from openfisca_ontario_works.money import format_cents

LAST_BENEFIT_MONTH = "2099-12"
MAX_AGE = 130

UNIT_KEYS = frozenset(
    {
        "benefit_month",
        "months_in_receipt",
        "members",
        "shelter",
        "assets",
        "remote_community",
        "overpayment_recovery",
        "residence",
    }
)
MEMBER_KEYS = frozenset(
    {
        "id",
        "role",
        "age",
        "net_earnings",
        "child_care_costs",
        "full_time_student",
        "unearned_income",
        "special_diet",
        "pregnant_or_breastfeeding",
        "pregnancy_allowance_non_dairy",
        "no_child_benefits",
    }
)
INCOME_KEYS = frozenset({"type", "amount"})
ASSET_KEYS = frozenset({"type", "value"})
SHELTER_KEYS = frozenset({"type", "cost", "heat", "utilities"})
OVERPAYMENT_KEYS = frozenset({"balance", "rate", "first_nations"})

_ROLE_CODES = {role: code for code, role in enumerate(ROLES)}
_INCOME_CODES = {name: code for code, name in enumerate(UNEARNED_INCOME_TYPES)}
_ASSET_CODES = {name: code for code, name in enumerate(ASSET_TYPES)}
_SHELTER_CODES = {name: code for code, name in enumerate(SHELTER_TYPES)}
_RESIDENCE_CODES = {name: code for code, name in enumerate(RESIDENCES)}
_VEHICLE = _ASSET_CODES["vehicle"]
_SECOND_VEHICLE = _ASSET_CODES["second_vehicle"]
_MONTH_RE = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
_MONEY_RE = re.compile(r"(\d{1,12})(?:\.(\d{1,2}))?")
_CENT = Decimal("0.01")
_VALID_MONTHS: set[str] = set()  # benefit months already accepted (at most 1,000 strings)

MONEY_RULE = "must be an amount in dollars (number or string) with at most 2 decimals"
MAX_AMOUNT_TEXT = format_cents(MAX_AMOUNT_CENTS)
MAX_TOTAL_TEXT = format_cents(MAX_TOTAL_CENTS)
MAX_DOLLARS = MAX_AMOUNT_CENTS // 100
NO_INCOME = (0,) * len(UNEARNED_INCOME_TYPES)


class Member(NamedTuple):
    """One member, amounts in integer cents."""

    id: str
    role: int
    age: int
    net_earnings: int
    child_care_costs: int
    full_time_student: bool
    unearned: tuple[int, ...]  # by UNEARNED_INCOME_TYPES
    special_diet: int
    pregnant_or_breastfeeding: bool
    non_dairy: bool  # pregnancy_allowance_non_dairy
    no_child_benefits: bool  # no OCB/CCB received for this child (Transition Child Benefit)


class Unit(NamedTuple):
    """One validated benefit unit, amounts in integer cents."""

    benefit_month: str
    months_in_receipt: int
    members: tuple[Member, ...]
    shelter_type: int
    shelter_cost: int
    heat: int
    utilities: int
    assets: tuple[int, ...]  # by ASSET_TYPES
    has_assets: bool
    remote_community: bool
    overpayment_balance: int
    overpayment_rate: int  # ten-thousandths; -1 = default rate
    first_nations: bool  # overpayment_recovery.first_nations (default rate 5 %)
    vehicle_largest: int  # largest single asset of type vehicle (the one exempt vehicle)
    second_vehicle_largest: int  # largest single second_vehicle (the one partly exempt)
    residence: int  # by RESIDENCES (0 = community)


_new_tuple = tuple.__new__


def _decimal_text(value: Any) -> str | None:
    """The decimal text of a JSON amount; None if the type is not acceptable."""
    kind = type(value)
    if kind is str:
        return value  # type: ignore[no-any-return]
    if kind is float:  # Python callers: the shortest repr is the decimal they wrote
        return repr(value)
    if kind is Decimal:
        return str(value)
    return None


def money(value: Any, path: str, errors: list[str]) -> int:  # noqa: PLR0911 (one return per refused input form)
    """Parse a non-negative dollar amount with at most 2 decimals into integer cents."""
    if type(value) is int:
        cents = value * 100
        if value < 0:
            errors.append(f"{path}: must not be negative")
            return 0
    else:
        text = _decimal_text(value)
        if text is None:
            errors.append(f"{path}: {MONEY_RULE}")
            return 0
        match = _MONEY_RE.fullmatch(text)
        if match is not None:
            whole, fraction = match.groups()
            cents = int(whole) * 100 + (int(fraction.ljust(2, "0")) if fraction else 0)
        else:
            try:
                number = Decimal(text.strip())
            except InvalidOperation:
                errors.append(f"{path}: {MONEY_RULE}")
                return 0
            if not number.is_finite():
                errors.append(f"{path}: {MONEY_RULE}")
                return 0
            if number < 0:
                errors.append(f"{path}: must not be negative")
                return 0
            if number != number.quantize(_CENT, rounding="ROUND_DOWN"):
                errors.append(f"{path}: must have at most 2 decimals")
                return 0
            if number > MAX_AMOUNT_CENTS:
                errors.append(f"{path}: must be at most {MAX_AMOUNT_TEXT}")
                return 0
            cents = int(number * 100)
    if cents > MAX_AMOUNT_CENTS:
        errors.append(f"{path}: must be at most {MAX_AMOUNT_TEXT}")
        return 0
    return cents


def _rate(value: Any, path: str, errors: list[str]) -> int:
    """Parse a recovery rate from 0 to 1 (at most 4 decimals) into ten-thousandths."""
    rule = f"{path}: must be a number from 0 to 1 with at most 4 decimals"
    if type(value) is int:
        if value in (0, 1):
            return int(value) * RATE_SCALE
        errors.append(rule)
        return 0
    text = _decimal_text(value)
    if text is None:
        errors.append(rule)
        return 0
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        errors.append(rule)
        return 0
    scaled = number * RATE_SCALE if number.is_finite() else Decimal(-1)
    if not (0 <= number <= 1) or scaled != scaled.to_integral_value():
        errors.append(rule)
        return 0
    return int(scaled)


def _boolean(value: Any, path: str, errors: list[str]) -> bool:
    if value is True or value is False:
        return bool(value)
    errors.append(f"{path}: must be true or false")
    return False


def _unknown_keys(
    obj: dict[str, Any], allowed: frozenset[str], prefix: str, errors: list[str]
) -> None:
    for key in obj:
        if key not in allowed:
            errors.append(f"{prefix}{key}: unknown field")


def _member(  # noqa: PLR0912, PLR0915 (one check per input field, in field order: the hot path of --batch)
    raw: Any, index: int, errors: list[str]
) -> Member | None:
    path = f"members[{index}]"
    if type(raw) is not dict:
        errors.append(f"{path}: must be a JSON object")
        return None
    if not raw.keys() <= MEMBER_KEYS:
        _unknown_keys(raw, MEMBER_KEYS, f"{path}.", errors)
    member_id = raw.get("id")
    if member_id is None:
        member_id = str(index)
    elif type(member_id) is not str or not member_id:
        errors.append(f"{path}.id: must be a non-empty string")
        member_id = str(index)
    role_name = raw.get("role")
    role = _ROLE_CODES.get(role_name, -1) if type(role_name) is str else -1
    if role < 0:
        if role_name is None:
            errors.append(f"{path}.role: is required (applicant, spouse or dependant)")
        else:
            errors.append(f"{path}.role: must be one of applicant, spouse, dependant")
    age = raw.get("age")
    if type(age) is not int or not 0 <= age <= MAX_AGE:
        if age is None:
            errors.append(f"{path}.age: is required (an integer from 0 to {MAX_AGE})")
        else:
            errors.append(f"{path}.age: must be an integer from 0 to {MAX_AGE}")
        age = 0
    # optional fields: a membership test is cheaper than get() for the usual absent key
    earnings = child_care = diet = 0
    if "net_earnings" in raw:
        value = raw["net_earnings"]
        if type(value) is int and 0 <= value <= MAX_DOLLARS:
            earnings = value * 100
        else:
            earnings = money(value, f"{path}.net_earnings", errors)
    if "child_care_costs" in raw:
        value = raw["child_care_costs"]
        if type(value) is int and 0 <= value <= MAX_DOLLARS:
            child_care = value * 100
        else:
            child_care = money(value, f"{path}.child_care_costs", errors)
    if "special_diet" in raw:
        value = raw["special_diet"]
        if type(value) is int and 0 <= value <= MAX_DOLLARS:
            diet = value * 100
        else:
            diet = money(value, f"{path}.special_diet", errors)
    student = raw.get("full_time_student", False)
    if student is not False and student is not True:
        student = _boolean(student, f"{path}.full_time_student", errors)
    pregnant = raw.get("pregnant_or_breastfeeding", False)
    if pregnant is not False and pregnant is not True:
        pregnant = _boolean(pregnant, f"{path}.pregnant_or_breastfeeding", errors)
    non_dairy = raw.get("pregnancy_allowance_non_dairy", False)
    if non_dairy is not False and non_dairy is not True:
        non_dairy = _boolean(non_dairy, f"{path}.pregnancy_allowance_non_dairy", errors)
    no_child_benefits = raw.get("no_child_benefits", False)
    if no_child_benefits is not False:
        no_child_benefits = _boolean(no_child_benefits, f"{path}.no_child_benefits", errors)
        if no_child_benefits and not (role == _ROLE_CODES["dependant"] and 0 <= age < 18):
            errors.append(
                f"{path}.no_child_benefits: only for a dependant under 18 (Transition Child "
                "Benefit, OW Directive 7.6)"
            )
    incomes = raw.get("unearned_income")
    if not incomes:
        if incomes is not None and incomes != []:
            errors.append(f"{path}.unearned_income: must be a list")
        unearned = NO_INCOME
    elif type(incomes) is not list:
        errors.append(f"{path}.unearned_income: must be a list")
        unearned = NO_INCOME
    else:
        by_type = [0] * len(UNEARNED_INCOME_TYPES)
        for position, item in enumerate(incomes):
            if type(item) is not dict:
                errors.append(
                    f"{path}.unearned_income[{position}]: must be a JSON object "
                    "with type and amount"
                )
                continue
            if not item.keys() <= INCOME_KEYS:
                _unknown_keys(item, INCOME_KEYS, f"{path}.unearned_income[{position}].", errors)
            kind = item.get("type")
            code = _INCOME_CODES.get(kind, -1) if type(kind) is str else -1
            if code < 0:
                errors.append(
                    f"{path}.unearned_income[{position}].type: must be one of "
                    f"{', '.join(UNEARNED_INCOME_TYPES)}"
                )
                continue
            value = item.get("amount", 0)
            if type(value) is int and 0 <= value <= MAX_DOLLARS:
                by_type[code] += value * 100
            else:
                by_type[code] += money(value, f"{path}.unearned_income[{position}].amount", errors)
        unearned = tuple(by_type)
    # tuple.__new__ skips NamedTuple's Python-level __new__ (hot path of --batch)
    return _new_tuple(
        Member,
        (
            member_id,
            role,
            age,
            earnings,
            child_care,
            student,
            unearned,
            diet,
            pregnant,
            non_dairy,
            no_child_benefits,
        ),
    )


def parse_unit(  # noqa: PLR0912, PLR0915 (one check per input field, in field order: the hot path of --batch)
    raw: Any,
) -> tuple[list[str], Unit | None]:
    """Validate one benefit unit; return (errors, unit). ``unit`` is None when errors exist."""
    errors: list[str] = []
    if type(raw) is not dict:
        return ["$: must be a JSON object"], None
    if not raw.keys() <= UNIT_KEYS:
        _unknown_keys(raw, UNIT_KEYS, "", errors)

    month = raw.get("benefit_month")
    if type(month) is str and month in _VALID_MONTHS:
        pass
    elif type(month) is not str or _MONTH_RE.fullmatch(month) is None:
        if month is None:
            errors.append("benefit_month: is required (YYYY-MM)")
        else:
            errors.append("benefit_month: must be a month written YYYY-MM")
        month = ""
    elif not FIRST_BENEFIT_MONTH <= month <= LAST_BENEFIT_MONTH:
        errors.append(
            f"benefit_month: must be from {FIRST_BENEFIT_MONTH} to {LAST_BENEFIT_MONTH} "
            "(rules are encoded from October 2016)"
        )
    else:
        _VALID_MONTHS.add(month)

    months = raw.get("months_in_receipt", 0)
    if type(months) is not int or not 0 <= months <= 1200:
        errors.append("months_in_receipt: must be an integer from 0 to 1200")
        months = 0

    members_raw = raw.get("members")
    members: list[Member] = []
    if type(members_raw) is not list or not members_raw:
        if members_raw is None:
            errors.append("members: is required (a non-empty list)")
        else:
            errors.append("members: must be a non-empty list")
    else:
        for index, item in enumerate(members_raw):
            member = _member(item, index, errors)
            if member is not None:
                members.append(member)
        roles = [m.role for m in members]
        applicants = roles.count(0)
        if applicants != 1 and len(members) == len(members_raw):
            errors.append(f"members: must have exactly one applicant (found {applicants})")
        if roles.count(1) > 1:
            errors.append(f"members: must have at most one spouse (found {roles.count(1)})")
        ids = [m.id for m in members]
        if len(set(ids)) != len(ids):
            seen: set[str] = set()
            for index, member_id in enumerate(ids):
                if member_id in seen:
                    errors.append(f"members[{index}].id: duplicate id {member_id!r}")
                seen.add(member_id)
        total = 0
        for member in members:
            total += member.net_earnings + member.child_care_costs + member.special_diet
            if member.unearned is not NO_INCOME:
                total += sum(member.unearned)
        if total > MAX_TOTAL_CENTS:
            errors.append(
                f"members: the total of all member amounts must be at most {MAX_TOTAL_TEXT}"
            )

    shelter_type, cost, heat, utilities = SHELTER_NO_FIXED_ADDRESS, 0, 0, 0
    shelter = raw.get("shelter")
    if shelter is not None:
        if type(shelter) is not dict:
            errors.append("shelter: must be a JSON object")
        else:
            if not shelter.keys() <= SHELTER_KEYS:
                _unknown_keys(shelter, SHELTER_KEYS, "shelter.", errors)
            kind = shelter.get("type")
            shelter_type = _SHELTER_CODES.get(kind, -1) if type(kind) is str else -1
            if shelter_type < 0:
                errors.append(f"shelter.type: must be one of {', '.join(SHELTER_TYPES)}")
                shelter_type = SHELTER_NO_FIXED_ADDRESS
            elif (
                shelter_type == SHELTER_BOARD_AND_LODGING
                and month
                and (month < FIRST_BOARD_AND_LODGING_MONTH)
            ):
                errors.append(
                    f"shelter.type: board_and_lodging is supported from "
                    f"{FIRST_BOARD_AND_LODGING_MONTH} (the October 2016 table was not found, "
                    "so it is not encoded)"
                )
            # whole-dollar ints inline (the common case); anything else through money()
            value = shelter.get("cost", 0)
            if type(value) is int and 0 <= value <= MAX_DOLLARS:
                cost = value * 100
            else:
                cost = money(value, "shelter.cost", errors)
            value = shelter.get("heat", 0)
            if type(value) is int and 0 <= value <= MAX_DOLLARS:
                heat = value * 100
            else:
                heat = money(value, "shelter.heat", errors)
            value = shelter.get("utilities", 0)
            if type(value) is int and 0 <= value <= MAX_DOLLARS:
                utilities = value * 100
            else:
                utilities = money(value, "shelter.utilities", errors)

    assets = [0] * len(ASSET_TYPES)
    vehicle_largest = second_vehicle_largest = 0
    assets_raw = raw.get("assets", ())
    if type(assets_raw) is not list:
        if assets_raw != ():
            errors.append("assets: must be a list")
        assets_raw = []
    for position, item in enumerate(assets_raw):
        if type(item) is not dict:
            errors.append(f"assets[{position}]: must be a JSON object with type and value")
            continue
        if not item.keys() <= ASSET_KEYS:
            _unknown_keys(item, ASSET_KEYS, f"assets[{position}].", errors)
        kind = item.get("type")
        code = _ASSET_CODES.get(kind, -1) if type(kind) is str else -1
        if code < 0:
            errors.append(f"assets[{position}].type: must be one of {', '.join(ASSET_TYPES)}")
            continue
        value = item.get("value", 0)
        if type(value) is int and 0 <= value <= MAX_DOLLARS:
            cents = value * 100
        else:
            cents = money(value, f"assets[{position}].value", errors)
        assets[code] += cents
        if code == _VEHICLE and cents > vehicle_largest:
            vehicle_largest = cents
        elif code == _SECOND_VEHICLE and cents > second_vehicle_largest:
            second_vehicle_largest = cents
    if sum(assets) > MAX_TOTAL_CENTS:
        errors.append(f"assets: the total value must be at most {MAX_TOTAL_TEXT}")

    remote = raw.get("remote_community", False)
    if remote is not False:
        remote = _boolean(remote, "remote_community", errors)

    residence = 0
    if "residence" in raw:
        residence = (
            _RESIDENCE_CODES.get(raw["residence"], -1) if type(raw["residence"]) is str else -1
        )
        if residence < 0:
            errors.append(f"residence: must be one of {', '.join(RESIDENCES)}")
            residence = 0
        elif residence and shelter_type != SHELTER_NO_FIXED_ADDRESS:
            errors.append(
                "shelter.type: must be no_fixed_address when residence is "
                f"{RESIDENCES[residence]} (no shelter cost is budgeted: O. Reg. 134/98 s. 41(1) "
                "para 1, s. 43(1))"
            )

    balance, rate, first_nations = 0, -1, False
    overpayment = raw.get("overpayment_recovery")
    if overpayment is not None:
        if type(overpayment) is not dict:
            errors.append("overpayment_recovery: must be a JSON object with balance and rate")
        else:
            if not overpayment.keys() <= OVERPAYMENT_KEYS:
                _unknown_keys(overpayment, OVERPAYMENT_KEYS, "overpayment_recovery.", errors)
            balance = money(overpayment.get("balance", 0), "overpayment_recovery.balance", errors)
            if "rate" in overpayment:
                rate = _rate(overpayment["rate"], "overpayment_recovery.rate", errors)
            first_nations = overpayment.get("first_nations", False)
            if first_nations is not False and first_nations is not True:
                first_nations = _boolean(
                    first_nations, "overpayment_recovery.first_nations", errors
                )

    if errors:
        return errors, None
    return [], _new_tuple(
        Unit,
        (
            month,
            months,
            tuple(members),
            shelter_type,
            cost,
            heat,
            utilities,
            tuple(assets),
            bool(assets_raw),
            remote,
            balance,
            rate,
            first_nations,
            vehicle_largest,
            second_vehicle_largest,
            residence,
        ),
    )
