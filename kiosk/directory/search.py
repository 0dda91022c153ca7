"""Find directory entries from what a resident types: pinyin initials, full pinyin, characters.

Every name is held as a string of units, one per character: "\\x01" + the character + the
letters typed for it (法律 -> "\\x01法fa\\x01律lu"). A query becomes a regular expression in
which each typed letter either continues the current syllable or starts the next one, and a
typed character must be the next character, so `flyz`, `falvyuanzhu`, `fal yz` and `法律yz` all
match 法律援助 (see `_pattern`).

Ranking: exact (the query covers the whole name) > prefix (from the first character) >
substring; within a tier this site's own entries first, then shorter names, then pinyin order.
Entries are numbered in that order at build time, so every posting list below is already
sorted by rank and a query can stop as soon as it has enough hits.

Postings map the first one to three typed letters (or the first typed character) to the
entries where they can start a match: `_head` for a match at the first character, `_any` for
a match anywhere. Candidates from a posting are confirmed with the expression, best first.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from kiosk.directory.readings import Reader, Unit, letters_of

EXACT, PREFIX, SUBSTRING = "exact", "prefix", "substring"
TIER_POINTS = {EXACT: 300, PREFIX: 200, SUBSTRING: 100}
OWN_SITE_POINTS = 50
GRAM = 3  # letters of a query looked up in the postings; the rest is confirmed by regex
MARK = "\x01"
DEFAULT_LIMIT = 30


@dataclass(frozen=True)
class Entry:
    """Something a resident can find: a site, institution, window, kind of help, product."""

    id: str  # unique, e.g. "site:yubei-center"
    kind: str  # site | institution | window | help | product | duty
    name: str
    subtitle: str = ""  # one line under the name in result lists
    site: str | None = None  # the site it belongs to: entries of this kiosk's site rank first
    ref: str = ""  # id of the thing it opens (site id, institution id, ...)
    aliases: tuple[str, ...] = ()  # other names it is found by (法援 for 法律援助)
    person: bool = False  # a person's name: polyphonic surnames read as surnames


@dataclass(frozen=True)
class Hit:
    entry: Entry
    tier: str
    score: int
    own: bool
    matched: str = ""  # the characters of the name the query matched, e.g. 调解 for "tj"

    def as_dict(self) -> dict[str, Any]:
        entry = self.entry
        return {
            "id": entry.id,
            "name": entry.name,
            "kind": entry.kind,
            "score": self.score,
            "tier": self.tier,
            "own_site": self.own,
            "subtitle": entry.subtitle,
            "site": entry.site,
            "ref": entry.ref,
            "matched": self.matched,
        }


@dataclass(frozen=True)
class Results:
    query: str
    hits: tuple[Hit, ...] = ()
    more: bool = False  # more entries match than were returned: typing another letter helps

    def __bool__(self) -> bool:
        return bool(self.hits)


@dataclass
class _Doc:
    """One entry prepared for matching: the unit strings of its name and aliases."""

    entry: Entry
    own: bool
    strings: tuple[str, ...]
    units: int  # units of the shortest name: exact matches need at most one per typed token
    letters: str = field(repr=False, default="")


def tokens(query: str) -> str:
    """What counts in a query: letters and digits (lower case, v -> u) and other characters.

    Spaces and punctuation are dropped: residents tap keys, staff may paste "fa lv".
    """
    text = unicodedata.normalize("NFKC", query)
    out = []
    for char in text:
        if char.isascii():
            if char.isalnum():
                out.append(letters_of(char))
        elif char.isalnum():
            out.append(char)
    return "".join(out)


def _is_letter(token: str) -> bool:
    return token.isascii()


def _pattern(query: str) -> str:
    """The expression matching `query` (already tokens) against unit strings.

    A letter after a letter either continues the same syllable or, skipping the rest of that
    syllable, starts the next unit; a letter after a character starts the next unit; a
    character must be the next unit's character.
    """
    parts: list[str] = []
    previous = ""
    for token in query:
        if _is_letter(token):
            if previous == "letter":
                parts.append(f"(?:[a-z0-9]*{MARK}.)?{token}")
            elif previous == "":
                parts.append(f"{MARK}.{token}")
            else:
                parts.append(f"[a-z0-9]*{MARK}.{token}")
            previous = "letter"
        else:
            escaped = re.escape(token)
            parts.append(f"{MARK}{escaped}" if previous == "" else f"[a-z0-9]*{MARK}{escaped}")
            previous = "char"
    return "".join(parts)


def _unit_string(units: Sequence[Unit]) -> str:
    return "".join(MARK + char + letters for char, letters in units)


def _grams(letters: Sequence[str], start: int) -> set[str]:
    """Every way the first 1..GRAM typed letters can read, starting at unit `start`."""
    found: set[str] = set()
    stack = [(start, "")]
    count = len(letters)
    while stack:
        index, typed = stack.pop()
        syllable = letters[index]
        for length in range(1, len(syllable) + 1):
            text = typed + syllable[:length]
            if len(text) >= GRAM:
                found.add(text[:GRAM])
                break
            found.add(text)
            if index + 1 < count:
                stack.append((index + 1, text))
    return found


class SearchIndex:
    """An immutable index over entries for one kiosk site (its own entries rank first)."""

    def __init__(
        self, entries: Iterable[Entry], own_site: str | None = None, reader: Reader | None = None
    ) -> None:
        reader = reader or Reader()
        self.own_site = own_site
        prepared: list[tuple[_Doc, list[tuple[Unit, ...]]]] = []
        for entry in entries:
            names = (entry.name, *entry.aliases)
            unit_lists = [reader.units(name, person=entry.person) for name in names]
            unit_lists = [units for units in unit_lists if units]
            if not unit_lists:
                continue
            doc = _Doc(
                entry=entry,
                own=bool(own_site) and entry.site == own_site,
                strings=tuple(_unit_string(units) for units in unit_lists),
                units=min(len(units) for units in unit_lists),
                letters="".join(letters for _, letters in unit_lists[0]),
            )
            prepared.append((doc, unit_lists))
        prepared.sort(key=lambda p: (not p[0].own, p[0].units, p[0].letters, p[0].entry.id))
        self._docs = [doc for doc, _ in prepared]
        self._by_id = {doc.entry.id: doc.entry for doc in self._docs}
        self._head: dict[str, list[int]] = {}
        self._any: dict[str, list[int]] = {}
        for number, (_, unit_lists) in enumerate(prepared):
            head: set[str] = set()
            anywhere: set[str] = set()
            for units in unit_lists:
                letters = [letters for _, letters in units]
                for start, (char, _) in enumerate(units):
                    grams = _grams(letters, start)
                    grams.add(char)
                    anywhere |= grams
                    if start == 0:
                        head |= grams
            for key in head:
                self._head.setdefault(key, []).append(number)
            for key in anywhere:
                self._any.setdefault(key, []).append(number)

    def __len__(self) -> int:
        return len(self._docs)

    def entry(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)

    def search(self, query: str, limit: int = DEFAULT_LIMIT) -> Results:
        """The best `limit` entries for `query`, best first (see the module docstring)."""
        typed = tokens(query)
        if not typed or limit <= 0:
            return Results(query)
        if _is_letter(typed[0]):
            key = ""
            for token in typed[:GRAM]:
                if not _is_letter(token):
                    break
                key += token
        else:
            key = typed[0]
        expression = re.compile(_pattern(typed))
        exact = re.compile(expression.pattern + r"[a-z0-9]*\Z")
        docs = self._docs
        count = len(typed)
        exact_hits: list[tuple[int, str]] = []
        prefix_hits: list[tuple[int, str]] = []
        found: set[int] = set()
        more = False

        # Exact and prefix tiers: matches that start at the first character.
        for number in self._head.get(key, ()):
            doc = docs[number]
            if len(exact_hits) + len(prefix_hits) >= limit and (not doc.own and doc.units > count):
                more = True  # no exact match can follow; the prefix tier is full
                break
            tier = ""
            for string in doc.strings:
                if doc.units <= count and exact.match(string):
                    tier = EXACT
                    break
                if expression.match(string):
                    tier = PREFIX
            if tier == EXACT:
                exact_hits.append((number, tier))
            elif tier == PREFIX:
                prefix_hits.append((number, tier))
            if tier:
                found.add(number)
        chosen = (exact_hits + prefix_hits)[:limit]
        if len(exact_hits) + len(prefix_hits) > limit:
            more = True

        # Substring tier: fills what room is left; one match beyond it sets `more`.
        if not more:
            for number in self._any.get(key, ()):
                if number in found:
                    continue
                if any(expression.search(s) for s in docs[number].strings):
                    if len(chosen) >= limit:
                        more = True
                        break
                    chosen.append((number, SUBSTRING))
        return Results(query, tuple(self._hit(n, t, expression) for n, t in chosen), more)

    def _hit(self, number: int, tier: str, expression: re.Pattern[str]) -> Hit:
        doc = self._docs[number]
        score = TIER_POINTS[tier] + (OWN_SITE_POINTS if doc.own else 0) + max(0, 49 - doc.units)
        matched = ""
        for string in doc.strings:
            found = expression.search(string)
            if found:
                matched = _characters(string, found.start(), found.end())
                break
        return Hit(doc.entry, tier, score, doc.own, matched)


def _characters(string: str, start: int, end: int) -> str:
    """The characters of the units a match [start, end) touched."""
    out = []
    index = string.find(MARK, start)
    while index != -1 and index < end:
        out.append(string[index + 1])
        index = string.find(MARK, index + 1)
    return "".join(out)
