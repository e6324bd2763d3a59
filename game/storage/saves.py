"""Save slots: one versioned JSON file per slot, written atomically, checked on every read.

This is the only API the front ends use for games in progress. Its promises:
- a save either completes or leaves the previous file as it was (see `atomic`), and the
  generation before that is kept as `SLOT.json.bak`, which `load` falls back to (and says
  so) when the current file is damaged;
- the autosave costs one choice, however long the game: between compactions (a whole
  atomic write every `journal.COMPACT_EVERY` autosaves) each autosave appends one record to
  `SLOT.json.journal` and fsyncs it (see `journal`; a crash mid-append leaves the record
  before it as the newest state);
- a damaged file is never overwritten: saving over it moves it aside first (`notice` says
  where), and a save of another story or of a newer game version is refused outright;
- a save made before the story was edited loads through `game.engine.migrate`, with one
  line saying what changed, or raises `SceneGone` with the nearest place that still exists;
- listing never stops at a bad file: every file is shown with its status and reason, each
  judged on its own;
- nothing in the folder is followed or trusted: a symbolic link, a FIFO or a device where a
  save should be is refused by name, and no file is read past `savefile.MAX_BYTES`;
- several games may share the folder (see `claim_autosave` and `SlotConflict`).
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from game import safeio
from game.engine.migrate import migrate
from game.engine.state import GameState
from game.storage import atomic, journal, locks
from game.storage.codec import HISTORY_LIMIT, ChainEncoder, Steps
from game.storage.errors import SaveError, SceneGone, SlotConflict
from game.storage.names import (
    AUTOSAVE,
    BACKUP_SUFFIX,
    QUICKSAVE,
    check_slot,
    is_autosave,
    resolve,
    slot_exists,
    slot_of_file,
)
from game.storage.savefile import MAX_BYTES, SaveDoc, Unreadable, Unsavable, decode, encode
from game.story.model import Story

__all__ = ["AUTOSAVE", "QUICKSAVE", "Loaded", "SaveError", "SaveStore", "SceneGone",
           "SlotConflict", "SlotInfo", "check_slot"]

MAX_GAMES = 99
"""Games at once on one folder and story (autosave ... autosave-99)."""

Status = Literal["ok", "changed", "cannot-resume", "damaged"]


@dataclass(frozen=True, slots=True)
class Loaded:
    state: GameState
    message: str | None
    """One line about what happened on the way in (story edited, damaged file skipped)."""
    playtime: float


@dataclass(frozen=True, slots=True)
class SlotInfo:
    """One line of the save list. `saved_at`, `label` and `playtime` are None when damaged."""

    name: str
    label: str | None
    saved_at: float | None
    playtime: float | None
    status: Status
    message: str | None
    """Why the status is not "ok" (or what loading it will do differently); None when ok."""


@dataclass(slots=True)
class _Tail:
    """The autosave's journal as this store last wrote it: what the next append continues."""

    save: Path
    token: str
    """The save file's generation, which the journal's first line names."""
    records: int = 0
    signature: tuple[int, int, int] | None = None
    """The journal file as the last append left it; None until the first append creates it."""

    @property
    def path(self) -> Path:
        return journal.journal_path(self.save)


@dataclass(frozen=True, slots=True)
class _Read:
    """A slot's usable save, wherever it came from, plus what the player should hear."""

    doc: SaveDoc
    note: str | None


