"""The careful readers of the story's elements: the story header, facts, scenes with their
text, choices, conditions and effects, and scripted playthroughs.

Each reports every problem it finds and still returns what it could read, so one slip does
not cascade into a page of knock-on messages; the value rules they apply (holes in text,
default choice ids, what an assignment may assign) are in `rules.py`, shared with the quick
readers.
"""

from __future__ import annotations

import typing
from collections.abc import Container, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import yaml

from game.story import codes, expr, rules, schema, variations, yamlsrc
from game.story.careful import describe
from game.story.codes import Code
from game.story.diagnostics import Related, first_defined
from game.story.listreader import ListReaders
from game.story.model import (
    Choice,
    Condition,
    Effect,
    Ending,
    Expectation,
    Fact,
    Paragraph,
    Playthrough,
    Pos,
    Scene,
    Step,
    Template,
    Value,
    Variable,
)
from game.story.names import IDENT, SLUG, SLUG_RULE, closest, default_title, did_you_mean
from game.story.quick import Compiled, plain_text


@dataclass(slots=True)
class Definition:
    """One named thing as gathered from a file: its YAML node (until it is read), where its
    name is, and the file it is in."""

    node: yaml.Node
    pos: Pos
    file: str


class ElementReaders(ListReaders):
    """Mixed into the loader; the state below is the loader's."""

    kinds: dict[str, type]
    """Each variable's type, for checking conditions."""
    list_items: dict[str, tuple[str, ...]]
    """Each list variable's items, for checking `"name" in list`."""
    trial: bool
    """True while a scene is read before every file is (see `Loader.try_scene`)."""
    trial_sources: list[str]
    scene_name: str
    """The scene being read, for messages that suggest an id."""

    def header(self, d: Definition | None, files: tuple[str, ...],
               ) -> tuple[str, str, str | None, str, Pos] | None:
        if d is None:
            if files:
                self.report_missing(Pos(files[0], 1, 1), "no 'story:' section in any file; add "
                                    "one with id, title and start", codes.NO_STORY, "story")
            return None
        self.file = d.file
        f = self.fields(d.node, schema.STORY, "'story'")
        if f is None:
            return None
        story_id = self.word(f["id"], "story id") if "id" in f else None
        if story_id is not None and not SLUG.match(story_id):
            self.report(self.pos(f["id"]), f"story id '{story_id}' must be {SLUG_RULE}",
                        codes.BAD_STORY_ID)
            story_id = None
        title = self.text(f["title"], "story title") if "title" in f else None
        subtitle = self.text(f["subtitle"], "subtitle") if "subtitle" in f else None
        start = self.ident(f["start"], "start") if "start" in f else None
        if start is not None and start not in self.scene_ids:
            self.report_missing(self.pos(f["start"]), f"start scene '{start}' does not "
                                f"exist{did_you_mean(start, sorted(self.scene_ids))}",
                                codes.NO_SCENE, start)
            start = None
        if story_id is None or title is None or start is None:
            return None
        return story_id, title, subtitle, start, d.pos

    def fact(self, name: str, d: Definition) -> Fact | None:
        f = self.fields(d.node, schema.FACT, f"fact '{name}'")
        if f is None:
            return None
        values = {key: self.text(node, f"{key} of fact '{name}'") for key, node in f.items()}
        title, text = values.get("title"), values.get("text")
        if title is None or text is None:
            return None
        return Fact(name, title, text, values.get("source") or "", values.get("hint"),
                    values.get("chapter"), d.pos)

    def bounds(self, what: str, f: Mapping[str, yaml.Node], default: Value,
               ) -> tuple[int | float | None, int | float | None] | None:
        """The `min` and `max` of a variable's mapping form, (None, None) without them;
        None when they are wrong (reported): bounds on a non-number, a bound that is not a
        number (or a decimal bound of a whole number), min above max, a default outside."""
        given = {key: f[key] for key in ("min", "max") if key in f}
        if not given:
            return None, None
        if type(default) not in (int, float):
            first = next(iter(given.values()))
            self.report(self.pos(first), f"{what} is {_kind_name(type(default))}: only a "
                        "number can have min and max", codes.BOUNDS_NOT_NUMBER)
            return None
        values: dict[str, int | float] = {}
        for key, node in given.items():
            value = self.literal(node, f"{key} of {what}")
            if value is None:
                return None
            if type(value) not in (int, float) or (type(default) is int
                                                   and type(value) is float):
                kind = "a whole number" if type(default) is int else "a number"
                self.report(self.pos(node), f"{key} of {what} must be {kind}, like its "
                            f"default, not {_as_written(node, value)}",
                            codes.BOUNDS_NOT_NUMBER)
                return None
            values[key] = value  # type: ignore[assignment]
        lo, hi = values.get("min"), values.get("max")
        if lo is not None and hi is not None and lo > hi:
            self.report(self.pos(given["max"]), f"{what}: max ({hi}) is below min ({lo})",
                        codes.BOUNDS_ORDER)
            return None
        number = typing.cast(int | float, default)
        if (lo is not None and number < lo) or (hi is not None and number > hi):
            self.report(self.pos(f["default"]), f"{what}: the default ({number}) is outside "
                        f"its bounds ({_range_words(lo, hi)})", codes.DEFAULT_OUTSIDE)
            return None
        return lo, hi

    def scene(self, name: str, d: Definition) -> Scene | None:
        self.scene_name = name
        f = self.fields(d.node, schema.SCENE, f"scene '{name}'")
        if f is None:
            return None
        where = f"scene '{name}'"
        title = chapter = None
        if "title" in f:
            title = self.title(f["title"], f"title of {where}")
        if "chapter" in f:
            chapter = (plain_text(f["chapter"])
                       or self.text(f["chapter"], f"chapter of {where}"))
        paragraphs = self.paragraphs(f["text"], where) if "text" in f else ()
        on_enter = self.effects(f["on_enter"], where) if "on_enter" in f else ()
        ways = schema.EXACTLY_ONE["scene"]
        exits = [k for k in ways if k in f]
        choices: tuple[Choice, ...] = ()
        next_id = None
        ending = None
        returns = False
        if not exits and not _written(d.node, ways):
            # (a way on that is written but refused for its shape was reported already)
            self.report(d.pos, f"{where} is a dead end: give it 'choices', 'next', 'ending' "
                        "or 'return'", codes.DEAD_END)
        elif len(exits) > 1 and "return" in exits:
            other = next(k for k in exits if k != "return")
            self.report(self.pos(f["return"]), f"{where} has both 'return' and '{other}': a "
                        "scene that returns has no other way on (its one Continue goes back "
                        "to the caller)", codes.RETURN_WITH_EXIT)
            del f["return"]
        elif len(exits) > 1:
            self.report(self.pos(f[exits[1]]), f"{where} has both '{exits[0]}' and "
                        f"'{exits[1]}'; use one of choices, next, ending or return",
                        codes.TWO_EXITS)
        if "return" in f:
            flag = self.flag(f["return"], "return")
            here = self.pos(f["return"])
            if flag is not True:
                if flag is False:
                    self.report(here, f"return of {where} must be true (a scene that goes "
                                "back to its caller); for no return, give it 'choices', "
                                "'next' or 'ending' instead", codes.RETURN_NOT_TRUE)
            else:
                returns = True
                choices = (Choice("continue", Template(("Continue",)), name, None, (), False,
                                  here, here, is_continue=True, returns=True),)
        if "choices" in f:
            choices = self.choices(f["choices"], name)
        if "next" in f:
            next_id = self.target(f["next"], f"next of {where}")
            if next_id is not None:
                here = self.pos(f["next"])
                choices += (Choice("continue", Template(("Continue",)), next_id, None, (),
                                   False, here, here, is_continue=True),)
        if "ending" in f:
            e = self.fields(f["ending"], schema.ENDING, f"ending of {where}")
            if e is not None and "id" in e and "title" in e:
                ending_id = self.ident(e["id"], "ending id")
                ending_title = self.title(e["title"], "ending title")
                hint = self.text(e["hint"], "ending hint") if "hint" in e else None
                if ending_id is not None and ending_title is not None:
                    ending = Ending(ending_id, ending_title, self.pos(f["ending"]), name, hint)
        if title is None:
            title = default_title(name)
        return Scene(name, title, chapter, paragraphs, on_enter, choices, next_id, ending,
                     d.pos, returns)

    def wrong_shape(self, key: schema.Key, node: yaml.Node, what: str) -> tuple[str, Code]:
        """An ending written as anything but a mapping gets an example to copy, with a valid
        id: the one written, when it is one (`ending: dawn`, `ending: [dawn, Dawn]`), else
        the scene's own (`ending: true` must not suggest `{id: true, ...}`)."""
        if key is schema.SCENE["return"]:
            return (f"return of {what} must be true (a scene that goes back to its caller), "
                    f"not {describe(node)}", codes.RETURN_NOT_TRUE)
        if key.name == "enabled" and key.kind == "condition":
            return (f"enabled of {what} must be a condition (like 'courage >= 2') or "
                    f"true/false, not {describe(node)}",
                    codes.NO_VALUE if node.tag == yamlsrc.NULL else codes.ENABLED_WRONG_KIND)
        if key.kind != "ending":
            return super().wrong_shape(key, node, what)
        words = [item.value for item in
                 (node.value if isinstance(node, yaml.SequenceNode) else [node])
                 if isinstance(item, yaml.ScalarNode) and item.tag == yamlsrc.STR]
        ending_id = words[0] if words and IDENT.match(words[0]) else self.scene_name
        title = words[1] if len(words) == 2 and words[0] == ending_id else "..."
        return (f"ending of {what} needs an id and a title, like: ending: "
                f"{{id: {ending_id}, title: {title}}}",
                codes.WRONG_KIND if isinstance(node, yaml.SequenceNode) else codes.ENDING_SCALAR)

    def target(self, node: yaml.Node, what: str) -> str | None:
        """A scene id that exists. After reporting a typo, the closest match stands in for it:
        the story will not play either way, and lint then sees the path the author meant."""
        name = self.ident(node, what)
        if name is not None and name not in self.scene_ids:
            if self.defer_target(name, node, what):
                return name
            close = closest(name, sorted(self.scene_ids))
            hint = f"; did you mean '{close}'?" if close else ""
            self.report_missing(self.pos(node), f"{what}: no scene '{name}'{hint}",
                                missing_scene_code(what), name)
            return close
        return name

    def paragraphs(self, node: yaml.Node, where: str) -> tuple[Paragraph, ...]:
        quick = self.quick_paragraphs(node)
        if quick is not None:
            return quick
        if not isinstance(node, yaml.SequenceNode):
            template = self.template(node, f"text of {where}")
            return () if template is None else (Paragraph(template, None, self.pos(node)),)
        out = []
        for item in self.items(node, f"text of {where}"):
            if isinstance(item, yaml.MappingNode) and not any(
                    isinstance(k, yaml.ScalarNode) and k.value in schema.PARAGRAPH
                    for k, _ in item.value):
                self.report(self.pos(item), f"a paragraph of {where} was read as a mapping "
                            "because of a ': ' in it; put the paragraph in quotes",
                            codes.PARAGRAPH_MAPPING)
                continue
            if isinstance(item, yaml.MappingNode):
                f = self.fields(item, schema.PARAGRAPH, f"a paragraph of {where}")
                if f is None or "text" not in f or "if" not in f:
                    continue
                template = self.template(f["text"], f"text of {where}")
                condition = self.condition(f["if"])
                if template is not None and condition is not None:
                    out.append(Paragraph(template, condition, self.pos(item)))
            else:
                template = self.template(item, f"a paragraph of {where}")
                if template is not None:
                    out.append(Paragraph(template, None, self.pos(item)))
        return tuple(out)

    def template(self, node: yaml.Node, what: str, text: str | None = None,
                 ) -> Template | None:
        """A text with holes and variations (`variations.py`), every problem reported at
        its character; `text` when it was read already."""
        text = self.text(node, what) if text is None else text
        if text is None:
            return None
        problems: variations.Found = []
        parts = variations.parse(text, self.variables, problems, self.text_condition(node))
        for offset, problem, token in problems:
            where = self.inner_pos(node, offset)
            if problem == "stray":
                self.report(where, f"stray '{token}' in {what}; write {{{{ or }}}} for a "
                            "literal brace", codes.STRAY_BRACE)
            elif problem == "not a name" and _rolls(token):
                self.report(where, f"{{{token}}} in {what}: random() cannot be in a text, "
                            "as showing a scene never changes anything; roll it into a "
                            f"variable (compute: {{roll: \"{token}\"}}) and write {{roll}}",
                            codes.RANDOM_OUTSIDE)
            elif problem == "not a name":
                self.report(where, f"{{{token}}} in {what}: only a variable name can go "
                            "between { and } (write {{ or }} for a literal brace)",
                            codes.HOLE_NOT_NAME)
            elif problem == "undeclared":
                self.report_missing(where, f"{{{token}}} in {what} is not a declared "
                                    f"variable{did_you_mean(token, sorted(self.variables))}",
                                    codes.HOLE_UNDECLARED, token)
            elif problem == "condition":
                self.condition_text(token, node, offset)
            else:
                self.report(where, _variation_message(problem, token, what),
                            _VARIATION_CODES[problem])
        return None if parts is None else Template(parts)

    def title(self, node: yaml.Node, what: str) -> str | None:
        """A scene's or an ending's title: text that may show variables and variations
        (format v2), kept as written; the engine renders it."""
        text = plain_text(node) or self.text(node, what)
        if text is not None and ("{" in text or "}" in text):
            self.template(node, what, text)  # (reports; the story plays only without errors)
        return text

    def condition(self, node: yaml.Node) -> Condition | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == yamlsrc.BOOL:
            source = "true" if yamlsrc.scalar(node, self.file, self.report) else "false"
        else:
            text = self.text(node, "a condition")
            if text is None:
                return None
            source = text
        return self.condition_text(source, node, 0)

    def condition_text(self, source: str, node: yaml.Node, offset: int) -> Condition | None:
        """The condition `source`, written at character `offset` of `node`'s text (0: it
        is the whole of it; else a `{?COND|..}` in a text), each problem reported."""
        known = self.conditions.get(source)
        if known is None:
            known = self.compile_condition(source)
        if isinstance(known, expr.ExprError):
            self.report(self.inner_pos(node, offset + known.offset),
                        f"bad condition: {known.message}", codes.CONDITION_SYNTAX)
            return None
        tree, problems, evaluate = known
        if evaluate is not None and self.scene_name in source:
            proven = expr.never_true(tree, self.scene_name)
            if proven is not None:  # its own scene: seen by the time it is asked
                self.report(self.inner_pos(node, offset + proven.offset), proven.message,
                            codes.NEVER_TRUE)
                return None
        for problem in problems:
            where = self.inner_pos(node, offset + problem.offset)
            if isinstance(problem, expr.UnknownName) and problem.name:
                self.report_missing(where, problem.message, codes.CONDITION_NAME, problem.name)
            else:
                self.report(where, problem.message, _condition_code(problem))
        if evaluate is None:
            return None
        return Condition(source, tree,
                         self.pos(node) if offset == 0 else self.inner_pos(node, offset),
                         evaluate)

    def enabled(self, node: yaml.Node) -> Condition | None:
        """A choice's `enabled:`, a condition like `if:`. One word that names nothing
        (`enabled: maybe`, `enabled: "yes"`) is an author reaching for true/false, and is
        told so rather than only that no variable has that name."""
        if isinstance(node, yaml.ScalarNode) and node.tag == yamlsrc.STR:
            word = str(node.value).strip()
            if IDENT.match(word) and word not in self.kinds and word not in expr.KEYWORDS:
                self.report_missing(self.pos(node), f"enabled: '{word}' is neither true/false "
                                    "nor a declared variable; enabled takes a condition (like "
                                    f"'courage >= 2') or true/false"
                                    f"{did_you_mean(word, sorted(self.variables))}",
                                    codes.ENABLED_WORD, word)
                return None
        return self.condition(node)

    def compile_condition(self, source: str) -> Compiled:
        """Parsed, checked and (when sound) compiled, once per distinct text in a story."""
        try:
            tree = expr.parse(source)
        except expr.ExprError as exc:
            known: Compiled = exc
        else:
            problems = expr.check(tree, variables=self.kinds, scenes=self.scene_ids,
                                  facts=self.fact_ids, items=self.list_items)
            if not problems:  # (the guards spare most conditions both walks)
                proven = ((expr.division_by_zero(tree) if "/" in source else None)
                          or (expr.never_true(tree) if expr.may_contradict(source) else None))
                if proven is not None:
                    problems = [proven]
            known = (tree, problems, None if problems else expr.compile_expr(tree))
        self.conditions[source] = known
        if self.trial:
            self.trial_sources.append(source)
        return known

    def effects(self, node: yaml.Node, where: str) -> tuple[Effect, ...]:
        quick = self.quick_effects(node)
        if quick is not None:
            return quick
        out: list[Effect] = []
        for item in self.items(node, f"effects of {where}"):
            f = self.fields(item, schema.EFFECT, f"an effect of {where}")
            if f is None:
                continue
            if not f:
                self.report(self.pos(item), "an effect needs one of set, add, remove, unlock "
                            "or compute", codes.EMPTY_EFFECT)
            for kind, value in f.items():
                if kind == "unlock":
                    for fact, fnode in self.ids(value, "unlock"):
                        if fact not in self.fact_ids:
                            self.report_missing(
                                self.pos(fnode), f"unlock: no fact '{fact}'"
                                f"{did_you_mean(fact, sorted(self.fact_ids))}", codes.NO_FACT,
                                fact)
                        else:
                            out.append(Effect("unlock", fact, True, self.pos(fnode)))
                    continue
                if not isinstance(value, yaml.MappingNode):
                    self.report(self.pos(value), f"{kind} takes a mapping like "
                                f"{{{kind}: {{name: value}}}}, not {describe(value)}",
                                codes.WRONG_KIND)
                    continue
                for var, key_node, vnode in self.entries(value, kind):
                    declared = self.variables.get(var)
                    if kind == "remove" and declared is not None and declared.items is None:
                        self.not_a_list(declared, key_node)
                        continue
                    effect = (self.compute(var, key_node, vnode) if kind == "compute"
                              else self.assignment(kind, var, key_node, vnode))
                    if effect is not None:
                        out.append(effect)
        return tuple(out)

    def compute(self, var: str, key_node: yaml.Node, vnode: yaml.Node) -> Effect | None:
        """`compute: {var: "expression"}`: the expression parsed and checked as a condition
        is (names, kinds, division by a constant zero), with `random()` allowed, and its
        result of the variable's kind (a whole-number variable takes no decimal result)."""
        declared = self.variables.get(var)
        if declared is None:
            self.report_missing(self.pos(key_node), f"compute: '{var}' is not a declared "
                                f"variable{did_you_mean(var, sorted(self.variables))}",
                                codes.NO_VARIABLE, var)
            return None
        if isinstance(vnode, yaml.ScalarNode) and vnode.tag in (yamlsrc.INT, yamlsrc.FLOAT,
                                                                yamlsrc.BOOL):
            source = str(vnode.value)  # `compute: {n: 3}`: the expression 3
        else:
            text = self.text(vnode, f"compute {var}")
            if text is None:
                return None
            source = text
        try:
            tree = expr.parse(source)
        except expr.ExprError as exc:
            message = exc.message.replace("the condition", "the expression")
            self.report(self.inner_pos(vnode, exc.offset), f"bad expression in compute "
                        f"{var}: {message}", codes.COMPUTE_SYNTAX)
            return None
        problems = expr.check(tree, variables=self.kinds, scenes=self.scene_ids,
                              facts=self.fact_ids, want_bool=False, allow_random=True)
        if not problems and "/" in source:
            divides = expr.division_by_zero(tree)
            problems = [divides] if divides is not None else []
        for problem in problems:
            where = self.inner_pos(vnode, problem.offset)
            if isinstance(problem, expr.UnknownName) and problem.name:
                self.report_missing(where, problem.message, codes.CONDITION_NAME, problem.name)
            else:
                self.report(where, problem.message.replace("the condition", "it"),
                            _condition_code(problem))
        if problems:
            return None
        want = type(declared.default)
        got = expr.result_kind(tree, self.kinds)
        if not _fits(want, got):
            hint = (f"; round it to a whole number: round({source})"
                    if want is int and got == "decimal"
                    else "; a list changes by add, remove and set" if want is tuple else "")
            self.report(self.inner_pos(vnode, 0), f"compute {var}: the result is "
                        f"{_RESULT_WORDS[got]} but '{var}' is {_kind_name(want)} (declared "
                        f"at {declared.pos}){hint}", codes.COMPUTE_RESULT,
                        (Related(declared.pos, "declared here"),))
            return None
        here = self.pos(vnode)
        if not expr.refers(tree):
            self.report(here, f"compute {var}: '{source}' is always the same value; "
                        f"set: {{{var}: ...}} says that more plainly", codes.COMPUTE_CONSTANT)
        for n in expr.walk(tree):
            if (isinstance(n, expr.Apply) and n.func == expr.RANDOM
                    and expr.unparse(n.args[0]) == expr.unparse(n.args[1])):
                self.report(self.inner_pos(vnode, n.offset), f"compute {var}: "
                            f"'{expr.unparse(n)}' always gives the same number",
                            codes.RANDOM_ONE_OUTCOME)
        condition = Condition(source, tree, here, expr.compile_expr(tree))
        return Effect("compute", var, source, here, condition)

    def variable(self, name: str, d: Definition) -> Variable | None:
        """A variable's declaration: its default, or a mapping (`schema.VARIABLE`): a list
        (`items`, read by `list_variable`) or a default written as `default:`."""
        node = d.node
        if not isinstance(node, yaml.MappingNode):
            default = self.literal(node, f"variable '{name}'")
            return None if default is None else Variable(name, default, d.pos)
        f = self.fields(node, schema.VARIABLE, f"variable '{name}'")
        if f is None:
            return None
        if "items" in f:
            for key in ("min", "max"):
                if key in f:
                    self.report(self.pos(f[key]), f"variable '{name}' is a list: only a "
                                "number can have min and max", codes.BOUNDS_NOT_NUMBER)
                    return None
            return self.list_variable(name, f, d.pos)
        if "default" in f and isinstance(f["default"], yaml.SequenceNode):
            self.report(self.pos(node), f"variable '{name}' has a list as its default but no "
                        "items; a list declares every name it may hold, like "
                        "{items: [badge, script], default: [badge]}", codes.LIST_ITEMS)
            return None
        if "default" in f:
            default = self.literal(f["default"], f"the default of '{name}'")
            if default is None:
                return None
            limits = self.bounds(f"variable '{name}'", f, default)
            if limits is None:  # reported; the variable stays declared (unbounded), so
                return Variable(name, default, d.pos)  # its uses are no "undeclared" cascade
            return Variable(name, default, d.pos, lo=limits[0], hi=limits[1])
        self.report(self.pos(node), f"variable '{name}' needs a default (or, for a list, "
                    "items)", codes.MISSING_KEY)
        return None

    def assignment(self, kind: str, var: str, key_node: yaml.Node, vnode: yaml.Node,
                   label: str | None = None) -> Effect | None:
        """A `set`/`add` (or an expected value) of the variable's declared type (the rule:
        `rules.assignment`)."""
        label = label or kind
        declared = self.variables.get(var)
        if declared is None:
            self.report_missing(self.pos(key_node), f"{label}: '{var}' is not a declared "
                                f"variable{did_you_mean(var, sorted(self.variables))}",
                                codes.NO_VARIABLE, var)
            return None
        if declared.items is not None:
            return self.list_effect(kind, declared, vnode, label)
        value = self.literal(vnode, f"{label} {var}")
        if value is None:
            return None
        want = type(declared.default)
        stored, problem = rules.assignment(kind, want, value)
        if problem is not None:
            written, got = _as_written(vnode, value), type(value)
            declared_at = (Related(declared.pos, "declared here"),)
            if problem == "not numbers":
                self.report(self.pos(vnode), f"add works on numbers; '{var}' is "
                            f"{_kind_name(want)} and {written} is {_kind_name(got)}",
                            codes.ADD_NOT_NUMBER)
            elif problem == "decimal into whole":
                self.report(self.pos(vnode), f"add {var}: {written} is a decimal number but "
                            f"'{var}' is a whole number (declared at {declared.pos})",
                            codes.DECIMAL_INTO_WHOLE, declared_at)
            elif kind == "set" and isinstance(value, str) and (
                    formula := _formula_hint(var, value, want, self.variables)):
                self.report(self.pos(vnode), f"set {var}: {written} is a formula, but set "
                            f"takes a literal value{formula}", codes.WRONG_TYPE, declared_at)
            else:
                self.report(self.pos(vnode), f"{label} {var}: {written} is {_kind_name(got)} "
                            f"but '{var}' is {_kind_name(want)} (declared at {declared.pos})",
                            codes.WRONG_TYPE, declared_at)
            return None
        if kind != "add" and not rules.within_bounds(stored, declared.lo, declared.hi):
            self.report(self.pos(vnode), f"{label} {var}: {_as_written(vnode, value)} is "
                        f"outside the bounds of '{var}' ({_range_words(declared.lo, declared.hi)};"
                        f" declared at {declared.pos})", codes.SET_OUTSIDE,
                        (Related(declared.pos, "declared here"),))
            return None
        return Effect("add" if kind == "add" else "set", var, stored, self.pos(vnode))

    def choices(self, node: yaml.Node, scene: str) -> tuple[Choice, ...]:
        where = f"scene '{scene}'"
        items = self.items(node, f"choices of {where}")
        if isinstance(node, yaml.SequenceNode) and not items:
            self.report(self.pos(node), f"{where} has an empty choices list (a dead end)",
                        codes.EMPTY_CHOICES)
        out: list[Choice] = []
        ids: dict[str, Pos] = {}
        for item in items:
            choice = self.quick_choice(item, ids)
            if choice is not None:
                ids[choice.id] = choice.pos
                out.append(choice)
                continue
            f = self.fields(item, schema.CHOICE, f"a choice of {where}")
            if f is None:
                continue
            text = self.template(f["text"], f"a choice of {where}") if "text" in f else None
            goto, call, then = self.way(item, f, where)
            condition = self.condition(f["if"]) if "if" in f else None
            effects = self.effects(f["effects"], where) if "effects" in f else ()
            once = self.flag(f["once"], "once") if "once" in f else False
            enabled = self.enabled(f["enabled"]) if "enabled" in f else None
            reason = (self.template(f["reason"], f"the reason of a choice of {where}")
                      if "reason" in f else None)
            for key, (needs, why) in schema.COMPANIONS["choice"].items():
                if key in f and not _written(item, (needs,)):
                    self.report(self.pos(f[key]), f"'{key}' without '{needs}' is never shown: "
                                f"{why}; add {needs}: CONDITION, or remove the {key}",
                                codes.REASON_ALONE)
            if "id" in f:
                choice_id = self.ident(f["id"], "choice id")
                if choice_id is not None and choice_id in ids:
                    self.report(self.pos(f["id"]), f"choice id '{choice_id}' is used twice "
                                f"in {where} (first at line {ids[choice_id].line})",
                                codes.CHOICE_ID_TWICE, first_defined(ids[choice_id]))
                    choice_id = None
            elif text is not None:
                choice_id = rules.default_choice_id(str(text), ids)
            else:
                choice_id = None
            if goto is None:
                continue
            if (text is None or choice_id is None or once is None
                    or ("if" in f and condition is None)
                    or ("enabled" in f and enabled is None)):
                # Already reported. Keep the way on, so lint does not add "unreachable"
                # warnings for the scenes behind it; a story with errors never plays.
                text, choice_id, once, condition, enabled = (text or Template(("?",)),
                                                             f"?{len(out)}", False, None, None)
            here = ids[choice_id] = self.pos(item)
            out.append(Choice(choice_id, text, goto, condition, effects, once, here,
                              self.pos(f["call" if call else "goto"]), enabled=enabled,
                              reason=reason, call=call, then=then))
        return tuple(out)

    def way(self, item: yaml.Node, f: dict[str, yaml.Node],
            where: str) -> tuple[str | None, bool, str | None]:
        """A choice's way on: (the scene it leads to or calls, whether it calls, `then`).
        Exactly one of goto and call (`schema.EXACTLY_ONE`); `then` only beside a call
        (`schema.REQUIRES`)."""
        goto = self.target(f["goto"], "goto") if "goto" in f else None
        call = self.target(f["call"], "call") if "call" in f else None
        then = self.target(f["then"], "then") if "then" in f else None
        if "goto" in f and "call" in f:
            self.report(self.pos(f["call"]), f"a choice of {where} has both 'goto' and "
                        "'call'; use one: goto leads on, call visits a scene that returns "
                        "here", codes.CALL_AND_GOTO)
            call = None
        elif "goto" not in f and "call" not in f and not _written(item, ("goto", "call")):
            # (one written but refused for its shape was reported already)
            self.report(self.pos(item), f"a choice of {where} is missing 'goto' (or 'call')",
                        codes.MISSING_KEY)
        if "then" in f and "call" not in f:
            self.report(self.pos(f["then"]), f"'then' of a choice of {where} needs 'call': "
                        "it says where a call's return leads (with goto, write the scene in "
                        "goto)", codes.THEN_WITHOUT_CALL)
            then = None
        if call is not None:
            return call, True, then
        return goto, False, None

    # -- playthroughs ------------------------------------------------------------------------

    def playthrough(self, name: str, d: Definition,
                    endings: Mapping[str, Ending]) -> Playthrough | None:
        f = self.fields(d.node, schema.PLAYTHROUGH, f"playthrough '{name}'")
        if f is None or "steps" not in f:
            return None
        steps = []
        for item in self.items(f["steps"], f"steps of playthrough '{name}'"):
            if isinstance(item, yaml.MappingNode):
                s = self.fields(item, schema.STEP, "a step")
                if s is None or "choose" not in s:
                    continue
                choose = self.text(s["choose"], "choose")
                expect = self.expectation(s["expect"], endings) if "expect" in s else None
            else:
                choose, expect = self.text(item, "a step"), None
            if choose is not None:
                steps.append(Step(choose, expect, self.pos(item)))
        final = self.expectation(f["expect"], endings) if "expect" in f else None
        return Playthrough(name, tuple(steps), final, d.pos)

    def expectation(self, node: yaml.Node, endings: Mapping[str, Ending]) -> Expectation | None:
        f = self.fields(node, schema.EXPECT, "expect")
        if f is None:
            return None
        scene = self.target(f["scene"], "expect scene") if "scene" in f else None
        ending = self.ident(f["ending"], "expect ending") if "ending" in f else None
        if ending is not None and ending not in endings:
            self.report_missing(self.pos(f["ending"]), f"expect: no ending '{ending}'"
                                f"{did_you_mean(ending, sorted(endings))}", codes.NO_ENDING,
                                ending)
        facts = []
        for fact, fnode in (self.ids(f["facts"], "expect facts") if "facts" in f else []):
            if fact not in self.fact_ids:
                self.report_missing(self.pos(fnode), f"expect: no fact '{fact}'"
                                    f"{did_you_mean(fact, sorted(self.fact_ids))}",
                                    codes.NO_FACT, fact)
            facts.append(fact)
        values: dict[str, Value] = {}
        if "variables" in f:
            vnode = f["variables"]
            if isinstance(vnode, yaml.MappingNode):
                for var, key_node, value_node in self.entries(vnode, "expect variables"):
                    effect = self.assignment("set", var, key_node, value_node, "expect")
                    if effect is not None:
                        values[var] = effect.value
            else:
                self.report(self.pos(vnode), "expect variables must be a mapping",
                            codes.WRONG_KIND)
        return Expectation(scene, ending, tuple(facts), MappingProxyType(values), self.pos(node))


