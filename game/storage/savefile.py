"""One save file: its JSON layout, and telling a good file from a damaged or foreign one.

The header (format, version, story id and hash, time, playtime, label) comes first so a
person opening the file sees what it is. Reading sorts every file into exactly one of: a
save of this story, a save of another story, a save from a newer version of the game, or a
damaged file, each with a reason that names what is wrong - so the list of saves can show it
and the game never trips over it.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any, Literal

from game import numbers
from game.engine.state import GameState
from game.storage.codec import ChainEncoder, DecodeError, decode_chain, encode_chain, entry_text

FORMAT = "offscreen-save"
VERSION = 1
MAX_BYTES = 4 * 2**20
"""The largest save file read: a 200-step history of a big story is tens of kilobytes, so
this is a hundred times any real save, and it bounds the time and memory a hostile one costs."""


@dataclass(frozen=True, slots=True)
class SaveDoc:
    story_id: str
    story_hash: str
    saved_at: float
    playtime: float
    label: str
    state: GameState


class Unreadable(Exception):
    """A file that is not a save we can use; `kind` says why in one word, str() in a phrase."""

    def __init__(self, kind: Literal["damaged", "foreign", "newer"], reason: str) -> None:
        super().__init__(reason)
        self.kind = kind


class Unsavable(ValueError):
    """The game holds something a save cannot faithfully keep; str() says what."""


def encode(story_id: str, story_hash: str, state: GameState, saved_at: float,
           playtime: float, label: str, history: int,
           encoder: ChainEncoder | None = None) -> bytes:
    """The save file's bytes; Unsavable when text is not valid Unicode or a number is out
    of range (the file would be damaged on the next load, so it is never written).
    `encoder` (given the same game's saves before, as the autosave does) encodes only what
    changed since the last of them."""
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "story": {"id": story_id, "hash": story_hash},
        "saved_at": round(saved_at, 3),
        "playtime": round(playtime, 3),
        "label": label,
    }
    # One line for the header and one per history entry: compact, yet readable and diffable.
    try:
        head = json.dumps(data, ensure_ascii=False)[:-1]
        lines = (encoder.lines(state) if encoder is not None
                 else tuple(entry_text(entry) for entry in encode_chain(state, history)))
        entries = ",\n".join(lines)
    except ValueError:  # an integer past the 4,300 digits Python will write
        raise Unsavable(f"the game holds a number outside the range the game uses "
                        f"({numbers.WORDS})") from None
    text = f'{head},\n"history": [\n{entries}\n]}}\n'
    try:
        raw = text.encode()
    except UnicodeEncodeError:
        raise Unsavable("the game holds text that is not valid Unicode (a lone surrogate)") \
            from None
    if _NUMBER_WORTH_CHECKING.search(text):
        try:
            json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
        except _OutOfRange as exc:
            raise Unsavable(str(exc)) from None
    return raw


_NUMBER_WORTH_CHECKING = re.compile(r"[0-9]{16}|[eE][+]?[0-9]{2}|NaN|Infinity")
"""A number that might be out of range; short ones cannot be, so most saves skip the check."""
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
"""A JSON escape of a UTF-16 surrogate: fine in a pair, damage when alone."""


class _OutOfRange(ValueError):
    pass


def _int(text: str) -> int:
    # Checked on the digits first: int() of 5,000 digits raises (or is slow) by itself.
    if len(text.lstrip("-")) > 16 or not numbers.in_range(value := int(text)):
        raise _OutOfRange(f"it holds a number outside the range the game uses "
                          f"({numbers.WORDS}): {text[:20]}{'...' if len(text) > 20 else ''}")
    return value


def _float(text: str) -> float:
    value = float(text)
    if not numbers.in_range(value):
        raise _OutOfRange(f"it holds a number outside the range the game uses "
                          f"({numbers.WORDS}): {text[:20]}")
    return value


def _constant(text: str) -> float:
    raise _OutOfRange(f"it holds {text}, which is not a number the game can use")


def _lone_surrogate(data: object) -> bool:
    """True when any text in the parsed JSON (keys included) is not valid Unicode."""
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


def decode(raw: bytes, story_id: str) -> SaveDoc:
    """Parse and check a save file's bytes; Unreadable says what is wrong with them."""
    if not raw.strip():
        raise Unreadable("damaged", "it is empty" if not raw else "it holds only blank space")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Unreadable("damaged", "it is not a text file") from None
    try:
        data = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except _OutOfRange as exc:
        raise Unreadable("damaged", str(exc)) from None
    except json.JSONDecodeError as exc:
        if _cut_short(text, exc):
            raise Unreadable("damaged", "it is cut short (truncated)") from None
        raise Unreadable("damaged", f"it is not valid JSON (line {exc.lineno}, "
                                    f"column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise Unreadable("damaged", "it is not valid JSON (nested too deeply)") from None
    if _SURROGATE_ESCAPE.search(text) and _lone_surrogate(data):
        raise Unreadable("damaged", "it holds text that is not valid Unicode (a lone "
                                    "surrogate escape such as \\udfff)")
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise Unreadable("foreign", "it is not an Off Screen save")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise Unreadable("damaged", f"its format version {version!r} is not valid")
    if version > VERSION:
        raise Unreadable("newer", f"it was written by a newer version of Off Screen (save "
                                  f"format {version}; this version reads format {VERSION})")
    story = data.get("story")
    if not isinstance(story, dict) or not isinstance(story.get("id"), str):
        raise Unreadable("damaged", "it does not say which story it belongs to")
    if story["id"] != story_id:
        raise Unreadable("foreign", f"it is a save of another story ('{story['id']}')")
    story_hash = story.get("hash")
    saved_at = data.get("saved_at")
    playtime = data.get("playtime", 0.0)
    label = data.get("label", "")
    if not isinstance(story_hash, str):
        raise Unreadable("damaged", "its story hash is missing")
    if not _is_time(saved_at) or not _is_time(playtime):
        raise Unreadable("damaged", "its time or playtime is not a number")
    if not isinstance(label, str):
        raise Unreadable("damaged", "its label is not text")
    try:
        state = decode_chain(data.get("history"))
    except DecodeError as exc:
        raise Unreadable("damaged", str(exc)) from None
    assert isinstance(saved_at, int | float) and isinstance(playtime, int | float)
    return SaveDoc(story["id"], story_hash, float(saved_at), float(playtime), label, state)


def _cut_short(text: str, exc: json.JSONDecodeError) -> bool:
    """True when the JSON was fine up to where the text ends: a write that stopped early."""
    if exc.pos >= len(text.rstrip()):
        return True
    return exc.msg.startswith("Unterminated string") and '"' not in text[exc.pos + 1:]


def _is_time(value: object) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value) and value >= 0)
