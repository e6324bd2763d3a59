"""The scene format's keys, declared once.

The loader checks author files against these tables and the JSON Schema in `docs/` is
generated from them, so the editor's autocomplete and `offscreen check` can never disagree
about which keys exist. Each key has a *kind*, a small vocabulary the loader and the schema
generator both understand, and a one-line description that becomes the editor tooltip.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal[
    "text",  # any scalar, read as the author's words
    "template",  # text with {variable} holes
    "id",  # an identifier: letters, digits, underscores, not starting with a digit
    "slug",  # the story id: lowercase letters, digits, '-' and '_'
    "bool",
    "value",  # a literal: number, true/false or text
    "condition",  # an expression (see docs/writing-scenes.md)
    "paragraphs",  # a string, or a list of strings and {if, text} mappings
    "effects",  # a list of {set|add|unlock} mappings
    "choices",  # a list of choice mappings
    "ending",  # an {id, title} mapping
    "ids",  # an id or a list of ids
    "values",  # a mapping of variable name to literal (or, for a list, names)
    "numbers",  # a mapping of variable name to number (or, for a list, names)
    "names",  # a mapping of list variable name to a name or a list of names
    "declaration",  # a variable: its default, or a mapping (a list's items and default, or
    # a number's default, min and max)
    "default",  # a variable's default: a literal, or for a list a name or list of names
    "steps",  # a list of choice texts/ids or {choose, expect} mappings
    "expect",  # an expectation mapping
    "named",  # a mapping from ids to definitions
    "story",  # the story mapping
    "number",
    "computes",  # a mapping of variable name to an expression
    "seed",  # a game seed: a whole number from 0 to 2**32 - 1 (game/engine/dice.py)
]


Shape = Literal["text", "number", "bool", "list", "mapping", "empty"]
"""What a YAML value is, before what it says: the JSON Schema's "type" and the loader's
first check of every key's value are both this."""

SHAPES: dict[Kind, tuple[Shape, ...]] = {
    "text": ("text", "number", "bool"),  # `title: 2010` is the words "2010"
    "template": ("text", "number", "bool"),
    "id": ("text",),
    "slug": ("text",),
    "bool": ("bool",),
    "value": ("text", "number", "bool"),
    "condition": ("text", "bool"),
    "paragraphs": ("text", "number", "bool", "list"),
    "effects": ("list",),
    "choices": ("list",),
    "ending": ("mapping",),
    "ids": ("text", "list"),
    "values": ("mapping",),
    "numbers": ("mapping",),
    "names": ("mapping",),
    "declaration": ("text", "number", "bool", "mapping"),
    "default": ("text", "number", "bool", "list"),
    "steps": ("list",),
    "expect": ("mapping",),
    "named": ("mapping", "empty"),  # `facts:` with nothing under it yet
    "story": ("mapping",),
    "number": ("number",),
    "computes": ("mapping",),
    "seed": ("number",),
}
"""The shapes a value of each kind may have. The loader refuses any other at the value
(a list where a mapping belongs, say: `ending: [x, The X]` once passed `check`), and the
JSON Schema's "type" of each key is generated from this same table."""


@dataclass(frozen=True, slots=True)
class Key:
    name: str
    kind: Kind
    doc: str
    required: bool = False
    of: str | None = None
    """For a "named" key: what each entry is, a table name in TABLES or a Kind."""


def _table(*keys: Key) -> dict[str, Key]:
    return {key.name: key for key in keys}


TOP = _table(
    Key("story", "story", "The story's id, title and first scene (exactly once per folder)."),
    Key("variables", "named", "Every variable, with its default value (or a mapping: a "
        "list's items and default, or a number's default with its min and max).",
        of="declaration"),
    Key("facts", "named", "The true facts the player can unlock into the journal.", of="fact"),
    Key("scenes", "named", "The scenes, by id.", of="scene"),
    Key("playthroughs", "named", "Scripted playthroughs that `offscreen test` replays.",
        of="playthrough"),
)

STORY = _table(
    Key("id", "slug", "A short stable id; saves record it.", required=True),
    Key("title", "text", "Shown on the title screen.", required=True),
    Key("subtitle", "text", "Shown under the title."),
    Key("start", "id", "The first scene's id.", required=True),
)

VARIABLE = _table(
    Key("items", "ids", "A list variable: every name it may hold, in the order text shows "
        "them."),
    Key("default", "default", "What a new game starts with (a list: a name or a list of "
        "names, from its items; none if left out)."),
    Key("min", "number", "A number's lowest value: add and compute results below it are "
        "raised to it."),
    Key("max", "number", "A number's highest value: add and compute results above it are "
        "lowered to it."),
)
"""The mapping form of a variable declaration (format v2). A list's part is read by
`listreader.ListReaders.list_variable`, a number's bounds by `EffectReaders.bounds`."""

FACT = _table(
    Key("title", "text", "The fact's headline in the journal.", required=True),
    Key("text", "text", "The fact itself.", required=True),
    Key("source", "text", "Where it comes from (the outlet to credit)."),
    Key("hint", "text", "Shown in the journal while the fact is still locked."),
    Key("chapter", "text", "Groups the fact in the journal."),
)

