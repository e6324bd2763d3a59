"""The rules of play, as pure functions of an immutable `Story` and a `GameState`.

No I/O, no clock, no random number generator, no UI: the same story, state and choice always
give the same next state, which is what makes random playthroughs reproducible from a seed
and saves replayable. A story's `random()` is no exception: it is a hash of the game's seed
(part of the state) and of where and when it is rolled (game/engine/dice.py). The UI, plain
mode and the author tools all call this one module.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from game.engine.counts import SMALL, Counts
from game.engine.dice import Roll
from game.engine.effects import added, bounds, computed, game_roll, rolls
from game.engine.errors import ChoiceLocked, ChoiceNotAvailable, StoryRuntimeError
from game.engine.state import HISTORY_LIMIT, GameState, new_state
from game.engine.text import Context, render
from game.engine.text import format_value as format_value
from game.story import lists
from game.story.calls import MAX_DEPTH
from game.story.construct import fast_constructor
from game.story.expr import FUNCTIONS, ExprEvalError, references
from game.story.model import (
    Choice,
    Condition,
    Effect,
    Ending,
    Names,
    Scene,
    Story,
    Template,
    Value,
)

_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_NO_FACTS: frozenset[str] = frozenset()
_NONE_LOCKED: frozenset[str] = frozenset()


def destination(state: GameState, choice: Choice) -> str:
    """The scene `Engine.take` enters for `choice` in `state`: the one it goes to or calls,
    or for the Continue of a `return: true` scene the return point on top of the call stack
    (with no call open `take` refuses it; this then answers the scene's own `goto`). The
    reports' routes use it for a move that failed on the way; `take` inlines it, and
    `tests/engine/test_engine_calls.py` holds the two equal."""
    if choice.returns and state.stack:
        return state.stack[-1]
    return choice.goto


@dataclass(frozen=True, slots=True)
class ChoiceView:
    id: str
    text: str
    is_continue: bool
    locked: bool = False
    """Shown but not takeable: its `enabled` is false now (format v2)."""
    reason: str | None = None
    """The rendered `reason` of a locked choice, if it has one."""


@dataclass(frozen=True, slots=True)
class SceneView:
    """What a front end shows: all text rendered, all conditions already decided."""

    scene: str
    title: str
    chapter: str | None
    paragraphs: tuple[str, ...]
    choices: tuple[ChoiceView, ...]
    ending: Ending | None
    new_facts: tuple[str, ...]

    @property
    def stuck(self) -> bool:
        """No way on and not an ending: a story bug the front ends explain instead of hanging.
        Locked choices are no way on."""
        return self.ending is None and all(c.locked for c in self.choices)


_choice_view: Callable[[str, str, bool, bool, str | None], ChoiceView] = fast_constructor(
    ChoiceView, ("id", "text", "is_continue", "locked", "reason"))
"""`ChoiceView(...)` with every field given (`construct`): the view of a scene makes one
per shown choice, at every step a front end shows."""


_FACT_CALLS = tuple(name for name, kind in FUNCTIONS.items() if kind == "fact")
"""The functions that read facts (`has`): a condition whose text names none of them reads
none, and is not walked to find out."""


def _asks_facts(condition: Condition | None) -> bool:
    """Whether `condition` reads a fact (`has(...)`)."""
    if condition is None or not any(name in condition.source for name in _FACT_CALLS):
        return False
    return any(ref.kind == "fact" for ref in references(condition.node))


class _Plan:
    """One scene, arranged for the choices()/take() loop that random playthroughs run
    millions of times: no attribute chains, no string building, no per-call decisions."""

    __slots__ = ("checks", "ending", "facts", "on_enter", "static")

    def __init__(self, scene: Scene) -> None:
        checks = []
        facts = varies = False
        for c in scene.choices:
            condition, enabled = c.condition, c.enabled
            facts = facts or _asks_facts(condition) or _asks_facts(enabled)
            varies = varies or condition is not None or c.once or enabled is not None
            checks.append((c, condition.evaluate if condition is not None else None,
                           f"{scene.id}/{c.id}" if c.once else None,
                           enabled.evaluate if enabled is not None else None))
        self.facts = facts
        """Whether any condition (`if` or `enabled`) asks has(): only then is a set of the
        facts built."""
        self.ending = scene.ending is not None
        self.on_enter = scene.on_enter
        self.checks = tuple(checks)
        self.static = None if varies else scene.choices
        """The choices when nothing can hide or lock any of them: returned as they are."""


class Engine:
    """Binds the rules to one story; holds no game state of its own (only a per-scene
    cache of how to play each scene, derived from the immutable story).

    `history` is how many earlier states each state it makes keeps for undo (see
    game/engine/state.py); None keeps them all, for tools that report a whole run's route.
    """

    __slots__ = ("_bounds", "_defaults", "_facts", "_history", "_items", "_plans",
                 "_prepared", "_story", "_titles")

    def __init__(self, story: Story, history: int | None = HISTORY_LIMIT) -> None:
        if history is not None and history < 1:
            raise ValueError(f"history must be at least 1 (or None for all), not {history}")
        self._story = story
        self._history = history
        self._bounds = bounds(story)
        self._items = story.list_items()
        """Each list variable's declared names, for a list's `add` (the order it keeps)."""
        self._prepared: dict[int, tuple[Effect, lists.NamesTable | bool]] = {}
        """What each list or compute effect seen so far needs, made once (`_prepare`), by
        its id, with the effect itself (which keeps that id its own): a list's
        `add`/`remove` as its table of value before -> after; for a compute, whether it
        rolls (`effects.rolls`: one that does not is evaluated with no dice, as the runner
        does)."""
        self._defaults: dict[str, Value] | None = None
        """The story's defaults, made at the first start: every game starts from this one
        dict, which no state ever changes (a write copies it first, as for any state)."""
        self._plans: dict[str, _Plan] = {}
        self._facts: tuple[tuple[str, ...], frozenset[str]] = ((), frozenset())
        """The last facts tuple seen, with its set (one attribute, so threads never see a
        mismatched pair): consecutive states share the tuple until a fact is unlocked."""
        self._titles: dict[str, Template] = {}
        """Titles of scenes and endings that show variables or variations, parsed once."""

    @property
    def story(self) -> Story:
        return self._story

    def _plan(self, scene_id: str) -> _Plan:
        plan = self._plans.get(scene_id)
        if plan is None:
            plan = self._plans[scene_id] = _Plan(self._story.scenes[scene_id])
        return plan

    # -- moving --------------------------------------------------------------------------

    def _prepare(self, effect: Effect) -> tuple[Effect, lists.NamesTable | bool]:
        """`_prepared`'s entry for a list or compute effect, made and kept."""
        if effect.kind == "compute":
            assert effect.expression is not None, "a compute effect holds its expression"
            made: lists.NamesTable | bool = rolls(effect.expression)
        else:
            names: Names = effect.value  # type: ignore[assignment]
            made = lists.names_table(effect.kind, self._items.get(effect.target, ()), names)
        entry = self._prepared[id(effect)] = (effect, made)
        return entry

    def start(self, seed: int = 0) -> GameState:
        """The first state of a game whose random draws come from `seed` (game/engine/dice.py;
        the Session picks one, or takes `--seed`'s)."""
        story = self._story
        defaults = self._defaults
        if defaults is None:
            defaults = self._defaults = story.defaults()
        return self._arrive(story.start, defaults, {}, frozenset(), (), 0, None, None,
                            False, seed, (), None)

    def choices(self, state: GameState, *, locks: list[str] | None = None,
                ) -> tuple[Choice, ...]:
        """The choices the player can take now: shown (`if` holds, once-only ones unused)
        and not locked (`enabled` holds).

        This is the one place a choice's conditions are decided: `if` (and `once`) hide it,
        `enabled` locks it (the random runner calls the same closures). Given `locks`, the
        locked choices are kept in the result and their ids added to it: what `shown`
        gives."""
        plan = self._plans.get(state.scene) or self._plan(state.scene)
        if plan.static is not None:
            return plan.static
        taken = state.taken
        variables, visits = state.variables, state.visits
        facts = self._fact_set(state) if plan.facts else _NO_FACTS
        out = []
        for choice, evaluate, once, enabled in plan.checks:
            if once is not None and once in taken:
                continue
            if evaluate is not None:
                try:
                    if not evaluate(variables, visits, facts):
                        continue
                except ExprEvalError as exc:
                    pos = choice.condition.pos  # type: ignore[union-attr]
                    raise StoryRuntimeError(pos.shifted(exc.offset), exc.message) from None
            if enabled is not None:
                try:
                    if not enabled(variables, visits, facts):
                        if locks is None:
                            continue
                        locks.append(choice.id)
                except ExprEvalError as exc:
                    pos = choice.enabled.pos  # type: ignore[union-attr]
                    raise StoryRuntimeError(pos.shifted(exc.offset), exc.message) from None
            out.append(choice)
        return tuple(out)

    def shown(self, state: GameState) -> tuple[tuple[Choice, ...], frozenset[str]]:
        """Every choice the player sees now, in story order, and the ids of those that are
        locked (shown, but not takeable)."""
        locks: list[str] = []
        shown = self.choices(state, locks=locks)
        return shown, frozenset(locks) if locks else _NONE_LOCKED

    def choose(self, state: GameState, choice_id: str) -> GameState:
        """Take the shown choice with this id; `ChoiceLocked` if it is locked,
        `ChoiceNotAvailable` if no such choice is shown."""
        for choice in self.shown(state)[0]:
            if choice.id == choice_id:
                return self.take(state, choice)
        raise ChoiceNotAvailable(f"no choice '{choice_id}' available in scene '{state.scene}'")

    def locked_reason(self, state: GameState, choice: Choice) -> str | None:
        """The rendered `reason` of a choice, as a locked choice shows it (None: it has
        none)."""
        return None if choice.reason is None else self.render(choice.reason, state)

    def take(self, state: GameState, choice: Choice, roll: Roll | None = None) -> GameState:
        """Apply a choice `choices` offers, then enter its scene: the one it goes to or
        calls (a call first pushes its return point), or, for the Continue of a `return:
        true` scene, the return point it pops. A locked choice (its `enabled` false in this
        state) is refused with `ChoiceLocked`, which carries the reason (`shown` decides it,
        as for the view); whether it is shown at all is the caller's to have asked.

        `roll`: the dice every `random()` of this move rolls (the exhaustive search tries
        each outcome); None rolls the game's own, from its seed (game/engine/dice.py)."""
        if choice.enabled is not None and self._locked(state, choice):
            raise ChoiceLocked(choice.id, state.scene, self.locked_reason(state, choice))
        goto, stack = choice.goto, state.stack  # (`destination`, inlined: the hot path)
        if choice.returns:
            if not stack:
                raise StoryRuntimeError(choice.goto_pos, f"return: scene '{state.scene}' "
                                        "was reached without a call, so there is no scene to "
                                        "go back to (enter it with 'call:', not 'goto:')")
            goto, stack = stack[-1], stack[:-1]
        elif choice.call:
            if len(stack) >= MAX_DEPTH:
                raise StoryRuntimeError(choice.goto_pos, f"call: '{goto}' would be the "
                                        f"{MAX_DEPTH + 1}th call open at once; calls nest at "
                                        f"most {MAX_DEPTH} deep (does a call recurse?)")
            stack = (*stack, choice.then if choice.then is not None else state.scene)
        turn = state.turn + 1
        effects = choice.effects
        if effects:
            variables: Mapping[str, Value] = dict(state.variables)
            facts = _apply(effects, variables, state.facts, self,  # type: ignore[arg-type]
                           (state.seed, turn, state.scene, choice.id,
                                          state.visits, roll))
        else:
            variables, facts = state.variables, state.facts
        taken = state.taken | {f"{state.scene}/{choice.id}"} if choice.once else state.taken
        return self._arrive(goto, variables, state.visits, taken, facts,
                            turn, choice.id, state, bool(effects), state.seed, stack, roll)

    def _locked(self, state: GameState, choice: Choice) -> bool:
        """Whether `take` refuses `choice` as locked: it is among the locked ones `shown`
        lists. Its own `enabled` holding settles it without listing the scene (the usual
        case: front ends take what `choices` offered); otherwise `shown` decides, as it
        does for the view (an error in the condition is raised there, where it was)."""
        enabled = choice.enabled
        assert enabled is not None
        try:
            if enabled.evaluate(state.variables, state.visits, self._fact_set(state)):
                return False
        except ExprEvalError:
            pass
        return choice.id in self.shown(state)[1]

    def _enter(self, state: GameState, scene_id: str) -> GameState:
        return self._arrive(scene_id, state.variables, state.visits, state.taken, state.facts,
                            state.turn, state.via, state.previous, False, state.seed,
                            state.stack, None)

    def _arrive(self, scene_id: str, variables: Mapping[str, Value], visits: Mapping[str, int],
                taken: frozenset[str], facts: tuple[str, ...], turn: int, via: str | None,
                previous: GameState | None, own: bool, seed: int,
                stack: tuple[str, ...], roll: Roll | None) -> GameState:
        """The state on entering a scene: its visit counted, its on_enter effects run.

        Variables are copied only when something writes to them (`own`: already a fresh
        copy); otherwise states share them, as they are never changed once made. Visits
        are copied while small and a persistent `Counts` after that (game/engine/state.py
        says why), and the new state's undo chain is kept to the engine's `history`.
        """
        plan = self._plans.get(scene_id) or self._plan(scene_id)
        if type(visits) is Counts:
            counted: Mapping[str, int] = visits.bumped(scene_id)
        elif len(visits) < SMALL:
            counted = small = dict(visits)
            small[scene_id] = small.get(scene_id, 0) + 1
        else:
            counted = Counts(visits).bumped(scene_id)
        if plan.on_enter:
            fresh = variables if own else dict(variables)
            facts = _apply(plan.on_enter, fresh, facts, self,  # type: ignore[arg-type]
                           (seed, turn, scene_id, None, counted, roll))
            variables = fresh
        return new_state(scene_id, variables, counted, taken, facts, turn, via, previous,
                         self._history, seed, stack)

    @staticmethod
    def back(state: GameState) -> GameState | None:
        """Undo the last choice; None at the first scene."""
        return state.previous

    def is_over(self, state: GameState) -> bool:
        """At an ending: the story is over there, even inside a call (the stack is left)."""
        return (self._plans.get(state.scene) or self._plan(state.scene)).ending

    # -- showing -------------------------------------------------------------------------

    def view(self, state: GameState) -> SceneView:
        scene = self.story.scenes[state.scene]
        ending = scene.ending
        if ending is not None and ("{" in ending.title or "}" in ending.title):
            ending = replace(ending, title=self.title(ending.title, state))
        return SceneView(
            scene=scene.id,
            title=self.title(scene.title, state),
            chapter=scene.chapter,
            paragraphs=self.paragraphs(scene, state),
            choices=self._choice_views(state),
            ending=ending,
            new_facts=state.new_facts,
        )

    def _choice_views(self, state: GameState) -> tuple[ChoiceView, ...]:
        shown, locked = self.shown(state)
        if not locked:
            return tuple(_choice_view(c.id, self.render(c.text, state), c.is_continue,
                                      False, None) for c in shown)
        return tuple(_choice_view(c.id, self.render(c.text, state), c.is_continue, True,
                                  self.locked_reason(state, c)) if c.id in locked
                     else _choice_view(c.id, self.render(c.text, state), c.is_continue,
                                       False, None)
                     for c in shown)

    def title(self, title: str, state: GameState) -> str:
        """A scene's or an ending's title as shown in `state` (titles are kept as written,
        and checked by the loader: see `ElementReaders.title`)."""
        if "{" not in title and "}" not in title:
            return title
        template = self._titles.get(title)
        if template is None:
            from game.story.variations import runtime_template

            template = self._titles[title] = runtime_template(
                title, self._story.variables, self._story.scenes[state.scene].pos)
        return self.render(template, state)

    def paragraphs(self, scene: Scene, state: GameState) -> tuple[str, ...]:
        """Visible paragraphs, blank-line separated, single newlines reflowed (as Markdown)."""
        out: list[str] = []
        for paragraph in scene.paragraphs:
            if paragraph.condition is not None and not self._holds(paragraph.condition, state):
                continue
            text = self.render(paragraph.text, state).strip()
            for part in _BLANK_LINE.split(text):
                part = " ".join(line.strip() for line in part.splitlines())
                if part:
                    out.append(part)
        return tuple(out)

    def render(self, template: Template, state: GameState) -> str:
        """Any shown text of the scene `state` is in (paragraphs, choices, titles, reasons),
        rendered purely (`game/engine/text.py`)."""
        parts = template.parts
        if len(parts) == 1:
            return parts[0]  # type: ignore[return-value]
        variables = state.variables
        if all(type(p) is str for p in parts):
            return "".join(p if i % 2 == 0 else format_value(variables[p])  # type: ignore
                           for i, p in enumerate(parts))
        return render(parts, Context(variables, state.visits, lambda: self._fact_set(state),
                                     state.scene, state.seed))

    def _fact_set(self, state: GameState) -> frozenset[str]:
        """The state's facts as a set for `has()`, made once per distinct facts tuple."""
        seen, facts = self._facts
        if state.facts is not seen:
            facts = frozenset(state.facts)
            self._facts = (state.facts, facts)
        return facts

    def _holds(self, condition: Condition, state: GameState) -> bool:
        try:
            return bool(condition.evaluate(state.variables, state.visits, self._fact_set(state)))
        except ExprEvalError as exc:
            raise StoryRuntimeError(condition.pos.shifted(exc.offset), exc.message) from None


def shown_title(story: Story, title: str, state: GameState) -> str:
    """A scene's or an ending's title as the game shows it in `state`, for the places that
    name a scene outside the game's view (the save list, a moved save's summary); as
    written when it cannot be shown (a run-time error in its condition)."""
    if "{" not in title and "}" not in title:
        return title
    try:
        return Engine(story).title(title, state)
    except StoryRuntimeError:
        return title


_At = tuple[int, int, str, "str | None", Mapping[str, int], "Roll | None"]
"""Where a list of effects runs, for what a `compute` reads and rolls: (seed, turn, the
scene, the choice's id or None for the scene's on_enter, the visits it sees, the dice the
caller gave or None for the game's own). The dice's `where` is `scene/choice` for a
choice's effects and the scene's id for on_enter (game/engine/dice.py); it is built only
when a compute rolls."""


def _apply(effects: tuple[Effect, ...], variables: dict[str, Value], facts: tuple[str, ...],
           engine: Engine, at: _At) -> tuple[str, ...]:
    """Apply a choice's or a scene's effects, in order, to a fresh variables dict; returns
    the (maybe longer) facts tuple. What `add` and `compute` store is
    game/engine/effects.py's; the kinds are tested most common first.

    A list's `add`/`remove` (its value: the names, checked at load time) goes through
    `game.story.lists`, which keeps the declared order; the story gives that order. A
    compute that calls no `random()` gets no dice (`effects.computed`): building them
    costs more than most expressions do."""
    index = -1
    for effect in effects:
        index += 1
        kind = effect.kind
        if kind == "set":
            variables[effect.target] = effect.value
        elif kind == "add" and type(effect.value) is not tuple:
            variables[effect.target] = added(effect, variables[effect.target], engine._bounds)
        elif kind == "unlock":
            if effect.target not in facts:
                facts = (*facts, effect.target)
        else:  # a list's add/remove (one look-up in its table), or a compute
            prepared = engine._prepared.get(id(effect))
            if prepared is None or prepared[0] is not effect:
                prepared = engine._prepare(effect)
            if kind != "compute":
                table = prepared[1]
                variables[effect.target] = table[variables[effect.target]]  # type: ignore[index]
                continue
            seed, turn, scene, choice, visits, roll = at
            variables[effect.target] = computed(
                effect, variables, visits, frozenset(facts), engine._bounds,
                None if not prepared[1] else roll or game_roll(
                    seed, turn, scene if choice is None else f"{scene}/{choice}", index,
                    effect))
    return facts
