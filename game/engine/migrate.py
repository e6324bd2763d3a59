"""Fit a game saved against one version of a story to an edited version of it.

Authors keep editing after players have saved, and a save must survive that (Ink loses saves
on every edit; we do not). A `GameState` holds ids only, so fitting it is a matter of
reconciling ids: variables the story no longer declares are dropped, new ones take their
defaults, facts and once-only choices that no longer exist are forgotten, and undo steps
whose scene was removed are skipped over. A return point of an open call (format v2)
whose scene was removed is replaced by the one the edited story's call would push now: the
save's history tells which scene made the call and by which choice, and if that choice is
still a `call:` there, the call returns to its `then:` (or, without one, to that scene);
if the choice is gone or no longer a call, it returns to the scene that made it. When that
scene is gone too, or the history does not reach back to the call, the return point is
dropped, so that call returns where the call below it would (`_new_return_point`).
When the scene the player stands in is itself gone there is no honest way to guess where
they meant to be, so the nearest earlier place that still exists is offered instead.

This is pure and linear in the length of the history: storage calls it on every load and
`play --dev` on every reload of the story files, so it must stay cheap and free of I/O.
States that already fit are reused as they are, so a story edit that touches nothing the
player has seen costs no allocations; and a state is checked only for what it changed since
the state before it (consecutive states share their visit counts, once-only choices and
facts), so a long game with thousands of scenes visited loads as quickly as a short one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from game.engine.counts import Counts
from game.engine.effects import clamped
from game.engine.state import GameState
from game.story import lists
from game.story.model import Story, Value, Variable


@dataclass(frozen=True, slots=True)
class Migration:
    """What became of a game after a story edit.

    `state` is None when the scene the player stood in no longer exists; `fallback` is then
    the nearest earlier state whose scene does (already fitted), or None when nothing in the
    history survived and only a new game remains. `summary` is one line for the player, empty
    when nothing about this game had to change.
    """

    state: GameState | None
    fallback: GameState | None
    changes: tuple[str, ...]
    summary: str
    steps_back: int = 0
    """How many choices before the saved point the fallback lies (0 without a fallback)."""


def migrate(state: GameState, story: Story) -> Migration:
    chain = list(state.history())
    chain.reverse()  # oldest first, so each fitted state can link to the fitted one before it
    fitted: GameState | None = None
    fitted_index = -1
    kept: GameState | None = None
    callers: tuple[_Call | None, ...] = ()
    made_by: list[tuple[_Call | None, ...]] = []
    for index, old in enumerate(chain):
        callers = _callers(chain[index - 1] if index else None, old, callers)
        made_by.append(callers)
        if old.scene in story.scenes:
            fitted = _fit(old, story, fitted, kept, callers)
            fitted_index = index
            kept = old if (fitted.visits is old.visits and fitted.taken is old.taken
                           and fitted.facts is old.facts) else None
    last = len(chain) - 1
    if fitted is None:
        summary = (f"The scene you were in ('{state.scene}') no longer exists, and neither "
                   "does any earlier scene of this game: only a new game is possible.")
        return Migration(None, None, (f"scene '{state.scene}' was removed",), summary)
    source = chain[fitted_index]
    skipped = sum(1 for s in chain[:fitted_index] if s.scene not in story.scenes)
    if fitted_index == last:
        if fitted is state:
            return Migration(state, None, (), "")
        changes = _changes(state, fitted, story, skipped, made_by[last])
        summary = "The story has changed: " + ", ".join(changes) + "." if changes else ""
        return Migration(fitted, None, changes, summary)
    steps = last - fitted_index
    changes = (f"scene '{state.scene}' was removed",
               *_changes(source, fitted, story, skipped, made_by[fitted_index]))
    from game.engine.engine import shown_title

    title = shown_title(story, story.scenes[fitted.scene].title, fitted)
    summary = (f"The scene you were in ('{state.scene}') no longer exists; the nearest "
               f"earlier place that does is '{title}', {_count(steps, 'choice')} back.")
    return Migration(None, fitted, changes, summary, steps)


_Call = tuple[str, str | None]
"""An open call as the save's history shows it: the scene that made it, and the id of the
choice taken there (the `via` of the state right after the call; None if it has none)."""


def _callers(before: GameState | None, old: GameState,
             known: tuple[_Call | None, ...]) -> tuple[_Call | None, ...]:
    """For each open call of `old` (its stack, oldest first), the scene and choice that made
    it, or None where the history does not show it; `known` is the same for `before`, the
    state just before `old` in the chain."""
    stack = old.stack
    if before is None:
        return (None,) * len(stack)
    if stack is before.stack or stack == before.stack:
        return known
    depth = len(before.stack)
    if len(stack) == depth + 1 and stack[:depth] == before.stack:  # a call
        return (*known, (before.scene, old.via))
    if len(stack) < depth and before.stack[:len(stack)] == stack:  # a return
        return known[:len(stack)]
    return (None,) * len(stack)  # a hand-made chain: nothing is known


def _new_return_point(call: _Call | None, story: Story) -> tuple[str, str] | None:
    """Where an open call whose return point the story lost returns now, and why (the load
    report's words), or None: nowhere, the return point is dropped.

    `call` is the scene and choice that made it. If that choice is still a `call:` in the
    edited scene, the return point is the one it would push now: its `then:`, or without one
    that scene. If the choice is gone or no longer a call, it is the scene that made the
    call. None when that scene is gone too, or the history did not show the call."""
    if call is None:
        return None
    caller, choice_id = call
    scene = story.scenes.get(caller)
    if scene is None:
        return None
    if choice_id is None:
        return caller, "which made the call"
    for choice in scene.choices:
        if choice.id == choice_id:
            if not choice.call:
                return caller, (f"which made the call (its choice '{choice_id}' is no "
                                "longer a call)")
            point = caller if choice.then is None else choice.then
            if point not in story.scenes:  # the loader refuses such a then: (OS802)
                return caller, "which made the call"
            return point, f"where the edited call '{choice_id}' now returns"
    return caller, f"which made the call (its choice '{choice_id}' is gone)"


def _fit_stack(stack: tuple[str, ...], story: Story,
               callers: tuple[_Call | None, ...]) -> tuple[str, ...]:
    """Each return point the story lost is replaced by `_new_return_point`'s, or dropped."""
    out = []
    for scene, call in zip(stack, callers, strict=True):
        if scene in story.scenes:
            out.append(scene)
        else:
            new = _new_return_point(call, story)
            if new is not None:
                out.append(new[0])
    return tuple(out)


def _fit(old: GameState, story: Story, previous: GameState | None,
         kept: GameState | None, callers: tuple[_Call | None, ...]) -> GameState:
    """`old` fitted to the story; `kept`, when given, is an earlier state whose visits, once-
    only choices and facts all fitted as they were, so only what `old` adds needs checking;
    `callers`: the scene and choice that made each of its open calls (None where unknown)."""
    variables = _fit_variables(old.variables, story)
    visits = old.visits
    if not _visits_fit(visits, story, kept.visits if kept is not None else None):
        visits = {s: n for s, n in visits.items() if s in story.scenes}
    taken = old.taken
    if (kept is None or taken is not kept.taken) and any(
            not _choice_exists(story, key) for key in taken):
        taken = frozenset(key for key in taken if _choice_exists(story, key))
    facts = old.facts
    if (kept is None or facts is not kept.facts) and any(
            fact not in story.facts for fact in facts):
        facts = tuple(f for f in facts if f in story.facts)
    stack = old.stack
    if stack and any(scene not in story.scenes for scene in stack):
        stack = _fit_stack(stack, story, callers)
    if (variables is old.variables and visits is old.visits and taken is old.taken
            and facts is old.facts and previous is old.previous and stack is old.stack):
        return old
    return GameState(old.scene, variables, visits, taken, facts, old.turn, old.via, previous,
                     old.seed, stack)


def _visits_fit(visits: Mapping[str, int], story: Story,
                fitting: Mapping[str, int] | None) -> bool:
    """Whether every scene counted in `visits` still exists; `fitting` is an earlier version
    known to (so for a `Counts` only the counts changed since then are looked at)."""
    if visits is fitting:
        return True
    if isinstance(visits, Counts) and isinstance(fitting, Counts):
        changed = visits.changed_since(fitting)
        if changed is not None:
            return all(scene in story.scenes for scene in changed)
    return all(scene in story.scenes for scene in visits)


def _fit_variables(saved: Mapping[str, Value], story: Story) -> Mapping[str, Value]:
    declared = story.variables
    if len(saved) == len(declared) and all(
            name in declared and _fits(value, declared[name])
            for name, value in saved.items()):
        return saved
    out: dict[str, Value] = {}
    for name, var in declared.items():
        value = saved.get(name, var.default)
        if var.items is not None and isinstance(value, tuple):
            out[name] = lists.fitted(var.items, value)[0]  # names the story dropped go
        elif not _same_kind(value, var.default):
            out[name] = var.default
        else:  # a number the edit gave bounds (or narrower ones) is brought inside them
            out[name] = _bounded(value, var)
    return out


def _bounded(value: Value, var: Variable) -> Value:
    """A number kept inside its variable's bounds, as `add` and `compute` keep it."""
    if not var.bounded or isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return clamped(value, var.lo, var.hi)


def _fits(value: Value, var: Variable) -> bool:
    """Whether a saved value stays as it is: of the variable's kind, and for a list, only
    names it still declares, in its order."""
    if var.items is None or not isinstance(value, tuple):
        return _same_kind(value, var.default) and _bounded(value, var) == value
    return lists.fitted(var.items, value)[0] == value


def _same_kind(value: Value, default: Value) -> bool:
    """int and float are both numbers (an `add` of 0.5 turns one into the other); bool is not;
    a list is a list."""
    if isinstance(default, tuple) or isinstance(value, tuple):
        return isinstance(default, tuple) and isinstance(value, tuple)
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, int | float):
        return isinstance(value, int | float)
    return isinstance(value, str)


