"""Which parts of a game state can still matter at each scene, and how exactly.

The exhaustive search counts two states as one when nothing that can still happen tells
them apart. This module works out, per scene, what "nothing" means, by one backward
data-flow pass over the scene graph (a fixpoint, as a compiler's live-variable analysis):

- A *slot* is one part of a state: a variable, a scene's visit count, a fact (held or not)
  or a once-only choice (taken or not).
- A slot is *read* at a scene by the scene's paragraph and choice conditions (a choice's
  `if` and its `enabled`: a locked choice cannot be taken), by `{name}` in its paragraph and
  choice texts and locked choices' reasons (text shows the exact value), and by its
  once-only choices.
- A slot is *dead* at a scene when every way on writes it (`set`, `unlock`, a once mark)
  before anything reads it, or never reads it again: it is left out of the state's key
  there, and the search's representative state holds the variable's default instead.
- A live number may be *capped*. `trust >= 8` cannot tell 9 from 90, so where every read
  still to come compares the number with constants, values at or above `hi` (one past the
  largest constant, moved by the `add`s on the way to each read) form one class, and values
  at or below `lo` another; the key holds the value clamped to [lo, hi]. A read of any other
  kind (arithmetic, text, a variable on both sides) keeps it exact (`lo` and `hi` None). The
  classes stay classes along every way on because an `add` of k moves them by k (`lo - k`,
  `hi - k` before it); a loop that keeps moving a cap (a loop that subtracts from a number
  later compared from above) is widened to exact, which is what makes the fixpoint end
  (a cut point pushed past where a route without loops could take it, or moved more than
  `RAISES` times at one scene, gives that side up: coarser is always sound, only slower).
  The fixpoint runs one slot at a time over the scenes where that slot is live.

An `add` reads its variable only for the engine's range check (a number leaves the range
only after about 10^15 / k laps of a loop); dropping or capping a variable hides that check,
so the search checks it itself (`growth` in game/tools/exhaustive.py: a loop it explored
that adds to a capped or dropped number without setting it is reported).

Calls (format v2) need nothing else: the search keeps the call stack exactly, and the
Continue of a `return: true` scene is an edge to every return point it may pop (the
`then:` or calling scene of each call whose frame reaches it, `calls.Calls.returns_to`),
so whatever a return point reads is live back through the called scenes to the call.

Visit counts take part like variables that only `add` 1 on entering their scene, with
`seen(s)` a comparison `visits(s) > 0`; scenes no condition asks about are no slot at all.
Facts are slots only where some `has()` asks about them, which keeps the key small;
which facts are reachable at all is counted beside the search, from the moves that unlock
them. Declared bounds (format v2's `{min, max}`) need nothing here: the engine clamps a
bounded number, so its values are finitely many already, and clamping is monotone, so an
`add` still maps each class into one class.

A list variable (format v2) is a finite set of names, so it is kept exactly wherever it is
live: `"x" in list` and `count(list)` read it whole, `set` overwrites it, and `add` and
`remove` change it from what it held, so to this analysis they are an `add` of 0 (the
value before them still matters after, and no cut point moves).

A `compute` overwrites its variable, and reads the slots its expression names exactly, at
the scene the move leaves (`move_reads`); its result is then whatever the key's values and
the outcome of its `random()` calls make it: unknown, but bounded by the variable's bounds
where it has them (an unbounded one a loop keeps computing upwards keeps making new states,
so the search runs out of budget and says NOT PROVEN rather than claiming anything).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from game.story import expr
from game.story.calls import Calls
from game.story.model import Choice, Condition, Effect, Scene, Story, Template
from game.tools import analysis

SlotKind = Literal["var", "visits", "fact", "once"]
Slot = tuple[SlotKind, str]
"""(kind, name): the variable's name, the scene id, the fact id, or 'scene/choice'."""
Bound = int | float | None
"""A cap, or None: that side is kept exact."""


@dataclass(frozen=True, slots=True)
class Live:
    """How a live slot is kept in the key: clamped to [lo, hi] (None: that side exact)."""

    lo: Bound
    hi: Bound

    def join(self, other: Live) -> Live:
        """What both of two readers need: the wider classes' cut points."""
        lo = None if self.lo is None or other.lo is None else min(self.lo, other.lo)
        hi = None if self.hi is None or other.hi is None else max(self.hi, other.hi)
        return self if (lo, hi) == (self.lo, self.hi) else Live(lo, hi)

    def shifted(self, by: int | float) -> Live:
        """The classes before an `add` of `by`."""
        if not by:
            return self
        return Live(None if self.lo is None else self.lo - by,
                    None if self.hi is None else self.hi - by)

    @property
    def exact(self) -> bool:
        return self.lo is None and self.hi is None


