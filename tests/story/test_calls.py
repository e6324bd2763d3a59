"""Format v2's calls (`call:`, `then:`, `return: true`) in the loader and the checker: each
mistake at its file:line:col with its code, in one run, and the model both readers build.

The rules: a choice has exactly one of `goto` and `call`; `then` only beside `call`; a scene's
`return` is `true` and its only way on; and the whole-story checks of `calllint.py`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_loader import write

from game.story.calls import Calls
from game.story.files import load_story
from game.story.model import Story

HEADER = """\
story: {id: t, title: T, start: a}
variables: {n: 0}
"""


def found(tmp_path: Path, text: str) -> list[str]:
    """`line:col: severity: message [code]` of s.yaml's diagnostics."""
    folder = write(tmp_path, {"a_story.yaml": HEADER, "s.yaml": text})
    return [f"{d.pos.line}:{d.pos.col}: {d.severity}: {d.message} [{d.code}]"
            for d in load_story(folder).diagnostics if d.pos.file.endswith("s.yaml")]


def clean(tmp_path: Path, text: str) -> Story:
    folder = write(tmp_path, {"a_story.yaml": HEADER, "s.yaml": text})
    result = load_story(folder)
    assert result.story is not None and not result.diagnostics, result.diagnostics
    return result.story


SHOP = """\
scenes:
  a:
    text: Hub.
    choices:
      - {text: Shop, call: shop}
      - {text: Oracle, call: oracle, then: done, id: ask}
      - {text: Leave, goto: done}
  shop:
    text: Shop.
    choices:
      - {text: Buy, goto: paid, effects: [{add: {n: 1}}]}
      - {text: Look, goto: look}
  paid: {text: Paid., return: true}
  look: {text: Look., next: paid}
  oracle: {text: "Coins: {n}.", return: true}
  done: {text: Done., ending: {id: e, title: E}}
"""


def test_a_story_with_calls_loads_clean_into_the_model(tmp_path: Path) -> None:
    story = clean(tmp_path, SHOP)
    shop, ask, leave = story.scenes["a"].choices
    assert (shop.call, shop.goto, shop.then) == (True, "shop", None)
    assert (ask.call, ask.goto, ask.then) == (True, "oracle", "done")
    assert (leave.call, leave.then) == (False, None)
    paid = story.scenes["paid"]
    assert paid.returns and paid.continues and paid.next is None
    (back,) = paid.choices
    assert (back.id, str(back.text), back.is_continue, back.returns, back.goto) == (
        "continue", "Continue", True, True, "paid")
    assert (back.goto_pos.line, back.goto_pos.col) == (13, 31)
    assert not story.scenes["a"].returns and not story.scenes["look"].returns


def test_the_careful_reader_builds_what_the_quick_one_does(tmp_path: Path) -> None:
    """`if: true` (not text) sends a choice to the careful reader: its call is the same."""
    quick = clean(tmp_path / "q", SHOP).scenes["a"].choices
    careful = clean(tmp_path / "c", SHOP.replace("call: shop}", "call: shop, if: true}")
                    .replace("id: ask}", "id: ask, if: true}")).scenes["a"].choices
    for one, other in zip(quick, careful, strict=True):
        assert (one.id, one.goto, one.call, one.then, one.goto_pos.line, one.goto_pos.col) == (
            other.id, other.goto, other.call, other.then, other.goto_pos.line,
            other.goto_pos.col)
    assert careful[0].condition is not None and quick[0].condition is None


def test_every_reader_mistake_is_reported_at_its_place_in_one_run(tmp_path: Path) -> None:
    got = found(tmp_path, """\
scenes:
  a:
    text: t
    choices:
      - {text: One, call: shpo}
      - {text: Two, call: shop, then: dnoe}
      - {text: Three, call: shop, goto: shop}
      - {text: Four, goto: done, then: done}
      - {text: Five}
      - {text: Six, goto: done}
  shop: {text: t, return: true}
  no: {text: t, return: false}
  twice: {text: t, return: true, next: done}
  three: {text: t, return: 3}
  done: {text: t, ending: {id: e, title: E}}
""")
    assert "5:27: error: call: no scene 'shpo'; did you mean 'shop'? [OS801]" in got
    assert "6:39: error: then: no scene 'dnoe'; did you mean 'done'? [OS802]" in got
    assert any(m.startswith("7:29: error: a choice of scene 'a' has both 'goto' and 'call'")
               and m.endswith("[OS803]") for m in got)
    assert any(m.startswith("8:40: error: 'then' of a choice of scene 'a' needs 'call'")
               for m in got)
    assert "9:9: error: a choice of scene 'a' is missing 'goto' (or 'call') [OS202]" in got
    assert any(m.startswith("12:25: error: return of scene 'no' must be true") and
               m.endswith("[OS805]") for m in got)
    assert any(m.startswith("13:28: error: scene 'twice' has both 'return' and 'next'") and
               m.endswith("[OS806]") for m in got)
    assert any(m.startswith("14:28: error: return of scene 'three' must be true") and
               "the number 3" in m and m.endswith("[OS805]") for m in got)


