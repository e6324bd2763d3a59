"""Whole-story checks that need every file loaded: reachability, stuck scenes, unused names.

Errors are for what can be proven (a scene whose every choice has a condition that is always
false); warnings are for what is very likely a mistake but depends on how the story is
played (a scene nothing leads to, a fact nothing unlocks, choices that can all be hidden
under some values). `offscreen test --exhaustive` settles the guesses for small stories.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Container, Iterable, Iterator

from game import numbers
from game.story import codes, expr
from game.story.calllint import call_problems
from game.story.diagnostics import Diagnostic, Related
from game.story.model import Choice, Condition, Pos, Scene, Story, Value

MAX_COMBINATIONS = 4096
"""How many value combinations the stuck-scene check tries before it gives up quietly."""


def lint(story: Story, partial: bool = False, known: Known | None = None,
         unseen: Container[str] | None = frozenset()) -> list[Diagnostic]:
    """Whole-story warnings. `partial`: the story has errors, so parts of it (a condition
    that did not parse, say) are missing; "never read" would then mostly be noise. `known`:
    what an earlier lint worked out about condition texts (it depends on the text alone),
    for a process that checks the same story again after each edit. `unseen`: the names a
    file that could not be read mentions (None: any name), since its gotos and unlocks may
    be what reaches those scenes and unlocks those facts."""
    out: list[Diagnostic] = []
    known = known or Known()
    roots = [name for name in story.scenes if unseen is None or name in unseen]
    reachable = reachable_scenes(story, known.never, roots)
    for scene in story.scenes.values():
        if scene.id not in reachable:
            out.append(codes.UNREACHABLE_SCENE.at(scene.pos, f"scene '{scene.id}' can never "
                                                  f"be reached from the start scene "
                                                  f"'{story.start}'"))
        out.extend(_stuck(story, scene, reachable, known))
    unlocked_anywhere, unlocked_reachably = _unlocks(story, reachable)
    for fact in story.facts.values():
        if unseen is None or fact.id in unseen:
            continue
        if fact.id not in unlocked_anywhere:
            out.append(codes.UNUSED_FACT.at(fact.pos, f"fact '{fact.id}' is never unlocked "
                                            "(no 'unlock' names it)"))
        elif fact.id not in unlocked_reachably:
            out.append(codes.FACT_OUT_OF_REACH.at(fact.pos, f"fact '{fact.id}' is only "
                                                  "unlocked in scenes that can never be "
                                                  "reached"))
    for ending in story.endings.values():
        if ending.scene not in reachable:
            out.append(codes.UNREACHABLE_ENDING.at(ending.pos, f"ending '{ending.id}' can "
                                                   "never be reached"))
    if not partial:
        out.extend(_unused_variables(story))
    out.extend(_out_of_range(story, known))
    out.extend(call_problems(story, known.never))
    return out


def _out_of_range(story: Story, known: Known) -> Iterator[Diagnostic]:
    """Numbers an author wrote outside the range the game keeps (game/numbers.py): an error,
    since a save could not hold them (and `int` cannot even print past 4,300 digits)."""
    def problem(pos: Pos, value: Value) -> Diagnostic:
        return codes.OUT_OF_RANGE.at(pos, f"{value:.4g} is outside the range numbers stay "
                                          f"in ({numbers.WORDS})")

    for variable in story.variables.values():
        if not numbers.in_range(variable.default):
            yield problem(variable.pos, variable.default)
    for scene in story.scenes.values():
        for effect in (*scene.on_enter, *(e for c in scene.choices for e in c.effects)):
            if not numbers.in_range(effect.value):
                yield problem(effect.pos, effect.value)
    for condition in conditions(story):
        for value in known.literals(condition):
            if not numbers.in_range(value):
                yield problem(condition.pos, value)
    for playthrough in story.playthroughs.values():
        expectations = (playthrough.expect, *(step.expect for step in playthrough.steps))
        for expect in expectations:
            if expect is None:
                continue
            for value in expect.variables.values():
                if not numbers.in_range(value):
                    yield problem(expect.pos, value)


Never = Callable[[Condition | None], bool]
"""Whether a choice's condition is always false, so the choice is never shown."""


