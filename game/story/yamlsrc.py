"""Reading author YAML safely: node trees with line marks, and nothing else.

We only ever *compose* YAML (text -> node tree); we never *construct* Python objects from it,
so no tag can make us run code, and every value we later read still knows its line and
column. Hostile input is stopped before it reaches libyaml: an oversized file, bytes that are
not UTF-8, and nesting deep enough to overflow libyaml's recursive composer (a segfault, not
an exception) are all refused with a positioned message. Aliases are safe because the loader
never expands them: it reads each aliased node in place, so a "billion laughs" costs what its
text costs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from game import safeio
from game.printable import first_unsafe
from game.story import codes
from game.story.codes import Code
from game.story.folder import MAX_FILE_BYTES
from game.story.model import Pos, Value

try:  # libyaml is ~17x faster; the pure-Python loader gives the same nodes and marks.
    from yaml import CSafeLoader as _CSafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    _CSafeLoader = None  # type: ignore[assignment,misc]

MAX_DEPTH = 1000
"""Scenes nest about six levels; libyaml's composer crashes somewhere past 20,000."""

Report = Callable[[Pos, str, Code], None]
"""Where a problem goes: its place, its message and its code (`game.story.codes`)."""

_TAG = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL = (_TAG + t for t in ("str", "int", "float", "bool", "null"))
MAP, SEQ, TIMESTAMP, MERGE = (_TAG + t for t in ("map", "seq", "timestamp", "merge"))
PLAIN_SCALARS = frozenset((STR, INT, FLOAT, BOOL, TIMESTAMP))
"""Tags an author's text can resolve to implicitly; anything else was written on purpose."""

_constructor = SafeConstructor()
_IMPLICIT = {first: tuple(resolvers) for first, resolvers
             in yaml.resolver.Resolver.yaml_implicit_resolvers.items()}
_ScalarNode, _SequenceNode = yaml.ScalarNode, yaml.SequenceNode
_RESOLVED: dict[str, str] = {}


