"""Fuzzing the three readers of untrusted files: saves, cache entries and story files.

Bounded and seeded (derandomized, a fixed number of examples, a deadline per example), so
the file runs in seconds and the same inputs every time. Each property: nothing escapes but
the reader's documented error (a save: `Unreadable`; the cache: nothing at all, a bad entry
is a cold load; a story: nothing, only diagnostics), and each input costs bounded time and
memory (tracemalloc's peak).
"""

from __future__ import annotations

import json
import marshal
import shutil
import tempfile
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine import Engine, StoryRuntimeError
from game.storage import savefile
from game.storage.saves import SaveStore
from game.story import cache, cachecodec
from game.story.files import load_or_raise, load_story
from game.story.model import Story

EXAMPLE = Path(__file__).parents[2] / "docs" / "example"
STORY = load_or_raise(EXAMPLE)
PEAK = 32 * 2**20
"""Memory any one input may cost (the largest inputs here are a few kilobytes)."""

FUZZ = settings(max_examples=80, deadline=timedelta(seconds=2), derandomize=True,
                database=None, suppress_health_check=[HealthCheck.too_slow])


@contextmanager
def bounded_memory() -> Iterator[None]:
    tracemalloc.start()
    try:
        yield
        assert tracemalloc.get_traced_memory()[1] < PEAK
    finally:
        tracemalloc.stop()


def _real_save() -> bytes:
    engine = Engine(STORY)
    state = engine.start()
    for choice in ("take_a_deep_breath", "walk_into_the_kitchen", "back_to_the_lobby",
                   "hello"):
        state = engine.choose(state, choice)
    return savefile.encode(STORY.id, STORY.content_hash, state, 1.7e9, 61.0, "By the Window", 200)


SAVE = _real_save()

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-10**30, max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=20)


def mutate_bytes(data: bytes, edits: list[tuple[int, int]], cut: int | None) -> bytes:
    raw = bytearray(data)
    for where, value in edits:
        raw[where % len(raw)] = value
    return bytes(raw[:cut] if cut is not None else raw)


def decode_save(raw: bytes) -> None:
    with bounded_memory():
        try:
            savefile.decode(raw, STORY.id)
        except savefile.Unreadable as exc:
            assert str(exc) and exc.kind in ("damaged", "foreign", "newer")


@FUZZ
@given(st.binary(max_size=2000))
def test_save_decoding_of_any_bytes(raw: bytes) -> None:
    decode_save(raw)


@FUZZ
@given(st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), max_size=8),
       st.none() | st.integers(min_value=0, max_value=len(SAVE)))
def test_save_decoding_of_a_damaged_real_save(edits: list[tuple[int, int]],
                                              cut: int | None) -> None:
    decode_save(mutate_bytes(SAVE, edits, cut))


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(data, list | tuple):
        for i, value in enumerate(data):
            yield from _paths(value, (*prefix, i))


