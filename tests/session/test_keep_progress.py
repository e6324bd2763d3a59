"""Never losing progress: earlier autosaves, asking before the autosave's game is replaced,
the truth about a failed autosave, and a save folder deleted under a running game."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from test_session import played

from game.session import EARLIER, Session
from game.storage.saves import SaveStore
from game.story.files import load_or_raise
from game.story.model import Story


def test_a_new_games_first_choice_keeps_the_game_before_as_an_earlier_autosave(
        example: Story, saves: Path) -> None:
    played(example, saves, "walk_into_the_kitchen", "go_to_your_desk").quit()
    second = played(example, saves, "walk_into_the_kitchen")
    names = [row.name for row in second.slots()]
    assert names == ["autosave", EARLIER[0]]
    earlier = {row.name: row for row in second.slots()}[EARLIER[0]]
    assert earlier.place == example.scenes["desk"].title and earlier.played != "-"
    second.choose("go_to_your_desk")  # the same game goes on: nothing more is kept
    assert [row.name for row in second.slots()] == ["autosave", EARLIER[0]]
    loaded = Session(example, saves).load(EARLIER[0])
    assert loaded.state.scene == "desk"


def test_earlier_autosaves_rotate_three_deep_and_continue_keeps_none(
        example: Story, saves: Path) -> None:
    scenes = []
    for _ in range(5):
        session = played(example, saves, "walk_into_the_kitchen")
        if len(scenes) % 2:
            session.choose("go_to_your_desk")
        scenes.append(session.state.scene if session.state else "")
        session.quit()
    session = Session(example, saves)
    session.continue_game()  # the same game: no new earlier autosave
    rows = {row.name: row for row in session.slots()}
    assert [name for name in rows if name in EARLIER] == list(EARLIER)
    for number, name in enumerate(EARLIER, 2):
        assert rows[name].place == example.scenes[scenes[-number]].title
    assert not (saves / "autosave (previous game).json").exists()  # never in the main list
    assert SaveStore(saves, example).slots()[0].name == "autosave"


def test_an_earlier_autosave_can_be_deleted_and_is_never_a_players_slot(
        example: Story, saves: Path) -> None:
    played(example, saves, "walk_into_the_kitchen").quit()
    session = played(example, saves, "walk_into_the_kitchen")
    assert session.is_automatic(EARLIER[0]) and session.is_automatic("autosave")
    assert not session.is_automatic("kitchen")
    session.delete(EARLIER[0])
    assert [row.name for row in session.slots()] == ["autosave"]


def test_new_game_and_load_ask_only_when_the_autosave_holds_a_game(
        example: Story, saves: Path) -> None:
    fresh = Session(example, saves)
    assert fresh.replace_question() is None  # nothing to lose
    session = played(example, saves, "walk_into_the_kitchen")
    session.save("mine")
    question = session.replace_question()
    assert question is not None and question.startswith("Start a new game?")
    assert example.scenes["kitchen"].title in question and EARLIER[0] in question
    load_question = session.replace_question("mine")
    assert load_question is not None and load_question.startswith("Load 'mine'?")
    assert session.replace_question("autosave") is None  # Continue replaces nothing


def test_the_status_line_tells_the_truth_about_the_last_autosave(
        example: Story, saves: Path, full_disk: Callable[[], None],
        monkeypatch: pytest.MonkeyPatch) -> None:
    session = Session(example, saves)
    session.new_game()
    assert session.status_line() is None  # nothing played yet: nothing to keep
    session.choose("walk_into_the_kitchen")
    assert session.status_line() == "Your game is saved."
    full_disk()
    session.choose("go_to_your_desk")
    line = session.status_line()
    assert line is not None and line.startswith("The last autosave failed")
    assert "not saved" in line
    monkeypatch.undo()
    session.autosave()
    assert session.status_line() == "Your game is saved."


def test_a_deleted_save_folder_gets_its_profile_back_with_the_next_autosave(
        example: Story, saves: Path) -> None:
    session = played(example, saves, "walk_into_the_kitchen")
    found = session.profile.facts
    assert found, "the example's kitchen should unlock a fact"
    shutil.rmtree(saves)
    session.choose("go_to_your_desk")
    assert SaveStore(saves, example).exists("autosave")
    again = Session(example, saves)
    assert found <= again.profile.facts


def test_scenes_read_and_choices_taken_are_remembered_across_playthroughs(
        example: Story, saves: Path) -> None:
    first = played(example, saves)
    assert not first.read_before  # the very first scene, never read
    assert not first.taken_before("walk_into_the_kitchen")
    first.choose("walk_into_the_kitchen")
    first.choose("back_to_the_lobby")
    assert first.read_before  # the lobby again
    again = played(example, saves)  # a new session, a new playthrough
    assert again.read_before and again.taken_before("walk_into_the_kitchen")
    assert not again.taken_before("take_a_deep_breath")


def test_the_gallery_has_found_endings_with_when_and_locked_ones_with_their_hint(
        hinted_story: Path, saves: Path) -> None:
    example = load_or_raise(hinted_story)
    session = played(example, saves, "take_a_deep_breath", "hello", "continue",
                     "have_lunch_with_sam")
    entries = {e.id: e for e in session.gallery()}
    assert entries["friends"].found_at is not None and entries["friends"].found_at > 0
    assert entries["quiet"].found_at is None
    assert entries["quiet"].hint == "Keep to yourself on day one."


def test_chapter_select_starts_again_from_a_chapter_reached_before(
        example: Story, saves: Path) -> None:
    session = played(example, saves)
    chapters = session.chapters()
    assert chapters and chapters[0].slot is not None  # the start is the first chapter's
    later = [c for c in chapters[1:] if c.slot is None]
    assert later or len(chapters) == 1
    session.choose("walk_into_the_kitchen")
    move = Session(example, saves).load(chapters[0].slot)
    assert move.state.scene == example.start
    assert all(not row.name.startswith("chapter") for row in session.slots())


def test_a_made_up_chapter_slot_is_a_clear_error(example: Story, saves: Path) -> None:
    from game.storage.errors import SaveError

    with pytest.raises(SaveError):
        Session(example, saves).load("start of chapter (x)")
