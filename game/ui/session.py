"""One player's game as the TUI sees it: the story, the current state, the saves, the profile.

The screens never call the engine or the storage layer directly; they go through a `Session`
so that every rule of the front end lives in one plain class that tests can drive without a
terminal: autosave and profile bookkeeping after every move, the playtime clock, and the
switch to a new story when `--dev` reloads one. Nothing here imports Textual.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from game.storage.errors import SaveError
from game.storage.names import AUTOSAVE, QUICKSAVE, slot_exists
from game.storage.profile import Profile, ProfileStore, Settings

if TYPE_CHECKING:
    # Imported when a game starts or a save is touched, not for the title screen: the
    # engine, the save files and migration are ~5 ms of a start-up a player waits through.
    from game.engine import Engine, GameState, SceneView
    from game.storage.saves import Loaded, SaveStore, SlotInfo
    from game.story.model import Fact, Story


@dataclass(frozen=True, slots=True)
class Move:
    """What one choice (or undo) changed, for the toasts the play screen shows."""

    state: GameState
    new_facts: tuple[Fact, ...]
    """Facts unlocked by this move, in the order found."""
    first_time: frozenset[str]
    """The ids among `new_facts` that were not in the journal before this move."""
    autosave_error: str | None


@dataclass(frozen=True, slots=True)
class Progress:
    """Journal completion, as the title and heading bars show it."""

    facts_found: int
    facts_total: int
    endings_found: int
    endings_total: int

    @property
    def percent(self) -> int:
        """Journal completion: facts and endings both count, one point each."""
        total = self.facts_total + self.endings_total
        if total == 0:
            return 100
        return round(100 * (self.facts_found + self.endings_found) / total)


class Session:
    """The game in progress (if any), with the stores it reads and writes."""

    def __init__(self, story: Story, saves_dir: Path,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.saves_dir = saves_dir
        self.clock = clock
        self.story = story
        self._engine: Engine | None = None
        self._saves: SaveStore | None = None
        self.profiles = ProfileStore(saves_dir, story)
        self._profile: Profile | None = None
        self._warned: str | None = None
        self.state: GameState | None = None
        self._played = 0.0
        self._since = clock()

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from game.engine.engine import Engine

            self._engine = Engine(self.story)
        return self._engine

    @property
    def saves(self) -> SaveStore:
        if self._saves is None:
            from game.storage.saves import SaveStore

            self._saves = SaveStore(self.saves_dir, self.story)
        return self._saves

    # -- profile -----------------------------------------------------------------------

    @property
    def profile(self) -> Profile:
        """Read on first use (the app reads it on mount, for the theme), so that building a
        Session touches no file."""
        if self._profile is None:
            self._profile = self.profiles.load()
        return self._profile

    @property
    def settings(self) -> Settings:
        return self.profile.settings

    def profile_warning(self) -> str | None:
        """The profile store's newest warning, once: the same problem is not repeated."""
        _ = self.profile  # loading it is what can produce the warning
        warning = self.profiles.warning
        if warning == self._warned:
            return None
        self._warned = warning
        return warning

    def save_settings(self, settings: Settings) -> None:
        self._profile = self.profiles.save_settings(settings)

    def progress(self) -> Progress:
        profile = self.profile
        return Progress(
            facts_found=len(profile.facts & self.story.facts.keys()),
            facts_total=len(self.story.facts),
            endings_found=len(profile.endings & self.story.endings.keys()),
            endings_total=len(self.story.endings),
        )

    # -- playing -----------------------------------------------------------------------

    def view(self) -> SceneView:
        """The current scene; raises StoryRuntimeError for a story bug (shown, never a crash)."""
        assert self.state is not None, "no game in progress"
        return self.engine.view(self.state)

    def playtime(self) -> float:
        return self._played + (self.clock() - self._since)

    def _begin(self, state: GameState, playtime: float) -> None:
        self.state = state
        self._played = playtime
        self._since = self.clock()

    def new_game(self) -> Move:
        """Start over; the start scene's own unlocks count like any other move."""
        return self._moved(self.engine.start(), reset_clock=True)

    def choose(self, choice_id: str) -> Move:
        assert self.state is not None, "no game in progress"
        return self._moved(self.engine.choose(self.state, choice_id))

    def back(self) -> GameState | None:
        """Undo the last choice; None (and nothing changes) at the first scene."""
        if self.state is None:
            return None
        previous = self.engine.back(self.state)
        if previous is None:
            return None
        self.state = previous
        self.autosave()
        return previous

    def _moved(self, state: GameState, reset_clock: bool = False) -> Move:
        known = self.profile.facts
        if reset_clock:
            self._begin(state, 0.0)
        else:
            self.state = state
        self._profile = self.profiles.record(state, self.story)
        new_facts = tuple(self.story.facts[f] for f in state.new_facts if f in self.story.facts)
        first_time = frozenset(f.id for f in new_facts if f.id not in known)
        return Move(state, new_facts, first_time, self.autosave())

    # -- saves -------------------------------------------------------------------------

    def has_autosave(self) -> bool:
        return slot_exists(self.saves_dir, AUTOSAVE, self.story.id)

    def autosave(self) -> str | None:
        """Write the autosave; the error message if that failed (the game goes on)."""
        if self.state is None:
            return None
        try:
            self.saves.save(AUTOSAVE, self.state, self.playtime())
        except SaveError as exc:
            return str(exc)
        return None

    def save(self, slot: str) -> str | None:
        """Save in a slot; SaveError on failure, else a note the player should hear (or None).

        The note is the store's word on anything it had to do on the way, such as moving a
        damaged file aside rather than overwriting it.
        """
        assert self.state is not None, "no game in progress"
        self.saves.save(slot, self.state, self.playtime())
        return self.saves.notice

    def quicksave(self) -> str | None:
        return self.save(QUICKSAVE)

    def load(self, slot: str) -> Loaded:
        """Load a slot into the session; SaveError (or SceneGone) leaves the game untouched."""
        loaded = self.saves.load(slot)
        self.resume(loaded.state, loaded.playtime)
        return loaded

    def resume(self, state: GameState, playtime: float = 0.0) -> None:
        """Carry on from a state (a load, or the fallback the player accepted)."""
        self._begin(state, playtime)
        self._profile = self.profiles.record(state, self.story)
        self.autosave()

    def slots(self) -> list[SlotInfo]:
        return self.saves.slots()

    def delete(self, slot: str) -> None:
        self.saves.delete(slot)

    # -- live reload -------------------------------------------------------------------

    def replace_story(self, story: Story, state: GameState | None) -> None:
        """Switch to an edited story (`--dev`), keeping the clock and the player's place."""
        self.story = story
        self._engine = None
        self._saves = None
        self.profiles = ProfileStore(self.saves_dir, story)
        self._profile = None
        self.state = state