def missing_scene_code(what: str) -> Code:
    """The code of "no such scene" after the key that names it: `call` and `then` have
    codes of their own (format v2's calls), every other key shares OS306."""
    return {"call": codes.CALL_NO_SCENE, "then": codes.THEN_NO_SCENE}.get(what, codes.NO_SCENE)


_VARIATION_CODES: dict[variations.Problem, Code] = {
    "unclosed": codes.UNCLOSED_VARIATION, "sigil": codes.UNKNOWN_SIGIL,
    "empty condition": codes.EMPTY_TEXT_CONDITION, "random": codes.RANDOM_IN_TEXT,
    "no text": codes.CONDITION_WITHOUT_TEXT, "too many": codes.TOO_MANY_TEXTS,
    "too deep": codes.VARIATIONS_TOO_DEEP, "empty": codes.EMPTY_VARIATION}


def _variation_message(problem: variations.Problem, token: str, what: str) -> str:
    """What is wrong with a variation (format v2) in `what`, in an author's words."""
    if problem == "unclosed":
        return (f"'{token}...' in {what} opens a variation that never closes: end it with }} "
                "(inside a variation every { opens and every } closes)")
    if problem == "sigil":
        meant = variations.MISSPELT.get(token)
        hint = f"did you mean '{{{meant}'? " if meant else ""
        return (f"'{{{token}' in {what}: '{token}' is not a variation mark; {hint}use "
                f"{variations.SIGIL_WORDS}")
    if problem == "empty condition":
        return (f"{{?...}} in {what} has no condition: write {{?CONDITION|text if true|text "
                "if false}, like {?courage >= 2|You stand tall.|You hesitate.}")
    if problem == "random":
        return (f"random() in a condition in {what}: showing text never changes anything, so "
                "text cannot roll dice; roll in an effect (compute: {luck: \"random(1, 6)\"}) "
                "and show or test the variable")
    if problem == "no text":
        return (f"'{token}' in {what} has a condition but no text: write "
                "{?CONDITION|text if true} or {?CONDITION|text if true|text if false}")
    if problem == "too many":
        return (f"'{token}' in {what} has more than two texts after its condition: "
                "{?CONDITION|text if true|text if false} (nest another {?..} for more cases)")
    if problem == "too deep":
        return (f"variations in {what} nest deeper than {variations.MAX_NESTING} levels")
    return (f"'{token}' in {what} is an empty variation: give it items separated by |, "
            "like {&first|second}")


