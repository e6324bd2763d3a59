"""The journal: every fact in the story, found or not, by chapter; and the endings.

It reads the profile (what was found in any playthrough), not the current game, because the
journal is the collection a player builds across runs. Locked facts still show, as "???" with
their hint, so the player knows what is left and where to look.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from game.session import Progress
from game.story.model import Fact, Story
from game.ui.screens.base import Overlay

OTHER = "Other facts"


def chapters(story: Story) -> list[tuple[str, list[Fact]]]:
    """Facts grouped in story order; facts without a (known) chapter come last."""
    order = story.chapters()
    groups: dict[str, list[Fact]] = {name: [] for name in order}
    for fact in story.facts.values():
        groups.setdefault(fact.chapter or OTHER, []).append(fact)
    other = groups.pop(OTHER, [])
    out = [(name, facts) for name, facts in groups.items() if facts]
    if other:
        out.append((OTHER, other))
    return out


def summary(progress: Progress) -> str:
    return (f"{progress.percent}% complete · {progress.facts_found} of {progress.facts_total} "
            f"facts · {progress.endings_found} of {progress.endings_total} endings")


def fact_entry(fact: Fact, unlocked: bool, this_run: bool) -> Text:
    text = Text()
    if unlocked:
        text.append("✓ ", style="bold green")
        text.append(fact.title, style="bold")
        if this_run:
            text.append("  (this playthrough)", style="dim italic")
        text.append("\n")
        text.append(fact.text + "\n")
        if fact.source:
            text.append(f"Source: {fact.source}", style="dim italic")
    else:
        text.append("? ", style="dim")
        text.append("???", style="bold dim")
        text.append("\n")
        text.append(f"Hint: {fact.hint}" if fact.hint else "Keep playing to find this one.",
                    style="dim italic")
    return text


class JournalScreen(Overlay):
    CSS_PATH = "journal.tcss"

    def compose(self) -> ComposeResult:
        yield Static(id="journal-head")
        yield VerticalScroll(id="journal-body")
        yield Footer()

    def on_mount(self) -> None:
        self.render_journal()

    def story_reloaded(self) -> None:
        self.render_journal()

    def render_journal(self) -> None:
        session = self.session
        story = session.story
        profile = session.profile
        run = set(session.state.facts) if session.state is not None else set()
        head = Text()
        head.append("Journal  ", style="bold")
        head.append(summary(session.progress()))
        self.query_one("#journal-head", Static).update(head)
        body = self.query_one("#journal-body", VerticalScroll)
        body.remove_children()
        widgets: list[Static] = []
        for chapter, facts in chapters(story):
            found = sum(1 for f in facts if f.id in profile.facts)
            widgets.append(Static(Text(f"{chapter}  ({found}/{len(facts)})", style="bold"),
                                  classes="chapter"))
            widgets += [Static(fact_entry(f, f.id in profile.facts, f.id in run), classes="fact")
                        for f in facts]
        widgets.append(Static(Text("Endings", style="bold"), classes="chapter"))
        endings = Text()
        for ending in story.endings.values():
            if ending.id in profile.endings:
                endings.append("✓ ", style="bold green")
                endings.append(profile.ending_title(ending) + "\n", style="bold")
            else:
                endings.append("? ??? (not reached yet)\n", style="dim")
        if not story.endings:
            endings.append("This story has no endings yet.", style="dim")
        widgets.append(Static(endings, classes="fact"))
        body.mount_all(widgets)
        body.focus()
