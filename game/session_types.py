"""What the Session hands its front ends once a game is under way: plain records of a move,
a save, an offer, a history entry, a gallery entry and a chapter (re-exported by
`game.session`, which is where front ends import them from).

`game.session` imports this module on first use, not with itself: seven frozen dataclasses
cost ~4 ms to create, and the title screen needs none of them. The journal's `Progress`,
which the title shows, is the profile's (`game.storage.profile`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from game.engine import GameState, SceneView
    from game.story.model import Fact


@dataclass(frozen=True, slots=True)
class Move:
    """What one change of the game (a choice, an undo, a load...) did, for the front end."""

    state: GameState
    new_facts: tuple[Fact, ...]
    """Facts unlocked by this move, in the order found."""
    first_time: frozenset[str]
    """The ids among `new_facts` that were not in the journal before this move."""
    autosave_error: str | None
    """Why the autosave failed (the game goes on); None when it was written or not due."""
    autosave_notice: str | None = None
    """What the store had to do on the way (a damaged autosave moved aside), for the player."""
    note: str | None = None
    """One line about a load: the story was edited, a damaged file's backup was used."""


@dataclass(frozen=True, slots=True)
class Saved:
    """A save written to a slot of the player's choosing."""

    path: Path
    notice: str | None
    """The store's word on anything it had to do on the way, such as moving a damaged file
    aside rather than overwriting it."""


@dataclass(frozen=True, slots=True)
class Offer:
    """A save whose scene is gone: the nearest earlier place that exists, awaiting a yes/no."""

    problem: str
    """What changed, in one line (the SceneGone message)."""
    fallback: GameState
    playtime: float
    title: str
    """The title of the fallback's scene, for the question."""


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One scene of the playthrough so far, with the text of the choice taken after it."""

    scene: str
    view: SceneView | None
    """None when the scene cannot be shown any more (a story bug, or an edit under --dev)."""
    picked: str | None
    """The text of the choice that left this scene; None for the scene the player is in."""


@dataclass(frozen=True, slots=True)
class GalleryEntry:
    """One ending as the gallery shows it: found (with when) or locked (with its hint)."""

    id: str
    title: str
    found_at: float | None
    """When it was first reached (epoch seconds); None while locked. An ending found before
    the profile kept times counts as found, at an unknown time (0.0)."""
    hint: str | None


@dataclass(frozen=True, slots=True)
class Chapter:
    """A chapter of the story, and whether the player can start again from it."""

    number: int
    name: str
    slot: str | None
    """The save of the first arrival in it (load it to start there); None if not reached."""


def locked_words(reason: str | None) -> str:
    """What every front end says when the player picks a locked choice (the Session
    refuses it with `ChoiceLocked`, whose `reason` is the choice's rendered `reason:`)."""
    return f"That choice is locked: {reason}" if reason else "That choice is locked for now."
