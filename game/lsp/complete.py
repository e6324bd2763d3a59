"""What to offer at the cursor: ids after the keys that name them, names inside conditions
and `{...}`, and the keys allowed at that place of the format.

The place is read from the text, not from a YAML tree: while the author types, the file is
usually not valid YAML (`goto: ` with nothing after it yet is fine, `- te` in a choices list
is not). Indentation says which mapping the cursor is in (`yaml_path`), the line up to the
cursor says what is being typed, and the key tables of `game.story.schema` say what may be
written there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from game.lsp.index import ITEM_TABLE, REFERENCES, VALUE_TABLE, Kind
from game.lsp.lookup import StoryIndex
from game.story import expr, schema

MAX_ITEMS = 500
"""Past this many matches the list is cut and marked incomplete: the editor asks again as
the author types more of the name (10,000 scene ids in one popup help nobody)."""

ItemKind = Literal["scene", "fact", "variable", "ending", "key", "function", "keyword",
                   "item"]
"""`item`: a name a list variable may hold (format v2's `{items: [...]}`)."""


@dataclass(frozen=True, slots=True)
class Item:
    label: str
    kind: ItemKind
    detail: str
    documentation: str = ""
    insert: str | None = None
    """Text to insert instead of the label (a key gets its ': ')."""


@dataclass(frozen=True, slots=True)
class Completion:
    items: tuple[Item, ...]
    incomplete: bool
    prefix: str
    """The part of the word already typed, which the items replace."""


_LINE = re.compile(r"^(?P<indent> *)(?P<dash>(?:- +)*)"
                   r"(?:(?P<key>[^\s:#'\"\[{][^:#]*?) *(?P<colon>:)(?:\s|$))?")
_WORD_BEFORE = re.compile(r"[A-Za-z0-9_]*$")
_CALL_BEFORE = re.compile(r"\b(?P<func>[A-Za-z_]\w*)\(\s*(?P<word>\w*)$")
_HOLE_BEFORE = re.compile(r"\{\s*(?P<word>\w*)$")
_TEXT_CONDITION = re.compile(r"\{\?(?P<condition>[^|{}]*)$")
"""A `{?COND|..}` variation (format v2) whose condition the cursor is in."""
_FLOW_KEY = re.compile(r"[{,]\s*(?P<word>\w*)$")
_KEY_VALUE = re.compile(r"^\s*(?:-\s+)*(?P<key>[A-Za-z_]\w*):\s*(?P<rest>.*)$")
_CONDITION_KINDS = frozenset({"condition"})
_OF_TABLE = {"declaration": "variable"}
"""A named section whose entries may be mappings of another table's name (a variable
declared as `{items: [...], default: [...]}`)."""
_ASSIGNING = frozenset({"values", "numbers", "names", "computes"})
"""Key kinds that hold a mapping from variable names to what they are given."""
_TEMPLATE_KINDS = frozenset({"template", "paragraphs", "text"})


@dataclass(frozen=True, slots=True)
class _Line:
    indent: int
    key_col: int
    item: bool
    key: str | None


def _parse_line(text: str) -> _Line | None:
    stripped = text.strip()
    if not stripped or stripped.startswith("#"):
        return None
    m = _LINE.match(text)
    assert m is not None  # the pattern matches any line
    key = m.group("key") if m.group("colon") else None
    return _Line(len(m.group("indent")), len(m.group("indent")) + len(m.group("dash")),
                 bool(m.group("dash")), key.strip() if key else None)


def yaml_path(lines: list[str], line: int, col: int) -> list[str]:
    """The keys (and `-` for list items) that lead to the cursor, outermost first.

    `["scenes", "lobby", "choices", "-"]` for a line inside a choice. Read from indentation
    alone, so it works on text that is not valid YAML yet.
    """
    here = _parse_line(lines[line][:col]) if line < len(lines) else None
    target = here.key_col if here is not None else col
    path: list[str] = []
    if here is not None and here.item:
        path.append("-")
        target = here.indent
    for number in range(line - 1, -1, -1):
        parsed = _parse_line(lines[number])
        if parsed is None:
            continue
        if parsed.item and parsed.key_col == target and path[-1:] != ["-"]:
            path.append("-")  # a sibling key of an item above: we are inside that item
            target = parsed.indent
            continue
        if parsed.key_col < target and parsed.key is not None:
            path.append(parsed.key)
            target = parsed.key_col
            if parsed.item:
                path.append("-")
                target = parsed.indent
        if target == 0:
            break
    path.reverse()
    return path


def table_at(path: list[str]) -> str | None:
    """The schema table of the mapping at this path, or None when it is not a mapping of
    known keys (inside a variables section, say)."""
    table: str | None = "top"
    steps = iter(path)
    for step in steps:
        if table is None or step == "-":
            return None
        key = schema.TABLES[table].get(step)
        if key is None:
            return None
        if key.kind == "named":
            if next(steps, None) is None:
                return None  # the cursor is where a new name goes
            table = _OF_TABLE.get(key.of, key.of) if key.of else None
            table = table if table in schema.TABLES else None
        elif key.kind in VALUE_TABLE:
            table = VALUE_TABLE[key.kind]
        elif key.kind in ITEM_TABLE:
            if next(steps, None) != "-":
                return None
            table = ITEM_TABLE[key.kind]
        else:
            return None
    return table


@dataclass(frozen=True, slots=True)
class _Flow:
    """Where the cursor is inside `{...}` / `[...]` written on its line (flow style)."""

    steps: list[str]
    """The keys and list items (`-`) from the line's block mapping to the innermost
    container: `effects: [{unlock: ` gives `["effects", "-"]`."""
    inner: str
    """The innermost container: `{` or `[`."""
    key: str | None
    """The key whose value is being typed in a `{...}`; None while typing a key or an item."""
    rest: str
    """The value (or item) typed so far."""
    taken: frozenset[str]
    """The keys written already in the innermost `{...}`."""


def _flow(before: str) -> _Flow | None:
    """Read the line up to the cursor as YAML flow collections; None when the cursor is not
    inside one (or is in a comment). Quoted text is skipped; an unclosed quote is the value
    being typed (a condition in quotes, say)."""
    steps: list[str] = []
    frames: list[tuple[str, int, set[str]]] = []  # bracket, len(steps) before it, keys
    key: str | None = None
    start = 0  # where the current word or value began
    i, n = 0, len(before)
    while i < n:
        c = before[i]
        if c in "'\"":
            end = _closing_quote(before, i)
            if end < 0:
                break  # the cursor is inside the quotes
            i = end + 1
            continue
        if c == "#" and (i == 0 or before[i - 1] in " \t"):
            return None
        if c in "{[":
            if key is not None:
                steps.append(key)
            frames.append((c, len(steps), set()))
            if c == "[":
                steps.append("-")
            key, start = None, i + 1
        elif c in "}]" and frames:
            del steps[frames.pop()[1]:]
            key, start = None, i + 1
        elif c == ",":
            key, start = None, i + 1
        elif c == ":" and (i + 1 == n or before[i + 1] in " \t") and key is None:
            word = before[start:i].strip().lstrip("-").strip()
            if re.fullmatch(r"[A-Za-z_]\w*", word):
                key, start = word, i + 1
                if frames:
                    frames[-1][2].add(word)
        i += 1
    if not frames:
        return None
    inner = frames[-1][0]
    return _Flow(steps, inner, key, before[start:].lstrip(), frozenset(frames[-1][2]))


_BLOCK_START = re.compile(r"(?:^|:|-)\s*[|>][-+0-9]*\s*(?:#.*)?$")


def _in_block_scalar(lines: list[str], line: int) -> bool:
    """Is this line part of a `|` or `>` block (text, not YAML structure)? The nearest line
    above that is indented less says."""
    text = lines[line] if line < len(lines) else ""
    indent = len(text) - len(text.lstrip(" "))
    if not text.strip():
        indent = 10**6  # an empty line: whatever is above decides
    for number in range(line - 1, -1, -1):
        above = lines[number]
        if not above.strip():
            continue
        if len(above) - len(above.lstrip(" ")) < indent:
            return _BLOCK_START.search(above.rstrip()) is not None
    return False


def _closing_quote(text: str, at: int) -> int:
    """Index of the quote that closes the one at `at`, or -1 (YAML: '' escapes a single
    quote, a backslash escapes in double quotes)."""
    quote, i = text[at], at + 1
    while i < len(text):
        if quote == '"' and text[i] == "\\":
            i += 2
            continue
        if text[i] == quote:
            if quote == "'" and text[i + 1:i + 2] == "'":
                i += 2
                continue
            return i
        i += 1
    return -1


def complete(index: StoryIndex, lines: list[str], line: int, col: int) -> Completion:
    """Everything that may be written at the cursor, best first."""
    before = lines[line][:col] if line < len(lines) else ""
    prefix = _WORD_BEFORE.search(before)
    word = prefix.group(0) if prefix else ""
    after = lines[line][col:] if line < len(lines) else ""
    if _in_block_scalar(lines, line):  # a line of `text: |`: only what braces hold
        return _in_text(index, before, word, after) or Completion((), False, word)
    path = yaml_path(lines, line, col)
    flow = _flow(before)
    if flow is not None:
        return _in_flow(index, path, flow, word, after)
    table = table_at(path)
    m = _KEY_VALUE.match(before)
    if m is None:
        if table is not None and re.fullmatch(r"\s*(?:-\s+)*\w*", before):
            return _keys(table, _siblings(lines, line), word)
        if path[-1:] == ["-"] and re.fullmatch(r"\s*-\s+\w*", before):
            return _in_list(index, path, table_at(path[:-2]), word)
        return _in_text(index, before, word, after) or Completion((), False, word)
    key = m.group("key")
    if path and _assigns(table_at(path[:-1]), path[-1]):  # `add:` then `pockets: scr`
        return _assigned(index, path[-1], key, m.group("rest"), word, after)
    return _value(index, table, key, m.group("rest"), word, after)


def _in_text(index: StoryIndex, before: str, word: str, after: str) -> Completion | None:
    """In shown text: a `{?COND|..}` condition, or a `{name}` hole (None: neither)."""
    inline = _TEXT_CONDITION.search(before)
    if inline is not None:
        return _expression(index, inline.group("condition"), word, after, yaml=False)
    hole = _HOLE_BEFORE.search(before)
    if hole is not None and "}" not in before[hole.start():]:
        return _names(index, "variable", word)
    return None


def _value(index: StoryIndex, table: str | None, key: str, rest: str,
           word: str, after: str = "") -> Completion:
    """The value of `key` in a mapping of `table`, typed so far (`rest`)."""
    kind_of = _key_kind(table, key)
    refers = REFERENCES.get((table or "", key))
    if refers is not None:
        return _names(index, refers, word)
    if _assigns(table, key) and _FLOW_KEY.search(rest):
        return _names(index, "variable", word)
    if kind_of in _CONDITION_KINDS or key == "compute":
        return _expression(index, rest, word, after)
    if kind_of in _TEMPLATE_KINDS or key == "text":
        return _in_text(index, rest, word, after) or Completion((), False, word)
    return Completion((), False, word)


def _assigns(table: str | None, key: str) -> bool:
    """Does this key hold a mapping from variable names to values (`set: {courage: 1}`)?"""
    return _key_kind(table, key) in _ASSIGNING or (
        table == "effect" and key in ("set", "add", "remove", "compute"))


def _assigned(index: StoryIndex, effect: str, variable: str, rest: str, word: str,
              after: str) -> Completion:
    """The value given to `variable` in a `set`/`add`/`remove`/`compute` mapping: an
    expression in `compute`, a list variable's items (format v2), else any literal."""
    if effect == "compute":
        return _expression(index, rest, word, after)
    if _is_list(index, variable) and re.fullmatch(r"\w*", rest):
        return _items(index, variable, word)
    return Completion((), False, word)


def _in_flow(index: StoryIndex, path: list[str], flow: _Flow, word: str,
             after: str = "") -> Completion:
    """Completion inside `{...}` or `[...]` on the cursor's line."""
    full = path + flow.steps
    if flow.key is not None:  # a value in a `{...}`
        inner = table_at(full)
        if inner is None and len(full) >= 2 and _assigns(table_at(full[:-1]), full[-1]):
            return _assigned(index, full[-1], flow.key, flow.rest, word, after)
        return _value(index, inner, flow.key, flow.rest, word, after)
    if (flow.inner == "[" and len(full) >= 3 and _assigns(table_at(full[:-3]), full[-3])
            and re.fullmatch(r"\w*", flow.rest)):  # `remove: {pockets: [badge, |`
        return _assigned(index, full[-3], full[-2], "", word, after)
    if flow.inner == "{":  # a key
        if len(full) >= 1 and _assigns(table_at(full[:-1]), full[-1]):
            return _names(index, "variable", word)
        table = table_at(full)
        if table is None or not re.fullmatch(r"\w*", flow.rest):
            return Completion((), False, word)
        return _keys(table, set(flow.taken), word)
    # an item of a `[...]`: ids, when the list's key names them
    if not re.fullmatch(r"\w*", flow.rest):
        return Completion((), False, word)
    return _in_list(index, full, table_at(full[:-2]), word)


def _key_kind(table: str | None, key: str) -> str | None:
    if table is None:
        return None
    found = schema.TABLES[table].get(key)
    return found.kind if found is not None else None


def _in_list(index: StoryIndex, path: list[str], table: str | None, word: str) -> Completion:
    """`- name` items of an id list written in block style (`unlock:` then `- coffee`)."""
    key = path[-2] if len(path) >= 2 else ""
    if len(path) >= 3 and _assigns(table_at(path[:-3]), path[-3]):  # a list's names
        return _assigned(index, path[-3], key, "", word, "")
    refers = REFERENCES.get((table or "", key))
    if refers is not None:
        return _names(index, refers, word)
    return Completion((), False, word)


def _keys(table: str, taken: set[str], word: str) -> Completion:
    """The keys of this table that may still be written in this mapping, with their
    documentation: not those written already, nor the rest of an exactly-one group once
    one of it is there (`goto` or `call`), nor a key that needs another not written yet
    (`then` without `call`, `reason` without `enabled`)."""
    group = schema.EXACTLY_ONE.get(table, ())
    chosen = bool(taken & set(group))
    needs = {name: other for name, other in schema.REQUIRES.get(table, {}).items()}
    needs.update((name, other) for name, (other, _) in schema.COMPANIONS.get(table, {}).items())
    items = []
    for key in schema.TABLES[table].values():
        if key.name in taken or not key.name.startswith(word):
            continue
        if (key.name in group and chosen) or needs.get(key.name, key.name) not in (
                key.name, *taken):
            continue
        if key.name in group:
            need = "one of " + "/".join(group)
        else:
            need = "required" if key.required else "optional"
        items.append(Item(key.name, "key", f"{need}: {key.kind}", key.doc, key.name + ": "))
    items.sort(key=lambda item: (item.detail.startswith("optional"), item.label))
    return Completion(tuple(items), False, word)


def _siblings(lines: list[str], line: int) -> set[str]:
    """Keys already written in the mapping the cursor line belongs to."""
    here = _parse_line(lines[line] + "x")
    if here is None:
        return set()
    col = here.key_col
    found: set[str] = set()
    for step in (1,) if here.item else (-1, 1):  # a new item's keys start on its line
        number = line + step
        while 0 <= number < len(lines):
            parsed = _parse_line(lines[number])
            number += step
            if parsed is None:
                continue
            if parsed.key_col < col or (parsed.item and parsed.key_col == col and step == 1):
                break
            if parsed.key_col == col and parsed.key:
                found.add(parsed.key)
            if parsed.item and parsed.key_col == col:
                break  # the first key of this item: nothing above belongs to it
    return found


def _names(index: StoryIndex, kind: Kind, word: str, lists: bool = False) -> Completion:
    """Every defined name of a kind that starts with `word` (`lists`: list variables only)."""
    items: list[Item] = []
    for name, details in index.names(kind).items():
        if name.startswith(word) and (not lists or details.get("type") == "list"):
            if len(items) == MAX_ITEMS:
                return Completion(tuple(items), True, word)
            items.append(Item(name, kind, _summary(kind, details)))
    return Completion(tuple(items), False, word)


def _summary(kind: Kind, details: dict[str, str]) -> str:
    if kind == "variable":
        return f"{details.get('type', '?')}, default {details.get('default', '?')}"
    return details.get("title", "")


def _is_list(index: StoryIndex, variable: str) -> bool:
    return index.names("variable").get(variable, {}).get("type") == "list"


def _items(index: StoryIndex, variable: str | None, word: str) -> Completion:
    """The names a list variable may hold (every list's, when `variable` is None)."""
    found: dict[str, list[str]] = {}
    for name, details in index.names("variable").items():
        if details.get("type") != "list" or variable not in (None, name):
            continue
        for item in details.get("items", "").strip("[]").split(", "):
            if item and item.startswith(word):
                found.setdefault(item, []).append(name)
    items = [Item(item, "item", "item of " + ", ".join(lists)) for item, lists in found.items()]
    return Completion(tuple(items[:MAX_ITEMS]), len(items) > MAX_ITEMS, word)


_IN_LIST_AFTER = re.compile(r"^\w*\\?[\"']\s*in\s+(?P<list>[A-Za-z_]\w*)")
"""After the cursor in `"scr|" in pockets`: the list the name is tested against."""


def _expression(index: StoryIndex, rest: str, word: str, after: str = "",
                yaml: bool = True) -> Completion:
    """Inside a condition: ids in `has(` / `visits(` / `seen(`, list variables in `count(`,
    a list's items in a `"..."` before `in LIST`, else variables and functions. `yaml`:
    `rest` is a YAML value as typed (maybe in YAML quotes), not text inside a `{?..}`."""
    if _in_string(rest, yaml):
        on = _IN_LIST_AFTER.match(after)
        return _items(index, on.group("list") if on else None, word)
    call = _CALL_BEFORE.search(rest)
    if call is not None:
        func = call.group("func")
        wanted = expr.FUNCTIONS.get(func)
        if wanted in ("scene", "fact", "variable", "ending"):
            return _names(index, wanted, call.group("word"), lists=func == "count")
    found = _names(index, "variable", word)
    math: dict[str, tuple[str, ...]] = dict(getattr(expr, "MATH", {}))  # format v2 compute
    functions = [Item(name, "function", f"{name}({wanted} id)", f"takes a {wanted} id",
                      f"{name}(") for name, wanted in expr.FUNCTIONS.items()
                 if name.startswith(word)]
    functions += [Item(name, "function", f"{name}({', '.join(params)})", "", f"{name}(")
                  for name, params in math.items() if name.startswith(word)]
    keywords = [Item(w, "keyword", "") for w in ("and", "or", "not", "in", "true", "false")
                if w.startswith(word) and word]
    return Completion(found.items + tuple(functions) + tuple(keywords), found.incomplete, word)


def _in_string(rest: str, yaml: bool) -> bool:
    """Is the end of this condition text inside a `"..."` or `'...'` of the condition
    language? In a YAML value (`yaml`), a quote around the whole condition is taken off."""
    text = rest
    if yaml and text.startswith("'"):
        text = text[1:].replace("''", "'")
    elif yaml and text.startswith('"'):
        text = text[1:].replace('\\"', '"')
    quote = None
    i = 0
    while i < len(text):
        c = text[i]
        if quote is not None and c == "\\":
            i += 2
            continue
        if quote is None and c in "\"'":
            quote = c
        elif c == quote:
            quote = None
        i += 1
    return quote is not None
