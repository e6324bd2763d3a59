"""Whole-story checks that need every file loaded: reachability, stuck scenes, unused names.

Errors are for what can be proven (a scene whose every choice has a condition that is always
false); warnings are for what is very likely a mistake but depends on how the story is
played (a scene nothing leads to, a fact nothing unlocks, choices that can all be hidden
under some values). `offscreen test --exhaustive` settles the guesses for small stories.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from game import numbers
from game.story import codes, expr, textlint
from game.story.calllint import call_problems
from game.story.diagnostics import Diagnostic, Related
from game.story.hidden import all_hidden
from game.story.model import Choice, Condition, Effect, Pos, Scene, Story, Value
from game.story.reach import always_false, reachable_scenes, revisitable, ways_on
from game.story.scene import Part, Template, scene_conditions


def lint(story: Story, partial: bool = False, known: Known | None = None,
         unseen: Container[str] | None = frozenset()) -> list[Diagnostic]:
    """Whole-story warnings. `partial`: the story has errors, so parts of it (a condition
    that did not parse, say) are missing; "never read" and "every choice leads to one scene
    with the same effects" would then mostly be noise. `known`:
    what an earlier lint worked out about condition texts (it depends on the text alone),
    for a process that checks the same story again after each edit. `unseen`: the names a
    file that could not be read mentions (None: any name), since its gotos and unlocks may
    be what reaches those scenes and unlocks those facts."""
    out: list[Diagnostic] = []
    known = known or Known()
    known.begin(story)
    findings = known.findings(story)
    roots = [name for name in story.scenes if unseen is None or name in unseen]
    reachable = known.reachable(story, roots, findings)
    # One loop over the scenes gathers what the checks below report story-wide (inline:
    # it runs over every scene; what most scenes have nothing of is skipped by a test).
    unlocked_anywhere: set[str] = set()
    unlocked_reachably: set[str] = set()
    effect_numbers: list[Diagnostic] = []
    condition_numbers: list[Diagnostic] = []
    in_texts: list[Diagnostic] = []
    in_titles: list[Diagnostic] = []
    calls = False
    for found in findings.values():
        scene = found.scene
        live = scene.id in reachable
        if not live:
            out.append(codes.UNREACHABLE_SCENE.at(scene.pos, f"scene '{scene.id}' can never "
                                                  f"be reached from the start scene "
                                                  f"'{story.start}'"))
        kept = found.stuck.get(live)
        out.extend(kept if kept is not None else known.stuck(story, found, reachable))
        facts = found.unlocks
        if facts:
            unlocked_anywhere.update(facts)
            if live:
                unlocked_reachably.update(facts)
        if found.effect_numbers:
            effect_numbers.extend(found.effect_numbers)
        if found.condition_numbers:
            condition_numbers.extend(found.condition_numbers)
        if found.varied or found.titled:
            in_text, in_title = known.text_warnings(story, found)
            in_texts.extend(in_text)
            in_titles.extend(in_title)
        if found.calls:
            calls = True
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
        out.extend(_never_held(story, findings.values()))
    out.extend(_out_of_range(story, effect_numbers, condition_numbers))
    out.extend(textlint.warnings(story, in_texts, in_titles))
    if calls:
        out.extend(call_problems(story, known.never))
    if partial:  # the choices and effects that named something missing were dropped, so
        # the ones left may look alike when they are not
        out = [d for d in out if d.code != codes.SAME_OUTCOME.code]
    return out


def _out_of_range(story: Story, effect_numbers: list[Diagnostic],
                  condition_numbers: list[Diagnostic]) -> Iterator[Diagnostic]:
    """Numbers an author wrote outside the range the game keeps (game/numbers.py): an error,
    since a save could not hold them (and `int` cannot even print past 4,300 digits).
    `effect_numbers`, `condition_numbers`: those every scene's findings hold, in order."""
    problem = _out_of_range_at
    for variable in story.variables.values():
        if not numbers.in_range(variable.default):
            yield problem(variable.pos, variable.default)
    yield from effect_numbers
    yield from condition_numbers
    for playthrough in story.playthroughs.values():
        expectations = (playthrough.expect, *(step.expect for step in playthrough.steps))
        for expect in expectations:
            if expect is None:
                continue
            for value in expect.variables.values():
                if not numbers.in_range(value):
                    yield problem(expect.pos, value)


