"""A cached story's scenes, decoded one by one from the entry's blobs as they are asked for.

`game/story/cache.py` reads an entry's head at start-up and hands the scene blobs (slices of
the bytes it read, never copied) to `CachedScenes`, so a player entering a 10,000-scene
story builds the few scenes they visit, not all of them. An entry whose head carries this
user's signature is not even read whole: its blobs stay in the file (`FileBlobs`), and each
is read when its scene is first decoded.
"""

from __future__ import annotations

import os
import weakref
import zlib
from collections.abc import Callable, ItemsView, Iterator, Mapping, ValuesView
from itertools import accumulate
from typing import TYPE_CHECKING, ClassVar

from game.story.cachecheck import Malformed

if TYPE_CHECKING:
    from game.story.scene import Scene

__all__ = ["CachedScenes", "FileBlobs"]


class FileBlobs:
    """An entry's scene blobs left in the file: each read (`os.pread`) when it is sliced.

    Reading a 10,000-scene entry whole at start copied ~11 MB a game start never looks at
    (~5 ms of a ~13 ms warm load, and as much resident memory). The descriptor is kept open,
    so the blobs are the very file whose head was read and verified, even if the entry is
    replaced (written again, after an edit) or removed meanwhile. What is read is checked
    as any blob is (its CRC-32 in the signed head, then its shape): a file damaged in place
    since, or one that cannot be read, is `Malformed`, and the story turns cold.

    At most `LIMIT` entries stay open in a process (a test run, `play --dev` reloading): a
    further one reads the oldest one's blobs into memory (as every entry used to be) and
    closes it. The descriptor is closed when the blobs are collected, read whole, or the
    story goes cold.
    """

    __slots__ = ("__weakref__", "_data", "_failed", "_fd", "_length", "_offset")
    LIMIT = 8
    _alive: ClassVar[list[weakref.ref[FileBlobs]]] = []
    """Every instance alive, oldest first. One leaves it only when it is collected (its
    weakref's callback, `_forget`), never during a load: a load frees nothing that was there
    before it (`load_story` leaves the collector's state alone, tests/test_collector.py)."""

    def __init__(self, fd: int, offset: int, length: int) -> None:
        """Takes over `fd` (closes it); the blobs are its `length` bytes from `offset`."""
        self._fd, self._offset, self._length = fd, offset, length
        self._data: memoryview | None = None
        self._failed: str | None = None
        reading = [blobs for ref in FileBlobs._alive
                   if (blobs := ref()) is not None and blobs.reading]
        for oldest in reading[:max(0, len(reading) + 1 - self.LIMIT)]:
            oldest.load()
        FileBlobs._alive.append(weakref.ref(self, _forget))

    @property
    def reading(self) -> bool:
        """Still reading from the file (neither read whole nor closed)."""
        return self._fd >= 0

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, where: slice) -> bytes | memoryview:
        start, stop = where.start, where.stop
        if self._data is not None:
            return self._data[start:stop]
        if self._failed is not None or self._fd < 0:
            raise Malformed(self._failed or "the entry was closed")
        return self._read(start, stop - start)

    def _read(self, start: int, size: int) -> bytes:
        try:
            data = os.pread(self._fd, size, self._offset + start)
        except OSError as exc:
            raise Malformed(f"the entry cannot be read ({exc.strerror})") from None
        if len(data) != size:
            raise Malformed("the entry is shorter than its head says")
        return data

    def load(self) -> None:
        """Read every blob into memory and close the file; never raises (a failure is
        remembered, and every later slice is `Malformed`)."""
        if self._data is None and self._failed is None and self._fd >= 0:
            try:
                self._data = memoryview(self._read(0, self._length))
            except Malformed as exc:
                self._failed = str(exc)
        self.close()

    def close(self, _close: Callable[[int], None] = os.close) -> None:
        """Close the file (once); `os.close` is bound here, so that closing from `__del__`
        still works while the interpreter is tearing modules down at exit."""
        if self._fd >= 0:
            fd, self._fd = self._fd, -1
            try:  # noqa: SIM105 - no contextlib lookup at interpreter exit
                _close(fd)
            except OSError:
                pass

    def __del__(self) -> None:
        self.close()


