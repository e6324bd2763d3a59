"""Scripted playthroughs: the author's own routes through the story, replayed and checked.

A playthrough (a top-level `playthroughs:` entry, see docs/author-tools.md) names choices by
id or exact text and says what must hold. The rules, chosen so a script reads like a player's
memory of a game rather than a program:

- a step must match exactly one visible choice: first by id, else by its text as shown;
- a `next:` (or `return:`) scene is continued automatically when the step does not name
  its Continue (so a script may say "Continue" or leave it out);
- a step's `expect` is checked right after that step; the final `expect` is checked after
  any remaining Continues, where the player next has to decide (or at the ending);
- `facts` is a subset check: the run may unlock more than the author listed;
- every scene the script passes through is shown as the player would see it, so a story
  error there (a division by zero in a condition) fails the playthrough at that step.

A failure says which step diverged, where it is written, what was expected and what was
found, and the route so far, because "playthrough failed" alone sends an author hunting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from game.engine import Engine, GameState, StoryRuntimeError, format_value
from game.story.model import Choice, Expectation, Playthrough, Pos, Story, Value
from game.tools.trail import describe, route

MAX_CONTINUES = 1000
"""Continues followed in a row before a chain of `next:` scenes is called a loop."""


@dataclass(frozen=True, slots=True)
class Failure:
    step: int | None
    """1-based index of the step that diverged; None for the final expectation."""
    pos: Pos
    message: str
    details: tuple[str, ...]
    route: str


@dataclass(frozen=True, slots=True)
class Result:
    playthrough: Playthrough
    state: GameState
    failure: Failure | None

    @property
    def ok(self) -> bool:
        return self.failure is None


class _Diverged(Exception):
    def __init__(self, pos: Pos, message: str, details: tuple[str, ...] = (),
                 state: GameState | None = None) -> None:
        super().__init__(message)
        self.pos = pos
        self.message = message
        self.details = details
        self.state = state
        """Where the run stood when it diverged, if Continues moved it on from the last step."""


def run_all(story: Story) -> list[Result]:
    engine = Engine(story, history=None)  # routes in reports replay the whole run
    return [run(engine, p) for p in story.playthroughs.values()]


def run(engine: Engine, playthrough: Playthrough) -> Result:
    """Replay one playthrough; never raises for a story problem, it reports it."""
    story = engine.story
    state = engine.start(playthrough.seed)
    index: int | None = None
    try:
        for number, step in enumerate(playthrough.steps, start=1):
            index = number  # kept for the report if this step diverges
            state, choice = _match(engine, state, step.choose, step.pos)
            state = engine.take(state, choice)
            engine.view(state)  # what the player would see must show without a story error
            if step.expect is not None:
                _expect(engine, state, step.expect, "after this step")
        index = None
        state = _continue(engine, state, playthrough.pos)
        engine.view(state)
        if playthrough.expect is not None:
            _expect(engine, state, playthrough.expect, "(the final 'expect')")
    except _Diverged as exc:
        state = exc.state or state
        where = "at the end" if index is None else (
            f"at step {index} of {len(playthrough.steps)} "
            f"({playthrough.steps[index - 1].choose!r})")
        message = f"playthrough '{playthrough.name}' failed {where}: {exc.message}"
        return Result(playthrough, state,
                      Failure(index, exc.pos, message, exc.details, _route(story, state)))
    except StoryRuntimeError as exc:
        pos = exc.pos if isinstance(exc.pos, Pos) else playthrough.pos
        at = f"step {index}" if index is not None else "the end"
        message = (f"playthrough '{playthrough.name}' hit a story error at {at}: "
                   f"{exc.message}")
        return Result(playthrough, state,
                      Failure(index, pos, message, (), _route(story, state)))
    return Result(playthrough, state, None)


def _route(story: Story, state: GameState) -> str:
    return describe(story.start, route(story, state))


def _is_continue_scene(engine: Engine, state: GameState) -> bool:
    return engine.story.scenes[state.scene].continues


def _continue(engine: Engine, state: GameState, pos: Pos) -> GameState:
    """Press Continue until the player must decide or the story has ended."""
    for _ in range(MAX_CONTINUES):
        if not _is_continue_scene(engine, state):
            return state
        options = engine.choices(state)
        if not options:
            return state
        state = engine.take(state, options[0])
        engine.view(state)
    raise _Diverged(pos, f"followed {MAX_CONTINUES} Continues in a row without a choice: "
                    "the 'next:' scenes form a loop", (), state)


def _match(engine: Engine, state: GameState, wanted: str, pos: Pos,
           ) -> tuple[GameState, Choice]:
    """The one available choice `wanted` names, continuing through `next:` scenes if needed."""
    for _ in range(MAX_CONTINUES):
        options = engine.choices(state)
        by_id = [c for c in options if c.id == wanted]
        found = by_id or [c for c in options if engine.render(c.text, state) == wanted]
        if len(found) == 1:
            return state, found[0]
        if len(found) > 1:
            raise _Diverged(pos, f"'{wanted}' matches {len(found)} choices in scene "
                            f"'{state.scene}'; name one by its id",
                            (f"matching: {_list_choices(engine, state, found)}",), state)
        if not _is_continue_scene(engine, state) or not options:
            break
        state = engine.take(state, options[0])
        engine.view(state)
    else:
        raise _Diverged(pos, f"followed {MAX_CONTINUES} Continues in a row without a choice",
                        (), state)
    scene = engine.story.scenes[state.scene]
    if scene.ending is not None:
        raise _Diverged(pos, f"the story already ended at '{scene.ending.id}' "
                        f"(scene '{scene.id}')", (), state)
    shown = {id(c) for c in options}
    hidden = [c for c in scene.choices
              if id(c) not in shown and (c.id == wanted or str(c.text) == wanted)]
    details = [f"available: {_list_choices(engine, state, options) or 'nothing'}"]
    locked = engine.shown(state)[1]
    for choice in [c for c in hidden if c.id in locked]:
        assert choice.enabled is not None
        reason = engine.locked_reason(state, choice)
        details.append(f"'{wanted}' is shown but locked now (enabled: {choice.enabled.source}"
                       f"{'; reason: ' + reason if reason else ''})")
        hidden.remove(choice)
    if hidden:
        details.append(f"'{wanted}' is in this scene but hidden now "
                       "(its 'if' is false, or it is 'once' and was taken)")
    raise _Diverged(pos, f"no available choice '{wanted}' in scene '{scene.id}'",
                    tuple(details), state)


def _list_choices(engine: Engine, state: GameState, choices: tuple[Choice, ...] | list[Choice],
                  ) -> str:
    return ", ".join(f"'{engine.render(c.text, state)}' ({c.id})" for c in choices)


def _expect(engine: Engine, state: GameState, expect: Expectation, when: str) -> None:
    details = mismatches(engine, state, expect)
    if details:
        raise _Diverged(expect.pos, f"expectation not met {when}", tuple(details))


def mismatches(engine: Engine, state: GameState, expect: Expectation) -> list[str]:
    """One line per field that differs: `scene: expected 'a', actual 'b'`."""
    out: list[str] = []
    scene = engine.story.scenes[state.scene]
    if expect.scene is not None and expect.scene != state.scene:
        out.append(f"scene: expected '{expect.scene}', actual '{state.scene}'")
    if expect.ending is not None:
        actual = scene.ending.id if scene.ending is not None else None
        if actual != expect.ending:
            found = f"'{actual}'" if actual else f"no ending yet (in scene '{state.scene}')"
            out.append(f"ending: expected '{expect.ending}', actual {found}")
    missing = [f for f in expect.facts if f not in state.facts]
    if missing:
        unlocked = ", ".join(state.facts) or "none"
        out.append(f"facts: expected {', '.join(expect.facts)}; missing {', '.join(missing)} "
                   f"(unlocked in this run: {unlocked})")
    out.extend(_variable_mismatches(expect.variables, state.variables))
    return out


def _variable_mismatches(expected: Mapping[str, Value], actual: Mapping[str, Value],
                         ) -> list[str]:
    out = []
    for name, want in expected.items():
        have = actual.get(name)
        if have is None or not _same(have, want):
            shown = _shown(have) if have is not None else "undeclared"
            out.append(f"variables: {name} expected {_shown(want)}, actual {shown}")
    return out


def _shown(value: Value) -> str:
    """A value as a mismatch shows it; a list in brackets, so an empty one is seen."""
    return f"[{format_value(value)}]" if isinstance(value, tuple) else format_value(value)


def _same(a: Value, b: Value) -> bool:
    """Equal as the story sees it: 1 == 1.0, but true is not 1 and "1" is not 1."""
    numbers = (int, float)
    if type(a) in numbers and type(b) in numbers:
        return a == b
    return type(a) is type(b) and a == b
