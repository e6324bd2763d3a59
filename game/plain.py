"""Plain line mode: the whole game on stdin/stdout, for screen readers, pipes and scripts.

A parser over `game.session.Session`: it reads one line per prompt, turns it into a call on
the session, and prints what happened through `game.printer`. The rules (autosave, profile,
playtime, the fallback offer) are the session's, the same as in the Textual app. A file of
answers piped in plays a game deterministically, and end of input ends the game cleanly with
the autosave written (when there is a game in it: see the session's autosave policy).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from game.engine import ChoiceLocked, SceneView, StoryRuntimeError
from game.printer import Printer, sentence
from game.session import Move, Session, locked_words
from game.storage import display
from game.storage.errors import SaveError, SceneGone

HELP = """\
Commands:
  1, 2, 3...   take that choice (Enter alone continues when there is one way on)
  save NAME    save the game in a slot called NAME
  load NAME    load the game saved as NAME
  continue     go back to the game in progress (the autosave)
  saves        list the saved games
  journal      the facts you have found in any game, and hints for the rest
  back         undo your last choice
  look         show the scene again
  restart      start a new game
  help         this list
  quit         leave (your game is autosaved after every choice)"""

QUIT_WORDS = ("quit", "exit", "q")
NEW_GAME = "start a new game"
CARRY_ON = "keep playing where you are"


class PlainGame:
    """One plain-mode game: a new game is under way (unsaved) as soon as it is built."""

    def __init__(self, session: Session, out: TextIO, width: int | None = None) -> None:
        self.session = session
        self.printer = Printer(out, width)
        self.decline = CARRY_ON
        """What 'no' to a fallback offer means: a new game when nothing was shown yet."""
        self.pending: Callable[[], None] | None = None
        """What a 'yes' to the question just asked (replace a save, restart) will do."""
        self.session.new_game()
        self.report_profile()

    # -- output ------------------------------------------------------------------------

    def say(self, text: str = "") -> None:
        self.printer.say(text)

    def show(self, announce: bool = False) -> None:
        session = self.session
        assert session.state is not None
        self.printer.scene(session.view(), session.story, session.state, announce)

    def report_profile(self) -> None:
        self.printer.warn(self.session.profile_warning())

    def report_autosave(self, move: Move) -> None:
        if move.autosave_error:
            self.printer.warn(f"Autosave failed: {move.autosave_error}")
        self.printer.warn(move.autosave_notice)

    def report(self, move: Move) -> None:
        self.report_profile()
        self.report_autosave(move)

    def journal(self) -> None:
        """Facts found in any playthrough (the profile); those new in this game are marked."""
        session = self.session
        assert session.state is not None
        profile = session.profile
        mine = set(session.state.facts)
        self.printer.journal(session.story, set(profile.facts) | mine,
                             mine - session.found_before, profile.endings,
                             dict(profile.replay.titles))

    # -- input -------------------------------------------------------------------------

    def run(self, inp: TextIO, show_first: bool = True) -> int:
        if show_first:
            if self.session.has_autosave():
                self.say("(You have a game in progress. Type 'continue' to go back to it; "
                         "your first choice here starts a new game instead.)")
            self.show(announce=True)  # the first scene's facts are found like any other
        while True:
            self.printer.prompt()
            line = inp.readline()
            if not line:
                self.say()
                return self.leave()
            if not self.handle(line.strip()):
                return self.leave()

    def leave(self) -> int:
        if not self.session.in_autosave:
            self.say("Goodbye.")  # nothing played: the autosave stays as it was
            return 0
        self.session.quit()
        self.say(f"{self.session.status_line()} Goodbye.")
        return 0

    def handle(self, command: str) -> bool:
        """Act on one line; False means quit."""
        word, _, rest = command.partition(" ")
        word = word.lower()
        rest = rest.strip()
        if self.session.offer is not None:
            return self.answer_offer(word)
        if self.pending is not None:
            return self.answer_question(word)
        view = self.session.view()
        if view.ending is not None and (command == "" or command.isdigit()):
            self.say("The story has ended. Type 'restart' to play again, 'back' to undo your "
                     "last choice, 'journal', or 'quit'.")
        elif command == "" and len(view.choices) == 1 and view.choices[0].is_continue and (
                not view.choices[0].locked):
            self.pick(view, 1)
        elif command.isdigit():
            self.pick(view, int(command))
        elif word in QUIT_WORDS:
            return False
        elif word in ("help", "?", "h"):
            self.say(HELP)
        elif word == "journal":
            self.journal()
        elif word == "look":
            self.show()
        elif word in ("back", "undo"):
            self.back()
        elif word == "restart":
            self.ask(self.session.replace_question(), self.restart)
        elif word == "save":
            self.save(rest)
        elif word == "load":
            self.load(rest)
        elif word == "saves":
            self.list_saves()
        elif word in ("continue", "resume"):
            if self.session.has_autosave():
                self.load(self.session.autosave_slot)
            else:
                self.say("No game in progress to continue.")
        elif command == "":
            self.say("Type the number of a choice, or 'help'.")
        else:
            self.say(f"I didn't understand '{command}'. Type the number of a choice, or 'help'.")
        return True

    def ask(self, question: str | None, then: Callable[[], None]) -> None:
        """Do `then` now, or after a 'yes' when `question` says what it would replace."""
        if question is None:
            then()
            return
        self.pending = then
        self.say(f"{question} (yes/no)")

    def answer_question(self, word: str) -> bool:
        if word in QUIT_WORDS:
            return False
        if word in ("yes", "y"):
            then, self.pending = self.pending, None
            if then is not None:
                then()
        elif word in ("no", "n"):
            self.pending = None
            self.say("Nothing changed.")
        else:
            self.say("Please type 'yes' or 'no'.")
        return True

    def restart(self) -> None:
        self.report(self.session.new_game())
        self.show(announce=True)

    def pick(self, view: SceneView, number: int) -> None:
        if not 1 <= number <= len(view.choices):
            if len(view.choices) == 1:
                self.say(f"There is no choice {number}; the only choice here is 1.")
            elif view.choices:
                self.say(f"There is no choice {number}; pick 1 to {len(view.choices)}.")
            else:
                self.say("There are no choices here. Type 'restart', 'back' or 'quit'.")
            return
        try:
            move = self.session.choose(view.choices[number - 1].id)
        except ChoiceLocked as exc:  # shown, not takeable: say why, and ask again
            self.say(locked_words(exc.reason))
            return
        self.report(move)
        self.show(announce=True)

    def back(self) -> None:
        move = self.session.back()
        if move is None:
            self.say("You are at the very beginning; there is nothing to undo.")
            return
        self.report_profile()
        self.say("You take back your last choice.")
        self.report_autosave(move)
        self.show()

    def save(self, name: str) -> None:
        if not name:
            self.say("Save under what name? For example: save before-the-wedding")
            return
        try:
            rows = {row.name: row for row in self.session.slots()}  # (a damaged one is
            # kept aside by the store, so only a good save is worth the question)
        except SaveError:
            rows = {}
        row = rows.get(name.strip())
        if row is not None and row.loadable and not self.session.is_automatic(row.name):
            self.ask(f"There is already a save named '{row.name}' ({display.summary(row)}). "
                     "Replace it?", lambda: self.write(name))
            return
        self.write(name)

    def write(self, name: str) -> None:
        try:
            saved = self.session.save(name)
        except SaveError as exc:
            self.say(f"Not saved: {exc}")
            return
        self.say(f"Saved as '{name.strip()}' ({saved.path}).")
        self.printer.warn(saved.notice)

    def load(self, name: str) -> bool:
        """Load a slot; True when a game was loaded or a fallback offered (nothing shown yet)."""
        if not name:
            self.say("Load which save? Type 'saves' to list them.")
            return False
        try:
            move = self.session.load(name)
        except SceneGone as exc:
            self.say(sentence(str(exc)))
            if self.session.offer is None:
                return False
            self.say(f"Type 'yes' to continue from there, or 'no' to {self.decline}.")
            return True
        except SaveError as exc:
            self.say(sentence(str(exc)))
            return False
        self.report(move)
        self.say(f"Loaded '{name.strip()}'.")
        if move.note:
            self.say(move.note)
        self.show()
        return True

    def answer_offer(self, word: str) -> bool:
        if word in QUIT_WORDS:
            return False
        if word in ("yes", "y"):
            self.decline = CARRY_ON
            move = self.session.accept_offer()
            self.report_profile()
            self.say("You pick up the story from the nearest place that still exists.")
            self.report_autosave(move)
            self.show()
        elif word in ("no", "n"):
            self.session.decline_offer()
            self.say("Starting a new game." if self.decline == NEW_GAME
                     else "You keep playing where you are.")
            self.decline = CARRY_ON
            self.show()
        else:
            self.say(f"Please type 'yes' to continue from there, or 'no' to {self.decline}.")
        return True

    def list_saves(self) -> None:
        try:
            slots = self.session.slots()
        except SaveError as exc:
            self.say(sentence(str(exc)))
            return
        self.printer.saves(slots)


def play(session: Session, inp: TextIO, out: TextIO, load: str | None = None) -> int:
    """Plain mode until the player quits or input ends; `load` is `play --load SLOT`."""
    try:
        game = PlainGame(session, out)
        if load is not None:
            game.say(f"Loading '{load}'...")
            game.decline = NEW_GAME  # nothing is shown yet: 'no' means the new game
            loaded = game.load(load)
            if session.offer is None:
                game.decline = CARRY_ON
            if loaded:
                return game.run(inp, show_first=False)
            game.say("Starting a new game instead.")
        return game.run(inp)
    except StoryRuntimeError as exc:
        printer = Printer(out)
        printer.say()
        printer.say(f"The story hit a bug and cannot go on: {exc}")
        return 1
