"""The Session: every front end's one door to the engine and the stores (no terminal needed).

These are the rules the Textual app and plain mode share: the autosave policy, new game,
back, load, the fallback offer, live reload, profile recording, progress and the playtime.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from game.session import Progress, Session
from game.storage.errors import SaveError, SceneGone
from game.storage.names import QUICKSAVE
from game.storage.profile import ProfileStore
from game.storage.saves import SaveStore
from game.story.files import load_or_raise
from game.story.model import Story

TO_THE_WINDOW = ("take_a_deep_breath", "hello")
TO_AN_ENDING = (*TO_THE_WINDOW, "continue", "have_lunch_with_sam")


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def autosaved(story: Story, saves: Path) -> str | None:
    """The scene in the autosave, as the next game would load it; None without one."""
    store = SaveStore(saves, story)
    return store.load("autosave").state.scene if store.exists("autosave") else None


def played(story: Story, saves: Path, *choices: str) -> Session:
    session = Session(story, saves)
    session.new_game()
    for choice in choices:
        session.choose(choice)
    return session


def cut_the_window(story_copy: Path) -> Story:
    """The example with the window scene renamed: saves made there lose their scene."""
    path = story_copy / "scenes.yaml"
    path.write_text(path.read_text().replace("  window:\n", "  window_seat:\n")
                    .replace("goto: window\n", "goto: window_seat\n"))
    return load_or_raise(story_copy)


def nothing_in_common(tmp_path: Path) -> Story:
    """A story with the example's id and not one of its scenes: no save of it survives."""
    folder = tmp_path / "other"
    folder.mkdir()
    (folder / "story.yaml").write_text(
        "story: {id: first-day, title: Other, start: elsewhere}\n"
        "scenes:\n  elsewhere:\n    title: Elsewhere\n    text: Hi.\n"
        "    ending: {id: done, title: Done}\n")
    return load_or_raise(folder)


# -- moves and the profile -------------------------------------------------------------


def test_moves_report_new_facts_and_whether_the_journal_had_them(
        example: Story, saves: Path) -> None:
    session = Session(example, saves)
    start = session.new_game()
    assert start.new_facts == () and start.autosave_error is None
    move = session.choose("walk_into_the_kitchen")
    assert [f.id for f in move.new_facts] == ["coffee"]
    assert move.first_time == {"coffee"}
    assert session.profile.facts == {"coffee"}
    session.new_game()
    again = session.choose("walk_into_the_kitchen")
    assert [f.id for f in again.new_facts] == ["coffee"] and again.first_time == frozenset()


def test_facts_and_endings_stay_in_the_profile_whatever_happens_next(
        example: Story, saves: Path) -> None:
    session = played(example, saves, *TO_AN_ENDING)
    assert session.is_over()
    back = session.back()
    assert back is not None and back.new_facts == ()  # going back announces nothing
    assert not session.is_over()
    session.new_game()
    assert session.profile.facts == {"sam_secret"}
    assert session.profile.endings == {"friends"}
    on_disk = ProfileStore(saves, example).load()
    assert on_disk.facts == {"sam_secret"} and on_disk.endings == {"friends"}
    assert session.found_before == {"sam_secret"}  # what this new game found before it began


def test_progress_counts_facts_and_endings(example: Story, saves: Path) -> None:
    session = Session(example, saves)
    assert session.progress() == Progress(0, 2, 0, 2)
    for choice in TO_AN_ENDING:
        if session.state is None:
            session.new_game()
        session.choose(choice)
    progress = session.progress()
    assert progress == Progress(1, 2, 1, 2)
    assert progress.percent == 50
    assert Progress(0, 0, 0, 0).percent == 100


def test_a_profile_warning_is_given_once(example: Story, saves: Path) -> None:
    (saves / "profile.first-day.json").write_text("[]")
    session = Session(example, saves)
    warning = session.profile_warning()
    assert warning is not None and "damaged" in warning
    assert session.profile_warning() is None


def test_back_undoes_and_does_nothing_at_the_start(example: Story, saves: Path) -> None:
    session = played(example, saves, "take_a_deep_breath")
    move = session.back()
    assert move is not None and move.state.scene == "lobby"
    assert move.state.variables["courage"] == 0
    assert session.back() is None  # the first scene: nothing to undo
    assert session.state is move.state


def test_history_lists_each_scene_with_the_choice_that_left_it(
        example: Story, saves: Path) -> None:
    assert Session(example, saves).history() == []
    session = played(example, saves, "walk_into_the_kitchen")
    history = session.history()
    assert [entry.scene for entry in history] == ["lobby", "kitchen"]
    assert history[0].picked == "Walk into the kitchen"
    assert history[1].picked is None
    assert history[1].view is not None and history[1].view.title == "The Kitchen"


