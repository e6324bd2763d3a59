"""The play screen: where the player reads a scene and picks what happens next.

The screen redraws from the session whenever the game moved while it was hidden (a load, an
undo from the history, a new game from the ending screen), so no other screen needs to tell
it what to show. Choices appear only once the scene's text has been revealed. An ending
scene is read here like any other, with a single "The End" to take the player on to the
ending screen.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal, Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from game import markup
from game.engine import (
    ChoiceLocked,
    ChoiceNotAvailable,
    ChoiceView,
    GameState,
    SceneView,
    StoryRuntimeError,
)
from game.session import locked_words
from game.ui.screens.base import GameScreen
from game.ui.widgets.footer import Footer
from game.ui.widgets.menu import ChoiceMenu
from game.ui.widgets.progress import ProgressLine
from game.ui.widgets.scene_text import SceneText

STUCK = ("There is no way on from here: the story offers no choice (a bug in the story). "
         "Press b to undo your last choice, or Escape for the menu.")


REVEAL_ONLY = frozenset({"enter", "space"})
"""Keys that, while the text types, only reveal it (with the number keys)."""

THE_END = "\0the-end"
"""The option under an ending scene (not a choice id: those never hold a NUL)."""


TAKEN_MARK = " ✓"
"""After a choice taken in any playthrough, as Twine marks a visited link."""


def choice_prompt(number: int, text: str, taken: bool = False) -> Text:
    """'1. text' with the author's emphasis; numbers past 9 have no key, so none is shown."""
    label = f"[b]{number}.[/b] " if number <= 9 else "   "
    prompt = Text.from_markup(label + markup.to_rich(text))
    if taken:
        prompt.append(TAKEN_MARK, style="dim")
    return prompt


def locked_prompt(number: int, choice: ChoiceView, dim: Style, why: Style) -> Text:
    """A locked choice: its number and text in `dim`, then `(locked: reason)` in `why`, as
    plain mode prints it."""
    prompt = choice_prompt(number, choice.text)
    prompt.stylize(dim)
    note = f"  (locked: {markup.strip(choice.reason)})" if choice.reason else "  (locked)"
    prompt.append(note, style=why)
    return prompt


def heading(view: SceneView) -> str:
    return f"{view.chapter} · {view.title}" if view.chapter else view.title


