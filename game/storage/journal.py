"""The autosave's journal: one appended line per autosave, so a save costs one choice.

The autosave is written after every choice, so it must cost the same at turn 9,000 as at
turn 10; rewriting the whole save file does not (its keyframe holds the visit counts of
every scene seen, ~180 kB at 9,000 scenes). So the autosave `SLOT.json` is a whole save file,
written atomically as every save is, only once per `COMPACT_EVERY` autosaves (a compaction),
and each autosave in between appends one line to `SLOT.json.journal` and fsyncs it.

Layout: every line is `CRC LF`-terminated JSON, `CRC` being the CRC-32 of the JSON's UTF-8
bytes as 8 hex digits and a space before it. The first line, `{"journal": 1, "save": TOKEN}`,
names the save file it continues: the compaction gives each save file a new random token
(its `"journal"` field), so a journal left over from an earlier generation, or met beside
the `.bak` copy, is never applied to the wrong file. Each line after it is a record:
`{"n": N, "at": SAVED_AT, "play": PLAYTIME, "label": LABEL, "back": K, "steps": [ENTRY...]}`,
numbered from 1: the save's time, playtime and label, then how the game got from the state
before to this one (K states back, then the history entries of `game/storage/codec.py`, one
per choice). A save of the same state again (quitting) is a record with no steps.

Reading keeps the whole records in order and stops at the first that is not: a torn last
line (a crash mid-append), a wrong checksum, a gap in the numbers, or one whose steps do not
decode (savefile.decode). A record numbered below the next one expected repeats one already
read and is skipped. What is kept is always a state the game saved, the newest one whole;
nothing about a journal's tail is reported, because a crash mid-write is what it is for.
Saves written before the journal (no `"journal"` field) are whole files, as before.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import zlib
from dataclasses import dataclass
from pathlib import Path

from game.storage import jsontext
from game.storage.codec import MAX_GAP, Steps

__all__ = ["COMPACT_EVERY", "SUFFIX", "Record", "append", "combine", "header", "journal_path",
           "line", "new_token", "read", "record"]

SUFFIX = ".journal"
COMPACT_EVERY = 100
"""Autosaves between compactions: each compaction writes the whole save (~200 kB at turn
9,000, a few ms), so spread over this many appends (~1 ms each, the fsync) it adds a few
percent to the mean autosave; the journal it bounds stays a few tens of kB."""


@dataclass(frozen=True, slots=True)
class Record:
    """One autosave after the save file's: its header fields and how it got there."""

    n: int
    saved_at: float
    playtime: float
    label: str
    back: int
    steps: list[object]


def journal_path(save: Path) -> Path:
    return save.with_name(save.name + SUFFIX)


def new_token() -> str:
    """A fresh name for a save file generation (64 random bits: never the same twice)."""
    return secrets.token_hex(8)


def line(text: str) -> bytes:
    """One journal line of JSON text: its checksum, the text, a newline. Unsavable when the
    text could not be read back (jsontext.checked_bytes)."""
    raw = jsontext.checked_bytes(text)
    return b"%08x %s\n" % (zlib.crc32(raw), raw)


def header(token: str) -> bytes:
    return line(json.dumps({"journal": 1, "save": token}))


def record(n: int, saved_at: float, playtime: float, label: str, steps: Steps) -> str:
    """Record `n` as JSON text; `steps` from `ChainEncoder.advance`, lines already encoded."""
    back, lines = steps
    return (f'{{"n":{n},"at":{json.dumps(round(saved_at, 3))},'
            f'"play":{json.dumps(round(playtime, 3))},'
            f'"label":{json.dumps(label, ensure_ascii=False)},"back":{back},'
            f'"steps":[{",".join(lines)}]}}')


def append(path: Path, data: bytes) -> None:
    """Append `data` to the journal at `path` and make it durable (never following a link)."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0)
                 | getattr(os, "O_BINARY", 0))
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        with contextlib.suppress(OSError):
            os.close(fd)


def read(raw: bytes, token: str) -> list[Record]:
    """The whole records of a journal continuing the save file named `token`, in order
    (see the module docstring for what ends them); [] for any other journal."""
    lines = raw.split(b"\n")
    lines.pop()  # after the last newline: empty, or a line cut short
    if not lines or _parsed(lines[0]) != {"journal": 1, "save": token}:
        return []
    records: list[Record] = []
    for raw_line in lines[1:]:
        found = _record(_parsed(raw_line))
        if found is None or found.n > len(records) + 1 or len(records) >= COMPACT_EVERY:
            break
        if found.n == len(records) + 1:
            records.append(found)
    return records


def combine(history: list[object],
            records: list[Record]) -> tuple[list[object], list[int], int]:
    """The save file's history entries carried on by `records`, for each entry the index of
    the record that wrote it (-1: the save file), and how many records that took: a record
    stepping back further than the history reaches ends it there."""
    entries = list(history)
    owners = [-1] * len(entries)
    used = 0
    for found in records:
        if found.back >= len(entries):
            break
        if found.back:
            del entries[-found.back:], owners[-found.back:]
        entries.extend(found.steps)
        owners.extend([used] * len(found.steps))
        used += 1
    return entries, owners, used


def _parsed(raw_line: bytes) -> object:
    """The JSON of one whole line, or None when its checksum or its text is wrong."""
    crc, space, body = raw_line.partition(b" ")
    if not space or len(crc) != 8:
        return None
    try:
        if int(crc, 16) != zlib.crc32(body):
            return None
        text = body.decode("utf-8")
        data = jsontext.loads(text)
    except (ValueError, RecursionError):  # bad hex, UTF-8, JSON, or a number out of range
        return None
    return None if jsontext.has_lone_surrogate(text, data) else data


def _record(data: object) -> Record | None:
    if not isinstance(data, dict):
        return None
    n, at, play = data.get("n"), data.get("at"), data.get("play")
    label, back, steps = data.get("label"), data.get("back"), data.get("steps")
    if not (_count(n) and _count(back) and jsontext.is_time(at) and jsontext.is_time(play)
            and isinstance(label, str) and isinstance(steps, list) and len(steps) <= MAX_GAP):
        return None
    assert isinstance(n, int) and isinstance(back, int)
    assert isinstance(at, int | float) and isinstance(play, int | float)
    if n < 1:
        return None
    return Record(n, float(at), float(play), label, back, steps)


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0

