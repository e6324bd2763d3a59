"""Plain mode's output: scenes, choices, endings, the journal and save lists as wrapped lines.

Everything is words and numbers on their own lines, with no colour, no cursor movement and no
symbols a screen reader would spell out (the author's emphasis markers are dropped). What to
print is decided by `game.plain`; how it reads is decided here.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Mapping
from typing import TextIO

from game import markup
from game.engine import ChoiceView, SceneView
from game.engine.state import GameState
from game.printable import printable
from game.storage import display
from game.story.model import Story


class Printer:
    """Writes to `out`, wrapped to `width` (the terminal's, between 40 and 100 columns)."""

    def __init__(self, out: TextIO, width: int | None = None) -> None:
        self.out = out
        self.width = width or max(40, min(shutil.get_terminal_size((80, 24)).columns, 100))
        self.shown: set[str] = set()
        """Storage warnings already printed: a full disk is said once, not after every choice."""

    def say(self, text: str = "") -> None:
        self.out.write(printable(text, lines=True) + "\n")

    def prompt(self) -> None:
        self.out.write("> ")
        self.out.flush()

    def wrap(self, text: str, indent: str = "", hang: str | None = None) -> None:
        """Wrap to the terminal; `hang` indents continuation lines (under a list item's text)."""
        lines = textwrap.wrap(markup.strip(text), self.width, initial_indent=indent,
                              subsequent_indent=indent if hang is None else hang) or [""]
        self.say("\n".join(lines))

    def warn(self, message: str | None) -> None:
        """A storage problem, once per session, in parentheses like an aside."""
        if message and message not in self.shown:
            self.shown.add(message)
            self.say(f"({message})")

    def scene(self, view: SceneView, story: Story, state: GameState, announce: bool) -> None:
        """The scene; `announce` only right after a choice, so that `back`, `look` and `load`
        do not report facts as newly found a second time."""
        heading = view.title if not view.chapter else f"{view.chapter}: {view.title}"
        self.say()
        self.say(f"== {heading} ==")
        for paragraph in view.paragraphs:
            self.say()
            self.wrap(paragraph)
        for fact_id in view.new_facts if announce else ():
            self.say()
            self.wrap(f"New fact for your journal: {story.facts[fact_id].title}")
        self.say()
        if view.ending is not None:
            self.ending(view, story, state)
        else:
            for number, choice in enumerate(view.choices, 1):
                self.wrap(f"{number}. {markup.strip(choice.text)}{locked_note(choice)}", "",
                          "   ")
            if view.stuck:
                if view.choices:
                    self.say()
                self.say("There is no way on from here (the story offers no choice"
                         f"{' that is not locked' if view.choices else ''}). "
                         "Type 'back' or 'restart'.")

    def ending(self, view: SceneView, story: Story, state: GameState) -> None:
        assert view.ending is not None
        self.say(f"THE END: {view.ending.title}")
        found = state.facts
        self.say(f"You found {len(found)} of {len(story.facts)} facts in this playthrough.")
        for fact_id in found:
            self.wrap(f"- {story.facts[fact_id].title}", "", "  ")
        self.say("Type 'restart' to play again, 'back' to undo your last choice, "
                 "'journal', or 'quit'.")

    def journal(self, story: Story, found: set[str], new: set[str],
                endings: frozenset[str], titles: Mapping[str, str] | None = None) -> None:
        """Every fact by chapter: `found` in any playthrough, `new` ones marked as such."""
        self.say()
        self.say(f"== Journal: {len(found)} of {len(story.facts)} facts found ==")
        for chapter in [*story.chapters(), None]:
            facts = [f for f in story.facts.values() if f.chapter == chapter]
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
        if story.endings:
            reached = [(titles or {}).get(e.id, e.title) for e in story.endings.values()
                       if e.id in endings]
            line = f"Endings reached: {len(reached)} of {len(story.endings)}"
            self.wrap(line + (f" ({', '.join(reached)})" if reached else ""))
            self.say()

    def saves(self, slots: list[display.SlotRow]) -> None:
        if not slots:
            self.say("No saved games yet. Type 'save NAME' to make one.")
        for slot in slots:
            self.wrap(f"- {display.summary(slot)}")
            if slot.note:
                self.wrap(slot.note, "  ")


def locked_note(choice: ChoiceView) -> str:
    """` (locked: REASON)` after a locked choice's text, ` (locked)` without a reason, ''
    for a choice that can be taken (the DESIGN's plain-mode contract)."""
    if not choice.locked:
        return ""
    return f" (locked: {markup.strip(choice.reason)})" if choice.reason else " (locked)"


def sentence(message: str) -> str:
    """A store's message (lower-case, to follow a colon) as a sentence of its own."""
    return message[:1].upper() + message[1:]
