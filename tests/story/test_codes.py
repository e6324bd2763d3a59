"""Every diagnostic carries a code from the one table (game/story/codes.py), every code in the
table is produced by a mistake below, and docs/diagnostics.md is the table.

Adding a diagnostic: add its code to game/story/codes.py (one line), pass it where the
problem is reported, and add a mistake that produces it to MISTAKES here.
"""

from __future__ import annotations

import ast
import os
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from game.story import codes
from game.story.diagnostics import Diagnostic
from game.story.files import LoadResult, load_story

ROOT = Path(__file__).parents[2]
GAME = ROOT / "game"
FIXTURES = Path(__file__).parent / "fixtures"
HOW = ("add a line to game/story/codes.py (NAME = define(\"OSnnn\", \"what it means\")) and pass "
       "codes.NAME where the problem is reported")

HEADER = """\
story: {id: t, title: T, start: a}
variables: {n: 0, flag: false, word: hi}
facts:
  f1: {title: F1, text: One.}
"""
END = "ending: {id: e, title: E}"

Build = Callable[[Path], Path]
"""Makes a story with the mistake under a temporary folder; returns what to load."""


def story(scenes: str, header: str | None = HEADER,
          more: dict[str, str | bytes] | None = None) -> Build:
    """A story folder: the header, `scenes` in s.yaml, and any further files by name."""
    def build(tmp: Path) -> Path:
        files: dict[str, str | bytes] = {"s.yaml": textwrap.dedent(scenes), **(more or {})}
        if header is not None:
            files["story.yaml"] = header
        for name, text in files.items():
            path = tmp / name
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")
        return tmp
    return build


def missing_folder(tmp: Path) -> Path:
    return tmp / "nowhere"


def empty_folder(tmp: Path) -> Path:
    return tmp


def fifo(tmp: Path) -> Path:
    story(f"scenes:\n  a: {{text: t, {END}}}\n")(tmp)
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    os.mkfifo(tmp / "pipe.yaml")
    return tmp


def huge(tmp: Path) -> Path:
    story(f"scenes:\n  a: {{text: t, {END}}}\n")(tmp)
    with (tmp / "huge.yaml").open("wb") as handle:  # sparse: costs no disk
        handle.truncate(64 * 2**20 + 1)
    return tmp


A = f"scenes:\n  a: {{text: t, {END}}}\n"
"""A clean one-scene story's scenes, for mistakes made elsewhere."""

