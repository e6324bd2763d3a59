"""Checking a decoded cache entry before anything is built from it.

The cache's checksum (crc32) tells a torn or bit-flipped file from a whole one, but anyone
who can write the cache folder can also write a whole file with a valid checksum. Such an
entry must never crash the game, nor make `check` say anything a cold load would not: so
every value is checked for its type and shape here (the nested tuples `cachecodec.encode`
writes), every id it refers to must exist, every condition must type-check as the loader
requires, and the result must be consistent (a story exactly when there is no error).
Anything wrong raises `Malformed`, and the cache drops the entry and loads cold.

The head (everything but the scenes) is checked when the entry is read; each scene when
it is first decoded, against the ids the head declared (see `Context`).
"""

from __future__ import annotations

import marshal
import math
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from game import numbers
from game.story.rules import valid_seed

if TYPE_CHECKING:
    from game.story.expr import Node

_VALUES = (bool, int, float, str)
_UNARY = frozenset({"not", "-"})
_BINARY = frozenset({"or", "and", "==", "!=", "<", "<=", ">", ">=", "in", "+", "-", "*", "/"})
MAX_NODE_DEPTH = 200
"""The parser's own limit (`expr._MAX_DEPTH`): a cold load never makes a deeper tree."""


class Malformed(ValueError):
    """A cache entry that is not what `cachecodec.encode` writes; str() says where."""


class Context:
    """What a scene may refer to: the head's files, variables (with their types) and ids.

    A plain slotted class: a warm load imports this module, and making a frozen slotted
    dataclass costs ~0.7 ms.
    """

    __slots__ = ("conditions", "facts", "files", "items", "scenes", "variables")

    def __init__(self, files: int, variables: dict[str, type], scenes: Collection[str],
                 facts: frozenset[str], items: dict[str, tuple[str, ...]] | None = None) -> None:
        self.files = files
        self.variables = variables
        self.scenes = scenes
        """The scene ids (any collection: a trusted head's is the scenes' own index)."""
        self.facts = facts
        self.items = {} if items is None else items
        """Each list variable's items (format v2)."""
        self.conditions: set[tuple[object, ...]] = set()
        """Conditions already found good (stories repeat them: `has(x)` in many scenes)."""


_FIXED = [0] * 256
"""Bytes taken by each fixed-size marshal item, tag included (without FLAG_REF: see loads)."""
for _tag, _size in {"N": 1, "F": 1, "T": 1, "i": 5, "g": 9}.items():
    _FIXED[ord(_tag)] = _size
_SHORT_TEXT = [False] * 256
for _tag in "zZ":
    _SHORT_TEXT[ord(_tag)] = True
_SMALL_TUPLE, _TUPLE, _LONG, _REF = ord(")"), ord("("), ord("l"), ord("r")
_TEXT = frozenset(map(ord, "aAut"))