class SaveStore:
    def __init__(self, folder: Path, story: Story,
                 clock: Callable[[], float] = time.time, history: int = HISTORY_LIMIT,
                 compact_every: int = journal.COMPACT_EVERY) -> None:
        self.folder = folder
        self.story = story
        self.clock = clock
        self.history = history
        self.notice: str | None = None
        """Set by `save` when it had to do something the player should hear about."""
        self._ours: dict[Path, tuple[int, int, int]] = {}
        """Files known good for this story (as last written or read), by stat signature."""
        self._warned: dict[Path, tuple[int, int, int]] = {}
        """Slots whose change by another game was reported, as they were then (see save)."""
        self.autosave = AUTOSAVE
        """This game's autosave slot: `autosave`, or `autosave-2`... once `claim_autosave`
        found the first taken by another running game. Saving to AUTOSAVE writes here."""
        self._claim: locks.FileLock | None = None
        self._games: locks.FileLock | None = None
        self._encoder = ChainEncoder(history)
        """The last game autosaved, encoded: the autosave after a choice encodes only that
        choice (named saves are encoded whole: they are rare, and another game's)."""
        self.compact_every = min(compact_every, journal.COMPACT_EVERY)
        """Autosaves appended to the journal between whole rewrites (at most COMPACT_EVERY,
        the most a reader takes; tests make it small)."""
        self._tail: _Tail | None = None

    # -- several games at once ------------------------------------------------------------

    def claim_autosave(self) -> str:
        """Make this game's autosave its own, for as long as this store is open; its slot.

        Call once when a game starts. The first free one of `autosave`, `autosave-2`, ...
        is locked (an OS lock, dropped when the process ends however it ends), so a second
        game on the same folder and story never overwrites the first one's autosave: its
        autosave is `autosave-2`, and both are listed. Also sweeps the temp files crashed
        writes left behind: all of them when no other game is running (they cannot be
        anyone's write in flight), else only those older than `atomic.STALE_AFTER`.
        A folder where no lock can be made (read-only, say) keeps the plain `autosave`.
        """
        if self._claim is not None:
            return self.autosave
        try:
            self._sweep_at_start()
            for n in range(1, MAX_GAMES + 1):
                slot = AUTOSAVE if n == 1 else f"{AUTOSAVE}-{n}"
                held = locks.try_lock(locks.lock_path(self.folder, f"{slot}.{self.story.id}"))
                if held is not None:
                    self._claim, self.autosave = held, slot
                    break
        except OSError:
            self.autosave = AUTOSAVE
        return self.autosave

    def _sweep_at_start(self) -> None:
        games = locks.lock_path(self.folder, "games")
        alone = locks.try_lock(games)
        if alone is not None:
            atomic.sweep_temps(self.folder, None, stale_after=0.0)
            alone.release()
        else:
            atomic.sweep_temps(self.folder, None)
        # Held shared while the game runs, so that a game starting later knows it is not alone.
        self._games = locks.try_lock(games, shared=True)

    def close(self) -> None:
        """Let go of this game's autosave (the end of the process does it too)."""
        for held in (self._claim, self._games):
            if held is not None:
                held.release()
        self._claim = self._games = None

    # -- paths ---------------------------------------------------------------------------

    def path(self, slot: str) -> Path:
        return self.folder / resolve(self.folder, check_slot(slot), self.story.id)

    # -- writing -------------------------------------------------------------------------

    def save(self, slot: str, state: GameState, playtime: float = 0.0, *,
             overwrite: bool = False) -> Path:
        """Write the game to `slot`; SaveError (with the previous save intact) on failure.

        Saving to AUTOSAVE writes this game's own autosave (`self.autosave`). A named slot
        that another game wrote since this store last read or wrote it raises SlotConflict
        (nothing written) unless `overwrite`; the conflict is then reported once, and saving
        again to the same slot, unchanged since, goes ahead: the player was asked.
        """
        self.notice = None
        if check_slot(slot).casefold() == AUTOSAVE:
            slot = self.autosave
        path = self.path(slot)
        scene = self.story.scenes.get(state.scene)
        label = _label(self.story, scene.title, state) if scene else state.scene
        saved_at, playtime = self.clock(), max(0.0, playtime)
        auto = is_autosave(slot)
        steps = self._encoder.advance(state) if auto else None
        if steps is not None and self._append(path, steps, saved_at, playtime, label):
            return path
        self._tail = None  # until this write is done, nothing may be appended
        token = journal.new_token() if auto else None
        try:
            data = encode(self.story.id, self.story.content_hash, state, saved_at, playtime,
                          label, self.history, self._encoder if auto else None, token)
        except Unsavable as exc:
            raise SaveError(f"could not save to {path}: {exc}; nothing was written") from None
        try:
            keep = self._make_room(path, slot, overwrite or auto)
            atomic.write_atomic(path, data, path.with_name(path.name + BACKUP_SUFFIX)
                                if keep else None)
            self._remember(path)
        except OSError as exc:
            raise SaveError(f"could not save to {path}: {atomic.describe(exc)}; "
                            "your previous save there is unchanged") from None
        self._warned.pop(path, None)
        if token is not None:
            self._tail = _Tail(path, token)
            with contextlib.suppress(OSError):  # it names the file just replaced: ignored
                journal.journal_path(path).unlink(missing_ok=True)
        atomic.sweep_temps(self.folder, path.name)
        return path

    def _append(self, path: Path, steps: Steps, saved_at: float, playtime: float,
                label: str) -> bool:
        """Append this autosave to the journal; False when a whole write is due instead (a
        compaction, or the files are not as this store left them). SaveError when the
        append failed; the save file and the journal's whole records are untouched."""
        tail = self._tail
        if (tail is None or tail.save != path or tail.records >= self.compact_every
                or not self._is_ours(path)):
            return False
        try:
            now = atomic.signature(tail.path) if tail.signature is not None else None
        except OSError:
            return False
        if now != tail.signature:
            return False  # another program touched it: write the whole save
        self._tail = None  # until this append is done, the next save is a whole one
        try:
            data = journal.line(journal.record(tail.records + 1, saved_at, playtime, label,
                                               steps))
        except Unsavable as exc:
            raise SaveError(f"could not save to {path}: {exc}; nothing was written") from None
        try:
            if tail.signature is None:
                atomic.write_atomic(tail.path, journal.header(tail.token) + data)
            else:
                journal.append(tail.path, data)
            tail.signature = atomic.signature(tail.path)
        except OSError as exc:
            raise SaveError(f"could not save to {path}: {atomic.describe(exc)}; "
                            "your previous save there is unchanged") from None
        tail.records += 1
        self._tail = tail
        return True

    def _check_conflict(self, slot: str, path: Path) -> None:
        """SlotConflict when another game replaced a good save this store had read or written
        (a conflict is reported once: the same file met again means the player said yes)."""
        if path not in self._ours:
            return
        try:
            now = atomic.signature(path)
        except OSError:
            return
        if self._warned.get(path) == now:
            return
        self._warned[path] = now
        when = time.strftime("%H:%M", time.localtime(_mtime(path)))
        raise SlotConflict(f"'{slot}' was saved by another game (at {when}) since you loaded "
                           "or saved it here; nothing was written. Save to it again to "
                           "replace that game's save, or pick another name.")

    def _make_room(self, path: Path, slot: str, overwrite: bool) -> bool:
        """Check what the save will replace; True when it is a good save worth keeping as .bak.

        A damaged file is moved aside rather than overwritten (its .bak, if any, is older and
        good, so it stays); a save of another story or a newer game is refused, and so is
        anything that is not a regular file (a link is never followed nor kept as .bak).
        """
        if self._is_ours(path):
            return True
        for target in (path, path.with_name(path.name + BACKUP_SUFFIX)):
            try:
                mode = os.lstat(target).st_mode
            except FileNotFoundError:
                continue
            if not stat.S_ISREG(mode):
                what = "a folder" if stat.S_ISDIR(mode) else "not a regular file (a link, " \
                                                              "a pipe or a device)"
                raise SaveError(f"{target} was not overwritten: it is {what}. Move it out of "
                                "the save folder, or save under another name.")
        try:
            raw = safeio.read_limited(path, MAX_BYTES, follow=False)
        except FileNotFoundError:
            return False
        except OSError as exc:
            raw = None
            problem = Unreadable("damaged", f"it cannot be read ({atomic.describe(exc)})")
        try:
            if raw is None:
                raise problem
            decode(raw, self.story.id)
        except Unreadable as exc:
            if exc.kind != "damaged":
                raise SaveError(f"{path} was not overwritten: {exc}. Save under another "
                                "name instead.") from None
            aside = atomic.move_aside(path, "damaged")
            self.notice = (f"{path.name} was damaged ({exc}); it was kept as {aside.name} "
                           "and a new save written in its place.")
            return False
        if not overwrite:
            self._check_conflict(slot, path)
        return True

    def _is_ours(self, path: Path) -> bool:
        try:
            return self._ours.get(path) == atomic.signature(path)
        except OSError:
            return False

    def _remember(self, path: Path) -> None:
        try:
            self._ours[path] = atomic.signature(path)
        except OSError:
            self._ours.pop(path, None)

    def delete(self, slot: str) -> None:
        path = self.path(slot)
        found = False
        if self._tail is not None and self._tail.save == path:
            self._tail = None
        with contextlib.suppress(OSError):  # without its save file, it is never read
            journal.journal_path(path).unlink()
        for target in (path, path.with_name(path.name + BACKUP_SUFFIX)):
            try:
                target.unlink()
                found = True
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise SaveError(f"could not delete {target}: {atomic.describe(exc)}") from None
        self._ours.pop(path, None)
        if not found:
            raise SaveError(f"there is no save named '{slot}' in {self.folder}")
        atomic.fsync_dir(self.folder)

    # -- reading -------------------------------------------------------------------------

    def exists(self, slot: str) -> bool:
        return slot_exists(self.folder, slot, self.story.id)

    def load(self, slot: str) -> Loaded:
        """The saved game, fitted to the story as it is now.

        Raises SceneGone when the saved scene was removed from the story, SaveError when the
        slot is missing, damaged beyond its backup, foreign or from a newer game.
        """
        read = self._read(self.path(slot), slot)
        doc = read.doc
        migration = migrate(doc.state, self.story)
        notes = [read.note] if read.note else []
        if migration.state is None:
            raise SceneGone(" ".join([*notes, migration.summary]), migration.fallback,
                            doc.playtime, migration.steps_back)
        if migration.summary:
            notes.append(migration.summary)
        elif doc.story_hash != self.story.content_hash:
            notes.append("The story was edited since this game was saved; nothing in this "
                         "game needed to change.")
        return Loaded(migration.state, " ".join(notes) or None, doc.playtime)

    def _read(self, path: Path, slot: str) -> _Read:
        backup = path.with_name(path.name + BACKUP_SUFFIX)
        try:
            doc = self._decode(path, journal.journal_path(path))
        except FileNotFoundError:
            if not os.path.lexists(backup):
                raise SaveError(f"there is no save named '{slot}' in {self.folder}") from None
            problem = f"{path} is missing"
        except Unreadable as exc:
            if exc.kind != "damaged":
                raise SaveError(f"cannot load '{slot}': {path} cannot be used: {exc}") from None
            problem = f"{path} is damaged: {exc}"
        else:
            self._remember(path)
            return _Read(doc, None)
        try:
            doc = self._decode(backup)
        except FileNotFoundError:
            raise SaveError(f"cannot load '{slot}': {problem}; there is no earlier copy "
                            "to fall back on") from None
        except Unreadable as exc:
            raise SaveError(f"cannot load '{slot}': {problem}; its backup {backup.name} "
                            f"is no good either: {exc}") from None
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(doc.saved_at))
        return _Read(doc, f"{problem}; loaded the previous save of '{slot}' instead "
                          f"({backup.name}, from {when}).")

    def _decode(self, path: Path, journal_file: Path | None = None) -> SaveDoc:
        """The save at `path`, carried on by its journal's whole records when given one."""
        try:
            raw = safeio.read_limited(path, MAX_BYTES, follow=False)
        except FileNotFoundError:
            raise
        except IsADirectoryError:
            raise Unreadable("damaged", "it is a folder, not a file") from None
        except (safeio.NotRegularFile, safeio.TooLarge) as exc:
            raise Unreadable("damaged", str(exc.strerror)) from None
        except OSError as exc:
            raise Unreadable("damaged", f"it cannot be read ({atomic.describe(exc)})") from None
        tail = None
        if journal_file is not None:
            # none, or not one we can read: the save file alone is the game
            with contextlib.suppress(OSError):
                tail = safeio.read_limited(journal_file, MAX_BYTES, follow=False)
        return decode(raw, self.story.id, tail)

    def whole(self, slot: str) -> bytes | None:
        """The bytes of a save file holding the game in `slot` as `load` would find it (its
        journal folded in), for copying it elsewhere: the file's own bytes when no journal
        continues it (or it is damaged: the copy is as damaged); None when it cannot be read."""
        path = self.path(slot)
        try:
            raw = safeio.read_limited(path, MAX_BYTES, follow=False)
        except OSError:
            return None
        if not journal.journal_path(path).exists():
            return raw
        try:
            doc = self._decode(path, journal.journal_path(path))
            if doc.journal is None:
                return raw
            return encode(doc.story_id, doc.story_hash, doc.state, doc.saved_at, doc.playtime,
                          doc.label, self.history)
        except (OSError, Unreadable, Unsavable):
            return raw

    def slots(self) -> list[SlotInfo]:
        """Every save in the folder, newest first, damaged and foreign files included.

        Raises SaveError only when the folder itself cannot be read.
        """
        try:
            names = os.listdir(self.folder)
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise SaveError(f"cannot list the saves in {self.folder}: "
                            f"{atomic.describe(exc)}") from None
        present = set(names)
        found: list[tuple[float, SlotInfo]] = []
        for name in names:
            if name.endswith(BACKUP_SUFFIX) and name[: -len(BACKUP_SUFFIX)] not in present:
                name = name[: -len(BACKUP_SUFFIX)]  # only the backup survived: still a save
            elif name.endswith(BACKUP_SUFFIX):
                continue
            which = slot_of_file(name, self.story.id)
            if which is None:
                continue
            slot, loadable = which
            path = self.folder / name
            info = self._info(slot, path) if loadable else self._stray(slot, path)
            found.append((info.saved_at or _mtime(path), info))
        found.sort(key=lambda pair: (-pair[0], pair[1].name))
        return [info for _, info in found]

    def _info(self, slot: str, path: Path) -> SlotInfo:
        """One file's line, whatever is in it: one bad file never hides the others."""
        try:
            read = self._read(path, slot)
            doc = read.doc
            migration = migrate(doc.state, self.story)
        except SaveError as exc:
            return SlotInfo(slot, None, None, None, "damaged", str(exc))
        except Exception as exc:  # a bug of ours must not hide the other saves
            return SlotInfo(slot, None, None, None, "damaged",
                            f"cannot load '{slot}': {path} could not be read "
                            f"({type(exc).__name__})")
        status: Status = "ok"
        notes = [read.note] if read.note else []
        if migration.state is None:
            status = "cannot-resume"
            notes.append(migration.summary)
        elif migration.summary or doc.story_hash != self.story.content_hash:
            status = "changed"
            notes.append(migration.summary or "The story was edited since this save; nothing "
                                              "in this game needs to change.")
        return SlotInfo(slot, doc.label, doc.saved_at, doc.playtime, status,
                        " ".join(notes) or None)

    def _stray(self, filename: str, path: Path) -> SlotInfo:
        """A .json file whose name no slot maps to: named, never loaded."""
        try:
            doc = self._decode(path)
        except (Unreadable, OSError) as exc:
            return SlotInfo(filename, None, None, None, "damaged", f"{path}: {exc}")
        except Exception as exc:  # as in _info
            return SlotInfo(filename, None, None, None, "damaged",
                            f"{path} could not be read ({type(exc).__name__})")
        return SlotInfo(filename, doc.label, doc.saved_at, doc.playtime, "damaged",
                        f"{path} is a save of this story, but its file name is not a usable "
                        "save name; rename it (letters, digits, spaces, '-', '_') to load it")


def _mtime(path: Path) -> float:
    try:
        return os.lstat(path).st_mtime
    except OSError:
        return 0.0


def _label(story: Story, title: str, state: GameState) -> str:
    """The save list's label: the scene's title as the game showed it."""
    if "{" not in title and "}" not in title:
        return title
    from game.engine.engine import shown_title  # only for a title that shows variables

    return shown_title(story, title, state)
