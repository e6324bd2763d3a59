"""A story's scenes: what a player reads and chooses, each element with its `file:line:col`.

Split from `model` so that a warm start (title screen, journal counts) never builds these
six classes: a frozen, slotted dataclass costs ~0.4 ms to create at import, and scenes are
only decoded once a game starts. `from game.story.model import Scene` still works: the
model module imports this one on first use of any of these names.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, TypeAlias

from game.story.construct import fast_constructor
from game.story.model import Ending, Pos, Value

if TYPE_CHECKING:  # a warm start builds a Story without the expression module (~3 ms)
    from game.story.expr import Evaluator, Node


@dataclass(frozen=True, slots=True)
class Condition:
    """A parsed `if:` expression, kept with its source text for maps, logs and errors."""

    source: str
    node: Node
    pos: Pos
    evaluate: Evaluator = field(compare=False, repr=False)


EffectKind = Literal["set", "add", "remove", "unlock", "compute"]


@dataclass(frozen=True, slots=True)
class Effect:
    """One `set`, `add`, `remove`, `unlock` or `compute` step; `value` is the literal, the
    amount, a list's names (for a list variable's `set`, `add` and `remove`), unused, or
    (compute) the expression's text, which `expression` holds parsed, checked and compiled
    (game/engine/effects.py evaluates it)."""

    kind: EffectKind
    target: str
    value: Value
    pos: Pos
    expression: Condition | None = None


@dataclass(frozen=True, slots=True)
class Variation:
    """One `{a|b}` `{&..}` `{!..}` `{~..}` or `{?COND|yes|no}` in a text (format v2), parsed
    once by `game/story/variations.py`; the engine picks an item (`game/engine/text.py`)."""

    kind: Literal["sequence", "cycle", "once", "shuffle", "if"]
    items: tuple[tuple[Part, ...], ...]
    """Each item as a Template's parts (literal text and holes, alternating)."""
    condition: Condition | None
    """The `if` kind's condition (None for the others)."""
    salt: int
    """A number fixed by the variation's place and text, so that two shuffles of one scene
    do not pick in step."""
    source: str
    """As written, braces included: for `str(template)` and messages."""

    def variations(self) -> Iterator[Variation]:
        """This one and every variation nested in its items, outermost first."""
        yield self
        for item in self.items:
            for part in item[1::2]:
                if type(part) is Variation:
                    yield from part.variations()


Part: TypeAlias = "str | Variation"
"""What a Template's parts hold: literal text at even indexes; at odd ones a variable's
name, or a Variation."""


@dataclass(frozen=True, slots=True)
class Template:
    """Text with `{variable}` holes, split at load time so rendering is a join, not a parse."""

    parts: tuple[Part, ...]
    """Alternating literal text and holes: even indexes literal, odd indexes a variable's
    name or (format v2) a `Variation`."""

    @property
    def is_plain(self) -> bool:
        return len(self.parts) == 1

    @property
    def names(self) -> tuple[str, ...]:
        """Every variable the text shows, variations' items included."""
        holes = self.parts[1::2]
        if all(type(p) is str for p in holes):
            return holes  # type: ignore[return-value]
        out: list[str] = []
        for hole in holes:
            if type(hole) is str:
                out.append(hole)
                continue
            for variation in hole.variations():  # type: ignore[union-attr]
                out.extend(p for item in variation.items for p in item[1::2]
                           if type(p) is str)
        return tuple(out)

    def variations(self) -> Iterator[Variation]:
        """Every variation in the text, nested ones too (outermost first)."""
        for hole in self.parts[1::2]:
            if type(hole) is Variation:
                yield from hole.variations()

    @property
    def conditions(self) -> tuple[Condition, ...]:
        """The conditions of its `{?COND|..}` variations."""
        return tuple(v.condition for v in self.variations() if v.condition is not None)

    def __str__(self) -> str:
        return "".join(typing.cast(str, p) if i % 2 == 0 else "{" + p + "}" if type(p) is str
                       else p.source  # type: ignore[union-attr]
                       for i, p in enumerate(self.parts))


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A block of scene text, shown only while its condition (if any) holds."""

    text: Template
    condition: Condition | None
    pos: Pos


@dataclass(frozen=True, slots=True)
class Choice:
    """A way out of a scene. `id` is stable across edits (saves refer to it, never to indexes)."""

    id: str
    text: Template
    goto: str
    condition: Condition | None
    effects: tuple[Effect, ...]
    once: bool
    pos: Pos
    goto_pos: Pos
    is_continue: bool = False
    """True for the single Continue that a `next:` or `return:` scene is turned into."""
    enabled: Condition | None = None
    """`enabled:` (format v2): while it is false the choice is shown, locked, and cannot be
    taken. `condition` (`if:`) still decides whether it is shown at all."""
    reason: Template | None = None
    """`reason:`, shown beside the choice while it is locked (only with `enabled`)."""
    call: bool = False
    """A `call:` (format v2): `goto` holds the scene called, and taking the choice pushes a
    return point (`then`, or this scene) on the game's call stack."""
    then: str | None = None
    """Where the call's `return: true` leads: this scene, or None for the calling scene,
    entered again."""
    returns: bool = False
    """The Continue of a `return: true` scene: it leads to the return point on top of the
    call stack (its `goto` is the scene itself, so a tool that does not know calls sees a
    loop in place, never a scene that does not exist)."""


