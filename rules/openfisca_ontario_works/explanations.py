"""The explanation items of a result, from explanations.yaml: rule texts, citations and figures.

Each item of the YAML file is compiled once per benefit month into a template of one JSON
object (text), with the month's citation and figures (rate dates, the earnings exemption, the
minimum payment, ...) already in place; the engine fills in the unit's values. The texts are
JSON-escaped when compiled, so rendering a line needs no JSON encoder: the values filled in
are amounts (digits), numbers, words from the file and member ids escaped once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any

import yaml

from openfisca_ontario_works import citations

EXPLANATIONS_FILE = Path(__file__).with_name("explanations.yaml")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")

# Fixed citations (not a parameter's) that items may name.
CITATIONS: dict[str, str] = {
    "calculation": citations.CALCULATION,
    "eligibility_income": citations.ELIGIBILITY_INCOME,
    "no_fixed_address": citations.NO_FIXED_ADDRESS,
    "emergency_hostel": citations.EMERGENCY_HOSTEL,
    "earnings_not_counted": citations.EARNINGS_NOT_COUNTED,
    "child_care": citations.CHILD_CARE,
    "under_16": citations.UNDER_16,
    "chargeable_income": citations.CHARGEABLE_INCOME,
    "dependant_left_out": citations.DEPENDANT_LEFT_OUT,
}

Template = Callable[..., str]


def escape(text: str) -> str:
    """``text`` escaped for use inside a JSON string (without the quotes)."""
    return str(encode_basestring(text))[1:-1]


def quoted(text: str) -> str:
    """``text`` as a JSON string (with the quotes)."""
    return str(encode_basestring(text))


@cache
def explanations() -> dict[str, Any]:
    """The parsed explanations.yaml."""
    with EXPLANATIONS_FILE.open(encoding="utf-8") as stream:
        data: dict[str, Any] = yaml.safe_load(stream)
    return data


@cache
def words() -> dict[str, str]:
    """The words of the rule texts, JSON-escaped."""
    return {name: escape(text) for name, text in explanations()["words"].items()}


@cache
def income_labels() -> dict[str, str]:
    """The name of each kind of unearned income, JSON-escaped."""
    return {name: escape(text) for name, text in explanations()["income_labels"].items()}


def composition(has_spouse: bool, adults: int, children: int) -> str:
    """ "single, no dependants" / "recipient and spouse, 1 dependant 18 or older, ..."."""
    phrases = explanations()["composition"]
    if adults + children == 0:
        return str(phrases["couple"] if has_spouse else phrases["single"])
    parts = []
    if adults:
        parts.append(phrases["adults_one" if adults == 1 else "adults_many"].format(count=adults))
    if children:
        key = "children_one" if children == 1 else "children_many"
        parts.append(phrases[key].format(count=children))
    who = phrases["with_spouse"] if has_spouse else phrases["sole_support"]
    return f"{who}, {phrases['joiner'].join(parts)}"


def _fill(text: str, known: Mapping[str, str]) -> str:
    """Put the month's values in ``text`` now; keep the unit's {placeholders} for later.

    Literal braces are doubled for ``str.format`` (values are escaped text without braces in
    practice; doubling keeps them literal if one ever has one)."""
    out = []
    last = 0
    for match in _PLACEHOLDER.finditer(text):
        out.append(text[last : match.start()].replace("{", "{{").replace("}", "}}"))
        name = match.group(1)
        if name in known:
            out.append(known[name].replace("{", "{{").replace("}", "}}"))
        else:
            out.append(match.group(0))
        last = match.end()
    out.append(text[last:].replace("{", "{{").replace("}", "}}"))
    return "".join(out)


def compile_item(spec: Mapping[str, Any], month_values: Mapping[str, str]) -> Template:
    """One item as a function of the unit's values (keyword arguments) returning its JSON
    object: ``amount``, unless the item has a fixed one, and ``citation`` (a JSON string)
    where the item names none, plus the item's own {placeholders}.

    The template is made into an f-string once (the hot path of --batch formats millions of
    items): its literal text is JSON-escaped and its placeholders are plain names."""
    amount = escape(spec["amount"]) if "amount" in spec else "{amount}"
    name = spec.get("citation")
    citation = "{citation}" if name is None else _literal(month_values[f"citation:{name}"])
    figures = ", ".join(
        f'"{escape(key)}": "{_fill(escape(str(value)), month_values)}"'
        for key, value in spec["figures"].items()
    )
    text = (
        f'{{{{"item": "{_fill(escape(spec["item"]), month_values)}", "amount": "{amount}", '
        f'"rule": "{_fill(escape(spec["rule"]), month_values)}", "citation": {citation}, '
        f'"figures": {{{{{figures}}}}}}}}}'
    )
    names = sorted(set(_PLACEHOLDER.findall(text)))
    source = f"lambda *, {', '.join(names)}: f{text!r}" if names else f"lambda: {text.format()!r}"
    function: Template = eval(source, {"__builtins__": {}})  # noqa: S307 (our own template)
    return function


def _literal(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def compile_items(month_values: Mapping[str, str]) -> dict[str, Template]:
    """Every item whose citation exists for the month (board and lodging only from 2017-10)."""
    return {
        key: compile_item(spec, month_values)
        for key, spec in explanations()["items"].items()
        if "citation" not in spec or f"citation:{spec['citation']}" in month_values
    }
