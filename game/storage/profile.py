"""The player's profile: what they have unlocked in any playthrough, and their settings.

Like Ren'Py's persistent data, it outlives every game: `back`, `restart` and loading an old
save never take a fact or an ending away from it. There is one profile per story id, in the
save folder, written atomically. It is also the file a player would be saddest to lose, so
it is never overwritten blindly: a damaged one is renamed aside (and the player told where),
a profile from a newer game is left alone for the session, and every write first merges
with what is on disk, under an OS file lock (`locks`) held from the read to the rename, so
any number of games running at once all keep their unlocks. Like every save, the profile
keeps its previous generation as `profile.STORY.json.bak`, which a damaged profile falls
back to.

The profile is a convenience, not the game: nothing here raises. Problems land in
`ProfileStore.warning` for the front end to show, and play goes on with what is in memory.
"""

from __future__ import annotations

import bisect
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from game import numbers, safeio
from game.storage import atomic, locks
from game.storage.names import BACKUP_SUFFIX, profile_file

if TYPE_CHECKING:
    from game.engine.state import GameState
    from game.story.model import Ending, Story

FORMAT = "offscreen-profile"
VERSION = 1
MAX_BYTES = 4 * 2**20
"""The largest profile read: ids of every fact and ending of an 80 Days-sized story are well
under a megabyte."""
LOCK_TIMEOUT = 5.0
"""Seconds a write waits for another game's write (milliseconds, normally) to finish."""


@dataclass(frozen=True, slots=True)
class Settings:
    """The player's preferences, kept in the profile so they survive every save and new game."""

    theme: str = "textual-dark"
    text_speed: int = 60
    """Characters per second for the typewriter effect; 0 shows text at once."""
    confirm_quit: bool = True
    skip_read: bool = True
    """Scenes read in any earlier playthrough appear at once; only new text is typed out."""
    reduced_motion: bool = False
    """No typewriter and no animations at all, whatever the speed says."""


@dataclass(frozen=True, slots=True)
class Profile:
    """What the player has found across all playthroughs: the journal's facts and endings."""

    facts: frozenset[str] = frozenset()
    """Facts of the current story unlocked in any playthrough."""
    endings: frozenset[str] = frozenset()
    settings: Settings = field(default_factory=Settings)
    replay: Replay = field(default_factory=lambda: Replay())
    """What replaying uses: scenes read, choices taken, when each ending was first reached."""

    def ending_title(self, ending: Ending) -> str:
        """An ending's title as the journal and the gallery show it: as it read when it was
        first reached (a title may show variables, format v2), else as written."""
        for ending_id, title in self.replay.titles:
            if ending_id == ending.id:
                return title
        return ending.title


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


@dataclass(frozen=True, slots=True)
class Replay:
    """The reader's memory across playthroughs (like Ren'Py's seen-text and Twine's visited
    links): scene ids read, 'scene/choice' ids taken, ending id -> first time (epoch)."""

    seen: frozenset[str] = frozenset()
    taken: frozenset[str] = frozenset()
    ended: tuple[tuple[str, float], ...] = ()
    titles: tuple[tuple[str, str], ...] = ()
    """Ending id -> its title as it read when first reached, for titles that show variables
    or variations (format v2); sorted by id."""

    def merged(self, other: Replay) -> Replay:
        """Both memories; an ending keeps its earliest time, and the title this memory has
        (the one read first: the file's, when merging a new reach into it)."""
        times = dict(other.ended)
        for ending, when in self.ended:
            times[ending] = min(when, times.get(ending, when))
        titles = dict(other.titles)
        titles.update(self.titles)
        return Replay(self.seen | other.seen, self.taken | other.taken,
                      tuple(sorted(times.items())), tuple(sorted(titles.items())))

    def covers(self, other: Replay) -> bool:
        """True when `other` holds nothing this does not (then nothing needs writing)."""
        return (other.seen <= self.seen and other.taken <= self.taken
                and {e for e, _ in other.ended} <= {e for e, _ in self.ended}
                and {e for e, _ in other.titles} <= {e for e, _ in self.titles})