_LONG_NUMBER = re.compile(f"[0-9]{{{len(str(numbers.LIMIT))}}}")
"""A condition's number literal is digits with an optional fraction (expr/syntax.py), so one
outside the range has at least as many digits before its point as LIMIT: a text without
such a run holds none (tests/reliability/test_numbers_and_text.py holds it to the walk)."""

class Known:
    """What lint works out about a condition, once per condition text: a big story
    repeats the same few thousand texts ~30,000 times.

    With `scenes=True` (a process that checks the same story after every edit: the
    `FileCache` keeps one) it also keeps what it found in each scene that depends on that
    scene alone: an incremental load hands back the very `Scene` objects of the files it did
    not read again, so an edit to one file lints ~100 scenes afresh, not 10,000. A stuck
    verdict also depends on the story's variables (their defaults are tried) and on whether
    the scene is reachable; one that asked whether the scene can be entered again (the
    whole graph) is never kept.
    """

    __slots__ = ("_literals", "_names", "_never", "_outside", "_reach", "_scenes",
                 "_variables", "_ways_changed", "remember")

    def __init__(self, scenes: bool = False) -> None:
        self._never: dict[str, bool] = {}
        self._names: dict[str, tuple[tuple[str, str], ...]] = {}
        self._literals: dict[str, tuple[Value, ...]] = {}
        self._outside: dict[str, tuple[Value, ...]] = {}
        self.remember = scenes
        self._scenes: dict[str, SceneFindings] = {}
        self._variables: tuple[object, ...] = ()
        self._reach: tuple[tuple[object, ...], set[str]] | None = None
        """The last reachable set, with the start, roots and number of scenes it was for."""
        self._ways_changed = True
        """A scene came or went, or leads elsewhere, since `_reach` was worked out."""

    def never(self, condition: Condition | None) -> bool:
        """Always false (a `Never`)."""
        if condition is None:
            return False
        answer = self._never.get(condition.source)
        if answer is None:
            answer = self._never[condition.source] = always_false(condition)
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

    def outside(self, condition: Condition) -> tuple[Value, ...]:
        """Its literals outside the range numbers stay in (game/numbers.py), usually none.
        Only a text with a run of digits as long as LIMIT's is walked for them
        (`_LONG_NUMBER`): the walk was most of lint's range check."""
        values = self._outside.get(condition.source)
        if values is None:
            values = self._outside[condition.source] = tuple(
                value for value in self.literals(condition) if not numbers.in_range(value)
            ) if _LONG_NUMBER.search(condition.source) else ()
        return values

    def begin(self, story: Story) -> None:
        """A lint of this story starts: stuck verdicts found under other variables go, and
        so do the scenes the story no longer has (once they are many)."""
        if not self.remember:
            return
        variables = tuple(story.variables.values())
        if variables != self._variables:
            self._variables = variables
            for found in self._scenes.values():
                found.stuck.clear()
                found.titles = None
        if len(self._scenes) > 2 * len(story.scenes) + 1000:
            self._scenes = {name: found for name, found in self._scenes.items()
                            if story.scenes.get(name) is found.scene}

    def findings(self, story: Story) -> dict[str, SceneFindings]:
        """`scene` of every scene of the story, by id (the kept ones looked up inline: this
        runs over every scene at every check)."""
        if not self.remember:
            never = self.never
            return {scene.id: SceneFindings(scene, ways_on(scene, never),
                                            *_scene_effects(scene, self))
                    for scene in story.scenes.values()}
        kept = self._scenes
        out: dict[str, SceneFindings] = {}
        for scene in story.scenes.values():
            found = kept.get(scene.id)
            out[scene.id] = (found if found is not None and found.scene is scene
                             else self.scene(scene))
        return out

    def scene(self, scene: Scene) -> SceneFindings:
        """What depends on this scene alone: kept when remembering, else worked out."""
        found = self._scenes.get(scene.id) if self.remember else None
        if found is None or found.scene is not scene:
            old = found
            found = SceneFindings(scene, ways_on(scene, self.never),
                                  *_scene_effects(scene, self))
            if self.remember:
                self._scenes[scene.id] = found
                if old is None or old.ways != found.ways:
                    self._ways_changed = True
        return found

    def reachable(self, story: Story, roots: list[str],
                  findings: Mapping[str, SceneFindings]) -> set[str]:
        """`reachable_scenes` over the findings' ways; the last answer again when no scene
        came, went or leads elsewhere (typing inside a scene changes none of that)."""
        key = (story.start, tuple(roots), len(findings))
        if self.remember and not self._ways_changed and self._reach is not None \
                and self._reach[0] == key:
            return self._reach[1]
        reachable = reachable_scenes(story, self.never, roots,
                                     lambda name: findings[name].ways if name in findings
                                     else ())
        if self.remember:
            self._reach, self._ways_changed = (key, reachable), False
        return reachable

    def text_warnings(self, story: Story, found: SceneFindings,
                      ) -> tuple[list[Diagnostic], list[Diagnostic]]:
        """`textlint`'s warnings about the scene's texts (`found.varied`), kept with the
        scene, and about its titles (when `found.titled`), kept under the same variables."""
        if found.text is None:
            found.text = textlint.template_warnings(found.varied) if found.varied else []
        if found.titles is None or not self.remember:
            found.titles = (textlint.title_warnings(found.scene, story.variables)
                            if found.titled else [])
        return found.text, found.titles

    def stuck(self, story: Story, found: SceneFindings,
              reachable: Container[str]) -> list[Diagnostic]:
        """`_stuck` for this scene, kept (by reachability) unless it asked about the graph."""
        scene = found.scene
        if not self.remember:
            return _stuck(story, scene, reachable, self)[0]
        live = scene.id in reachable
        known = found.stuck.get(live)
        if known is not None:
            return known
        answer, asked = _stuck(story, scene, reachable, self)
        if not asked:
            found.stuck[live] = answer
        return answer