def loads(data: bytes | memoryview) -> Any:
    """`marshal.loads`, after making sure the data can only build plain, acyclic values.

    marshal trusts what it reads. A tuple header claiming two billion items makes it
    allocate (and zero) 16 GB before it finds the data missing, so twenty crafted bytes could
    exhaust memory; and a back-reference to a tuple that is still being filled puts the tuple
    inside itself, a cycle that crashes the interpreter (a segfault, not an exception) the
    first time it is hashed. So this walks the items first (only the kinds `cachecodec.encode`
    writes: None, booleans, ints, floats, text, tuples and back-references) and refuses a
    count larger than the bytes left and anything else (lists, dicts, code...). What
    `cachecodec.encode` writes never refers back to a non-empty tuple (it refers to repeated
    text, numbers and the empty tuple), so only data that does is walked a second time,
    with the nesting followed (`_acyclic`). ~1.5 ms for a 10,000-scene story's head; a
    scene's blob, microseconds.
    """
    pos, end = 0, len(data)
    fixed, short, fixed_kept, short_kept = _FIXED, _SHORT_TEXT, _FIXED_KEPT, _SHORT_KEPT
    kept = 0
    """How many items marshal will remember (FLAG_REF) so far: a back-reference's range."""
    kept_tuples: set[int] = set()
    """Which of those are non-empty tuples."""
    tuple_refs = False
    while pos < end:
        tag = data[pos]
        size = fixed[tag]
        if size:
            pos += size
        elif short[tag]:
            pos += 2 + data[pos + 1] if pos + 1 < end else 1
        elif short_kept[tag]:
            kept += 1
            pos += 2 + data[pos + 1] if pos + 1 < end else 1
        elif size := fixed_kept[tag]:
            kept += 1
            pos += size
        else:
            flagged = tag & 0x80
            tag &= 0x7F
            count = 0
            if tag == _SMALL_TUPLE:  # a one-byte count: at most 255 items
                count = data[pos + 1] if pos + 1 < end else 0
                pos += 2
            elif tag == _REF:
                target = int.from_bytes(data[pos + 1:pos + 5], "little", signed=True)
                if not 0 <= target < kept:
                    raise Malformed("a back-reference to nothing")
                tuple_refs = tuple_refs or target in kept_tuples
                pos += 5
            else:
                count = int.from_bytes(data[pos + 1:pos + 5], "little", signed=True)
                if tag == _TUPLE and 0 <= count <= end - pos:
                    pos += 5
                elif tag == _LONG and 2 * abs(count) <= end - pos:
                    pos += 5 + 2 * abs(count)
                    count = 0
                elif tag in _TEXT and count >= 0:
                    pos += 5 + count
                    count = 0
                else:
                    raise Malformed("marshal data this cache never writes")
            if flagged:
                if count > 0 and tag in (_SMALL_TUPLE, _TUPLE):
                    kept_tuples.add(kept)
                kept += 1
    if tuple_refs and not _acyclic(data):
        raise Malformed("a back-reference to a value not yet complete")
    return marshal.loads(data)  # noqa: S302 - only plain acyclic values, every count checked


_FIXED_TAGS = frozenset(t for t in range(128) if _FIXED[t])
_SHORT_TAGS = frozenset(t for t in range(128) if _SHORT_TEXT[t])
_FIXED_KEPT = [_FIXED[t & 0x7F] if t & 0x80 else 0 for t in range(256)]
"""The fixed-size items again, with FLAG_REF (remembered by marshal, so counted)."""
_SHORT_KEPT = [bool(t & 0x80) and _SHORT_TEXT[t & 0x7F] for t in range(256)]


def _acyclic(data: bytes | memoryview) -> bool:
    """Whether every back-reference in data that `loads` has walked once (so every count
    and tag in it is known good) points at an item already complete: no tuple can then be
    made to hold itself. Follows the tuples' nesting, so it is slower than that first walk,
    and runs only for data that refers back to a non-empty tuple."""
    pos, end = 0, len(data)
    done: list[bool] = []
    """For each remembered item, whether it is complete yet."""
    open_: list[list[int]] = []
    """The tuples being filled, innermost last: [items still to come, index in done]."""
    while pos < end:
        tag = data[pos]
        ref = -1
        if tag & 0x80:
            ref = len(done)
            done.append(True)
            tag &= 0x7F
        if tag == _REF:
            target = int.from_bytes(data[pos + 1:pos + 5], "little", signed=True)
            if not done[target]:
                return False
            pos += 5
        elif tag in _FIXED_TAGS:
            pos += _FIXED[tag]
        elif tag in _SHORT_TAGS:
            pos += 2 + data[pos + 1]
        elif tag in (_SMALL_TUPLE, _TUPLE):
            small = tag == _SMALL_TUPLE
            count = data[pos + 1] if small else int.from_bytes(data[pos + 1:pos + 5], "little")
            pos += 2 if small else 5
            if count:  # an item of its parent once its own items have all been read
                if ref >= 0:
                    done[ref] = False
                open_.append([count, ref])
                continue
        else:  # a long integer or text: a count, then that many units
            count = int.from_bytes(data[pos + 1:pos + 5], "little", signed=True)
            pos += 5 + (2 * abs(count) if tag == _LONG else count)
        while open_:  # one item read: it fills a slot of the innermost open tuple
            top = open_[-1]
            top[0] -= 1
            if top[0]:
                break
            open_.pop()
            if top[1] >= 0:
                done[top[1]] = True
    return True