def replay_of(state: GameState, ending: str | None, title: str | None = None) -> Replay:
    """What reaching `state` adds to the memory: its scene, the choice into it, and the
    ending it stands at (with the time, now, and its title as rendered, when it shows
    variables)."""
    taken = (frozenset([f"{state.previous.scene}/{state.via}"])
             if state.previous is not None and state.via is not None else frozenset())
    ended = ((ending, time.time()),) if ending is not None else ()
    titles = ((ending, title),) if ending is not None and title is not None else ()
    return Replay(frozenset([state.scene]), taken, ended, titles)


class _Damaged(Exception):
    """The file is not a usable profile; str() is the reason."""


class _Newer(Exception):
    """The file is from a newer version of the game: not ours to read or to overwrite."""


@dataclass(frozen=True, slots=True)
class _OnDisk:
    """The file's content, including ids the story no longer has (kept for if they return)."""

    facts: frozenset[str]
    endings: frozenset[str]
    settings: Settings
    replay: Replay = Replay()


class ProfileStore:
    def __init__(self, folder: Path, story: Story) -> None:
        self.folder = folder
        self.story = story
        self.path = folder / profile_file(story.id)
        self.backup = self.path.with_name(self.path.name + BACKUP_SUFFIX)
        self.lock = locks.lock_path(folder, profile_file(story.id))
        self.warning: str | None = None
        """One line about the last problem with the profile file, for the front end to show."""
        self._disk = _OnDisk(frozenset(), frozenset(), Settings())
        self._writable = True
        """False once the file turned out to be one we must not overwrite this session."""
        self._pending = False
        """True while something recorded is not on disk yet (a write failed or timed out)."""
        self._lists: dict[str, tuple[frozenset[str], list[str]]] = {}
        """The sorted lists last written, by key, with the sets they were made from."""
        self._written: tuple[int, int, int] | None = None
        """The file as this store's last write left it (inode, size, mtime): while it is
        unchanged it holds exactly `_disk`, so the next write need not read it back."""
        self.defer: Callable[[Callable[[], None]], None] | None = None
        """Set by a front end that writes off its UI thread: each write (the same locked,
        merged, atomic write) is handed to it to run in order; the game's view of the
        profile changes at once."""

    def load(self) -> Profile:
        """The profile on disk (or a fresh one); never raises."""
        try:
            self._disk = self._read()
        except FileNotFoundError:
            self._disk = _OnDisk(frozenset(), frozenset(), Settings())
        except _Damaged as exc:
            self._disk = self._from_backup()
            self._set_aside(str(exc))
        except _Newer:
            self._leave_alone()
        except OSError as exc:
            self._writable = False
            self.warning = (f"Your profile {self.path} cannot be read ({atomic.describe(exc)}); "
                            "unlocks will not be kept this session.")
        return self._view(self.story)

    def record(self, state: GameState, story: Story, title: str | None = None) -> Profile:
        """Add the state's facts, and its ending if it is at one (with `title`, the ending's
        title as shown, when it shows variables); written only when new."""
        facts = frozenset(f for f in state.facts if f in story.facts)
        scene = story.scenes.get(state.scene)
        ending = scene.ending if scene is not None else None
        endings = frozenset([ending.id]) if ending is not None else frozenset()
        replay = replay_of(state, ending.id if ending is not None else None, title)
        if (facts <= self._disk.facts and endings <= self._disk.endings
                and self._disk.replay.covers(replay) and not self._pending):
            return self._view(story)
        self._write(lambda disk: _OnDisk(disk.facts | facts, disk.endings | endings,
                                         disk.settings, disk.replay.merged(replay)))
        return self._view(story)

    def save_settings(self, settings: Settings) -> Profile:
        self._write(lambda disk: replace(disk, settings=settings))
        return self._view(self.story)

    # -- internals -----------------------------------------------------------------------

    def _view(self, story: Story) -> Profile:
        return Profile(frozenset(f for f in self._disk.facts if f in story.facts),
                       frozenset(e for e in self._disk.endings if e in story.endings),
                       self._disk.settings, self._disk.replay)

    def _write(self, change: Callable[[_OnDisk], _OnDisk]) -> None:
        """Apply `change`, and write it: now, or in order on the `defer` writer (the change
        is applied to what the game shows at once, and again, merged with the file, by the
        write: every change is a union or a replacement, so applying it twice is harmless)."""
        if self.defer is None:
            self._write_now(change)
            return
        self._disk = change(self._disk)
        self.defer(lambda: self._write_now(change))

    def _write_now(self, change: Callable[[_OnDisk], _OnDisk]) -> None:
        """Apply `change` to the newest known content, merged with the file, and write it,
        holding the profile's lock from the read to the rename so no other game's write
        can land in between (and be lost)."""
        held = None
        if self._writable:
            try:
                held = locks.wait_lock(self.lock, LOCK_TIMEOUT)
            except OSError as exc:
                self.warning = (f"Your profile could not be saved to {self.path} "
                                f"({atomic.describe(exc)}); this session's unlocks are kept "
                                "in memory only.")
            if held is None:
                self._disk = change(self._disk)
                self._pending = True
                if self.warning is None:
                    self.warning = (f"Your profile {self.path} is busy (another game has held "
                                    f"it for {LOCK_TIMEOUT:.0f} s); this session's unlocks "
                                    "are kept and written next time.")
                return
        try:
            self._write_locked(change)
        finally:
            if held is not None:
                held.release()

    def _write_locked(self, change: Callable[[_OnDisk], _OnDisk]) -> None:
        base = self._disk
        if self._writable and not self._unchanged():
            try:
                disk = self._read()
                base = _OnDisk(base.facts | disk.facts, base.endings | disk.endings,
                               disk.settings, base.replay.merged(disk.replay))
            except FileNotFoundError:
                pass
            except _Damaged as exc:
                self._set_aside(str(exc))
            except _Newer:
                self._leave_alone()
            except OSError:
                pass  # the write below reports the problem
        self._disk = change(base)
        if not self._writable:
            return
        data = {
            "format": FORMAT,
            "version": VERSION,
            "story": self.story.id,
            "facts": sorted(self._disk.facts),
            "endings": sorted(self._disk.endings),
            "settings": {f.name: getattr(self._disk.settings, f.name)
                         for f in fields(Settings)},
            "seen": self._sorted("seen", self._disk.replay.seen),
            "taken": self._sorted("taken", self._disk.replay.taken),
            "ended": dict(self._disk.replay.ended),
            "titles": dict(self._disk.replay.titles),
        }
        # One key a line, each value written by json's C encoder (`indent` would switch to
        # its pure-Python one, the cost of every choice that reads a new scene).
        text = "{\n" + ",\n".join(f"{json.dumps(key)}: {json.dumps(value)}"
                                   for key, value in data.items()) + "\n}\n"
        self._written = None
        try:
            atomic.write_atomic(self.path, text.encode(), self.backup)
            self._written = atomic.signature(self.path)
        except OSError as exc:
            self._pending = True
            self.warning = (f"Your profile could not be saved to {self.path} "
                            f"({atomic.describe(exc)}); this session's unlocks are kept in "
                            "memory only.")
        else:
            self._pending = False

    def _sorted(self, name: str, ids: frozenset[str]) -> list[str]:
        """`sorted(ids)`, from the list last written for `name` plus what was added since:
        the replay memory grows by a scene or two a choice, and sorting thousands of ids
        at every choice was most of what a write cost besides the disk."""
        before, listed = self._lists.get(name, (frozenset(), []))
        if before <= ids and len(ids) - len(before) <= 8:
            listed = listed.copy()
            for added in ids - before:
                bisect.insort(listed, added)
        else:
            listed = sorted(ids)
        self._lists[name] = (ids, listed)
        return listed

    def _unchanged(self) -> bool:
        """True when the file is as this store's last write left it (no one else wrote)."""
        try:
            return self._written is not None and atomic.signature(self.path) == self._written
        except OSError:
            return False

    def _from_backup(self) -> _OnDisk:
        """The previous generation's content when the profile is damaged, else a fresh one."""
        try:
            return self._read(self.backup)
        except (_Damaged, _Newer, OSError):
            return _OnDisk(frozenset(), frozenset(), Settings())

    def _read(self, path: Path | None = None) -> _OnDisk:
        """The file's content; raises _Damaged, _Newer or OSError (FileNotFoundError)."""
        path = self.path if path is None else path
        try:
            raw = safeio.read_limited(path, MAX_BYTES, follow=False)
        except (safeio.NotRegularFile, safeio.TooLarge, IsADirectoryError) as exc:
            raise _Damaged(str(exc.strerror)) from None
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise _Damaged("it is not valid JSON" if raw.strip() else "it is empty") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise _Damaged("it is not an Off Screen profile")
        version = data.get("version")
        if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
            raise _Newer()
        if version != VERSION:
            raise _Damaged(f"its format version {version!r} is not valid")
        if data.get("story") != self.story.id:
            raise _Damaged(f"it belongs to another story ({data.get('story')!r})")
        facts, endings = data.get("facts", []), data.get("endings", [])
        for name, value in (("facts", facts), ("endings", endings)):
            if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
                raise _Damaged(f"its '{name}' is not a list of ids")
        return _OnDisk(frozenset(facts), frozenset(endings), self._settings(data.get("settings")),
                       _replay(data))

    def _settings(self, raw: object) -> Settings:
        """Lenient: a bad or unknown setting falls back to its default; the rest are kept."""
        if not isinstance(raw, dict):
            return Settings()
        defaults = Settings()
        values: dict[str, Any] = {}
        for f in fields(Settings):
            default = getattr(defaults, f.name)
            value = raw.get(f.name, default)
            good = (type(value) is type(default) and numbers.in_range(value)
                    and not (isinstance(value, int) and not isinstance(value, bool) and value < 0))
            values[f.name] = value if good else default
        return Settings(**values)

    def _leave_alone(self) -> None:
        self._writable = False
        self.warning = (f"Your profile {self.path} was written by a newer version of Off "
                        "Screen; it is left as it is, and unlocks will not be kept this session.")

    def _set_aside(self, reason: str) -> None:
        try:
            aside = atomic.move_aside(self.path, "damaged")
        except OSError as exc:
            self._writable = False
            self.warning = (f"Your profile {self.path} is damaged ({reason}) and could not be "
                            f"moved aside ({atomic.describe(exc)}); it is left untouched and "
                            "unlocks will not be kept this session.")
            return
        restored = bool(self._disk.facts or self._disk.endings)
        self.warning = (f"Your profile {self.path} was damaged ({reason}); it was kept as "
                        f"{aside.name} and "
                        + (f"its previous generation ({self.backup.name}) used instead."
                           if restored else "a fresh profile started."))


def _replay(data: dict[str, Any]) -> Replay:
    """Lenient like the settings: a profile from before these keys (or a bad one) reads as
    an empty memory, never as a damaged profile."""
    ended = data.get("ended")
    times = (tuple(sorted((k, float(v)) for k, v in ended.items()
                          if isinstance(v, (int, float)) and not isinstance(v, bool)))
             if isinstance(ended, dict) else ())
    titles = data.get("titles")
    named = (tuple(sorted((k, v) for k, v in titles.items() if isinstance(v, str)))
             if isinstance(titles, dict) else ())
    return Replay(_ids(data.get("seen")), _ids(data.get("taken")), times, named)


def _ids(value: object) -> frozenset[str]:
    if isinstance(value, list) and all(isinstance(x, str) for x in value):
        return frozenset(value)
    return frozenset()

