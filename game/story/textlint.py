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
from collections.abc import Container, Iterable, Iterator
from typing import TYPE_CHECKING

from game.story import codes
from game.story.diagnostics import Diagnostic
from game.story.model import Pos, Story

if TYPE_CHECKING:
    from game.story.scene import Scene, Template

_LOOKS_VARIED = re.compile(r"\{[&!~?][^{}]*\}|\{[^{}|]*\|[^{}]*\}")
"""What in a fact's plain text an author most likely meant as a variation."""


def varied(template: Template) -> bool:
    """The text holds a variation (a hole that is not a variable's name). Lint's one pass
    over each scene (`lint._scene_effects`) asks it of every text with a hole."""
    return any(type(hole) is not str for hole in template.parts[1::2])


def titles(story: Story) -> Iterator[tuple[Template, Pos]]:
    """The titles of scenes and endings that show variables or variations, parsed."""
    for scene in story.scenes.values():
        yield from scene_titles(scene, story.variables)


def scene_titles(scene: Scene, variables: Container[str]) -> list[tuple[Template, Pos]]:
    """The scene's title and its ending's, when they show variables or variations. (Lint
    asks for every scene, and nearly every title is plain: nothing is built or imported for
    one, and a list, not a generator: none is the usual answer.)"""
    ending = scene.ending
    places = (((scene.title, scene.pos),) if ending is None
              else ((scene.title, scene.pos), (ending.title, ending.pos)))
    out = []
    for title, pos in places:
        if "{" in title or "}" in title:
            from game.story.variations import runtime_template

            out.append((runtime_template(title, variables, pos), pos))
    return out


def title_names(story: Story) -> set[str]:
    """The variables the titles show or test."""
    from game.story import expr

    out: set[str] = set()
    for template, _ in titles(story):
        out.update(template.names)
        for condition in template.conditions:
            out.update(r.name for r in expr.references(condition.node) if r.kind == "variable")
    return out


def warnings(story: Story, in_texts: Iterable[Diagnostic],
             in_titles: Iterable[Diagnostic]) -> Iterator[Diagnostic]:
    """Every warning about shown text: the scenes' texts, then the titles (`in_texts` and
    `in_titles`: each scene's `template_warnings` and `title_warnings`, in story order,
    which lint works out in its pass over the scenes), then the facts."""
    yield from in_texts
    yield from in_titles
    for fact in story.facts.values():
        for what, text in (("title", fact.title), ("text", fact.text)):
            found = _LOOKS_VARIED.search(text) if "{" in text else None
            if found is not None:
                yield codes.PLAIN_FACT_TEXT.at(
                    fact.pos, f"fact '{fact.id}': its {what} is plain text (the journal shows "
                    f"it outside any game), so '{found.group(0)}' shows as written")


def template_warnings(found: Iterable[tuple[Template, Pos]]) -> list[Diagnostic]:
    """The warnings about these texts (a scene's that hold a variation, with where each is
    written); they depend on the texts alone."""
    return [w for template, pos in found for w in _template_warnings(template, pos)]


def title_warnings(scene: Scene, variables: Container[str]) -> list[Diagnostic]:
    found = scene_titles(scene, variables)
    return [w for template, pos in found for w in _template_warnings(template, pos)] \
        if found else []


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