EXACT = Live(None, None)
SEEN = Live(0, 1)
"""`seen(s)` is `visits(s) > 0`: only 0 and 'one or more' differ."""

Transfer = dict[Slot, "int | float | None"]
"""What a move does to each slot it touches: None when it overwrites it, else the sum of
what it adds (slots it does not touch are left out)."""


@dataclass(frozen=True, slots=True)
class Edge:
    """One choice of a scene into one scene, as the analysis sees it (the Continue of a
    `return: true` scene has one edge per return point it may pop: `calls.Calls`)."""

    choice: Choice
    target: str
    transfer: Transfer
    index: int = 0
    """The choice's place in its scene's `choices`."""


@dataclass(frozen=True, slots=True)
class Liveness:
    """The result: per scene, each live slot with how it is kept, in one fixed order."""

    slots: frozenset[Slot]
    """Every slot of the story (scenes no condition asks about have no visits slot)."""
    live: Mapping[str, tuple[tuple[Slot, Live], ...]]
    """By scene id: the live slots at a state in that scene, sorted."""
    edges: Mapping[str, tuple[Edge, ...]]
    """By scene id: its choices with what each does to the slots."""
    moves: Mapping[tuple[str, int, str], Edge]
    """By (scene, choice index, scene entered): the edge of that move."""

    def at(self, scene: str) -> dict[Slot, Live]:
        return dict(self.live[scene])

    def edge(self, scene: str, index: int, target: str) -> Edge:
        """The edge of the move that takes choice `index` of `scene` into `target`."""
        return self.moves[(scene, index, target)]


def condition_reads(node: expr.Node, numbers: frozenset[str]) -> Iterator[tuple[Slot, Live]]:
    """Each slot a condition reads, with the classes that read can tell apart.

    A number (a variable in `numbers`, or `visits(s)`) compared with a finite number literal
    is read as the two cut points around the literal; any other read is exact. The walk is
    top down, so a comparison is met before its sides, and the side it accounted for is
    skipped (by identity, counted, since a subtree may be shared between two places).
    """
    compared: dict[int, int] = {}
    for n in expr.walk(node):
        if isinstance(n, expr.Binary) and n.op in expr.COMPARISONS:
            for side, other, op in ((n.left, n.right, n.op), (n.right, n.left, _FLIPPED[n.op])):
                slot = _counter(side, numbers)
                if (slot is not None and isinstance(other, expr.Literal)
                        and type(other.value) in (int, float)
                        and math.isfinite(float(other.value))):
                    yield slot, cut_points(op, float(other.value))
                    compared[id(side)] = compared.get(id(side), 0) + 1
                    break
        elif isinstance(n, expr.Var | expr.Call):
            if compared.get(id(n)):
                compared[id(n)] -= 1
            elif isinstance(n, expr.Var):
                yield ("var", n.name), EXACT
            elif n.func == "seen":
                yield ("visits", n.arg), SEEN
            elif n.func == "visits":
                yield ("visits", n.arg), EXACT
            elif n.func == "count":
                yield ("var", n.arg), EXACT
            else:
                yield ("fact", n.arg), EXACT


_FLIPPED = {"==": "==", "!=": "!=", "<": ">", ">": "<", "<=": ">=", ">=": "<="}
"""`3 < x` is `x > 3`."""


def cut_points(op: str, c: int | float) -> Live:
    """The classes `x OP c` cannot tell apart: every value at or below `lo` gives one answer,
    every value at or above `hi` the other (or, for == and !=, the same "no"), and each value
    between is its own class. Whole numbers where they can be, so counts stay counts."""
    if op == ">=" or op == "<":
        return Live(math.ceil(c) - 1, math.ceil(c))
    if op == ">" or op == "<=":
        return Live(math.floor(c), math.floor(c) + 1)
    return Live(math.ceil(c) - 1, math.floor(c) + 1)


def _counter(node: expr.Node, numbers: frozenset[str]) -> Slot | None:
    if isinstance(node, expr.Var) and node.name in numbers:
        return ("var", node.name)
    if isinstance(node, expr.Call) and node.func == "visits":
        return ("visits", node.arg)
    return None


def numbers_of(story: Story) -> frozenset[str]:
    """The variables that hold numbers (a bool is not one here)."""
    return frozenset(name for name, var in story.variables.items()
                     if type(var.default) in (int, float))


