"""Reading conditions: `if:`, `enabled:` and the `{?COND|..}` of a text, each parsed,
checked against the story's names and kinds and compiled once per distinct text.

A condition's problems are reported at their character in the YAML (`inner_pos`), and the
codes they get are shared with `compute:` expressions (`condition_code`), which are checked
by the same rules. Split out of `elements.py` so each careful reader stays small; the
language itself is `game.story.expr`.
"""

from __future__ import annotations

import yaml

from game.story import codes, expr, yamlsrc
from game.story.codes import Code
from game.story.listreader import ListReaders
from game.story.model import Condition
from game.story.names import IDENT, did_you_mean
from game.story.quick import Compiled


class ConditionReaders(ListReaders):
    """Mixed into the loader (through `ElementReaders`); the state below is the loader's."""

    kinds: dict[str, type]
    """Each variable's type, for checking conditions."""
    list_items: dict[str, tuple[str, ...]]
    """Each list variable's items, for checking `"name" in list`."""
    trial: bool
    """True while a scene is read before every file is (see `Loader.try_scene`)."""
    trial_sources: list[str]
    scene_name: str
    """The scene being read, for messages that suggest an id."""

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
                self.report(where, problem.message, condition_code(problem))
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


_PROBLEM_CODES: tuple[tuple[type[expr.ExprError], Code], ...] = (
    (expr.UnknownName, codes.CONDITION_NAME), (expr.NeverTrue, codes.NEVER_TRUE),
    (expr.DividesByZero, codes.DIVISION_BY_ZERO), (expr.RandomOutside, codes.RANDOM_OUTSIDE),
    (expr.EmptyRange, codes.EMPTY_RANGE), (expr.NotAnItem, codes.NOT_AN_ITEM))
"""Each kind of problem a condition that parses can have, with its code (the first kind
that fits wins); any other is a type problem."""


def condition_code(problem: expr.ExprError) -> Code:
    """The code of a problem `compile_condition` found in a condition that parses."""
    return next((code for kind, code in _PROBLEM_CODES if isinstance(problem, kind)),
                codes.CONDITION_TYPE)
