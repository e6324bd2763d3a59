"""Plain line mode: the whole game on stdin/stdout, for screen readers, pipes and scripts.

Everything is words and numbers on their own lines, with no colour, no cursor movement and no
symbols a screen reader would spell out. The loop reads one line per prompt, so a file of
answers piped in plays a game deterministically, and end of input ends the game cleanly with
the autosave already written.
"""

from __future__ import annotations

import shutil
import textwrap
import time
from collections.abc import Callable
from typing import TextIO

from game import markup
from game.engine import Engine, GameState, SceneView, StoryRuntimeError
from game.storage import display
from game.storage.profile import ProfileStore
from game.storage.saves import AUTOSAVE, SaveError, SaveStore, SceneGone
from game.story.model import Story

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


class PlainGame:
    def __init__(self, story: Story, store: SaveStore, out: TextIO,
                 width: int | None = None, clock: Callable[[], float] = time.monotonic,
                 profiles: ProfileStore | None = None) -> None:
        self.story = story
        self.engine = Engine(story)
        self.store = store
        self.out = out
        self.width = width or max(40, min(shutil.get_terminal_size((80, 24)).columns, 100))
        self.clock = clock
        self.profiles = profiles or ProfileStore(store.folder, story)
        self.profile = self.profiles.load()
        self.shown: set[str] = set()
        """Storage warnings already printed: a full disk is said once, not after every choice."""
        self.state: GameState = self.engine.start()
        self.started = clock()
        self.known = self.profile.facts
        """Facts found before this game began, so the journal can mark the new ones."""
        self.dirty = False
        """True once this session changed the game; quitting before that keeps the autosave
        as it was (starting the game and leaving at once must not erase yesterday's game)."""
        self.offer: tuple[GameState, float, str] | None = None
        """A fallback place (state, playtime, what 'no' means) awaiting the player's yes/no."""
        self.record()

    # -- output ------------------------------------------------------------------------

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")

    def wrap(self, text: str, indent: str = "", hang: str | None = None) -> None:
        """Wrap to the terminal; `hang` indents continuation lines (under a list item's text)."""
        lines = textwrap.wrap(markup.strip(text), self.width, initial_indent=indent,
                              subsequent_indent=indent if hang is None else hang) or [""]
        self.say("\n".join(lines))

    def show(self, announce: bool = False) -> None:
        """The scene; `announce` only right after a choice, so that `back`, `look` and `load`
        do not report facts as newly found a second time."""
        view = self.engine.view(self.state)
        heading = view.title if not view.chapter else f"{view.chapter}: {view.title}"
        self.say()
        self.say(f"== {heading} ==")
        for paragraph in view.paragraphs:
            self.say()
            self.wrap(paragraph)
        for fact_id in view.new_facts if announce else ():
            self.say()
            self.wrap(f"New fact for your journal: {self.story.facts[fact_id].title}")
        self.say()
        self.show_choices(view)

    def show_choices(self, view: SceneView) -> None:
        if view.ending is not None:
            self.show_ending(view)
        elif view.stuck:
            self.say("There is no way on from here (the story offers no choice). "
                     "Type 'back' or 'restart'.")
        else:
            for number, choice in enumerate(view.choices, 1):
                self.wrap(f"{number}. {markup.strip(choice.text)}", "", "   ")

    def show_ending(self, view: SceneView) -> None:
        assert view.ending is not None
        self.say(f"THE END: {view.ending.title}")
        found = self.state.facts
        self.say(f"You found {len(found)} of {len(self.story.facts)} facts in this playthrough.")
        for fact_id in found:
            self.wrap(f"- {self.story.facts[fact_id].title}", "", "  ")
        self.say("Type 'restart' to play again, 'back' to undo your last choice, "
                 "'journal', or 'quit'.")

    def warn(self, message: str | None) -> None:
        """Print a storage problem once per session, in parentheses like an aside."""
        if message and message not in self.shown:
            self.shown.add(message)
            self.say(f"({message})")

    def journal(self) -> None:
        """Facts found in any playthrough (the profile); those new in this game are marked."""
        found = set(self.profile.facts) | set(self.state.facts)
        new = set(self.state.facts) - self.known
        total = len(self.story.facts)
        self.say()
        self.say(f"== Journal: {len(found)} of {total} facts found ==")
        for chapter in [*self.story.chapters(), None]:
            facts = [f for f in self.story.facts.values() if f.chapter == chapter]
            if not facts:
                continue
            self.say()
            self.say(chapter or "Other facts")
            for fact in facts:
                if fact.id in found:
                    mark = " (new)" if fact.id in new else ""
                    self.wrap(f"- {fact.title}{mark}: {fact.text}", "  ", "    ")
                    if fact.source:
                        self.wrap(f"Source: {fact.source}", "    ")
                else:
                    self.wrap(f"- ??? {('Hint: ' + fact.hint) if fact.hint else ''}", "  ",
                              "    ")
        self.say()
        if self.story.endings:
            reached = [e.title for e in self.story.endings.values()
                       if e.id in self.profile.endings]
            line = f"Endings reached: {len(reached)} of {len(self.story.endings)}"
            self.wrap(line + (f" ({', '.join(reached)})" if reached else ""))
            self.say()

    # -- input -------------------------------------------------------------------------

    def run(self, inp: TextIO, show_first: bool = True) -> int:
        if show_first:
            if self.store.exists(AUTOSAVE):
                self.say("(You have a game in progress. Type 'continue' to go back to it; "
                         "your first choice here starts a new game instead.)")
            self.show()
        while True:
            self.out.write("> ")
            self.out.flush()
            line = inp.readline()
            if not line:
                self.say()
                return self.leave()
            if not self.handle(line.strip()):
                return self.leave()

    def leave(self) -> int:
        if self.dirty:
            self.autosave()
            self.say("Your game is saved. Goodbye.")
        else:
            self.say("Goodbye.")
        return 0

    def handle(self, command: str) -> bool:
        """Act on one line; False means quit."""
        word, _, rest = command.partition(" ")
        word = word.lower()
        rest = rest.strip()
        if self.offer is not None:
            return self.answer_offer(word)
        view = self.engine.view(self.state)
        if view.ending is not None and (command == "" or command.isdigit()):
            self.say("The story has ended. Type 'restart' to play again, 'back' to undo your "
                     "last choice, 'journal', or 'quit'.")
        elif command == "" and len(view.choices) == 1 and view.choices[0].is_continue:
            self.pick(view, 1)
        elif command.isdigit():
            self.pick(view, int(command))
        elif word in ("quit", "exit", "q"):
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
            self.begin(self.engine.start(), 0.0)
            self.show()
        elif word == "save":
            self.save(rest)
        elif word == "load":
            self.load(rest)
        elif word == "saves":
            self.list_saves()
        elif word in ("continue", "resume"):
            self.load(AUTOSAVE)
        elif command == "":
            self.say("Type the number of a choice, or 'help'.")
        else:
            self.say(f"I didn't understand '{command}'. Type the number of a choice, or 'help'.")
        return True

    def pick(self, view: SceneView, number: int) -> None:
        if not 1 <= number <= len(view.choices):
            if len(view.choices) == 1:
                self.say(f"There is no choice {number}; the only choice here is 1.")
            elif view.choices:
                self.say(f"There is no choice {number}; pick 1 to {len(view.choices)}.")
            else:
                self.say("There are no choices here. Type 'restart', 'back' or 'quit'.")
            return
        self.state = self.engine.choose(self.state, view.choices[number - 1].id)
        self.dirty = True
        self.record()
        self.autosave()
        self.show(announce=True)

    def back(self) -> None:
        previous = self.engine.back(self.state)
        if previous is None:
            self.say("You are at the very beginning; there is nothing to undo.")
            return
        self.state = previous
        self.dirty = True
        self.say("You take back your last choice.")
        self.autosave()
        self.show()

    def playtime(self) -> float:
        return self.clock() - self.started

    def begin(self, state: GameState, playtime: float) -> None:
        """Switch to another game (new, loaded or a fallback): its clock and its new facts."""
        self.state = state
        self.started = self.clock() - playtime
        self.known = self.profile.facts
        self.dirty = True
        self.record()

    def record(self) -> None:
        """Keep the facts and ending of the current state in the profile, whatever happens next."""
        self.profile = self.profiles.record(self.state, self.story)
        self.warn(self.profiles.warning)

    def autosave(self) -> None:
        try:
            self.store.save(AUTOSAVE, self.state, self.playtime())
        except SaveError as exc:
            self.warn(f"Autosave failed: {exc}")
            return
        self.warn(self.store.notice)

    def save(self, name: str) -> None:
        if not name:
            self.say("Save under what name? For example: save before-the-wedding")
            return
        try:
            path = self.store.save(name, self.state, self.playtime())
        except SaveError as exc:
            self.say(f"Not saved: {exc}")
            return
        self.say(f"Saved as '{name.strip()}' ({path}).")
        self.warn(self.store.notice)

    def load(self, name: str, starting: bool = False) -> bool:
        """Load a slot; True when a game was loaded or a fallback offered (nothing shown yet).

        `starting` is for `--load` before any game was shown: declining a fallback then means
        a new game rather than carrying on with the current one.
        """
        if not name:
            self.say("Load which save? Type 'saves' to list them.")
            return False
        try:
            loaded = self.store.load(name)
        except SceneGone as exc:
            self.say(_sentence(str(exc)))
            if exc.fallback is None:
                return False
            decline = ("start a new game" if starting else "keep playing where you are")
            self.offer = (exc.fallback, exc.playtime, decline)
            self.say(f"Type 'yes' to continue from there, or 'no' to {decline}.")
            return True
        except SaveError as exc:
            self.say(_sentence(str(exc)))
            return False
        self.begin(loaded.state, loaded.playtime)
        self.say(f"Loaded '{name.strip()}'.")
        if loaded.message:
            self.say(loaded.message)
        self.show()
        return True

    def answer_offer(self, word: str) -> bool:
        assert self.offer is not None
        fallback, playtime, decline = self.offer
        if word in ("quit", "exit", "q"):
            return False
        if word in ("yes", "y"):
            self.offer = None
            self.begin(fallback, playtime)
            self.say("You pick up the story from the nearest place that still exists.")
            self.autosave()
            self.show()
        elif word in ("no", "n"):
            self.offer = None
            if decline == "start a new game":
                self.say("Starting a new game.")
            else:
                self.say("You keep playing where you are.")
            self.show()
        else:
            self.say(f"Please type 'yes' to continue from there, or 'no' to {decline}.")
        return True

    def list_saves(self) -> None:
        try:
            slots = self.store.slots()
        except SaveError as exc:
            self.say(_sentence(str(exc)))
            return
        if not slots:
            self.say("No saved games yet. Type 'save NAME' to make one.")
        for info in slots:
            self.wrap(f"- {display.summary(info)}")
            if info.message:
                self.wrap(info.message, "  ")


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:]


def play(story: Story, store: SaveStore, inp: TextIO, out: TextIO,
         load: str | None = None, profiles: ProfileStore | None = None) -> int:
    game = PlainGame(story, store, out, profiles=profiles)
    try:
        if load is not None:
            game.say(f"Loading '{load}'...")
            if game.load(load, starting=True):
                return game.run(inp, show_first=False)
            game.say("Starting a new game instead.")
        return game.run(inp)
    except StoryRuntimeError as exc:
        game.say()
        game.say(f"The story hit a bug and cannot go on: {exc}")
        return 1

