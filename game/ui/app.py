"""The Textual application: navigation between screens, app-wide keys, and the command palette.

Start-up speed is a feature (a player launches the game far more often than they open the
settings), so this module imports only what the title screen needs; every other screen is
imported the first time it is shown. Screens call the `action_*` methods and helpers here
rather than pushing each other, so the rules "one overlay at a time", "escape goes back"
and "the play screen redraws when the game moved" live in one place.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import partial
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen
from textual.theme import Theme
from textual.timer import Timer

from game.engine.errors import StoryRuntimeError
from game.session import Session
from game.storage.errors import SaveError, SceneGone
from game.storage.names import QUICKSAVE
from game.story.model import Story
from game.ui.screens.base import GameScreen, Overlay
from game.ui.screens.title import TitleScreen

if TYPE_CHECKING:
    from game.session import Move
    from game.story.watch import StoryWatcher

UI_DIR = Path(__file__).resolve().parent

MIN_WIDTH = 40
MIN_HEIGHT = 12
"""Below this the play screen cannot show a scene and its choices together."""

THEME_SAVE_DELAY = 1.0
"""A theme chosen in the command palette is written to the profile this long after, so a
quick series of changes writes the profile once (quitting writes a pending one at once)."""


HIGH_CONTRAST = Theme(
    name="high-contrast", dark=True, primary="#ffff00", secondary="#00ffff",
    accent="#ffff00", foreground="#ffffff", background="#000000", surface="#000000",
    panel="#1a1a1a", success="#00ff00", warning="#ffaa00", error="#ff4040", boost="#333333",
)
"""Pure white on black with yellow highlights, for low vision; in the Theme list."""


class OffScreenApp(App[int]):
    """The game. `offscreen play` builds one; tests build one and drive it with a Pilot."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [UI_DIR / "app.tcss",
                                                UI_DIR / "screens" / "title.tcss"]
    """Absolute, so that subclasses elsewhere find them; the title screen's is here because
    Textual does not load the CSS_PATH of the default screen."""
    TITLE = "Off Screen"
    NOTIFICATION_TIMEOUT = 4
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("f1", "help", "Help", key_display="F1"),
        Binding("question_mark", "help", "Help", show=False),
        Binding("j", "journal", "Journal"),
    ]
    QUICK_KEYS: ClassVar[tuple[str, str]] = ("F5", "F9")
    """The quicksave and quickload keys that toasts and the palette name (the web game's
    differ: a browser keeps F5)."""

    def __init__(self, story: Story, story_dir: Path, saves_dir: Path,
                 load: str | None = None, dev: bool = False, seed: int | None = None) -> None:
        super().__init__()
        self.session = Session(story, saves_dir, background=True, seed=seed)
        """Writes off the UI thread: a key press never waits for the disk (see Session)."""
        self.session.on_report = self._autosave_report
        self.story_dir = story_dir
        self.initial_load = load
        self.dev = dev
        self.title = story.title
        self.sub_title = story.subtitle or ""
        self.too_small = False
        self.dev_errors: tuple[str, ...] = ()
        self._watcher: StoryWatcher | None = None
        self._theme_timer: Timer | None = None
        self._motion = self.animation_level
        """The animation level the environment asked for (TEXTUAL_ANIMATIONS)."""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._found: Move | None = None
        """The last move that found facts, for the play screen to show under its text."""
        self._held: list[Callable[[], None]] = []
        """Notifications raised while a dialog was up, shown once it closes (`notify`)."""

    # -- start -------------------------------------------------------------------------

    def get_default_screen(self) -> Screen[None]:
        return TitleScreen()

    def on_mount(self) -> None:
        self._loop = asyncio.get_running_loop()
        settings = self.session.settings
        self.register_theme(HIGH_CONTRAST)
        self._motion = self.animation_level
        self.apply_motion()
        if settings.theme in self.available_themes:
            self.theme = settings.theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.warn_about_profile()
        self._check_size(self.size)
        if self.initial_load is not None:
            self.call_after_refresh(self.load_game, self.initial_load)
        if self.dev:
            from game.story.watch import POLL_SECONDS, StoryWatcher

            self._watcher = StoryWatcher(self.story_dir)
            self.set_interval(POLL_SECONDS, self.poll_story)

    # -- size --------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._check_size(event.size)

    def _check_size(self, size: Size) -> None:
        small = size.width < MIN_WIDTH or size.height < MIN_HEIGHT
        if not small and not self.too_small:
            return  # the usual case, decided without importing the notice's screen
        from game.ui.screens.too_small import TooSmallScreen

        if small:
            if isinstance(self.screen, TooSmallScreen):
                self.screen.show_size(size)
            elif not self.too_small:
                self.push_screen(TooSmallScreen(size, MIN_WIDTH, MIN_HEIGHT))
            self.too_small = True
        elif self.too_small:
            self.too_small = False
            if isinstance(self.screen, TooSmallScreen):
                self.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Game keys do nothing under the 'too small' notice or a question awaiting an answer."""
        if action == "quit":
            return True
        if self.too_small:
            return False
        return not (isinstance(self.screen, ModalScreen) and action != "help")

    # -- navigation --------------------------------------------------------------------

    def unwind(self, keep: type[Screen[None]]) -> bool:
        """Pop screens until one of type `keep` is on top; False if there is none."""
        if not any(isinstance(s, keep) for s in self.screen_stack):
            return False
        while len(self.screen_stack) > 1 and not isinstance(self.screen, keep):
            self.pop_screen()
        return True

    def open_overlay(self, screen: Overlay) -> None:
        """Journal, saves, history, settings, help: opening one replaces another; one opened
        from a menu overlay (the extras) goes over it, so Escape returns to that menu."""
        if isinstance(self.screen, type(screen)):
            self.pop_screen()
        elif isinstance(self.screen, Overlay) and not self.screen.MENU:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def show_play(self, move: Move | None = None) -> None:
        """Bring the play screen to the front; it redraws itself if the game moved."""
        from game.ui.screens.play import PlayScreen

        if not self.unwind(PlayScreen):
            self.unwind(TitleScreen)
            self.push_screen(PlayScreen())
        elif isinstance(self.screen, PlayScreen):
            self.screen.sync()  # already in front: no ScreenResume will tell it
        if move is not None:
            self.announce(move)

    def show_ending(self) -> None:
        from game.ui.screens.ending import EndingScreen

        if not isinstance(self.screen, EndingScreen):
            self.push_screen(EndingScreen())

    def show_story_error(self, error: StoryRuntimeError) -> None:
        from game.ui.screens.error import StoryErrorScreen

        self.push_screen(StoryErrorScreen(str(error)))

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """A toast, in the band above the footer (app.tcss), on one line where it fits: the
        title goes before the message ("Save · Saved as 'x'.") rather than on a line of its
        own. While a dialog is up the whole screen is its own, so a toast raised then waits
        (its time not yet running) until the dialog closes and a game screen comes back
        (`release_notifications`). The game's messages are plain text: a save's name is
        never read as markup (Textual's escaping misses some brackets, so none is used)."""
        body = f"{title} · {message}" if title else message
        show = partial(super().notify, body, title="", severity=severity, timeout=timeout,
                       markup=markup)
        if isinstance(self.screen, ModalScreen):
            self._held.append(show)
        else:
            show()

    def release_notifications(self) -> None:
        """A game screen is in front again: the toasts held while a dialog was up."""
        held, self._held = self._held, []
        for show in held:
            show()

    def warn_about_profile(self) -> None:
        """Say once what went wrong with the profile file (moved aside, unwritable...)."""
        warning = self.session.profile_warning()
        if warning:
            self.notify(warning, title="Profile", severity="warning", timeout=10)

    def _autosave_report(self, error: str | None, notice: str | None) -> None:
        """From the writer's thread after each autosave: problems become toasts, posted to
        the app's loop without waiting (the UI thread may itself be waiting for the writer)."""
        if error is None and notice is None:
            return
        loop = self._loop
        if loop is not None:
            loop.call_soon_threadsafe(self._autosave_problem, error, notice)

    def _autosave_problem(self, error: str | None, notice: str | None) -> None:
        if error:
            self.notify(f"Autosave failed: {error}", title="Autosave", severity="error",
                        timeout=10)
        if notice:
            self.notify(notice, title="Autosave", severity="warning", timeout=10)

    def announce(self, move: Move) -> None:
        """After a move: the facts it found (the reward) go under the scene's text, all in
        one place (`found_words`); a failed autosave (the risk) is a toast."""
        self._found = move if move.new_facts else None
        self._autosave_problem(move.autosave_error, move.autosave_notice)
        self.warn_about_profile()

    def found_words(self, state: object) -> Text:
        """The facts the move into `state` found, one line for all of them; empty for a
        state reached another way (a load, an undo), which finds nothing new."""
        move = self._found
        words = Text()
        if move is None or move.state is not state:
            return words
        new = [f.title for f in move.new_facts if f.id in move.first_time]
        again = [f.title for f in move.new_facts if f.id not in move.first_time]
        if new:
            label = "New fact" if len(new) == 1 else f"{len(new)} new facts"
            words.append(f"★ {label} for your journal: {'; '.join(new)}")
        if again:
            label = "Fact" if len(again) == 1 else "Facts"
            words.append(("\n" if new else "") + f"{label} found again: {'; '.join(again)}",
                         style="not bold")
        return words

    # -- game actions ------------------------------------------------------------------

    def ask_first(self, question: str | None, then: Callable[[], None], yes: str) -> None:
        """Do `then` now, or after a yes when `question` says what it would replace."""
        from game.ui.screens.confirm import ConfirmScreen

        if question is None:
            then()
            return

        def answer(agreed: bool | None) -> None:
            if agreed:
                then()

        self.push_screen(ConfirmScreen(question, yes=yes, no="Cancel"), answer)

    def ask_new_game(self) -> None:
        """New game from the title or the palette: asks first when a game is in progress."""
        self.ask_first(self.session.replace_question(), self.new_game, yes="New game")

    def ask_load(self, slot: str) -> None:
        """Load from the save list or the palette: asks first when a game is in progress."""
        self.ask_first(self.session.replace_question(slot), lambda: self.load_game(slot),
                       yes="Load")

    def new_game(self) -> None:
        try:
            move = self.session.new_game()
        except StoryRuntimeError as exc:
            self.show_story_error(exc)
            return
        self.show_play(move)

    def continue_game(self) -> None:
        self.load_game(self.session.autosave_slot,
                       done="Welcome back: you are where you left off.")

    def load_game(self, slot: str, done: str | None = None) -> None:
        """Load a slot and play it; a problem is a toast (or, for a lost scene, a question)."""
        try:
            move = self.session.load(slot)
        except SceneGone as exc:
            self._offer_fallback(exc)
            return
        except SaveError as exc:
            self.notify(str(exc), title="Cannot load", severity="error", timeout=10)
            return
        self.notify(done or f"Loaded '{slot}'.", title="Load")
        if move.note:
            self.notify(move.note, title="Story changed", severity="warning", timeout=10)
        self.show_play()

    def _offer_fallback(self, gone: SceneGone) -> None:
        from game.ui.screens.scene_gone import SceneGoneScreen

        offer = self.session.offer

        def answer(choice: str | None) -> None:
            if choice == "resume" and self.session.offer is not None:
                self.session.accept_offer()
                self.show_play()
                return
            self.session.decline_offer()
            if choice == "new":
                self.new_game()

        self.push_screen(SceneGoneScreen(str(gone), offer.title if offer else None), answer)

    def action_undo(self) -> None:
        if self.session.state is None:
            return
        if self.session.back() is None:
            self.notify("This is the very beginning: there is no choice to undo.", title="Back")
            return
        self.notify("You take back your last choice.", title="Back")
        self.show_play()

    def action_quicksave(self) -> None:
        if self.session.state is None:
            self.notify("Start or load a game first.", title="Quicksave", severity="warning")
            return
        self.save_to(QUICKSAVE, "Quicksave", f"Quicksaved ({self.QUICK_KEYS[1]} to return here).",
                     failed="Quicksave failed")

    def save_to(self, slot: str, title: str, done: str, failed: str = "Not saved") -> bool:
        """Save the game in `slot` and say how it went (what the store had to do on the way
        included); whether it was saved. The save screen and the quicksave key both use it."""
        try:
            saved = self.session.save(slot)
        except SaveError as exc:
            self.notify(str(exc), title=failed, severity="error", timeout=10)
            return False
        self.notify(done, title=title)
        if saved.notice:
            self.notify(saved.notice, title=title, severity="warning", timeout=10)
        return True

    def action_quickload(self) -> None:
        if not self.session.has_quicksave():
            self.notify(f"There is no quicksave yet ({self.QUICK_KEYS[0]} makes one).",
                        title="Quickload", severity="warning")
            return
        self.load_game(QUICKSAVE)

    def action_title(self) -> None:
        self.unwind(TitleScreen)

    # -- overlays ----------------------------------------------------------------------

    def action_journal(self) -> None:
        from game.ui.screens.journal import JournalScreen

        self.open_overlay(JournalScreen())

    def action_help(self) -> None:
        from game.ui.screens.help import HelpScreen

        self.open_overlay(HelpScreen())

    def action_history(self) -> None:
        from game.ui.screens.history import HistoryScreen

        if self.session.state is None:
            self.notify("Start or load a game first.", title="History", severity="warning")
            return
        self.open_overlay(HistoryScreen())

    def action_save(self) -> None:
        from game.ui.screens.saves import SavesScreen

        if self.session.state is None:
            self.notify("Start or load a game first.", title="Save", severity="warning")
            return
        self.open_overlay(SavesScreen("save"))

    def action_load(self) -> None:
        from game.ui.screens.saves import SavesScreen

        self.open_overlay(SavesScreen("load"))

    def action_settings(self) -> None:
        from game.ui.screens.settings import SettingsScreen

        self.open_overlay(SettingsScreen())

    def action_extras(self) -> None:
        from game.ui.screens.extras import ExtrasScreen

        self.open_overlay(ExtrasScreen())

    def action_gallery(self) -> None:
        from game.ui.screens.extras import GalleryScreen

        self.open_overlay(GalleryScreen())

    def action_chapters(self) -> None:
        from game.ui.screens.extras import ChaptersScreen

        self.open_overlay(ChaptersScreen())

    def action_credits(self) -> None:
        from game.ui.screens.credits import CreditsScreen

        self.open_overlay(CreditsScreen())

    # -- command palette ---------------------------------------------------------------

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The game's own commands; of Textual's, only Theme (Screenshot, Maximize and
        "Quit as soon as possible" are a developer's tools, not a player's)."""
        playing = self.session.state is not None
        yield SystemCommand("New game", "Start the story from the beginning",
                            self.ask_new_game)
        if self.session.has_autosave():
            yield SystemCommand("Continue", "Back to the game in progress", self.continue_game)
        if playing:
            yield SystemCommand("Save", "Save the game in a slot", self.action_save)
        yield SystemCommand("Load", "The list of saved games", self.action_load)
        yield from self._load_commands()
        yield SystemCommand("Journal", "Facts and endings found so far", self.action_journal)
        yield SystemCommand("Endings gallery", "Every ending: found, or a hint",
                            self.action_gallery)
        yield SystemCommand("Chapter select", "Start again from a chapter reached before",
                            self.action_chapters)
        yield SystemCommand("Credits", "The article, the sources, how facts are sourced",
                            self.action_credits)
        if playing:
            yield SystemCommand("History", "Read back through this playthrough",
                                self.action_history)
            yield SystemCommand("Back", "Undo your last choice", self.action_undo)
            yield SystemCommand("Quicksave", f"Save to the quick slot ({self.QUICK_KEYS[0]})",
                                self.action_quicksave)
        yield SystemCommand("Quickload", f"Load the quick slot ({self.QUICK_KEYS[1]})",
                            self.action_quickload)
        yield SystemCommand("Settings", "Theme, text speed, quit confirmation",
                            self.action_settings)
        for command in super().get_system_commands(screen):
            if command.title == "Theme":
                yield command
        yield SystemCommand("Help", "Every key, screen by screen", self.action_help)
        yield SystemCommand("Title", "Back to the title screen", self.action_title)
        yield SystemCommand("Quit", "Leave the game (it is autosaved)", self.action_quit)

    def _load_commands(self) -> Iterable[SystemCommand]:
        """One "Load 'NAME'" per save that can be loaded (asks first, like the save list)."""
        try:
            rows = self.session.slots()
        except SaveError:
            return
        for row in rows:
            if row.loadable and row.name != self.session.autosave_slot:
                yield SystemCommand(f"Load '{row.name}'", f"{row.place}, {row.saved}",
                                    lambda name=row.name: self.ask_load(name))

    # -- settings ----------------------------------------------------------------------

    def _theme_changed(self, theme: Theme) -> None:
        if self._theme_timer is not None:
            self._theme_timer.stop()
        self._theme_timer = self.set_timer(THEME_SAVE_DELAY, self.persist_theme)

    def persist_theme(self) -> None:
        self._theme_timer = None
        settings = self.session.settings
        if settings.theme != self.theme:
            self.session.save_settings(replace(settings, theme=self.theme))

    def apply_motion(self) -> None:
        """Reduced motion (a setting) turns every animation off, as TEXTUAL_ANIMATIONS=none
        does; turning it off again restores what the environment asked for."""
        self.animation_level = ("none" if self.session.settings.reduced_motion
                                else self._motion)

    @property
    def text_speed(self) -> int:
        """Characters per second for the typewriter; 0 when animations are off anywhere."""
        if self.animation_level == "none" or self.session.settings.reduced_motion:
            return 0
        return self.session.settings.text_speed

    # -- quitting ----------------------------------------------------------------------

    async def action_quit(self) -> None:
        from game.ui.screens.confirm import ConfirmScreen

        if isinstance(self.screen, ConfirmScreen):
            return
        if not self.session.settings.confirm_quit:
            self.leave()
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.leave()

        line = self.session.status_line()
        saved = f" {line}" if line else ""
        self.push_screen(ConfirmScreen(f"Quit {self.session.story.title}?{saved}",
                                       yes="Quit", no="Keep playing"), answer)

    def leave(self) -> None:
        """Quit, with the autosave brought up to date (its playtime, at least)."""
        from game.ui.screens.confirm import ConfirmScreen

        if self._theme_timer is not None:
            self._theme_timer.stop()
            self.persist_theme()
        error = self.session.quit()
        if error is None:
            self.exit(0)
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.exit(0)

        # The autosave of the last move is still on disk; say what failed, then let them go.
        self.push_screen(ConfirmScreen(f"Saving failed: {error}. Quit anyway?", yes="Quit",
                                       no="Stay"), answer)

    # -- live reload (--dev) -----------------------------------------------------------

    def poll_story(self) -> None:
        """Every half second under --dev: reload when a story file changed on disk."""
        result = self._watcher.poll() if self._watcher is not None else None
        if result is None:
            return
        from game.story.watch import error_lines
        from game.ui.widgets.dev_panel import DevPanel, count

        self.dev_errors = () if result.story is not None else error_lines(result)
        for screen in self.screen_stack:
            for panel in screen.query(DevPanel):
                panel.show_errors(self.dev_errors)
        if result.story is None:
            self.notify(f"{count(len(self.dev_errors))} in the story; still playing the last "
                        "good version.", title="Reload", severity="error")
            return
        self.notify(self.session.reload(result.story), title="Story reloaded")
        self.title = self.session.story.title
        self.sub_title = self.session.story.subtitle or ""
        if self.session.state is None:
            self.unwind(TitleScreen)  # nothing of the game survived the edit
        for screen in self.screen_stack:
            if isinstance(screen, GameScreen):
                screen.story_reloaded()