MISTAKES: dict[str, Build] = {
    codes.NO_FOLDER.code: missing_folder,
    codes.NO_FILES.code: empty_folder,
    codes.UNREADABLE.code: fifo,
    codes.TOO_LARGE.code: huge,
    codes.NOT_UTF8.code: story(A, more={"bad.yaml": b"scenes:\n  b: \xff\n"}),
    codes.YAML_SYNTAX.code: story("scenes:\n  a: [unclosed\n"),
    codes.YAML_CONTROL.code: story("scenes:\n  a: {text: a\x01b}\n"),
    codes.TOO_DEEP.code: story(A, more={"deep.yaml": "x: " + "[" * 1001 + "]" * 1001 + "\n"}),
    codes.CONTROL_IN_TEXT.code: story(f'scenes:\n  a: {{text: "Red \\e[31m", {END}}}\n'),
    codes.YAML_TAG.code: story(f"scenes:\n  a: {{text: !!python/name:os.system, {END}}}\n"),
    codes.MERGE_KEY.code: story(f"scenes:\n  a: {{<<: {{text: t}}, {END}}}\n"),
    codes.BAD_SCALAR.code: story(A + "variables:\n  m: !!int abc\n"),
    codes.NOT_CHECKED.code: story("scenes:\n  a: {text: t, next: b}\n",
                                  more={"t.yaml": "scenes:\n  b: [unclosed\n"}),
    codes.UNKNOWN_KEY.code: story(f"scenes:\n  a: {{txet: t, {END}}}\n"),
    codes.MISSING_KEY.code: story(A + "facts:\n  f2: {title: F2}\n"),
    codes.DUPLICATE_KEY.code: story(f"scenes:\n  a: {{text: t, text: u, {END}}}\n"),
    codes.KEY_NOT_NAME.code: story(f"scenes:\n  a: {{text: t, ~: 1, {END}}}\n"),
    codes.WRONG_KIND.code: story(f"scenes:\n  a: {{title: [x], text: t, {END}}}\n"),
    codes.NO_VALUE.code: story(A + "variables:\n  m:\n"),
    codes.PARAGRAPH_MAPPING.code: story(f"scenes:\n  a:\n    text:\n      - Note: this\n"
                                        f"    {END}\n"),
    codes.ENDING_SCALAR.code: story("scenes:\n  a: {text: t, ending: friends}\n"),
    codes.NO_STORY.code: story(A, header=None),
    codes.STORY_TWICE.code: story("story: {id: t, title: T, start: a}\n" + A),
    codes.EMPTY_EFFECT.code: story(f"scenes:\n  a: {{text: t, on_enter: [{{}}], {END}}}\n"),
    codes.BAD_ID.code: story(A + f"  2b: {{text: t, {END}}}\n"),
    codes.BAD_STORY_ID.code: story(A, header="story: {id: Bad Id, title: T, start: a}\n"),
    codes.DEFINED_TWICE.code: story(A, more={"t.yaml": A}),
    codes.ENDING_TWICE.code: story(f"scenes:\n  a: {{text: t, next: b}}\n  b: {{text: t, {END}}}\n"
                                   f"  c: {{text: t, {END}}}\n"),
    codes.CHOICE_ID_TWICE.code: story(
        "scenes:\n  a:\n    text: t\n    choices:\n      - {text: x, goto: b, id: same}\n"
        f"      - {{text: y, goto: b, id: same}}\n  b: {{text: t, {END}}}\n"),
    codes.NO_SCENE.code: story("scenes:\n  a: {text: t, next: nowhere}\n"),
    codes.NO_FACT.code: story(f"scenes:\n  a: {{text: t, on_enter: [{{unlock: nope}}], {END}}}\n"),
    codes.NO_VARIABLE.code: story(
        f"scenes:\n  a: {{text: t, on_enter: [{{set: {{nope: 1}}}}], {END}}}\n"),
    codes.NO_ENDING.code: story(A + "playthroughs:\n  p: {steps: [], expect: {ending: nope}}\n"),
    codes.BAD_SEED.code: story(A + "playthroughs:\n  p: {steps: [], seed: -1}\n"),
    codes.STRAY_BRACE.code: story(f"scenes:\n  a: {{text: 'a }} b', {END}}}\n"),
    codes.HOLE_NOT_NAME.code: story(f"scenes:\n  a: {{text: 'a {{n + 1}} b', {END}}}\n"),
    codes.HOLE_UNDECLARED.code: story(f"scenes:\n  a: {{text: 'Hi {{nmae}}', {END}}}\n"),
    codes.CONDITION_SYNTAX.code: story(
        "scenes:\n  a:\n    text: t\n    choices:\n      - {text: x, goto: b, if: n = 1}\n"
        f"      - {{text: y, goto: b}}\n  b: {{text: t, {END}}}\n"),
    codes.CONDITION_NAME.code: story(
        "scenes:\n  a:\n    text: t\n    choices:\n      - {text: x, goto: b, if: nope > 1}\n"
        f"      - {{text: y, goto: b}}\n  b: {{text: t, {END}}}\n"),
    codes.CONDITION_TYPE.code: story(
        "scenes:\n  a:\n    text: t\n    choices:\n      - {text: x, goto: b, if: n}\n"
        f"      - {{text: y, goto: b}}\n  b: {{text: t, {END}}}\n"),
    codes.NEVER_TRUE.code: story(
        "scenes:\n  a:\n    text: t\n    choices:\n      - {text: x, goto: b, if: not seen(a)}\n"
        f"      - {{text: y, goto: b}}\n  b: {{text: t, {END}}}\n"),
    codes.DIVISION_BY_ZERO.code: story(
        "scenes:\n  a:\n    text: t\n    choices:\n      - {text: x, goto: b, if: n / 0 > 1}\n"
        f"      - {{text: y, goto: b}}\n  b: {{text: t, {END}}}\n"),
    # text variations (format v2)
    codes.UNCLOSED_VARIATION.code: story(f"scenes:\n  a: {{text: 'a {{b|c', {END}}}\n"),
    codes.UNKNOWN_SIGIL.code: story(f"scenes:\n  a: {{text: '{{%b|c}}', {END}}}\n"),
    codes.EMPTY_TEXT_CONDITION.code: story(f"scenes:\n  a: {{text: '{{? |b}}', {END}}}\n"),
    codes.RANDOM_IN_TEXT.code: story(
        f"scenes:\n  a: {{text: '{{?random(1, 6) > 3|b}}', {END}}}\n"),
    codes.CONDITION_WITHOUT_TEXT.code: story(f"scenes:\n  a: {{text: '{{?flag}}', {END}}}\n"),
    codes.TOO_MANY_TEXTS.code: story(f"scenes:\n  a: {{text: '{{?flag|b|c|d}}', {END}}}\n"),
    codes.VARIATIONS_TOO_DEEP.code: story(
        f"scenes:\n  a: {{text: '{'{a|' * 17}b{'}' * 17}', {END}}}\n"),
    codes.EMPTY_VARIATION.code: story(f"scenes:\n  a: {{text: 'a {{~}} b', {END}}}\n"),
    codes.ADD_NOT_NUMBER.code: story(
        f"scenes:\n  a: {{text: t, on_enter: [{{add: {{flag: 1}}}}], {END}}}\n"),
    codes.DECIMAL_INTO_WHOLE.code: story(
        f"scenes:\n  a: {{text: t, on_enter: [{{add: {{n: 0.5}}}}], {END}}}\n"),
    codes.WRONG_TYPE.code: story(
        f"scenes:\n  a: {{text: t, on_enter: [{{set: {{n: many}}}}], {END}}}\n"),
    codes.OUT_OF_RANGE.code: story(A + "variables:\n  big: 10000000000000000\n"),
    # list variables
    codes.NOT_AN_ITEM.code: story(A + "variables:\n  p: {items: [a, b], default: [c]}\n"),
    codes.LIST_ITEMS.code: story(A + "variables:\n  p: {items: [a, a]}\n"),
    codes.NOT_A_LIST.code: story(
        f"scenes:\n  a: {{text: t, on_enter: [{{remove: {{n: 1}}}}], {END}}}\n"),
    codes.NOT_NAMES.code: story(A + "variables:\n  p: {items: [a, b], default: [1]}\n"),
    codes.DEAD_END.code: story("scenes:\n  a: {text: t}\n"),
    codes.TWO_EXITS.code: story(f"scenes:\n  a: {{text: t, next: a, {END}}}\n"),
    codes.EMPTY_CHOICES.code: story("scenes:\n  a: {text: t, choices: []}\n"),
    codes.ALWAYS_STUCK.code: story(
        "scenes:\n  a:\n    text: t\n    choices:\n      - {text: x, goto: b, if: false}\n"
        f"  b: {{text: t, {END}}}\n"),
    codes.UNREACHABLE_SCENE.code: story(A + "  b: {text: t, ending: {id: f, title: F}}\n"),
    codes.UNUSED_FACT.code: story(A),
    codes.FACT_OUT_OF_REACH.code: story(
        A + "  b: {text: t, on_enter: [{unlock: f1}], ending: {id: f, title: F}}\n"),
    codes.UNREACHABLE_ENDING.code: story(A + "  b: {text: t, ending: {id: f, title: F}}\n"),
    codes.UNREAD_VARIABLE.code: story(A),
    codes.SAME_OUTCOME.code: story(
        "scenes:\n  a:\n    text: t\n    choices:\n      - {text: x, goto: b}\n"
        f"      - {{text: y, goto: b}}\n  b: {{text: t, {END}}}\n"),
    codes.SAME_TEXT.code: story(
        "scenes:\n  a:\n    text: t\n    choices:\n      - {text: x, goto: b}\n"
        f"      - {{text: x, goto: c}}\n  b: {{text: t, {END}}}\n"
        "  c: {text: t, ending: {id: f, title: F}}\n"),
    codes.NEVER_SHOWN.code: story(
        "scenes:\n  a:\n    text: t\n    choices:\n      - {text: x, goto: b, if: false}\n"
        f"      - {{text: y, goto: b}}\n  b: {{text: t, {END}}}\n"),
    codes.ONCE_TRAP.code: story(
        "scenes:\n  a:\n    text: t\n    choices:\n      - {text: x, goto: b, once: true}\n"
        "      - {text: y, goto: c, once: true}\n  b: {text: t, next: a}\n"
        f"  c: {{text: t, {END}}}\n"),
    codes.ALL_HIDDEN.code: story(
        "scenes:\n  a:\n    text: t\n    choices:\n      - {text: x, goto: b, if: flag}\n"
        f"      - {{text: y, goto: b, if: n > 1}}\n  b: {{text: t, {END}}}\n"),
    codes.NEVER_VARIES.code: story(f"scenes:\n  a: {{text: 'a {{~b}}', {END}}}\n"),
    codes.SAME_EITHER_WAY.code: story(f"scenes:\n  a: {{text: 'a {{?flag|b|b}}', {END}}}\n"),
    codes.PLAIN_FACT_TEXT.code: story(A, header=HEADER.replace("One.", "'{One|Two}'")),
    # list variables
    codes.ITEM_NEVER_HELD.code: story(A + "variables:\n  p: {items: [a, b], default: [a]}\n"),
    codes.IN_NEVER_TRUE.code: story(
        "variables:\n  p: {items: [a, b]}\nscenes:\n  a:\n    text: t\n    choices:\n"
        "      - {text: x, goto: b, if: '\"b\" in p'}\n"
        f"      - {{text: y, goto: b}}\n  b: {{text: t, {END}}}\n"),
    # -- locked choices (format v2: enabled, reason) --
    codes.ENABLED_WRONG_KIND.code: story(
        "scenes:\n  a:\n    text: t\n    choices:\n      - {text: x, goto: b, enabled: 3}\n"
        f"      - {{text: y, goto: b}}\n  b: {{text: t, {END}}}\n"),
    codes.ENABLED_WORD.code: story(
        "scenes:\n  a:\n    text: t\n    choices:\n      - {text: x, goto: b, enabled: maybe}\n"
        f"      - {{text: y, goto: b}}\n  b: {{text: t, {END}}}\n"),
    codes.ALWAYS_LOCKED_STUCK.code: story(
        "scenes:\n  a:\n    text: t\n    choices:\n      - {text: x, goto: b, enabled: false}\n"
        f"  b: {{text: t, {END}}}\n"),
    codes.REASON_ALONE.code: story(
        "scenes:\n  a:\n    text: t\n    choices:\n      - {text: x, goto: b, reason: Not yet.}\n"
        f"  b: {{text: t, {END}}}\n"),
    codes.ALWAYS_LOCKED.code: story(
        "scenes:\n  a:\n    text: t\n    choices:\n      - {text: x, goto: b, enabled: false}\n"
        f"      - {{text: y, goto: b}}\n  b: {{text: t, {END}}}\n"),
    codes.ALL_CLOSED.code: story(
        "scenes:\n  a:\n    text: t\n    choices:\n      - {text: x, goto: b, enabled: flag}\n"
        f"      - {{text: y, goto: b, if: n > 1}}\n  b: {{text: t, {END}}}\n"),
    codes.LOCK_SAME_AS_IF.code: story(
        "scenes:\n  a:\n    text: t\n    choices:\n"
        "      - {text: x, goto: b, if: flag, enabled: flag}\n"
        f"      - {{text: y, goto: b}}\n  b: {{text: t, {END}}}\n"),
    # format v2's calls (tests/story/test_calls.py has each at its line and column)
    codes.RETURN_WITHOUT_CALL.code: story(
        "scenes:\n  a:\n    text: t\n    choices:\n      - {text: x, call: r}\n"
        "      - {text: y, goto: r}\n  r: {text: t, return: true}\n"),
    codes.CALLS_TOO_DEEP.code: story(
        f"scenes:\n  a: {{text: t, choices: [{{text: x, call: r, then: b}}]}}\n  b: {{text: t, {END}}}\n"
        "  r: {text: t, choices: [{text: x, call: r}, {text: y, goto: s}]}\n"
        "  s: {text: t, return: true}\n"),
    codes.NEVER_RETURNS.code: story(
        f"scenes:\n  a: {{text: t, choices: [{{text: x, call: b}}]}}\n  b: {{text: t, {END}}}\n"),
    codes.CALL_NO_SCENE.code: story("scenes:\n  a: {text: t, choices: [{text: x, call: nope}]}\n"),
    codes.THEN_NO_SCENE.code: story(
        "scenes:\n  a: {text: t, choices: [{text: x, call: r, then: nope}]}\n"
        "  r: {text: t, return: true}\n"),
    codes.CALL_AND_GOTO.code: story(
        "scenes:\n  a: {text: t, choices: [{text: x, call: r, goto: r}]}\n"
        "  r: {text: t, return: true}\n"),
    codes.THEN_WITHOUT_CALL.code: story(
        f"scenes:\n  a: {{text: t, choices: [{{text: x, goto: b, then: b}}]}}\n  b: {{text: t, {END}}}\n"),
    codes.RETURN_NOT_TRUE.code: story("scenes:\n  a: {text: t, return: false}\n"),
    codes.RETURN_WITH_EXIT.code: story(f"scenes:\n  a: {{text: t, return: true, {END}}}\n"),
    codes.RETURN_UNCALLED.code: story(
        "scenes:\n  a: {text: t, next: r}\n  r: {text: t, return: true}\n"),
    codes.ENDLESS_CALLS.code: story(
        "scenes:\n  a: {text: t, choices: [{text: x, call: r}]}\n"
        "  r: {text: t, choices: [{text: x, call: r}]}\n"),
}
"""One mistake per code in the table: each must produce (at least) its code."""

