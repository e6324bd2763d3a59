"""Writes off the UI thread: the same files, in order, the newest autosave winning, and
every verb that reads the files waiting for the writes first."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from game.session import EARLIER, Session
from game.storage.errors import SaveError
from game.storage.profile import ProfileStore
from game.storage.saves import SaveStore
from game.story.model import Story
from game.writer import Writer


def test_the_writer_runs_jobs_in_order_and_a_waiting_keyed_job_is_replaced() -> None:
    writer = Writer()
    done: list[str] = []
    gate = threading.Event()
    writer.submit(lambda: (gate.wait(5), done.append("first")))  # holds the thread
    writer.submit(lambda: done.append("autosave 1"), "autosave")
    writer.submit(lambda: done.append("profile"), "profile")
    writer.submit(lambda: done.append("autosave 2"), "autosave")  # replaces autosave 1
    gate.set()
    writer.flush()
    assert done == ["first", "autosave 2", "profile"]


def test_a_failing_job_does_not_stop_the_ones_after_it() -> None:
    writer = Writer()
    done: list[str] = []

    def broken() -> None:
        raise ValueError("a bug")

    writer.submit(broken)
    writer.submit(lambda: done.append("after"))
    writer.flush()
    assert done == ["after"] and isinstance(writer.failure, ValueError)


def test_background_autosaves_land_as_the_same_files(example: Story, saves: Path) -> None:
    session = Session(example, saves, background=True)
    session.new_game()
    move = session.choose("walk_into_the_kitchen")
    assert move.autosave_error is None
    session.choose("go_to_your_desk")
    session.flush()
    assert SaveStore(saves, example).load("autosave").state.scene == "desk"
    assert "coffee" in ProfileStore(saves, example).load().facts
    again = Session(example, saves, background=True)
    again.new_game()
    again.choose("walk_into_the_kitchen")
    assert EARLIER[0] in [row.name for row in again.slots()]  # slots() waits for the writes
    assert again.quit() is None


def test_a_background_autosave_failure_is_reported_and_quit_tells_the_truth(
        example: Story, saves: Path, full_disk: Callable[[], None],
        monkeypatch: pytest.MonkeyPatch) -> None:
    reports: list[tuple[str | None, str | None]] = []
    session = Session(example, saves, background=True)
    session.on_report = lambda error, notice: reports.append((error, notice))
    session.new_game()
    session.choose("walk_into_the_kitchen")
    full_disk()
    session.choose("go_to_your_desk")
    session.flush()
    assert reports[-1][0] is not None and "disk is full" in reports[-1][0]
    error = session.quit()
    assert error is not None and session.status_line() is not None
    monkeypatch.undo()
    assert session.quit() is None and session.status_line() == "Your game is saved."


def test_a_choice_does_not_wait_for_a_slow_disk(
        example: Story, saves: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import game.storage.atomic as atomic

    slow = atomic.write_atomic
    disk_free = threading.Event()  # the disk answers only when the test says so
    disk_free.set()

    def sluggish(*args: object, **kwargs: object) -> None:
        assert disk_free.wait(timeout=60)
        slow(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(atomic, "write_atomic", sluggish)
    session = Session(example, saves, background=True)
    session.new_game()
    session.flush()  # the player reads the first scene meanwhile: its writes are done
    disk_free.clear()  # from here every write hangs until released
    session.choose("walk_into_the_kitchen")  # returns although no write can finish
    assert session.state is not None and session.state.scene == "kitchen"
    try:
        written: str | None = SaveStore(saves, example).load("autosave").state.scene
    except SaveError:  # a new game's first autosave comes with its first choice
        written = None
    assert written != "kitchen"  # the autosave is still queued behind the hung disk
    disk_free.set()
    session.flush()
    assert SaveStore(saves, example).load("autosave").state.scene == "kitchen"