def _condition_code(problem: expr.ExprError) -> Code:
    """The code of a problem `compile_condition` found in a condition that parses."""
    if isinstance(problem, expr.UnknownName):
        return codes.CONDITION_NAME
    if isinstance(problem, expr.NeverTrue):
        return codes.NEVER_TRUE
    if isinstance(problem, expr.DividesByZero):
        return codes.DIVISION_BY_ZERO
    if isinstance(problem, expr.RandomOutside):
        return codes.RANDOM_OUTSIDE
    if isinstance(problem, expr.EmptyRange):
        return codes.EMPTY_RANGE
    if isinstance(problem, expr.NotAnItem):
        return codes.NOT_AN_ITEM
    return codes.CONDITION_TYPE


def _written(node: yaml.Node, keys: tuple[str, ...]) -> bool:
    """Whether a mapping has any of these keys, whatever their values."""
    return isinstance(node, yaml.MappingNode) and any(
        isinstance(k, yaml.ScalarNode) and k.value in keys for k, _ in node.value)


def _formula_hint(var: str, text: str, want: type, variables: Container[str]) -> str:
    """For `set: {trust: trust + 1}`: what to write instead, or "" if the text is no
    formula (an expression of the condition language that reads something, and not just
    one word that is no variable: `set: {n: many}` is text in the wrong place)."""
    try:
        tree = expr.parse(text)
    except expr.ExprError:
        return ""
    if not expr.refers(tree) or (isinstance(tree, expr.Var) and tree.name not in variables):
        return ""
    computed = f'compute: {{{var}: "{text}"}} (scene format v2)'
    match tree:
        case expr.Binary(op="+" | "-" as op, left=expr.Var(name=name),
                         right=expr.Literal(value=int() | float() as amount)) if (
                name == var and not isinstance(amount, bool)):
            step = expr.literal_text(amount if op == "+" else -amount)
            return f": to change it by {step} write add: {{{var}: {step}}}; for any other " \
                   f"value worked out in play, {computed}"
    if want is bool:
        return f"; for a value worked out in play, {computed}"
    return f": to add to it use add: {{{var}: N}}; for a value worked out in play, {computed}"


