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
import marshal
import os
import sys
import zlib
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from game import safeio
from game.story import cachecheck, cachesign
from game.story.cachedscenes import CachedScenes, FileBlobs
from game.story.construct import fast_constructor
from game.story.diagnostics import Diagnostic, Related
from game.story.folder import MAX_FILE_BYTES, LoadResult, display_path, story_files
from game.story.model import (
    Ending,
    Expectation,
    Fact,
    Playthrough,
    Pos,
    Step,
    Story,
    Variable,
    new_pos,
)

if TYPE_CHECKING:
    from game.story import expr
    from game.story.scene import Condition, Effect, Part, Scene, Template

FORMAT = 11
"""Bump whenever the encoding below changes; older entries are then ignored and rebuilt."""
MAGIC = b"offscreen-story-cache\n"
_MARSHAL_VERSION = 4
_HEADER = len(MAGIC) + 32 + 4  # magic, key (sha256), crc32 of the payload
ENV = "OFFSCREEN_CACHE"
KEEP = 32
"""Entries kept per cache folder; the least recently written go (stories come and go)."""
MAX_ENTRY_BYTES = 256 * 2**20
"""The largest entry read: a 10,000-scene story's is ~12 MB."""

Encoded = tuple[Any, ...]


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


# -- encoding: model -> tuples ------------------------------------------------------------------

class _Encoder:
    """Positions become (file index, line, col), with file names listed once."""

    def __init__(self, files: tuple[str, ...]) -> None:
        self.files = list(files)
        self.index = {name: i for i, name in enumerate(files)}

    def pos(self, pos: Pos) -> Encoded:
        i = self.index.get(pos.file)
        if i is None:
            i = self.index[pos.file] = len(self.files)
            self.files.append(pos.file)
        return (i, pos.line, pos.col)

    def condition(self, c: Condition | None) -> Encoded | None:
        return None if c is None else (c.source, _node(c.node), self.pos(c.pos))

    def effects(self, effects: tuple[Effect, ...]) -> Encoded:
        """(kind, target, value, pos), and for a compute its expression as a condition."""
        return tuple((e.kind, e.target, e.value, self.pos(e.pos)) if e.expression is None
                     else (e.kind, e.target, e.value, self.pos(e.pos),
                           self.condition(e.expression)) for e in effects)

    def text(self, t: Template) -> Encoded:
        """A Template's parts as they are (v1 text: strings only); a variation (format v2)
        becomes (kind, salt, source, condition, items), each item encoded the same way."""
        return t.parts if all(type(p) is str for p in t.parts) else self.parts(t.parts)

    def parts(self, parts: tuple[Part, ...]) -> Encoded:
        return tuple(p if type(p) is str else (
            p.kind, p.salt, p.source, self.condition(p.condition),  # type: ignore[union-attr]
            tuple(self.parts(item) for item in p.items))  # type: ignore[union-attr]
            for p in parts)

    def ending(self, e: Ending | None) -> Encoded | None:
        return None if e is None else (e.id, e.title, self.pos(e.pos), e.scene, e.hint)

    def scene(self, s: Scene) -> bytes:
        data = (
            s.id, s.title, s.chapter,
            tuple((self.text(p.text), self.condition(p.condition), self.pos(p.pos))
                  for p in s.paragraphs),
            self.effects(s.on_enter),
            tuple((c.id, self.text(c.text), c.goto, self.condition(c.condition),
                   self.effects(c.effects), c.once, self.pos(c.pos), self.pos(c.goto_pos),
                   c.is_continue, self.condition(c.enabled),
                   None if c.reason is None else self.text(c.reason), c.call, c.then, c.returns)
                  for c in s.choices),
            s.next, self.ending(s.ending), self.pos(s.pos), s.returns,
        )
        return marshal.dumps(data, _MARSHAL_VERSION)

    def expectation(self, e: Expectation | None) -> Encoded | None:
        if e is None:
            return None
        return (e.scene, e.ending, e.facts, tuple(e.variables.items()), self.pos(e.pos))

    def story(self, story: Story) -> Encoded:
        return (
            story.id, story.title, story.subtitle, story.start, story.content_hash,
            self.pos(story.pos),
            tuple((v.name, v.default, self.pos(v.pos), v.items, v.lo, v.hi)
                  for v in story.variables.values()),
            tuple((f.id, f.title, f.text, f.source, f.hint, f.chapter, self.pos(f.pos))
                  for f in story.facts.values()),
            tuple(self.ending(e) for e in story.endings.values()),
            tuple((p.name, tuple((s.choose, self.expectation(s.expect), self.pos(s.pos))
                                 for s in p.steps), self.expectation(p.expect),
                   self.pos(p.pos)) for p in story.playthroughs.values()),
            tuple(story.scenes),
        )


