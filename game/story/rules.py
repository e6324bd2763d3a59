"""The value rules of the scene format, written once for both readers.

The quick readers (`quick.py`) and the careful ones (`effectreader.py` and the other element
readers) read the same format; they differ only in what they do when a rule is broken: the
quick reader gives up (None, and the careful one reads the node again), the careful reader
reports. So each rule here answers "is this right, and if not, what is wrong", and leaves
the wording of the report to the careful reader. (The template language, holes and
variations, has a module of its own: `variations.py`.)
"""

from __future__ import annotations

import typing
from collections.abc import Container

from game.story.model import Value
from game.story.names import slugify

_SLUGS: dict[str, str] = {}
"""`slugify` of choice texts met before: a story repeats its choices' texts (the generated
10k story: 29,878 choices, 4,555 distinct texts), and each slug is ~10 C calls. It lives as
long as the process (a language server's is long), so it keeps only short texts, and at most
65,536 of them."""


def default_choice_id(text: str, taken: Container[str]) -> str:
    """A choice's id when it has none: its text (as written, holes and all) slugified, with
    _2, _3, ... after it when another choice of the scene already has that id. Stable while
    the text does not change, which is what saves need."""
    base = _SLUGS.get(text)
    if base is None:
        base = slugify(text)
        if len(text) <= 120 and len(_SLUGS) < 65536:  # at most ~16 MB, for a process's life
            _SLUGS[text] = base
    choice_id, n = base, 2
    while choice_id in taken:
        choice_id, n = f"{base}_{n}", n + 1
    return choice_id


AssignProblem = typing.Literal["not numbers", "decimal into whole", "wrong type"]


def assignment(kind: str, want: type, value: Value) -> tuple[Value, AssignProblem | None]:
    """Whether `set`/`add` (kind) of `value` fits a variable declared with a default of
    type `want`, and what it stores if so.

    Whole-number variables stay whole: `add: {n: 1.5}` would silently turn one into a
    decimal, so it is refused like `set: {n: 1.5}`. A whole number may be set into a decimal
    variable, and is stored as a decimal so the variable keeps its type.
    """
    got = type(value)
    if kind == "add":
        if want not in (int, float) or got not in (int, float):
            return value, "not numbers"
        return value, ("decimal into whole" if want is int and got is float else None)
    if got is want:
        return value, None
    if want is float and isinstance(value, int):
        return float(value), None
    return value, "wrong type"


def within_bounds(value: Value, lo: int | float | None, hi: int | float | None) -> bool:
    """Whether a literal `set` (or expected) into a bounded number stays in its bounds
    (`{default: 0, min: 0, max: 5}`): one outside is refused, never silently clamped, as
    the author wrote that very number."""
    if (lo is None and hi is None) or isinstance(value, bool | str | tuple):
        return True
    return not ((lo is not None and value < lo) or (hi is not None and value > hi))


SEED_LIMIT = 2**32
"""Game seeds are 0 <= seed < SEED_LIMIT (game/engine/dice.py rolls from them; a scripted
playthrough may name one): they fit a JSON number exactly and read as what they are."""


def valid_seed(seed: object) -> bool:
    """Whether `seed` may be a game's seed (a bool is not a number here)."""
    return isinstance(seed, int) and not isinstance(seed, bool) and 0 <= seed < SEED_LIMIT
