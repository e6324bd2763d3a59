"""Shown instead of the game while the terminal is too small to play in.

It replaces the whole screen rather than letting a scene render squashed, says exactly how
big the window needs to be, and goes away by itself when the terminal grows.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Static


def message(size: Size, min_width: int, min_height: int) -> str:
    """Short lines, so the whole notice fits even in a 20x6 terminal."""
    return (f"Terminal too small\nPlease enlarge it\nto at least {min_width}x{min_height}\n"
            f"(now {size.width}x{size.height})")


class TooSmallScreen(Screen[None]):
    CSS_PATH = "too_small.tcss"

    def __init__(self, size: Size, min_width: int, min_height: int) -> None:
        super().__init__()
        self.min_width = min_width
        self.min_height = min_height
        self.term_size = size

    def compose(self) -> ComposeResult:
        yield Static(message(self.term_size, self.min_width, self.min_height), id="too-small")

    def show_size(self, size: Size) -> None:
        self.term_size = size
        self.query_one("#too-small", Static).update(
            message(size, self.min_width, self.min_height))

    def on_screen_resume(self) -> None:
        """Something was opened on top meanwhile; if the terminal grew since, step aside."""
        app_size = self.app.size
        if app_size.width >= self.min_width and app_size.height >= self.min_height:
            self.dismiss()