def _node(tree: expr.Node) -> Encoded:
    """A condition tree as a flat tuple of node records, children before their parent (the
    walker's bottom-up order), so that rebuilding it is one loop over a stack."""
    from game.story import expr  # loaded already: encoding follows a cold load

    records: list[Encoded] = []
    for n in expr.walk(tree, bottom_up=True):
        match n:
            case expr.Literal(value=value, offset=offset):
                records.append((0, value, offset))
            case expr.Var(name=name, offset=offset):
                records.append((1, name, offset))
            case expr.Call(func=func, arg=arg, arg_offset=arg_offset, offset=offset):
                records.append((2, func, arg, arg_offset, offset))
            case expr.Unary(op=op, offset=offset):
                records.append((3, op, offset))
            case expr.Binary(op=op, offset=offset):
                records.append((4, op, offset))
            case expr.Apply(func=func, args=args, offset=offset):
                records.append((5, func, len(args), offset))
    return tuple(records)


def encode(result: LoadResult) -> bytes:
    """A load result as the entry's payload: an 8-byte length, the marshalled head (nested
    tuples of plain values, with each scene's blob length), then the scenes' blobs.

    The blobs stay outside the head so that reading an entry back never copies them: a
    10,000-scene story's ~11 MB are sliced from the bytes already read, one scene at a time.
    """
    enc = _Encoder(result.files)
    blobs: list[bytes] = []
    story = None
    if result.story is not None:
        blobs = [enc.scene(scene) for scene in result.story.scenes.values()]
        story = (*enc.story(result.story), tuple(zlib.crc32(blob) for blob in blobs),
                 tuple(len(blob) for blob in blobs))
    diagnostics = tuple((enc.pos(d.pos), d.severity, d.message, d.code,
                         tuple((enc.pos(r.pos), r.note) for r in d.related))
                        for d in result.diagnostics)
    head = marshal.dumps((FORMAT, result.files, tuple(enc.files), diagnostics, story),
                         _MARSHAL_VERSION)
    return b"".join([len(head).to_bytes(8, "big"), head, *blobs])


# -- decoding: tuples -> model ------------------------------------------------------------------

_new_fact = fast_constructor(Fact, ("id", "title", "text", "source", "hint", "chapter", "pos"))
"""`Fact(...)` at half the cost (`construct`): a big story's head holds hundreds."""