BOUNDED = HEADER.replace("variables: {n: 0,", "variables: {n: {default: 0, min: 0, max: 5},")
"""The header with `n` a bounded number."""


def computing(effect: str, header: str | None = HEADER) -> Build:
    """A one-scene story whose scene runs `effect` (YAML flow text) on entering."""
    return story(f"scenes:\n  a: {{text: t, on_enter: [{effect}], {END}}}\n", header)


MISTAKES |= {  # v2: randomness, computed effects, bounded numbers
    codes.COMPUTE_SYNTAX.code: computing('{compute: {n: "n +"}}'),
    codes.COMPUTE_RESULT.code: computing('{compute: {flag: "n + 1"}}'),
    codes.RANDOM_OUTSIDE.code: story(
        "scenes:\n  a:\n    text: t\n    choices:\n"
        "      - {text: x, goto: b, if: 'random(1, 6) > 3'}\n"
        f"      - {{text: y, goto: b}}\n  b: {{text: t, {END}}}\n"),
    codes.EMPTY_RANGE.code: computing('{compute: {n: "random(6, 1)"}}'),
    codes.BOUNDS_ORDER.code: story(A, header=HEADER.replace(
        "variables: {n: 0,", "variables: {n: {default: 0, min: 5, max: 1},")),
    codes.DEFAULT_OUTSIDE.code: story(A, header=HEADER.replace(
        "variables: {n: 0,", "variables: {n: {default: 9, min: 0, max: 5},")),
    codes.BOUNDS_NOT_NUMBER.code: story(A, header=HEADER.replace(
        "flag: false,", "flag: {default: false, max: 1},")),
    codes.SET_OUTSIDE.code: computing("{set: {n: 7}}", BOUNDED),
    codes.COMPUTE_CONSTANT.code: computing('{compute: {n: "2 + 3"}}'),
    codes.RANDOM_ONE_OUTCOME.code: computing('{compute: {n: "random(3, 3)"}}'),
}

