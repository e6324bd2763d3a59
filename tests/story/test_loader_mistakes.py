"""Mistakes that used to slip through `offscreen check` or mislead the author (issue 13):
each one is reported once, at its file:line:col, in words that say what to do."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_loader import write

from game.story.files import load_story

HEADER = """\
story: {id: t, title: T, start: a}
variables: {n: 0, flag: false, trust: 0}
facts:
  f1: {title: F1, text: One.}
"""


def diagnostics(folder: Path) -> list[str]:
    """`file:line:col: severity: message`, by the file's name (wherever the test runs)."""
    return [f"{Path(d.pos.file).name}:{d.pos.line}:{d.pos.col}: {d.severity}: {d.message}"
            for d in load_story(folder).diagnostics]


def scenes(tmp_path: Path, text: str, header: str = HEADER) -> list[str]:
    """The diagnostics in b_scenes.yaml, the file holding `text`."""
    folder = write(tmp_path, {"a_story.yaml": header, "b_scenes.yaml": text})
    return [d for d in diagnostics(folder) if d.startswith("b_scenes.yaml:")]


def test_an_id_with_a_non_ascii_letter_says_ascii(tmp_path: Path) -> None:
    got = scenes(tmp_path, "scenes:\n  a: {text: t, next: café}\n  café: {text: t, "
                           "ending: {id: e, title: E}}\n")
    assert ("b_scenes.yaml:2:22: error: next of scene 'a' 'café' is not a valid id: use ASCII "
            "letters (a-z, A-Z), digits and underscores, not starting with a digit") in got
    assert ("b_scenes.yaml:3:3: error: scene id 'café' is not valid: use ASCII letters "
            "(a-z, A-Z), digits and underscores, not starting with a digit") in got


def test_a_key_written_twice_is_read_as_yaml_keeps_it_the_last_copy(tmp_path: Path) -> None:
    got = scenes(tmp_path, """\
        scenes:
          a:
            text: t
            choices:
              - {text: Go, goto: b}
            choices:
              - {text: Go, goto: c}
          b: {text: t, ending: {id: e, title: E}}
          c: {text: t, ending: {id: f, title: F}}
        """)
    assert got == [
        "b_scenes.yaml:6:5: error: duplicate key 'choices' in scene 'a' (first at line 4); "
        "YAML keeps only the last one, which is read here",
        "b_scenes.yaml:8:3: warning: scene 'b' can never be reached from the start scene 'a'",
        "b_scenes.yaml:8:24: warning: ending 'e' can never be reached",
    ]


def test_a_third_copy_still_cites_the_first_and_the_last_is_read(tmp_path: Path) -> None:
    text = "scenes:\n  a:\n    title: X\n    title: Y\n    text: t\n    title: Z\n" \
           "    ending: {id: e, title: E}\n"
    assert scenes(tmp_path, text) == [
        "b_scenes.yaml:4:5: error: duplicate key 'title' in scene 'a' (first at line 3); "
        "YAML keeps only the last one, which is read here",
        "b_scenes.yaml:6:5: error: duplicate key 'title' in scene 'a' (first at line 3); "
        "YAML keeps only the last one, which is read here",
    ]


def test_an_ending_written_as_a_list_is_an_error_with_an_example(tmp_path: Path) -> None:
    """It once passed `check`, dead-ended in `play` and crashed `offscreen test`."""
    got = scenes(tmp_path, "scenes:\n  a:\n    text: t\n    ending: [x, The X]\n")
    assert got == ["b_scenes.yaml:4:13: error: ending of scene 'a' needs an id and a title, "
                   "like: ending: {id: x, title: The X}"]


def test_offscreen_test_refuses_that_story_instead_of_crashing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from game.commands import test

    write(tmp_path, {"s.yaml": "story: {id: t, title: T, start: a}\nscenes:\n"
                               "  a: {text: t, next: b}\n  b:\n    text: t\n"
                               "    ending: [x, The X]\n"})
    assert test.run(tmp_path, runs=5) == 1
    out = capsys.readouterr()
    assert "s.yaml:6:13: error: ending of scene 'b' needs an id and a title" in out.out
    assert "internal error" not in out.out + out.err


def test_ending_true_suggests_a_valid_id_the_scenes_own(tmp_path: Path) -> None:
    got = scenes(tmp_path, "scenes:\n  a: {text: t, next: finale}\n"
                           "  finale: {text: t, ending: true}\n")
    assert got == ["b_scenes.yaml:3:29: error: ending of scene 'finale' needs an id and a "
                   "title, like: ending: {id: finale, title: ...}"]


def test_a_name_yaml_reads_as_true_or_a_number_is_not_an_id(tmp_path: Path) -> None:
    got = scenes(tmp_path, "scenes:\n  a: {text: t, choices: [{text: Go, goto: yes}]}\n"
                           "  'yes': {text: t, ending: {id: e, title: E}}\n")
    assert [m for m in got if "error" in m] == [
        "b_scenes.yaml:2:43: error: goto of a choice of scene 'a' must be a name, not "
        "true/false (yes); quote it if it is one"]