class _Decoder:
    def __init__(self, files: tuple[str, ...],
                 context: cachecheck.Context | None = None) -> None:
        self.files = files
        self.compiled: dict[str, tuple[expr.Node, expr.Evaluator]] = {}
        self.context = context
        """What the head declared, to check each scene against as it is decoded."""

    def pos(self, data: Encoded) -> Pos:
        i, line, col = data
        return new_pos(self.files[i], line, col)

    def condition(self, data: Encoded | None) -> Condition | None:
        if data is None:
            return None
        from game.story.scene import Condition  # scenes are decoded after start-up

        source, node_data, pos = data
        known = self.compiled.get(source)
        if known is None:
            from game.story import expr  # on the first scene decoded, not at start-up

            node = cachecheck.tree(node_data, expr)  # checked before this scene was
            known = self.compiled[source] = (node, expr.compile_expr(node))
        return Condition(source, known[0], self.pos(pos), known[1])

    def parts(self, data: Encoded) -> tuple[Part, ...]:
        """The inverse of `_Encoder.text` (checked by `cachecheck._template` already)."""
        if all(type(p) is str for p in data):
            return data
        from game.story.scene import Variation

        return tuple(p if type(p) is str else Variation(
            p[0], tuple(self.parts(item) for item in p[4]), self.condition(p[3]), p[1], p[2])
            for p in data)

    def effects(self, data: Encoded) -> tuple[Effect, ...]:
        from game.story.scene import Effect

        return tuple(Effect(kind, target, value, self.pos(pos)) if not computed
                     else Effect(kind, target, value, self.pos(pos),
                                 self.condition(computed[0]))
                     for kind, target, value, pos, *computed in data)

    def ending(self, data: Encoded | None) -> Ending | None:
        if data is None:
            return None
        ending_id, title, pos, scene, hint = data
        return Ending(ending_id, title, self.pos(pos), scene, hint)

    def scene(self, blob: bytes | memoryview) -> Scene:
        from game.story.scene import Scene, new_choice, new_paragraph, new_template

        data = cachecheck.loads(blob)  # part of the checksummed payload
        if self.context is not None:
            cachecheck.scene(data, data[0] if type(data) is tuple and data else "",
                             self.context)
        (scene_id, title, chapter, paragraphs, on_enter, choices, next_id, ending,
         pos, returns) = data
        return Scene(
            scene_id, title, chapter,
            tuple(new_paragraph(new_template(self.parts(parts)), self.condition(cond),
                                self.pos(p))
                  for parts, cond, p in paragraphs),
            self.effects(on_enter),
            tuple(new_choice(choice_id, new_template(self.parts(parts)), goto,
                             self.condition(cond),
                             self.effects(effects), once, self.pos(p),
                             self.pos(goto_pos), is_continue, self.condition(enabled),
                             None if reason is None else new_template(self.parts(reason)),
                             call, then, back)
                  for (choice_id, parts, goto, cond, effects, once, p, goto_pos, is_continue,
                       enabled, reason, call, then, back) in choices),
            next_id, self.ending(ending), self.pos(pos), returns,
        )

    def expectation(self, data: Encoded | None) -> Expectation | None:
        if data is None:
            return None
        scene, ending, facts, variables, pos = data
        return Expectation(scene, ending, tuple(facts), MappingProxyType(dict(variables)),
                           self.pos(pos))

    def story(self, data: Encoded, files: tuple[str, ...],
              blobs: memoryview | FileBlobs) -> Story:
        (story_id, title, subtitle, start, content_hash, pos, variables, facts, endings,
         playthroughs, scene_ids, blob_crcs, blob_sizes) = data
        if (len(scene_ids) != len(blob_sizes) or len(blob_crcs) != len(blob_sizes)
                or sum(blob_sizes) != len(blobs)):
            raise ValueError("scene blobs do not add up")
        decoded_endings = [self.ending(e) for e in endings]
        return Story(
            id=story_id, title=title, subtitle=subtitle, start=start,
            variables=MappingProxyType({name: Variable(name, default, self.pos(p), items, lo,
                                                       hi)
                                        for name, default, p, items, lo, hi in variables}),
            facts=MappingProxyType({
                fact_id: _new_fact(fact_id, fact_title, text, source, hint, chapter,
                                   self.pos(p))
                for fact_id, fact_title, text, source, hint, chapter, p in facts}),
            scenes=CachedScenes(scene_ids, blob_sizes, blob_crcs, blobs, self.scene),
            endings=MappingProxyType({e.id: e for e in decoded_endings if e is not None}),
            playthroughs=MappingProxyType({
                name: Playthrough(name, tuple(Step(choose, self.expectation(expect),
                                                   self.pos(p)) for choose, expect, p in steps),
                                  self.expectation(expect), self.pos(p))
                for name, steps, expect, p in playthroughs}),
            files=files, content_hash=content_hash, pos=self.pos(pos),
        )


def decode(payload: memoryview, trusted: bool = False) -> LoadResult:
    """The inverse of `encode`; raises ValueError/TypeError/... on data of the wrong shape.
    `trusted`: the head carries this user's signature (`cachesign`), so it is not walked."""
    size = int.from_bytes(payload[:8], "big")
    if not 8 < 8 + size <= len(payload):
        raise ValueError("head size out of range")
    return decode_head(payload[8:8 + size], payload[8 + size:], trusted)


def decode_head(raw: bytes | memoryview, blobs: memoryview | FileBlobs,
                trusted: bool = False) -> LoadResult:
    """The result from the marshalled head and the scene blobs (`decode`'s two halves)."""
    if trusted:
        head = marshal.loads(raw)  # noqa: S302 - signed by this user's game
        context = None  # read off the head below, with the scenes' own index as their ids
    else:
        head = cachecheck.loads(raw)  # counts checked before marshal's
        context = cachecheck.head(head)  # Malformed (a ValueError): what cold would not give
    version, files, pos_files, diagnostics, story = head
    if version != FORMAT:
        raise ValueError(f"cache format {version!r}")
    dec = _Decoder(tuple(pos_files), context)
    decoded = None if story is None else dec.story(story, tuple(files), blobs)
    if trusted and decoded is not None:
        assert isinstance(decoded.scenes, CachedScenes)
        dec.context = cachecheck.trusted_context(head, decoded.scenes.ids)
    return LoadResult(
        decoded,
        tuple(Diagnostic(dec.pos(p), severity, message, code,
                         tuple(Related(dec.pos(where), note) for where, note in related))
              for p, severity, message, code, related in diagnostics),
        tuple(files),
    )
