"""The loader's quick paths change nothing but speed.

The `quick_*` readers handle the common, error-free case and hand anything else to the
careful readers. Whatever the input, the result (story and every diagnostic) must be exactly
what the careful readers alone produce: these tests load the same text both ways, for the
stories we have and for thousands of damaged variants of a generated one.
"""

from __future__ import annotations

import functools
import re
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.story import codes
from game.story.files import LoadResult, load_story
from game.story.loader import Loader

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
import gen_story

REPO = Path(__file__).parents[2]
QUICK = ("quick_fields", "quick_choice", "quick_paragraphs", "quick_effects")


def careful(root: Path) -> LoadResult:
    with pytest.MonkeyPatch.context() as m:
        for name in QUICK:
            m.setattr(Loader, name, lambda self, *args: None)
        return load_story(root)


@pytest.mark.parametrize("root", [
    REPO / "docs" / "example", REPO / "scenes", REPO / "tests" / "story" / "fixtures" / "broken",
    REPO / "tests" / "tools" / "fixtures" / "calls",
], ids=lambda p: p.name)
def test_real_stories_load_the_same_both_ways(root: Path) -> None:
    assert load_story(root) == careful(root)


@functools.cache
def generated(v2: bool = False) -> str:
    """The generated story in one file: 40 scenes of format v1, or (`v2`) 100 with every
    format-v2 feature in a tenth of them (variations, computes, lists, calls...)."""
    with tempfile.TemporaryDirectory() as folder:
        gen_story.generate(Path(folder), scenes=100 if v2 else 40, files=1, seed=3,
                           v2=frozenset(gen_story.FEATURES) if v2 else frozenset())
        (path,) = Path(folder).glob("*.yaml")
        return path.read_text(encoding="utf-8")


REPLACEMENTS = ["", "on", "no", "12", "1.5", "-3", "0x1F", "~", "[]", "{}", "x: y", '"{n}"',
                "{courage}", "{{", "nowhere", "not", "courage >", "has(nothing)", "true",
                "!!str 3", "!!python/name:os.system", "&a x", "*a", "- a", "'quoted'", "{b: 1}",
                "visits(lobby_0) > 1", "courage + 1", '"on"', "1_000", "012", ".5", "+2",
                "budget", "mood == 3", "2010-07-10", "once", "goto", "text", "<<",
                "!!bool maybe", "!!int x", "!!float y",
                # text variations (format v2): good ones and each kind of mistake
                '"{a|{courage}}"', '"{&a|b} {~c|d}"', '"{?courage > 1|x|y}"', '"{!a|{?has(x)|y}}"',
                '"{?nope|x}"', '"{%a|b}"', '"{a|b"', '"{?random(1, 2) > 1|x}"', '"{?courage}"',
                # calls (format v2): a goto or next turned into a call, a then, a return
                "call", "then", "return", "callz"]


@st.composite
def damaged(draw: st.DrawFn, text: str) -> str:
    """The generated story with a few lines edited: values swapped, lines dropped or doubled."""
    lines = text.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["value", "drop", "double", "key"]))
        line = lines[i]
        if action == "drop":
            del lines[i]
        elif action == "double":
            lines.insert(i, line)
        elif ": " in line:
            key, _, value = line.partition(": ")
            new = draw(st.sampled_from(REPLACEMENTS))
            if action == "value":
                lines[i] = f"{key}: {new}"
            else:
                lines[i] = f"{key[:len(key) - len(key.lstrip())]}{new or 'k'}: {value}"
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_damaged_stories_load_the_same_both_ways(tmp_path: Path, data: st.DataObject) -> None:
    text = data.draw(damaged(generated()))
    path = tmp_path / "story.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_story(path) == careful(path)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_damaged_v2_stories_load_the_same_both_ways(tmp_path: Path, data: st.DataObject) -> None:
    text = data.draw(damaged(generated(v2=True)))
    path = tmp_path / "story.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_story(path) == careful(path)


def test_a_v2_story_loads_the_same_both_ways(tmp_path: Path) -> None:
    path = tmp_path / "story.yaml"
    path.write_text(generated(v2=True), encoding="utf-8")
    result = load_story(path)
    assert result.story is not None
    assert result == careful(path)


COMPUTES = [
    # (the effects, the variables): each read quickly once read carefully, or never
    ('[{compute: {n: "n + 1"}}]', "{n: 0}"),
    ('[{compute: {n: "n + random(1, 3)"}}, {add: {n: 1}}]', "{n: 0}"),
    ('[{compute: {n: "3"}}]', "{n: 0}"),  # always the same value: a warning each time
    ("[{compute: {n: 3}}]", "{n: 0}"),  # a number, not text: the careful reader says so
    ('[{compute: {n: "n + random(2, 2)"}}]', "{n: 0}"),  # one outcome: a warning each time
    ('[{compute: {n: "n / 2"}}]', "{n: 0}"),  # a decimal result into a whole number
    ('[{compute: {n: "m + 1"}}]', "{n: 0}"),  # m is declared in the next file
    ('[{compute: {n: "n + 1", n: "n + 2"}}]', "{n: 0}"),  # a key twice
    ('[{compute: {b: "n > 1"}}]', "{n: 0, b: false}"),
    ('[{compute: {n: "visits(s1)"}}]', "{n: 0}"),
    # one expression, fine for one variable and not for the other
    ('[{compute: {x: "n / 2"}}, {compute: {n: "n / 2"}}]', "{n: 0, x: 0.5}"),
]


