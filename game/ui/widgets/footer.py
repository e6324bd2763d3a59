"""Textual's footer, rebuilt only when what it shows has changed.

Textual's Footer throws its keys away and builds them again whenever the screen's bindings
may have changed, which is every focus change: on the play screen several times a move (the
choices hide while a scene is typed and take the focus back after). Measured headless on the
shipped story, those rebuilds were about 70% of the CPU a move costs (~110 ms of it; ~33 ms
without). One player in a terminal never notices; twenty players in browsers on one server
(`offscreen serve`, benchmarks/serve_load.py) share the same cores, so it is their latency.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer as TextualFooter

Shown = tuple[tuple[str, str, str, bool, str], ...]


def shown_bindings(screen: Screen[object]) -> Shown:
    """What a footer draws from: each shown binding's key, action, label, state, tooltip."""
    return tuple((key, binding.action, binding.description, enabled, tooltip)
                 for key, (_, binding, enabled, tooltip) in screen.active_bindings.items()
                 if binding.show)


class Footer(TextualFooter):
    """A drop-in Footer that skips rebuilds which would draw the very same keys."""

    def __init__(self) -> None:
        super().__init__()
        self._drawn: Shown | None = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        shown = shown_bindings(screen)
        if self._drawn is not None and shown == self._drawn:
            return
        super().bindings_changed(screen)
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._drawn = shown  # the rebuild Textual just scheduled draws exactly this