class PlayScreen(GameScreen):
    CSS_PATH: ClassVar[list[str | PurePath]] = ["play.tcss", "ending.tcss"]
    """The ending screen's too: loaded with this one (a game is starting, a moment where a
    frame's wait goes unnoticed), so pushing the ending screen restyles nothing else."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "pick(1)", "Choose", key_display="1-9"),
        *(Binding(str(n), f"pick({n})", f"Choice {n}", show=False) for n in range(2, 10)),
        Binding("b", "app.undo", "Back"),
        Binding("backspace", "app.undo", "Back", show=False),
        Binding("h", "app.history", "History"),
        Binding("s", "app.save", "Save"),
        Binding("l", "app.load", "Load", show=False),
        Binding("f5", "app.quicksave", "Quicksave", show=False),
        Binding("f9", "app.quickload", "Quickload", show=False),
        Binding("o", "app.settings", "Settings", show=False),
        Binding("escape", "app.title", "Menu", show=False),
        Binding("pageup", "scroll_text(-1)", "Scroll up", show=False, priority=True),
        Binding("pagedown", "scroll_text(1)", "Scroll down", show=False, priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._shown: GameState | None = None
        self._view: SceneView | None = None
        self._choices_up = False
        """True once what follows the text (the choices) is shown for the scene in view."""
        # The widgets a choice redraws, kept rather than queried for on every choice.
        self._where = Static(id="where")
        self._progress = ProgressLine(id="progress")
        self._page = VerticalScroll(id="page")
        self._text = SceneText(id="text")
        self._found = Static(id="found")
        self._stuck = Static(STUCK, id="stuck")
        self._choices = ChoiceMenu(id="choices")

    def compose(self) -> ComposeResult:
        with Horizontal(id="bar"):
            yield self._where
            yield self._progress
        with Container(id="middle"), Vertical(id="column"):
            with self._page:
                yield self._text
                yield self._found
            yield self._stuck
            yield self._choices
        if self.game.dev:
            from game.ui.widgets.dev_panel import DevPanel

            yield DevPanel(id="dev-panel")
        yield Footer()

    def on_mount(self) -> None:
        self.show_current()

    def on_screen_resume(self) -> None:
        if self.is_current:
            self.sync()

    def sync(self) -> None:
        """Redraw if the game moved since this screen last drew (a load, an undo, a restart)."""
        if self.session.state is not self._shown:
            self.show_current()
        else:
            self._progress.show(self.session.progress())

    def story_reloaded(self) -> None:
        """Under --dev the same state may read differently now: redraw without the reveal."""
        self.show_current(reveal=False)

    # -- drawing -----------------------------------------------------------------------

    def _taken_down(self) -> bool:
        """Whether the screen's widgets are being removed (an app quitting removes them last
        first, the choices before the text): a message or resume that arrives then has nothing
        left to draw on. (Walks up from the two widgets rather than querying the whole
        screen for them: it runs on every choice, and two queries were ~0.16 ms of it.)"""
        return not (self._holds(self._choices) and self._holds(self._text))

    def _holds(self, widget: Widget) -> bool:
        """Whether `widget` is still in this screen's DOM (a removed one has no parent)."""
        node: DOMNode | None = widget
        while node is not None and node is not self:
            node = node.parent
        return node is self

    def show_current(self, reveal: bool = True) -> None:
        state = self.session.state
        if state is None or self._taken_down():
            return
        try:
            view = self.session.view()
        except StoryRuntimeError as exc:
            self._shown = state
            self.game.show_story_error(exc)
            return
        self._shown = state
        self._view = view
        where = self._where
        if str(where.content) != (title := heading(view)):
            # No layout: the heading is one line of a fixed size (app.tcss), whatever it says.
            where.update(Text(title), layout=False)
        self._progress.show(self.session.progress())
        choices = self._choices
        options = self._options(view, choices)
        if options:  # in one go: clearing first lays the empty list out in between
            choices.set_options(options)
        else:
            choices.clear_options()
        found = self._found
        words = self.game.found_words(state)
        if words.plain or str(found.content):  # most find nothing: empty stays empty, no redraw
            found.update(words)
        read = self.session.read_before and self.session.settings.skip_read
        speed = self.game.text_speed if reveal and not read else 0
        self._choices_up = False
        if speed:
            choices.display = False  # until the text is all there
            found.display = False
            self._stuck.display = False
        else:
            # Shown at once: the choices stay up (and focused), so the focus, the bindings
            # and the Footer do not change at all (a Footer rebuild is most of a frame).
            self._show_choices(view)
        # One layout at every speed: the scene opens at its first line, text at the top.
        self._page.scroll_home(animate=False, immediate=True)
        self._text.reveal(view.paragraphs, speed)

    def _options(self, view: SceneView, choices: ChoiceMenu) -> list[Option]:
        if view.ending is not None:
            return [Option(choice_prompt(1, "The End ▸"), id=THE_END)]
        dim = why = Style()
        if any(c.locked for c in view.choices):  # (each choice's redraw recomputes these)
            dim = choices.get_component_rich_style("choice-menu--locked", partial=True)
            why = choices.get_component_rich_style("choice-menu--reason", partial=True)
        return [Option(locked_prompt(n, c, dim, why) if c.locked
                       else choice_prompt(n, c.text, self.session.taken_before(c.id)),
                       id=c.id)
                for n, c in enumerate(view.choices, 1)]

    def on_scene_text_revealed(self, event: SceneText.Revealed) -> None:
        event.stop()
        view = self._view
        if self._taken_down():
            return  # the game quit as the text finished: the widgets are going
        if view is None or self._text.revealing or self._choices_up:
            return  # a skip's message after the next scene began typing, or shown already
        self._show_choices(view)

    def _show_choices(self, view: SceneView) -> None:
        """The text is all there: what comes under it (the facts found, then the choices,
        or the note that the story is stuck)."""
        found = self._found
        found.display = bool(str(found.content))
        stuck = self._stuck
        stuck.display = view.stuck
        self._choices_up = True
        choices = self._choices
        choices.display = bool(view.choices) or view.ending is not None  # locked ones too
        if choices.display:
            choices.highlighted = 0
            if self.focused is not choices:
                choices.focus()

    # -- input -------------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """Any key while the text is being typed out shows all of it. A key that picks
        (a number, Enter, space) does only that: the player has not seen the choices yet;
        any other key (F1, j, s, Escape...) then does what it says too."""
        if self._text.skip() and (event.key in REVEAL_ONLY or event.key.isdigit()):
            event.stop()
            event.prevent_default()

    def on_click(self, event: events.Click) -> None:
        if self._text.skip():
            event.stop()

    def action_scroll_text(self, direction: int) -> None:
        """Page Up/Down scroll a long scene while the arrow keys stay on the choices."""
        page = self._page
        page.release_anchor()
        if direction < 0:
            page.scroll_page_up()
        else:
            page.scroll_page_down()

    def action_pick(self, number: int) -> None:
        if self._text.skip():
            return
        view = self._view
        if view is None:
            return
        if view.ending is not None:
            if number == 1:
                self.game.show_ending()
            return
        if not 1 <= number <= len(view.choices):
            if len(view.choices) == 1:
                self.notify("There is only one choice here: press 1 (or Enter).",
                            severity="warning", timeout=3)
            elif view.choices:
                self.notify(f"There is no choice {number} here; pick 1 to {len(view.choices)}.",
                            severity="warning", timeout=3)
            return
        self.choose(view.choices[number - 1].id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == THE_END:
            self.game.show_ending()
        elif event.option.id is not None:
            self.choose(event.option.id)

    def choose(self, choice_id: str) -> None:
        try:
            move = self.session.choose(choice_id)
        except StoryRuntimeError as exc:
            self.game.show_story_error(exc)
            return
        except ChoiceLocked as exc:  # shown, not takeable: say why; nothing moves
            self.notify(locked_words(exc.reason), severity="warning", timeout=4)
            return
        except ChoiceNotAvailable:
            self.show_current(reveal=False)  # the game moved under a stale list: redraw it
            return
        self.game.announce(move)
        self.show_current()
