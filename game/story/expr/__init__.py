"""Condition expressions written by story authors, e.g. ``courage >= 1 and not met_john``.

Conditions are parsed once when the story loads, checked against the declared variables,
scenes and facts, and compiled into nested closures: authors get their mistakes at load time
instead of mid-playthrough, and random playthroughs can evaluate millions of conditions
cheaply. No source text is ever run as Python code (no eval/exec/compile), so a story file
cannot execute anything.

The package, by what each part holds:

- `nodes`: the six node kinds (`Literal`, `Var`, `Call`, `Unary`, `Binary`, and `Apply`
  for the functions of numbers in `MATH`), `Rolls` (the dice of a `compute`), `Ref`, the
  errors (`ExprError` for the author's text, with `UnknownName` for a name the story does not
  have; `ExprEvalError` for run time), `FUNCTIONS`, and the walker;
- `syntax`: the grammar, both ways: `parse` (the one parser) and `unparse`;
- `checker`: `check` (names and types against a story) and `references`;
- `compiler`: `evaluate` (the plain reference interpreter), `constant_value` and
  `compile_expr`;
- `bounds`: `never_true` (a condition that provably never holds: `x > 3 and x < 2`,
  `not seen(S)` in scene S) and `division_by_zero` (by a constant 0), for the checker.

The walker, which every walk over a tree uses (here, in lint and in the compiled cache):

- `walk(node)` yields every node once, top down: a parent before its children, children left
  to right, so leaves come in source order. `walk(node, bottom_up=True)` yields children
  before their parent (still left to right). Both loop over a stack: any depth is safe.
- `node.children()` is a node's direct children, left to right (`()` for a leaf); a walk
  never needs to know which kinds have any.
- `fold(node, combine)` computes one value per node, bottom up: `combine(n, values)` gets
  the values of n's children, left to right, and the root's value is returned. `unparse`
  and `strip_offsets` are folds.

Write a new walk as a `for n in walk(tree)` loop with a `match n:` inside (see `references`,
top down, or the cache's encoder, bottom up), as a bottom-up loop keeping the
children's values on a stack (see `check`, the hot one: it runs for every distinct condition
as a story loads), or as a fold (the simplest, when speed does not matter).

Offsets are 0-based character indices into the condition text. Node equality includes
offsets, so two parses of the same text are equal; ``strip_offsets`` compares shapes only,
e.g. a tree against ``parse(unparse(tree))``.
"""

from __future__ import annotations

from game.story.expr.bounds import (
    DividesByZero,
    NeverTrue,
    division_by_zero,
    may_contradict,
    never_true,
)
from game.story.expr.checker import (
    EmptyRange,
    NotAnItem,
    RandomOutside,
    check,
    references,
    refers,
    result_kind,
)
from game.story.expr.compiler import compile_expr, constant_value, evaluate, rounded, whole
from game.story.expr.nodes import (
    COMPARISONS,
    FUNCTIONS,
    MATH,
    MEMBERSHIP,
    RANDOM,
    Apply,
    Binary,
    Call,
    Evaluator,
    ExprError,
    ExprEvalError,
    Literal,
    Node,
    Ref,
    Rolls,
    Scalar,
    Unary,
    UnknownName,
    Value,
    Var,
    fold,
    start_offset,
    strip_offsets,
    walk,
)
from game.story.expr.syntax import KEYWORDS, MAX_DEPTH, literal_text, parse, unparse

__all__ = [
    "COMPARISONS", "FUNCTIONS", "KEYWORDS", "MATH", "MAX_DEPTH", "MEMBERSHIP", "RANDOM",
    "Apply", "Binary", "Call", "DividesByZero", "EmptyRange", "Evaluator", "ExprError",
    "ExprEvalError", "Literal", "NeverTrue", "Node", "NotAnItem", "RandomOutside", "Ref",
    "Rolls", "Scalar", "Unary", "UnknownName", "Value", "Var", "check", "compile_expr",
    "constant_value", "division_by_zero", "evaluate", "fold", "literal_text", "may_contradict",
    "never_true", "parse", "references", "refers", "result_kind", "rounded", "start_offset",
    "strip_offsets", "unparse", "walk", "whole",
]