def _resolve(self: object, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
    """Resolver.resolve for loaders without path resolvers, in a third of the time.

    The composer calls this once per node, which made it a tenth of the whole load. Same
    YAML 1.1 rules, same table (copied from PyYAML's Resolver when this module loads).
    Plain scalars repeat a lot (every key, every id), so short ones are remembered.
    """
    if kind is _ScalarNode:
        if implicit[0]:
            tag = _RESOLVED.get(value)
            if tag is None:
                tag = STR
                for candidate, regexp in _IMPLICIT.get(value[:1], ()):
                    if regexp.match(value):
                        tag = candidate
                        break
                if len(value) <= 40 and len(_RESOLVED) < 65536:
                    _RESOLVED[value] = tag
            return tag
        return STR
    return SEQ if kind is _SequenceNode else MAP


class _FastResolve:
    """Mixed in before PyYAML's resolver; path resolvers are never registered, so the
    per-node descend/ascend hooks have nothing to do. The composer calls each once per
    node (~800,000 calls for a 10,000-scene story), so they are built-in callables that
    do nothing, not Python methods: a built-in is not a descriptor, so `self.hook` is the
    callable itself, and a call costs a fraction of a Python frame's (`{}.get(parent,
    index)` answers `index`, which the composer ignores; `[].clear()` answers None)."""

    resolve = _resolve
    if not TYPE_CHECKING:  # (typed as BaseResolver's methods, which they stand in for)
        descend_resolver = {}.get
        ascend_resolver = [].clear


class PyLoader(_FastResolve, yaml.SafeLoader):
    """The pure-Python safe loader with the fast resolver: the fallback without libyaml."""


CLoader: type | None = None
"""libyaml's safe loader with the fast resolver, or None when PyYAML was built without it."""
if _CSafeLoader is not None:
    class _CLoader(_FastResolve, _CSafeLoader):
        pass

    CLoader = _CLoader

LOADER: type = CLoader or PyLoader
"""The loader class in use; benchmarks and tests swap it (e.g. to PyLoader) to compare."""
_DEEP_INDENT = re.compile(rf"^ {{{MAX_DEPTH}}}", re.MULTILINE)
_COMPACT_RUN = re.compile(rf"^[ \t]*(?:[-?][ \t]+){{{MAX_DEPTH}}}", re.MULTILINE)
_INDENT_RUN = " " * MAX_DEPTH
_UNIT_PAIR = re.compile(r"[-?][ \t]+[-?][ \t]")  # a compact run holds MAX_DEPTH '-'/'?'
_OPENS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSES = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def tag_name(tag: str) -> str:
    """`!!python/tuple`, as the author wrote it, rather than the resolved URI."""
    return tag.replace(_TAG, "!!")


def pos_of(node: yaml.Node, file: str) -> Pos:
    mark = node.start_mark
    return Pos(file, mark.line + 1, mark.column + 1)


def read_text(path: Path, file: str, report: Report) -> str | None:
    """The file as text, or None after reporting why it cannot be read as a story file."""
    try:
        size = safeio.check_regular(path).st_size  # a FIFO, a device, a socket: refused
        if size > MAX_FILE_BYTES:
            report(Pos(file, 1, 1), f"file is {size / 2**20:.0f} MiB; story files are limited "
                   f"to {MAX_FILE_BYTES // 2**20} MiB each (split it into several files)",
                   codes.TOO_LARGE)
            return None
        data = safeio.read_limited(path, MAX_FILE_BYTES)
    except OSError as exc:
        report(Pos(file, 1, 1), f"cannot read file: {exc.strerror or exc}", codes.UNREADABLE)
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        report(Pos(file, line, col), f"not UTF-8 text (byte 0x{data[exc.start]:02x}); "
               "save the file as UTF-8", codes.NOT_UTF8)
        return None
    return text


_NOT_MARKS = bytes(c for c in range(256) if c not in b"[{-?")
"""Every byte but `[`, `{`, `-` and `?` (`nesting_marks`)."""


def nesting_marks(text: str) -> tuple[int, int]:
    """How many `[` and `{` the text holds, and how many `-` and `?`: what `_too_deep`
    asks of every file. One pass of `bytes.translate` dropping every other byte (these four
    are ASCII, and no byte of a longer UTF-8 sequence is ASCII), then counts over the few
    left: half the time of four `str.count` scans, which were ~2% of the cold check's
    instructions. `surrogatepass`: an editor's buffer may hold a lone surrogate."""
    marks = text.encode("utf-8", "surrogatepass").translate(None, _NOT_MARKS)
    return marks.count(b"[") + marks.count(b"{"), marks.count(b"-") + marks.count(b"?")


def _too_deep(text: str, file: str, report: Report) -> bool:
    """Refuse nesting that would crash libyaml; cheap enough to run on every file.

    Only structure counts: a `[` in quoted or block text, or in a comment, nests nothing.
    Nesting that deep needs one of three things, each found at C speed (~1 ms per 10 MB):
    a thousand `[`/`{` in the file, a line indented a thousand spaces, or a thousand `- `
    on one line. Ordinary files have none, and pay nothing more. A file with one is
    parsed into events (libyaml's parser keeps its own stack, so any depth is safe there;
    only the composer recurses), counting collections as they open, and refused as soon
    as the count reaches the limit: a megabyte of `[` is refused after a thousand
    characters, a megabyte of `[` inside a block scalar is one event.
    """
    openers, dashes = nesting_marks(text)
    if (openers < MAX_DEPTH and _INDENT_RUN not in text and not (
            dashes >= MAX_DEPTH and _UNIT_PAIR.search(text) and _COMPACT_RUN.search(text))):
        return False
    parser = LOADER(text)
    depth = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, _OPENS):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    break
            elif isinstance(event, _CLOSES):
                depth -= 1
        else:
            return False
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" not in str(exc.problem):
            return False  # a syntax error before that depth: `compose` stops at it too
        mark = exc.problem_mark  # libyaml 0.2.6 and later refuse past 1000 levels too
    finally:
        parser.dispose()
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    report(Pos(file, line, col), f"nested more than {MAX_DEPTH} levels deep", codes.TOO_DEEP)
    return True


_HINTS = (
    ("tab", "a tab is used for indentation; YAML allows only spaces there"),
    ("alias", "text that starts with '*' or '&' must be quoted (YAML reads *name as an "
              "alias): quote it or use a | block"),
    ("mapping values are not allowed", "unquoted text may not contain ': ' (quote the text), "
                                       "or this line is indented wrongly"),
    ("cannot start any token", "text that starts with @, ` or % must be quoted"),
    ("expected '-' indicator", "this line's indentation does not match the list above it"),
    ("expected <block end>", "this line's indentation does not match the lines above it"),
    ("could not find expected ':'", "a key is missing its ':' (or a quote is not closed)"),
    ("did not find expected key", "this line's indentation does not match the lines above it"),
    ("quoted scalar", "a quoted text is never closed: add the closing quote"),
)


_QUOTED_THEN_MORE = re.compile(r""":[ \t]+("[^"\n]*"|'[^'\n]*')[ \t]+\Z""")
"""`if: "script" in pockets`: a quoted scalar with more text after it, up to where YAML
stopped (a condition that starts with a quoted name, format v2's lists)."""


def _explain(problem: str) -> str:
    """libyaml says what it saw; authors want to know what to do. Add that when we can."""
    for needle, hint in _HINTS:
        if needle in problem:
            return f"; {hint}"
    return ""


