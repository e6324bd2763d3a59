"""List variables (format v2): the rules of a set of names, written once.

A list variable is declared with every name it may hold (`items`) and starts with
`default` (a subset). Its value is a `Names` tuple (see `game.story.model.Names` for why a
tuple in declared order): the loader, the engine, the fast runner, the save migration and
the exhaustive search all make and change list values through these functions only, so a
list's order is the declared one wherever it is looked at.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence

from game.story.model import Names
from game.story.names import closest


def ordered(items: Sequence[str], names: Collection[str]) -> Names:
    """`names` (each in `items`) as a list value: in declared order, each once."""
    return tuple(item for item in items if item in names)


def added(items: Sequence[str], current: Names, names: Names) -> Names:
    """`add: {list: names}`: the union, in declared order (the same value when nothing is
    new). Sets, not tuple scans, so a list of thousands of items costs linear time."""
    held = set(current)
    held.update(names)
    if len(held) == len(current):
        return current
    return tuple(item for item in items if item in held)


def removed(current: Names, names: Names) -> Names:
    """`remove: {list: names}`: what is left (order kept: it was the declared one)."""
    gone = set(names)
    kept = tuple(item for item in current if item not in gone)
    return current if len(kept) == len(current) else kept


class NamesTable(dict[Names, Names]):
    """One `add` or `remove` of names to a list variable (format v2) as a table: the list's
    value before -> its value after, each entry computed once by `added`/`removed` above
    (the rule stays there) the first time play meets that value, so applying it is one
    dict look-up (`table[current]`), in the Engine and in the fast runner alike. A list's
    values are few (subsets of its items, and a game meets fewer), and the table stops
    growing at `TABLE_MAX` entries: past that a value not in it is computed each time."""

    __slots__ = ("change",)

    def __init__(self, change: Callable[[Names], Names]) -> None:
        super().__init__()
        self.change = change

    def __missing__(self, current: Names) -> Names:
        after = self.change(current)
        if len(self) < TABLE_MAX:
            self[current] = after
        return after


TABLE_MAX = 4096
"""The most entries a `NamesTable` keeps."""


def names_table(kind: str, items: Sequence[str], names: Names) -> NamesTable:
    """The table of a list's `add` (of `names`, kept in the order of `items`) or `remove`
    effect (`kind`), as the Engine and the fast runner apply it."""
    return names_removed(names) if kind == "remove" else names_added(items, names)


def names_added(items: Sequence[str], names: Names) -> NamesTable:
    """`added(items, current, names)` for one effect, as a `NamesTable`."""
    return NamesTable(lambda current: added(items, current, names))


def names_removed(names: Names) -> NamesTable:
    """`removed(current, names)` for one effect, as a `NamesTable`."""
    return NamesTable(lambda current: removed(current, names))


def fitted(items: Sequence[str], saved: Iterable[object]) -> tuple[Names, list[str]]:
    """A saved list onto the story's `items` now: the names still declared, in declared
    order, and the ones the story no longer has (for the migration's report)."""
    declared = set(items)
    kept: set[str] = set()
    dropped: list[str] = []
    for name in saved:
        if isinstance(name, str) and name in declared:
            kept.add(name)
        elif isinstance(name, str) and name not in dropped:
            dropped.append(name)
    return ordered(items, kept), dropped


def not_an_item(var: str, name: str, items: Sequence[str]) -> str:
    """The words for a name that `var` does not declare, with the closest one it does."""
    close = closest(name, list(items))
    hint = f"; did you mean '{close}'?" if close else ""
    return f"'{name}' is not one of the items of '{var}' ({', '.join(items)}){hint}"


def spelled(value: Names) -> str:
    """How `{list}` shows in text: the names in declared order, joined by ", "."""
    return ", ".join(value)
