"""The author's error panel under `--dev`: the checker's findings, docked under the game.

While the story on disk has errors the game keeps running on the last version that loaded,
so an author can fix a typo without losing their place; this panel says what to fix.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


def count(errors: int) -> str:
    return f"{errors} error" if errors == 1 else f"{errors} errors"


class DevPanel(Static):
    """Hidden while the story loads cleanly."""

    def on_mount(self) -> None:
        self.show_errors(getattr(self.app, "dev_errors", ()))

    def show_errors(self, errors: tuple[str, ...]) -> None:
        self.display = bool(errors)
        if not errors:
            self.update("")
            return
        text = Text()
        text.append(f"The story on disk has {count(len(errors))}; "
                    "playing the last good version.\n", style="bold")
        text.append("\n".join(errors))
        self.update(text)
