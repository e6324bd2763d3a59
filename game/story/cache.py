"""The compiled-story cache: a checked story saved as plain data, so the next start is instant.

Reading and checking 80 Days-sized YAML takes about a second; reading the same story back
from this cache takes a few milliseconds, so `offscreen play` and `offscreen check` only pay
the full price after an edit. The rules that make that safe:

- **Keyed by content.** The key is a hash of every story file's path and bytes (plus this
  cache's format, the Python version, the YAML loader in use and the source of the code that
  reads stories), so editing, adding or removing any file, or upgrading the game, misses.
  Hashing ~9 MB costs a few milliseconds, which is the price of never trusting timestamps.
- **Data only.** Entries are `marshal`led tuples of strings, numbers and booleans, never
  pickle: nothing in the file is ever called or evaluated. Conditions are stored as their
  syntax trees and compiled again on load (into our closures, not Python code).
- **Never trusted blindly.** A checksum covers the payload; a file that is truncated,
  corrupt, from another format version or another Python is ignored and rebuilt. Writing
  is temp-file-and-rename, and any error while reading or writing just means a cold load.
- **The checked result.** Diagnostics are cached with the story, so `offscreen check`
  prints exactly the same thing warm or cold.
- **Outside the story folder.** In the platform's cache folder (`OFFSCREEN_CACHE` overrides
  it), one entry per story folder, so authors never see or commit it.

Scenes are decoded lazily, on first access: a player entering a 10,000-scene story builds
the few scenes they visit, not all of them. Everything else (variables, facts, endings,
playthroughs, diagnostics) is decoded up front because it is small.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import zlib
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from game import safeio
from game.story import cachesign
from game.story.cachecodec import FORMAT, decode_head, encode
from game.story.cachedscenes import CachedScenes, FileBlobs
from game.story.folder import MAX_FILE_BYTES, LoadResult, display_path, story_files
from game.story.model import (
    Story,
)

if TYPE_CHECKING:
    from game.story.scene import Scene

MAGIC = b"offscreen-story-cache\n"
_HEADER = len(MAGIC) + 32 + 4  # magic, key (sha256), crc32 of the payload
ENV = "OFFSCREEN_CACHE"
KEEP = 32
"""Entries kept per cache folder; the least recently written go (stories come and go)."""
MAX_ENTRY_BYTES = 256 * 2**20
"""The largest entry read: a 10,000-scene story's is ~12 MB."""

def cache_dir() -> Path:
    """`OFFSCREEN_CACHE` when set (tests point it at a temp folder), else the user cache."""
    override = os.environ.get(ENV)
    if override:
        return Path(override)
    from game import paths  # only without the override: every import is paid by a warm start

    return paths.user_cache_dir() / "stories"


def entry_path(root: Path) -> Path:
    """One entry per story folder, named by a hash of its absolute path."""
    name = hashlib.sha256(os.fsencode(os.path.abspath(root))).hexdigest()[:32]
    return cache_dir() / f"{name}.story"


class Lookup:
    """What `get` found for a story folder, to hand back to `put` after a cold load.

    A plain slotted class, as `_Opened` and `cachecheck.Context` are: this module is first
    imported by a warm load, and making a frozen slotted dataclass costs ~0.7 ms each.
    """

    __slots__ = ("entry", "key", "result", "root")

    def __init__(self, entry: Path | None, key: bytes | None, root: Path,
                 result: LoadResult | None) -> None:
        self.entry = entry
        """The folder's entry; None when there is nothing to key on (a missing or empty
        folder)."""
        self.key = key
        """The key of the files as they were when looked up; None if one could not be read."""
        self.root = root
        self.result = result
        """The cached result, when the entry was intact and had that key."""


def get(root: Path, cold: Callable[[Path], LoadResult]) -> Lookup:
    """The cached result of loading the story at root, if there is a valid one.

    `cold` loads the folder from its files (the caller's: this module never imports the
    loader); a cached story calls it if a scene blob turns out malformed in play.
    """
    story_paths = _story_paths(root)
    if not story_paths:  # nothing to key on: always cold, never stored
        return Lookup(None, None, root, None)
    entry = entry_path(root)
    key, cached = _key_and_entry(root, story_paths, entry)
    if key is None or cached is None:
        return Lookup(entry, key, root, None)
    story = cached.story
    if story is not None and isinstance(story.scenes, CachedScenes):
        story.scenes.fallback = lambda: _go_cold(root, entry, story, cold)
    return Lookup(entry, key, root, cached)


