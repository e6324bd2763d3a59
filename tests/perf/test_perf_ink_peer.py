"""The inkjs comparison of benchmarks/run.py converts our story to ink faithfully (untimed)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
import gen_story
import gen_story_v2
import ink_peer
import run as bench

from game.story.files import load_story


def test_conditions_keep_their_meaning_in_inks_syntax() -> None:
    assert ink_peer._condition("visits(lobby) >= 2 and not has(pam)") == (
        "((s_lobby >= 2) and (not f_pam))")
    assert ink_peer._condition('seen(desk) or mood == "calm"') == (
        '((s_desk > 0) or (v_mood == "calm"))')


def test_list_conditions_become_inks_list_queries() -> None:
    assert ink_peer._condition('"script" in pockets and count(crew) >= 2') == (
        "((v_pockets ? v_pockets.script) and (LIST_COUNT(v_crew) >= 2))")
    assert ink_peer._condition('not ("badge" in pockets)') == (
        "(not (v_pockets ? v_pockets.badge))")


def test_text_escapes_what_ink_would_read_as_markup_and_keeps_holes() -> None:
    line = ink_peer._text("Take 2 - the *real* one # cut {courage} // [a|b] {{x}}")
    assert line == ("Take 2 \\- the \\*real\\* one \\# cut {v_courage} \\/\\/ "
                    "\\[a\\|b\\] \\{x\\}")


def test_variations_become_inks_own_which_are_the_same() -> None:
    assert ink_peer._text("{&a|b} {!once|} {~x|{y|z}} {?courage >= 2|yes|no} {?seen(desk)|{courage}}"
                          ) == ("{&a|b} {!once|} {~x|{y|z}} {(v_courage >= 2): yes|no} "
                                "{(s_desk > 0): {v_courage}}")
    assert ink_peer._text("The Camera{| Again| Once More}") == "The Camera{| Again| Once More}"


def test_every_scene_becomes_a_knot_with_its_ways_on(tmp_path: Path) -> None:
    gen_story.generate(tmp_path, scenes=60, files=2)
    story = load_story(tmp_path).story
    assert story is not None
    ink = ink_peer.to_ink(tmp_path)
    knots = [line for line in ink.splitlines() if line.startswith("=== s_")]
    assert knots == [f"=== s_{sid} ===" for sid in story.scenes]
    assert ink.count("-> END") == sum(s.ending is not None for s in story.scenes.values())
    assert f"-> s_{story.start}\n" in ink
    assert all(f"VAR v_{name} = " in ink for name in story.variables)


def test_the_ink_holds_all_the_text_ours_reads_and_no_more(tmp_path: Path) -> None:
    """Faithful both ways: every title, chapter, paragraph, choice, ending and fact text
    that our check reads is in the ink (as a line, a choice or a tag), once per place ours
    holds it, and the ink has no choice ours lacks (a `next` is ours's one Continue)."""
    gen_story.generate(tmp_path, scenes=60, files=2)
    story = load_story(tmp_path).story
    assert story is not None
    ink = ink_peer.to_ink(tmp_path)
    lines = ink.splitlines()
    tags = [line for line in lines if line.startswith("# ")]
    for scene in story.scenes.values():
        assert f"# title: {ink_peer._text(str(scene.title))}" in tags
        if scene.chapter:
            assert f"# chapter: {ink_peer._text(scene.chapter)}" in tags
        if scene.ending is not None:
            assert f"# ending: {scene.ending.id}: {ink_peer._text(str(scene.ending.title))}" in tags
        for paragraph in scene.paragraphs:
            text = ink_peer._text(str(paragraph.text))
            assert any(text in line for line in lines), text
    choices = [line for line in lines if line.startswith(("+ ", "* "))]
    ours = [c for s in story.scenes.values() for c in s.choices]
    assert len(choices) == len(ours)
    assert sum("[Continue]" in line for line in choices) == sum(c.is_continue for c in ours)
    for fact in story.facts.values():
        assert f"=== j_{fact.id} ===" in lines
        assert ink_peer._text(fact.text) in lines
        assert f"# title: {ink_peer._text(fact.title)}" in tags


def test_a_worker_reports_its_own_peak_memory_not_its_parents() -> None:
    """Linux keeps a parent's peak in its child's ru_maxrss across fork and exec: a worker
    started by a grown parent must still report only its own (VmHWM)."""
    if not Path("/proc/self/status").exists():
        pytest.skip("no /proc: ru_maxrss is all there is")
    probe = (f"import sys; sys.path.insert(0, {str(Path(bench.__file__).parent)!r}); "
             "import run; print(run.peak_mib())")
    grown = ("import subprocess, sys; block = bytearray(300 * 2**20); "
             "[block.__setitem__(i, 1) for i in range(0, len(block), 4096)]; "
             f"print(subprocess.run([sys.executable, '-c', {probe!r}], capture_output=True, "
             "text=True, check=True).stdout)")
    out = subprocess.run([sys.executable, "-c", grown], capture_output=True, text=True,
                         check=True).stdout
    assert float(out) < 200, f"the child reported {out.strip()} MiB: its parent's 300 MiB"


def test_our_play_worker_takes_exactly_the_choices_asked(tmp_path: Path) -> None:
    gen_story.generate(tmp_path, scenes=60, files=2)
    story = load_story(tmp_path).story
    out = bench._play_choices(story, 250)
    assert out["characters"] > 0 and out["seconds"] > 0


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_inkjs_compiles_and_plays_the_converted_story(tmp_path: Path) -> None:
    folder = ink_peer.inkjs_folder(lambda _: None)
    if folder is None:
        pytest.skip("npm could not install inkjs")
    gen_story.generate(tmp_path / "story", scenes=200, files=2, v2=frozenset(gen_story_v2.LANDED))
    source = tmp_path / "story.ink"
    source.write_text(ink_peer.to_ink(tmp_path / "story"), encoding="utf-8")
    out = ink_peer.play_ink(folder, source, 200, 1)
    assert out["choices"] == 200 and out["characters"] > 0