@dataclass(slots=True)
class SceneFindings:
    """What lint found in one scene that depends on that scene alone (`Known.scene`)."""

    scene: Scene
    ways: tuple[str, ...]
    """`ways_on`: where its choices lead."""
    unlocks: tuple[str, ...]
    effect_numbers: list[Diagnostic]
    """Numbers outside the range in its effects..."""
    condition_numbers: list[Diagnostic]
    """...and in its conditions."""
    calls: bool
    """It calls, or returns (format v2): the story's calls are checked (`calllint`)."""
    varied: list[tuple[Template, Pos]]
    """Its texts that hold a variation (format v2), with where each is written."""
    titled: bool
    """Its title or its ending's may show a variable or a variation (holds a brace)."""
    listed: list[Effect] | None
    """Its `set` and `add` of a list variable (format v2), on entering and in its choices
    (None: it has none)."""
    stuck: dict[bool, list[Diagnostic]] = field(default_factory=dict)
    """`_stuck`'s findings, by whether the scene is reachable, under `Known._variables`."""
    text: list[Diagnostic] | None = None
    """`textlint`'s warnings about its texts, once asked."""
    titles: list[Diagnostic] | None = None
    """...and about its titles, under `Known._variables`."""


def _out_of_range_at(pos: Pos, value: Value) -> Diagnostic:
    return codes.OUT_OF_RANGE.at(pos, f"{numbers.approx(value)} is outside the range numbers "
                                      f"stay in ({numbers.WORDS})")


