"""The game's seed and the one way a `random(lo, hi)` is drawn from it.

The engine stays a pure function (game/engine/engine.py): a draw is no call on a random
number generator but a hash of the game's seed and of where and when the draw happens (the
turn, the scene or choice whose effects hold it, the effect's place in them, the variable it
computes). So the same state and choice always give the same outcome: `back` then the same
choice rolls the same number, a loaded save goes on exactly as the game would have, and a
fixed `--seed` gives the same transcript twice. blake2b rather than Python's `hash()`, which
changes from one process to the next.

Seeds are whole numbers from 0 to `SEED_LIMIT - 1`: they fit a JSON number exactly and read
as what they are in a save file.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from hashlib import blake2b
from typing import Any

# The seed's range is the story's rule (a scripted playthrough names a seed too); it is
# re-exported here for the places that start and save games.
from game.story.rules import SEED_LIMIT as SEED_LIMIT
from game.story.rules import valid_seed as valid_seed

OLD_SAVE_SEED = 0
"""The seed of a game saved before seeds existed: fixed, so such a save loads to the same
game every time (it held no `random()`, which older stories could not use)."""


_RUNS = blake2b(digest_size=4)
"""Never fed: `run_seed` hashes a copy of it."""
ROLL_HASHER = blake2b(digest_size=16)
"""Never fed: each roll hashes a copy of it (`roller`'s, and the fast runner's twins in
game/tools/fasteffects.py), which costs a quarter of a new `blake2b(text, digest_size=16)`."""


def fresh_seed() -> int:
    """A seed for a new game nobody fixed with `--seed` (the one unpredictable thing, and
    it happens outside the engine: the Session picks it)."""
    return secrets.randbelow(SEED_LIMIT)


def run_seed(seed: int, copy: Callable[[], Any] = _RUNS.copy) -> int:
    """The game seed of the random playthrough `offscreen test` runs with the runs' seed
    `seed` (run i of `--seed S` has S + i, so `--seed S+i --runs 1` replays it): hashed, so
    neighbouring runs do not roll alike, and any whole number (negative too) works.

    The hash of the text f"run/{seed}", fed to a copy of `_RUNS` as b"run/%d" (the same
    bytes for a whole number, without a str to build and encode or a keyword to parse):
    the random runner asks for it once per run that rolls (~0.04 of a v2 benchmark step)."""
    h = copy()
    h.update(b"run/%d" % seed)
    return int.from_bytes(h.digest(), "big")


Roll = Callable[[int, int, int], int]
"""roll(lo, hi, offset): a whole number from lo to hi for the `random()` call at `offset` in
one compute expression (`expr.Rolls` carries it into the evaluation)."""


def roller(seed: int, turn: int, where: str, index: int, name: str) -> Roll:
    """The dice of one compute: the effect at `index` of the effects run at `where` (a
    choice's `scene/choice`, or a scene's id for its on_enter), computing variable `name`,
    on `turn` of the game with `seed`. Two calls in one expression differ by offset."""
    prefix = f"{seed}/{turn}/{where}/{index}/{name}/".encode()

    def roll(lo: int, hi: int, offset: int,
             copy: Callable[[], Any] = ROLL_HASHER.copy) -> int:
        # The blake2b of the text f"{prefix}{offset}", fed to a copy of an unfed hasher (the
        # same bytes: b"%d" of a whole number is its decimal text), as run_seed does.
        h = copy()
        h.update(prefix + b"%d" % offset)
        return lo + int.from_bytes(h.digest(), "big") % (hi - lo + 1)

    return roll