def test_next_in_a_choice_says_choices_use_goto_and_is_read_as_goto(tmp_path: Path) -> None:
    got = scenes(tmp_path, "scenes:\n  a:\n    text: t\n    choices:\n"
                           "      - {text: Go, next: b}\n  b: {text: t, ending: {id: e, title: E}}\n")
    assert got == ["b_scenes.yaml:5:20: error: unknown key 'next' in a choice of scene 'a'; a "
                   "choice leads on with 'goto' ('next' is a scene's single Continue)"]


def test_goto_in_a_scene_says_scenes_use_next(tmp_path: Path) -> None:
    got = scenes(tmp_path, "scenes:\n  a: {text: t, goto: b}\n"
                           "  b: {text: t, ending: {id: e, title: E}}\n")
    assert got[0] == ("b_scenes.yaml:2:16: error: unknown key 'goto' in scene 'a'; a scene "
                      "with a single Continue uses 'next' (choices use 'goto')")


def test_set_with_a_formula_points_to_add_and_compute(tmp_path: Path) -> None:
    got = scenes(tmp_path, "scenes:\n  a:\n    text: '{trust}{n}{flag}'\n"
                           "    on_enter: [{set: {trust: trust + 1, n: n * 2, flag: not flag}}]\n"
                           "    ending: {id: e, title: E}\n")
    assert got == [
        "b_scenes.yaml:4:30: error: set trust: 'trust + 1' is a formula, but set takes a "
        "literal value: to change it by 1 write add: {trust: 1}; for any other value worked "
        "out in play, compute: {trust: \"trust + 1\"} (scene format v2)",
        "b_scenes.yaml:4:44: error: set n: 'n * 2' is a formula, but set takes a literal "
        "value: to add to it use add: {n: N}; for a value worked out in play, "
        "compute: {n: \"n * 2\"} (scene format v2)",
        "b_scenes.yaml:4:57: error: set flag: 'not flag' is a formula, but set takes a "
        "literal value; for a value worked out in play, compute: {flag: \"not flag\"} "
        "(scene format v2)",
    ]


def test_a_file_that_cannot_be_read_does_not_cascade(tmp_path: Path) -> None:
    """One indentation slip used to make every reference to the file's scenes "missing"
    (with a misleading "did you mean" for the start scene). Names the broken file may
    define are not blamed; a name it does not even mention still is."""
    folder = write(tmp_path, {
        "a_story.yaml": "story: {id: t, title: T, start: lobby}\nvariables: {n: 0}\n"
                        "facts:\n  f1: {title: F1, text: One.}\n",
        "b_lobby.yaml": """\
            scenes:
              lobby:
                text: '{n}'
                choices:
                  - {text: In, goto: kitchen, if: seen(kitchen) or has(f1)}
                  - {text: Out, goto: yrad}
              lobbyy: {text: t, next: kitchen}
            """,
        "c_kitchen.yaml": """\
            scenes:
              kitchen:
                text: t
                 on_enter: [{unlock: f1}]
                ending: {id: e, title: E}
              yard: {text: t, ending: {id: y, title: Y}}
            """,
    })
    assert diagnostics(folder) == [
        "c_kitchen.yaml:4:14: error: YAML syntax: mapping values are not allowed in this "
        "context; unquoted text may not contain ': ' (quote the text), or this line is "
        "indented wrongly",
        "c_kitchen.yaml:4:14: warning: this file could not be read, so 3 references "
        "elsewhere to names it may define were not checked; fix it, then check again",
        "b_lobby.yaml:6:27: error: goto: no scene 'yrad'",
        "b_lobby.yaml:7:3: warning: scene 'lobbyy' can never be reached from the start "
        "scene 'lobby'",
    ]


def test_a_file_that_cannot_be_read_hides_names_in_v2_places_too(tmp_path: Path) -> None:
    """Format v2 refers to names in more places: `{?COND|..}` in titles, text, choice texts
    and reasons, `enabled`, `call:`/`then:`, list items in `add`/`remove`/`in`, `compute`.
    None of them is blamed when the file that defines the name cannot be read, and nothing
    a dropped reference leaves behind is blamed either (here both choices of `a` that
    remain lead to `b` with no effects: their effects named the unreadable file's list)."""
    folder = write(tmp_path, {
        "a_main.yaml": """\
            story: {id: u, title: U, start: a}
            variables: {x: 0}
            scenes:
              a:
                title: "A {?hidden > 1|big}"
                text: "{?hidden > 1|big|small} {&one|{?has(clue)|two}} {x}"
                choices:
                  - {text: "Call {?seen(secret)|again}", call: secret, then: secret2}
                  - {text: Lock, goto: b, enabled: "hidden > 0", reason: "{?hidden > 2|no}"}
                  - text: Bag
                    goto: b
                    if: '"coin" in bag'
                    effects: [{add: {bag: coin}}, {remove: {bag: [coin]}},
                              {compute: {x: "hidden + count(bag)"}}]
              b: {text: B, ending: {id: e, title: "E {?hidden > 1|x}"}}
            """,
        "b_broken.yaml": """\
            variables:
              hidden: 0
              bag: {items: [coin, key], default: []}
            facts:
              clue: {title: C, text: t}
            scenes:
              secret: {text: S, return: true}
              secret2: {text: S, next: b
            """,
    })
    assert diagnostics(folder) == [
        "b_broken.yaml:9:1: error: YAML syntax: did not find expected ',' or '}' (while "
        "parsing a flow mapping that starts at line 8, column 12)",
        "b_broken.yaml:9:1: warning: this file could not be read, so 14 references "
        "elsewhere to names it may define were not checked; fix it, then check again",
    ]