def scene_reads(scene: Scene, numbers: frozenset[str], risky: tuple[Condition, ...] = (),
                text: bool = True, titles: Iterable[Template] = ()) -> dict[Slot, Live]:
    """What showing a state in `scene` reads: its choices' conditions and once marks, the
    paragraph conditions that can fail (`risky`), and with `text` all paragraph conditions
    and shown texts (`titles` too: those holding a variation condition) as well."""
    out: dict[Slot, Live] = {}

    def read(slot: Slot, how: Live) -> None:
        out[slot] = how if slot not in out else out[slot].join(how)

    def shown(template: Template) -> None:
        for name in template.names:
            read(("var", name), EXACT)
        for variation in template.variations():  # format v2: what picks an item
            if variation.condition is not None:
                condition(variation.condition)
            else:
                read(("visits", scene.id), EXACT)

    def condition(c: Condition | None) -> None:
        if c is not None:
            for slot, how in condition_reads(c.node, numbers):
                read(slot, how)

    if text:
        for title in titles:
            shown(title)
    for paragraph in scene.paragraphs:
        if text or any(paragraph.condition is c for c in risky):
            condition(paragraph.condition)
        if text:
            shown(paragraph.text)
    for choice in scene.choices:
        condition(choice.condition)
        condition(choice.enabled)  # locked or not decides whether it can be taken
        if text:
            shown(choice.text)
            if choice.reason is not None:
                shown(choice.reason)
        if choice.once:
            read(("once", f"{scene.id}/{choice.id}"), EXACT)
    return out


def transfer(effects: tuple[Effect, ...], once: str | None, entered: str,
             on_enter: tuple[Effect, ...], slots: frozenset[Slot]) -> Transfer:
    """What one move does to the slots, in the engine's order: the choice's effects, its
    once mark, the visit to the scene it enters, that scene's on_enter effects."""
    out: Transfer = {}
    writes: list[tuple[Slot, int | float | None]] = [_write(e) for e in effects]
    if once is not None:
        writes.append((("once", once), None))
    writes.append((("visits", entered), 1))
    writes.extend(_write(e) for e in on_enter)
    for slot, add in writes:
        if slot not in slots:
            continue
        if add is None:
            out[slot] = None  # overwritten: what it held before no longer matters
        else:
            before = out.get(slot, 0)
            if before is not None:
                out[slot] = before + add
    return out


def _write(effect: Effect) -> tuple[Slot, int | float | None]:
    if effect.kind == "unlock":
        return ("fact", effect.target), None
    if effect.kind in ("set", "compute"):  # a compute's reads: `move_reads`
        return ("var", effect.target), None
    if effect.kind == "remove" or type(effect.value) is tuple:
        return ("var", effect.target), 0  # a list's add/remove keeps what it held in play
    return ("var", effect.target), effect.value  # type: ignore[return-value]


def move_reads(choice: Choice, entered: Scene) -> Iterator[Slot]:
    """The slots a move's `compute`s read (its own and the entered scene's on_enter). Each
    is kept exact at the scene the move leaves: more than the compute may need (an effect
    before it in the move may have written the slot), never less, and what it gives is then
    a function of the key (its `random()` outcomes are each explored by the search)."""
    for effect in (*choice.effects, *entered.on_enter):
        if effect.expression is not None:
            for slot, _ in condition_reads(effect.expression.node, frozenset()):
                yield slot


