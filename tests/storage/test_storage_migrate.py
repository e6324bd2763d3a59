"""Saves made before the author edited the story: `migrate` and loading through SaveStore.

Each test saves a game in a copy of docs/example, edits the YAML the way an author would
(insert a choice, rename a scene, add a variable, remove a fact...), reloads the story and
loads the save.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from storage_helpers import EXAMPLE, edit, play

from game.engine import Engine, GameState
from game.engine.migrate import migrate
from game.storage.saves import SaveStore, SceneGone
from game.story.files import load_or_raise
from game.story.model import Story

HELLO = ("take_a_deep_breath", "hello")
AT_DESK = ("take_a_deep_breath", "hello", "continue")


def rename_window(folder: Path) -> None:
    edit(folder, "scenes.yaml", "  window:\n", "  window_seat:\n")
    edit(folder, "scenes.yaml", "goto: window\n", "goto: window_seat\n")


def remove_sam_secret(folder: Path) -> None:
    edit(folder, "story.yaml", """  sam_secret:
    title: Sam is nervous too
    text: It was Sam's first day last week. Sam still doesn't know where the stapler lives.
    source: Sam, in confidence
    hint: Be kind to the person by the window.
    chapter: Morning
""", "")
    edit(folder, "scenes.yaml", "      - unlock: [sam_secret]\n", "")
    edit(folder, "playthroughs.yaml", "      facts: [sam_secret]\n", "")


def add_mood(folder: Path) -> None:
    edit(folder, "story.yaml", "  courage: {", "  mood: calm\n  courage: {")


def insert_choice(folder: Path) -> None:
    edit(folder, "scenes.yaml", """    choices:
      - text: Take a deep breath""", """    choices:
      - text: Check your reflection in the door
        goto: lobby
      - text: Take a deep breath""")


def all_viewable(state: GameState, story: Story) -> None:
    """Every state in the history can be shown and played from in the edited story."""
    engine = Engine(story)
    for s in state.history():
        engine.view(s)
        assert set(s.variables) == set(story.variables)
        assert set(s.facts) <= set(story.facts)
        assert set(s.visits) <= set(story.scenes)


def test_an_unchanged_story_returns_the_same_state(story: Story) -> None:
    state = play(story, *AT_DESK)
    migration = migrate(state, story)
    assert migration.state is state
    assert (migration.fallback, migration.changes, migration.summary) == (None, (), "")


def test_save_then_choice_inserted_scene_renamed_variable_added_fact_removed(
        story_dir: Path, tmp_path: Path) -> None:
    old = load_or_raise(story_dir)
    saved = play(old, *AT_DESK)
    assert saved.facts == ("sam_secret",)
    SaveStore(tmp_path / "saves", old).save("mid", saved, playtime=30)
    insert_choice(story_dir)
    rename_window(story_dir)
    add_mood(story_dir)
    remove_sam_secret(story_dir)
    new = load_or_raise(story_dir)
    assert new.content_hash != old.content_hash

    loaded = SaveStore(tmp_path / "saves", new).load("mid")
    assert loaded.message == ("The story has changed: 1 new variable "
                              "('mood'), fact 'sam_secret' removed, 1 undo step dropped (their "
                              "scenes were removed).")
    state = loaded.state
    assert state.scene == "desk"
    assert dict(state.variables) == {"mood": "calm", "courage": 1, "met_sam": True,
                                     "name": "the new hire", "pockets": ("badge",), "luck": 0}
    assert state.facts == ()
    assert state.taken == frozenset({"lobby/take_a_deep_breath"})
    assert loaded.playtime == 30
    all_viewable(state, new)
    # back skips the removed scene: the lobby after the deep breath, then the start
    engine = Engine(new)
    back = engine.back(state)
    assert back is not None and back.scene == "lobby" and back.turn == 1
    assert [c.id for c in engine.choices(back)] == ["check_your_reflection_in_the_door",
                                                     "walk_into_the_kitchen", "hello"]
    first = engine.back(back)
    assert first is not None and first.previous is None and first.turn == 0
    assert [c.id for c in engine.choices(first)][:2] == ["check_your_reflection_in_the_door",
                                                        "take_a_deep_breath"]


def test_an_inserted_choice_does_not_shift_a_saved_once_only_choice(
        story_dir: Path, tmp_path: Path) -> None:
    old = load_or_raise(story_dir)
    SaveStore(tmp_path, old).save("mid", play(old, "take_a_deep_breath"))
    insert_choice(story_dir)
    new = load_or_raise(story_dir)
    loaded = SaveStore(tmp_path, new).load("mid")
    assert loaded.message is not None and "nothing in this game needed to change" in loaded.message
    available = [c.id for c in Engine(new).choices(loaded.state)]
    assert available == ["check_your_reflection_in_the_door", "walk_into_the_kitchen", "hello"]


def test_the_saved_scene_renamed_offers_the_nearest_earlier_place(
        story_dir: Path, tmp_path: Path) -> None:
    old = load_or_raise(story_dir)
    store = SaveStore(tmp_path, old)
    store.save("mid", play(old, *HELLO), playtime=12)
    rename_window(story_dir)
    add_mood(story_dir)
    new = load_or_raise(story_dir)
    with pytest.raises(SceneGone) as caught:
        SaveStore(tmp_path, new).load("mid")
    gone = caught.value
    assert str(gone) == ("The scene you were in ('window') no longer exists; the "
                         "nearest earlier place that does is 'The Lobby', 1 choice back.")
    assert gone.fallback is not None
    assert gone.fallback.scene == "lobby" and gone.fallback.turn == 1
    assert gone.fallback.variables["mood"] == "calm"
    assert gone.playtime == 12 and gone.steps_back == 1
    all_viewable(gone.fallback, new)
    info = SaveStore(tmp_path, new).slots()[0]
    assert (info.name, info.status, info.message) == ("mid", "cannot-resume", str(gone))


def test_nothing_left_of_the_history_means_a_new_game(story: Story) -> None:
    lonely = GameState("gone", {}, {"gone": 1}, frozenset(), ())
    migration = migrate(GameState("also_gone", {}, {}, frozenset(), (), 1, "x", lonely), story)
    assert migration.state is None and migration.fallback is None
    assert migration.summary == ("The scene you were in ('also_gone') no longer "
                                 "exists, and neither does any earlier scene of this game: only "
                                 "a new game is possible.")


def test_type_change_and_removed_once_only_choice(story_dir: Path) -> None:
    old = load_or_raise(story_dir)
    state = play(old, "take_a_deep_breath", "walk_into_the_kitchen")
    edit(story_dir, "story.yaml", '  name: "the new hire"  # text\n', "  name: 7\n")
    edit(story_dir, "scenes.yaml", """      - text: Take a deep breath
        goto: lobby
        effects: [{add: {courage: 1}}]
        once: true