def test_a_call_and_then_to_a_later_file_are_checked_at_the_end(tmp_path: Path) -> None:
    folder = write(tmp_path, {
        "a_story.yaml": HEADER,
        "b.yaml": "scenes:\n  a: {text: t, choices: [{text: x, call: r, then: endd}]}\n",
        "c.yaml": "scenes:\n  r: {text: t, return: true}\n"
                  "  end: {text: t, ending: {id: e, title: E}}\n"})
    got = [f"{d.pos.line}:{d.pos.col}: {d.message} [{d.code}]"
           for d in load_story(folder).diagnostics]
    assert got == ["2:51: then: no scene 'endd'; did you mean 'end'? [OS802]"]


def test_a_misspelt_goto_is_still_read_as_meant(tmp_path: Path) -> None:
    got = found(tmp_path, "scenes:\n  a: {text: t, choices: [{text: x, gotoo: b}]}\n"
                          "  b: {text: t, ending: {id: e, title: E}}\n")
    assert [m.split(" [")[-1] for m in got] == ["OS201]"]


def test_a_return_no_call_can_reach_is_an_error(tmp_path: Path) -> None:
    got = found(tmp_path, "scenes:\n  a: {text: t, next: r}\n  r: {text: t, return: true}\n")
    assert got == ["3:24: error: scene 'r' returns, but no call can reach it: a return goes "
                   "back to the scene that called, so enter it (or a scene leading to it) with "
                   "'call: r', not goto or next [OS807]"]


def test_a_return_reachable_with_no_call_open_is_a_warning(tmp_path: Path) -> None:
    got = found(tmp_path, """\
scenes:
  a:
    text: t
    choices:
      - {text: x, call: r}
      - {text: y, goto: mid}
  mid: {text: t, next: r}
  r: {text: t, return: true}
""")
    assert got == ["8:24: warning: scene 'r' returns, but it can also be reached from the start "
                   "scene 'a' with no call open, and a return there stops the game with an "
                   "error; reach it only through 'call:' [OS760]"]


def test_a_return_inside_a_call_through_gotos_is_fine(tmp_path: Path) -> None:
    story = clean(tmp_path, SHOP)
    calls = Calls.of(story)
    assert calls is not None
    assert calls.returns_to == {"paid": frozenset({"a"}), "oracle": frozenset({"done"})}
    assert calls.frames["shop"].scenes == {"shop", "paid", "look"}
    assert "paid" not in calls.top.scenes and calls.top.returns == frozenset()


def test_calls_that_recurse_without_end_are_an_error(tmp_path: Path) -> None:
    got = found(tmp_path, """\
scenes:
  a: {text: t, choices: [{text: x, call: r}]}
  r:
    text: t
    choices:
      - {text: deeper, call: s}
      - {text: wait, goto: r}
  s: {text: t, choices: [{text: back, call: r}]}
""")
    assert got == [
        "6:30: error: calls recurse without end: the call to 's' leads to a call of 'r' and "
        "'s' again, and no scene on the way returns or ends the story, so play only goes "
        "deeper until the 17th open call stops the game [OS808]"]


def test_recursion_with_a_way_out_may_still_nest_too_deep(tmp_path: Path) -> None:
    got = found(tmp_path, """\
scenes:
  a: {text: t, choices: [{text: x, call: r, then: b}]}
  b: {text: t, ending: {id: e, title: E}}
  r:
    text: t
    choices:
      - {text: again, call: r}
      - {text: out, goto: s}
  s: {text: t, return: true}
""")
    assert got == [
        "7:29: warning: the call to 'r' can lead to a call of 'r' again before it returns: "
        "calls nest at most 16 deep, and a deeper one stops the game with an error [OS761]"]