def _choice_exists(story: Story, key: str) -> bool:
    scene_id, _, choice_id = key.partition("/")
    scene = story.scenes.get(scene_id)
    return scene is not None and any(c.id == choice_id for c in scene.choices)


def _changes(old: GameState, new: GameState, story: Story, skipped: int,
             callers: tuple[_Call | None, ...]) -> tuple[str, ...]:
    """Human phrases for what fitting did to the state the player will see; `callers`: the
    scene and choice that made each of `old`'s open calls (None where unknown)."""
    out: list[str] = []
    added = [name for name in new.variables if name not in old.variables]
    if added:
        out.append(f"{_count(len(added), 'new variable')} ({_names(added)})")
    removed = [name for name in old.variables if name not in new.variables]
    if removed:
        out.append(_removed(removed, "variable"))
    reset = [name for name, var in story.variables.items()
             if name in old.variables and not _same_kind(old.variables[name], var.default)]
    if reset:
        noun = "variable" if len(reset) == 1 else "variables"
        out.append(f"{noun} {_names(reset)} reset to the default (type changed)")
    moved = [name for name, var in story.variables.items()
             if name in old.variables and name in new.variables
             and _same_kind(old.variables[name], var.default)
             and new.variables[name] != old.variables[name] and var.items is None]
    if moved:
        noun = "variable" if len(moved) == 1 else "variables"
        out.append(f"{noun} {_names(moved)} brought within the new bounds")
    for name, var in story.variables.items():
        held = old.variables.get(name)
        if var.items is not None and isinstance(held, tuple):
            dropped = lists.fitted(var.items, held)[1]
            if dropped:
                noun = "name" if len(dropped) == 1 else "names"
                out.append(f"list '{name}' lost the {noun} {_names(dropped)} (no longer "
                           "among its items)")
    lost_facts = [fact for fact in old.facts if fact not in story.facts]
    if lost_facts:
        out.append(_removed(lost_facts, "fact"))
    lost_choices = sorted(key for key in old.taken if key not in new.taken)
    if lost_choices:
        out.append(_removed(lost_choices, "once-only choice"))
    lost_points: list[str] = []
    for scene, call in zip(old.stack, callers, strict=True):
        if scene in story.scenes:
            continue
        moved_to = _new_return_point(call, story)
        if moved_to is not None:
            out.append(f"return point '{scene}' of an open call removed: it returns to "
                       f"'{moved_to[0]}', {moved_to[1]}")
        else:
            lost_points.append(scene)
    if lost_points:  # the call returns to the open call below it instead, or fails if none
        noun = "return point" if len(lost_points) == 1 else "return points"
        out.append(f"{noun} {_names(lost_points)} of an open call dropped (removed)")
    if skipped:
        out.append(f"{_count(skipped, 'undo step')} dropped (their scenes were removed)")
    return tuple(out)


def _removed(items: list[str], noun: str) -> str:
    if len(items) == 1:
        return f"{noun} '{items[0]}' removed"
    return f"{len(items)} {noun}s removed ({_names(items)})"


def _names(items: Iterable[str], limit: int = 3) -> str:
    items = list(items)
    shown = ", ".join(f"'{item}'" for item in items[:limit])
    return shown if len(items) <= limit else f"{shown} and {len(items) - limit} more"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
