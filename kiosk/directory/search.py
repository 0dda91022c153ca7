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

Candidates come from postings, then the expression confirms them best first (the confirming
loop runs in C, see `_matching`). How a query splits into syllables decides which posting:

- `_head` / `_any`: every spelling of one to three letters (or a character) that can start
  at the first character of a name / at any character: `fly`, `fal`, `tia`;
- `_pairs`: a syllable's beginning followed by the next character's first letter, `qing|c`,
  for queries whose first letters are common (青/清/庆 + 村 in 青村公共法律服务工作室);
- `_initials`: the first letters of every character of a name, for exact matches.

A run of letters splits into syllable beginnings in one or more ways. Where every split starts
a syllable (an "anchor"), every match has one of the spellings above starting there; the
smallest such candidate list is scanned.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from kiosk.directory.readings import Reader, Unit, letters_of

EXACT, PREFIX, SUBSTRING = "exact", "prefix", "substring"
TIER_POINTS = {EXACT: 300, PREFIX: 200, SUBSTRING: 100}
OWN_SITE_POINTS = 50
GRAM = 3  # letters of the spellings in `_head` and `_any`
MAX_READINGS = 64  # past this many readings of a query's initials, exact is told among prefixes
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
    """The expression matching `query` (already tokens) from the start of a unit.

    A letter after a letter continues the same syllable or, skipping the rest of it, starts
    the next unit (tried in that order; possessive skips never backtrack); a character must be
    the next unit's character.
    """
    skip = f"[a-z0-9]*+{MARK}"
    parts: list[str] = []
    previous = ""
    for token in query:
        if _is_letter(token):
            if previous == "letter":
                parts.append(f"(?:{token}|{skip}.{token})")
            else:
                parts.append(f"{MARK}.{token}" if previous == "" else f"{skip}.{token}")
            previous = "letter"
        else:
            escaped = re.escape(token)
            parts.append(f"{MARK}{escaped}" if previous == "" else f"{skip}{escaped}")
            previous = "char"
    return "".join(parts)


def _unit_string(units: Sequence[Unit]) -> str:
    return "".join(MARK + char + letters for char, letters in units)


@functools.cache
def _spellings(syllables: tuple[str, ...]) -> frozenset[str]:
    """Every string of 1..GRAM letters typed from the first of `syllables` on: each syllable
    gives one letter or more, from its start, in order. Memoised: names share syllables."""
    found: set[str] = set()
    stack = [(0, "")]
    while stack:
        index, typed = stack.pop()
        syllable = syllables[index]
        for size in range(1, min(len(syllable), GRAM - len(typed)) + 1):
            text = typed + syllable[:size]
            found.add(text)
            if len(text) < GRAM and index + 1 < len(syllables):
                stack.append((index + 1, text))
    return frozenset(found)


@functools.cache
def _pair_keys(syllable: str, following: str) -> tuple[str, ...]:
    """`qing` then `cun` -> q|c, qi|c, qin|c, qing|c."""
    return tuple(f"{syllable[:size]}|{following[0]}" for size in range(1, len(syllable) + 1))


def _matching(
    test: Callable[[str], Any], numbers: Sequence[int], texts: Sequence[str]
) -> Iterator[int]:
    """The numbers whose text passes `test` (a compiled expression's match or search), in
    order, lazily. The loop runs in C: a candidate costs one regex call, no Python frame."""
    return itertools.compress(numbers, map(test, map(texts.__getitem__, numbers)))


@dataclass(frozen=True)
class _Plan:
    """How to look for one query: candidate lists and what an exact match can be."""

    head: Sequence[int]  # candidates for matches from a name's first character
    anywhere: Sequence[int]  # candidates for matches anywhere
    readings: frozenset[str] | None  # initials an exact match's name can have (None: unknown)