_RESULT_WORDS = {"whole": "a whole number", "decimal": "a decimal number",
                 "bool": "true/false", "str": "text", "list": "a list"}


def _rolls(text: str) -> bool:
    """Whether a text's `{...}` holds an expression that calls random()."""
    if "random" not in text:
        return False
    try:
        tree = expr.parse(text)
    except expr.ExprError:
        return False
    return any(isinstance(n, expr.Apply) and n.func == expr.RANDOM for n in expr.walk(tree))


def _fits(want: type, got: str) -> bool:
    """Whether a compute result of kind `got` (`expr.result_kind`) may be stored in a
    variable whose default has type `want`: a whole number fits a decimal variable too."""
    if want is tuple:  # a list changes by add and remove
        return False
    if want is bool:
        return got == "bool"
    if want is str:
        return got == "str"
    if want is int:
        return got == "whole"
    return got in ("whole", "decimal")


def _range_words(lo: int | float | None, hi: int | float | None) -> str:
    if lo is not None and hi is not None:
        return f"min {lo}, max {hi}"
    return f"min {lo}" if lo is not None else f"max {hi}"


def _kind_name(kind: type) -> str:
    return {bool: "true/false", int: "a whole number", float: "a decimal number",
            str: "text", tuple: "a list"}.get(kind, kind.__name__)


def _as_written(node: yaml.Node, value: Value) -> str:
    """The value as the author typed it, with YAML's reading when that is the surprise."""
    raw = str(getattr(node, "value", value))
    if isinstance(value, bool) and raw.lower() not in ("true", "false"):
        return f"'{raw}' (which YAML reads as {str(value).lower()}; quote it for text)"
    return repr(value) if isinstance(value, str) else raw

