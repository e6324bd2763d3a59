"""What players of other story games expect: asking before a game is replaced, the truth on
quitting, keys that work while text types, and choices only once the text is shown."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import EXAMPLE, MakeApp, load
from textual.widgets import OptionList, Switch
from ui_helpers import options, scene, screen_name, screen_text, set_speed

from game.session import EARLIER
from game.storage.profile import ProfileStore
from game.ui.widgets.scene_text import SceneText


async def test_new_game_over_a_game_in_progress_asks_and_keeps_it_under_load(
        make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "2", "escape")  # play a while, back to the title
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert screen_name(app) == "ConfirmScreen"
        assert "Start a new game? The game in progress (The Kitchen" in screen_text(app)
        await pilot.press("n")  # no: nothing changes
        await pilot.pause()
        assert screen_name(app) == "TitleScreen" and scene(app) == "kitchen"
        await pilot.press("n", "y", "1")  # yes, and a first choice of the new game
        await pilot.pause()
        assert scene(app) == "lobby"
        names = [row.name for row in app.session.slots()]
        assert EARLIER[0] in names  # the kitchen game is one Load away


async def test_the_palette_offers_the_games_commands_not_textuals(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("enter", "2")
        await pilot.pause()
        app.session.save("mine")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"New game", "Load 'mine'", "Journal", "Settings", "Theme", "Help"} <= set(titles)
        for textual_own in ("Screenshot", "Maximize", "Minimize", "Keys"):
            assert textual_own not in titles
        quit_command = next(c for c in app.get_system_commands(app.screen) if c.title == "Quit")
        assert "as soon as possible" not in quit_command.help


async def test_the_quit_question_tells_the_truth_about_a_failed_autosave(
        make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "2")
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert "Your game is saved." in screen_text(app)
        await pilot.press("n")
        app.session.last_autosave_error = "could not save: the disk is full"
        await pilot.press("ctrl+q")
        await pilot.pause()
        text = screen_text(app)
        assert "Your game is saved." not in text and "The last autosave failed" in text


async def test_naming_a_save_autosave_says_why_in_the_box(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("enter", "2", "s", "n")
        await pilot.pause()
        await pilot.press(*"autosave", "enter")
        await pilot.pause()
        assert screen_name(app) == "SlotNameScreen"  # still open, with the reason
        assert "written by the game itself" in screen_text(app)


async def test_a_one_choice_scene_says_there_is_only_one(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("enter", "1", "2")  # deep breath, hello: Sam's scene has one way on
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        assert "There is only one choice here: press 1 (or Enter)." in app.toasts
        assert not any("pick 1 to 1" in t for t in app.toasts)


async def test_facts_found_are_one_line_under_the_text_not_a_toast(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("enter", "2")
        await pilot.pause()
        text = screen_text(app)
        assert "★ New fact for your journal: The coffee is terrible" in text
        assert not any("coffee" in t for t in app.toasts)
        assert "Endings 0/2" in text.splitlines()[0]  # the heading bar is never covered
        await pilot.press("1")
        await pilot.pause()
        assert "New fact for your journal" not in screen_text(app)  # the next scene: gone


async def test_choose_skip_choose_never_shows_choices_while_text_types(
        make_app: MakeApp, saves: Path) -> None:
    set_speed(saves, 15)
    app = make_app(animations=True)
    async with app.run_test() as pilot:
        await pilot.press("enter")
        await pilot.pause(0.1)
        await pilot.press("space", "2", "space", "1")  # skip, choose, skip, choose: fast
        for _ in range(5):
            await pilot.pause(0.05)
            text = app.screen.query_one(SceneText)
            if text.revealing:
                assert not app.screen.query_one("#choices", OptionList).display


async def test_keys_while_text_types_reveal_it_and_do_what_they_say(
        make_app: MakeApp, saves: Path) -> None:
    set_speed(saves, 10)
    app = make_app(animations=True)
    async with app.run_test() as pilot:
        await pilot.press("enter")
        await pilot.pause(0.1)
        text = app.screen.query_one(SceneText)
        assert text.revealing
        await pilot.press("j")
        await pilot.pause()
        assert screen_name(app) == "JournalScreen"
        assert not text.revealing and "Courage so far: 0." in str(text.content)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one("#choices", OptionList).display


async def test_at_60x20_the_save_table_keeps_date_played_and_status(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("enter", "2")
        await pilot.pause()
        app.session.save("mine")
        app.session.save("a rather long name for a save")
        await pilot.press("l")
        await pilot.pause()
        app.clear_notifications()
        await pilot.pause()
        text = screen_text(app)
        header = next(line for line in text.splitlines() if "Slot" in line)
        for column in ("Saved", "Played", "Status"):
            assert column in header
        for name in ("mine", "a rather"):
            row = next(line for line in text.splitlines() if line.strip().startswith(name))
            assert "under a minute" in row and row.rstrip().endswith("ok"), row
        assert "a rather long name for a save: The Kitchen" in text  # in full, under it


async def test_at_40x12_the_save_table_keeps_date_and_status_and_says_the_rest_under_it(
        make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("enter", "2")
        await pilot.pause()
        app.session.save("a rather long name for a save")
        await pilot.press("l")
        await pilot.pause()
        text = screen_text(app)
        header = next(line for line in text.splitlines() if "Slot" in line)
        assert "Saved" in header and "Status" in header
        row = next(line for line in text.splitlines() if line.strip().startswith("a rather"))
        assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", row), row  # the whole date
        assert row.rstrip().endswith("ok"), row
        under = " ".join(text.split())  # the line under the table may wrap
        assert "a rather long name for a save: The Kitchen, played under a minute" in under


async def test_at_40x12_the_quit_question_shows_both_buttons_whole(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("enter", "2", "ctrl+q")
        await pilot.pause()
        text = screen_text(app)
        assert "Quit (y)" in text and "Keep playing (n)" in text


async def test_at_40x12_a_long_question_keeps_its_buttons_in_view(make_app: MakeApp) -> None:
    app = make_app(EXAMPLE.parents[1] / "scenes")  # the shipped story: a five-line question
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("enter", "2", "1", "escape", "n")  # New game over a game in progress
        await pilot.pause()
        assert screen_name(app) == "ConfirmScreen"
        text = screen_text(app)
        assert "New game (y)" in text and "Cancel (n)" in text
        assert "'autosave (previous game)'." in text  # and the whole question


@pytest.mark.parametrize("size", [(100, 30), (40, 12)])
async def test_a_dialogs_footer_names_its_own_keys_not_the_screen_beneath(
        make_app: MakeApp, size: tuple[int, int]) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("enter", "2", "ctrl+q")
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert "y Yes" in footer and "n No" in footer
        assert "Choose" not in footer  # the number keys do nothing under the question


async def test_at_40x12_help_keeps_its_words_together(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        text = screen_text(app)
        assert "Quit (your game is already" in text  # not one word per line


async def test_read_text_shows_at_once_and_taken_choices_are_marked(
        make_app: MakeApp, saves: Path) -> None:
    set_speed(saves, 10)
    app = make_app(animations=True)
    async with app.run_test() as pilot:
        await pilot.press("enter")
        await pilot.pause(0.1)
        text = app.screen.query_one(SceneText)
        assert text.revealing  # new text is typed out
        await pilot.press("space", "2")  # into the kitchen
        await pilot.pause(0.1)
        await pilot.press("space", "1")  # back to the lobby: read before
        await pilot.pause()
        assert not text.revealing and "Courage so far: 0." in str(text.content)
        assert options(app, "#choices") == ["1. Take a deep breath",
                                            "2. Walk into the kitchen ✓"]


async def test_the_read_text_setting_types_everything_again(
        make_app: MakeApp, saves: Path) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("enter", "2", "1")  # the lobby, read
        await pilot.pause()
    set_speed(saves, 10)
    store = ProfileStore(saves, load(EXAMPLE))
    store.save_settings(replace(store.load().settings, skip_read=False))
    again = make_app(animations=True)
    async with again.run_test() as pilot:
        await pilot.press("down", "enter", "y")  # New game (under Continue), yes
        await pilot.pause(0.1)
        assert again.screen.query_one(SceneText).revealing


async def test_reduced_motion_and_the_high_contrast_theme(
        make_app: MakeApp, saves: Path) -> None:
    app = make_app(animations=True)
    async with app.run_test(size=(100, 40)) as pilot:
        assert "high-contrast" in app.available_themes
        await pilot.press("o")
        await pilot.pause()
        switch = app.screen.query_one("#reduced-motion", Switch)
        switch.value = True
        await pilot.pause()
        assert app.session.settings.reduced_motion and app.text_speed == 0
        assert app.animation_level == "none"
        switch.value = False
        await pilot.pause()
        assert app.animation_level != "none" and app.text_speed > 0
        app.theme = "high-contrast"
        app.persist_theme()
    assert ProfileStore(saves, load(EXAMPLE)).load().settings.theme == "high-contrast"


def test_credits_name_the_article_and_every_source_from_the_facts() -> None:
    from game.story.files import load_or_raise
    from game.ui.screens.credits import article, credits_text, sources

    story = load_or_raise(EXAMPLE.parents[1] / "scenes")
    assert article(story) == ('"Did John Krasinski and Jenna Fischer date?", updated '
                              "December 3, 2021, by Lynn Gibbs")
    listed = [source for source, _ in sources(story)]
    every = {" ".join(f.source.split()) for f in story.facts.values()
             if not f.source.startswith("The article itself")}
    assert set(listed) == every and "E! News" in listed
    assert "the article itself" in str(credits_text(story))


async def test_extras_gallery_chapters_and_credits(make_app: MakeApp,
                                                  hinted_story: Path) -> None:
    app = make_app(hinted_story)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "2", "escape", "x")  # play a little, back to the title
        await pilot.pause()
        assert screen_name(app) == "ExtrasScreen"
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "GalleryScreen"
        assert "0 of 2 found" in screen_text(app)
        assert "Hint: Keep to yourself on day one." in screen_text(app)
        await pilot.press("escape", "down", "enter")
        await pilot.pause()
        assert screen_name(app) == "ChaptersScreen" and "1. Morning" in screen_text(app)
        await pilot.press("enter")  # the autosave holds the kitchen game: asks first
        await pilot.pause()
        assert screen_name(app) == "ConfirmScreen"
        await pilot.press("y")
        await pilot.pause()
        assert screen_name(app) == "PlayScreen" and scene(app) == "lobby"
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Endings gallery", "Chapter select", "Credits"} <= set(titles)


async def test_every_shipped_ending_has_a_hint_in_the_gallery(make_app: MakeApp) -> None:
    from game.story.files import load_or_raise

    shipped = EXAMPLE.parents[1] / "scenes"
    story = load_or_raise(shipped)
    assert len(story.endings) == 6
    missing = [e.id for e in story.endings.values() if not (e.hint or "").strip()]
    assert missing == []
    app = make_app(shipped)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("x", "enter")  # Extras, Endings gallery
        await pilot.pause()
        assert screen_name(app) == "GalleryScreen"
        text = " ".join(screen_text(app).split())  # the hints may wrap
        assert text.count("Hint: ") == 6 and "Not found yet." not in text
        for ending in story.endings.values():
            assert f"Hint: {' '.join((ending.hint or '').split())}" in text, ending.id


async def test_at_40x12_chapter_select_scrolls_inside_its_frame(make_app: MakeApp) -> None:
    app = make_app(EXAMPLE.parents[1] / "scenes")  # twelve chapters
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("x", "down", "enter")
        await pilot.pause()
        assert screen_name(app) == "ChaptersScreen"
        lines = [line.strip() for line in screen_text(app).splitlines()]
        assert any(line.startswith("╭") for line in lines)
        assert any(line.startswith("╰") for line in lines)  # the frame whole, not pushed off
        assert app.screen.max_scroll_y == 0  # the screen itself does not scroll