def _scene_effects(scene: Scene, known: Known,
                   ) -> tuple[tuple[str, ...], list[Diagnostic], list[Diagnostic], bool,
                              list[tuple[Template, Pos]], bool, list[Effect] | None]:
    """In one pass over a scene (lint makes it for every scene of the story): the facts it
    unlocks (on entry or in a choice), its numbers outside the range, in its effects
    and in its conditions, whether it calls or returns (`SceneFindings.calls`), its texts
    that hold a variation (`textlint.varied`; a text without a hole costs a length test)
    whether a title holds a brace (`SceneFindings.titled`), and its effects that put names
    in a list (`SceneFindings.listed`)."""
    calls = scene.returns
    unlocks: list[str] = []
    effect_numbers: list[Diagnostic] = []
    condition_numbers: list[Diagnostic] = []
    varied_texts: list[tuple[Template, Pos]] = []
    listed: list[Effect] | None = None  # (a list only for a scene with some)
    in_range = numbers.in_range
    varied = textlint.varied
    for paragraph in scene.paragraphs:
        if paragraph.condition is not None:
            for value in known.outside(paragraph.condition):
                condition_numbers.append(_out_of_range_at(paragraph.condition.pos, value))
        text = paragraph.text
        if len(text.parts) > 1 and varied(text):
            varied_texts.append((text, paragraph.pos))
    for effects in (scene.on_enter, *[choice.effects for choice in scene.choices]):
        for effect in effects:  # on entry, then each choice's, in order
            if effect.kind == "unlock":
                unlocks.append(effect.target)
            if not in_range(effect.value):
                effect_numbers.append(_out_of_range_at(effect.pos, effect.value))
            elif type(effect.value) is tuple and effect.kind != "remove":
                listed = [] if listed is None else listed
                listed.append(effect)
    for choice in scene.choices:
        if choice.call:
            calls = True
        if choice.condition is not None:
            for value in known.outside(choice.condition):
                condition_numbers.append(_out_of_range_at(choice.condition.pos, value))
        text = choice.text
        if len(text.parts) > 1 and varied(text):
            varied_texts.append((text, choice.pos))
        reason = choice.reason
        if reason is not None and len(reason.parts) > 1 and varied(reason):
            varied_texts.append((reason, choice.pos))
    title = scene.title
    titled = "{" in title or "}" in title
    if not titled and scene.ending is not None:
        title = scene.ending.title
        titled = "{" in title or "}" in title
    return (tuple(unlocks), effect_numbers, condition_numbers, calls, varied_texts, titled,
            listed)


def conditions(story: Story) -> Iterator[Condition]:
    """Every condition in the story (paragraphs, choices, and `{?COND|..}` in their text);
    lint and the tools walk them."""
    for scene in story.scenes.values():
        yield from scene_conditions(scene)



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
        for target, expression in _computes(scene):  # another variable's compute reads it
            unread.difference_update(r.name for r in expr.references(expression.node)
                                     if r.kind == "variable" and r.name != target)
        for choice in scene.choices:
            if len(choice.text.parts) > 1:
                unread.difference_update(choice.text.names)
            if choice.reason is not None and len(choice.reason.parts) > 1:
                unread.difference_update(choice.reason.names)
    if unread:
        unread.difference_update(textlint.title_names(story))
    for var in story.variables.values():
        if var.name in unread:
            yield codes.UNREAD_VARIABLE.at(var.pos, f"variable '{var.name}' is never read "
                                           "(not used in any condition or text); remove it "
                                           "or use it")


def _computes(scene: Scene) -> Iterator[tuple[str, Condition]]:
    """The scene's `compute` effects (format v2), on entering and on its choices: (the
    variable, the expression)."""
    for effect in (*scene.on_enter, *(e for c in scene.choices for e in c.effects)):
        if effect.expression is not None:
            yield effect.target, effect.expression


