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
from game.storage.saves import AUTOSAVE, SaveError, SaveStore
from game.story.model import Story

HELP = """\
Commands:
  1, 2, 3...   take that choice (Enter alone continues when there is one way on)
  save NAME    save the game in a slot called NAME
  load NAME    load the game saved as NAME
  saves        list the saved games
  journal      the facts you have found, and hints for the rest
  back         undo your last choice
  look         show the scene again
  restart      start a new game
  help         this list
  quit         leave (your game is autosaved after every choice)"""


class PlainGame:
    def __init__(self, story: Story, store: SaveStore, out: TextIO,
                 width: int | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.story = story
        self.engine = Engine(story)
        self.store = store
        self.out = out
        self.width = width or max(40, min(shutil.get_terminal_size((80, 24)).columns, 100))
        self.clock = clock
        self.state: GameState = self.engine.start()
        self.started = clock()

    # -- output ------------------------------------------------------------------------

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")

    def wrap(self, text: str, indent: str = "") -> None:
        lines = textwrap.wrap(markup.strip(text), self.width, initial_indent=indent,
                              subsequent_indent=indent) or [""]
        self.say("\n".join(lines))

    def show(self) -> None:
        view = self.engine.view(self.state)
        heading = view.title if not view.chapter else f"{view.chapter}: {view.title}"
        self.say()
        self.say(f"== {heading} ==")
        for paragraph in view.paragraphs:
            self.say()
            self.wrap(paragraph)
        for fact_id in view.new_facts:
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
                self.wrap(f"{number}. {markup.strip(choice.text)}")

    def show_ending(self, view: SceneView) -> None:
        assert view.ending is not None
        self.say(f"THE END: {view.ending.title}")
        found = self.state.facts
        self.say(f"You found {len(found)} of {len(self.story.facts)} facts in this playthrough.")
        for fact_id in found:
            self.wrap(f"- {self.story.facts[fact_id].title}", "")
        self.say("Type 'restart' to play again, 'back' to undo your last choice, "
                 "'journal', or 'quit'.")

    def journal(self) -> None:
        found = set(self.state.facts)
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
                    self.wrap(f"- {fact.title}: {fact.text}", "  ")
                    if fact.source:
                        self.wrap(f"Source: {fact.source}", "    ")
                else:
                    self.wrap(f"- ??? {('Hint: ' + fact.hint) if fact.hint else ''}", "  ")
        self.say()

    # -- input -------------------------------------------------------------------------

    def run(self, inp: TextIO, show_first: bool = True) -> int:
        if show_first:
            self.show()
        while True:
            self.out.write("> ")
            self.out.flush()
            line = inp.readline()
            if not line:
                self.say()
                self.autosave()
                self.say("Your game is saved. Goodbye.")
                return 0
            if not self.handle(line.strip()):
                self.autosave()
                self.say("Your game is saved. Goodbye.")
                return 0

    def handle(self, command: str) -> bool:
        """Act on one line; False means quit."""
        word, _, rest = command.partition(" ")
        word = word.lower()
        rest = rest.strip()
        view = self.engine.view(self.state)
        if command == "" and len(view.choices) == 1 and view.choices[0].is_continue:
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
            self.state = self.engine.start()
            self.show()
        elif word == "save":
            self.save(rest)
        elif word == "load":
            self.load(rest)
        elif word == "saves":
            self.list_saves()
        elif command == "":
            self.say("Type the number of a choice, or 'help'.")
        else:
            self.say(f"I didn't understand '{command}'. Type the number of a choice, or 'help'.")
        return True

    def pick(self, view: SceneView, number: int) -> None:
        if not 1 <= number <= len(view.choices):
            if view.choices:
                self.say(f"There is no choice {number}; pick 1 to {len(view.choices)}.")
            else:
                self.say("There are no choices here. Type 'restart', 'back' or 'quit'.")
            return
        self.state = self.engine.choose(self.state, view.choices[number - 1].id)
        self.autosave()
        self.show()

    def back(self) -> None:
        previous = self.engine.back(self.state)
        if previous is None:
            self.say("You are at the very beginning; there is nothing to undo.")
            return
        self.state = previous
        self.say("You take back your last choice.")
        self.autosave()
        self.show()

    def playtime(self) -> float:
        return self.clock() - self.started

    def autosave(self) -> None:
        try:
            self.store.save(AUTOSAVE, self.state, self.playtime())
        except SaveError as exc:
            self.say(f"(Autosave failed: {exc})")

    def save(self, name: str) -> None:
        if not name:
            self.say("Save under what name? For example: save before-the-wedding")
            return
        try:
            path = self.store.save(name, self.state, self.playtime())
        except SaveError as exc:
            self.say(f"Not saved: {exc}")
            return
        self.say(f"Saved as '{name}' ({path}).")

    def load(self, name: str) -> bool:
        if not name:
            self.say("Load which save? Type 'saves' to list them.")
            return False
        try:
            loaded = self.store.load(name)
        except SaveError as exc:
            self.say(f"Could not load: {exc}")
            return False
        self.state = loaded.state
        self.say(f"Loaded '{name}'.")
        if loaded.message:
            self.say(loaded.message)
        self.show()
        return True

    def list_saves(self) -> None:
        slots = sorted(p.stem for p in self.store.folder.glob("*.json"))
        if not slots:
            self.say("No saved games yet. Type 'save NAME' to make one.")
        for slot in slots:
            self.say(f"- {slot}")


def play(story: Story, store: SaveStore, inp: TextIO, out: TextIO,
         load: str | None = None) -> int:
    game = PlainGame(story, store, out)
    try:
        if load is not None:
            game.say(f"Loading '{load}'...")
            if game.load(load):
                return game.run(inp, show_first=False)
            game.say("Starting a new game instead.")
        return game.run(inp)
    except StoryRuntimeError as exc:
        game.say()
        game.say(f"The story hit a bug and cannot go on: {exc}")
        return 1

