"""What a set of runs reached, and the author's list of everything it never reached.

Random runs and the exhaustive search both fill a `Coverage`; the report is shared so the two
read alike. Counts mean different things per kind, because each answers the author's own
question: scenes and choices count how often they were entered or taken (is this path
common or rare?), facts and endings count how many runs found them (how likely is a player
to see this?). A choice that can be locked says what unlocks it where it is listed as never
reached. The synthesised Continue of a `next:` scene is left out of choices: it is
reached whenever its scene is, and listing it would only hide the real choices.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from game.story.model import Pos, Story

ItemKind = Literal["scene", "choice", "fact", "ending"]


@dataclass(slots=True)
class Coverage:
    scenes: Counter[str] = field(default_factory=Counter)
    """Times each scene was entered."""
    choices: Counter[tuple[str, str]] = field(default_factory=Counter)
    """Times each (scene id, choice id) was taken."""
    facts: Counter[str] = field(default_factory=Counter)
    """Runs (or, exhaustively, distinct states) in which each fact was unlocked."""
    endings: Counter[str] = field(default_factory=Counter)
    """Runs (or, exhaustively, distinct states) that ended at each ending."""


@dataclass(frozen=True, slots=True)
class Item:
    """One thing a story can reach, with where the author defined it."""

    kind: ItemKind
    key: str
    """The id as an author would search for it: `scene`, `scene/choice`, `fact`, `ending`."""
    pos: Pos
    note: str = ""
    """For a choice that can be locked: what unlocks it (why a run may never take it)."""

    def __str__(self) -> str:
        return f"{self.kind} '{self.key}'" + (f" ({self.note})" if self.note else "")


def items(story: Story) -> Iterator[tuple[Item, tuple[str, str] | str]]:
    """Every reachable-or-not thing in story order, with its key into `Coverage`."""
    for scene in story.scenes.values():
        yield Item("scene", scene.id, scene.pos), scene.id
    for scene in story.scenes.values():
        for choice in scene.choices:
            if not choice.is_continue:
                note = ("" if choice.enabled is None
                        else f"locked unless enabled: {choice.enabled.source}")
                yield (Item("choice", f"{scene.id}/{choice.id}", choice.pos, note),
                       (scene.id, choice.id))
    for fact in story.facts.values():
        yield Item("fact", fact.id, fact.pos), fact.id
    for ending in story.endings.values():
        yield Item("ending", ending.id, ending.pos), ending.id


def count(coverage: Coverage, item: Item, key: tuple[str, str] | str) -> int:
    if item.kind == "choice":
        assert isinstance(key, tuple)
        return coverage.choices[key]
    assert isinstance(key, str)
    table = {"scene": coverage.scenes, "fact": coverage.facts, "ending": coverage.endings}
    return table[item.kind][key]


def unreached(story: Story, coverage: Coverage) -> list[Item]:
    return [item for item, key in items(story) if count(coverage, item, key) == 0]


@dataclass(frozen=True, slots=True)
class Totals:
    reached: dict[ItemKind, int]
    total: dict[ItemKind, int]

    def summary(self) -> str:
        return ", ".join(f"{kind}s {self.reached[kind]}/{self.total[kind]}"
                         for kind in ("scene", "choice", "fact", "ending"))

    @property
    def complete(self) -> bool:
        return self.reached == self.total


def totals(story: Story, coverage: Coverage) -> Totals:
    reached: dict[ItemKind, int] = {"scene": 0, "choice": 0, "fact": 0, "ending": 0}
    total: dict[ItemKind, int] = dict(reached)
    for item, key in items(story):
        total[item.kind] += 1
        if count(coverage, item, key):
            reached[item.kind] += 1
    return Totals(reached, total)


_UNITS: dict[ItemKind, str] = {
    "scene": "times entered",
    "choice": "times taken",
    "fact": "runs that unlocked it",
    "ending": "runs that ended there",
}


def report(story: Story, coverage: Coverage, units: dict[ItemKind, str] | None = None,
           ) -> list[str]:
    """One line per item: `kind  count  id  file:line:col`, so `grep '^scene '` works."""
    units = units or _UNITS
    rows = [(item, count(coverage, item, key)) for item, key in items(story)]
    width = max((len(item.key) for item, _ in rows), default=0)
    digits = max((len(str(n)) for _, n in rows), default=1)
    lines: list[str] = []
    t = totals(story, coverage)
    for kind in ("scene", "choice", "fact", "ending"):
        kind_rows = [(item, n) for item, n in rows if item.kind == kind]
        if not kind_rows:
            continue
        lines.append(f"{kind}s: {t.reached[kind]} of {t.total[kind]} reached "
                     f"(count = {units[kind]})")
        for item, n in kind_rows:
            lines.append(f"{kind:<7} {n:>{digits}}  {item.key:<{width}}  {item.pos}")
    return lines


def unreached_lines(items_: list[Item], what: str = "never reached") -> list[str]:
    """`file:line:col: never reached: scene 'x'` - the compiler form editors jump to."""
    return [f"{item.pos}: {what}: {item}" for item in items_]
