"""SVG snapshots of the main screens at 80x24 and 120x40 (animations and toasts off).

Regenerate after an intended change with `pytest tests/ui --snapshot-update`, look at the
report, and commit `__snapshots__/`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE, MakeApp, load
from textual.pilot import Pilot

from game.engine import Engine
from game.storage.saves import SaveStore

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
SAVED_AT = 1_700_000_000.0  # 2023-11-14 22:13 UTC

Snap = Callable[..., bool]


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Save dates are shown in local time; pin it so the snapshots match anywhere."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def keys(*pressed: str) -> Callable[[Pilot[Any]], Any]:
    async def run(pilot: Pilot[Any]) -> None:
        for key in pressed:
            await pilot.press(key)
            await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.pause()

    return run


@pytest.mark.parametrize("size", SIZES)
def test_title_snapshot(snap_compare: Snap, make_app: MakeApp, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=keys())


@pytest.mark.parametrize("size", SIZES)
def test_play_snapshot(snap_compare: Snap, make_app: MakeApp, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=keys("enter", "1"))


def test_play_locked_snapshot(snap_compare: Snap, make_app: MakeApp) -> None:
    """Locked choices (format v2's `enabled`): dimmed, numbered, with their reasons."""
    locked = Path(__file__).parents[1] / "tools" / "fixtures" / "locked"
    assert snap_compare(make_app(locked), terminal_size=(80, 24), run_before=keys("enter"))


@pytest.mark.parametrize("size", SIZES)
def test_journal_snapshot(snap_compare: Snap, make_app: MakeApp,
                          size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size,
                        run_before=keys("enter", "2", "j"))


@pytest.mark.parametrize("size", SIZES)
def test_load_snapshot(snap_compare: Snap, make_app: MakeApp, saves: Path,
                       size: tuple[int, int]) -> None:
    story = load(EXAMPLE)
    store = SaveStore(saves, story, clock=lambda: SAVED_AT)
    engine = Engine(story)
    state = engine.start()
    store.save("autosave", state, playtime=42)
    for choice in ("take_a_deep_breath", "hello", "continue"):
        state = engine.choose(state, choice)
    store.save("before lunch", state, playtime=3725)
    broken = saves / "broken.json"
    broken.write_text("{ not a save")
    os.utime(broken, (SAVED_AT - 60, SAVED_AT - 60))  # listed last, so its reason (which
    # names the random tmp folder) is not on screen; its "damaged" status is
    assert snap_compare(make_app(), terminal_size=size, run_before=keys("l"))


@pytest.mark.parametrize("size", SIZES)
def test_ending_snapshot(snap_compare: Snap, make_app: MakeApp, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size,
                        run_before=keys("enter", "1", "2", "1", "1", "1"))


@pytest.mark.parametrize("size", SIZES)
def test_gallery_snapshot(snap_compare: Snap, make_app: MakeApp, saves: Path,
                          hinted_story: Path, size: tuple[int, int]) -> None:
    """One ending found (at a pinned time), one locked with its hint."""
    (saves / "profile.first-day.json").write_text(
        '{"format": "offscreen-profile", "version": 1, "story": "first-day", "facts": [], '
        f'"endings": ["friends"], "ended": {{"friends": {SAVED_AT}}}}}')
    assert snap_compare(make_app(hinted_story), terminal_size=size,
                        run_before=keys("x", "enter"))


@pytest.mark.parametrize("size", SIZES)
def test_credits_snapshot(snap_compare: Snap, make_app: MakeApp,
                          size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size,
                        run_before=keys("x", "down", "down", "enter"))