SCENE = _table(
    Key("title", "text", "Shown above the scene (defaults to the id)."),
    Key("chapter", "text", "The chapter this scene belongs to."),
    Key("text", "paragraphs", "The prose: a string or a list of paragraphs.", required=True),
    Key("on_enter", "effects", "Effects run each time the scene is entered."),
    Key("choices", "choices", "The player's options."),
    Key("next", "id", "A single Continue to this scene, instead of choices."),
    Key("ending", "ending", "Ends the story here, instead of choices."),
    Key("return", "bool", "true: a single Continue back to the scene that called this one "
        "(its 'then', or the caller itself), instead of choices."),
)

CHOICE = _table(
    Key("text", "template", "What the player reads.", required=True),
    Key("goto", "id", "The scene this choice leads to."),
    Key("call", "id", "Instead of goto: the scene this choice calls; its 'return: true' "
        "comes back."),
    Key("then", "id", "With call: where the call's return leads (default: back to this "
        "scene, entered again)."),
    Key("if", "condition", "Hidden unless this condition is true."),
    Key("effects", "effects", "Effects run when the choice is taken."),
    Key("once", "bool", "Gone after it has been taken once."),
    Key("id", "id", "A stable id for saves and playthroughs (default: made from the text)."),
    Key("enabled", "condition", "Shown but locked (cannot be picked) while this condition "
        "is false (format v2)."),
    Key("reason", "template", "Shown beside the choice while it is locked (with 'enabled')."),
)

PARAGRAPH = _table(
    Key("text", "template", "The paragraph.", required=True),
    Key("if", "condition", "Shown only when this condition is true.", required=True),
)

ENDING = _table(
    Key("id", "id", "The ending's id (each ending is defined in one scene).", required=True),
    Key("title", "text", "The ending's name, shown on the ending screen.", required=True),
    Key("hint", "text", "Shown for this ending in the endings gallery until it is found."),
)

EFFECT = _table(
    Key("set", "values", "Set variables to literal values."),
    Key("add", "numbers", "Add to number variables (negative to subtract), or names to a "
        "list variable."),
    Key("remove", "names", "Remove a name, or a list of names, from a list variable."),
    Key("unlock", "ids", "Unlock a fact, or a list of facts."),
    Key("compute", "computes", "Set variables to expressions worked out in play: the "
        "condition language plus min, max, clamp, abs, round and random(lo, hi)."),
)

PLAYTHROUGH = _table(
    Key("steps", "steps", "The choices to take, by exact text or id.", required=True),
    Key("expect", "expect", "What must hold at the end."),
    Key("description", "text", "What this playthrough is for."),
    Key("seed", "seed", "The game seed it plays with (default 0), so a route that needs "
        "another roll of random() can be tested."),
)

STEP = _table(
    Key("choose", "text", "The choice to take, by exact text or id.", required=True),
    Key("expect", "expect", "What must hold after this step."),
)

EXPECT = _table(
    Key("scene", "id", "The scene the player is in."),
    Key("ending", "id", "The ending reached."),
    Key("facts", "ids", "Facts unlocked in this run (others may be unlocked too)."),
    Key("variables", "values", "Variable values."),
)

TABLES: dict[str, dict[str, Key]] = {
    "top": TOP,
    "story": STORY,
    "variable": VARIABLE,
    "fact": FACT,
    "scene": SCENE,
    "choice": CHOICE,
    "paragraph": PARAGRAPH,
    "ending": ENDING,
    "effect": EFFECT,
    "playthrough": PLAYTHROUGH,
    "step": STEP,
    "expect": EXPECT,
}
"""Every table by name, for the JSON Schema generator and the tests that keep it honest."""

EXACTLY_ONE: dict[str, tuple[str, ...]] = {"scene": ("choices", "next", "ending", "return"),
                                           "choice": ("goto", "call")}
"""Tables where exactly one of these keys must be given (a scene's way on, a choice's)."""

REQUIRES: dict[str, dict[str, str]] = {"choice": {"then": "call"}}
"""Tables where a key may only be given beside another (`then` only with `call`)."""

AT_LEAST_ONE: dict[str, tuple[str, ...]] = {
    "effect": ("set", "add", "remove", "unlock", "compute"),
    "variable": ("items", "default")}
"""Tables where at least one of these keys must be given (an effect must do something)."""

COMPANIONS: dict[str, dict[str, tuple[str, str]]] = {
    "choice": {"reason": ("enabled", "a reason is shown only while its choice is locked, and "
                                     "only 'enabled' locks a choice")},
}
"""Keys that mean nothing without another key of the same mapping, by table: a choice's
`reason` is shown only while its `enabled` is false: the key needed, and why. Written
without it, the careful reader warns (the quick one leaves such a choice to it); the JSON
Schema allows it, as the checker does."""

MEANT: dict[str, dict[str, tuple[str, str]]] = {
    "choice": {"next": ("goto", "a choice leads on with 'goto' ('next' is a scene's single "
                                "Continue)")},
    "scene": {"goto": ("next", "a scene with a single Continue uses 'next' (choices use "
                               "'goto')")},
}
"""Keys of another table written where they do not belong, by table: the key meant there,
and why. "Did you mean" by spelling alone would suggest `text` for a choice's `next`."""
