"""`offscreen serve` in a real browser: headless Chromium, driven by Selenium.

The title appears, Enter starts, a key and a click choose; two browser profiles (two
cookies) have separate games; a reload resumes. Screenshots of each step go to the test's
temporary folder, or to $OFFSCREEN_SHOTS to keep them. Without Chromium and its driver the
tests are skipped, with the reason in pytest's summary (.ci/run installs both).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from game.web.visitors import COOKIE

from .chromium_tab import Tab, chromium, tab

FOUND = chromium()
pytestmark = pytest.mark.skipif(isinstance(FOUND, str), reason=str(FOUND))


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    kept = os.environ.get("OFFSCREEN_SHOTS")
    return Path(kept) if kept else tmp_path / "shots"


@pytest.fixture
def first(shots: Path) -> Iterator[Tab]:
    assert not isinstance(FOUND, str)
    with tab(*FOUND, shots) as opened:
        yield opened


@pytest.fixture
def second(shots: Path) -> Iterator[Tab]:
    assert not isinstance(FOUND, str)
    with tab(*FOUND, shots) as opened:
        yield opened


def test_title_enter_a_key_and_a_click(first: Tab, url: str) -> None:
    first.open(url)
    first.wait_for("New game")
    first.wait_for("First Day")
    first.shot("1-title")
    first.press("\n")  # Enter: New game
    first.wait_for("Walk into the kitchen")
    first.shot("2-lobby")
    first.press("2")  # a key chooses
    first.wait_for("The Kitchen")
    first.wait_for("Go to your desk")
    first.shot("3-kitchen")
    first.click("Go to your desk")  # and so does a click
    first.wait_for("Your Desk")
    first.shot("4-desk")
    first.wait_for("Work through lunch")
    first.press("q")  # the browser's twin of Ctrl+Q
    first.wait_for("Quit First Day?")
    first.press("y")
    first.wait_closed()  # the page says so, and offers to start again
    assert "This game has ended" in first.visible_text()
    first.shot("4b-ended")
    here = urlsplit(url).netloc
    asked = [u for u in first.requested()  # the network: not chrome:// or data: URLs
             if urlsplit(u).scheme in ("http", "https", "ws", "wss")]
    assert any(u.endswith("/static/js/textual.js") for u in asked)
    assert any(u.endswith(".ttf") for u in asked) and any(urlsplit(u).path == "/ws" for u in asked)
    assert all(urlsplit(u).netloc == here for u in asked), asked


def test_two_profiles_have_separate_games_and_a_reload_resumes(
        first: Tab, second: Tab, url: str) -> None:
    first.open(url)
    first.wait_for("New game")
    first.press("\n")
    first.wait_for("Walk into the kitchen")
    first.press("2")
    first.wait_for("Go to your desk")  # the kitchen: autosaved
    second.open(url)  # another person: their own cookie, a fresh title
    second.wait_for("New game")
    second.shot("5-second-profile-title")
    assert "Continue" not in second.read().text
    mine, theirs = first.cookie(COOKIE), second.cookie(COOKIE)
    assert mine and theirs and mine["value"] != theirs["value"]
    assert mine["httpOnly"] and mine["sameSite"] == "Lax"
    first.reload()  # F5 in the browser: the same cookie, the game resumes
    first.wait_for("Continue")
    first.shot("6-reload-continue")
    first.press("\n")
    first.wait_for("The Kitchen")
    first.wait_for("Go to your desk")
    first.shot("7-resumed")
    second.press("\n")  # the second person's new game is their own
    second.wait_for("Walk into the kitchen")
    assert "The Kitchen" not in second.read().text