RESERVED: dict[str, str] = {}
"""Codes in the table that no mistake here can produce, each with why (none so far)."""


def load(build: Build, tmp_path: Path) -> LoadResult:
    return load_story(build(tmp_path))


def unknown_codes(diagnostics: tuple[Diagnostic, ...]) -> list[str]:
    """The diagnostics whose code is not in the table, or whose severity is not its code's."""
    return [f"{d} [code {d.code!r}]" for d in diagnostics
            if d.code not in codes.TABLE or codes.TABLE[d.code].severity != d.severity]


@pytest.mark.parametrize("code", sorted(MISTAKES))
def test_each_mistake_is_reported_with_its_code(code: str, tmp_path: Path) -> None:
    result = load(MISTAKES[code], tmp_path)
    found = {d.code for d in result.diagnostics}
    assert code in found, (f"{code} ({codes.TABLE[code].meaning}) was not produced; got:\n"
                           + "\n".join(f"{d} [{d.code}]" for d in result.diagnostics))
    assert not unknown_codes(result.diagnostics), (
        f"diagnostics without a code from the table ({HOW}):\n"
        + "\n".join(unknown_codes(result.diagnostics)))


@pytest.mark.parametrize("folder", [FIXTURES / "broken", ROOT / "docs" / "example",
                                    ROOT / "scenes"], ids=["broken", "example", "shipped"])