def analyse(story: Story, text: bool = True) -> Liveness:
    """The live slots of every scene: the least fixpoint of `live(s) = reads(s) joined with
    what each move out of s needs of the state before it`, widened to exact where a loop
    keeps moving a cap (see the module docstring)."""
    numbers = numbers_of(story)
    found = analysis.reads(story)
    risky = found.risky
    reads = {sid: scene_reads(scene, numbers, risky.get(sid, ()), text or sid in found.shows,
                              analysis.titles(story, scene))  # shows: all its text can fail
             for sid, scene in story.scenes.items()}
    calls = Calls.of(story)
    returns_to = calls.returns_to if calls is not None else {}

    def entered(sid: str, choice: Choice) -> list[str]:
        """The scenes a move may enter: its goto, or for a return's Continue each return
        point a call reaching it may have pushed."""
        return sorted(returns_to.get(sid, ())) if choice.returns else [choice.goto]

    for sid, scene in story.scenes.items():
        for choice in scene.choices:
            for goto in entered(sid, choice):
                for slot in move_reads(choice, story.scenes[goto]):
                    reads[sid][slot] = EXACT
    slots: set[Slot] = {("var", name) for name in story.variables}
    for local in reads.values():
        slots.update(local)
    frozen = frozenset(slots)
    edges: dict[str, tuple[Edge, ...]] = {}
    into: dict[str, list[tuple[str, Edge]]] = {sid: [] for sid in story.scenes}
    for sid, scene in story.scenes.items():
        out = []
        for index, choice in enumerate(scene.choices):
            once = f"{sid}/{choice.id}" if choice.once else None
            for goto in entered(sid, choice):
                target = story.scenes[goto]
                edge = Edge(choice, target.id, transfer(choice.effects, once, target.id,
                                                        target.on_enter, frozen), index)
                out.append(edge)
                into[target.id].append((sid, edge))
        edges[sid] = tuple(out)
    widen = _widening(reads, edges)
    readers: dict[Slot, dict[str, Live]] = {}
    for sid, local in reads.items():
        for slot, how in local.items():
            readers.setdefault(slot, {})[sid] = how
    live: dict[str, dict[Slot, Live]] = {sid: {} for sid in story.scenes}
    for slot, read in readers.items():  # one slot at a time: only where it is live
        for sid, how in _live_at(slot, read, into, widen).items():
            live[sid][slot] = how
    return Liveness(frozen, {sid: tuple(sorted(here.items())) for sid, here in live.items()},
                    edges, {(sid, e.index, e.target): e for sid, out in edges.items()
                            for e in out})


def _live_at(slot: Slot, read: Mapping[str, Live],
             into: Mapping[str, list[tuple[str, Edge]]],
             widen: Callable[[Slot, Live], Live]) -> dict[str, Live]:
    """Where one slot is live and how: from the scenes that read it, back along every move
    that does not overwrite it, each cut point moved by what the move adds."""
    at = dict(read)
    counts = slot[0] == "visits"
    raised: dict[str, int] = {}
    queue = deque(at)
    queued = set(queue)
    while queue:
        target = queue.popleft()
        queued.discard(target)
        how = at[target]
        for sid, edge in into[target]:
            moved = edge.transfer.get(slot, 0)
            if moved is None:
                continue
            need = how.shifted(moved)
            if counts and need.hi is not None and need.hi <= 0:
                continue  # every count (0 or more) is in one class here: nothing to keep
            old = at.get(sid)
            new = need if old is None else old.join(need)
            if new is old:
                continue
            new = widen(slot, new)
            if old is not None and new != old:
                times = raised[sid] = raised.get(sid, 0) + 1
                if times > RAISES:  # still moving round a loop: give that side up
                    new = Live(None if new.lo != old.lo else new.lo,
                               None if new.hi != old.hi else new.hi)
            if new != old:
                at[sid] = new
                if sid not in queued:
                    queued.add(sid)
                    queue.append(sid)
    return at


RAISES = 3
"""How many times a cut point of one slot at one scene may move before that side is kept
exact: a loop that keeps moving it would otherwise take as many rounds as the story has
subtractions (the widening's bound) to settle."""


def _widening(reads: Mapping[str, Mapping[Slot, Live]], edges: Mapping[str, tuple[Edge, ...]],
              ) -> Callable[[Slot, Live], Live]:
    """Drops a cap that moved past where any path without a loop could take it.

    Along a path without a loop, `hi` only grows by the sum of the subtractions on it, at
    most all of the story's; a `hi` beyond (largest cut point read + that sum) was pushed
    there by going round a loop, and would be pushed forever: it becomes None (exact). The
    same holds for `lo` with the additions.
    """
    top: dict[Slot, float] = {}
    bottom: dict[Slot, float] = {}
    for local in reads.values():
        for slot, how in local.items():
            if how.hi is not None:
                top[slot] = max(top.get(slot, -math.inf), how.hi)
            if how.lo is not None:
                bottom[slot] = min(bottom.get(slot, math.inf), how.lo)
    for out in edges.values():
        for edge in out:
            for slot, moved in edge.transfer.items():
                if moved and slot in top and moved < 0:
                    top[slot] -= moved
                elif moved and slot in bottom and moved > 0:
                    bottom[slot] -= moved

    def widen(slot: Slot, how: Live) -> Live:
        hi = how.hi if how.hi is None or how.hi <= top.get(slot, math.inf) else None
        lo = how.lo if how.lo is None or how.lo >= bottom.get(slot, -math.inf) else None
        return how if (lo, hi) == (how.lo, how.hi) else Live(lo, hi)

    return widen