""", "")
    edit(story_dir, "playthroughs.yaml", "      - Take a deep breath\n", "")
    new = load_or_raise(story_dir)
    migration = migrate(state, new)
    assert migration.changes == (
        "variable 'name' reset to the default (type changed)",
        "once-only choice 'lobby/take_a_deep_breath' removed",
    )
    assert migration.state is not None
    assert dict(migration.state.variables) == {"courage": 1, "met_sam": False, "name": 7,
                                               "pockets": ("badge",), "luck": 0}
    assert migration.state.taken == frozenset()
    all_viewable(migration.state, new)


def test_many_changes_are_summarised_in_one_line(story: Story) -> None:
    state = GameState("lobby", {f"v{i}": 1 for i in range(5)}, {"lobby": 1}, frozenset(),
                      ("a", "b", "c", "d", "coffee"))
    migration = migrate(state, story)
    assert migration.changes == (
        "5 new variables ('courage', 'met_sam', 'name' and 2 more)",
        "5 variables removed ('v0', 'v1', 'v2' and 2 more)",
        "4 facts removed ('a', 'b', 'c' and 1 more)",
    )
    assert "\n" not in migration.summary


def test_migrating_twice_changes_nothing_more(story_dir: Path) -> None:
    old = load_or_raise(story_dir)
    state = play(old, *AT_DESK)
    rename_window(story_dir)
    remove_sam_secret(story_dir)
    new = load_or_raise(story_dir)
    once = migrate(state, new)
    assert once.state is not None
    again = migrate(once.state, new)
    assert again.state is once.state and again.summary == ""


OLD = load_or_raise(EXAMPLE)


def _edited(tmp: Path) -> Story:
    shutil.copytree(EXAMPLE, tmp, dirs_exist_ok=True)
    rename_window(tmp)
    remove_sam_secret(tmp)
    add_mood(tmp)
    insert_choice(tmp)
    return load_or_raise(tmp)


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> Story:
    return _edited(tmp_path_factory.mktemp("edited"))


@settings(max_examples=150, deadline=None)
@given(picks=st.lists(st.integers(0, 5), max_size=12))
def test_any_game_fits_the_edited_story_or_offers_a_place_that_does(
        edited: Story, picks: list[int]) -> None:
    engine = Engine(OLD)
    state = engine.start()
    for pick in picks:
        available = engine.choices(state)
        if not available:
            break
        state = engine.take(state, available[pick % len(available)])
    migration = migrate(state, edited)
    result = migration.state or migration.fallback
    assert result is not None  # the lobby always survives
    all_viewable(result, edited)
    assert len(list(result.history())) <= len(list(state.history()))
    if migration.state is None:
        assert migration.steps_back >= 1
        assert migration.summary.startswith("The scene you were in ('window')")
