"""The scene's prose, revealed a few characters at a time like a visual novel's text box.

The reveal is a nicety, never an obstacle: any key or click shows the whole text at once,
a speed of 0 (a setting) or animations turned off (a setting, or `TEXTUAL_ANIMATIONS=none`)
skips it entirely, and the choices only appear once the text is complete so a player never
picks an option before reading what it answers.
"""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

from game import markup

TICKS_PER_SECOND = 30


def render_paragraphs(paragraphs: tuple[str, ...]) -> Text:
    """Paragraphs with the author's *italic* and **bold**, a blank line between them."""
    return Text.from_markup("\n\n".join(markup.to_rich(p) for p in paragraphs))


class SceneText(Static):
    """Shows a scene's paragraphs; `reveal` types them out at a given speed."""

    class Revealed(Message):
        """All of the text is showing (typed out, skipped, or at once at a speed above 0
        because there was none). Not sent when `reveal` is asked for speed 0: the caller
        knows the text is all there when it returns (the play screen then shows the choices
        itself), and the message would bubble up through four widgets on every choice."""

        def __init__(self, typed: bool) -> None:
            super().__init__()
            self.typed = typed
            """True when it was being typed out: the reader's eyes are at its end."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self._full = Text()
        self._shown = 0
        self._step = 0.0
        self._carry = 0.0
        self._timer: Timer | None = None

    @property
    def revealing(self) -> bool:
        return self._timer is not None

    def reveal(self, paragraphs: tuple[str, ...], chars_per_second: int) -> None:
        """Show new text: typed out at that speed, or at once when the speed is 0."""
        self._stop()
        self._full = render_paragraphs(paragraphs)
        if chars_per_second <= 0 or len(self._full) == 0:
            self._finish(typed=False, announce=chars_per_second > 0)
            return
        self._shown = 0
        self._carry = 0.0
        self._step = chars_per_second / TICKS_PER_SECOND
        self.update(Text())
        self._timer = self.set_interval(1 / TICKS_PER_SECOND, self._tick)

    def skip(self) -> bool:
        """Show everything now; True if there was anything left to reveal."""
        if self._timer is None:
            return False
        self._stop()
        self._finish()
        return True

    def _tick(self) -> None:
        self._carry += self._step
        whole = int(self._carry)
        self._carry -= whole
        self._shown = min(len(self._full), self._shown + max(whole, 0))
        if self._shown >= len(self._full):
            self._stop()
            self._finish()
        else:
            self.update(self._full[: self._shown])

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _finish(self, typed: bool = True, announce: bool = True) -> None:
        self._shown = len(self._full)
        self.update(self._full)
        if announce:
            self.post_message(self.Revealed(typed))
