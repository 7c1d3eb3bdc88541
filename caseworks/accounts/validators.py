"""A password validator for the words an attacker tries first against a welfare office.

"Toronto2026!" and "torontoweak1" pass Django's length and common-password checks. This
validator finds the names of the delivery partners, their offices and cities, the
municipalities and words of the programme ("ontario", "caseworks") and common patterns
("password", seasons, months, keyboard rows), also written with digits for letters ("t0r0nt0").
A password holding one of them must still be strong without it: once the words, the years and
the punctuation are taken out, at least 8 characters (5 different) must remain, so a long
passphrase that happens to name a city is accepted and "Toronto2026!" is not.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from caseworks.partners.models import DeliveryPartner, Office

MIN_REMAINDER = 8
MIN_DISTINCT = 5
MIN_WORD = 4

STATIC_WORDS = frozenset(
    {
        # the programme and the system
        "caseworks", "ontario", "works", "welfare", "ministry", "province", "social",
        "services", "municipal", "municipality", "region", "regional", "county",
        # the largest municipalities and the demo's partners (others come from the database)
        "toronto", "ottawa", "hamilton", "thunder", "thunderbay", "london", "mississauga",
        "brampton", "windsor", "sudbury", "kingston", "waterloo", "durham", "peel",
        "niagara", "halton", "york",
        # common patterns
        "password", "passw0rd", "welcome", "letmein", "qwerty", "asdf", "zxcv", "admin",
        "changeme", "secret", "login", "monkey", "dragon", "abcd", "1234",
        "spring", "summer", "autumn", "fall", "winter",
        "january", "february", "march", "april", "june", "july", "august", "september",
        "october", "november", "december",
    }
)  # fmt: skip
LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)
YEAR = re.compile(r"(19|20)\d\d")
NOT_ALNUM = re.compile(r"[^a-z0-9]")


def _words_of(text: str) -> set[str]:
    words = {w for w in re.split(r"[^a-z]+", text.lower()) if len(w) >= MIN_WORD}
    compact = re.sub(r"[^a-z]", "", text.lower())
    if len(compact) >= MIN_WORD:
        words.add(compact)
    return words


def forbidden_words() -> set[str]:
    words = set(STATIC_WORDS)
    for name, name_fr in DeliveryPartner.objects.values_list("name", "name_fr"):
        words |= _words_of(name) | _words_of(name_fr)
    for name, city in Office.objects.values_list("name", "city"):
        words |= _words_of(name) | _words_of(city)
    return words


class LocalWordsPasswordValidator:
    def validate(self, password: str, user: Any = None) -> None:
        text = YEAR.sub("", password.lower())
        plain, leet = text, text.translate(LEET)
        found = False
        for word in sorted(forbidden_words(), key=len, reverse=True):
            for variant in (word, word.translate(LEET)):
                if variant in plain or variant in leet:
                    found = True
                    plain = plain.replace(variant, "")
                    leet = leet.replace(variant, "")
        if not found:
            return
        remainder = NOT_ALNUM.sub("", min(plain, leet, key=len))
        if len(remainder) < MIN_REMAINDER or len(set(remainder)) < MIN_DISTINCT:
            raise ValidationError(
                _(
                    "This password is built on a place, programme or common word (such as "
                    "a city, “Ontario” or “password”) with little else. Use a longer passphrase "
                    "of unrelated words."
                ),
                code="password_local_word",
            )

    def get_help_text(self) -> str:
        return _(
            "Your password can't be a city, partner or programme name or a common word with a "
            "few numbers or symbols added."
        )