def _replace(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        return {**data, head: _replace(data[head], rest, value)}
    items = list(data)
    items[head] = _replace(items[head], rest, value)
    return tuple(items) if isinstance(data, tuple) else items


SAVE_DATA = json.loads(SAVE)
SAVE_PATHS = list(_paths(SAVE_DATA))


@FUZZ
@given(st.sampled_from(SAVE_PATHS), json_values)
def test_save_decoding_of_a_real_save_with_any_part_replaced(path: tuple[Any, ...],
                                                             value: Any) -> None:
    data = _replace(SAVE_DATA, path, value)
    decode_save(json.dumps(data, allow_nan=True).encode())


@FUZZ
@given(st.sampled_from(SAVE_PATHS), json_values)
def test_the_save_list_judges_any_file_alone(path: tuple[Any, ...], value: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = SaveStore(Path(folder), STORY)
        store.save("good", Engine(STORY).start())
        bad = json.dumps(_replace(SAVE_DATA, path, value), allow_nan=True)
        (Path(folder) / "bad.json").write_text(bad, encoding="utf-8", errors="surrogatepass")
        with bounded_memory():
            listed = {info.name: info.status for info in store.slots()}
        assert listed["good"] == "ok" and set(listed) == {"good", "bad"}


# -- the cache ------------------------------------------------------------------------------

CACHE_ROOT = Path(tempfile.mkdtemp(prefix="offscreen-fuzz-"))


def _honest() -> tuple[Path, bytes, list[Any], list[Any]]:
    root = CACHE_ROOT / "story"
    shutil.copytree(EXAMPLE, root, dirs_exist_ok=True)
    payload = cachecodec.encode(load_story(root))
    size = int.from_bytes(payload[:8], "big")
    head = marshal.loads(payload[8:8 + size])
    blobs, offset = [], 8 + size
    for n in head[4][-1]:
        blobs.append(marshal.loads(payload[offset:offset + n]))
        offset += n
    return root, payload, head, blobs


ROOT, PAYLOAD, HEAD, BLOBS = _honest()
HEAD_PATHS = list(_paths(HEAD))
BLOB_PATHS = [(i, *p) for i, blob in enumerate(BLOBS) for p in _paths(blob)]

marshal_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-10**20, max_value=10**20)
    | st.floats() | st.text(max_size=12) | st.binary(max_size=8)
    | st.sampled_from(["error", "warning", "lobby", "kitchen", "courage", "name", "add",
                       "set", "unlock", "coffee", "not", "and", "+"]),
    lambda inner: st.lists(inner, max_size=5).map(tuple) | st.lists(inner, max_size=3),
    max_leaves=16)


CACHE_DIR = CACHE_ROOT / "cache"
with pytest.MonkeyPatch.context() as _patch:
    _patch.setenv(cache.ENV, str(CACHE_DIR))
    load_story(ROOT, cache=True)  # the honest entry, for its key
    ENTRY = cache.entry_path(ROOT)
KEY = ENTRY.read_bytes()[len(cache.MAGIC):len(cache.MAGIC) + 32]
COLD = load_story(ROOT)


def load_crafted(head: Any, blobs: list[Any], raw_payload: bytes | None = None) -> None:
    """Write an entry with a valid key and checksum: whatever it holds, a warm load gives
    `check`'s verdict of a cold load, every scene can be read, and play never crashes.

    (Equal to a cold load in every detail it cannot be: a flipped byte inside a text is a
    different, well-formed text, which no checksum short of a secret key could tell. The
    structural damage tests in test_cache_crafted.py do compare everything.)
    """
    if raw_payload is None:
        raw_blobs = [marshal.dumps(b, 4) for b in blobs]
        story = head[4] if isinstance(head, tuple) and len(head) == 5 else None
        if isinstance(story, tuple) and len(story) >= 2 and story[-2] == HEAD[4][-2]:
            # the scenes' checksums as the cache writes them, unless they are what is fuzzed:
            # so a changed scene meets the structural checks, not only its checksum
            head = (*head[:4], (*story[:-2], tuple(zlib.crc32(b) for b in raw_blobs),
                                story[-1]), *head[5:])
        raw_head = marshal.dumps(head, 4)
        raw_payload = b"".join([len(raw_head).to_bytes(8, "big"), raw_head, *raw_blobs])
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(cache.ENV, str(CACHE_DIR))
        ENTRY.write_bytes(cache.MAGIC + KEY + zlib.crc32(raw_payload).to_bytes(4, "big")
                          + raw_payload)
        with bounded_memory():
            warm = load_story(ROOT, cache=True)
            assert bool(warm.errors) == bool(COLD.errors)
            assert warm.story is not None
            scenes = warm.story.scenes
            for scene_id in list(scenes):  # may drop the entry and turn cold on the way
                if scene_id in scenes:
                    assert scenes[scene_id].id == scene_id
            consistent(warm.story)
            engine = Engine(warm.story)
            state = engine.start()
            try:
                for step in range(12):
                    choices = engine.choices(state)
                    if not choices:
                        break
                    state = engine.take(state, choices[step % len(choices)])
                    engine.view(state)
            except StoryRuntimeError:
                pass  # a clean, positioned story error: what a bad condition gives in play