def put(found: Lookup, result: LoadResult) -> None:
    """Save a cold load's result for next time, under the key `get` found; only if no file
    changed while it was loading, so that the key matches what was read."""
    if found.entry is None or found.key is None:
        return
    if _key(found.root, _story_paths(found.root)) != found.key:
        return
    with contextlib.suppress(OSError):
        _write(found.entry, found.key, encode(result))
        _prune(found.entry.parent)


PARALLEL_FROM = 1 << 20
"""Stories whose entry has at least this many bytes are hashed on two threads (see below)."""


def _key_and_entry(root: Path, story_paths: list[Path],
                   entry: Path) -> tuple[bytes | None, LoadResult | None]:
    """The key of the story as it is now, and the entry's result if it has that key.

    The two are independent until the very end (the entry is found by the folder's path, and
    only its header's key must match), so for a big story a second thread starts hashing the
    files while this one reads the entry and verifies its signature, then helps it hash the
    rest (each file is hashed on its own, `_key`; file reads, hashlib and hmac release the
    GIL). The entry is decoded only once the key is known and equal: decoding is Python,
    holding the GIL, and a thread that needs the GIL back after each read and hash waits out
    the interpreter's switch interval (5 ms) every time, so hashing beside a decode made no
    progress (the 10,000-scene story: ~5 ms of decoding held ~9 ms of hashing back by ~7).
    """
    try:  # the entry's size tells a big story (one stat, not one a story file)
        size = os.stat(entry).st_size
    except OSError:
        size = 0  # no entry: only the key is wanted, for `put` after a cold load
    if size < PARALLEL_FROM:
        key = _key(root, story_paths)
        return key, None if key is None else _read(entry, key)
    import _thread  # threading's own primitive: importing threading is 0.7 ms of a warm start

    files = _FileDigests(story_paths)
    failed: list[BaseException] = []
    hashing = _thread.allocate_lock()
    hashing.acquire()  # released when the other thread is done

    def hash_files() -> None:
        try:
            _code_fingerprint()  # cached for `_key` below
            files.work()
        except BaseException as exc:  # handed to this thread, like an error of its own
            failed.append(exc)
        finally:
            hashing.release()

    _thread.start_new_thread(hash_files, ())
    found = None
    try:
        found = _open_entry(entry)
        files.work()  # the files the other thread has not taken yet
    finally:
        hashing.acquire()  # joined: it touches nothing once it has released the lock
    if failed:  # the same crash handling as any error of the main thread
        if found is not None:
            found.close()
        raise failed[0]
    key = _key(root, story_paths, files)
    if found is None or key is None or found.stored != key:
        if found is not None:
            found.close()
        return key, None
    return key, found.decode()


class _FileDigests:
    """Each story file's part of the key, `display path NUL length NUL sha256(bytes)`, taken
    from one list by as many threads as call `work` (None for a file that cannot be read)."""

    __slots__ = ("_jobs", "digests")

    def __init__(self, story_paths: list[Path]) -> None:
        self.digests: list[bytes | None] = [None] * len(story_paths)
        self._jobs = iter(enumerate(story_paths))  # next() on it is atomic under the GIL

    def work(self) -> None:
        for i, path in self._jobs:
            try:  # a FIFO or a device is refused, a file over the limit before it is hashed
                data = safeio.read_limited(path, MAX_FILE_BYTES)
            except OSError:
                continue
            # The display path is in the key because diagnostics quote it (relative to the
            # working directory); the length keeps one file's end from posing as the next's.
            self.digests[i] = (b"%s\0%d\0" % (os.fsencode(display_path(path)), len(data))
                               + hashlib.sha256(data).digest())