class SearchIndex:
    """An immutable index over entries for one kiosk site (its own entries rank first)."""

    def __init__(
        self, entries: Iterable[Entry], own_site: str | None = None, reader: Reader | None = None
    ) -> None:
        reader = reader or Reader()
        self.own_site = own_site
        # A row per name and per alias of an entry, in rank order; results list entries once.
        entries = list(entries)
        rows = []
        for entry in entries:
            own = bool(own_site) and entry.site == own_site
            for name in (entry.name, *entry.aliases):
                units = reader.units(name, person=entry.person)
                if units:
                    spelled = "".join(letters for _, letters in units)
                    rows.append(((not own, len(units), spelled, entry.id), entry, own, units))
        rows.sort(key=lambda row: row[0])
        self._count = len(entries)
        self._entries = [entry for _, entry, _, _ in rows]
        self._own = [own for _, _, own, _ in rows]
        self._sizes = [len(units) for *_, units in rows]
        self._texts = [_unit_string(units) for *_, units in rows]
        self._by_id = {entry.id: entry for entry in self._entries}
        syllables = {letters for *_, units in rows for _, letters in units}
        syllables.discard("")
        self._prefixes = {s[:k] for s in syllables for k in range(1, len(s) + 1)}
        self._longest = max((len(s) for s in syllables), default=1)
        self._head: dict[str, list[int]] = {}
        self._any: dict[str, list[int]] = {}
        self._pairs: dict[str, list[int]] = {}
        self._initials: dict[str, list[int]] = {}
        head_table, any_table, pair_table = self._head, self._any, self._pairs
        for number, (*_, units) in enumerate(rows):
            letters = [letters for _, letters in units]
            anywhere: set[str] = set()
            pairs: set[str] = set()
            for start, (char, syllable) in enumerate(units):
                anywhere |= _spellings(tuple(letters[start : start + GRAM]))
                anywhere.add(char)
                if syllable and start + 1 < len(units) and letters[start + 1]:
                    pairs.update(_pair_keys(syllable, letters[start + 1]))
            for key in _spellings(tuple(letters[:GRAM])) | {units[0][0]}:
                head_table.setdefault(key, []).append(number)
            for key in anywhere:
                any_table.setdefault(key, []).append(number)
            for key in pairs:
                pair_table.setdefault(key, []).append(number)
            if all(letters):
                initials = "".join(syllable[0] for syllable in letters)
                self._initials.setdefault(initials, []).append(number)
        _spellings.cache_clear()
        _pair_keys.cache_clear()
        # Compact arrays: a quarter of the memory, and nothing for the garbage collector to
        # walk (a big directory's lists would make every full collection pause the kiosk).
        for table in (self._head, self._any, self._pairs, self._initials):
            for key, numbers in table.items():
                table[key] = array("I", numbers)  # type: ignore[assignment]

    def __len__(self) -> int:
        return self._count

    def entry(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)

    # --- searching -------------------------------------------------------------------------

    def search(self, query: str, limit: int = DEFAULT_LIMIT) -> Results:
        """The best `limit` entries for `query`, best first (see the module docstring)."""
        typed = tokens(query)
        if not typed or limit <= 0:
            return Results(query)
        short = len(typed) <= GRAM and typed.isascii()
        if short:  # the postings are exact for up to GRAM letters: no expression needed
            split = self._split(typed)
            if split is None:
                return Results(query)
            readings = split[1]
            plan = _Plan(
                self._head.get(typed, ()),
                self._any.get(typed, ()),
                None if readings is None else frozenset(readings),
            )
            expression = None
            starts = inside = _always
            whole = functools.partial(_covers, typed=typed)
        else:
            found_plan = self._plan(typed)
            if found_plan is None:
                return Results(query)  # the letters cannot be read as pinyin of these names
            plan = found_plan
            expression = re.compile(_pattern(typed) + "[a-z0-9]*+")
            starts, whole, inside = expression.match, expression.fullmatch, expression.search
        texts, entries = self._texts, self._entries
        chosen: list[tuple[int, str]] = []
        seen: set[str] = set()  # entry ids already listed (an alias row may match as well)
        more = False

        def take(numbers: Iterable[int], tier: str) -> bool:
            """Add rows' entries up to the limit; True once one more match has been seen."""
            for number in numbers:
                entry_id = entries[number].id
                if entry_id in seen:
                    continue
                if len(chosen) >= limit:
                    return True
                seen.add(entry_id)
                chosen.append((number, tier))
            return False

        # Exact: the whole name; its initials are one of the query's readings.
        if plan.readings is not None:
            pool = sorted({n for text in plan.readings for n in self._initials.get(text, ())})
            more = take(_matching(whole, pool, texts), EXACT)
            more = more or take(_matching(starts, plan.head, texts), PREFIX)
        else:  # too many readings: exact matches are told among the prefix matches
            prefix = list(itertools.islice(_matching(starts, plan.head, texts), limit + 1))
            exact = [n for n in prefix if whole(texts[n])]
            more = take(exact, EXACT)
            more = take((n for n in prefix if n not in exact), PREFIX) or more
        # Substring: fills the room left; one match beyond it sets `more`.
        if not more:
            more = take(_matching(inside, plan.anywhere, texts), SUBSTRING)
        hits = tuple(self._hit(n, tier, typed, expression) for n, tier in chosen)
        return Results(query, hits, more)

    def _plan(self, typed: str) -> _Plan | None:
        """Candidate lists for `typed`, from its anchors (see the module docstring)."""
        options: list[list[Sequence[int]]] = []  # per anchor: lists whose union holds all
        readings: set[str] | None = {""}
        head: Sequence[int] | None = None
        start = 0
        while start < len(typed):
            if not _is_letter(typed[start]):
                char = typed[start]
                options.append([self._any.get(char, ())])
                if start == 0:
                    head = self._head.get(char, ())
                readings = None
                start += 1
                continue
            end = start
            while end < len(typed) and _is_letter(typed[end]):
                end += 1
            run = typed[start:end]
            split = self._split(run)
            if split is None:
                return None
            anchors, run_readings = split
            options += anchors
            if start == 0:
                head = self._head.get(run[:GRAM], ())
            if readings is not None and run_readings is not None:
                readings = {a + b for a in readings for b in run_readings}
                if len(readings) > MAX_READINGS:
                    readings = None
            else:
                readings = None
            start = end
        best = min(options, key=lambda lists: sum(map(len, lists)))
        anywhere = best[0] if len(best) == 1 else sorted(set().union(*best))
        if head is None or len(anywhere) < len(head):
            head = anywhere  # any candidate list holds the prefix matches too
        return _Plan(head, anywhere, None if readings is None else frozenset(readings))

    def _split(self, run: str) -> tuple[list[list[Sequence[int]]], set[str] | None] | None:
        """The anchors of a run of letters, each as candidate lists, and the initials of every
        way to split it (None if more than MAX_READINGS). None: it cannot be split."""
        prefixes, longest, size = self._prefixes, self._longest, len(run)
        forward = [0] * (size + 1)
        forward[0] = 1
        firsts: list[set[str] | None] = [set() for _ in range(size + 1)]
        firsts[0] = {""}
        for i in range(size):
            if not forward[i]:
                continue
            here = firsts[i]
            for k in range(1, min(longest, size - i) + 1):
                if run[i : i + k] not in prefixes:
                    break  # prefixes of syllables are closed under taking prefixes
                forward[i + k] += forward[i]
                ahead = firsts[i + k]
                if ahead is not None and here is not None:
                    ahead.update(text + run[i] for text in here)
                    if len(ahead) > MAX_READINGS:
                        firsts[i + k] = None
                else:
                    firsts[i + k] = None
        total = forward[size]
        if not total:
            return None
        backward = [0] * (size + 1)
        backward[size] = 1
        for i in range(size - 1, -1, -1):
            for k in range(1, min(longest, size - i) + 1):
                if run[i : i + k] not in prefixes:
                    break
                backward[i] += backward[i + k]
        anchors = []
        for b in range(size):
            if forward[b] * backward[b] != total:
                continue  # some split does not start a syllable here
            spelled = [self._any.get(run[b : b + GRAM], ())]
            ends = [
                b + k
                for k in range(1, min(longest, size - b) + 1)
                if run[b : b + k] in prefixes and backward[b + k]
            ]
            if size not in ends:  # every syllable starting here is followed by another
                pairs = [self._pairs.get(f"{run[b:end]}|{run[end]}", ()) for end in ends]
                if sum(map(len, pairs)) < len(spelled[0]):
                    spelled = pairs
            anchors.append(spelled)
        return anchors, firsts[size]

    def _hit(self, number: int, tier: str, typed: str, expression: re.Pattern[str] | None) -> Hit:
        own, size, text = self._own[number], self._sizes[number], self._texts[number]
        score = TIER_POINTS[tier] + (OWN_SITE_POINTS if own else 0) + max(0, 49 - size)
        if expression is not None:
            found = expression.search(text)
            matched = _characters(text, found.start(), found.end()) if found else ""
        else:
            matched = _short_span(text, typed)
        return Hit(self._entries[number], tier, score, own, matched)