def _need(ok: object, what: str) -> None:
    if not ok:
        raise Malformed(what)


def _tuple(data: object, what: str, length: int | None = None) -> tuple[Any, ...]:
    if type(data) is not tuple or (length is not None and len(data) != length):
        raise Malformed(what)
    return data


def _str(data: object, what: str) -> str:
    _need(type(data) is str, what)
    assert isinstance(data, str)
    return data


def _opt_str(data: object, what: str) -> None:
    _need(data is None or type(data) is str, what)


def _int(data: object, what: str) -> int:
    _need(type(data) is int, what)
    assert isinstance(data, int)
    _need(data >= 0, what)
    return data


def _value(data: object, what: str) -> None:
    _need(type(data) in _VALUES and numbers.in_range(data), what)


def _held(data: object, items: object, what: str) -> None:
    """A list's value: names of `items`, each once, in their order (`lists.ordered`)."""
    names = _strings(data, what)
    held = set(names)
    _need(type(items) is tuple and len(held) == len(names)
          and names == tuple(i for i in items if i in held), what)


def _expected(data: object, what: str) -> None:
    """An expected value: a scalar, or a list's names (checked against nothing: the
    playthrough runner compares it with what the game holds)."""
    if type(data) is tuple:
        _strings(data, what)
    else:
        _value(data, what)


def _strings(data: object, what: str) -> tuple[str, ...]:
    items = _tuple(data, what)
    for item in items:
        _str(item, what)
    return items


def pos(data: object, files: int) -> None:
    """(file index, line, col); written out in full because a big story has 100,000."""
    if type(data) is not tuple or len(data) != 3:
        raise Malformed("a position")
    i, line, col = data
    if not (type(i) is int and type(line) is int and type(col) is int
            and 0 <= i < files and line >= 0 and col >= 0):
        raise Malformed("a position")


def head(data: object) -> Context | None:
    """Check the entry's head; the context its scenes are checked in (None: no story)."""
    from game.story.codes import TABLE  # only an unsigned head is walked: not at start-up

    _version, files, pos_files, diagnostics, story = _tuple(data, "the head", 5)
    _strings(files, "the file list")
    n = len(_strings(pos_files, "the position files"))
    errors = 0
    for diagnostic in _tuple(diagnostics, "the diagnostics"):
        where, severity, message, code, related = _tuple(diagnostic, "a diagnostic", 5)
        pos(where, n)
        known = TABLE.get(code) if type(code) is str else None
        _need(known is not None and severity == known.severity,
              "a diagnostic's code and severity")
        _str(message, "a diagnostic's message")
        for place in _tuple(related, "a diagnostic's related places"):
            other, note = _tuple(place, "a related place", 2)
            pos(other, n)
            _str(note, "a related place's note")
        errors += severity == "error"
    if story is None:
        _need(errors, "no story, yet no error")
        return None
    _need(not errors, "a story despite errors")
    return _story(story, n)


def trusted_context(data: Any, scenes: Collection[str]) -> Context | None:
    """The context a trusted head's scenes are checked in (`cachesign`: a head this user's
    game wrote and signed), read off it without the walk `head` makes; `scenes` is its
    scene ids (the decoded scenes' own index: a second set of 10,000 ids cost 0.25 ms)."""
    story = data[4]
    if story is None:
        return None
    variables, facts = story[6], story[7]
    return Context(len(data[2]), {name: type(default) for name, default, *_ in variables},
                   scenes, frozenset(fact[0] for fact in facts),
                   items={name: items for name, _, _, items, *_ in variables
                          if items is not None})


