"""The collector's counter on the play and title screens: facts and endings found so far."""

from __future__ import annotations

from textual.widgets import Static

from game.session import Progress


def describe(progress: Progress) -> str:
    return (f"Facts {progress.facts_found}/{progress.facts_total} · "
            f"Endings {progress.endings_found}/{progress.endings_total}")


class ProgressLine(Static):
    """One line, so it fits in a header bar at any width that is playable at all."""

    _shown: Progress | None = None

    def show(self, progress: Progress) -> None:
        """Redrawn only when the counts changed: most choices find nothing, and an update
        is a restyle and a layout pass of the heading bar."""
        if progress == self._shown:
            return
        self._shown = progress
        self.update(describe(progress))
        self.tooltip = f"Journal {progress.percent}% complete (press j to open it)"