def _always(text: str) -> bool:
    return True


def _syllables(text: str) -> list[str]:
    return [unit[1:] for unit in text.split(MARK)[1:]]


def _covers(text: str, typed: str) -> bool:
    """Whether `typed` (letters) reads the whole name: each character gets one letter or more."""
    syllables = _syllables(text)

    def fits(index: int, rest: str) -> bool:
        if index == len(syllables):
            return not rest
        syllable = syllables[index]
        return any(
            syllable[:size] == rest[:size] and fits(index + 1, rest[size:])
            for size in range(1, min(len(syllable), len(rest)) + 1)
        )

    return fits(0, typed)


def _short_span(text: str, typed: str) -> str:
    """The characters a short query of letters reads first (from the name's start if it can)."""
    syllables = _syllables(text)
    chars = [unit[0] for unit in text.split(MARK)[1:]]

    def reach(index: int, rest: str) -> int:
        """How many characters from `index` on `rest` reads (0: it does not)."""
        if not rest:
            return 0
        if index == len(syllables):
            return -1
        syllable = syllables[index]
        for size in range(min(len(syllable), len(rest)), 0, -1):
            if syllable[:size] == rest[:size]:
                after = reach(index + 1, rest[size:])
                if after >= 0:
                    return after + 1
        return -1

    for start in range(len(syllables)):
        count = reach(start, typed)
        if count > 0:
            return "".join(chars[start : start + count])
    return ""


def _characters(string: str, start: int, end: int) -> str:
    """The characters of the units a match [start, end) touched."""
    out = []
    index = string.find(MARK, start)
    while index != -1 and index < end:
        out.append(string[index + 1])
        index = string.find(MARK, index + 1)
    return "".join(out)