def _story(data: object, files: int) -> Context:
    (story_id, title, subtitle, start, content_hash, where, variables, facts, endings,
     playthroughs, scene_ids, blob_crcs, blob_sizes) = _tuple(data, "the story", 13)
    for text in (story_id, title, start, content_hash):
        _str(text, "the story's header")
    _opt_str(subtitle, "the story's subtitle")
    pos(where, files)
    scenes = frozenset(_strings(scene_ids, "the scene ids"))
    _need(len(scenes) == len(scene_ids) and start in scenes, "the scene ids")
    sizes = _tuple(blob_sizes, "the scene sizes")
    _need(len(sizes) == len(scene_ids), "the scene sizes")
    for size in sizes:
        _int(size, "a scene size")
    crcs = _tuple(blob_crcs, "the scene checksums")
    _need(len(crcs) == len(scene_ids), "the scene checksums")
    for crc in crcs:
        _need(_int(crc, "a scene checksum") < 2**32, "a scene checksum")
    types: dict[str, type] = {}
    lists: dict[str, tuple[str, ...]] = {}
    for variable in _tuple(variables, "the variables"):
        name, default, p, items, lo, hi = _tuple(variable, "a variable", 6)
        _need(_str(name, "a variable's name") not in types, "a duplicate variable")
        if items is None:
            _value(default, f"variable '{name}'s default")
        else:
            declared = _strings(items, f"list '{name}'s items")
            _need(bool(declared) and len(set(declared)) == len(declared),
                  f"list '{name}'s items")
            _held(default, declared, f"list '{name}'s default")
            lists[name] = declared
        pos(p, files)
        _bounds(default, lo, hi)
        types[name] = type(default)
    fact_ids: set[str] = set()
    for fact in _tuple(facts, "the facts"):
        fact_id, fact_title, text, source, hint, chapter, p = _tuple(fact, "a fact", 7)
        for item in (fact_id, fact_title, text, source):
            _str(item, "a fact")
        _opt_str(hint, "a fact's hint")
        _opt_str(chapter, "a fact's chapter")
        pos(p, files)
        fact_ids.add(fact_id)
    context = Context(files, types, scenes, frozenset(fact_ids), items=lists)
    for ending in _tuple(endings, "the endings"):
        _ending(ending, context)
    for playthrough in _tuple(playthroughs, "the playthroughs"):
        name, steps, expect, p, seed = _tuple(playthrough, "a playthrough", 5)
        _str(name, "a playthrough's name")
        if not valid_seed(seed):
            raise ValueError(f"a playthrough's seed is {seed!r}")
        for step in _tuple(steps, "a playthrough's steps"):
            choose, step_expect, step_pos = _tuple(step, "a playthrough step", 3)
            _str(choose, "a playthrough step")
            _expectation(step_expect, files)
            pos(step_pos, files)
        _expectation(expect, files)
        pos(p, files)
    return context


def _ending(data: object, context: Context) -> None:
    ending_id, title, p, scene, hint = _tuple(data, "an ending", 5)
    _str(ending_id, "an ending's id")
    _str(title, "an ending's title")
    _opt_str(hint, "an ending's hint")
    pos(p, context.files)
    _need(scene in context.scenes, "an ending's scene")


def _expectation(data: object, files: int) -> None:
    if data is None:
        return
    scene, ending, facts, variables, p = _tuple(data, "an expectation", 5)
    _opt_str(scene, "an expectation's scene")
    _opt_str(ending, "an expectation's ending")
    _strings(facts, "an expectation's facts")
    for pair in _tuple(variables, "an expectation's variables"):
        name, value = _tuple(pair, "an expected value", 2)
        _str(name, "an expected value")
        _expected(value, "an expected value")
    pos(p, files)