def _forget(ref: weakref.ref[FileBlobs],
            alive: list[weakref.ref[FileBlobs]] = FileBlobs._alive) -> None:
    """A collected FileBlobs leaves the list (the list bound here: this may run while the
    interpreter is tearing modules down at exit)."""
    try:  # noqa: SIM105 - no contextlib lookup at interpreter exit
        alive.remove(ref)
    except ValueError:
        pass


class CachedScenes(Mapping[str, "Scene"]):
    """A story's scenes, each decoded from its blob the first time it is asked for.

    Behaves as the read-only mapping a cold load gives (same ids, same order, equal
    scenes); only the moment each Scene is built differs. The blobs are slices of the entry
    as it was read (and checksummed), never copied, or read from its file (`FileBlobs`).
    """

    __slots__ = ("_blobs", "_cold", "_crcs", "_decode", "_index", "_offsets", "_scenes", "fallback")

    def __init__(self, scene_ids: tuple[str, ...], blob_sizes: tuple[int, ...],
                 blob_crcs: tuple[int, ...], blobs: memoryview | FileBlobs,
                 decode_scene: Callable[[bytes | memoryview], Scene]) -> None:
        self._index = dict(zip(scene_ids, range(len(scene_ids)), strict=True))
        self._offsets = [0, *accumulate(blob_sizes)]
        self._crcs = blob_crcs
        """Each blob's CRC-32: a torn or bit-flipped scene is found when it is decoded."""
        self._blobs = blobs
        self._decode = decode_scene
        self._scenes: dict[str, Scene] = {}
        self.fallback: Callable[[], Mapping[str, Scene]] | None = None
        """Makes the story a cold load's and gives its scenes, for when a blob turns out
        malformed (set by `load`); then every access goes to those."""
        self._cold: Mapping[str, Scene] | None = None

    def __getitem__(self, scene_id: str) -> Scene:
        if self._cold is not None:
            return self._cold[scene_id]
        scene = self._scenes.get(scene_id)
        if scene is None:
            i = self._index[scene_id]
            try:
                blob = self._blobs[self._offsets[i]:self._offsets[i + 1]]
                if zlib.crc32(blob) != self._crcs[i]:
                    raise Malformed(f"scene '{scene_id}' is damaged (its checksum differs)")
                scene = self._decode(blob)
                if scene.id != scene_id:
                    raise Malformed(f"scene '{scene_id}' holds another scene")
            except (ValueError, TypeError, IndexError, KeyError, EOFError, AttributeError,
                    RecursionError, OverflowError):
                if self.fallback is None:
                    raise
                self._cold = self.fallback()  # the entry is dropped: from now on, a cold load
                self._scenes = {}
                if isinstance(self._blobs, FileBlobs):
                    self._blobs.close()
                return self._cold[scene_id]
            self._scenes[scene_id] = scene
        return scene

    @property
    def ids(self) -> Mapping[str, int]:
        """The entry's scene ids (each to its blob's index), to check scenes' references
        against; the entry's own, whatever a fallback to a cold load made of the story."""
        return self._index

    def decode_all(self) -> dict[str, Scene]:
        """Every scene, in story order; the collector is paused while ~30 objects a scene are
        made (with it running, a full pass over 10,000 scenes costs three times as much)."""
        if self._cold is None and len(self._scenes) < len(self._index):
            if isinstance(self._blobs, FileBlobs):
                self._blobs.load()  # one read of them all, not one a scene
            from game import collector  # a full pass, not a warm start, needs it

            with collector.paused(freeze=True):  # they live as long as the story
                scenes = {}
                for scene_id in self._index:
                    scenes[scene_id] = self[scene_id]
                    if self._cold is not None:
                        break
                else:
                    self._scenes = scenes
        return dict(self._cold) if self._cold is not None else self._scenes

    def values(self) -> ValuesView[Scene]:
        return self.decode_all().values()

    def items(self) -> ItemsView[str, Scene]:
        return self.decode_all().items()

    def _ids(self) -> Mapping[str, object]:
        return self._cold if self._cold is not None else self._index

    def __contains__(self, scene_id: object) -> bool:
        return scene_id in self._ids()

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids())

    def __len__(self) -> int:
        return len(self._ids())

    def __repr__(self) -> str:
        return f"<{len(self._index)} cached scenes, {len(self._scenes)} decoded>"