class Known:
    """What lint works out about a condition, once per condition text: a big story
    repeats the same few thousand texts ~30,000 times."""

    __slots__ = ("_literals", "_names", "_never")

    def __init__(self) -> None:
        self._never: dict[str, bool] = {}
        self._names: dict[str, tuple[tuple[str, str], ...]] = {}
        self._literals: dict[str, tuple[Value, ...]] = {}

    def never(self, condition: Condition | None) -> bool:
        """Always false (a `Never`)."""
        if condition is None:
            return False
        answer = self._never.get(condition.source)
        if answer is None:
            answer = self._never[condition.source] = (
                expr.constant_value(condition.node) is False)
        return answer

    def names(self, condition: Condition) -> tuple[tuple[str, str], ...]:
        """(kind, name) of every name it uses, in source order."""
        names = self._names.get(condition.source)
        if names is None:
            names = self._names[condition.source] = tuple(
                (r.kind, r.name) for r in expr.references(condition.node))
        return names

    def literals(self, condition: Condition) -> tuple[Value, ...]:
        """Every literal value in it, in source order."""
        values = self._literals.get(condition.source)
        if values is None:
            values = self._literals[condition.source] = tuple(
                n.value for n in expr.walk(condition.node) if isinstance(n, expr.Literal))
        return values


def reachable_scenes(story: Story, never: Never | None = None,
                     roots: Iterable[str] = ()) -> set[str]:
    """Scenes some path leads to (from the start, and from any `roots`), ignoring
    conditions except those that are always false."""
    never = never or Known().never
    seen = {story.start, *roots}
    queue = deque(seen)
    while queue:
        scene = story.scenes.get(queue.popleft())
        if scene is None:
            continue
        for choice in scene.choices:
            if choice.goto not in seen and not never(choice.condition):
                seen.add(choice.goto)
                queue.append(choice.goto)
            if choice.then is not None and choice.then not in seen and not never(
                    choice.condition):  # where a call returns to (format v2)
                seen.add(choice.then)
                queue.append(choice.then)
    return seen


def _unlocks(story: Story, reachable: set[str]) -> tuple[set[str], set[str]]:
    anywhere: set[str] = set()
    reachably: set[str] = set()
    for scene in story.scenes.values():
        effects = list(scene.on_enter)
        for choice in scene.choices:
            effects.extend(choice.effects)
        for effect in effects:
            if effect.kind == "unlock":
                anywhere.add(effect.target)
                if scene.id in reachable:
                    reachably.add(effect.target)
    return anywhere, reachably


def conditions(story: Story) -> Iterator[Condition]:
    """Every condition in the story (paragraphs and choices); lint and the tools walk them."""
    for scene in story.scenes.values():
        for paragraph in scene.paragraphs:
            if paragraph.condition is not None:
                yield paragraph.condition
        for choice in scene.choices:
            if choice.condition is not None:
                yield choice.condition


def _unused_variables(story: Story) -> Iterator[Diagnostic]:
    unread = set(story.variables)
    walked: set[str] = set()  # big stories repeat the same condition text many times
    for condition in conditions(story):
        if condition.source not in walked:
            walked.add(condition.source)
            unread.difference_update(r.name for r in expr.references(condition.node)
                                     if r.kind == "variable")
            if not unread:
                return  # the usual case: stop as soon as every variable has been seen read
    for scene in story.scenes.values():
        for paragraph in scene.paragraphs:
            if len(paragraph.text.parts) > 1:
                unread.difference_update(paragraph.text.names)
        for choice in scene.choices:
            if len(choice.text.parts) > 1:
                unread.difference_update(choice.text.names)
    for var in story.variables.values():
        if var.name in unread:
            yield codes.UNREAD_VARIABLE.at(var.pos, f"variable '{var.name}' is never read "
                                           "(not used in any condition or text); remove it "
                                           "or use it")