def chain(length: int) -> str:
    """Calls `length` deep, each called scene calling the next and each returning."""
    lines = ["scenes:", "  a: {text: t, choices: [{text: x, call: c1, then: b}]}",
             "  b: {text: t, ending: {id: e, title: E}}", "  back: {text: t, return: true}"]
    for i in range(1, length):
        lines.append(f"  c{i}: {{text: t, choices: [{{text: x, call: c{i + 1}, then: back}}]}}")
    lines.append(f"  c{length}: {{text: t, return: true}}")
    return "\n".join(lines) + "\n"


def test_a_chain_of_seventeen_calls_is_too_deep(tmp_path: Path) -> None:
    assert found(tmp_path, chain(17)) == [
        "2:42: warning: the call to 'c1' starts a chain of 17 calls inside each other; calls "
        "nest at most 16 deep, and a deeper one stops the game with an error [OS761]"]


def test_sixteen_nested_calls_are_fine(tmp_path: Path) -> None:
    assert found(tmp_path, chain(16)) == []


def test_a_call_that_never_comes_back_is_a_warning(tmp_path: Path) -> None:
    got = found(tmp_path, "scenes:\n  a: {text: t, choices: [{text: x, call: b, then: a}]}\n"
                          "  b: {text: t, ending: {id: e, title: E}}\n")
    assert got == ["2:42: warning: call: 'b' never comes back (no way on from it reaches a "
                   "scene with 'return: true'); its then: 'a' is never used; if it is not "
                   "meant to return, use goto [OS762]"]


def test_a_once_hub_re_entered_by_returns_is_a_once_trap(tmp_path: Path) -> None:
    got = found(tmp_path, """\
scenes:
  a:
    text: t
    choices:
      - {text: x, call: r, once: true}
      - {text: y, goto: b, once: true}
  r: {text: t, return: true}
  b: {text: t, ending: {id: e, title: E}}
""")
    assert [m.split(" [")[-1] for m in got] == ["OS709]"]


def test_a_then_scene_counts_as_reachable(tmp_path: Path) -> None:
    story = clean(tmp_path, SHOP)
    assert "done" in story.scenes  # only `then: done` and a goto lead there; no OS701


def test_the_guides_example_checks_clean_and_plays_as_it_says(tmp_path: Path) -> None:
    """docs/writing-scenes.md, "Calls (tunnels)": its scenes, with a street to end on."""
    guide = (Path(__file__).parents[2] / "docs" / "writing-scenes.md").read_text("utf-8")
    section = guide.split("### Calls (tunnels) (format v2)", 1)[1]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    folder = write(tmp_path, {
        "story.yaml": "story: {id: t, title: T, start: diner}\nvariables: {cups: 0}\n",
        "s.yaml": "scenes:\n" + example
                  + "  street: {text: The street., ending: {id: e, title: E}}\n"})
    result = load_story(folder)
    assert result.story is not None and not result.diagnostics, result.diagnostics
    from game.engine import Engine

    engine = Engine(result.story)
    state = engine.start()
    for choice in ("call_jenna", "talk_about_the_script", "continue"):
        state = engine.choose(state, choice)
    assert (state.scene, state.visits["diner"], state.stack) == ("diner", 2, ())
    state = engine.choose(engine.choose(state, "order_and_leave"), "continue")
    assert (state.scene, state.variables["cups"]) == ("street", 1)


def test_a_long_chain_of_calls_walks_each_frame_a_few_times(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            ) -> None:
    """Hostile input stays cheap: 400 calls inside each other are checked walking each
    frame at most twice (the fixpoint's work list), not once per level (400 x 400)."""
    from game.story import calls as calls_module

    walked: list[str] = []
    real = calls_module.frame

    def counting(*args: object, **kwargs: object) -> calls_module.Frame:
        walked.append(str(args[1]))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(calls_module, "frame", counting)
    folder = write(tmp_path, {"a_story.yaml": HEADER, "s.yaml": chain(400)})
    assert [d.code for d in load_story(folder).diagnostics
            if d.pos.file.endswith("s.yaml")] == ["OS761"]
    assert len(set(walked)) == 401  # every called scene, and the start's frame
    assert len(walked) <= 2 * 400 + 1
