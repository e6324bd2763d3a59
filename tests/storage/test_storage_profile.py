"""The profile: unlocks kept across games, settings, and damaged files set aside, not lost."""

from __future__ import annotations

import errno
import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from storage_helpers import edit, play

from game.engine import Engine
from game.storage.profile import Profile, ProfileStore, Replay, Settings
from game.story.files import load_or_raise
from game.story.model import Story


def test_a_fresh_profile(tmp_path: Path, story: Story) -> None:
    store = ProfileStore(tmp_path, story)
    assert store.load() == Profile(frozenset(), frozenset(), Settings())
    assert Settings() == Settings("textual-dark", 60, True)
    assert store.warning is None
    assert not store.path.exists()  # nothing written until there is something to keep


def test_unlocks_survive_back_restart_and_a_new_session(tmp_path: Path, story: Story) -> None:
    store = ProfileStore(tmp_path, story)
    store.load()
    engine = Engine(story)
    state = play(story, "walk_into_the_kitchen")
    profile = store.record(state, story)
    assert profile.facts == {"coffee"}
    back = engine.back(state)
    assert back is not None
    assert store.record(back, story).facts == {"coffee"}  # undo never takes a fact away
    ending = play(story, "take_a_deep_breath", "hello", "continue", "have_lunch_with_sam")
    recorded = store.record(ending, story)
    assert replace(recorded, replay=Replay()) == Profile(
        frozenset({"coffee", "sam_secret"}), frozenset({"friends"}), Settings())
    assert store.record(engine.start(), story).endings == {"friends"}
    again = ProfileStore(tmp_path, story).load()
    assert again == recorded  # the replay memory (scenes, choices, ending times) too
    assert {"kitchen", "lobby", "lunch"} <= again.replay.seen  # each state recorded
    assert "desk/have_lunch_with_sam" in again.replay.taken
    assert [e for e, _ in again.replay.ended] == ["friends"]
    assert store.path.name == "profile.first-day.json"


def test_nothing_new_means_no_write(tmp_path: Path, story: Story,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    store = ProfileStore(tmp_path, story)
    store.load()
    store.record(play(story, "walk_into_the_kitchen"), story)
    writes: list[Any] = []
    monkeypatch.setattr("game.storage.atomic.write_atomic", lambda *a: writes.append(a))
    store.record(play(story, "walk_into_the_kitchen"), story)  # the same again: nothing new
    assert writes == []


def test_settings_round_trip_and_keep_the_unlocks(tmp_path: Path, story: Story) -> None:
    store = ProfileStore(tmp_path, story)
    store.load()
    store.record(play(story, "walk_into_the_kitchen"), story)
    chosen = Settings(theme="textual-light", text_speed=0, confirm_quit=False)
    assert store.save_settings(chosen).settings == chosen
    loaded = ProfileStore(tmp_path, story).load()
    assert loaded.settings == chosen and loaded.facts == {"coffee"}


def test_two_games_at_once_both_keep_their_unlocks(tmp_path: Path, story: Story) -> None:
    one, two = ProfileStore(tmp_path, story), ProfileStore(tmp_path, story)
    one.load()
    two.load()
    one.record(play(story, "walk_into_the_kitchen"), story)
    two.record(play(story, "take_a_deep_breath", "hello"), story)
    assert ProfileStore(tmp_path, story).load().facts == {"coffee", "sam_secret"}
    assert one.save_settings(Settings(text_speed=10)).facts == {"coffee", "sam_secret"}


def test_a_removed_fact_is_hidden_but_kept_for_if_it_returns(
        story_dir: Path, tmp_path: Path) -> None:
    old = load_or_raise(story_dir)
    store = ProfileStore(tmp_path, old)
    store.record(play(old, "take_a_deep_breath", "hello"), old)
    edit(story_dir, "story.yaml", "  sam_secret:\n", "  sams_secret:\n")
    edit(story_dir, "scenes.yaml", "unlock: [sam_secret]", "unlock: [sams_secret]")
    edit(story_dir, "playthroughs.yaml", "facts: [sam_secret]", "facts: [sams_secret]")
    new = load_or_raise(story_dir)
    edited = ProfileStore(tmp_path, new)
    assert edited.load().facts == frozenset()
    edited.record(play(new, "walk_into_the_kitchen"), new)
    assert json.loads(edited.path.read_text())["facts"] == ["coffee", "sam_secret"]


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "it is empty"),
    (b'{"format": "offscreen-profile", "ver', "it is not valid JSON"),
    (b"\xff\xfe", "it is not valid JSON"),
    (b'{"hello": 1}', "it is not an Off Screen profile"),
    (b'{"format": "offscreen-profile", "version": 0}', "its format version 0 is not valid"),
    (b'{"format": "offscreen-profile", "version": 1, "story": "other"}',
     "it belongs to another story ('other')"),
    (b'{"format": "offscreen-profile", "version": 1, "story": "first-day", "facts": "coffee"}',
     "its 'facts' is not a list of ids"),
])
def test_a_damaged_profile_is_moved_aside_and_replaced(
        tmp_path: Path, story: Story, content: bytes, reason: str) -> None:
    store = ProfileStore(tmp_path, story)
    store.path.write_bytes(content)
    assert store.load() == Profile()
    aside = tmp_path / "profile.first-day.json.damaged"
    assert store.warning == (f"Your profile {store.path} was damaged ({reason}); it was kept "
                             "as profile.first-day.json.damaged and a fresh profile started.")
    assert aside.read_bytes() == content  # never destroyed
    store.record(play(story, "walk_into_the_kitchen"), story)
    assert ProfileStore(tmp_path, story).load().facts == {"coffee"}
    assert aside.read_bytes() == content