@dataclass(frozen=True, slots=True)
class Scene:
    """One place in the story: text, effects on entering, and the ways out."""

    id: str
    title: str
    chapter: str | None
    paragraphs: tuple[Paragraph, ...]
    on_enter: tuple[Effect, ...]
    choices: tuple[Choice, ...]
    """For a `next:` scene this is one synthesised Continue choice, so the engine has one path."""
    next: str | None
    ending: Ending | None
    pos: Pos
    returns: bool = False
    """`return: true` (format v2): its one way on goes back to the scene that called it."""

    @property
    def continues(self) -> bool:
        """Whether its one way on is a plain Continue (`next:` or `return:`)."""
        return self.next is not None or self.returns


# The loader's quick readers and the cache's decoder make ~100,000 of these for a big story.
new_template: Callable[[tuple[Part, ...]], Template] = fast_constructor(Template, ("parts",))
new_paragraph: Callable[[Template, Condition | None, Pos], Paragraph] = fast_constructor(
    Paragraph, ("text", "condition", "pos"))
new_choice: Callable[[str, Template, str, Condition | None, tuple[Effect, ...], bool, Pos, Pos,
                      bool, Condition | None, Template | None, bool, str | None, bool],
                     Choice] = fast_constructor(
    Choice, ("id", "text", "goto", "condition", "effects", "once", "pos", "goto_pos",
             "is_continue", "enabled", "reason", "call", "then", "returns"))
"""`Choice(...)` with every field given: `is_continue`, `enabled`, `reason`, `call`, `then`
and `returns` too."""
new_condition: Callable[[str, Node, Pos, Evaluator], Condition] = fast_constructor(
    Condition, ("source", "node", "pos", "evaluate"))
new_effect: Callable[[EffectKind, str, Value, Pos, Condition | None], Effect] = fast_constructor(
    Effect, ("kind", "target", "value", "pos", "expression"))
"""`Effect(...)` with its `expression` given (None but for `compute`)."""
new_scene: Callable[[str, str, str | None, tuple[Paragraph, ...], tuple[Effect, ...],
                     tuple[Choice, ...], str | None, Ending | None, Pos, bool],
                    Scene] = fast_constructor(
    Scene, ("id", "title", "chapter", "paragraphs", "on_enter", "choices", "next", "ending",
            "pos", "returns"))


def scene_conditions(scene: Scene) -> Iterator[Condition]:
    """The scene's conditions, those of `{?COND|..}` in its texts (format v2) included
    (asked for in the same pass: only a text with a hole can hold one)."""
    for paragraph in scene.paragraphs:
        if paragraph.condition is not None:
            yield paragraph.condition
        if len(paragraph.text.parts) > 1:
            yield from paragraph.text.conditions
    for choice in scene.choices:
        if choice.condition is not None:
            yield choice.condition
        if choice.enabled is not None:
            yield choice.enabled
        if len(choice.text.parts) > 1:
            yield from choice.text.conditions
        if choice.reason is not None and len(choice.reason.parts) > 1:
            yield from choice.reason.conditions