def test_every_diagnostic_of_the_fixtures_has_a_known_code(folder: Path) -> None:
    result = load_story(folder)
    assert not unknown_codes(result.diagnostics), (
        f"diagnostics without a code from the table ({HOW}):\n"
        + "\n".join(unknown_codes(result.diagnostics)))


def test_every_code_is_produced_by_a_mistake_or_reserved() -> None:
    unproduced = sorted(set(codes.TABLE) - set(MISTAKES) - set(RESERVED))
    assert not unproduced, (
        "codes no mistake in tests/story/test_codes.py produces: "
        + ", ".join(f"{c} ({codes.TABLE[c].meaning})" for c in unproduced)
        + ". Add a mistake that produces each to MISTAKES (or, if none can, say why in "
        "RESERVED)")
    assert not (set(MISTAKES) | set(RESERVED)) - set(codes.TABLE), "a code the table lacks"
    assert not set(RESERVED) & set(codes.RETIRED), "retired codes are not reserved"


def test_the_codes_are_well_formed_and_grouped() -> None:
    for code, entry in codes.TABLE.items():
        assert entry.code == code
        assert len(code) == 5 and code.startswith("OS") and code[2:].isdigit(), code
        assert code[2] in codes.GROUPS, f"{code}: its hundred is not a group in codes.GROUPS"
        assert entry.meaning and "\n" not in entry.meaning, code
    assert not set(codes.TABLE) & set(codes.RETIRED), "a retired code is back in use"


