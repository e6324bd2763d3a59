"""Hostile story files get a clear positioned error, quickly, in bounded memory, running nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from game.story import yamlsrc
from game.story.files import load_story

HEADER = "story: {id: t, title: T, start: a}\n"


def check(folder: Path) -> subprocess.CompletedProcess[str]:
    """Out of process, so that a crash in libyaml would fail the test instead of pytest."""
    return subprocess.run([sys.executable, "-m", "game", "check", str(folder)],
                          capture_output=True, text=True, timeout=60, check=False)


def test_python_tags_are_reported_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    (tmp_path / "s.yaml").write_text(
        HEADER + "scenes:\n  a:\n"
        f"    text: !!python/object/apply:os.system ['touch {marker}']\n"
        "    title: !!python/name:os.system\n"
        "    ending: !!python/object:builtins.dict {id: e, title: E}\n")
    result = load_story(tmp_path)
    messages = [str(d) for d in result.errors]
    assert not marker.exists()
    assert any(":4:11: error: unsupported YAML tag '!!python/object/apply:os.system'" in m
               for m in messages), messages
    assert any(":5:12: error: unsupported YAML tag '!!python/name:os.system'" in m
               for m in messages), messages
    assert any(":6:13: error: unsupported YAML tag '!!python/object:builtins.dict'" in m
               for m in messages), messages


def test_alias_bomb_is_cheap(tmp_path: Path) -> None:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [{', '.join(['*' + prev] * 9)}]")
    bomb = "\n".join("  " + line for line in lines)
    (tmp_path / "s.yaml").write_text(
        HEADER + "variables:\n" + bomb + "\nscenes:\n  a:\n    text: *j\n"
        "    ending: {id: e, title: E}\n")
    tracemalloc.start()
    started = time.perf_counter()
    result = load_story(tmp_path)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    # 9**10 (3.5 billion) nodes if expanded; we read each written node once.
    assert peak < 20 * 2**20
    assert elapsed < 10  # generous: a regression would take hours, not seconds
    assert result.story is None
    assert any("variable 'a' must be a number, true/false or text, not a list" in d.message
               for d in result.errors)


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as handle:
        handle.truncate(yamlsrc.MAX_FILE_BYTES + 1)  # sparse: costs no disk
    (tmp_path / "s.yaml").write_text(HEADER + "scenes:\n  a: {text: t, ending: {id: e, title: E}}\n")
    tracemalloc.start()
    result = load_story(tmp_path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 5 * 2**20
    errors = [str(d) for d in result.errors]
    assert len(errors) == 1
    assert "huge.yaml:1:1: error: file is 64 MiB; story files are limited to 64 MiB" in errors[0]


def test_binary_junk_and_non_utf8(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(HEADER + "scenes:\n  a: {text: t, ending: {id: e, title: E}}\n")
    (tmp_path / "junk.yaml").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "latin1.yaml").write_bytes("scenes:\n  b:\n    text: caf\xe9\n".encode("latin-1"))
    (tmp_path / "nul.yaml").write_bytes(b"scenes:\n  c: {text: \"a\x00b\"}\n")
    errors = {Path(d.pos.file).name: str(d) for d in load_story(tmp_path).errors}
    # byte 10 of the junk is a newline, so byte 0x80 is on line 2
    assert "junk.yaml:2:118: error: not UTF-8 text (byte 0x80)" in errors["junk.yaml"]
    assert "latin1.yaml:3:14: error: not UTF-8 text (byte 0xe9); save the file as UTF-8" \
        in errors["latin1.yaml"]
    assert "nul.yaml:2:15: error: YAML syntax: control character U+0000 is not allowed" \
        in errors["nul.yaml"]


def test_deep_nesting_is_refused_not_a_crash(tmp_path: Path) -> None:
    depth = 100_000  # libyaml's composer segfaults somewhere past 20,000
    (tmp_path / "a.yaml").write_text(HEADER + "scenes:\n  a: {text: t, ending: {id: e, title: E}}\n")
    (tmp_path / "flow.yaml").write_text("x: " + "[" * depth + "]" * depth + "\n")
    (tmp_path / "compact.yaml").write_text("x:\n" + "- " * depth + "1\n")
    (tmp_path / "indent.yaml").write_text("".join(" " * i + f"k{i}:\n" for i in range(1200)))
    result = check(tmp_path)
    assert result.returncode == 1, result.stderr
    out = result.stdout
    assert "flow.yaml:1:1003: error: nested more than 1000 levels deep" in out
    # where the thousand-and-first level opens (the pre-scan counts structure exactly now)
    assert "compact.yaml:2:1999: error: nested more than 1000 levels deep" in out
    assert "indent.yaml:1000:1004: error: nested more than 1000 levels deep" in out
    assert "Traceback" not in result.stderr


def test_play_on_a_broken_story_prints_the_check_diagnostics_and_exits_1(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(HEADER + "scenes:\n  a: {text: t, gotto: a}\n")
    env = {**os.environ, "OFFSCREEN_SAVES": str(tmp_path / "saves")}
    played = subprocess.run([sys.executable, "-m", "game", "play", "--plain", "--story",
                             str(tmp_path)], capture_output=True, text=True, input="",
                            timeout=60, check=False, env=env)
    checked = check(tmp_path)
    assert played.returncode == 1 and checked.returncode == 1
    diagnostics = [line for line in checked.stdout.splitlines() if ": error: " in line]
    assert diagnostics
    for line in diagnostics:
        assert line in played.stderr
    assert "Traceback" not in played.stderr + checked.stderr


def test_empty_and_comment_only_files_are_fine(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(HEADER + "scenes:\n  a: {text: t, ending: {id: e, title: E}}\n")
    (tmp_path / "empty.yaml").write_text("")
    (tmp_path / "comments.yml").write_text("# notes for later\n")
    result = load_story(tmp_path)
    assert result.diagnostics == ()
    assert len(result.files) == 3


def test_common_yaml_slips_get_a_hint_saying_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(HEADER + "scenes:\n  a: {text: t, ending: {id: e, title: E}}\n")
    cases = {
        "tab.yaml": ("x:\n\ty: 1\n", "2:1", "a tab is used for indentation"),
        "colon.yaml": ("x: Note: this\n", "1:8", "unquoted text may not contain ': '"),
        "star.yaml": ("x: *Great* day\n", "1:10", "text that starts with '*' or '&' must be "
                                                  "quoted"),
        "indent.yaml": ("x:\n  y: 1\n z: 2\n", "3:2", "indentation does not match"),
        "quote.yaml": ('x: "open\n', "2:1", "a quoted text is never closed"),
    }
    for name, (text, _, _) in cases.items():
        (tmp_path / name).write_text(text)
    errors = {Path(d.pos.file).name: d for d in load_story(tmp_path).errors}
    for name, (_, where, hint) in cases.items():
        got = errors[name]
        assert f"{got.pos.line}:{got.pos.col}" == where, (name, str(got))
        assert got.message.startswith("YAML syntax: ") and hint in got.message, str(got)


@settings(max_examples=500, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("[{-?]} a\n\u00e9\u2014\ud800\U0001f3ac")),
                    max_size=40))
def test_nesting_marks_are_the_four_counts(text: str) -> None:
    """The one-pass count `_too_deep` asks (bytes.translate) is the four `str.count`s, on
    any text: non-ASCII, astral and a lone surrogate (an editor's buffer) included."""
    assert yamlsrc.nesting_marks(text) == (text.count("[") + text.count("{"),
                                           text.count("-") + text.count("?"))
