"""The JSON rules every save file and journal line obeys, written once for both.

A save is user-editable input and the game's own output. Reading, a number outside the range
the game uses (game/numbers.py), NaN or Infinity, or a lone UTF-16 surrogate escape is
damage, never a value; writing, the same things mean the file would be damaged on the next
load, so it is refused (`Unsavable`) before anything is written.
"""

from __future__ import annotations

import json
import math
import re

from game import numbers

__all__ = ["OutOfRange", "Unsavable", "checked_bytes", "has_lone_surrogate", "is_time",
           "loads"]


class Unsavable(ValueError):
    """The game holds something a save cannot faithfully keep; str() says what."""


class OutOfRange(ValueError):
    """A number in the text is outside the range the game uses; str() says which."""


_ZEROS = bytes.maketrans(b"123456789", b"000000000")
"""Every digit made a 0, so that a run of digits is a run of zeros (see `might_be_out_of_range`)."""


def might_be_out_of_range(raw: bytes) -> bool:
    """Whether JSON the game wrote (`json.dumps`, as UTF-8) may hold a number outside the
    range; short ones cannot be, so most saves skip parsing it again. json.dumps writes an
    int past 10**15, and a float from 10**15 to 1e16, with 16 digits or more; a float from
    1e16 up as `1e+16` (the `+` is always there); and NaN and Infinity by those names. An
    exponent without its `+` is not one of ours: a story's hash, which every save holds,
    often has `e92` in it, and a guard that took it for a number parsed most saves again.
    Byte searches, not a regex: the regex's scan of a save with 9,000 scenes visited cost
    as much as the rest of writing it."""
    return (b"0000000000000000" in raw.translate(_ZEROS) or b"e+" in raw or b"E+" in raw
            or b"NaN" in raw or b"Infinity" in raw)


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
"""A JSON escape of a UTF-16 surrogate: fine in a pair, damage when alone."""


def loads(text: str) -> object:
    """`json.loads` that raises OutOfRange for a number the game cannot use (and the usual
    JSONDecodeError or RecursionError for text that is not JSON)."""
    return json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)


def checked_bytes(text: str) -> bytes:
    """The UTF-8 bytes of JSON text the game wrote; Unsavable when text is not valid Unicode
    or a number is out of range."""
    try:
        raw = text.encode()
    except UnicodeEncodeError:
        raise Unsavable("the game holds text that is not valid Unicode (a lone surrogate)") \
            from None
    if might_be_out_of_range(raw):
        try:
            loads(text)
        except OutOfRange as exc:
            raise Unsavable(str(exc)) from None
    return raw


def has_lone_surrogate(text: str, data: object) -> bool:
    """True when any text in `data`, parsed from `text`, keys included, is not valid
    Unicode (only looked for when `text` holds a surrogate escape at all)."""
    if not _SURROGATE_ESCAPE.search(text):
        return False
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode()
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def is_time(value: object) -> bool:
    """A time or a playtime as a save holds it: a finite number of seconds, at least 0."""
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value) and value >= 0)


def _int(text: str) -> int:
    # Checked on the digits first: int() of 5,000 digits raises (or is slow) by itself.
    if len(text.lstrip("-")) > 16 or not numbers.in_range(value := int(text)):
        raise OutOfRange(f"it holds a number outside the range the game uses "
                         f"({numbers.WORDS}): {text[:20]}{'...' if len(text) > 20 else ''}")
    return value


def _float(text: str) -> float:
    value = float(text)
    if not numbers.in_range(value):
        raise OutOfRange(f"it holds a number outside the range the game uses "
                         f"({numbers.WORDS}): {text[:20]}")
    return value


def _constant(text: str) -> float:
    raise OutOfRange(f"it holds {text}, which is not a number the game can use")
