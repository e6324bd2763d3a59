"""The loaded story: immutable values that remember where in the YAML they came from.

Everything here is a frozen, slotted dataclass so that a `Story` can be shared by the engine,
the UI and the author tools without anyone being able to change it under the others (ink's
"immutable story, small serialisable state"). Every element carries a `Pos` so that any
problem found later - by the checker, by a random playthrough, by a save that no longer
fits - can be reported at the author's `file:line:col`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

# Re-exported: the engine and tools know the slot trick as the model's.
from game.story.construct import fast_constructor as fast_constructor
from game.story.construct import slot_setters as slot_setters

if TYPE_CHECKING:
    from game.story.scene import Choice as Choice
    from game.story.scene import Condition as Condition
    from game.story.scene import Effect as Effect
    from game.story.scene import Paragraph as Paragraph
    from game.story.scene import Scene as Scene
    from game.story.scene import Template as Template

Scalar = bool | int | float | str
"""The four kinds of value a v1 variable can hold (YAML scalars, minus null)."""
Names = tuple[str, ...]
"""A list variable's value: the names it holds, each once, in the order its `items` declare.

Why a tuple in declared order rather than a set: it is hashable (the exhaustive search keys
states by their variables), it has one spelling per set of names (so equal states are equal
values, `{pockets}` always reads the same, and a save's JSON array is the same bytes), it
marshals into the compiled cache as it is, and it is cheap: a list declares a handful of
names, and a membership test on a short tuple of interned strings costs what a set's does.
Every list value is made by `game.story.lists` (`ordered`, `added`, `removed`, `fitted`),
which keeps that order: a save's JSON array is read as it is and put in order by
`migrate`, which every load goes through."""
Value = Scalar | Names
"""What a variable can hold: a scalar, or (a list variable) the names it holds."""


@dataclass(frozen=True, slots=True)
class Pos:
    """A place in an author's file; 1-based like every editor and compiler shows it."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"

    def shifted(self, columns: int) -> Pos:
        """Point inside a one-line scalar, e.g. at the offending token of a condition."""
        return Pos(self.file, self.line, self.col + columns)


new_pos: Callable[[str, int, int], Pos] = fast_constructor(Pos, ("file", "line", "col"))
"""`Pos(file, line, col)` at two thirds of the cost, for the hundred thousand a big story has."""


@dataclass(frozen=True, slots=True)
class Ending:
    """Where a story ends; `scene` is the scene that declares it, for the journal and maps."""

    id: str
    title: str
    pos: Pos
    scene: str
    hint: str | None = None
    """Shown in the endings gallery while the ending is still locked."""


@dataclass(frozen=True, slots=True)
class Fact:
    """A true story the journal collects; `source` credits the outlet it comes from."""

    id: str
    title: str
    text: str
    source: str
    hint: str | None
    chapter: str | None
    pos: Pos


@dataclass(frozen=True, slots=True)
class Variable:
    """A story variable and the value every new game starts with."""

    name: str
    default: Value
    pos: Pos
    items: Names | None = None
    """A list variable's every possible name, in declared order (None: not a list)."""
    lo: int | float | None = None
    hi: int | float | None = None
    """A number's bounds (`{default: 0, min: 0, max: 5}`): every `add` and `compute`
    result is clamped into them (None: no bound on that side)."""

    @property
    def bounded(self) -> bool:
        return self.lo is not None or self.hi is not None

    @property
    def kind(self) -> type:
        """`int` and `float` both count as numbers; the checker treats them alike; a list
        variable's kind is `tuple`."""
        return type(self.default)


@dataclass(frozen=True, slots=True)
class Expectation:
    """What a scripted playthrough expects at one point: any subset of these."""

    scene: str | None
    ending: str | None
    facts: tuple[str, ...]
    variables: Mapping[str, Value]
    pos: Pos


@dataclass(frozen=True, slots=True)
class Step:
    """One choice of a scripted playthrough, with what should hold after it."""

    choose: str
    """The choice's id or its exact text, as the author wrote it."""
    expect: Expectation | None
    pos: Pos


@dataclass(frozen=True, slots=True)
class Playthrough:
    """A scripted route an author keeps passing (`offscreen test`), like a unit test."""

    name: str
    steps: tuple[Step, ...]
    expect: Expectation | None
    pos: Pos
    seed: int = 0
    """The game seed the playthrough plays with, so its rolls are the same on every run."""


@dataclass(frozen=True, slots=True)
class Story:
    """Everything a game or a tool needs, loaded once and never changed."""

    id: str
    title: str
    subtitle: str | None
    start: str
    variables: Mapping[str, Variable]
    facts: Mapping[str, Fact]
    scenes: Mapping[str, Scene]
    endings: Mapping[str, Ending]
    playthroughs: Mapping[str, Playthrough]
    files: tuple[str, ...]
    content_hash: str
    """sha256 over every file's path and bytes: saves use it to notice that the story changed."""
    pos: Pos

    def defaults(self) -> dict[str, Value]:
        return {name: var.default for name, var in self.variables.items()}

    def list_items(self) -> dict[str, Names]:
        """Every list variable's declared names, in order (what `in`, `add`, `remove` and
        the language server's completion may use)."""
        return {name: var.items for name, var in self.variables.items()
                if var.items is not None}

    def chapters(self) -> tuple[str, ...]:
        """Chapter names in story order (first scene or fact that names each), for the journal."""
        seen: dict[str, None] = {}
        for scene in self.scenes.values():
            if scene.chapter is not None:
                seen.setdefault(scene.chapter, None)
        for fact in self.facts.values():
            if fact.chapter is not None:
                seen.setdefault(fact.chapter, None)
        return tuple(seen)


_IN_SCENE = frozenset({"Choice", "Condition", "Effect", "Paragraph", "Scene", "Template"})


def __getattr__(name: str) -> object:
    """`model.Scene` and friends, imported from `game.story.scene` on first use (PEP 562)."""
    if name not in _IN_SCENE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from game.story import scene

    value = getattr(scene, name)
    globals()[name] = value  # later lookups are plain attribute reads
    return value
