"""Credits: the article the story retells, every source its facts credit, and how facts are
sourced. All of it is read from the story's facts, so a new fact's outlet appears here
without anyone editing this screen.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from game.story.model import Story
from game.ui.screens.base import Overlay

ARTICLE_SOURCE = "The article itself"
"""How a fact's source names the article the story retells (then ': "Headline", ...')."""

HOW = ("Every fact in the journal is something reported about the real people the story is "
       "about, and each one names where it was reported: the outlet, and what it quoted.")
HOW_ARTICLE = (" Facts whose source is \"the article itself\" come from the article above, which "
               "names its own sources in turn.")
HOW_FICTION = " The scenes around the facts, and the character you play, are fiction."


def article(story: Story) -> str | None:
    """The retold article's citation, from the first fact that credits 'the article itself'."""
    for fact in story.facts.values():
        if fact.source.startswith(ARTICLE_SOURCE) and ": " in fact.source:
            return " ".join(fact.source.split(": ", 1)[1].split())
    return None


def sources(story: Story) -> list[tuple[str, int]]:
    """Every other source the facts credit, in story order, with how many facts cite it."""
    counts: dict[str, int] = {}
    for fact in story.facts.values():
        source = " ".join(fact.source.split())
        if source and not source.startswith(ARTICLE_SOURCE):
            counts[source] = counts.get(source, 0) + 1
    return list(counts.items())


def credits_text(story: Story) -> Text:
    text = Text()
    cited = article(story)
    if cited is not None:
        text.append("The article this story retells\n", style="bold")
        text.append(f"{cited}\n\n")
    text.append("Sources the facts credit\n", style="bold")
    for source, count in sources(story):
        text.append(f"• {source}")
        text.append(f"  ({count} fact{'s' if count != 1 else ''})\n", style="dim")
    text.append("\nHow facts are sourced\n", style="bold")
    text.append(HOW + (HOW_ARTICLE if cited is not None else "") + HOW_FICTION)
    return text


class CreditsScreen(Overlay):
    CSS_PATH: ClassVar[str] = "extras.tcss"

    def compose(self) -> ComposeResult:
        yield Static(Text("Credits", style="bold"), classes="extras-head")
        with VerticalScroll(classes="extras-body"):
            yield Static(credits_text(self.session.story), classes="entry", id="credits")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()
