"""Readability scores for the client's pages (issue 17: "plain language, about grade 8 reading
level, checked with a readability score in tests"). No library: the published formulas, with
the syllable counters below.

English: Flesch-Kincaid grade level (Kincaid, Fishburne, Rogers and Chissom, *Derivation of new
readability formulas for Navy enlisted personnel*, Research Branch Report 8-75, Naval Technical
Training Command, 1975):

    grade = 0.39 × words/sentences + 11.8 × syllables/words − 15.59

French: Kandel and Moles' adaptation of Flesch's reading ease to French (L. Kandel and A. Moles,
"Application de l'indice de Flesch à la langue française", *Cahiers Études de Radio-Télévision*
19, 1958, pp. 253–274), on Flesch's scale (0 very hard … 100 very easy; 60–70 "standard",
about grade 8–9 in Flesch's table, R. Flesch, "A new readability yardstick", *Journal of
Applied Psychology* 32(3), 1948):

    ease = 207 − 1.015 × words/sentences − 73.6 × syllables/words

What counts (`page_text`): the text inside the page's <main>, the part that changes from page to
page (the menu, the header and the footer are the same short labels on every page). Scripts,
styles, form values and elements hidden from everyone (`hidden`, `aria-hidden="true"`) are left
out; text hidden only from the eye (`visually-hidden`, read by screen readers) is kept.

Sentences (`sentences`): a heading, a paragraph, a list item, a label, a button, a table cell
is a unit of its own (a reader takes each apart, and it carries no final full stop), and inside
a unit a sentence ends at ".", "!", "?" or "…" followed by a space or the end. A colon or a
semicolon does not end a sentence.

Words: runs of letters, with inner apostrophes ("l’équipe", "worker's"); a hyphenated compound
counts as its parts ("dites-nous" is two words, as it is two when read aloud). Numbers,
amounts, dates in figures and codes without letters are not words here: a reader reads "$612.34"
or "2026-02-10" at a glance, and no syllable rule applies to them.

Syllables, English (`syllables_en`): the vowel-group rule used by readability tools since
Flesch (a syllable per group of vowels a e i o u y), with the usual corrections for silent
endings: a final "e" is silent (but "-le" after a consonant is a syllable: "ta-ble"), "-es" is
silent except after s, x, z, ch, sh, ce, ge ("box-es"), "-ed" is silent except after t or d
("stat-ed"); a possessive "'s" adds nothing; "ia", "io", "iu", "ua", "uo" are two syllables
("pe-ri-od", "u-su-al"), except in "-tion", "-sion", "-cial", "-tial", "-cian", "-cious",
"-tious", "-geous" and after "q" or "g" ("qual-i-ty"); every word has at least one syllable.
On everyday words it is right or one off, both ways ("a-re-a" counts two, "busi-ness" three).

Syllables, French (`syllables_fr`): spoken syllables, as Kandel and Moles counted them: one per
group of vowels (a e i o u y and the accented à â é è ê ë î ï ô ù û ü ÿ æ œ), "u" after "q" or
before a vowel after "g" not counted ("qui", "guerre"); a final mute "e" or "es" after a
consonant is not counted when the word has another vowel ("table" and "portes" are one
syllable each). A verb's "-ent"
cannot be told from "moment" without a dictionary, so it is counted: the ease comes out a little
lower than the true one, never higher.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from html.parser import HTMLParser

# Units of text of their own: a new unit starts and ends at these tags.
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "button", "caption", "dd", "details",
        "div", "dl", "dt", "fieldset", "figcaption", "footer", "form", "h1", "h2", "h3", "h4",
        "h5", "h6", "header", "hr", "label", "legend", "li", "nav", "ol", "option", "p", "pre",
        "section", "select", "summary", "table", "td", "textarea", "th", "tr", "ul",
    }
)  # fmt: skip
_SKIPPED = frozenset({"script", "style", "template", "textarea", "select", "noscript", "svg"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"})
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”»)]*\s+")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


class _MainText(HTMLParser):
    """The text units of <main>, leaving out what no one reads (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.units: list[str] = []
        self._current: list[str] = []
        self._in_main = 0
        self._stack: list[tuple[str, bool]] = []  # (tag, hides its content)

    def _hidden(self) -> bool:
        return any(hides for _tag, hides in self._stack)

    def _flush(self) -> None:
        text = " ".join("".join(self._current).split())
        if text:
            self.units.append(text)
        self._current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "main":
            self._in_main += 1
        if tag in _BLOCKS:
            self._flush()
        if tag in _VOID:
            return
        hides = (
            tag in _SKIPPED or "hidden" in names or names.get("aria-hidden") == "true"
        ) and tag != "details"
        self._stack.append((tag, hides))

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self._flush()
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                del self._stack[index:]
                break
        if tag == "main":
            self._in_main -= 1

    def handle_data(self, data: str) -> None:
        if self._in_main and not self._hidden():
            self._current.append(data)


def page_text(html: str) -> list[str]:
    """The units of text a reader sees in the page's <main>."""
    parser = _MainText()
    parser.feed(html)
    parser.close()
    parser._flush()
    return parser.units


def running_text(units: list[str]) -> list[str]:
    """The units written as sentences (ending with ".", "!", "?" or "…"): the explanations, not
    the headings, labels and buttons. Scored on their own, they are the hard part of a page."""
    return [u for u in units if u.rstrip('"”»)').endswith((".", "!", "?", "…"))]


def sentences(units: list[str]) -> list[str]:
    found: list[str] = []
    for unit in units:
        found.extend(s for s in _SENTENCE_END.split(unit) if words(s))
    return found


def words(text: str) -> list[str]:
    return _WORD.findall(text)


_EN_KEEP_ES = re.compile(r"(?:[sxz]|ch|sh|ce|ge)es$")
_EN_ONE_SOUND = re.compile(r"(?:tion|sion|cial|tial|cian|tian|cious|tious|geous|eau)")
_EN_TWO_SOUNDS = re.compile(r"i[aou]|(?<![qg])ua|uo")


def syllables_en(word: str) -> int:
    w = word.lower().replace("’", "'")
    w = re.sub(r"'s$", "", w).replace("'", "")
    if len(w) <= 3:
        return 1
    count = len(re.findall(r"[aeiouy]+", w))
    if w.endswith("e") and not w.endswith(("ee", "ye")):
        if not (w.endswith("le") and w[-3] not in "aeiouy"):
            count -= 1
    elif (w.endswith("es") and not _EN_KEEP_ES.search(w)) or (
        w.endswith("ed") and w[-3] not in "td"
    ):
        count -= 1
    # Two vowels side by side that are two syllables ("pe-ri-od", "var-i-ous", "u-su-al"),
    # outside the endings where they are one sound ("de-ci-sion", "spe-cial").
    count += len(_EN_TWO_SOUNDS.findall(_EN_ONE_SOUND.sub("x", w)))
    return max(1, count)


_FR_VOWELS = "aeiouyàâéèêëîïôùûüÿæœ"
_FR_GROUP = re.compile(f"[{_FR_VOWELS}]+")


def syllables_fr(word: str) -> int:
    w = word.lower().replace("’", "'")
    if "'" in w:  # elision: "l'équipe", "qu'il", "aujourd'hui" keep their vowels
        w = w.replace("'", "")
    w = re.sub(r"(?<=[qg])u(?=[aeiouyéèêîô])", "", w)
    count = len(_FR_GROUP.findall(w))
    if count > 1 and re.search(rf"[^{_FR_VOWELS}](?:e|es)$", w):
        count -= 1  # the final mute e: "ta-ble", "por-tes"
    return max(1, count)


@dataclass(frozen=True)
class Score:
    sentences: int
    words: int
    syllables: int
    value: float  # the grade (English) or the reading ease (French)

    def __str__(self) -> str:
        return (
            f"{self.value:.1f} ({self.sentences} sentences, {self.words} words, "
            f"{self.syllables} syllables)"
        )


def _counts(units: list[str], language: str) -> tuple[int, int, int]:
    found = sentences(units)
    all_words = [w for s in found for w in words(s)]
    count = syllables_fr if language == "fr" else syllables_en
    return len(found), len(all_words), sum(count(w) for w in all_words)


def flesch_kincaid_grade(units: list[str]) -> Score:
    n_sentences, n_words, n_syllables = _counts(units, "en")
    if not n_words:
        return Score(0, 0, 0, math.nan)
    grade = 0.39 * n_words / n_sentences + 11.8 * n_syllables / n_words - 15.59
    return Score(n_sentences, n_words, n_syllables, grade)


def kandel_moles_ease(units: list[str]) -> Score:
    n_sentences, n_words, n_syllables = _counts(units, "fr")
    if not n_words:
        return Score(0, 0, 0, math.nan)
    ease = 207 - 1.015 * n_words / n_sentences - 73.6 * n_syllables / n_words
    return Score(n_sentences, n_words, n_syllables, ease)