def _story_paths(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    if root.is_dir():
        return story_files(root)
    return []


def loader_name() -> str:
    """The YAML loader a cold load would use (it changes syntax-error wording, so it is part
    of the key), found without importing PyYAML: a warm start never needs it."""
    yamlsrc = sys.modules.get("game.story.yamlsrc")
    if yamlsrc is not None:  # already imported (and maybe swapped by a test or benchmark)
        return str(yamlsrc.LOADER.__name__)
    import importlib.util

    spec = importlib.util.find_spec("yaml")  # a top-level package: found, not imported
    folders = spec.submodule_search_locations if spec else None
    with_libyaml = any(name.startswith("_yaml.") for folder in folders or ()
                       for name in os.listdir(folder))
    return "_CLoader" if with_libyaml else "PyLoader"


@lru_cache(maxsize=1)
def _code_fingerprint() -> bytes:
    """The source of the modules that turn YAML into a checked story: editing any of them
    (a new lint rule, say) must invalidate every cached result."""
    digest = hashlib.sha256()
    folder = os.path.dirname(os.path.realpath(__file__))
    names: list[str] = []
    for here, subfolders, files in os.walk(folder):  # the expression package's modules too
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        inside = os.path.relpath(here, folder).replace(os.sep, "/")
        names.extend(name if inside == "." else f"{inside}/{name}"
                     for name in files if name.endswith(".py"))
    # os.walk and open, not Path.rglob and read_bytes: this runs at every warm start, on the
    # hashing thread the start waits for, and pathlib took 0.8 of its 1.3 ms.
    for name in sorted(names, key=lambda name: name.split("/")):  # as Path sorts them
        with contextlib.suppress(OSError), open(os.path.join(folder, name), "rb") as source:
            text = source.read()
            digest.update(name.encode() + b"\0")
            digest.update(text)
            digest.update(b"\0")
    return digest.digest()


def _key(root: Path, story_paths: list[Path],
         files: _FileDigests | None = None) -> bytes | None:
    """sha256 over everything the result depends on; None when a file cannot be read.

    Each file is hashed on its own (`_FileDigests`, already done when given) and the key
    hashes those, so that two threads can share the files of a big story."""
    if files is None:
        files = _FileDigests(story_paths)
        files.work()
    digest = hashlib.sha256()
    digest.update(b"%d\0%s\0%s\0" % (FORMAT, sys.implementation.cache_tag.encode(),
                                     loader_name().encode()))
    digest.update(_code_fingerprint())
    for part in files.digests:
        if part is None:
            return None
        digest.update(part)
    return digest.digest()


def _go_cold(root: Path, entry: Path, story: Story,
             cold_load: Callable[[Path], LoadResult]) -> Mapping[str, Scene]:
    """A scene blob was malformed, so the entry was not what `encode` wrote: forget it (the
    next start rebuilds it) and make the running story the cold load's, whole. Its scenes
    are returned for `CachedScenes` to serve from now on; every other field is set on the
    story in place (it is shared by the engine and the front end), because the entry's head,
    though well-formed, may differ from the files too, and cold scenes beside a head they
    do not match could name facts or variables the story lacks."""
    with contextlib.suppress(OSError):
        entry.unlink()
    cold = cold_load(root).story
    if cold is None:  # the files were edited into errors since the start: nothing to serve
        return {}
    from dataclasses import fields

    for f in fields(Story):
        if f.name != "scenes":
            object.__setattr__(story, f.name, getattr(cold, f.name))
    return cold.scenes


# -- the file ---------------------------------------------------------------------------------

def _read(entry: Path, key: bytes) -> LoadResult | None:
    found = _open_entry(entry, key)
    return None if found is None else found.decode()


class _Opened:
    """An entry read as far as it needs to be before decoding: its checksum verified (if
    read whole) or its head's signature (if its blobs are left in the file)."""

    __slots__ = ("blobs", "head", "stored", "trusted")

    def __init__(self, stored: bytes, head: bytes | memoryview, blobs: memoryview | FileBlobs,
                 trusted: bool) -> None:
        self.stored = stored
        """The key it was stored under."""
        self.head = head
        self.blobs = blobs
        self.trusted = trusted
        """The head is signed by this user's game (`cachesign`): it is not walked."""

    def decode(self) -> LoadResult | None:
        try:
            # marshal, not pickle: it rebuilds plain values and cannot name a callable to run.
            return decode_head(self.head, self.blobs, self.trusted)
        except _WRONG_SHAPE:
            self.close()
            return None  # well-formed marshal of the wrong shape: treat as corrupt

    def close(self) -> None:
        if isinstance(self.blobs, FileBlobs):
            self.blobs.close()


_WRONG_SHAPE = (ValueError, TypeError, IndexError, KeyError, EOFError, AttributeError,
                RecursionError, OverflowError)
"""What decoding well-formed marshal data of the wrong shape raises: a corrupt entry."""


def _open_entry(entry: Path, key: bytes | None = None) -> _Opened | None:
    """The entry, if it is intact (and stored under `key`, when given: an entry stored under
    another key is not read further, the cheap early exit).

    Only the header and the head are read first: if the head is signed (`cachesign`), the
    scene blobs are left in the file and read as their scenes are decoded (`FileBlobs`);
    any other entry is read whole and checksummed (and its head walked when decoded).
    """
    try:
        fd, st = safeio.open_regular(entry, follow=False)
    except OSError:
        return None
    kept = False
    try:
        if st.st_size > MAX_ENTRY_BYTES:
            return None
        start = _read_exactly(fd, _HEADER + 8)
        if start is None or not start.startswith(MAGIC):
            return None
        stored = start[len(MAGIC):len(MAGIC) + 32]
        if key is not None and stored != key:
            return None
        size = int.from_bytes(start[_HEADER:], "big")
        end = _HEADER + 8 + size
        head = _read_exactly(fd, size) if end <= st.st_size else None
        if head is None:
            return None
        if hasattr(os, "pread") and cachesign.trusted(entry, start[len(MAGIC):] + head):
            kept = True  # the blobs own the descriptor now
            return _Opened(stored, head, FileBlobs(fd, end, st.st_size - end), True)
    except OSError:
        return None
    finally:
        if not kept:
            os.close(fd)
    try:  # not signed by this user's game: read it whole, then checksum it
        data = safeio.read_limited(entry, MAX_ENTRY_BYTES, follow=False)
    except OSError:
        return None
    stored = data[len(MAGIC):len(MAGIC) + 32]
    if len(data) < _HEADER or not data.startswith(MAGIC) or (key is not None and stored != key):
        return None
    payload = memoryview(data)[_HEADER:]
    if zlib.crc32(payload).to_bytes(4, "big") != data[_HEADER - 4:_HEADER]:
        return None
    size = int.from_bytes(payload[:8], "big")
    if not 8 < 8 + size <= len(payload):
        return None
    return _Opened(stored, payload[8:8 + size], payload[8 + size:], False)


def _read_exactly(fd: int, size: int) -> bytes | None:
    """The next `size` bytes of fd, or None if the file ends first."""
    data = os.read(fd, size)
    while len(data) < size:
        more = os.read(fd, size - len(data))
        if not more:
            return None
        data += more
    return data


def _write(entry: Path, key: bytes, payload: bytes) -> None:
    entry.parent.mkdir(parents=True, exist_ok=True)
    import tempfile  # only on a miss; it costs milliseconds to import

    fd, tmp = tempfile.mkstemp(prefix=f".{entry.name}.", suffix=".tmp", dir=entry.parent)
    try:
        header = MAGIC + key + zlib.crc32(payload).to_bytes(4, "big")
        with os.fdopen(fd, "wb") as handle:
            handle.write(header)
            handle.write(payload)
        os.replace(tmp, entry)  # readers see the old entry or the new one, never half
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    head = int.from_bytes(payload[:8], "big")
    cachesign.sign(entry, header[len(MAGIC):] + payload[:8 + head])


def _prune(folder: Path) -> None:
    """Keep the newest KEEP entries: every story folder ever loaded (temporary ones too)
    would otherwise leave an entry behind forever."""
    entries = sorted(folder.glob("*.story"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        old.unlink(missing_ok=True)
    for signature in folder.glob(f"*.story{cachesign.SUFFIX}"):
        if not signature.with_suffix("").exists():
            signature.unlink(missing_ok=True)