def _stuck(story: Story, scene: Scene, reachable: set[str],
           known: Known) -> Iterator[Diagnostic]:
    """Can every choice of this scene be hidden at once? Proven -> error; plausible -> warning."""
    choices = [c for c in scene.choices if not c.is_continue]
    if not choices or scene.ending is not None:
        return
    if len(choices) > 1 and len({c.goto for c in choices}) == 1 and len(
            {_outcome(c) for c in choices}) == 1:
        yield codes.SAME_OUTCOME.at(scene.pos, f"every choice of scene '{scene.id}' leads to "
                                    f"'{choices[0].goto}' with the same effects, so the "
                                    "choice changes nothing: use 'next:' for a plain "
                                    "Continue, or make the choices differ")
    texts: dict[tuple[str, ...], Choice] = {}
    for choice in choices:
        first = texts.setdefault(choice.text.parts, choice)
        if first is not choice:
            yield codes.SAME_TEXT.at(choice.pos, f"two choices of scene '{scene.id}' read "
                                     f"'{choice.text}' (the other at line "
                                     f"{first.pos.line}); players cannot tell them apart",
                                     (Related(first.pos, "the other choice"),))
    if all(known.never(c.condition) for c in choices):
        yield codes.ALWAYS_STUCK.at(scene.pos, f"every choice of scene '{scene.id}' has a "
                                    "condition that is always false: the player would be "
                                    "stuck")
        return
    for choice in choices:
        if known.never(choice.condition):
            yield codes.NEVER_SHOWN.at(choice.pos, "this choice's condition is always "
                                       "false, so it is never shown")
    if scene.id not in reachable:
        return
    if all(c.once for c in choices) and _revisitable(story, scene.id):
        yield codes.ONCE_TRAP.at(scene.pos, f"every choice of scene '{scene.id}' is 'once' "
                                 "and the scene can be entered again: after each is taken "
                                 "the player is stuck; add a choice without 'once'")
        return
    if any(c.condition is None for c in choices):
        return
    example = _all_hidden(story, [c for c in choices if c.condition is not None], known,
                          scene.id)
    if example:
        yield codes.ALL_HIDDEN.at(scene.pos, f"every choice of scene '{scene.id}' can be "
                                  f"hidden at once (for example when {example}), leaving the "
                                  "player stuck; add a choice without 'if', or make sure one "
                                  "always holds")


def _outcome(choice: Choice) -> tuple[object, ...]:
    """What taking a choice does to the game, ignoring its wording and position."""
    effects = tuple((e.kind, e.target, e.value) for e in choice.effects)
    condition = choice.condition.source if choice.condition else None
    return (choice.goto, effects, condition, choice.once)


def _revisitable(story: Story, start: str) -> bool:
    seen: set[str] = set()
    queue = deque(_ways_on(start, c) for c in story.scenes[start].choices)
    while queue:
        for current in queue.popleft():
            if current == start:
                return True
            if current in seen or current not in story.scenes:
                continue
            seen.add(current)
            queue.extend(_ways_on(current, c) for c in story.scenes[current].choices)
    return False


def _ways_on(scene: str, choice: Choice) -> tuple[str, ...]:
    """The scenes a choice may lead to next: its goto, and for a call the scene its return
    comes back to (its then, or the calling scene, entered again)."""
    if choice.call:
        return (choice.goto, choice.then or scene)
    return (choice.goto,)


def _candidates(story: Story, kind: str, name: str, literals: list[Value],
                scene: str) -> list[Value]:
    if kind == "fact":
        return [False, True]
    if kind == "scene":  # visit counts; a scene's own choices show once it was entered
        return [1, 2] if name == scene else [0, 1, 2]
    default = story.variables[name].default
    if isinstance(default, bool):
        return [False, True]
    if isinstance(default, (int, float)):
        numbers = {default}
        for lit in literals:
            if isinstance(lit, (int, float)) and not isinstance(lit, bool):
                numbers.update((lit - 1, lit, lit + 1))
        return list(sorted(numbers))
    return list(sorted({default, *(lit for lit in literals if isinstance(lit, str)), ""}))


def _all_hidden(story: Story, choices: Iterable[Choice], known: Known,
                scene: str) -> str | None:
    """A small assignment of the referenced names under which no condition holds, if any."""
    conditions = [c.condition for c in choices if c.condition is not None]
    refs = sorted({name for c in conditions for name in known.names(c)})
    literals = [lit for c in conditions for lit in known.literals(c)]
    domains = [_candidates(story, kind, name, literals, scene) for kind, name in refs]
    total = 1
    for domain in domains:
        total *= len(domain)
    if total > MAX_COMBINATIONS:
        return None
    base = story.defaults()
    for combo in itertools.product(*domains):
        variables = dict(base)
        visits: dict[str, int] = {}
        facts: set[str] = set()
        for (kind, name), value in zip(refs, combo, strict=True):
            if kind == "variable":
                variables[name] = value
            elif kind == "scene":
                visits[name] = int(value)  # a scene's candidates are visit counts
            elif value:
                facts.add(name)
        try:
            if not any(c.evaluate(variables, visits, facts) for c in conditions):
                return ", ".join(_describe(kind, name, value)
                                 for (kind, name), value in zip(refs, combo, strict=True))
        except expr.ExprEvalError:
            continue
    return None


def _describe(kind: str, name: str, value: Value) -> str:
    if kind == "fact":
        return f"{'' if value else 'not '}has({name})"
    if kind == "scene":
        return f"visits({name}) = {value}"
    return f"{name} = {expr.literal_text(value)}"
