"""One save file: its JSON layout, and telling a good file from a damaged or foreign one.

The header (format, version, story id and hash, time, playtime, label) comes first so a
person opening the file sees what it is. Reading sorts every file into exactly one of: a
save of this story, a save of another story, a save from a newer version of the game, or a
damaged file, each with a reason that names what is wrong - so the list of saves can show it
and the game never trips over it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from game import numbers
from game.engine.state import GameState
from game.storage import journal as journals
from game.storage.codec import (
    MAX_ENTRIES,
    MAX_GAP,
    ChainEncoder,
    DecodeError,
    decode_chain,
    encode_chain,
    entry_text,
)
from game.storage.jsontext import OutOfRange, Unsavable, checked_bytes, has_lone_surrogate, is_time
from game.storage.jsontext import loads as json_loads

__all__ = ["FORMAT", "MAX_BYTES", "VERSION", "SaveDoc", "Unreadable", "Unsavable", "decode",
           "encode"]

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
    journal: str | None = None
    """The token naming this save file's generation for its journal (storage/journal.py);
    None in a file no journal continues (every named save, every save of earlier versions)."""


class Unreadable(Exception):
    """A file that is not a save we can use; `kind` says why in one word, str() in a phrase."""

    def __init__(self, kind: Literal["damaged", "foreign", "newer"], reason: str) -> None:
        super().__init__(reason)
        self.kind = kind


def encode(story_id: str, story_hash: str, state: GameState, saved_at: float,
           playtime: float, label: str, history: int,
           encoder: ChainEncoder | None = None, journal: str | None = None) -> bytes:
    """The save file's bytes; Unsavable when text is not valid Unicode or a number is out
    of range (the file would be damaged on the next load, so it is never written).
    `encoder` (given the same game's saves before, as the autosave does) encodes only what
    changed since the last of them; `journal` is the token a journal continuing this file
    will name (the autosave's)."""
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "story": {"id": story_id, "hash": story_hash},
        "saved_at": round(saved_at, 3),
        "playtime": round(playtime, 3),
        "label": label,
    }
    if journal is not None:
        data["journal"] = journal
    # One line for the header and one per history entry: compact, yet readable and diffable.
    try:
        head = json.dumps(data, ensure_ascii=False)[:-1]
        lines = (encoder.lines(state) if encoder is not None
                 else tuple(entry_text(entry) for entry in encode_chain(state, history)))
        entries = ",\n".join(lines)
    except ValueError:  # an integer past the 4,300 digits Python will write
        raise Unsavable(f"the game holds a number outside the range the game uses "
                        f"({numbers.WORDS})") from None
    return checked_bytes(f'{head},\n"history": [\n{entries}\n]}}\n')


def decode(raw: bytes, story_id: str, journal: bytes | None = None) -> SaveDoc:
    """Parse and check a save file's bytes; Unreadable says what is wrong with them.
    `journal`: the bytes of the file's journal, if it has one; its whole records that
    continue this file carry the game on (the rest are ignored: see storage/journal.py)."""
    if not raw.strip():
        raise Unreadable("damaged", "it is empty" if not raw else "it holds only blank space")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Unreadable("damaged", "it is not a text file") from None
    try:
        data = json_loads(text)
    except OutOfRange as exc:
        raise Unreadable("damaged", str(exc)) from None
    except json.JSONDecodeError as exc:
        if _cut_short(text, exc):
            raise Unreadable("damaged", "it is cut short (truncated)") from None
        raise Unreadable("damaged", f"it is not valid JSON (line {exc.lineno}, "
                                    f"column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise Unreadable("damaged", "it is not valid JSON (nested too deeply)") from None
    if has_lone_surrogate(text, data):
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
    if not is_time(saved_at) or not is_time(playtime):
        raise Unreadable("damaged", "its time or playtime is not a number")
    if not isinstance(label, str):
        raise Unreadable("damaged", "its label is not text")
    token = data.get("journal")
    token = token if isinstance(token, str) else None
    history = data.get("history")
    records = (journals.read(journal, token)
               if journal is not None and token is not None and isinstance(history, list)
               else [])
    try:
        state, used = _decode_history(history, records)
    except DecodeError as exc:
        raise Unreadable("damaged", str(exc)) from None
    assert isinstance(saved_at, int | float) and isinstance(playtime, int | float)
    if used:
        last = records[used - 1]
        saved_at, playtime, label = last.saved_at, last.playtime, last.label
    return SaveDoc(story["id"], story_hash, float(saved_at), float(playtime), label, state,
                   token)


def _decode_history(history: object,
                    records: list[journals.Record]) -> tuple[GameState, int]:
    """The newest state of the file's history carried on by as many of `records` as decode,
    and how many did; DecodeError when the file's own history does not decode."""
    if not records or not isinstance(history, list) or len(history) > MAX_ENTRIES:
        return decode_chain(history), 0
    used = len(records)
    while True:
        entries, owners, used = journals.combine(history, records[:used])
        try:
            return decode_chain(entries, most=MAX_ENTRIES + used * MAX_GAP), used
        except DecodeError as exc:
            if exc.index is None or exc.index >= len(owners) or owners[exc.index] < 0:
                if used == 0:
                    raise
                used = 0  # the combination as a whole is refused: the file alone decides
            else:
                used = owners[exc.index]  # the records before the one that wrote it


def _cut_short(text: str, exc: json.JSONDecodeError) -> bool:
    """True when the JSON was fine up to where the text ends: a write that stopped early."""
    if exc.pos >= len(text.rstrip()):
        return True
    return exc.msg.startswith("Unterminated string") and '"' not in text[exc.pos + 1:]
