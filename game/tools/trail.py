"""The route a run took, told so an author can follow it and replay it.

Every tool that finds a problem (a stuck scene, a run-time error, a loop, a failed
expectation) ends with "and this is how you get there". The route is read back from the
`GameState.previous` chain, so runs pay nothing for it until something goes wrong, and it
is printed two ways: as scenes and choices for reading, and as a `steps:` list that can be
pasted into a scripted playthrough to replay the problem exactly.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from game.engine import GameState
from game.engine.engine import destination
from game.story import expr
from game.story.model import Choice, Story

MAX_SHOWN_STEPS = 60
"""Longer routes are shortened in the middle when printed; the steps list stays complete."""


@dataclass(frozen=True, slots=True)
class Move:
    """One choice taken: from which scene, by which choice id, to which scene."""

    scene: str
    choice: str
    to: str
    is_continue: bool


def route(story: Story, state: GameState) -> tuple[Move, ...]:
    """The moves from the first scene to `state`, oldest first."""
    states = list(state.history())
    states.reverse()
    moves = []
    for before, after in itertools.pairwise(states):
        scene = story.scenes[before.scene]
        choice = after.via or ""
        moves.append(Move(before.scene, choice, after.scene,
                          scene.continues and choice == "continue"))
    return tuple(moves)


def failed(state: GameState, choice: Choice) -> Move:
    """The move that raised a run-time error, taken from `state` (an effect of the choice
    or of the scene it enters failed, so no state after it exists): the last of the
    error's route, since without it the route replays as a run that passes."""
    return Move(state.scene, choice.id, destination(state, choice), choice.is_continue)


def as_steps(moves: tuple[Move, ...]) -> str:
    """A YAML flow list for a playthrough's `steps:`; Continues are left out (taken anyway)."""
    return "[" + ", ".join(m.choice for m in moves if not m.is_continue) + "]"


def describe(start: str, moves: tuple[Move, ...]) -> str:
    """`lobby > take_a_deep_breath > lobby > ...`, with repeating stretches folded.

    A run that loops for a thousand steps is a few scenes repeated; printing "(a > b) x 300"
    shows the loop itself, which is what the author needs to see.
    """
    tokens = [start]
    for move in moves:
        tokens.append("continue" if move.is_continue else move.choice)
        tokens.append(move.to)
    # fold over (choice, scene) pairs so a repeated block is always a whole number of moves
    pairs = [f"{tokens[i]} > {tokens[i + 1]}" for i in range(1, len(tokens), 2)]
    folded = _fold(pairs)
    text = " > ".join([tokens[0], *folded]) if folded else tokens[0]
    return text


def loop_of(moves: tuple[Move, ...]) -> tuple[int, frozenset[str]]:
    """Where a run that never ended got into its loop, and the scenes it then circled.

    A random walk around a loop is not periodic, so folding repeats is not enough; what the
    author needs is where the run got in and which scenes it could not get out of. The
    circled scenes are those of the run's second half; the entry is the move after the last
    one that started outside them.
    """
    tail = moves[len(moves) // 2:]
    circled = frozenset({m.to for m in tail} | {m.scene for m in tail})
    entry = 0
    for i, move in enumerate(moves):
        if move.scene not in circled:
            entry = i + 1
    return entry, circled


def describe_loop(start: str, moves: tuple[Move, ...]) -> str:
    entry, circled = loop_of(moves)
    names = ", ".join(sorted(circled))
    return (f"{describe(start, moves[:entry])}, then {len(moves) - entry} more steps without "
            f"leaving {'scene' if len(circled) == 1 else 'scenes'} {names}")


def why_hidden(story: Story, state: GameState) -> list[str]:
    """For a stuck scene: each of its choices and what hides or locks it now."""
    scene = story.scenes[state.scene]
    out = []
    for choice in scene.choices:
        reasons = []
        if choice.once and f"{scene.id}/{choice.id}" in state.taken:
            reasons.append("'once' and already taken")
        if choice.condition is not None:
            reasons.append(f"if: {expr.unparse(choice.condition.node)}")
        if choice.enabled is not None:
            reasons.append(f"locked unless enabled: {expr.unparse(choice.enabled.node)}")
        out.append(f"'{choice.text}' ({choice.id}): {' and '.join(reasons) or 'shown'}")
    return out


def _fold(items: list[str], widest: int = 12, min_repeats: int = 3) -> list[str]:
    """Collapse consecutive repeats of a block of up to `widest` items into one `(...) xN`."""
    out: list[str] = []
    i = 0
    n = len(items)
    while i < n:
        best_width, best_repeats = 1, 1
        for width in range(1, min(widest, (n - i) // min_repeats) + 1):
            block = items[i:i + width]
            repeats = 1
            while items[i + repeats * width:i + (repeats + 1) * width] == block:
                repeats += 1
            if repeats >= min_repeats and repeats * width > best_repeats * best_width:
                best_width, best_repeats = width, repeats
        if best_repeats >= min_repeats:
            out.append(f"({' > '.join(items[i:i + best_width])}) x{best_repeats}")
            i += best_width * best_repeats
        else:
            out.append(items[i])
            i += 1
    if len(out) > MAX_SHOWN_STEPS:
        head, tail = MAX_SHOWN_STEPS // 2, MAX_SHOWN_STEPS // 2
        out = [*out[:head], f"... {len(out) - head - tail} more ...", *out[-tail:]]
    return out
