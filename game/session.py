"""One player's game, for every front end: the story, the state, the saves and the profile.

The Textual app, plain mode and live reload (`play --dev`) all drive a `Session` and never
the engine or the stores themselves, so every rule of play that is not a rule of the story
lives here once, testable without a terminal:

- **the autosave policy**: the autosave holds the last game the player acted on. It is written
  at once after each choice, each undo, each load and each accepted fallback, and again on
  quitting (for the play time). A new game writes nothing until its first choice, so opening
  the game (or pressing New game) and leaving at once never costs yesterday's game;
- the playtime clock, carried over from the save a game was loaded from;
- the profile: every state the game reaches is recorded, so no fact or ending is ever lost;
- the fallback offer when a save's scene was cut from the story;
- moving the game onto an edited story (`reload`), with `migrate` inside.

Nothing here imports Textual (tests/test_layers.py enforces it). The engine, the save files,
migration, the save list's words and the records of `game.session_types` are imported on
first use, not with this module: the title screen needs none of them, and a player waits
~9 ms less for it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from game.earlier import CHAPTER_PREFIX, EARLIER, EarlierSaves, slot_in
from game.storage.errors import SaveError, SceneGone
from game.storage.names import AUTOSAVE, QUICKSAVE, check_slot, is_autosave, slot_exists
from game.storage.profile import Profile, ProfileStore, Progress, Settings
from game.writer import Writer

if TYPE_CHECKING:
    from game.engine import Engine, GameState, SceneView
    from game.session_types import (
        Chapter,
        GalleryEntry,
        HistoryEntry,
        Move,
        Offer,
        Saved,
        locked_words,
    )
    from game.storage.display import SlotRow
    from game.storage.saves import SaveStore
    from game.story.model import Story

_RECORDS = frozenset({"Chapter", "GalleryEntry", "HistoryEntry", "Move", "Offer", "Saved",
                      "locked_words"})
"""Re-exported from `game.session_types` on first use (PEP 562), like `game.engine`'s names:
the title screen needs none of them (`Progress`, which it shows, is the profile's)."""

__all__ = ["CHAPTER_PREFIX", "EARLIER", "Chapter", "GalleryEntry", "HistoryEntry", "Move",
           "Offer", "Progress", "Saved", "Session", "locked_words"]

def __getattr__(name: str) -> object:
    if name in _RECORDS:
        from game import session_types

        return getattr(session_types, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Session:
    """The game in progress (if any), with the stores it reads and writes."""

    def __init__(self, story: Story, saves_dir: Path,
                 clock: Callable[[], float] = time.monotonic, background: bool = False,
                 seed: int | None = None) -> None:
        if seed is not None:
            from game.engine.dice import SEED_LIMIT, valid_seed

            if not valid_seed(seed):  # its games would save, and never load again
                raise ValueError(f"seed {seed!r} is not a whole number from 0 to "
                                 f"{SEED_LIMIT - 1}")
        self.saves_dir = saves_dir
        self.seed = seed
        """The seed every new game of this session takes (`play --seed`); None: a fresh
        one each time. A loaded game keeps the seed it was saved with."""
        self.clock = clock
        self.story = story
        self.autosave_slot = AUTOSAVE
        """Where this session's autosave goes: every read and write of it names this."""
        self.state: GameState | None = None
        self.offer: Offer | None = None
        """Set by a load that raised SceneGone with a place to fall back on."""
        self.found_before: frozenset[str] = frozenset()
        """The journal's facts when the game in play began (plain mode marks the rest new)."""
        self.last_autosave_error: str | None = None
        self.read_before = False
        """Whether the scene in play had been read (in any playthrough) before this visit:
        the front end shows read text at once when `settings.skip_read` is on."""
        self._engine: Engine | None = None
        self._saves: SaveStore | None = None
        self._profiles = ProfileStore(saves_dir, story)
        self._profile: Profile | None = None
        self._warned: str | None = None
        self._in_autosave = False
        """True once the game in play is the one in the autosave (or should be)."""
        self._game = 0
        """Which game is in play, counted up by each new game, load and fallback."""
        self._written_game = 0
        """Which game the autosave file holds: another game's first autosave keeps the
        file's game among the EARLIER ones first. (A fresh session counts the file's game
        as another, so the first autosave of a new session keeps it too.)"""
        self._writer = Writer() if background else None
        if self._writer is not None:
            self._profiles.defer = self._writer.submit
        self.on_report: Callable[[str | None, str | None], None] | None = None
        """In the background: called (on the writer's thread) after each autosave with its
        error and the store's notice, for the front end to show."""
        self._kept = EarlierSaves(saves_dir, story)
        self._chapters_kept: set[str] = set()
        self._played = 0.0
        self._since = clock()

    @property
    def _rules(self) -> Engine:
        if self._engine is None:
            from game.engine.engine import Engine

            self._engine = Engine(self.story)
        return self._engine

    @property
    def _store(self) -> SaveStore:
        if self._saves is None:
            from game.storage.saves import SaveStore

            self._saves = SaveStore(self.saves_dir, self.story)
            self._saves.claim_autosave()  # its own autosave while another game runs here
        return self._saves

    # -- profile and settings ----------------------------------------------------------

    @property
    def profile(self) -> Profile:
        """Read on first use (the app reads it on mount, for the theme), so that building a
        Session touches no file."""
        if self._profile is None:
            self._profile = self._profiles.load()
        return self._profile

    @property
    def settings(self) -> Settings:
        return self.profile.settings

    def profile_warning(self) -> str | None:
        """The profile store's newest warning, once: the same problem is not repeated."""
        _ = self.profile  # loading it is what can produce the warning
        warning = self._profiles.warning
        if warning == self._warned:
            return None
        self._warned = warning
        return warning

    def save_settings(self, settings: Settings) -> None:
        self.flush()
        self._profile = self._profiles.save_settings(settings)

    def progress(self) -> Progress:
        profile = self.profile
        return Progress(
            facts_found=len(profile.facts & self.story.facts.keys()),
            facts_total=len(self.story.facts),
            endings_found=len(profile.endings & self.story.endings.keys()),
            endings_total=len(self.story.endings),
        )

    def _record(self, state: GameState) -> None:
        self._profile = self._profiles.record(state, self.story, self._ending_title(state))
        self._keep_chapter(state)

    def _ending_title(self, state: GameState) -> str | None:
        """The title of the ending `state` is at, as shown, when it shows variables or
        variations (the profile keeps it as it read the first time); else None."""
        from game.engine.errors import StoryRuntimeError

        scene = self.story.scenes.get(state.scene)
        ending = scene.ending if scene is not None else None
        if ending is None or ("{" not in ending.title and "}" not in ending.title):
            return None
        try:
            return self._rules.title(ending.title, state)
        except StoryRuntimeError:
            return None  # (the view says what is wrong)

    # -- replaying: the endings gallery and chapter select -----------------------------

    def gallery(self) -> list[GalleryEntry]:
        """Every ending in story order: found ones with when, locked ones with their hint."""
        from game.session_types import GalleryEntry

        found = self.profile.endings
        times = dict(self.profile.replay.ended)
        return [GalleryEntry(e.id, self.profile.ending_title(e),
                             times.get(e.id, 0.0) if e.id in found else None, e.hint)
                for e in self.story.endings.values()]

    def chapters(self) -> list[Chapter]:
        """Every chapter; those reached before can be started again (`load(chapter.slot)`)."""
        self.flush()
        return self._kept.chapters()

    def _keep_chapter(self, state: GameState) -> None:
        """The first arrival in each chapter is kept (beside the earlier autosaves) so chapter
        select can start there again; written once per chapter, never on the way back."""
        name = self._kept.chapter_start(state, self._chapters_kept)
        if name is None:
            return
        self._chapters_kept.add(name)

        def write() -> None:
            self._kept.write_chapter(name, state)

        self._later(write)


    # -- the game in play --------------------------------------------------------------

    def view(self) -> SceneView:
        """The current scene; raises StoryRuntimeError for a story bug (shown, never a crash)."""
        assert self.state is not None, "no game in progress"
        return self._rules.view(self.state)

    def is_over(self) -> bool:
        """True when the game in play stands at an ending."""
        return self.state is not None and self._rules.is_over(self.state)

    def history(self) -> list[HistoryEntry]:
        """This playthrough scene by scene, oldest first, as the engine shows each now."""
        from game.engine.errors import StoryRuntimeError
        from game.session_types import HistoryEntry

        if self.state is None:
            return []
        chain = list(self.state.history())[::-1]
        out: list[HistoryEntry] = []
        for index, past in enumerate(chain):
            later = chain[index + 1] if index + 1 < len(chain) else None
            try:
                view = self._rules.view(past)
            except (StoryRuntimeError, KeyError):
                out.append(HistoryEntry(past.scene, None, None))
                continue
            picked = None
            if later is not None and later.via is not None:
                picked = next((c.text for c in view.choices if c.id == later.via), later.via)
            out.append(HistoryEntry(past.scene, view, picked))
        return out

    def taken_before(self, choice_id: str) -> bool:
        """Whether this choice of the current scene was taken in any playthrough (Twine's
        visited link), for the front end to mark."""
        assert self.state is not None, "no game in progress"
        return f"{self.state.scene}/{choice_id}" in self.profile.replay.taken

    def playtime(self) -> float:
        return self._played + (self.clock() - self._since)

    def new_game(self) -> Move:
        """Start over; the start scene's own unlocks count like any other move.

        Nothing is written to the autosave until the first choice: a new game left at once
        keeps the game in the autosave as it was.
        """
        self.flush()
        from game.engine.dice import fresh_seed

        state = self._rules.start(fresh_seed() if self.seed is None else self.seed)
        self._begin(state, 0.0)
        self._in_autosave = False
        return self._moved(state, autosave=False, found=True)

    def choose(self, choice_id: str) -> Move:
        """Take an available choice; ChoiceNotAvailable or StoryRuntimeError change nothing.
        A choice shown but locked is refused with ChoiceLocked (a ChoiceNotAvailable) and
        changes nothing either: its `reason` is the rendered `reason:`, and
        `locked_words(reason)` what a front end tells the player."""
        self.flush()
        assert self.state is not None, "no game in progress"
        self.state = self._rules.choose(self.state, choice_id)
        return self._moved(self.state, found=True)

    def back(self) -> Move | None:
        """Undo the last choice; None (and nothing changes) at the first scene."""
        self.flush()
        previous = None if self.state is None else self._rules.back(self.state)
        if previous is None:
            return None
        self.state = previous
        return self._moved(previous)

    def _begin(self, state: GameState, playtime: float) -> None:
        """Switch to another game (new, loaded, or a fallback): its clock and its journal."""
        self.found_before = self.profile.facts
        self.state = state
        self.offer = None
        self._game += 1
        self._played = playtime
        self._since = self.clock()

    def _moved(self, state: GameState, *, autosave: bool = True, found: bool = False,
               note: str | None = None) -> Move:
        """Record the state in the profile and autosave it; `found`: the move unlocked the
        state's new facts (a choice, or a new game's start), rather than went back or loaded."""
        from game.session_types import Move

        known = self.profile.facts
        self.read_before = state.scene in self.profile.replay.seen
        self._record(state)
        new_facts = (tuple(self.story.facts[f] for f in state.new_facts if f in self.story.facts)
                     if found else ())
        first_time = frozenset(f.id for f in new_facts if f.id not in known)
        error = notice = None
        if autosave:
            self._in_autosave = True
            error = self.autosave()
            notice = None if error or self._writer is not None else self._store.notice
        return Move(state, new_facts, first_time, error, notice, note)

    # -- the autosave ------------------------------------------------------------------

    def has_autosave(self) -> bool:
        self.flush()
        return slot_exists(self.saves_dir, self.autosave_slot, self.story.id)

    @property
    def in_autosave(self) -> bool:
        """True when the game in play is the one the autosave holds (what quitting keeps)."""
        return self._in_autosave and self.state is not None

    def autosave(self) -> str | None:
        """Write the game in play to the autosave, if it is due (see the module's policy);
        the error message if that failed (the game goes on). In the background (see
        `background`), the write is queued and the error, if any, goes to `on_report`."""
        if not self.in_autosave:
            return None
        assert self.state is not None
        state, playtime, game = self.state, self.playtime(), self._game

        def write() -> None:
            if game != self._written_game:
                self._keep_earlier()
            try:
                self._store.save(self.autosave_slot, state, playtime)
            except SaveError as exc:
                self.last_autosave_error = str(exc)
            else:
                self.last_autosave_error = None
                self._written_game = game
                self._rewrite_profile()
            if self._writer is not None and self.on_report is not None:
                self.on_report(self.last_autosave_error,
                               None if self.last_autosave_error else self._store.notice)

        self._later(write, key="autosave")
        return self.last_autosave_error if self._writer is None else None

    def _later(self, job: Callable[[], None], key: str | None = None) -> None:
        """A file write: now, or queued on the background writer (in order; a waiting job
        with the same key is replaced by this newer one)."""
        if self._writer is None:
            job()
        else:
            self._writer.submit(job, key)

    def flush(self) -> None:
        """Wait for the queued writes (every verb that reads or writes the files does)."""
        if self._writer is not None:
            self._writer.flush()

    def _keep_earlier(self) -> None:
        """Before the autosave takes another game: its game becomes the first EARLIER one
        (`EarlierSaves.keep`; a failure there never stops the autosave itself)."""
        raw = self._store.whole(self.autosave_slot)  # with its journal folded in
        if raw is not None:  # (else no autosave, or none readable: nothing to keep)
            self._kept.keep(raw)

    def _rewrite_profile(self) -> None:
        """The save folder was deleted under a running game: the autosave has just come back,
        and so does the profile (the journal), from what this session holds."""
        if not self._profiles.path.exists():
            self._profile = self._profiles.save_settings(self.settings)

    def status_line(self) -> str | None:
        """What quitting keeps, in one sentence for the quit question and plain mode's
        goodbye: saved, not saved (the last autosave failed), or None (nothing to keep)."""
        if not self.in_autosave:
            return None
        if self.last_autosave_error:
            return (f"The last autosave failed ({self.last_autosave_error}): your latest "
                    "moves are not saved.")
        return "Your game is saved."

    def replaces(self, slot: str | None = None) -> SlotRow | None:
        """The game in the autosave that a new game (slot None) or loading `slot` would push
        out of it, for the front end to ask first; None when nothing would be pushed out."""
        from game.storage import display

        if slot == self.autosave_slot or not self.has_autosave():
            return None
        try:
            rows = self.slots()
        except SaveError:
            rows = []
        mine = [r for r in rows if r.name == self.autosave_slot]
        return mine[0] if mine else display.SlotRow(self.autosave_slot, display.MISSING,
                                                    display.MISSING, display.MISSING, "ok",
                                                    "ok", None)

    def replace_question(self, slot: str | None = None) -> str | None:
        """The question to ask before a new game or a load replaces the autosave's game."""
        row = self.replaces(slot)
        if row is None:
            return None
        doing = "Start a new game" if slot is None else f"Load '{slot}'"
        return (f"{doing}? The game in progress ({row.place}, played {row.played}) will be "
                f"kept under Load as '{EARLIER[0]}'.")

    def quit(self) -> str | None:
        """Leaving: the autosave brought up to date (its play time at least), if it is due
        (waiting for the write: what the player is told is what is on disk); then this game's
        claim on its autosave slot ends, so the next game gets `autosave`."""
        error = None
        if self.in_autosave:
            self.autosave()
            self.flush()
            error = self.last_autosave_error
        if self._saves is not None:
            self._saves.close()
        return error

    # -- saves -------------------------------------------------------------------------

    def slot_problem(self, slot: str) -> str | None:
        """Why a player cannot save under this name, or None: the storage rules for a name
        (`check_slot`), and the game's own slots (any autosave, however it is spelled), which
        only the game writes. Every front end asks this before it saves."""
        try:
            name = check_slot(slot)
        except SaveError as exc:
            return str(exc)
        if is_autosave(name) or self.is_automatic(name):
            return (f"'{name}' is written by the game itself after every choice; "
                    "pick another name for your save.")
        return None

    def save(self, slot: str) -> Saved:
        """Save in a player's slot or the quicksave; SaveError (the slot's previous save
        intact) on failure, or when the name is refused (`slot_problem`)."""
        from game.session_types import Saved

        self.flush()
        assert self.state is not None, "no game in progress"
        problem = self.slot_problem(slot)
        if problem is not None:
            raise SaveError(problem)
        path = self._store.save(slot, self.state, self.playtime())
        return Saved(path, self._store.notice)

    def has_quicksave(self) -> bool:
        self.flush()
        return slot_exists(self.saves_dir, QUICKSAVE, self.story.id)

    def load(self, slot: str) -> Move:
        """Load a slot into the session and autosave it.

        SaveError leaves the game untouched; so does SceneGone, which also sets `offer`
        when the save has an earlier place that still exists (`accept_offer` takes it).
        """
        self.flush()
        try:
            loaded = self._store_of(slot).load(slot_in(slot))
        except SceneGone as gone:
            self.offer = self._offer(gone)
            raise
        self._begin(loaded.state, loaded.playtime)
        if slot == self.autosave_slot:  # Continue: the same game goes on
            self._written_game = self._game
        return self._moved(loaded.state, note=loaded.message)

    def continue_game(self) -> Move:
        """Load the autosave: back to the game in progress."""
        return self.load(self.autosave_slot)

    def _offer(self, gone: SceneGone) -> Offer | None:
        from game.engine.engine import shown_title
        from game.session_types import Offer

        fallback = gone.fallback
        if fallback is None or fallback.scene not in self.story.scenes:
            return None
        return Offer(str(gone), fallback, gone.playtime,
                     shown_title(self.story, self.story.scenes[fallback.scene].title, fallback))

    def accept_offer(self) -> Move:
        """Carry on from the fallback place of the last load that raised SceneGone."""
        self.flush()
        offer = self.offer
        assert offer is not None, "no fallback on offer"
        self._begin(offer.fallback, offer.playtime)
        return self._moved(offer.fallback)

    def decline_offer(self) -> None:
        """Forget the fallback: the game in play (if any) goes on as it was."""
        self.offer = None

    def slots(self) -> list[SlotRow]:
        """Every save in the folder, newest first, then the EARLIER autosaves; worded for a
        list. SaveError when the folder itself cannot be read."""
        from game.storage import display

        self.flush()
        return display.rows(self._store.slots()) + self._kept.rows()

    def is_automatic(self, slot: str) -> bool:
        """The autosave and the EARLIER ones: the game writes them, a player never does."""
        return slot == self.autosave_slot or slot in EARLIER

    def delete(self, slot: str) -> None:
        self.flush()
        self._store_of(slot).delete(slot_in(slot))

    def _store_of(self, slot: str) -> SaveStore:
        return self._kept.store if slot_in(slot) != slot else self._store

    # -- live reload -------------------------------------------------------------------

    def reload(self, story: Story) -> str:
        """Move the session onto an edited story (`--dev`), keeping the player's place.

        The game is fitted with `migrate`: variables are kept, and when the current scene was
        cut the player resumes at the nearest earlier one; with nothing left of the game
        there is no game in play. Returns one line for the author.
        """
        self.flush()
        from game.engine.engine import shown_title
        from game.engine.migrate import migrate

        state = self.state
        summary = "The story was reloaded."
        if state is not None:
            moved = migrate(state, story)
            if moved.state is not None:
                state = moved.state
                summary = moved.summary or "The story was reloaded; you are where you were."
            elif moved.fallback is not None:
                state = moved.fallback
                summary = (f"{moved.summary} Resumed at "
                           f"'{shown_title(story, story.scenes[state.scene].title, state)}'.")
            else:
                state = None
                summary = (f"{moved.summary} Your place is gone: start a new game from the "
                           "title screen.")
        self.story = story
        self._engine = None
        if self._saves is not None:
            self._saves.close()  # its autosave claim goes to the store of the edited story
        self._saves = None
        self._kept = EarlierSaves(self.saves_dir, story)
        self._profiles = ProfileStore(self.saves_dir, story)
        if self._writer is not None:
            self._profiles.defer = self._writer.submit
        self._profile = None
        self.offer = None
        self.state = state
        self.autosave()
        return summary.strip()
