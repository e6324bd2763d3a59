"""What every screen of the game shares: typed access to the app and its session.

Screens reach the game through `self.game` (the app, typed) and `self.session` rather than
importing each other; the app decides what goes on the screen stack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual import events
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.geometry import Size
from textual.screen import Screen

from game.session import Session

if TYPE_CHECKING:
    from game.ui.app import OffScreenApp


TOAST_RACK = "textual-toastrack"
"""The id Textual gives every screen's toast container."""

NARROW_BELOW = 60
"""Screens narrower than this get the `-narrow` class (a tighter heading bar)."""
SHORT_BELOW = 20
"""Screens shorter than this get the `-short` class (less air around the title menu)."""


class SizeClasses:
    """For screens and dialogs alike: `-narrow` and `-short` are set only when the terminal
    is small, so at the usual sizes nothing changes and the first frame is styled once.
    (Textual's breakpoints always add a class, which restyled the whole screen before the
    title could show: ~2 ms of a player's wait.)"""

    def on_screen_resume(self) -> None:
        self._fit(cast("Screen[object]", self).app.size)

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size)

    def _fit(self, size: Size) -> None:
        cast("Screen[object]", self).update_classes(
            {"-narrow": size.width < NARROW_BELOW, "-short": size.height < SHORT_BELOW},
            animate=False)


class GameScreen(SizeClasses, Screen[None]):
    """Every screen of the game but the dialogs; sized for small terminals (SizeClasses)."""

    def on_mount(self) -> None:
        self.screen_layout_refresh_signal.subscribe(self, self.newest_toast_only,
                                                    immediate=True)

    def on_screen_resume(self) -> None:
        """(SizeClasses' handler runs too: Textual calls each class's handler.)"""
        self.game.release_notifications()

    def newest_toast_only(self, _screen: Screen[object]) -> None:
        """After each layout (a toast mounted or removed): only the newest toast shows, in
        the band above the footer (app.tcss); when it goes, the one under it shows again.
        The screen has the class `-toasting` while one shows.
        Textual neither restyles `:last-child` when a sibling goes nor lets a rack's newest
        toasts stay in view when the band is capped, hence a class, set here."""
        try:
            rack = self.get_child_by_id(TOAST_RACK)
        except NoMatches:
            return
        holders = rack.children
        for index, holder in enumerate(holders):
            holder.set_class(index < len(holders) - 1, "-older")
        self.set_class(bool(holders), "-toasting")  # a screen may make room (title.tcss)

    @property
    def game(self) -> OffScreenApp:
        return cast("OffScreenApp", self.app)

    @property
    def session(self) -> Session:
        return self.game.session

    def story_reloaded(self) -> None:
        """Under --dev the story changed on disk: screens that show story text redraw."""


class Overlay(GameScreen):
    """A full screen reachable from anywhere (journal, saves, history, settings, help).

    Escape closes it and returns to whatever was underneath, which is how a player expects
    a game's menus to behave.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]
    MENU: ClassVar[bool] = False
    """True for an overlay that is a menu of others: they open over it, not in its place."""

    def action_close(self) -> None:
        self.app.pop_screen()