def consistent(story: Story) -> None:
    """Everything a scene names exists: what lets a well-formed entry play without a crash."""
    assert story.start in story.scenes
    for scene in story.scenes.values():
        effects = [*scene.on_enter, *(e for c in scene.choices for e in c.effects)]
        for effect in effects:
            assert effect.target in (story.facts if effect.kind == "unlock" else story.variables)
        for choice in scene.choices:
            assert choice.goto in story.scenes
            assert all(name in story.variables for name in choice.text.names)
        assert all(name in story.variables for p in scene.paragraphs for name in p.text.names)
        assert scene.next is None or scene.next in story.scenes


def _sizes_fixed(head: Any, blobs: list[Any]) -> Any:
    """The head with the blob sizes the re-marshalled blobs really have (when it can)."""
    sizes = tuple(len(marshal.dumps(b, 4)) for b in blobs)
    try:
        story = list(head[4])
        story[-1] = sizes
        return (*head[:4], tuple(story))
    except (TypeError, IndexError, KeyError):
        return head


@FUZZ
@given(st.sampled_from(HEAD_PATHS), marshal_values)
def test_cache_entries_with_any_part_of_the_head_replaced(path: tuple[Any, ...],
                                                          value: Any) -> None:
    load_crafted(_replace(_sizes_fixed(HEAD, BLOBS), path, value), BLOBS)


@FUZZ
@given(st.sampled_from(BLOB_PATHS), marshal_values)
def test_cache_entries_with_any_part_of_a_scene_replaced(path: tuple[Any, ...],
                                                         value: Any) -> None:
    blobs = list(BLOBS)
    blobs[path[0]] = _replace(blobs[path[0]], path[1:], value)
    load_crafted(_sizes_fixed(HEAD, blobs), blobs)


@FUZZ
@given(st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), min_size=1,
                max_size=6))
def test_cache_entries_with_bytes_flipped_under_a_valid_checksum(
        edits: list[tuple[int, int]]) -> None:
    load_crafted(None, [], mutate_bytes(PAYLOAD, edits, None))


# -- story files ------------------------------------------------------------------------------

STORY_TEXT = (EXAMPLE / "scenes.yaml").read_text(encoding="utf-8")
HEADER = (EXAMPLE / "story.yaml").read_text(encoding="utf-8")


def read_story(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for name, data in files.items():
            (Path(folder) / name).write_bytes(data)
        with bounded_memory():
            result = load_story(Path(folder))
        assert result.story is not None or result.errors
        for diagnostic in result.diagnostics:
            assert diagnostic.pos.line >= 1 and diagnostic.message


yaml_chars = st.sampled_from(list("abc:-[]{}'\"#&*!|>%@` \n\t,?0123456789.\\\x1b\x00é"))


@FUZZ
@given(st.lists(st.tuples(st.integers(min_value=0), st.text(yaml_chars, max_size=6)),
                max_size=6))
def test_story_reading_of_an_edited_real_story(edits: list[tuple[int, str]]) -> None:
    text = STORY_TEXT
    for where, insert in edits:
        where %= len(text) + 1
        text = text[:where] + insert + text[where + len(insert) // 2:]
    read_story({"story.yaml": HEADER.encode(), "scenes.yaml": text.encode("utf-8",
                                                                          "surrogatepass")})


@FUZZ
@given(st.binary(max_size=600))
def test_story_reading_of_any_bytes(raw: bytes) -> None:
    read_story({"story.yaml": HEADER.encode(), "junk.yaml": raw})


@FUZZ
@given(st.text(yaml_chars, max_size=300))
def test_story_reading_of_any_text(text: str) -> None:
    read_story({"story.yaml": HEADER.encode(), "scenes.yaml": STORY_TEXT.encode(),
                "more.yaml": text.encode()})


def test_fuzz_helpers_really_change_things() -> None:
    """The properties above would pass vacuously if replacing did nothing."""
    assert _replace({"a": [1, 2]}, ("a", 1), 9) == {"a": [1, 9]}
    assert _replace((1, (2, 3)), (1, 0), "x") == (1, ("x", 3))
    assert len(HEAD_PATHS) > 50 and len(BLOB_PATHS) > 200 and len(SAVE_PATHS) > 30
    changed: Callable[[bytes], bool] = lambda raw: raw != PAYLOAD  # noqa: E731
    assert changed(mutate_bytes(PAYLOAD, [(100, PAYLOAD[100] ^ 1)], None))
