"""The saves the game keeps by itself, beside the player's: the earlier autosaves and the
start of each chapter, for Load and chapter select.

They live in a folder of their own per story (`autosaves.<story id>`), which the main save
list never reads, and are named for the player as `EARLIER` and "start of chapter (N)".
Split out of `game.session` (which drives them, and re-exports `EARLIER` and
`CHAPTER_PREFIX` for the front ends) so the session module holds the rules of play and this
one where those saves go and how they are named. Like the session, nothing here imports a
front end, and the save store is imported on first use.
"""

from __future__ import annotations

import contextlib
from collections.abc import Container
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from game.storage import atomic
from game.storage.errors import SaveError

if TYPE_CHECKING:
    from game.engine import GameState
    from game.session_types import Chapter
    from game.storage.display import SlotRow
    from game.storage.saves import SaveStore
    from game.story.model import Story

EARLIER = ("autosave (previous game)", "autosave (2 games ago)", "autosave (3 games ago)")
"""The earlier autosaves, newest first, as the load list names them. A player's slot name
cannot hold '(' (`check_slot`), so these never clash with one.

When the autosave moves on to another game (a new game's first choice, a load), the game it
held is kept as the first of these and the older ones move down; the oldest drops off. So a
New game or a Load by mistake never costs a game: Load brings it back."""

CHAPTER_PREFIX = "start of chapter ("
"""Chapter select loads "start of chapter (N)": also never a player's slot name."""


def chapter_file(number: int) -> str:
    """A chapter start's name in the folder."""
    return f"chapter {number}"


def chapter_slot(number: int) -> str:
    """A chapter start's name for the player (what `Session.load` takes)."""
    return f"{CHAPTER_PREFIX}{number})"


def slot_in(slot: str) -> str:
    """The slot's name in its store: an EARLIER autosave is "1" to "3" of its folder, a
    chapter's start "chapter N"; any other slot is the main store's, named as it is."""
    if slot in EARLIER:
        return str(EARLIER.index(slot) + 1)
    number = slot[len(CHAPTER_PREFIX):-1]
    if slot.startswith(CHAPTER_PREFIX) and slot.endswith(")") and number.isdigit():
        return chapter_file(int(number))
    return slot


class EarlierSaves:
    """One story's folder of earlier autosaves ("1" to "3") and chapter starts; building
    one touches no file."""

    def __init__(self, saves_dir: Path, story: Story) -> None:
        self.saves_dir = saves_dir
        self.story = story
        self._saves: SaveStore | None = None
        self._chapter_numbers: dict[str, int] | None = None

    @property
    def store(self) -> SaveStore:
        """The earlier autosaves, slots "1" to "3" of their own folder (one per story, so
        two stories sharing a save folder keep their own), which the main list never reads."""
        if self._saves is None:
            from game.storage.saves import SaveStore

            self._saves = SaveStore(self.saves_dir / f"autosaves.{self.story.id}", self.story)
        return self._saves

    def keep(self, raw: bytes) -> None:
        """The autosave's game (`raw`, its file with the journal folded in) becomes the first
        EARLIER one, the others moving down.

        Each step is atomic (renames, then an atomic copy), so a crash half-way loses at
        most the oldest generation. A failure here never stops the autosave itself."""
        folder = self.store.folder
        try:
            for older in range(len(EARLIER) - 1, 0, -1):
                source = folder / f"{older}.json"
                if source.exists():
                    source.replace(folder / f"{older + 1}.json")
            atomic.write_atomic(folder / "1.json", raw)
        except OSError:
            return

    def chapters(self) -> list[Chapter]:
        """Every chapter; those reached before can be started again (`load(chapter.slot)`)."""
        from game.session_types import Chapter

        return [Chapter(n, name, chapter_slot(n)
                        if self.store.exists(chapter_file(n)) else None)
                for n, name in enumerate(self.story.chapters(), 1)]

    def chapter_start(self, state: GameState, kept: Container[str]) -> str | None:
        """The file name to keep `state` under when it is the first arrival in a chapter
        (not a step within one, nor the way back) and none is kept yet (in `kept`, the
        names this session wrote, or in the folder); else None."""
        scene = self.story.scenes.get(state.scene)
        before = (self.story.scenes.get(state.previous.scene)
                  if state.previous is not None else None)
        if scene is None or scene.chapter is None:
            return None
        if before is not None and before.chapter == scene.chapter:
            return None
        if self._chapter_numbers is None:
            self._chapter_numbers = {c: n for n, c in enumerate(self.story.chapters(), 1)}
        name = chapter_file(self._chapter_numbers[scene.chapter])
        return None if name in kept or self.store.exists(name) else name

    def write_chapter(self, name: str, state: GameState) -> None:
        """Keep a chapter start; chapter select loses one entry on failure, no more."""
        with contextlib.suppress(SaveError):
            self.store.save(name, state, 0.0)

    def rows(self) -> list[SlotRow]:
        """The EARLIER autosaves there are, newest first, worded for the load list (none
        when the folder cannot be read)."""
        from game.storage import display

        try:
            earlier = {r.name: r for r in display.rows(self.store.slots())
                       if not r.name.startswith("chapter ")}
        except SaveError:
            earlier = {}
        return [replace(earlier[str(number)], name=name)
                for number, name in enumerate(EARLIER, 1) if str(number) in earlier]