@pytest.mark.parametrize(("effects", "variables"), COMPUTES)
def test_computes_load_the_same_both_ways(tmp_path: Path, effects: str, variables: str,
                                          ) -> None:
    """`quick_compute` reads an expression the careful reader read cleanly before: the
    same expression in every scene, the first file declaring fewer names than the second."""
    scenes = "".join(f"  s{i}: {{text: x, on_enter: {effects}, next: s{i + 1}}}\n"
                     for i in range(3))
    (tmp_path / "a.yaml").write_text(
        f"story: {{id: t, title: T, start: s0}}\nvariables: {variables}\nscenes:\n{scenes}",
        encoding="utf-8")
    (tmp_path / "b.yaml").write_text(
        f"variables: {{m: 1}}\nscenes:\n  s3: {{text: x, on_enter: {effects}, "
        "ending: {id: e, title: E}}\n", encoding="utf-8")
    result = load_story(tmp_path)
    assert result == careful(tmp_path)
    assert not any(d.code == codes.YAML_SYNTAX.code for d in result.diagnostics)


def test_the_quick_paths_are_taken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Otherwise the tests above would pass trivially."""
    calls = {"choices": 0, "paragraphs": 0}
    quick_choice, quick_paragraphs = Loader.quick_choice, Loader.quick_paragraphs

    def counting_choice(self: Loader, *args: object) -> object:
        result = quick_choice(self, *args)  # type: ignore[arg-type]
        calls["choices"] += result is not None
        return result

    def counting_paragraphs(self: Loader, *args: object) -> object:
        result = quick_paragraphs(self, *args)  # type: ignore[arg-type]
        calls["paragraphs"] += result is not None
        return result

    monkeypatch.setattr(Loader, "quick_choice", counting_choice)
    monkeypatch.setattr(Loader, "quick_paragraphs", counting_paragraphs)
    path = tmp_path / "story.yaml"
    path.write_text(generated(), encoding="utf-8")
    result = load_story(path)
    assert result.story is not None
    assert calls["paragraphs"] == len(result.story.scenes)
    assert calls["choices"] == sum(1 for s in result.story.scenes.values() for c in s.choices
                                   if not c.is_continue)


def test_the_quick_compute_is_taken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each distinct compute is read carefully once, and quickly every other time."""
    computes = []
    quick_compute = Loader.quick_compute

    def counting(self: Loader, *args: object) -> object:
        result = quick_compute(self, *args)  # type: ignore[arg-type]
        computes.append(result is not None)
        return result

    monkeypatch.setattr(Loader, "quick_compute", counting)
    path = tmp_path / "story.yaml"
    path.write_text(generated(v2=True), encoding="utf-8")
    assert load_story(path).story is not None
    sources = set(re.findall(r'compute: \{(\w+: "[^"]*")', generated(v2=True)))
    assert computes.count(False) == len(sources) < computes.count(True)


def test_an_explicit_tag_with_a_bad_value_is_reported_not_raised(tmp_path: Path) -> None:
    """`!!bool maybe` once escaped the loader as a KeyError (a crash report for the author)."""
    path = tmp_path / "story.yaml"
    path.write_text("story: {id: t, title: T, start: a}\nvariables: {f: !!bool maybe}\n"
                    "scenes:\n  a: {text: x, ending: {id: e, title: E}}\n", encoding="utf-8")
    result = load_story(path)
    assert result.story is None
    assert [(d.pos.line, d.severity) for d in result.errors] == [(2, "error")]
    assert "maybe" in result.errors[0].message


@pytest.mark.parametrize("every", [2, 3, 5])
def test_a_story_full_of_calls_loads_the_same_both_ways(tmp_path: Path, every: int) -> None:
    """Calls (format v2) through both readers: every n-th goto a call (every other of those
    with a then), and every n-th next a return (most of them warnings, some errors)."""
    lines, gotos, nexts = [], 0, 0
    for line in generated().splitlines():
        if "goto: " in line:
            gotos += 1
            if gotos % every == 0:
                line = line.replace("goto: ", "call: ")
                if gotos % (2 * every) == 0:
                    line = line.replace("call: ", "then: backlot_0, call: ") if "{" in line \
                        else line + f"\n{' ' * (len(line) - len(line.lstrip()))}then: backlot_0"
        elif line.strip().startswith("next: "):
            nexts += 1
            if nexts % every == 0:
                line = line[:len(line) - len(line.lstrip())] + "return: true"
        lines.append(line)
    path = tmp_path / "story.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = load_story(path)
    assert result == careful(path)
    read = [c for s in result.story.scenes.values() for c in s.choices
            if c.call or c.returns] if result.story else []
    assert read or any(d.code[:4] in ("OS76", "OS80") for d in result.diagnostics)