# -- the autosave policy ---------------------------------------------------------------


def test_a_new_game_is_autosaved_from_its_first_choice(example: Story, saves: Path) -> None:
    session = Session(example, saves)
    session.new_game()
    assert not session.in_autosave and not session.has_autosave()
    assert session.quit() is None
    assert not session.has_autosave()  # opened and left at once: nothing written
    session.choose("walk_into_the_kitchen")
    assert session.in_autosave and autosaved(example, saves) == "kitchen"


def test_every_choice_and_undo_is_autosaved(example: Story, saves: Path) -> None:
    session = played(example, saves, "walk_into_the_kitchen")
    assert autosaved(example, saves) == "kitchen"
    session.choose("go_to_your_desk")
    assert autosaved(example, saves) == "desk"
    session.back()
    assert autosaved(example, saves) == "kitchen"


def test_a_new_game_left_at_once_keeps_yesterdays_autosave(
        example: Story, saves: Path) -> None:
    played(example, saves, "walk_into_the_kitchen").quit()
    today = Session(example, saves)
    today.new_game()
    assert today.has_autosave() and not today.in_autosave
    today.quit()
    assert autosaved(example, saves) == "kitchen"
    again = played(example, saves, "walk_into_the_kitchen")
    again.new_game()  # restarting mid-game: the game before stays in the autosave too
    again.quit()
    assert autosaved(example, saves) == "kitchen"


def test_a_load_is_autosaved_at_once_and_quitting_brings_its_playtime_up_to_date(
        example: Story, saves: Path) -> None:
    clock = Clock()
    session = Session(example, saves, clock=clock)
    session.new_game()
    session.choose("walk_into_the_kitchen")
    session.save("kitchen")
    session.choose("go_to_your_desk")
    session.quit()  # the later game starts after this one ended (not beside it: autosave-2)
    later = Session(example, saves, clock=clock)
    later.load("kitchen")
    assert later.in_autosave and autosaved(example, saves) == "kitchen"
    clock.now += 90
    assert later.quit() is None
    assert SaveStore(saves, example).load("autosave").playtime == 90
    continued = Session(example, saves)
    assert continued.continue_game().state.scene == "kitchen"


def test_a_failing_autosave_is_reported_and_the_game_goes_on(
        example: Story, saves: Path, full_disk: Callable[[], None],
        monkeypatch: pytest.MonkeyPatch) -> None:
    session = played(example, saves, "walk_into_the_kitchen")
    full_disk()
    move = session.choose("go_to_your_desk")
    assert move.autosave_error is not None and "the disk is full" in move.autosave_error
    assert session.last_autosave_error == move.autosave_error
    assert session.state is not None and session.state.scene == "desk"
    monkeypatch.undo()
    assert session.quit() is None and session.last_autosave_error is None
    assert autosaved(example, saves) == "desk"


def test_a_damaged_autosave_is_moved_aside_and_the_move_says_so(
        example: Story, saves: Path) -> None:
    (saves / "autosave.first-day.json").write_text("junk")
    move = played(example, saves).choose("walk_into_the_kitchen")
    assert move.autosave_error is None
    assert move.autosave_notice is not None and "damaged" in move.autosave_notice
    assert (saves / "autosave.first-day.json.damaged").read_text() == "junk"


# -- saves -----------------------------------------------------------------------------


def test_playtime_counts_from_the_save_it_was_loaded_from(example: Story, saves: Path) -> None:
    clock = Clock()
    session = Session(example, saves, clock=clock)
    session.new_game()
    clock.now += 30
    assert session.playtime() == 30
    session.save("slot")
    clock.now += 1000
    later = Session(example, saves, clock=clock)
    later.load("slot")
    clock.now += 5
    assert later.playtime() == 35


def test_save_reports_where_and_the_stores_notice(example: Story, saves: Path) -> None:
    session = played(example, saves)
    (saves / "spot.json").write_text("garbage")
    saved = session.save("spot")
    assert saved.path == saves / "spot.json"
    assert saved.notice is not None and "damaged" in saved.notice
    assert session.save("spot").notice is None


def test_slots_quicksave_and_delete(example: Story, saves: Path) -> None:
    session = played(example, saves, "walk_into_the_kitchen")
    assert not session.has_quicksave()
    session.save(QUICKSAVE)
    session.save("mine")
    assert session.has_quicksave()
    listed = {slot.name: slot for slot in session.slots()}
    assert set(listed) == {"autosave", "quicksave", "mine"}
    assert listed["mine"].place == "The Kitchen" and listed["mine"].status_word == "ok"
    session.delete("mine")
    assert "mine" not in {slot.name for slot in session.slots()}
    with pytest.raises(SaveError):
        session.delete("mine")