def compose(text: str, file: str, report: Report) -> yaml.Node | None:
    """One YAML document as a node tree, or None after reporting the syntax error."""
    if _too_deep(text, file, report):
        return None
    try:
        node: yaml.Node | None = yaml.compose(text, Loader=LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        context = exc.context_mark
        if exc.context and exc.problem and context is not None:
            # libyaml often notices an unclosed bracket lines later: say where it opened.
            problem = (f"{exc.problem} ({exc.context} that starts at line "
                       f"{context.line + 1}, column {context.column + 1})")
        elif exc.context and exc.problem:
            problem = f"{exc.problem} ({exc.context})"
        at = mark.index if mark is not None and 0 <= mark.index < len(text) else -1
        hint = _explain("tab" if at >= 0 and text[at] == "\t" else f"{exc.problem} {exc.context}")
        if at >= 0 and _QUOTED_THEN_MORE.search(text, text.rfind("\n", 0, at) + 1, at):
            hint = ("; a value that starts with a quote ends at its closing quote: quote the "
                    "whole value, e.g. if: '\"script\" in pockets'")
        report(Pos(file, line, col), f"YAML syntax: {problem}{hint}", codes.YAML_SYNTAX)
        return None
    except yaml.reader.ReaderError as exc:
        offset = max(exc.position, 0)
        line = text.count("\n", 0, offset) + 1
        col = offset - (text.rfind("\n", 0, offset) + 1) + 1
        char = exc.character
        code = char if isinstance(char, int) else ord(char) if char else 0
        report(Pos(file, line, col), f"YAML syntax: control character U+{code:04X} is not "
               "allowed in YAML (is this a binary file?)", codes.YAML_CONTROL)
        return None
    except yaml.YAMLError as exc:  # pragma: no cover - every PyYAML error above has a mark
        report(Pos(file, 1, 1), f"YAML: {exc}", codes.YAML_SYNTAX)
        return None
    except RecursionError:  # the pure-Python composer on deep but not crash-deep input
        report(Pos(file, 1, 1), "nested too deeply to read", codes.TOO_DEEP)
        return None
    if node is not None and may_hold_controls(text):
        _refuse_controls(node, file, report)
    return node


_CONTROLS_BEYOND_ASCII = re.compile("[\x85\u202a-\u202e\u2066-\u2069]")


def may_hold_controls(text: str) -> bool:
    """Whether a control character in a value can come from this file's text: an escape in
    a double-quoted scalar (YAML refuses raw controls, but "\\e[31m" is ESC [ 3 1 m), or a
    raw NEL or bidi control. A file with none of these skips the walk below (most files).
    Asked as a backslash search and `isascii()` (a flag CPython keeps on every string)
    before any regex: a regex scan of the 10k story's 9 MB was ~2% of its cold load."""
    return "\\" in text or (not text.isascii()
                             and _CONTROLS_BEYOND_ASCII.search(text) is not None)


def _refuse_controls(root: yaml.Node, file: str, report: Report) -> None:
    """Report every value holding a character a terminal would obey (ESC, CSI, a bidi
    override...): text from a story file is shown to players, never sent as commands."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            char = first_unsafe(node.value)
            if char is not None:
                report(pos_of(node, file), f"this text holds the control character {char}, "
                       "which a terminal would obey instead of showing; remove it",
                       codes.CONTROL_IN_TEXT)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(item for pair in node.value for item in pair)


_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_POINT_DECIMAL = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)\Z")
_BOOLS = SafeConstructor.bool_values


def quick_scalar(node: yaml.ScalarNode) -> Value | None:
    """`scalar` for the everyday spellings (`12`, `-1`, `true`, `no`, `0.5`, text), without
    the constructor's general machinery; None means: ask `scalar`, it may have to report."""
    tag = node.tag
    value = node.value
    if tag == STR:
        return str(value)
    if tag == INT:
        return int(value) if _DECIMAL.match(value) else None
    if tag == BOOL:
        return _BOOLS.get(value.lower())
    if tag == FLOAT and _POINT_DECIMAL.match(value):
        return float(value)
    return None


def scalar(node: yaml.ScalarNode, file: str, report: Report) -> Value | None:
    """A scalar's value as YAML 1.1 resolves it; unsupported tags are reported, never run.

    Returns None for null and for anything reported. Dates stay text: an author who writes
    `title: 2010-07-10` means the words, not a datetime.
    """
    tag = node.tag
    if tag in (STR, TIMESTAMP):
        return str(node.value)
    try:
        if tag == INT:
            return int(_constructor.construct_yaml_int(node))
        if tag == BOOL:
            return bool(_constructor.construct_yaml_bool(node))
        if tag == FLOAT:
            return float(_constructor.construct_yaml_float(node))
    except (ConstructorError, ValueError, KeyError) as exc:  # KeyError: `!!bool maybe`
        report(pos_of(node, file), f"cannot read {node.value!r}: {exc}", codes.BAD_SCALAR)
        return None
    if tag == NULL:
        return None
    report(pos_of(node, file), f"unsupported YAML tag {tag_name(tag)!r}; "
           "story files use plain values only", codes.YAML_TAG)
    return None
