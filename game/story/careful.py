"""The careful readers of YAML nodes: each reads one kind of value and reports every
problem with it at `file:line:col`, then lets the loader carry on.

They try the quick reader first where there is one (see `quick.py`: it only ever gives what
these would, without a word to say), so a valid story pays for the careful path only where
an author needs a message.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import yaml

from game.story import codes, schema, yamlsrc
from game.story.codes import Code
from game.story.diagnostics import Diagnostic, Related, first_defined
from game.story.model import Pos, Value
from game.story.names import IDENT, IDENT_RULE, closest
from game.story.quick import QuickReaders, refused_nodes, signature


def describe(node: yaml.Node) -> str:
    """How an author would name what they wrote, for 'must be X, not Y' messages."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    tag = node.tag
    if tag == yamlsrc.NULL:
        return "empty"
    if tag == yamlsrc.BOOL:
        return f"true/false ({node.value})"
    if tag in (yamlsrc.INT, yamlsrc.FLOAT):
        return f"the number {node.value}"
    return f"'{node.value}'"


_ODD_BREAK = re.compile("[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
"""Line breaks (YAML's, or `str.splitlines`'s) other than a plain newline."""
_ODD_ASCII_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e"
"""Those of them in ASCII (`odd_breaks`)."""


def odd_breaks(text: str) -> bool:
    """Whether the text holds a line break other than a plain newline (`_ODD_BREAK`).

    Asked of every file with a `{?COND|..}` in a block scalar; the regex's scan of a 90 kB
    file cost ~5 million instructions (the v2 benchmark story: ~4% of its cold check), so
    ASCII text (`isascii()` is a flag CPython keeps) is searched for its six breaks one
    `in` at a time (memchr), the same answer (`tests/story/test_line_text.py`)."""
    if text.isascii():
        return any(char in text for char in _ODD_ASCII_BREAKS)
    return _ODD_BREAK.search(text) is not None

_SHAPE_WORDS: dict[schema.Shape, str] = {
    "text": "text", "number": "a number", "bool": "true or false",
    "list": "a list (lines starting with '- ')", "mapping": "a mapping", "empty": "empty"}


def shape_words(kind: schema.Kind) -> str:
    """`schema.SHAPES[kind]` in an author's words: "text or a list (lines starting...)".
    Numbers and true/false count as text where text is taken (`title: 2010`)."""
    shapes = list(schema.SHAPES.get(kind, ()))
    if "text" in shapes:
        shapes = [s for s in shapes if s not in ("number", "bool")]
    return " or ".join(_SHAPE_WORDS[shape] for shape in shapes) or "something else"


def _meant(table: Mapping[str, schema.Key]) -> dict[str, tuple[str, str]]:
    """`schema.MEANT` for this table (found by identity: the tables live forever)."""
    for name, known in schema.TABLES.items():
        if known is table:
            return schema.MEANT.get(name, {})
    return {}


def not_a_name(what: str, node: yaml.Node) -> str:
    """An id written as a number, true/false (`goto: yes`) or a date."""
    return f"{what} must be a name, not {describe(node)}; quote it if it is one"


@dataclass(slots=True)
class Definition:
    """One named thing as gathered from a file: its YAML node (until it is read), where its
    name is, and the file it is in."""

    node: yaml.Node
    pos: Pos
    file: str


class CarefulReaders(QuickReaders):
    """The generic readers (mappings, lists, text, ids, flags, literals); the loader's
    state they use is declared here and set by the loader."""

    diagnostics: list[Diagnostic]
    missing: dict[Diagnostic, str]
    """The diagnostics of `report_missing`, with the name each one says is missing."""
    texts: dict[str, str]
    """Each file's text, by display path."""
    sources: dict[str, list[str] | None]
    """Lines of each file, split only when a position inside a block scalar needs them and
    the file has line breaks other than plain newlines (None: it has not; see `line_text`)."""

    # -- reporting ---------------------------------------------------------------------------

    def report(self, pos: Pos, message: str, code: Code,
               related: tuple[Related, ...] = ()) -> None:
        """Every problem goes through here, with its code from `game.story.codes`."""
        self.diagnostics.append(code.at(pos, message, related))

    def report_missing(self, pos: Pos, message: str, code: Code, name: str) -> None:
        """A name that no file read defines (a goto, an unlock, a variable in a condition).
        Kept apart: a file that could not be read may define it, and then the loader drops
        the message rather than blame a name of a file it could not see."""
        diagnostic = code.at(pos, message)
        self.diagnostics.append(diagnostic)
        self.missing[diagnostic] = name

    def inner_pos(self, node: yaml.Node, offset: int) -> Pos:
        """The position of character `offset` of a scalar's value, as near as YAML allows."""
        start = self.pos(node)
        value = node.value
        style = getattr(node, "style", None)
        if style in ("|", ">"):
            before = value[:offset]
            line = start.line + 1 + before.count("\n")
            begins = before.rfind("\n") + 1  # where the value's line begins
            text = self.line_text(node, line)
            # The block's indentation: the file line's, less what the value keeps of it
            # (a line indented deeper than the block keeps the extra spaces).
            indent = 0 if text is None else (
                len(text) - len(text.lstrip(" ")) - (len(value) - begins - len(
                    value[begins:].lstrip(" "))))
            return Pos(self.file, line, indent + offset - begins + 1)
        if "\n" in value[:offset]:
            return start
        return start.shifted(offset + (1 if style in ("'", '"') else 0))

    def line_text(self, node: yaml.Node, line: int) -> str | None:
        """Line `line` (1-based) of the file being read, `node` being on it or above it.

        Found from the node's own mark, a few lines on, not by splitting the whole file:
        every `{?COND|..}` in a block scalar asks (its condition's position), not only
        errors, and keeping each file's lines cost 20 MiB at 10,000 scenes (the v2
        benchmark story). A file holding a line break other than a plain newline (or a
        character `str.splitlines` splits at) is split as before, so the answer is the same.
        """
        text = self.texts.get(self.file, "")
        if self.file not in self.sources:  # once per file: are its breaks plain newlines?
            self.sources[self.file] = text.splitlines() if odd_breaks(text) else None
        lines = self.sources[self.file]
        mark = node.start_mark
        i = mark.index - mark.column
        if lines is not None or not (0 <= i <= len(text) and (i == 0 or text[i - 1] == "\n")):
            if lines is None:
                lines = self.sources[self.file] = text.splitlines()
            return lines[line - 1] if 0 < line <= len(lines) else None
        for _ in range(line - mark.line - 1):
            i = text.find("\n", i) + 1
            if i == 0:
                return None
        end = text.find("\n", i)
        return text[i:] if end < 0 else text[i:end]

    # -- generic readers ---------------------------------------------------------------------

    def fields(self, node: yaml.Node, table: Mapping[str, schema.Key], what: str,
               ) -> dict[str, yaml.Node] | None:
        """A mapping's known keys; reports unknown, duplicate and missing ones."""
        quick = self.quick_fields(node, table)
        return quick if quick is not None else self.careful_fields(node, table, what)

    def careful_fields(self, node: yaml.Node, table: Mapping[str, schema.Key], what: str,
                       ) -> dict[str, yaml.Node] | None:
        if not isinstance(node, yaml.MappingNode):
            self.report(self.pos(node), f"{what} must be a mapping of keys, not {describe(node)}",
                        codes.WRONG_KIND)
            return None
        out = {}
        typos: dict[str, yaml.Node] = {}
        refused = refused_nodes(table)
        misshapen = set()
        meant_values: dict[str, yaml.Node] = {}
        for name, key_node, value in self.entries(node, what):
            if name in table and signature(value) in refused[name]:
                message, code = self.wrong_shape(table[name], value, what)
                self.report(self.pos(value), message, code)
                misshapen.add(name)
                continue
            if name not in table:
                meant = _meant(table).get(name)
                close = meant[0] if meant else closest(name, table)
                hint = (f"; {meant[1]}" if meant else f"; did you mean '{close}'?" if close
                        else f" (expected one of: {', '.join(table)})")
                self.report(self.pos(key_node), f"unknown key '{name}' in {what}{hint}",
                            codes.UNKNOWN_KEY)
                if close is not None:
                    typos.setdefault(close, value)
                if meant:
                    meant_values.setdefault(meant[0], value)
                continue
            out[name] = value
        for name, value in meant_values.items():  # another table's key: read as meant
            if name not in out and signature(value) not in refused[name]:
                out[name] = value
        for key in table.values():
            if key.required and key.name not in out and key.name not in misshapen:
                if key.name in typos:
                    # Already reported as a typo: read it as meant, so that one slip of the
                    # keyboard does not cascade into "unreachable" warnings further on.
                    out[key.name] = typos[key.name]
                else:
                    self.report(self.pos(node), f"{what} is missing '{key.name}'",
                                codes.MISSING_KEY)
        one = schema.EXACTLY_ONE["choice"] if table is schema.CHOICE else ()
        if typos and not any(name in out or name in misshapen for name in one):
            # A choice's misspelt way on (`gotoo:`) is read as meant, as when goto was a
            # required key (format v1); a scene's is not: its dead end is reported.
            for name in one:
                if name in typos:
                    out[name] = typos[name]
                    break
        return out

    def wrong_shape(self, key: schema.Key, node: yaml.Node, what: str) -> tuple[str, Code]:
        """The message (and code) for a value of a shape its key does not take (see
        `schema.SHAPES`); the element readers word some kinds better (an ending, with a
        valid example)."""
        code = codes.NO_VALUE if node.tag == yamlsrc.NULL else codes.WRONG_KIND
        if key.kind == "named":
            return (f"'{key.name}' must be a mapping of ids to definitions, not "
                    f"{describe(node)}", code)
        if key.kind in ("id", "slug") and isinstance(node, yaml.ScalarNode) and (
                node.tag != yamlsrc.NULL):
            return not_a_name(f"{key.name} of {what}", node), code
        return (f"{key.name} of {what} must be {shape_words(key.kind)}, not {describe(node)}",
                code)

    def plain_tag(self, node: yaml.Node) -> bool:
        """Collections may not carry tags either (`!!set`, `!!python/tuple`, `!custom`)."""
        if node.tag in (yamlsrc.MAP, yamlsrc.SEQ):
            return True
        self.report(self.pos(node), f"unsupported YAML tag {yamlsrc.tag_name(node.tag)!r}; "
                    "story files use plain values only", codes.YAML_TAG)
        return False

    def entries(self, node: yaml.MappingNode, what: str,
                ) -> Iterator[tuple[str, yaml.Node, yaml.Node]]:
        """Key/value pairs with string keys, each name once, where YAML would put it.

        A key written twice is reported at each later copy, and the value read is the copy
        YAML keeps, the last one (in the place of the first, as a YAML mapping orders its
        keys): every follow-on message is then about what the story really holds.
        """
        if not self.plain_tag(node):
            return
        pairs: list[tuple[str, yaml.Node, yaml.Node]] = []
        first: dict[str, tuple[int, yaml.Node]] = {}  # name -> (its index in pairs, first key)
        for key_node, value in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == yamlsrc.NULL:
                self.report(self.pos(key_node), f"keys in {what} must be plain names, "
                            f"not {describe(key_node)}", codes.KEY_NOT_NAME)
                continue
            if key_node.tag == yamlsrc.MERGE:
                self.report(self.pos(key_node), "merge keys (<<) are not supported; "
                            "write the keys out", codes.MERGE_KEY)
                continue
            name = str(key_node.value)
            if name in first:
                index, first_key = first[name]
                earlier = self.pos(first_key)
                self.report(self.pos(key_node), f"duplicate key '{name}' in {what} (first at "
                            f"line {earlier.line}); YAML keeps only the last one, which is read "
                            "here", codes.DUPLICATE_KEY, first_defined(earlier))
                pairs[index] = (name, key_node, value)
                continue
            first[name] = len(pairs), key_node
            pairs.append((name, key_node, value))
        yield from pairs

    def text(self, node: yaml.Node, what: str) -> str | None:
        """Any scalar read as the author's words (`title: 2010` is the text '2010')."""
        if isinstance(node, yaml.ScalarNode) and node.tag != yamlsrc.NULL:
            if node.tag in yamlsrc.PLAIN_SCALARS:
                return str(node.value)
            yamlsrc.scalar(node, self.file, self.report)  # reports the foreign tag
            return None
        self.report(self.pos(node), f"{what} must be text, not {describe(node)}",
                    codes.WRONG_KIND)
        return None

    def ident(self, node: yaml.Node, what: str) -> str | None:
        name = self.word(node, what)
        if name is None:
            return None
        if not IDENT.match(name):
            self.report(self.pos(node), f"{what} '{name}' is not a valid id: {IDENT_RULE}",
                        codes.BAD_ID)
            return None
        return name

    def word(self, node: yaml.Node, what: str) -> str | None:
        """Text that is a name, never a number, true/false or a date (the "text" shape
        alone, as `schema.SHAPES` has it for ids): `goto: yes` is true to YAML."""
        if isinstance(node, yaml.ScalarNode) and node.tag in (yamlsrc.INT, yamlsrc.FLOAT,
                                                               yamlsrc.BOOL, yamlsrc.TIMESTAMP):
            self.report(self.pos(node), not_a_name(what, node), codes.WRONG_KIND)
            return None
        return self.text(node, what)

    def flag(self, node: yaml.Node, what: str) -> bool | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == yamlsrc.BOOL:
            return bool(yamlsrc.scalar(node, self.file, self.report))
        self.report(self.pos(node), f"{what} must be true or false, not {describe(node)}",
                    codes.WRONG_KIND)
        return None

    def literal(self, node: yaml.Node, what: str) -> Value | None:
        if isinstance(node, yaml.ScalarNode):
            if node.tag == yamlsrc.NULL:
                self.report(self.pos(node), f"{what} needs a value (a number, true/false "
                            "or text)", codes.NO_VALUE)
                return None
            return yamlsrc.scalar(node, self.file, self.report)
        self.report(self.pos(node), f"{what} must be a number, true/false or text, "
                    f"not {describe(node)}", codes.WRONG_KIND)
        return None

    def items(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        if isinstance(node, yaml.SequenceNode):
            return list(node.value) if self.plain_tag(node) else []
        self.report(self.pos(node), f"{what} must be a list (lines starting with '- '), "
                    f"not {describe(node)}", codes.WRONG_KIND)
        return []

    def ids(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node]]:
        """One id or a list of ids."""
        nodes = self.items(node, what) if isinstance(node, yaml.SequenceNode) else [node]
        out = []
        for item in nodes:
            name = self.ident(item, what)
            if name is not None:
                out.append((name, item))
        return out