def _never_held(story: Story, findings: Iterable[SceneFindings]) -> Iterator[Diagnostic]:
    """List items no effect ever puts in their list and the default does not hold: each
    is a warning at the declaration, and each `"item" in list` test of one (never true) a
    warning at its condition. Cheap: one pass over the scenes' list effects (`findings`:
    `SceneFindings.listed`), then, only if some item is never held, over the distinct
    conditions; nothing for a story without lists."""
    items = story.list_items()
    if not items:
        return
    held: dict[str, set[str]] = {name: set(story.variables[name].default)  # type: ignore[arg-type]
                                 for name in items}
    for found in findings:
        for effect in found.listed or ():
            if effect.target in held and effect.kind in ("add", "set"):
                held[effect.target].update(effect.value)  # type: ignore[arg-type]
    some_never = False
    for name, declared in items.items():
        never = [item for item in declared if item not in held[name]]
        if never:
            some_never = True
            shown = ", ".join(f"'{item}'" for item in never)
            yield codes.ITEM_NEVER_HELD.at(
                story.variables[name].pos, f"list '{name}' never holds {shown}: no effect adds "
                f"{'it' if len(never) == 1 else 'them'} and the default does not; an 'in' "
                "test of one is never true")
    if not some_never:
        return  # an 'in' test is never true only of an item just named: no walk (usual)
    walked: dict[str, list[str]] = {}  # by condition text: what to say of it
    for condition in conditions(story):
        if " in " not in condition.source:
            continue
        said = walked.get(condition.source)
        if said is None:
            said = walked[condition.source] = [
                f"'{expr.unparse(n)}' is never true: no effect adds '{n.left.value}' to "
                f"'{n.right.name}' and its default does not hold it"
                for n in expr.walk(condition.node)
                if isinstance(n, expr.Binary) and n.op == expr.MEMBERSHIP
                and isinstance(n.left, expr.Literal) and isinstance(n.right, expr.Var)
                and n.right.name in held and n.left.value in items[n.right.name]
                and n.left.value not in held[n.right.name]]
        for message in said:
            yield codes.IN_NEVER_TRUE.at(condition.pos, message)


