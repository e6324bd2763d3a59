"""Save slots: one versioned JSON file per slot, written atomically, validated on load."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.engine.state import GameState
from game.storage.atomic import write_atomic
from game.storage.codec import chain_from_data, chain_to_data
from game.story.model import Story

FORMAT = "offscreen-save"
VERSION = 1
AUTOSAVE = "autosave"
SLOT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _-]{0,39}\Z")


class SaveError(Exception):
    """A save that cannot be written or read; the message names the file and the reason."""


@dataclass(frozen=True, slots=True)
class Loaded:
    state: GameState
    message: str | None
    """One line about what changed since the save was made, when anything did."""


def check_slot(name: str) -> str:
    name = name.strip()
    if not SLOT_NAME.match(name):
        raise SaveError(f"'{name}' is not a usable save name: use 1-40 letters, digits, spaces, "
                        "'-' or '_', starting with a letter or digit")
    return name


class SaveStore:
    def __init__(self, folder: Path, story: Story) -> None:
        self.folder = folder
        self.story = story

    def path(self, slot: str) -> Path:
        return self.folder / f"{check_slot(slot)}.json"

    def save(self, slot: str, state: GameState, playtime: float = 0.0) -> Path:
        path = self.path(slot)
        scene = self.story.scenes[state.scene]
        data: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "story": {"id": self.story.id, "hash": self.story.content_hash},
            "saved_at": time.time(),
            "playtime": playtime,
            "label": scene.title,
            "history": chain_to_data(state),
        }
        try:
            write_atomic(path, json.dumps(data, indent=1, sort_keys=True).encode())
        except OSError as exc:
            raise SaveError(f"could not write {path}: {exc.strerror or exc}") from None
        return path

    def load(self, slot: str) -> Loaded:
        path = self.path(slot)
        if not path.exists():
            raise SaveError(f"no save named '{slot}' in {self.folder}")
        try:
            data = json.loads(path.read_bytes())
        except (OSError, ValueError) as exc:
            raise SaveError(f"{path} is damaged and cannot be read ({exc})") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise SaveError(f"{path} is not an Off Screen save")
        if data.get("version") != VERSION:
            raise SaveError(f"{path} has save format version {data.get('version')!r}; "
                            f"this game reads version {VERSION}")
        if data.get("story", {}).get("id") != self.story.id:
            raise SaveError(f"{path} belongs to another story ({data['story'].get('id')!r})")
        try:
            state = chain_from_data(data["history"])
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise SaveError(f"{path} is damaged ({exc})") from None
        if state.scene not in self.story.scenes:
            raise SaveError(f"{path}: scene '{state.scene}' no longer exists in the story")
        message = None
        if data["story"].get("hash") != self.story.content_hash:
            message = "The story has changed since this game was saved."
        return Loaded(state, message)
