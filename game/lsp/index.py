"""Where each scene, fact, variable and ending of a story is defined and used, file by file.

Built from each file's composed YAML (node trees with marks, as the loader reads them), not
from the loaded `Story`: a story with errors has no `Story`, and a story with errors is what
an author has open while typing. Each file is indexed on its own, so an edit re-indexes one
file, and a file whose YAML does not parse right now keeps its last good index (completion
keeps working in the middle of a half-typed line).

The walk is driven by the key tables of `game.story.schema` (which keys exist, and what kind
of value each holds); `REFERENCES` adds the one thing the tables do not say: which id-valued
keys name a scene, a fact or an ending. Positions are 0-based lines and columns, as the
Language Server Protocol counts them.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml

from game.story import expr, schema, variations, yamlsrc
from game.story.names import HOLE, IDENT

_TEXT_CONDITION = re.compile(r"\{\?([^|{}\n]*)\|")
"""The condition of a `{?COND|..}` text variation (format v2), up to its first `|`."""

Kind = Literal["scene", "fact", "variable", "ending"]

REFERENCES: dict[tuple[str, str], Kind] = {
    ("story", "start"): "scene",
    ("scene", "next"): "scene",
    ("choice", "goto"): "scene",
    ("choice", "call"): "scene",
    ("choice", "then"): "scene",
    ("expect", "scene"): "scene",
    ("expect", "ending"): "ending",
    ("effect", "unlock"): "fact",
    ("expect", "facts"): "fact",
}
"""(table, key) -> what the id (or list of ids) written there names."""

DEFINED_IN: dict[str, Kind] = {"scenes": "scene", "facts": "fact", "variables": "variable"}
"""Top-level sections whose keys define names."""

ITEM_TABLE = {"choices": "choice", "effects": "effect", "paragraphs": "paragraph",
              "steps": "step"}
"""Key kinds that hold a list whose mapping items are read with this table."""
VALUE_TABLE = {"ending": "ending", "expect": "expect", "story": "story"}
"""Key kinds that hold one mapping read with this table."""
NAMED_VALUE = {"values", "numbers"}
"""Key kinds that hold a mapping from variable names to values."""


@dataclass(frozen=True, slots=True)
class Span:
    """One stretch of one line of a file: 0-based line, start and end (exclusive) columns."""

    path: Path
    line: int
    start: int
    end: int

    def holds(self, line: int, col: int) -> bool:
        """True when the cursor is on it, including just after its last character."""
        return self.line == line and self.start <= col <= self.end


@dataclass(frozen=True, slots=True)
class Occurrence:
    """A name written somewhere: where it is defined, or a place that uses it."""

    kind: Kind
    name: str
    span: Span
    definition: bool
    scene: str | None
    """The scene it is written in (None outside scenes), for "scenes that lead here"."""
    role: str
    """The key it is written under (`goto`, `next`, `if`, `unlock`, `text`...)."""


@dataclass(frozen=True, slots=True)
class Outline:
    """An entry of the file's outline: a scene, fact, variable, playthrough or the story."""

    kind: Literal["story", "scene", "fact", "variable", "playthrough"]
    name: str
    selection: Span
    """The name itself."""
    first: tuple[int, int]
    last: tuple[int, int]
    """Where the whole entry starts and ends (0-based line and column)."""
    detail: str


@dataclass(slots=True)
class FileIndex:
    """What one file defines and uses."""

    path: Path
    occurrences: dict[int, list[Occurrence]] = field(default_factory=dict)
    """By line, for the lookup under the cursor."""
    by_name: dict[tuple[Kind, str], list[Occurrence]] = field(default_factory=dict)
    outline: list[Outline] = field(default_factory=list)
    defined: dict[Kind, dict[str, dict[str, str]]] = field(default_factory=lambda: {
        "scene": {}, "fact": {}, "variable": {}, "ending": {}})
    """What hover shows about each definition in this file (title, text, default...), by
    kind and name."""

    def add(self, occurrence: Occurrence) -> None:
        self.occurrences.setdefault(occurrence.span.line, []).append(occurrence)
        self.by_name.setdefault((occurrence.kind, occurrence.name), []).append(occurrence)