def test_a_code_written_twice_stops_the_import_with_a_clear_message() -> None:
    with pytest.raises(ValueError, match=r"OS101 is in game/story/codes\.py twice"):
        codes.define("OS101", "something else")
    assert codes.TABLE["OS101"] is codes.NO_FOLDER


# -- every place that reports a problem names its code -------------------------------------------

def _sites() -> list[tuple[Path, ast.Call]]:
    """Every call that makes a diagnostic: `Diagnostic(...)` anywhere in the game, and the
    story layer's `report(...)` (the readers' `self.report`, yamlsrc's `report` callback)."""
    found = []
    for path in sorted(GAME.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        in_story = path.is_relative_to(GAME / "story")
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if isinstance(func, ast.Attribute) and getattr(func.value, "id", "") == "lsp":
                continue  # the language server's own lsp.Diagnostic, made from ours
            if name == "Diagnostic" or (in_story and name == "report"):
                found.append((path, node))
    return found


def _names_a_code(call: ast.Call, name: str) -> bool:
    wanted = 4 if name == "Diagnostic" else 3  # (pos, severity, message, code) / (pos, msg, code)
    return len(call.args) >= wanted or any(k.arg == "code" for k in call.keywords)


def test_every_diagnostic_site_names_a_code() -> None:
    sites = _sites()
    assert len(sites) > 40  # the scan sees the loader's reports
    missing = []
    for path, call in sites:
        func = call.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if not _names_a_code(call, name):
            missing.append(f"{path.relative_to(ROOT)}:{call.lineno}: {name}(...) names no code")
    assert not missing, ("diagnostics without a code; for each, " + HOW + ":\n"
                         + "\n".join(missing))


@pytest.mark.parametrize(("source", "coded"), [
    ('self.report(pos, "no such thing")', False),
    ('self.report(pos, "no such thing", codes.NO_SCENE)', True),
    ('report(Pos(file, 1, 1), f"cannot read {x}")', False),
    ('Diagnostic(pos, "warning", "hm")', False),
    ('Diagnostic(pos, "warning", "hm", codes.NEVER_SHOWN.code)', True),
    ('Diagnostic(pos, "warning", "hm", code="OS708")', True),
])
def test_the_scan_tells_a_site_without_a_code(source: str, coded: bool) -> None:
    call = ast.parse(source).body[0].value  # type: ignore[attr-defined]
    name = call.func.attr if isinstance(call.func, ast.Attribute) else call.func.id
    assert _names_a_code(call, name) is coded


def test_the_codes_sites_pass_are_in_the_table() -> None:
    """`codes.NAME` at a site (mypy checks the name exists; this, that it is a Code)."""
    for path in sorted(GAME.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id == "codes" and node.attr.isupper()):
                entry = getattr(codes, node.attr, None)
                assert isinstance(entry, codes.Code) or node.attr in ("TABLE", "GROUPS",
                                                                      "RETIRED"), (
                    f"{path.relative_to(ROOT)}:{node.lineno}: codes.{node.attr}")


# -- the docs are the table ----------------------------------------------------------------------

def test_the_docs_list_every_code() -> None:
    doc = ROOT / "docs" / "diagnostics.md"
    assert doc.read_text(encoding="utf-8") == codes.markdown(), (
        "docs/diagnostics.md is out of date: python -m game.story.codes docs/diagnostics.md")
    for code, entry in codes.TABLE.items():
        assert f"| `{code}` | {entry.severity} |" in codes.markdown()
    assert "(diagnostics.md)" in (ROOT / "docs" / "author-tools.md").read_text(encoding="utf-8")


def test_the_generator_writes_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert codes.main([str(tmp_path / "d.md")]) == 0
    assert (tmp_path / "d.md").read_text(encoding="utf-8") == codes.markdown()
    assert codes.main([]) == 0
    assert capsys.readouterr().out.endswith(codes.markdown())
    assert sys.modules["game.story.codes"] is codes