def test_a_profile_from_a_newer_game_is_left_alone(tmp_path: Path, story: Story) -> None:
    store = ProfileStore(tmp_path, story)
    newer = b'{"format": "offscreen-profile", "version": 2, "whatever": true}'
    store.path.write_bytes(newer)
    assert store.load() == Profile()
    assert store.warning is not None and "newer version" in store.warning
    assert store.record(play(story, "walk_into_the_kitchen"), story).facts == {"coffee"}
    assert store.path.read_bytes() == newer


def test_bad_settings_fall_back_one_by_one(tmp_path: Path, story: Story) -> None:
    store = ProfileStore(tmp_path, story)
    store.path.write_text(json.dumps({
        "format": "offscreen-profile", "version": 1, "story": "first-day", "facts": ["coffee"],
        "endings": [], "settings": {"theme": "nord", "text_speed": -5, "confirm_quit": "yes",
                                    "future_setting": 1}}))
    profile = store.load()
    assert profile.settings == Settings(theme="nord")
    assert profile.facts == {"coffee"}
    assert store.warning is None


def test_a_profile_that_cannot_be_written_warns_and_keeps_going(
        tmp_path: Path, story: Story, monkeypatch: pytest.MonkeyPatch) -> None:
    # As root, chmod cannot make the folder read-only, so the kernel's answer is simulated.
    store = ProfileStore(tmp_path, story)
    store.load()

    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    profile = store.record(play(story, "walk_into_the_kitchen"), story)
    assert profile.facts == {"coffee"}
    assert store.warning == (f"Your profile could not be saved to {store.path} (the disk is "
                             "full); this session's unlocks are kept in memory only.")
    assert not store.path.exists()


def test_a_write_reads_the_file_back_only_when_another_game_wrote_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The replay memory grows at nearly every choice; reading back a file only this store
    wrote since would cost as much as the write, for nothing."""
    import sys

    sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
    import gen_story

    from game.storage import profile as profile_module

    gen_story.generate_loop(tmp_path / "ring", scenes=40)
    ring = load_or_raise(tmp_path / "ring")
    store = ProfileStore(tmp_path / "saves", ring)
    store.load()
    reads: list[Path] = []
    real = profile_module.safeio.read_limited

    def counted(path: Path, limit: int, *, follow: bool = True) -> bytes:
        reads.append(path)
        return real(path, limit, follow=follow)

    monkeypatch.setattr(profile_module.safeio, "read_limited", counted)
    engine = Engine(ring)
    state = engine.start()
    for _ in range(30):
        state = engine.take(state, engine.choices(state)[0])
        store.record(state, ring)
    assert reads == [store.path]  # the first write looks for a file (none yet), then never
    reads.clear()
    other = ProfileStore(tmp_path / "saves", ring)
    other.load()
    other.save_settings(Settings(text_speed=7))  # another game writes: read and merged
    reads.clear()
    state = engine.take(state, engine.choices(state)[0])
    store.record(state, ring)
    assert reads == [store.path]  # changed by another game: read back and merged
    data = json.loads(store.path.read_text())
    assert data["settings"]["text_speed"] == 7
    assert data["seen"] == sorted(data["seen"]) and len(data["seen"]) == 31
    assert data["taken"] == sorted(data["taken"]) and len(data["taken"]) == 31


def test_an_ending_title_is_kept_as_first_read_and_read_leniently(tmp_path: Path,
                                                                  story: Story) -> None:
    store = ProfileStore(tmp_path, story)
    store.load()
    ending = play(story, "take_a_deep_breath", "hello", "continue", "have_lunch_with_sam")
    assert store.record(ending, story, "Lunch, day 1").replay.titles == (
        ("friends", "Lunch, day 1"),)
    assert store.record(ending, story, "Lunch, day 2").replay.titles == (
        ("friends", "Lunch, day 1"),)  # the first reading stays
    again = ProfileStore(tmp_path, story).load()
    assert again.ending_title(story.endings["friends"]) == "Lunch, day 1"
    data = json.loads(store.path.read_text())
    for bad in (5, ["friends"], {"friends": 3}):
        data["titles"] = bad
        store.path.write_text(json.dumps(data))
        read = ProfileStore(tmp_path, story).load()
        assert read.replay.titles == () and read.endings == {"friends"}
        assert read.ending_title(story.endings["friends"]) == story.endings["friends"].title
