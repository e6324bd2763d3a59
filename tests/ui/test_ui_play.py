"""The play screen: reading a scene and choosing by number, by arrows and Enter, and by mouse."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from conftest import MakeApp, load
from textual.widgets import OptionList
from ui_helpers import options, scene, screen_name, screen_text, set_speed

from game.storage.profile import ProfileStore
from game.ui.widgets.scene_text import SceneText


async def test_number_keys_pick_choices_and_hidden_choices_stay_hidden(
        make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert options(app, "#choices") == ["1. Take a deep breath", "2. Walk into the kitchen"]
        await pilot.press("1")
        await pilot.pause()
        assert "Courage so far: 1." in screen_text(app)
        # the once-only choice is gone and the hidden greeting now shows
        assert options(app, "#choices") == ["1. Walk into the kitchen",
                                            "2. Say hello to the person by the window"]
        await pilot.press("2")
        await pilot.pause()
        assert scene(app) == "window"


async def test_arrows_and_enter_pick_the_highlighted_choice(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert scene(app) == "kitchen"
        await pilot.press("down", "up", "down", "enter")
        await pilot.pause()
        assert scene(app) == "desk"


async def test_clicking_a_choice_takes_it(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("enter")
        await pilot.pause()
        # row 0 is the border, row 1 the first choice, row 2 the second
        assert await pilot.click("#choices", offset=(6, 2))
        await pilot.pause()
        assert scene(app) == "kitchen"


async def test_a_next_scene_shows_a_single_continue(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("enter", "1", "2")
        await pilot.pause()
        assert scene(app) == "window"
        assert options(app, "#choices") == ["1. Continue"]
        await pilot.press("enter")
        await pilot.pause()
        assert scene(app) == "desk"


async def test_fact_line_and_progress_indicator(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(notifications=True) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert "Facts 0/2 · Endings 0/2" in screen_text(app)
        await pilot.press("2")
        await pilot.pause()
        # under the text rather than a toast over the heading bar (the behaviour changed)
        assert "★ New fact for your journal: The coffee is terrible" in screen_text(app)
        assert "Facts 1/2 · Endings 0/2" in screen_text(app)
        await pilot.press("1", "2")  # back to the lobby, into the kitchen again
        await pilot.pause()
        text = screen_text(app)
        assert "It has not improved since your last visit." in text
        assert "coffee is terrible" not in text  # once per run
        app.new_game()  # a new playthrough finds it again: already in the journal
        await pilot.press("2")
        await pilot.pause()
        assert "Fact found again: The coffee is terrible" in screen_text(app)


async def test_heading_shows_chapter_and_scene_title(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert "Morning · The Lobby" in screen_text(app)
        await pilot.press("2", "2")  # kitchen, desk (a scene without a chapter)
        await pilot.pause()
        first_line = screen_text(app).splitlines()[0]
        assert "Your Desk" in first_line
        assert "·  " not in first_line and "Morning" not in first_line


async def test_emphasis_is_rendered_not_printed(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("enter", "1", "2")
        await pilot.pause()
        shown = app.screen.query_one(SceneText).content
        plain = str(shown)
        assert "I'm *nervous*" not in plain and "I'm nervous too" in plain
        start = plain.index("nervous")
        styles = [str(span.style) for span in shown.spans  # type: ignore[union-attr]
                  if span.start <= start < span.end]
        assert "italic" in styles
        await pilot.press("1")
        await pilot.pause()
        desk = app.screen.query_one(SceneText).content
        assert "**" not in str(desk) and "the new hire" in str(desk)


async def test_a_number_with_no_choice_says_so(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("enter", "9")
        await pilot.pause()
        assert scene(app) == "lobby"
        assert "There is no choice 9 here; pick 1 to 2." in app.toasts


async def test_typewriter_reveals_gradually_and_any_key_skips(
        make_app: MakeApp, saves: Path) -> None:
    set_speed(saves, 20)
    app = make_app(animations=True)
    async with app.run_test() as pilot:
        await pilot.press("enter")
        text = app.screen.query_one(SceneText)
        for _ in range(40):  # wait for the first characters, however slow the machine
            await pilot.pause(0.05)
            if str(text.content):
                break
        assert text.revealing
        partial = str(text.content)
        assert 0 < len(partial) < len("The lobby smells of carpet glue and ambition.")
        assert not app.screen.query_one("#choices", OptionList).display
        await pilot.press("2")  # skips the reveal; does not choose
        await pilot.pause()
        assert not text.revealing
        assert "Courage so far: 0." in str(text.content)
        assert app.screen.query_one("#choices", OptionList).display
        assert scene(app) == "lobby"
        await pilot.press("2")
        await pilot.pause()
        assert scene(app) == "kitchen"


async def test_typewriter_finishes_on_its_own(make_app: MakeApp, saves: Path) -> None:
    set_speed(saves, 240)
    app = make_app(animations=True)
    async with app.run_test() as pilot:
        await pilot.press("enter")
        await pilot.pause(1.0)
        text = app.screen.query_one(SceneText)
        assert not text.revealing
        assert "Courage so far: 0." in str(text.content)
        assert app.screen.query_one("#choices", OptionList).display


async def test_speed_zero_or_animations_off_show_text_at_once(
        make_app: MakeApp, saves: Path) -> None:
    app = make_app(animations=False)  # as under TEXTUAL_ANIMATIONS=none; speed is 60
    assert app.text_speed == 0
    set_speed(saves, 0)
    animated = make_app(animations=True)
    for each in (app, animated):
        async with each.run_test() as pilot:
            await pilot.press("enter")
            await pilot.pause()
            text = each.screen.query_one(SceneText)
            assert not text.revealing
            assert "Courage so far: 0." in str(text.content)
            assert screen_name(each) == "PlayScreen"


async def test_a_long_scene_opens_at_its_top_and_scrolls_with_page_keys(
        make_app: MakeApp, saves: Path) -> None:
    long_story = Path(__file__).resolve().parent / "fixtures" / "long"
    store = ProfileStore(saves, load(long_story))
    store.save_settings(replace(store.load().settings, text_speed=400))
    app = make_app(long_story, animations=True)
    async with app.run_test(size=(50, 14)) as pilot:
        await pilot.press("enter")
        page = app.screen.query_one("#page")
        text = app.screen.query_one(SceneText)
        while text.revealing:
            await pilot.pause(0.1)
        await pilot.pause(0.2)
        assert page.max_scroll_y > 0
        assert page.scroll_y == 0  # one layout at every speed: the first line (was: the last)
        await pilot.press("pagedown", "pagedown", "pagedown", "pagedown")
        await pilot.pause(0.3)
        assert page.scroll_y == page.max_scroll_y
        assert "relieved, raises theirs." in screen_text(app)
        assert app.screen.focused is app.screen.query_one("#choices")  # keys still choose
        await pilot.press("pageup")
        await pilot.pause(0.3)
        assert page.scroll_y < page.max_scroll_y


async def test_a_return_scene_shows_a_single_continue_back_to_the_caller(
        make_app: MakeApp) -> None:
    """Calls (format v2): the TUI follows the engine's view, so a `return: true` scene is
    one Continue, and Enter takes the player back to the scene that called."""
    app = make_app(Path(__file__).parents[1] / "tools" / "fixtures" / "calls")
    async with app.run_test() as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert scene(app) == "hub"
        await pilot.press("1", "1")
        await pilot.pause()
        assert scene(app) == "paid"
        assert options(app, "#choices") == ["1. Continue"]
        await pilot.press("enter")
        await pilot.pause()
        assert scene(app) == "hub"
        assert "Coins: 1." in screen_text(app)