class _Walker:
    """One file's node tree -> its FileIndex."""

    def __init__(self, path: Path, text: str) -> None:
        self.text = text
        self.index = FileIndex(path)
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]
        self.scene: str | None = None

    def at(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line, offset - self.starts[line]

    def note(self, kind: Kind, name: str, offset: int, role: str,
             definition: bool = False) -> None:
        line, col = self.at(offset)
        span = Span(self.index.path, line, col, col + len(name))
        self.index.add(Occurrence(kind, name, span, definition, self.scene, role))

    def scalar_start(self, node: yaml.ScalarNode) -> int:
        """The offset in the file of the first character of the scalar's value."""
        start = int(node.start_mark.index)
        style = node.style
        if style in ("'", '"'):
            return start + 1
        if style in ("|", ">"):
            newline = self.text.find("\n", start)
            if newline < 0:
                return start
            first = newline + 1
            while first < len(self.text) and self.text[first] == " ":
                first += 1
            return first
        return start

    # -- the tables ----------------------------------------------------------------------

    def table(self, node: yaml.Node, name: str) -> None:
        if not isinstance(node, yaml.MappingNode):
            return
        keys = schema.TABLES[name]
        for key_node, value in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value in keys:
                self.value(name, keys[key_node.value], value)

    def value(self, table: str, key: schema.Key, node: yaml.Node) -> None:
        refers = REFERENCES.get((table, key.name))
        if refers is not None:
            self.ids(refers, node, key.name)
        elif (table, key.name) == ("ending", "id"):
            self.ids("ending", node, "ending", definition=True)
        elif key.kind == "named":
            self.section(key.name, node)
        elif key.kind in VALUE_TABLE:
            self.table(node, VALUE_TABLE[key.kind])
        elif key.kind in ITEM_TABLE:
            self.items(node, ITEM_TABLE[key.kind], key.name)
        elif key.kind == "condition":
            self.condition(node, key.name)
        elif key.kind == "template":
            self.template(node, key.name)
        elif key.kind in NAMED_VALUE or (table == "effect" and isinstance(node, yaml.MappingNode)):
            self.assigned(node, key.name)
        if (table, key.name) == ("scene", "ending") and isinstance(node, yaml.MappingNode):
            self.ending_details(node)

    def items(self, node: yaml.Node, table: str, role: str) -> None:
        if not isinstance(node, yaml.SequenceNode):
            if table == "paragraph":
                self.template(node, role)
            return
        for item in node.value:
            if isinstance(item, yaml.MappingNode):
                self.table(item, table)
            elif table == "paragraph":
                self.template(item, role)

    def ids(self, kind: Kind, node: yaml.Node, role: str, definition: bool = False) -> None:
        nodes = node.value if isinstance(node, yaml.SequenceNode) else [node]
        for item in nodes:
            if isinstance(item, yaml.ScalarNode) and IDENT.match(str(item.value)):
                self.note(kind, str(item.value), self.scalar_start(item), role, definition)

    def assigned(self, node: yaml.Node, role: str) -> None:
        """`set: {name: value}` and friends: the keys are variables; `compute` values are
        expressions."""
        if not isinstance(node, yaml.MappingNode):
            return
        for key_node, value in node.value:
            if isinstance(key_node, yaml.ScalarNode) and IDENT.match(str(key_node.value)):
                self.note("variable", str(key_node.value), self.scalar_start(key_node), role)
            if role == "compute":
                self.condition(value, role)

    def condition(self, node: yaml.Node, role: str) -> None:
        if not isinstance(node, yaml.ScalarNode) or node.tag != yamlsrc.STR:
            return
        self.expression(str(node.value), self.scalar_start(node), role)

    def expression(self, source: str, base: int, role: str) -> None:
        """The names in a condition written at offset `base` of the file."""
        try:
            tree = expr.parse(source)
        except expr.ExprError:
            return  # the checker reports it; nothing to index until it parses
        for ref in expr.references(tree):
            self.note(ref.kind, ref.name, base + ref.offset, role)

    def template(self, node: yaml.Node, role: str) -> None:
        """`{name}` holes, found in the file's own text so that any scalar style maps back."""
        if not isinstance(node, yaml.ScalarNode):
            return
        start, end = int(node.start_mark.index), int(node.end_mark.index)
        for match in HOLE.finditer(self.text, start, end):
            inner = match.group(1)
            if inner is None or not IDENT.match(inner.strip()):
                continue
            name = inner.strip()
            self.note("variable", name, match.start(1) + inner.index(name), role)
        raw = self.text[start:end]
        if "{?" in raw:  # format v2's {?COND|yes|no}: the names in each COND
            for source, offset in _text_conditions(raw):
                self.expression(source, start + offset, role)

    # -- the named sections --------------------------------------------------------------

    def top(self, node: yaml.Node) -> None:
        if not isinstance(node, yaml.MappingNode):
            return
        for key_node, value in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.value not in schema.TOP:
                continue
            if key_node.value == "story":
                self.outline("story", "story", key_node, value, self.story_detail(value))
            self.value("top", schema.TOP[key_node.value], value)

    def section(self, section: str, node: yaml.Node) -> None:
        if not isinstance(node, yaml.MappingNode):
            return
        kind = DEFINED_IN.get(section)
        entry_table = schema.TOP[section].of
        for key_node, value in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or not IDENT.match(str(key_node.value)):
                continue
            name = str(key_node.value)
            details = self.details_of(section, name, value)
            if kind is not None:
                self.scene = name if kind == "scene" else None
                self.note(kind, name, self.scalar_start(key_node), section, definition=True)
                self.index.defined[kind][name] = details
            if section == "playthroughs":
                self.outline("playthrough", name, key_node, value, details.get("description", ""))
            elif kind is not None and kind != "ending":
                self.outline(kind, name, key_node, value, details.get("title", ""))
            if entry_table in schema.TABLES:
                self.table(value, entry_table)
            self.scene = None

    def outline(self, kind: Literal["story", "scene", "fact", "variable", "playthrough"],
                name: str, key_node: yaml.Node, value: yaml.Node, detail: str) -> None:
        first = self.at(int(key_node.start_mark.index))
        last = self.at(int(value.end_mark.index))
        selection = Span(self.index.path, first[0], first[1], first[1] + len(name))
        self.index.outline.append(Outline(kind, name, selection, first, last, detail))

    # -- what hover shows ----------------------------------------------------------------

    def details_of(self, section: str, name: str, node: yaml.Node) -> dict[str, str]:
        if section == "variables":
            return variable_details(node)
        out = dict(_scalars(node))
        if section == "scenes":
            out["first_line"] = _first_line(node)
        return out

    def story_detail(self, node: yaml.Node) -> str:
        return dict(_scalars(node)).get("title", "")

    def ending_details(self, node: yaml.MappingNode) -> None:
        fields = dict(_scalars(node))
        if "id" in fields and IDENT.match(fields["id"]):
            fields["scene"] = self.scene or ""
            self.index.defined["ending"][fields["id"]] = fields


class _AnyName:
    """Every name counts as declared: the index wants the conditions, not the checks."""

    def __contains__(self, name: object) -> bool:
        return True


def _text_conditions(text: str) -> list[tuple[str, int]]:
    """Each `{?COND|..}` condition of a text with its offset, as the one template parser
    (`game.story.variations`) reads them."""
    found: list[tuple[str, int]] = []

    def condition(source: str, offset: int) -> None:
        found.append((source, offset))
        return None  # nothing is compiled here

    variations.parse(text, _AnyName(), [], condition)
    return found


def _scalars(node: yaml.Node) -> Iterator[tuple[str, str]]:
    """A mapping's plain scalar entries as text (titles, sources...)."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            if isinstance(key_node, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode):
                yield str(key_node.value), str(value.value)


def _first_line(scene: yaml.Node) -> str:
    """The first line of a scene's text (of its first paragraph, when it has a list)."""
    if not isinstance(scene, yaml.MappingNode):
        return ""
    for key_node, value in scene.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == "text":
            node = value
            while isinstance(node, yaml.SequenceNode) and node.value:
                node = node.value[0]
            if isinstance(node, yaml.MappingNode):
                return dict(_scalars(node)).get("text", "").strip().split("\n")[0]
            if isinstance(node, yaml.ScalarNode):
                return str(node.value).strip().split("\n")[0]
    return ""


_KIND_WORDS = {yamlsrc.INT: "number (whole)", yamlsrc.FLOAT: "number (decimal)",
               yamlsrc.BOOL: "true/false", yamlsrc.STR: "text"}


def variable_details(node: yaml.Node) -> dict[str, str]:
    """A variable's type, default and any bounds or items, as written (v1 or v2 form)."""
    if isinstance(node, yaml.ScalarNode):
        return {"type": _KIND_WORDS.get(node.tag, "?"), "default": str(node.value)}
    if not isinstance(node, yaml.MappingNode):
        return {"type": "?"}
    out: dict[str, str] = {}
    for key_node, value in node.value:
        key = str(getattr(key_node, "value", ""))
        if isinstance(value, yaml.ScalarNode):
            out[key] = str(value.value)
            if key == "default":
                out["type"] = _KIND_WORDS.get(value.tag, "?")
        elif isinstance(value, yaml.SequenceNode):
            out[key] = "[" + ", ".join(str(getattr(v, "value", "?")) for v in value.value) + "]"
            if key in ("default", "items"):
                out["type"] = "list"
    return out


def index_text(path: Path, text: str) -> FileIndex | None:
    """The file's index, or None when its YAML does not compose (keep the last good one)."""
    problems: list[str] = []

    def report(_: object, message: str, *_code: object) -> None:
        problems.append(message)

    node = yamlsrc.compose(text, str(path), report)
    walker = _Walker(path, text)
    if node is None:
        return None if problems else walker.index  # None without problems: only comments
    walker.top(node)
    return walker.index
