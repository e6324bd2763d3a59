"""Fast readers for the common case: input with nothing to report.

A 10,000-scene story is a third of a million YAML nodes, so the loader first tries these
`quick_` readers. Each handles only input that is plainly valid and returns None at the first
doubt, before anything is reported or recorded; the loader then reads the same node with its
careful reader, so diagnostics are exactly what the careful reader alone gives (the tests in
tests/perf load thousands of damaged stories both ways and compare). Model objects are made
with the fast constructors of `game.story.construct`.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Mapping

import yaml

from game.story import expr, lists, rules, schema, variations, yamlsrc
from game.story.construct import blank_class
from game.story.model import Choice, Condition, Effect, Paragraph, Pos, Template, Variable
from game.story.names import IDENT
from game.story.scene import (
    EffectKind,
    new_choice,
    new_condition,
    new_effect,
    new_paragraph,
    new_template,
)

_MappingNode, _ScalarNode, _SequenceNode = yaml.MappingNode, yaml.ScalarNode, yaml.SequenceNode
_blank = blank_class(Pos, ("file", "line", "col"))
if _blank is None:  # pragma: no cover - loud, at import, never a wrong position
    raise ImportError("game.story.model.Pos changed shape: update QuickReaders.pos")
_POS_BLANK: type = _blank
SPENT = yaml.ScalarNode(yamlsrc.NULL, "", None, None)
"""What a definition's node becomes once it has been read (see `build`)."""
_REQUIRED: dict[int, tuple[str, ...]] = {}
"""Required key names per schema table (keyed by the table's id: tables live forever)."""
_LITERAL_TAGS = frozenset((yamlsrc.STR, yamlsrc.INT, yamlsrc.FLOAT, yamlsrc.BOOL))
_SIGNATURE: dict[schema.Shape, tuple[str | type, ...]] = {
    "text": (yamlsrc.STR, yamlsrc.TIMESTAMP), "number": (yamlsrc.INT, yamlsrc.FLOAT),
    "bool": (yamlsrc.BOOL,), "empty": (yamlsrc.NULL,),
    "list": (_SequenceNode,), "mapping": (_MappingNode,)}
"""How each shape shows in a node: a scalar by its tag, a collection by its class."""
_REASON_NEEDS = schema.COMPANIONS["choice"]["reason"][0]
"""The key without which a choice's `reason` means nothing (`enabled`)."""
_REFUSED: dict[int, dict[str, frozenset[str | type]]] = {}
"""Per schema table (by id, as `_REQUIRED`): each key's refused node signatures."""


def refused_nodes(table: Mapping[str, schema.Key]) -> dict[str, frozenset[str | type]]:
    """The signatures (see `signature`) each key's value may not have, from
    `schema.SHAPES`. A scalar with a tag of its own (`!!binary`) is none of them: the
    readers report the tag. A kind without shapes yet refuses nothing."""
    refused = _REFUSED.get(id(table))
    if refused is None:
        every = frozenset(sig for sigs in _SIGNATURE.values() for sig in sigs)
        refused = _REFUSED[id(table)] = {
            key.name: every.difference(*(_SIGNATURE[shape] for shape
                                         in schema.SHAPES.get(key.kind, tuple(_SIGNATURE))))
            for key in table.values()}
    return refused


def signature(node: yaml.Node) -> str | type:
    """A scalar's tag, or a collection's node class: what `refused_nodes` holds."""
    return node.tag if type(node) is _ScalarNode else type(node)


def _quick_entries(node: yaml.Node, known: Container[str]) -> dict[str, yaml.Node] | None:
    """A plain mapping whose keys are all plain strings in `known`, none repeated."""
    if type(node) is not _MappingNode or node.tag != yamlsrc.MAP:
        return None
    out: dict[str, yaml.Node] = {}
    for key_node, value in node.value:
        if type(key_node) is not _ScalarNode or key_node.tag != yamlsrc.STR:
            return None
        name = key_node.value
        if name in out or name not in known:
            return None
        out[name] = value
    return out


