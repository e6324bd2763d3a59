"""The game as a browser tab plays it: the same app, with keys a browser leaves to the page.

A browser keeps some keys for itself before the page sees them, in some browsers or on
some keyboards: F5 reloads, F1 opens the browser's help, Ctrl+Q quits the browser (Ctrl+W
and Ctrl+T, which the game does not use, are never given to a page), and a laptop's F keys
are often media keys. Each app-wide key of that kind gets a plain-letter twin here, and the
footer and the help screen show the twin: the terminal keys keep working where they reach
the game.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from game.ui.app import OffScreenApp

WEB_QUICK_KEYS = ("Shift+S", "Shift+L")


class WebApp(OffScreenApp):
    """`OffScreenApp` with browser-safe keys; `game.web.child` runs one per browser tab."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # A subclass's binding for a key replaces the inherited one (Textual merges by key):
        # the terminal keys stay bound, out of the footer, and the twins take their place.
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False),
        Binding("q", "quit", "Quit"),
        Binding("f1", "help", "Help", key_display="F1", show=False),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("S", "app.quicksave", "Quicksave", key_display=WEB_QUICK_KEYS[0], show=False),
        Binding("L", "app.quickload", "Quickload", key_display=WEB_QUICK_KEYS[1], show=False),
    ]
    QUICK_KEYS: ClassVar[tuple[str, str]] = WEB_QUICK_KEYS
