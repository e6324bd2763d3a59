"""`offscreen check --stats`: how big the story is, per chapter and in total.

Words are what a player can read: scene paragraphs (every variant, shown or not), choice
texts and the reasons of choices that can be locked, and fact titles and texts. A
`{variable}` counts as one word, and a variation (format v2) the words of every item, as a
paragraph counts whether it shows or not (its `{?COND}` condition is no words; `cup{s|}` stays
one word). The synthesised Continue of a `next:` (or `return:`) scene is not an authored
choice, so it is not counted; calls and returns (format v2) are counted on a line of their
own. A scene, choice or ending belongs to its scene's chapter, a fact to its own; things
without a chapter are counted under "(no chapter)".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from game.story.model import Story

if TYPE_CHECKING:
    from game.story.scene import Condition, Part, Template

NO_CHAPTER = "(no chapter)"


@dataclass(frozen=True, slots=True)
class ChapterStats:
    name: str
    words: int = 0
    scenes: int = 0
    choices: int = 0
    facts: int = 0
    endings: int = 0


@dataclass(frozen=True, slots=True)
class StoryStats:
    title: str
    chapters: tuple[ChapterStats, ...]
    """In story order; "(no chapter)" last, and only when something has no chapter."""
    total: ChapterStats
    variables: int
    playthroughs: int
    locked: int = 0
    """Choices that can be shown locked (format v2's `enabled`)."""
    computes: int = 0
    """`compute` effects (format v2), each variable a compute sets counting once..."""
    rolls: int = 0
    """...and of those, the ones that call random()."""
    bounded: int = 0
    """Number variables with a min or a max."""
    lists: int = 0
    """How many of the variables are lists (format v2)..."""
    items: int = 0
    """...and how many names they declare in all."""
    calls: int = 0
    """Choices that `call` a scene (format v2)..."""
    returns: int = 0
    """...and scenes that `return: true`."""


def _words(text: str) -> int:
    return len(text.split())


def _text_words(template: Template) -> int:
    if len(template.parts) == 1:
        return _words(template.parts[0])  # type: ignore[arg-type]
    return _words(_readable(template.parts))


def _readable(parts: tuple[Part, ...]) -> str:
    """The text with each variable as one word and each variation as all its items."""
    return "".join(p if i % 2 == 0 else "x" if type(p) is str  # type: ignore[misc]
                   else " ".join(_readable(item) for item in p.items)  # type: ignore[union-attr]
                   for i, p in enumerate(parts))


def story_stats(story: Story) -> StoryStats:
    rows: dict[str, dict[str, int]] = {name: {} for name in story.chapters()}

    def bump(chapter: str | None, column: str, amount: int = 1) -> None:
        row = rows.setdefault(chapter if chapter is not None else NO_CHAPTER, {})
        row[column] = row.get(column, 0) + amount

    for scene in story.scenes.values():
        bump(scene.chapter, "scenes")
        bump(scene.chapter, "words", sum(_text_words(p.text) for p in scene.paragraphs))
        for choice in scene.choices:
            if not choice.is_continue:
                bump(scene.chapter, "choices")
                bump(scene.chapter, "words", _text_words(choice.text))
                if choice.reason is not None:
                    bump(scene.chapter, "words", _text_words(choice.reason))
        if scene.ending is not None:
            bump(scene.chapter, "endings")
    for fact in story.facts.values():
        bump(fact.chapter, "facts")
        bump(fact.chapter, "words", _words(fact.title) + _words(fact.text))
    if NO_CHAPTER in rows:  # keep it last, whatever order things were counted in
        rows[NO_CHAPTER] = rows.pop(NO_CHAPTER)
    chapters = tuple(ChapterStats(name, **row) for name, row in rows.items())
    total = ChapterStats("total", *(sum(getattr(c, column) for c in chapters)
                                    for column in ("words", "scenes", "choices", "facts",
                                                   "endings")))
    locked = sum(choice.enabled is not None for scene in story.scenes.values()
                 for choice in scene.choices)
    computes = [e.expression for scene in story.scenes.values()
                for e in (*scene.on_enter, *(x for c in scene.choices for x in c.effects))
                if e.expression is not None]
    items = story.list_items()
    return StoryStats(
        story.title, chapters, total, len(story.variables), len(story.playthroughs),
        locked=locked, computes=len(computes),
        rolls=sum(1 for expression in computes if _rolls(expression)),
        bounded=sum(1 for v in story.variables.values() if v.bounded), lists=len(items),
        items=sum(map(len, items.values())),
        calls=sum(choice.call for scene in story.scenes.values() for choice in scene.choices),
        returns=sum(scene.returns for scene in story.scenes.values()))


def _rolls(condition: Condition) -> bool:
    from game.engine.effects import rolls

    return rolls(condition)


_COLUMNS = ("words", "scenes", "choices", "facts", "endings")


def format_stats(stats: StoryStats) -> str:
    """An aligned table, one chapter a line, the total last; each line greps by chapter name."""
    rows = [*stats.chapters, stats.total]
    name_width = max(len("chapter"), *(len(r.name) for r in rows))
    widths = {c: max(len(c), *(len(str(getattr(r, c))) for r in rows)) for c in _COLUMNS}
    header = "chapter".ljust(name_width) + "".join(f"  {c:>{widths[c]}}" for c in _COLUMNS)
    lines = [f"stats for '{stats.title}':", header]
    for row in rows:
        lines.append(row.name.ljust(name_width)
                     + "".join(f"  {getattr(row, c):>{widths[c]}}" for c in _COLUMNS))
    kinds = []
    if stats.lists:
        kinds.append(f"{stats.lists} {'list' if stats.lists == 1 else 'lists'} of "
                     f"{stats.items} {'item' if stats.items == 1 else 'items'}")
    if stats.bounded:
        kinds.append(f"{stats.bounded} with bounds")
    shown = f" ({', '.join(kinds)})" if kinds else ""
    lines.append(f"variables: {stats.variables}{shown}, scripted playthroughs: "
                 f"{stats.playthroughs}")
    if stats.locked:
        lines.append(f"choices that can be locked (enabled): {stats.locked}")
    if stats.computes:
        lines.append(f"computed effects: {stats.computes} ({stats.rolls} with random())")
    if stats.calls or stats.returns:
        lines.append(f"calls: {stats.calls} (choices with call:), returns: {stats.returns} "
                     "(scenes with return: true)")
    return "\n".join(lines)
