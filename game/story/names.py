"""The naming rules of the scene format, shared by the careful and the quick readers.

Which ids are valid, where `{variable}` holes are in text, how a choice without an `id` gets
one, and the "did you mean" suggestion for a name that does not exist.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
"""Scene, fact, variable, ending and choice ids: they appear inside conditions."""
SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")
"""The story id, which only saves and file names use."""
HOLE = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
"""A `{name}` hole, an escaped brace (`{{`, `}}`), or a stray brace, in scene text."""
_SLUG_CHARS = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """A choice's default id, made from its text: stable while the text does not change."""
    slug = _SLUG_CHARS.sub("_", text.lower()).strip("_")[:40].rstrip("_")
    return slug if slug and not slug[0].isdigit() else f"c_{slug}"


def default_title(scene_id: str) -> str:
    """A scene's title when it gives none: `lamp_room` -> "Lamp room"."""
    return scene_id.replace("_", " ").capitalize()


def closest(name: str, options: Iterator[str] | Mapping[str, object] | list[str]) -> str | None:
    import difflib  # only when there is a mistake to explain: start-up time matters

    match = difflib.get_close_matches(name, list(options), n=1, cutoff=0.6)
    return match[0] if match else None


def did_you_mean(name: str, options: Iterator[str] | Mapping[str, object] | list[str]) -> str:
    match = closest(name, options)
    return f"; did you mean '{match}'?" if match else ""