def test_a_failed_load_leaves_the_game_as_it_was(example: Story, saves: Path) -> None:
    session = played(example, saves, "walk_into_the_kitchen")
    state = session.state
    (saves / "junk.json").write_text("{")
    with pytest.raises(SaveError):
        session.load("junk")
    with pytest.raises(SaveError):
        session.load("missing")
    assert session.state is state and session.offer is None


def test_a_load_after_a_story_edit_carries_a_note(
        example: Story, saves: Path, story_copy: Path) -> None:
    played(example, saves, "walk_into_the_kitchen").save("old")
    path = story_copy / "scenes.yaml"
    path.write_text(path.read_text().replace("gurgles like a swamp", "gurgles, edited"))
    move = Session(load_or_raise(story_copy), saves).load("old")
    assert move.note is not None and "edited" in move.note
    assert move.new_facts == ()  # a load announces nothing as found


# -- the fallback offer ------------------------------------------------------------------


def test_a_save_whose_scene_is_gone_offers_the_nearest_place(
        example: Story, saves: Path, story_copy: Path) -> None:
    played(example, saves, *TO_THE_WINDOW).save("mid")
    edited = cut_the_window(story_copy)
    session = Session(edited, saves)
    session.new_game()
    start = session.state
    with pytest.raises(SceneGone) as gone:
        session.load("mid")
    offer = session.offer
    assert offer is not None and offer.title == "The Lobby"
    assert offer.problem == str(gone.value) and "no longer exists" in offer.problem
    assert session.state is start  # nothing changes until the player answers
    session.decline_offer()
    assert session.offer is None and session.state is start
    with pytest.raises(SceneGone):
        session.load("mid")
    move = session.accept_offer()
    assert move.state.scene == "lobby" and move.state.variables["courage"] == 1
    assert session.offer is None and session.in_autosave
    assert autosaved(edited, saves) == "lobby"


def test_no_offer_when_nothing_of_the_save_survived(example: Story, saves: Path,
                                                    tmp_path: Path) -> None:
    played(example, saves, "walk_into_the_kitchen").save("gone")
    session = Session(nothing_in_common(tmp_path), saves)
    with pytest.raises(SceneGone):
        session.load("gone")
    assert session.offer is None


# -- live reload -------------------------------------------------------------------------


def test_reload_keeps_the_players_place_and_history(
        example: Story, saves: Path, story_copy: Path) -> None:
    session = played(example, saves, "take_a_deep_breath", "walk_into_the_kitchen")
    path = story_copy / "scenes.yaml"
    path.write_text(path.read_text().replace("like a swamp", "like an old kettle"))
    summary = session.reload(load_or_raise(story_copy))
    assert summary == "The story was reloaded; you are where you were."
    assert session.state is not None and session.state.scene == "kitchen"
    assert session.state.variables["courage"] == 1
    assert "like an old kettle" in session.view().paragraphs[0]
    back = session.back()
    assert back is not None and back.state.scene == "lobby"


def test_reload_moves_the_player_off_a_cut_scene(
        example: Story, saves: Path, story_copy: Path) -> None:
    session = played(example, saves, *TO_THE_WINDOW)
    summary = session.reload(cut_the_window(story_copy))
    assert summary.endswith("Resumed at 'The Lobby'.")
    assert session.state is not None and session.state.scene == "lobby"
    assert autosaved(session.story, saves) == "lobby"


def test_reload_with_nothing_left_or_no_game(example: Story, saves: Path,
                                             tmp_path: Path) -> None:
    edited = nothing_in_common(tmp_path)
    idle = Session(example, saves)
    assert idle.reload(edited) == "The story was reloaded."
    assert idle.story is edited and idle.state is None
    session = played(example, saves, "walk_into_the_kitchen")
    summary = session.reload(edited)
    assert summary.endswith("Your place is gone: start a new game from the title screen.")
    assert session.state is None and not session.in_autosave


def test_reload_of_a_game_not_yet_autosaved_writes_nothing(
        example: Story, saves: Path, story_copy: Path) -> None:
    session = played(example, saves)
    session.reload(load_or_raise(story_copy))
    assert not session.has_autosave()


@pytest.mark.parametrize("name", ["autosave", "AutoSave", " AUTOSAVE ", "autosave-2"])
def test_a_player_cannot_save_into_any_autosave_however_it_is_spelled(
        example: Story, saves: Path, name: str) -> None:
    session = played(example, saves, "walk_into_the_kitchen")
    session.flush()

    def files() -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in saves.iterdir() if p.is_file()}

    before = files()
    problem = session.slot_problem(name)
    assert problem is not None and "written by the game itself" in problem
    with pytest.raises(SaveError, match="written by the game itself"):
        session.save(name)
    assert files() == before  # nothing written, the autosave untouched
    assert session.slot_problem("before the kitchen") is None
    assert session.slot_problem("../x") is not None  # the storage rules come first
