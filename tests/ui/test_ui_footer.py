"""The footer draws the keys of whatever has focus, and rebuilds only when they change."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Button

from game.ui.widgets.footer import Footer


class Plain(Button):
    pass


class WithKey(Button):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("x", "press", "Extra key")]


class Counting(Footer):
    def __init__(self) -> None:
        super().__init__()
        self.rebuilds = 0

    async def recompose(self) -> None:
        self.rebuilds += 1
        await super().recompose()


class Demo(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("j", "bell", "Everywhere")]

    def compose(self) -> ComposeResult:
        yield Plain("a", id="a")
        yield Plain("b", id="b")
        yield WithKey("c", id="c")
        yield Counting()


def footer_labels(app: Demo) -> list[str]:
    return [str(key.description) for key in app.screen.query_one(Counting).children]


async def test_footer_follows_the_focus_and_skips_rebuilds_that_change_nothing() -> None:
    app = Demo()
    async with app.run_test() as pilot:
        footer = app.screen.query_one(Counting)
        app.screen.query_one("#a").focus()
        await pilot.pause()
        assert "Everywhere" in footer_labels(app) and "Extra key" not in footer_labels(app)
        before = footer.rebuilds
        for target in ("#b", "#a", "#b"):  # same keys on every one: nothing to redraw
            app.screen.query_one(target).focus()
            await pilot.pause()
        assert footer.rebuilds == before
        app.screen.query_one("#c").focus()  # a key appears: the footer shows it
        await pilot.pause()
        assert footer.rebuilds == before + 1
        assert "Extra key" in footer_labels(app)
        app.screen.query_one("#a").focus()  # and goes again
        await pilot.pause()
        assert "Extra key" not in footer_labels(app)
