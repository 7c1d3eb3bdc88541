"""Text a person types that ends up in a bank file or a letter: names and addresses.

A CPA Standard 005 bank file is fixed-width ASCII records; a line break typed into a name split
a partner's file into records of the wrong length, one of them starting with "Z" (the trailer
type). So every name and address is checked where it is entered (forms, API schemas):

* `printable_text`: no control characters (CR, LF, tab, NUL, …), no invisible format
  characters (zero-width, bidirectional overrides), no line or paragraph separators, no private
  use or unassigned code points;
* `printable_name` (also for addresses): in addition, only letters that have a plain-letter
  form in a bank file (accents are dropped: "Côté" → "COTE"; "ß" → "SS", "Ø" → "O"), digits,
  spaces and ' ’ - . , & / ( ) #. A name in another script is refused with a message, because
  the bank file would carry a blank payee name and the bank would reject the payment.

`bank_ascii` is the one transliteration, used by the CPA-005 builder as well.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pydantic import AfterValidator

# Letters without a canonical decomposition to ASCII, as banks' transliteration tables write them.
_SPECIAL_LETTERS = {
    "ß": "SS",
    "ẞ": "SS",
    "Æ": "AE",
    "æ": "AE",
    "Œ": "OE",
    "œ": "OE",
    "Ø": "O",
    "ø": "O",
    "Ł": "L",
    "ł": "L",
    "Đ": "D",
    "đ": "D",
    "Þ": "TH",
    "þ": "TH",
    "Ð": "D",
    "ð": "D",
    "ı": "I",
    "’": "'",
    "‘": "'",
}
NAME_PUNCTUATION = " '-.,&/()#"
_REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def bank_ascii(text: str) -> str:
    """Upper-case ASCII for a bank file: accents dropped, special letters spelled out,
    anything else removed (callers validate first, so nothing is silently lost)."""
    out = []
    for char in text:
        if char in _SPECIAL_LETTERS:
            out.append(_SPECIAL_LETTERS[char])
            continue
        decomposed = unicodedata.normalize("NFKD", char)
        out.append("".join(c for c in decomposed if ord(c) < 128 and not unicodedata.combining(c)))
    return "".join(out).upper()


def _describe(char: str) -> str:
    return unicodedata.name(char, f"U+{ord(char):04X}")


def printable_text_error(value: str) -> str | None:
    """The message for the first character no letter or bank file can carry, or None."""
    for char in value:
        if unicodedata.category(char) in _REFUSED_CATEGORIES:
            return _(
                "Line breaks, tabs and other invisible or control characters cannot be used "
                "here (found %(char)s)."
            ) % {"char": _describe(char)}
    return None


def printable_name_error(value: str) -> str | None:
    message = printable_text_error(value)
    if message:
        return message
    for char in value:
        if char.isascii() and (char.isalnum() or char in NAME_PUNCTUATION):
            continue
        if char in _SPECIAL_LETTERS:
            continue
        folded = bank_ascii(char)
        if char.isalpha() and folded and folded.isalpha():
            continue
        return _(
            "“%(char)s” cannot be used in a name or address, which is printed on letters and "
            "sent in bank files: use letters (accents are fine), digits, spaces and "
            "' - . , & / ( ) #."
        ) % {"char": char}
    return None


def printable_text(value: str) -> None:
    """Django validator: see the module docstring."""
    message = printable_text_error(value or "")
    if message:
        raise ValidationError(message, code="printable_text")


def printable_name(value: str) -> None:
    """Django validator for names and addresses: see the module docstring."""
    message = printable_name_error(value or "")
    if message:
        raise ValidationError(message, code="printable_name")


def _api_name(value: str) -> str:
    message = printable_name_error(value)
    if message:
        raise ValueError(message)
    return value


# The API's type for a name or an address (a 422 with the message, before any service runs).
NameText = Annotated[str, AfterValidator(_api_name)]


# Canadian postal codes ----------------------------------------------------------------------

# Canada Post: letter digit letter, space, digit letter digit. D, F, I, O, Q and U are never
# used; W and Z never begin a postal code.
_POSTAL_LETTER = "ABCEGHJKLMNPRSTVWXYZ"
_POSTAL_FIRST = "ABCEGHJKLMNPRSTVXY"


def postal_code_normalize(value: str) -> str:
    """'k1a0b1' / 'K1A-0B1' / ' k1a 0b1 ' -> 'K1A 0B1'; '' stays ''. Raises ValidationError
    naming the field and the rule for anything Canada Post does not issue."""
    compact = "".join(ch for ch in value.upper() if ch not in " -")
    if not compact:
        return ""
    letters = compact[0::2][:3]
    digits = compact[1::2][:3]
    valid = (
        len(compact) == 6
        and compact[0] in _POSTAL_FIRST
        and all(ch in _POSTAL_LETTER for ch in letters)
        and all(ch.isascii() and ch.isdigit() for ch in digits)
    )
    if not valid:
        raise ValidationError(
            _(
                "Postal code: enter a Canadian postal code, letter digit letter digit letter "
                "digit, for example K1A 0B1 (D, F, I, O, Q and U are not used, and W and Z do "
                "not begin a postal code)."
            ),
            code="invalid_postal_code",
        )
    return f"{compact[:3]} {compact[3:]}"