def scene(data: object, scene_id: str, context: Context) -> None:
    """Check one scene's decoded blob (the scene it should be is `scene_id`)."""
    (sid, title, chapter, paragraphs, on_enter, choices, next_id, ending,
     p, returns) = _tuple(data, f"scene '{scene_id}'", 10)
    _need(sid == scene_id, f"scene '{scene_id}' holds another scene")
    _str(title, "a scene's title")
    _opt_str(chapter, "a scene's chapter")
    for paragraph in _tuple(paragraphs, "a scene's paragraphs"):
        parts, condition, where = _tuple(paragraph, "a paragraph", 3)
        _template(parts, context)
        _condition(condition, context)
        pos(where, context.files)
    _effects(on_enter, context)
    for choice in _tuple(choices, "a scene's choices"):
        (choice_id, parts, goto, condition, effects, once, where, goto_pos,
         is_continue, enabled, reason, call, then, back) = _tuple(choice, "a choice", 14)
        _str(choice_id, "a choice's id")
        _template(parts, context)
        _need(goto in context.scenes, "a choice's goto")
        _condition(condition, context)
        _condition(enabled, context)
        if reason is not None:
            _template(reason, context)
        _effects(effects, context)
        _need(type(once) is bool and type(is_continue) is bool and type(call) is bool
              and type(back) is bool, "a choice's flags")
        _need(then is None or (call and then in context.scenes), "a choice's then")
        _need(not back or (is_continue and goto == sid), "a return's Continue")
        pos(where, context.files)
        pos(goto_pos, context.files)
    _need(next_id is None or next_id in context.scenes, "a scene's next")
    _need(type(returns) is bool, "a scene's return")
    if ending is not None:
        _ending(ending, context)
    pos(p, context.files)


def _template(data: object, context: Context, depth: int = 0) -> None:
    """Literal text and holes, alternating: an odd number of parts, the literal ones text,
    each hole a declared variable's name or a variation (`cachecodec._Encoder.text`)."""
    if type(data) is not tuple or len(data) % 2 != 1:
        raise Malformed("a text")
    if len(data) == 1:
        if type(data[0]) is not str:
            raise Malformed("a text")
        return
    variables = context.variables
    for i, part in enumerate(data):
        if type(part) is str:
            _need(i % 2 == 0 or part in variables, "a text's parts")
        else:
            _need(i % 2 == 1, "a text's parts")
            _variation(part, context, depth + 1)


_KINDS = frozenset(("sequence", "cycle", "once", "shuffle", "if"))


def _variation(data: object, context: Context, depth: int) -> None:
    from game.story.variations import MAX_NESTING

    _need(depth <= MAX_NESTING, "a variation's depth")
    kind, salt, source, condition, items = _tuple(data, "a variation", 5)
    _need(kind in _KINDS, "a variation's kind")
    _int(salt, "a variation's salt")
    _str(source, "a variation's source")
    _need((condition is not None) == (kind == "if"), "a variation's condition")
    _condition(condition, context)
    items = _tuple(items, "a variation's items")
    _need(len(items) > 0 and (kind != "if" or len(items) <= 2), "a variation's items")
    for item in items:
        _template(item, context, depth)


def _bounds(default: object, lo: object, hi: object) -> None:
    """A variable's min and max as the loader allows them: none, or numbers of a number
    variable (whole for a whole one), in order, around the default."""
    if lo is None and hi is None:
        return
    _need(type(default) in (int, float), "bounds on a variable that is no number")
    for bound in (lo, hi):
        _need(bound is None or type(bound) is int or (type(bound) is float
                                                      and type(default) is float
                                                      and math.isfinite(bound)), "a bound")
    low = -math.inf if lo is None else lo
    high = math.inf if hi is None else hi
    _need(low <= default <= high, "bounds around the default")  # type: ignore[operator]


def _effects(data: object, context: Context) -> None:
    for effect in _tuple(data, "effects"):
        record = _tuple(effect, "an effect")
        if len(record) == 5:
            kind, target, value, where, expression = record
            _need(kind == "compute" and type(target) is str and type(value) is str
                  and target in context.variables, "a compute")
            _compute(expression, target, context)
            pos(where, context.files)
            continue
        kind, target, value, where = _tuple(effect, "an effect", 4)
        pos(where, context.files)
        items = context.items.get(target) if type(target) is str else None
        if items is not None:  # a list's set, add or remove: its names
            _need(kind in ("set", "add", "remove"), "a list's effect")
            _held(value, items, "a list's names")
            continue
        _value(value, "an effect's value")
        if kind == "unlock":
            _need(target in context.facts and value is True, "an unlock")
            continue
        want = context.variables.get(target) if type(target) is str else None
        got = type(value)
        if kind == "set":
            _need(want is not None and got is want, "a set")
        else:
            _need(kind == "add" and want in (int, float) and got in (int, float)
                  and not (want is int and got is float), "an add")