def _stuck(story: Story, scene: Scene, reachable: Container[str], known: Known,
           ) -> tuple[list[Diagnostic], bool]:
    """Can every choice of this scene be hidden (or locked) at once? Proven -> error;
    plausible -> warning. With it, choices alike (same outcome, same text) and choices
    never shown or locked for good. Also says whether it asked if the scene can be entered
    again (the whole graph: `Known.stuck` keeps no such answer).

    One pass over the choices works out what the checks below ask of all of them (lint
    runs this for every scene, and most scenes have a few plain choices)."""
    out: list[Diagnostic] = []
    if scene.ending is not None:
        return out, False
    never = known.never
    choices: list[Choice] = []
    texts: dict[tuple[Part, ...], Choice] = {}
    twins: list[tuple[Choice, Choice]] = []
    goto = ""
    one_goto = all_hidden_for_good = all_closed = all_once = True
    guarded = open_one = False  # some choice has an `if` or an `enabled`; one has neither
    for choice in scene.choices:
        if choice.is_continue:
            continue
        if not choices:
            goto = choice.goto
        elif choice.goto != goto:
            one_goto = False
        choices.append(choice)
        first = texts.setdefault(choice.text.parts, choice)
        if first is not choice:
            twins.append((choice, first))
        condition, enabled = choice.condition, choice.enabled
        if condition is None and enabled is None:
            open_one = True
            all_hidden_for_good = all_closed = False
        else:
            guarded = True
            hidden = condition is not None and never(condition)
            if not hidden:
                all_hidden_for_good = False
                if enabled is None or not never(enabled):
                    all_closed = False
        if not choice.once:
            all_once = False
    if not choices:
        return out, False
    if len(choices) > 1 and one_goto and len({_outcome(c) for c in choices}) == 1:
        out.append(codes.SAME_OUTCOME.at(scene.pos, f"every choice of scene '{scene.id}' "
                                         f"leads to '{goto}' with the same effects, so the "
                                         "choice changes nothing: use 'next:' for a plain "
                                         "Continue, or make the choices differ"))
    for choice, first in twins:
        out.append(codes.SAME_TEXT.at(choice.pos, f"two choices of scene '{scene.id}' read "
                                      f"'{choice.text}' (the other at line "
                                      f"{first.pos.line}); players cannot tell them apart",
                                      (Related(first.pos, "the other choice"),)))
    if all_hidden_for_good:
        out.append(codes.ALWAYS_STUCK.at(scene.pos, f"every choice of scene '{scene.id}' has "
                                         "a condition that is always false: the player would "
                                         "be stuck"))
        return out, False
    if all_closed:
        out.append(codes.ALWAYS_LOCKED_STUCK.at(
            scene.pos, f"every choice of scene '{scene.id}' is always hidden or always "
            "locked (an 'enabled' that is always false): the player would be stuck"))
        return out, False
    if guarded:
        for choice in choices:
            if choice.condition is not None and never(choice.condition):
                out.append(codes.NEVER_SHOWN.at(choice.pos, "this choice's condition is "
                                                "always false, so it is never shown"))
            elif choice.enabled is not None:
                out.extend(_lock_mistakes(choice, known))
    if scene.id not in reachable:
        return out, False
    asked = all_once
    if all_once and revisitable(story, scene.id):
        out.append(codes.ONCE_TRAP.at(scene.pos, f"every choice of scene '{scene.id}' is "
                                      "'once' and the scene can be entered again: after "
                                      "each is taken the player is stuck; add a choice "
                                      "without 'once'"))
        return out, True
    if open_one:
        return out, asked
    example = all_hidden(story, choices, known, scene.id)
    if example and any(c.enabled is not None for c in choices):
        out.append(codes.ALL_CLOSED.at(scene.pos, f"every choice of scene '{scene.id}' can be "
                                       f"hidden or locked at once (for example when "
                                       f"{example}), leaving the player stuck (a locked "
                                       "choice is no way on); add a choice without 'if' or "
                                       "'enabled', or make sure one always holds"))
    elif example:
        out.append(codes.ALL_HIDDEN.at(scene.pos, f"every choice of scene '{scene.id}' can be "
                                       f"hidden at once (for example when {example}), leaving "
                                       "the player stuck; add a choice without 'if', or make "
                                       "sure one always holds"))
    return out, asked


def _lock_mistakes(choice: Choice, known: Known) -> Iterator[Diagnostic]:
    """A choice shown but locked: an `enabled` always false locks it for good, and one that
    only repeats its `if` never shows it locked (it is hidden instead)."""
    enabled = choice.enabled
    if enabled is None:
        return
    if known.never(enabled):
        yield codes.ALWAYS_LOCKED.at(enabled.pos, "this choice's 'enabled' is always false, "
                                     "so it is always locked: no player can ever take it")
    elif choice.condition is not None and (
            expr.strip_offsets(choice.condition.node) == expr.strip_offsets(enabled.node)):
        yield codes.LOCK_SAME_AS_IF.at(enabled.pos, "this choice's 'enabled' is its 'if': "
                                       "whenever it would be locked it is hidden, so its "
                                       "lock is never seen; drop the 'if' to show it locked")


def _outcome(choice: Choice) -> tuple[object, ...]:
    """What taking a choice does to the game, ignoring its wording and position."""
    effects = tuple((e.kind, e.target, e.value) for e in choice.effects)
    condition = choice.condition.source if choice.condition else None
    enabled = choice.enabled.source if choice.enabled else None
    return (choice.goto, effects, condition, choice.once, enabled)


