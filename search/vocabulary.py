"""Synonyms, everyday spellings and loanwords, kept as data and applied when indexing.

search/vocabulary.csv lists groups of folded phrases that a shopper uses for one thing:
{ca phe, cafe, ca fe, coffee}, {mac ca, macca, macadamia}, {sau rieng, durian}... A
document's folded text is expanded with the other phrases of each group it contains, so
that `cafe` finds what says `cà phê`. Queries stay plain AND over words, and every backend
and engine gets the same behaviour with no plugin and no synonym filter.

Each phrase has a role: `same` (looked for in documents, and added to those of its group),
`hint` (looked for, never added: `tra xanh` says a document is about tea, but green tea is
not black tea) or `add` (added, never looked for: `tra` (trà) also occurs in `kiem tra`,
`che` (chè) in `che bien`, chế biến). A group's phrases are added as many times as the group
was found (at most MAX_REPEAT), so a document that says `ca cao` once, in a group name, ranks
below one about cocoa, for `cacao` as for `ca cao`.
"""

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

from search import text

PATH = Path(__file__).with_name("vocabulary.csv")
MAX_REPEAT = 3
ROLES = ("same", "hint", "add")


@dataclass(frozen=True)
class Phrase:
    group: str
    words: tuple
    role: str  # "same", "hint" or "add"

    @property
    def looked_for(self):
        return self.role in ("same", "hint")


@functools.cache
def phrases():
    """{first word: [Phrase]} of search/vocabulary.csv, longest phrases first."""
    table = {}
    with open(PATH, newline="", encoding="utf-8") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            words = tuple(text.tokens(row["phrase"]))
            if not words or " ".join(words) != row["phrase"] or row["role"] not in ROLES:
                raise ValueError(f"{PATH}:{line}: {row['phrase']!r} must be folded words, role one of {ROLES}")
            table.setdefault(words[0], []).append(Phrase(row["group"], words, row["role"]))
    for candidates in table.values():
        candidates.sort(key=lambda p: -len(p.words))
    return table


@functools.cache
def groups():
    """{group: [words of the phrases added to its documents]}."""
    result = {}
    for candidates in phrases().values():
        for phrase in candidates:
            if phrase.role != "hint":
                result.setdefault(phrase.group, []).append(phrase.words)
    return result


def expand(folded):
    """`folded` (search.text.folded_text) followed by the phrases its groups add."""
    words = folded.split()
    table = phrases()
    found = {}  # group → times found
    present = set()
    for i in [i for i, word in enumerate(words) if word in table]:
        for phrase in table[words[i]]:
            if tuple(words[i : i + len(phrase.words)]) == phrase.words:
                present.add(phrase.words)
                if phrase.looked_for:
                    found[phrase.group] = found.get(phrase.group, 0) + 1
    extra = []
    for group, times in found.items():
        missing = [" ".join(w) for w in groups()[group] if w not in present]
        extra.extend(missing * min(times, MAX_REPEAT))
    return " ".join([folded, *extra]) if extra else folded