def _quick_names(kind: str, var: str, items: tuple[str, ...], vnode: yaml.Node,
                 pos: Callable[[yaml.Node], Pos]) -> Effect | None:
    """`set`/`add`/`remove` of a list's names, when each is plainly one of its items (the
    careful reader, `listreader.py`, reports anything else)."""
    nodes = [vnode] if type(vnode) is _ScalarNode else (
        vnode.value if type(vnode) is _SequenceNode and vnode.tag == yamlsrc.SEQ else None)
    if nodes is None:
        return None
    names = set()
    declared = items if len(nodes) < 4 else frozenset(items)  # (a long list: linear time)
    for node in nodes:
        if (type(node) is not _ScalarNode or node.tag != yamlsrc.STR
                or node.value not in declared):
            return None
        names.add(node.value)
    effect_kind: EffectKind = "add" if kind == "add" else "remove" if kind == "remove" else "set"
    return new_effect(effect_kind, var, lists.ordered(items, names), pos(vnode), None)


def plain_text(node: yaml.Node) -> str | None:
    """What `text()` reads without a word to say, or None."""
    if type(node) is _ScalarNode and node.tag in yamlsrc.PLAIN_SCALARS:
        return str(node.value)
    return None


def plain_word(node: yaml.Node) -> str | None:
    """What `ident()` may accept: a plain string (`goto: yes` is true/false to YAML, and
    `id: 2010` a number, so neither is read as a name: see `schema.SHAPES`)."""
    if type(node) is _ScalarNode and node.tag == yamlsrc.STR:
        return str(node.value)
    return None


Compiled = tuple[expr.Node, list[expr.ExprError], expr.Evaluator | None] | expr.ExprError
"""A condition text parsed, checked and (when sound) compiled, or why it does not parse."""


