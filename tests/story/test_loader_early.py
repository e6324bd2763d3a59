"""Scenes read as soon as their file is (to hold one YAML tree at a time, not all of them)
must give exactly what reading every scene after all files would: same model, same messages.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from game.story import loader
from game.story.files import LoadResult, load_story

REPO = Path(__file__).parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))
import gen_story  # noqa: E402

HEADER = "story: {id: t, title: T, start: a}\n"
LATER = """\
variables: {n: 0, flag: false}
facts:
  late: {title: Late, text: Defined in the last file.}
scenes:
  zee: {text: 'z {n}', ending: {id: z, title: Z}}
  zed_two: {text: t, ending: {id: z2, title: Z2}}
"""
CASES = {
    "forward_refs_clean": {
        "a.yaml": HEADER + textwrap.dedent("""\
            scenes:
              a:
                text: ["{n}", {if: "visits(zee) == 0 and not flag", text: first}]
                on_enter: [{add: {n: 1}}, {unlock: late}]
                choices:
                  - {text: On, goto: zee, if: "has(late) or n > 2"}
                  - {text: Other, goto: zed_two}
            """),
        "z.yaml": LATER,
    },
    "forward_typos": {
        "a.yaml": HEADER + textwrap.dedent("""\
            scenes:
              a:
                text: t
                choices:
                  - {text: Typo near, goto: zeee}
                  - {text: Typo far, goto: qqqqqqq}
                  - {text: Fine, goto: zee}
              b: {text: t, next: zed_too}
              c: {text: t, next: xxxxxxxx}
            """),
        "z.yaml": LATER,
    },
    "later_errors_and_duplicates": {
        "a.yaml": HEADER + textwrap.dedent("""\
            scenes:
              a:
                text: "{nope}"
                choices: [{text: x, goto: zee, effects: [{set: {n: "text"}}]}]
              zee: {text: dup, ending: {id: q, title: Q}}
            """),
        "z.yaml": LATER + "  a: {text: again, next: zee}\n",
    },
}


def load_both(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[LoadResult, LoadResult]:
    early = load_story(root)
    with monkeypatch.context() as patched:
        patched.setattr(loader.Loader, "try_scene", lambda self, name, d: None)
        late = load_story(root)
    return early, late


def assert_same(early: LoadResult, late: LoadResult) -> None:
    assert [str(d) for d in early.diagnostics] == [str(d) for d in late.diagnostics]
    assert (early.story is None) == (late.story is None)
    if early.story is not None and late.story is not None:
        assert dict(early.story.scenes) == dict(late.story.scenes)
        assert dict(early.story.facts) == dict(late.story.facts)
        assert dict(early.story.variables) == dict(late.story.variables)


@pytest.mark.parametrize("case", sorted(CASES))
def test_cross_file_stories(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, text in CASES[case].items():
        (tmp_path / name).write_text(text)
    early, late = load_both(tmp_path, monkeypatch)
    assert_same(early, late)
    if case == "forward_typos":
        messages = [d.message for d in early.errors]
        assert "goto: no scene 'zeee'; did you mean 'zee'?" in messages
        assert "goto: no scene 'qqqqqqq'" in messages
        assert "next of scene 'b': no scene 'zed_too'; did you mean 'zed_two'?" in messages
        assert "next of scene 'c': no scene 'xxxxxxxx'" in messages
    if case == "forward_refs_clean":
        assert early.diagnostics == () and early.story is not None


@pytest.mark.parametrize("folder", [REPO / "scenes", REPO / "docs" / "example",
                                    Path(__file__).parent / "fixtures" / "broken"])
def test_real_stories(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_same(*load_both(folder, monkeypatch))


def test_generated_story_reads_most_scenes_early(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    gen_story.generate(tmp_path, scenes=300, files=10, seed=3)
    early, late = load_both(tmp_path, monkeypatch)
    assert_same(early, late)
    read_early = []
    original = loader.Loader.build

    def spy(self: loader.Loader, *args: object) -> object:
        read_early.append(len(self.prebuilt))
        return original(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(loader.Loader, "build", spy)
    load_story(tmp_path)
    assert read_early[0] > 250  # forward gotos are noted, not a reason to wait
