"""Text normalisation for search keys, and dates as letters write them."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def name_key(value: str) -> str:
    """'  Côté-Lévesque ' -> 'cote levesque': lowercase ASCII, one space between words."""
    decomposed = unicodedata.normalize("NFKD", value)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return _NON_ALNUM.sub(" ", ascii_only).strip()


def digits_only(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def luhn_valid(number: str) -> bool:
    """The Luhn check used by Social Insurance Numbers."""
    if not number.isdigit():
        return False
    total = 0
    for index, char in enumerate(reversed(number)):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


MONTHS_FR = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def letter_date_text(value: Any, language: str, with_day: bool = True) -> str:
    """A date as letters to clients write it: "June 3, 2026" / "3 juin 2026", or the month
    alone ("June 2026" / "juin 2026") without `with_day`."""
    if language == "fr":
        month = MONTHS_FR[value.month - 1]
        return f"{value.day} {month} {value.year}" if with_day else f"{month} {value.year}"
    return f"{value:%B} {value.day}, {value.year}" if with_day else f"{value:%B %Y}"
