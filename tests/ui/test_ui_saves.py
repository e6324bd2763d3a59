"""Save and load: slots with label, date and playtime; confirmations; damaged and stale saves."""

from __future__ import annotations

from pathlib import Path

from conftest import MakeApp, load
from textual.widgets import DataTable
from ui_helpers import cut_the_kitchen, saved, screen_name, screen_text, store

from game.storage.saves import SaveStore


def rows(app: object) -> dict[str, list[str]]:
    table = app.screen.query_one("#slots", DataTable)  # type: ignore[attr-defined]
    out = {}
    for index in range(table.row_count):
        cells = [str(c) for c in table.get_row_at(index)]
        out[cells[0]] = cells[1:]
    return out


async def save_as(pilot: object, name: str) -> None:
    await pilot.press("s", "n")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.press(*name, "enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


async def test_save_to_a_new_slot_lists_label_date_playtime(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "2")  # the kitchen
        await save_as(pilot, "kitchen run")
        assert "Saved as 'kitchen run'." in app.toasts
        assert screen_name(app) == "SavesScreen"
        listed = rows(app)
        assert listed["kitchen run"][0] == "The Kitchen"
        assert listed["kitchen run"][1][:2] == "20"  # a date: 20YY-MM-DD HH:MM
        assert listed["kitchen run"][2] == "under a minute"
        assert "autosave" in listed and "＋ New save…" in listed
        assert saved(app, "kitchen run").scene == "kitchen"


async def test_a_bad_slot_name_is_explained_and_not_saved(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("enter")
        await pilot.press("s", "n")
        await pilot.pause()
        await pilot.press(*"../x", "enter")
        await pilot.pause()
        assert screen_name(app) == "SlotNameScreen"
        assert "cannot be a save name" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert screen_name(app) == "SavesScreen"
        assert not any(p.name.startswith("x") for p in app.session.saves_dir.iterdir())


async def test_overwriting_asks_first(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("enter")
        await save_as(pilot, "slot")
        await pilot.press("escape", "2")  # on to the kitchen
        await pilot.press("s")
        await pilot.pause()
        assert list(rows(app)) == ["＋ New save…", "autosave", "slot"]  # newest first
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert screen_name(app) == "ConfirmScreen"
        assert "Overwrite the save 'slot'?" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert saved(app, "slot").scene == "lobby"
        await pilot.press("enter", "y")
        await pilot.pause()
        assert saved(app, "slot").scene == "kitchen"


async def test_typing_an_existing_name_also_asks_before_overwriting(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("enter")
        await save_as(pilot, "one")
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"one")
        await pilot.pause()
        assert "'one' exists; saving will ask before overwriting it." in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "ConfirmScreen"


async def test_load_from_the_title_and_from_play(make_app: MakeApp, saves: Path) -> None:
    story = load(Path(__file__).resolve().parents[2] / "docs" / "example")
    store = SaveStore(saves, story)
    from game.engine import Engine

    engine = Engine(story)
    state = engine.choose(engine.start(), "walk_into_the_kitchen")
    store.save("kitchen", state, playtime=75)
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("down", "enter")  # title: Load
        await pilot.pause()
        assert screen_name(app) == "SavesScreen"
        assert rows(app)["kitchen"][0] == "The Kitchen"
        assert rows(app)["kitchen"][2] == "1 min"
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "PlayScreen"
        assert "Loaded 'kitchen'." in app.toasts
        assert "The coffee machine gurgles" in screen_text(app)
        await pilot.press("1", "l")  # back to the lobby, then load again from play
        await pilot.pause()
        assert list(rows(app)) == ["autosave", "kitchen"]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert screen_name(app) == "ConfirmScreen"  # a game is in progress: asks first
        await pilot.press("y")
        await pilot.pause()
        assert screen_name(app) == "PlayScreen"
        assert app.session.state is not None and app.session.state.scene == "kitchen"


async def test_delete_asks_and_then_deletes(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("enter")
        await save_as(pilot, "doomed")
        assert "doomed" in rows(app)
        await pilot.press("d")
        await pilot.pause()
        assert "Delete the save 'doomed'? This cannot be undone." in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert "doomed" in rows(app)
        await pilot.press("d", "y")
        await pilot.pause()
        assert "doomed" not in rows(app)
        assert "Deleted 'doomed'." in app.toasts
        assert not store(app).exists("doomed")


async def test_damaged_saves_are_listed_as_damaged_and_not_loaded(
        make_app: MakeApp, saves: Path) -> None:
    (saves / "broken.json").write_text("{ this is not json")
    app = make_app()
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.press("l")
        await pilot.pause()
        assert rows(app)["broken"][-1] == "damaged"
        assert "broken.json" in screen_text(app)  # the reason, naming the file
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "SavesScreen"
        assert any("broken" in t for t in app.toasts)


async def test_out_of_date_save_is_marked_and_loads_with_a_message(
        make_app: MakeApp, saves: Path, story_copy: Path) -> None:
    from game.engine import Engine

    story = load(story_copy)
    state = Engine(story).choose(Engine(story).start(), "walk_into_the_kitchen")
    SaveStore(saves, story).save("old", state)
    scenes = story_copy / "scenes.yaml"
    scenes.write_text(scenes.read_text().replace("gurgles like a swamp", "gurgles, edited"))
    app = make_app(story_copy)
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.press("l")
        await pilot.pause()
        assert rows(app)["old"][-1] == "story changed"
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "PlayScreen"
        assert "gurgles, edited" in screen_text(app)
        assert any("edited" in t for t in app.toasts)


async def test_a_save_whose_scene_was_cut_offers_the_nearest_place(
        make_app: MakeApp, saves: Path, story_copy: Path) -> None:
    from game.engine import Engine

    story = load(story_copy)
    engine = Engine(story)
    state = engine.choose(engine.start(), "walk_into_the_kitchen")
    SaveStore(saves, story).save("cut", state)
    cut_the_kitchen(story_copy)
    app = make_app(story_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l")
        await pilot.pause()
        assert rows(app)["cut"][-1] == "cannot resume"
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "SceneGoneScreen"
        assert "Resume at “The Lobby”" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "PlayScreen"
        assert app.session.state is not None and app.session.state.scene == "lobby"


async def test_quicksave_and_quickload_keys(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("enter", "f9")
        await pilot.pause()
        assert "There is no quicksave yet (F5 makes one)." in app.toasts
        await pilot.press("2", "f5")  # the kitchen, quicksaved
        await pilot.pause()
        assert "Quicksaved (F9 to return here)." in app.toasts
        await pilot.press("2")  # the desk
        await pilot.press("f9")
        await pilot.pause()
        assert app.session.state is not None and app.session.state.scene == "kitchen"
        assert "The coffee machine gurgles" in screen_text(app)


async def test_the_autosave_slot_is_not_a_save_target(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("enter", "2", "s")
        await pilot.pause()
        await pilot.press("down", "enter")  # the autosave row
        await pilot.pause()
        assert screen_name(app) == "SavesScreen"
        assert any("written by the game itself after every choice" in t for t in app.toasts)


async def test_tab_switches_between_save_and_load(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("enter", "s")
        await pilot.pause()
        assert "Save game" in screen_text(app)
        await pilot.press("tab")
        await pilot.pause()
        assert "Load game" in screen_text(app)
        assert "＋ New save…" not in rows(app)


async def test_load_option_at_start(make_app: MakeApp, saves: Path) -> None:
    first = make_app()
    async with first.run_test() as pilot:
        await pilot.press("enter", "2")
        await save_as(pilot, "start here")
    app = make_app(load_slot="start here")
    async with app.run_test() as pilot:
        await pilot.pause()
        assert screen_name(app) == "PlayScreen"
        assert app.session.state is not None and app.session.state.scene == "kitchen"
    missing = make_app(load_slot="nowhere")
    async with missing.run_test() as pilot:
        await pilot.pause()
        assert screen_name(missing) == "TitleScreen"
        assert any("nowhere" in t for t in missing.toasts)


async def test_a_save_folder_that_cannot_be_written_is_reported_not_fatal(
        tmp_path: Path) -> None:
    from conftest import EXAMPLE, RecordingApp

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the save folder should be")
    app = RecordingApp(load(EXAMPLE), EXAMPLE, blocked)
    app.animation_level = "none"
    async with app.run_test() as pilot:
        await pilot.press("enter", "2")
        await pilot.pause()
        assert app.session.state is not None and app.session.state.scene == "kitchen"
        assert any(t.startswith("Autosave failed:") for t in app.toasts)
        assert any("profile" in t.lower() for t in app.toasts)
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert screen_name(app) == "ConfirmScreen"
        text = screen_text(app)  # the message names the file, so it wraps anywhere
        assert "Saving failed:" in text and "anyway?" in text
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0
