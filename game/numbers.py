"""The range every number in a game stays in: story literals, variables, saves.

Python's integers are unbounded, and that is a trap for a game: an `add` in a loop can grow
a number past the 4,300 digits `int` will print or parse (CPython's guard against slow
conversions), after which the autosave crashes, and a save file with a 5,000-digit number
used to crash the save list. So the game promises a range and holds it everywhere: the
checker reports a literal outside it, the engine reports an `add` that would leave it (at
the effect), and a save holding a number outside it is damaged. 10**15 keeps every whole
number exactly representable as a float too (2**53 is about 9 * 10**15), so mixing the two
kinds never rounds.
"""

from __future__ import annotations

import math

LIMIT = 10**15
"""Every number's magnitude is at most this; floats must also be finite."""

WORDS = "between -10^15 and 10^15"
"""How messages state the range."""


def in_range(value: object) -> bool:
    """True for a number the game can hold (bools are not numbers here: always True)."""
    if type(value) is int:  # the usual case first: every add and compute of a run asks
        return -LIMIT <= value <= LIMIT
    if isinstance(value, bool) or not isinstance(value, int | float):
        return True
    if isinstance(value, float) and not math.isfinite(value):
        return False
    return -LIMIT <= value <= LIMIT


def approx(value: object, spec: str = ".4g") -> str:
    """A number for an error message (`spec` as in format() for one in range) that never
    fails itself and never hides why it is out of range: a whole number is shown exactly
    (`"%.4g"` would print 10^15 + 1 as "1e+15"), or as "about 10^N" when it is too long to
    read (`"%.4g"` of it raises OverflowError past 10^308, `str` ValueError past 4,300
    digits); a decimal outside the range in full (`repr`)."""
    if type(value) is int:
        if -(10**18) < value < 10**18:
            return str(value)
        return f"{'-' if value < 0 else ''}about 10^{int(value.bit_length() * math.log10(2))}"
    if type(value) is float and not in_range(value):
        return repr(value)
    return format(value, spec) if isinstance(value, int | float) else str(value)