def test_a_file_that_is_not_text_hides_every_missing_name(tmp_path: Path) -> None:
    folder = write(tmp_path, {"a_story.yaml": "story: {id: t, title: T, start: a}\n"})
    (folder / "b_scenes.yaml").write_bytes(b"scenes:\n  a: {text: \xff, next: a}\n")
    assert diagnostics(folder) == [
        "b_scenes.yaml:2:13: error: not UTF-8 text (byte 0xff); save the file as UTF-8",
        "b_scenes.yaml:2:13: warning: this file could not be read, so 1 reference elsewhere "
        "to names it may define was not checked; fix it, then check again",
    ]


def test_brackets_in_text_and_comments_are_not_nesting(tmp_path: Path) -> None:
    """The depth pre-scan once counted every `[` and `{`, so a scene whose text held a long
    run of them was refused as "nested more than 1000 levels": only structure counts."""
    folder = write(tmp_path, {"story.yaml": (
        "story: {id: t, title: T, start: a}\n"
        f"# {'[' * 3000}\n"
        "scenes:\n"
        "  a:\n"
        f"    title: '{'[' * 2000}'\n"
        "    text: |\n"
        f"      {'[' * (1 << 20)}\n"
        f"      {'{{' * 2000}\n"
        f"    next: b\n"
        f"  b: {{text: \"{'[' * 2000}\", ending: {{id: e, title: E}}}}\n")})
    assert diagnostics(folder) == []


def test_real_deep_nesting_is_still_refused_at_its_place(tmp_path: Path) -> None:
    write(tmp_path, {"a_story.yaml": "story: {id: t, title: T, start: a}\nscenes:\n"
                                     "  a: {text: t, ending: {id: e, title: E}}\n"})
    (tmp_path / "b_deep.yaml").write_text("[" * (1 << 20), encoding="utf-8")  # 1 MiB of '['
    (tmp_path / "c_mixed.yaml").write_text(
        "x: ['" + "[" * 5000 + "', " + "[" * 1000 + "]\n", encoding="utf-8")
    got = [m for m in diagnostics(tmp_path) if "nested" in m]
    assert got == ["b_deep.yaml:1:1001: error: nested more than 1000 levels deep",
                   "c_mixed.yaml:1:6007: error: nested more than 1000 levels deep"]


def test_conditions_that_are_provably_always_false_are_errors(tmp_path: Path) -> None:
    got = scenes(tmp_path, """\
        scenes:
          a:
            text:
              - t
              - {if: 'visits(a) == 0', text: Never shown.}
            choices:
              - {text: One, goto: b, if: not seen(a)}
              - {text: Two, goto: b, if: n > 3 and n < 2}
              - {text: Three, goto: b, if: "flag and trust >= 1 and not flag"}
              - {text: Four, goto: b, if: n / (2 - 2) > 1}
              - {text: Five, goto: c}
          b: {text: t, ending: {id: e, title: E}}
          c: {text: t, ending: {id: f, title: F}}
        """)
    assert got == [
        "b_scenes.yaml:5:15: error: this condition is always false: 'visits(a) == 0' never "
        "holds in scene 'a': its choices and text show after it is entered, so it has been "
        "seen",
        "b_scenes.yaml:7:34: error: this condition is always false: 'not seen(a)' never holds "
        "in scene 'a': its choices and text show after it is entered, so it has been seen",
        "b_scenes.yaml:8:44: error: this condition is always false: 'n < 2' cannot hold "
        "together with 'n > 3'",
        "b_scenes.yaml:9:61: error: this condition is always false: 'not flag' cannot hold "
        "together with 'flag'",
        "b_scenes.yaml:10:37: error: division by zero: this '/' divides by 0 whenever the "
        "condition is evaluated",
    ]


def test_what_can_hold_is_not_called_always_false(tmp_path: Path) -> None:
    """Sound, not clever: each of these holds for some state."""
    got = scenes(tmp_path, """\
        scenes:
          a:
            text: '{n}{trust}{flag}'
            choices:
              - {text: One, goto: b, if: not seen(b)}
              - {text: Two, goto: b, if: n > 3 and n < 4}
              - {text: Three, goto: b, if: (n > 3 or flag) and n < 2}
              - {text: Four, goto: b, if: n >= 2 and n <= 2 and visits(a) == 1}
              - {text: Five, goto: b, if: n / 2 > 1 and trust != 1 and trust != 2}
              - {text: Six, goto: c}
          b: {text: t, ending: {id: e, title: E}}
          c: {text: t, ending: {id: f, title: F}}
        """)
    assert got == []