def _condition(data: object, context: Context, compute: str | None = None) -> None:
    """A condition's record; `compute`: it is the expression computing that variable (so
    random() is allowed, and its result must fit the variable, as the loader requires)."""
    if data is None:
        return
    from game.story import expr  # conditions exist: a game is starting

    source, node_data, where = _tuple(data, "a condition", 3)
    _str(source, "a condition's source")
    pos(where, context.files)
    seen = (source,) if compute is None else (source, compute)
    if seen in context.conditions:  # the decoder builds one node per source, from the first
        return
    node = tree(node_data, expr)
    problems = expr.check(node, variables=context.variables, scenes=context.scenes,
                          facts=context.facts, items=context.items,
                          want_bool=compute is None, allow_random=compute is not None)
    _need(not problems, "a condition that does not check")
    if compute is not None:
        want, got = context.variables[compute], expr.result_kind(node, context.variables)
        _need(want is not tuple and got == {bool: "bool", str: "str", int: "whole"}.get(
            want, got) and (want is not float or got in ("whole", "decimal")),
              "a compute's result")
    context.conditions.add(seen)


def _compute(data: object, target: str, context: Context) -> None:
    _need(data is not None, "a compute's expression")
    _condition(data, context, target)


def tree(data: object, expr: Any) -> Node:
    """A condition tree from its records (`cachecodec.encode` writes them bottom up: each node
    after its children, which it takes from the top of a stack), each record's shape
    checked; depth-bounded. The decoder builds its trees with this too."""
    stack: list[tuple[Node, int]] = []  # a tree, and how many levels deep it is
    for item in _tuple(data, "a condition"):
        record = _tuple(item, "a condition node")
        _need(record, "a condition node")
        kind = record[0]
        if kind == 0 and len(record) == 3:
            _value(record[1], "a literal")
            built: Node = expr.Literal(record[1], _int(record[2], "an offset"))
            depth = 1
        elif kind == 1 and len(record) == 3:
            built, depth = expr.Var(_str(record[1], "a name"), _int(record[2], "an offset")), 1
        elif kind == 2 and len(record) == 5:
            built = expr.Call(_str(record[1], "a call"), _str(record[2], "a call"),
                              _int(record[3], "an offset"), _int(record[4], "an offset"))
            depth = 1
        elif kind == 3 and len(record) == 3:
            _need(record[1] in _UNARY and stack, "an operator")
            operand, below = stack.pop()
            built = expr.Unary(record[1], operand, _int(record[2], "an offset"))
            depth = below + 1
        elif kind == 4 and len(record) == 3:
            _need(record[1] in _BINARY and len(stack) >= 2, "an operator")
            (left, left_depth), (right, right_depth) = stack[-2], stack[-1]
            del stack[-2:]
            built = expr.Binary(record[1], left, right, _int(record[2], "an offset"))
            depth = max(left_depth, right_depth) + 1
        elif kind == 5 and len(record) == 4:
            params = expr.MATH.get(record[1])
            count = _int(record[2], "a count")
            _need(params is not None and count == len(params) and len(stack) >= count,
                  "a function")
            args = stack[len(stack) - count:]
            del stack[len(stack) - count:]
            built = expr.Apply(record[1], tuple(a for a, _ in args),
                               _int(record[3], "an offset"))
            depth = max(d for _, d in args) + 1
        else:
            raise Malformed("a condition node")
        _need(depth <= MAX_NODE_DEPTH, "a condition nested too deeply")
        stack.append((built, depth))
    _need(len(stack) == 1, "a condition")
    return stack[0][0]