class QuickReaders:
    """Mixed into the loader; the attributes below are the loader's, read here."""

    file: str
    variables: dict[str, Variable]
    fact_ids: set[str]
    scene_ids: set[str]
    scene_name: str
    """The scene being read (its conditions are asked only after it was entered)."""
    conditions: dict[str, Compiled]
    computes: dict[tuple[str, str], tuple[expr.Node, expr.Evaluator]]
    """(variable, expression) of each `compute` the careful reader read without a word to
    say, with the expression parsed and compiled (see `quick_compute`)."""
    compile_condition: Callable[[str], Compiled]
    """The loader's: each distinct condition text parsed, checked and compiled once."""
    defer_target: Callable[[str, yaml.Node, str], bool]
    """The loader's: note a goto to a scene of a file not read yet, when that is allowed."""
    inner_pos: Callable[[yaml.Node, int], Pos]
    """The careful readers': where character `offset` of a scalar's value is."""

    def pos(self, node: yaml.Node) -> Pos:
        """`new_pos`, inlined: a big story asks ~120,000 times, and the call this saves is
        1.7% of its cold load (measured). A blank filled and made a Pos
        (`construct.blank_class`), not three slot setters' calls: ~1,600 instructions fewer
        a position."""
        mark = node.start_mark
        draft = _POS_BLANK()
        draft.file = self.file
        draft.line = mark.line + 1
        draft.col = mark.column + 1
        draft.__class__ = Pos
        pos: Pos = draft
        return pos

    def quick_fields(self, node: yaml.Node, table: Mapping[str, schema.Key],
                     ) -> dict[str, yaml.Node] | None:
        """Plain string keys, all known, none repeated, no required one missing, each value
        of a shape its key allows. One pass over the entries (`_quick_entries` and the
        shapes in one loop: ~27,000 mappings in a big story), since every key of the table
        has its entry in `refused_nodes`."""
        if type(node) is not _MappingNode or node.tag != yamlsrc.MAP:
            return None
        required = _REQUIRED.get(id(table))
        if required is None:
            required = _REQUIRED[id(table)] = tuple(
                key.name for key in table.values() if key.required)
        refused = _REFUSED.get(id(table)) or refused_nodes(table)
        out: dict[str, yaml.Node] = {}
        for key_node, value in node.value:
            if type(key_node) is not _ScalarNode or key_node.tag != yamlsrc.STR:
                return None
            name = key_node.value
            shapes = refused.get(name)
            if shapes is None or name in out or (
                    value.tag if type(value) is _ScalarNode else type(value)) in shapes:
                return None
            out[name] = value
        for name in required:
            if name not in out:
                return None
        return out

    def quick_template(self, text: str, node: yaml.Node) -> Template | None:
        if "{" not in text and "}" not in text:  # most text: spare the call (1.4%, measured)
            return new_template((text,))
        parts = variations.parse(text, self.variables, None, self.text_condition(node))
        return None if parts is None else new_template(parts)

    def text_condition(self, node: yaml.Node) -> variations.ConditionMaker:
        """What the template parser calls for a `{?COND|..}` in the text of `node`."""
        return lambda source, offset: self.condition_of(source, node, offset)

    def quick_condition(self, node: yaml.Node) -> Condition | None:
        if type(node) is not _ScalarNode or node.tag != yamlsrc.STR:
            return None
        return self.condition_of(node.value, node, 0)

    def condition_of(self, source: str, node: yaml.Node, offset: int) -> Condition | None:
        """The condition `source`, written at character `offset` of `node`'s text (0: the
        whole of it), when nothing is wrong with it; None says the careful reader must
        look (`ConditionReaders.condition_text`)."""
        known = self.conditions.get(source)
        if known is None:
            known = self.compile_condition(source)
        if isinstance(known, expr.ExprError) or known[2] is None:
            return None
        if self.scene_name in source and expr.never_true(known[0], self.scene_name):
            return None  # never true in its own scene: the careful reader says why
        return new_condition(source, known[0],
                             self.pos(node) if offset == 0 else self.inner_pos(node, offset),
                             known[2])

    def quick_paragraphs(self, node: yaml.Node) -> tuple[Paragraph, ...] | None:
        if type(node) is _ScalarNode:
            text = plain_text(node)
            template = None if text is None else self.quick_template(text, node)
            return None if template is None else (new_paragraph(template, None, self.pos(node)),)
        if type(node) is not _SequenceNode or node.tag != yamlsrc.SEQ:
            return None
        out = []
        for item in node.value:
            if type(item) is _ScalarNode:
                text = plain_text(item)
                template = None if text is None else self.quick_template(text, item)
                if template is None:
                    return None
                out.append(new_paragraph(template, None, self.pos(item)))
                continue
            f = self.quick_fields(item, schema.PARAGRAPH)
            if f is None:
                return None
            text = plain_text(f["text"])
            template = None if text is None else self.quick_template(text, f["text"])
            condition = self.quick_condition(f["if"])
            if template is None or condition is None:
                return None
            out.append(new_paragraph(template, condition, self.pos(item)))
        return tuple(out)

    def quick_effects(self, node: yaml.Node) -> tuple[Effect, ...] | None:
        if type(node) is not _SequenceNode or node.tag != yamlsrc.SEQ:
            return None
        out: list[Effect] = []
        for item in node.value:
            f = self.quick_fields(item, schema.EFFECT)
            if not f:
                return None
            for kind, value in f.items():
                if kind == "unlock":
                    facts = [value] if type(value) is _ScalarNode else (
                        value.value if type(value) is _SequenceNode
                        and value.tag == yamlsrc.SEQ else None)
                    if not facts:
                        return None
                    for fnode in facts:
                        fact = plain_word(fnode)
                        if fact is None or fact not in self.fact_ids:
                            return None
                        out.append(new_effect("unlock", fact, True, self.pos(fnode), None))
                    continue
                f2 = _quick_entries(value, self.variables)
                if f2 is None:
                    return None
                for var, vnode in f2.items():
                    effect = (self.quick_compute(var, vnode) if kind == "compute"
                              else self.quick_assignment(kind, var, vnode))
                    if effect is None:
                        return None
                    out.append(effect)
        return tuple(out)

    def quick_compute(self, var: str, vnode: yaml.Node) -> Effect | None:
        """`compute: {var: "expression"}` when the careful reader has read this very
        expression into this variable before without a word to say (`computes`): a story
        repeats a few expressions hundreds of times, and each careful read parses, checks
        and compiles it again. What was clean stays clean: within a load names are only
        added, and a variable's kind never changes."""
        if type(vnode) is not _ScalarNode or vnode.tag != yamlsrc.STR:
            return None
        source = vnode.value
        known = self.computes.get((var, source))
        if known is None:
            return None
        here = self.pos(vnode)
        return new_effect("compute", var, source, here,
                          new_condition(source, known[0], here, known[1]))

    def quick_assignment(self, kind: str, var: str, vnode: yaml.Node) -> Effect | None:
        items = self.variables[var].items
        if items is not None:
            return _quick_names(kind, var, items, vnode, self.pos)
        if type(vnode) is not _ScalarNode or vnode.tag not in _LITERAL_TAGS or kind == "remove":
            return None
        value = yamlsrc.quick_scalar(vnode)
        if value is None:
            return None
        declared = self.variables[var]
        stored, problem = rules.assignment(kind, type(declared.default), value)
        if problem is not None or (kind != "add" and declared.bounded
                                   and not rules.within_bounds(stored, declared.lo,
                                                               declared.hi)):
            return None
        return new_effect("add" if kind == "add" else "set", var, stored, self.pos(vnode),
                          None)

    def quick_choice(self, item: yaml.Node, ids: Mapping[str, Pos]) -> Choice | None:
        f = _quick_entries(item, schema.CHOICE)
        if f is None:
            return None
        text_node = f.get("text")
        goto_node = f.get("goto")
        call_node = None
        if goto_node is None:  # format v2: `call:` in its place (schema.EXACTLY_ONE)
            call_node = goto_node = f.get("call")
        elif "call" in f:
            return None
        if text_node is None or goto_node is None:  # the required keys of schema.CHOICE
            return None
        text = plain_text(text_node)
        goto = plain_word(goto_node)
        if text is None or goto is None:
            return None
        what = "goto" if call_node is None else "call"
        if goto not in self.scene_ids and not self.defer_target(goto, goto_node, what):
            return None
        then = None
        if "then" in f:
            then_node = f["then"]
            then = plain_word(then_node)
            if call_node is None or then is None or (
                    then not in self.scene_ids and not self.defer_target(then, then_node,
                                                                         "then")):
                return None
        template = self.quick_template(text, text_node)
        if template is None:
            return None
        condition = None
        if "if" in f:
            condition = self.quick_condition(f["if"])
            if condition is None:
                return None
        effects: tuple[Effect, ...] = ()
        if "effects" in f:
            quick_effects = self.quick_effects(f["effects"])
            if quick_effects is None:
                return None
            effects = quick_effects
        once = False
        if "once" in f:
            once_node = f["once"]
            if type(once_node) is not _ScalarNode or once_node.tag != yamlsrc.BOOL:
                return None
            flag = yamlsrc.quick_scalar(once_node)
            if not isinstance(flag, bool):
                return None
            once = flag
        enabled = reason = None
        if "enabled" in f:
            enabled = self.quick_condition(f["enabled"])
            if enabled is None:
                return None
        if "reason" in f:
            if _REASON_NEEDS not in f:  # the careful reader warns
                return None
            reason_text = plain_text(f["reason"])
            reason = (None if reason_text is None
                      else self.quick_template(reason_text, f["reason"]))
            if reason is None:
                return None
        if "id" in f:
            choice_id = plain_word(f["id"])
            if choice_id is None or choice_id in ids or not IDENT.match(choice_id):
                return None
        else:
            choice_id = rules.default_choice_id(text if len(template.parts) == 1 else str(template),
                                                ids)
        return new_choice(choice_id, template, goto, condition, effects, once,
                          self.pos(item), self.pos(goto_node), False, enabled, reason,
                          call_node is not None, then, False)

