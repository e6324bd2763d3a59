"""A cached story's scenes, decoded one by one from the entry's blobs as they are asked for.

`game/story/cache.py` reads an entry's head at start-up and hands the scene blobs (slices of
the bytes it read, never copied) to `CachedScenes`, so a player entering a 10,000-scene
story builds the few scenes they visit, not all of them.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, ItemsView, Iterator, Mapping, ValuesView
from itertools import accumulate
from typing import TYPE_CHECKING

from game import collector
from game.story.cachecheck import Malformed

if TYPE_CHECKING:
    from game.story.scene import Scene

__all__ = ["CachedScenes"]


class CachedScenes(Mapping[str, "Scene"]):
    """A story's scenes, each decoded from its blob the first time it is asked for.

    Behaves as the read-only mapping a cold load gives (same ids, same order, equal
    scenes); only the moment each Scene is built differs. The blobs are slices of the entry
    as it was read (and checksummed), never copied.
    """

    __slots__ = ("_blobs", "_cold", "_crcs", "_decode", "_index", "_offsets", "_scenes", "fallback")

    def __init__(self, scene_ids: tuple[str, ...], blob_sizes: tuple[int, ...],
                 blob_crcs: tuple[int, ...], blobs: memoryview,
                 decode_scene: Callable[[memoryview], Scene]) -> None:
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
            blob = self._blobs[self._offsets[i]:self._offsets[i + 1]]
            try:
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
                return self._cold[scene_id]
            self._scenes[scene_id] = scene
        return scene

    def decode_all(self) -> dict[str, Scene]:
        """Every scene, in story order; the collector is paused while ~30 objects a scene are
        made (with it running, a full pass over 10,000 scenes costs three times as much)."""
        if self._cold is None and len(self._scenes) < len(self._index):
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
