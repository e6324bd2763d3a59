"""Reading variable declarations and effects: a variable's default, bounds (or list items,
through `ListReaders`), and `set`, `add`, `remove`, `unlock` and `compute` checked against
those declarations, every wrong kind, bound or name reported with what to write instead.

Split out of `elements.py` so each careful reader stays small; the value rules (what an
assignment may assign, bounds) are in `rules.py`, shared with the quick readers.
"""

from __future__ import annotations

import typing
from collections.abc import Container, Mapping

import yaml

from game.story import codes, expr, rules, schema, yamlsrc
from game.story.careful import Definition, describe
from game.story.conditionreader import condition_code
from game.story.diagnostics import Related
from game.story.model import Condition, Effect, Value, Variable
from game.story.names import did_you_mean
from game.story.textreader import TextReaders


class EffectReaders(TextReaders):
    """Mixed into the loader (through `ElementReaders`)."""

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

    def declared(self, var: str, key_node: yaml.Node, label: str) -> Variable | None:
        """The declaration of the variable an effect (`label`: its key) names, or None
        after reporting, with the closest declared name, that there is none."""
        found = self.variables.get(var)
        if found is None:
            self.report_missing(self.pos(key_node), f"{label}: '{var}' is not a declared "
                                f"variable{did_you_mean(var, sorted(self.variables))}",
                                codes.NO_VARIABLE, var)
        return found

    def compute(self, var: str, key_node: yaml.Node, vnode: yaml.Node) -> Effect | None:
        """`compute: {var: "expression"}`: the expression parsed and checked as a condition
        is (names, kinds, division by a constant zero), with `random()` allowed, and its
        result of the variable's kind (a whole-number variable takes no decimal result)."""
        declared = self.declared(var, key_node, "compute")
        if declared is None:
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
                            condition_code(problem))
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
        mark = len(self.diagnostics)
        if not expr.refers(tree):
            self.report(here, f"compute {var}: '{source}' is always the same value; "
                        f"set: {{{var}: ...}} says that more plainly", codes.COMPUTE_CONSTANT)
        for n in expr.walk(tree):
            if (isinstance(n, expr.Apply) and n.func == expr.RANDOM
                    and expr.unparse(n.args[0]) == expr.unparse(n.args[1])):
                self.report(self.inner_pos(vnode, n.offset), f"compute {var}: "
                            f"'{expr.unparse(n)}' always gives the same number",
                            codes.RANDOM_ONE_OUTCOME)
        evaluate = expr.compile_expr(tree)
        if len(self.diagnostics) == mark and isinstance(vnode, yaml.ScalarNode) and (
                vnode.tag == yamlsrc.STR):  # read quickly from now on (`quick_compute`)
            self.computes[var, source] = (tree, evaluate)
        return Effect("compute", var, source, here, Condition(source, tree, here, evaluate))

    def assignment(self, kind: str, var: str, key_node: yaml.Node, vnode: yaml.Node,
                   label: str | None = None) -> Effect | None:
        """A `set`/`add` (or an expected value) of the variable's declared type (the rule:
        `rules.assignment`)."""
        label = label or kind
        declared = self.declared(var, key_node, label)
        if declared is None:
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
