"""What a playthrough tool found wrong, in the one form every report prints.

Random runs and the exhaustive search look for the same three things: a scene where no choice
is available and that is not an ending ("stuck"), a condition that fails while playing
("error": only division can), and play that never reaches an ending ("loop": for random runs
a run cut off at its step limit, for the search a proven trap). Both report each with where
the author wrote it and the route that gets there, so `offscreen test` prints them alike and
the route pastes into a scripted playthrough either way. Random runs also say which run found
it and with which seed (`run`, `seed`), so it can be rerun; the search has no runs, and leaves
them None.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from game.story.model import Pos
from game.tools.trail import Move

FindingKind = Literal["stuck", "error", "loop"]


@dataclass(frozen=True, slots=True)
class Finding:
    """A run or a state that does not reach an ending, with what it takes to reproduce it."""

    kind: FindingKind
    scene: str
    """The scene it happened in (for a loop: where the run entered the scenes it circled)."""
    pos: Pos
    """Where to look: the scene, or the failing condition's operator."""
    message: str
    moves: tuple[Move, ...]
    """The route from the first scene (for the search, the shortest one)."""
    details: tuple[str, ...] = ()
    """For a stuck scene: each choice and what hides it."""
    run: int | None = None
    """Random runs: which run (0-based) found it; None for the exhaustive search."""
    seed: int | None = None
    """Random runs: that run's seed; None for the exhaustive search."""
    laps: bool = False
    """The search's "a loop grows this number without end": `moves` lead into the loop,
    and the error comes only after ~10^15 laps of it, so no playthrough replays it."""

    @property
    def start(self) -> str:
        """The scene its route starts from."""
        return self.moves[0].scene if self.moves else self.scene
