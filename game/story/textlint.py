"""Whole-story checks of shown text (format v2's variations), for `lint`.

The loader refuses what cannot be read (`variations.py`, OS420-OS427); these are the
likely mistakes in text that reads fine: a shuffle or cycle of one item never varies, a
`{?COND|x|x}` shows x either way, and a fact's title and text are plain (the journal shows
them outside any game), so a variation written there shows as typed. A sequence in a scene
visited only once is not warned about: it is the usual way to write a first visit's text
before a revisit exists. Each check looks only at text with a hole in it, so a v1 story
costs one length test per text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from game.story import codes
from game.story.diagnostics import Diagnostic
from game.story.model import Condition, Pos, Story

if TYPE_CHECKING:
    from game.story.scene import Scene, Template

_LOOKS_VARIED = re.compile(r"\{[&!~?][^{}]*\}|\{[^{}|]*\|[^{}]*\}")
"""What in a fact's plain text an author most likely meant as a variation."""


def templates(scene: Scene) -> Iterator[tuple[Template, Pos]]:
    """The scene's texts that hold a hole, with where each is written."""
    for paragraph in scene.paragraphs:
        if len(paragraph.text.parts) > 1:
            yield paragraph.text, paragraph.pos
    for choice in scene.choices:
        if len(choice.text.parts) > 1:
            yield choice.text, choice.pos


def text_conditions(scene: Scene) -> Iterator[Condition]:
    """The `{?COND|..}` conditions in the scene's texts."""
    for template, _ in templates(scene):
        yield from template.conditions


def titles(story: Story) -> Iterator[tuple[Template, Pos]]:
    """The titles of scenes and endings that show variables or variations, parsed."""
    from game.story.variations import runtime_template

    for scene in story.scenes.values():
        for title, pos in ((scene.title, scene.pos),
                           *(((scene.ending.title, scene.ending.pos),) if scene.ending else ())):
            if "{" in title or "}" in title:
                yield runtime_template(title, story.variables, pos), pos


def title_names(story: Story) -> set[str]:
    """The variables the titles show or test."""
    from game.story import expr

    out: set[str] = set()
    for template, _ in titles(story):
        out.update(template.names)
        for condition in template.conditions:
            out.update(r.name for r in expr.references(condition.node) if r.kind == "variable")
    return out


def warnings(story: Story) -> Iterator[Diagnostic]:
    for scene in story.scenes.values():
        for template, pos in templates(scene):
            yield from _template_warnings(template, pos)
    for template, pos in titles(story):
        yield from _template_warnings(template, pos)
    for fact in story.facts.values():
        for what, text in (("title", fact.title), ("text", fact.text)):
            found = _LOOKS_VARIED.search(text) if "{" in text else None
            if found is not None:
                yield codes.PLAIN_FACT_TEXT.at(
                    fact.pos, f"fact '{fact.id}': its {what} is plain text (the journal shows "
                    f"it outside any game), so '{found.group(0)}' shows as written")


def _template_warnings(template: Template, pos: Pos) -> Iterator[Diagnostic]:
    for variation in template.variations():
        if variation.kind in ("shuffle", "cycle") and len(variation.items) == 1:
            word = "shuffle" if variation.kind == "shuffle" else "cycle"
            yield codes.NEVER_VARIES.at(pos, f"'{variation.source}' is a {word} of one item, "
                                        "so it always shows the same text; add items "
                                        "separated by |, or write the text plainly")
        elif (variation.kind == "if" and len(variation.items) == 2
              and variation.items[0] == variation.items[1]):
            yield codes.SAME_EITHER_WAY.at(pos, f"'{variation.source}' shows the same text "
                                           "whether its condition holds or not")
