"""The Session: the UI's one door to the engine and the stores (no terminal needed)."""

from __future__ import annotations

from pathlib import Path

from game.story.model import Story
from game.ui.session import Progress, Session


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


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


def test_every_move_and_undo_is_autosaved(example: Story, saves: Path) -> None:
    session = Session(example, saves)
    assert not session.has_autosave()
    session.new_game()
    assert session.has_autosave()
    session.choose("walk_into_the_kitchen")
    assert session.saves.load("autosave").state.scene == "kitchen"
    assert session.back() is not None
    assert session.saves.load("autosave").state.scene == "lobby"
    assert session.back() is None  # the first scene: nothing to undo


def test_playtime_counts_from_the_save_it_was_loaded_from(example: Story, saves: Path) -> None:
    clock = Clock()
    session = Session(example, saves, clock=clock)
    session.new_game()
    clock.now += 30
    assert session.playtime() == 30
    session.save("slot")
    clock.now += 1000
    later = Session(example, saves, clock=clock)
    loaded = later.load("slot")
    assert loaded.playtime == 30
    clock.now += 5
    assert later.playtime() == 35


def test_progress_counts_facts_and_endings(example: Story, saves: Path) -> None:
    session = Session(example, saves)
    assert session.progress() == Progress(0, 2, 0, 2)
    session.new_game()
    for choice in ("take_a_deep_breath", "hello", "continue", "have_lunch_with_sam"):
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


def test_save_reports_the_stores_notice(example: Story, saves: Path) -> None:
    session = Session(example, saves)
    session.new_game()
    (saves / "spot.json").write_text("garbage")
    notice = session.save("spot")
    assert notice is not None and "damaged" in notice
    assert session.save("spot") is None
