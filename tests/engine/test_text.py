"""Rendering text variations (format v2, game/engine/text.py): each kind by visit, titles
of scenes and endings, and purity: the same state shows the same text, every time, also
after a save's codec round trip; a shuffle is stable for a state and moves with the seed."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.engine import Engine, GameState
from game.engine.text import Context, render, shuffled
from game.storage.codec import decode_chain, encode_chain
from game.story.files import load_or_raise
from game.story.model import Story
from game.story.scene import Template

STORY = """\
story: {id: t, title: T, start: hub}
variables: {cups: 3, brave: false, name: Ada}
facts:
  f1: {title: F1, text: One.}
scenes:
  hub:
    title: "Hub, visit {&one|two|three}"
    text:
      - "seq:{first|second|third}"
      - "cycle:{&a|b|c}"
      - "once:{!x|y}"
      - "shuffle:{~p|q|r|s|t|u|v|w}"
      - "if:{?brave|bold|shy} {?cups > 1|{cups} cups|one cup}"
      - "nested:{{{&{name}|{?has(f1)|known|new}}}}"
    choices:
      - {text: "{Sit|Sit again}", goto: hub, effects: [{add: {cups: -1}}]}
      - {text: Dare, goto: hub, effects: [{set: {brave: true}}, {unlock: f1}]}
      - {text: Leave, goto: end}
  end:
    text: t
    ending: {id: e, title: "Left with {cups} {?cups == 1|cup|cups}"}
"""


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Story:
    folder = tmp_path_factory.mktemp("v2text")
    (folder / "story.yaml").write_text(STORY, encoding="utf-8")
    return load_or_raise(folder)


def texts(engine: Engine, state: GameState) -> dict[str, str]:
    view = engine.view(state)
    return {p.split(":", 1)[0]: p.split(":", 1)[1] for p in view.paragraphs}


def test_each_kind_by_visit(story: Story) -> None:
    engine = Engine(story)
    state = engine.start()
    seen = []
    for _ in range(4):
        shown = texts(engine, state)
        seen.append((shown["seq"], shown["cycle"], shown["once"], engine.view(state).title))
        state = engine.choose(state, "sit_sit_again")
    assert seen == [("first", "a", "x", "Hub, visit one"),
                    ("second", "b", "y", "Hub, visit two"),
                    ("third", "c", "", "Hub, visit three"),
                    ("third", "a", "", "Hub, visit one")]


def test_conditions_and_nesting_read_the_state(story: Story) -> None:
    engine = Engine(story)
    state = engine.start()
    assert texts(engine, state)["if"] == "shy 3 cups"
    assert texts(engine, state)["nested"] == "{Ada}"
    assert [c.text for c in engine.view(state).choices] == ["Sit", "Dare", "Leave"]
    state = engine.choose(state, "dare")
    assert texts(engine, state)["if"] == "bold 3 cups"
    assert texts(engine, state)["nested"] == "{known}"  # visit 2: the cycle's second item
    state = engine.choose(engine.choose(state, "sit_sit_again"), "sit_sit_again")
    assert texts(engine, state)["if"] == "bold one cup"
    assert engine.view(state).choices[0].text == "Sit again"


def test_an_ending_title_is_rendered_when_reached(story: Story) -> None:
    engine = Engine(story)
    state = engine.choose(engine.choose(engine.start(), "sit_sit_again"), "leave")
    view = engine.view(state)
    assert view.ending is not None and view.ending.title == "Left with 2 cups"
    assert story.endings["e"].title == "Left with {cups} {?cups == 1|cup|cups}"


def test_a_shuffle_is_a_pure_function_of_seed_scene_visit_and_place() -> None:
    picks = {shuffled(0, "hub", 1, 7, 8) for _ in range(5)}
    assert len(picks) == 1
    assert len({shuffled(seed, "hub", 1, 7, 8) for seed in range(40)}) > 4
    assert len({shuffled(0, "hub", visit, 7, 8) for visit in range(1, 40)}) > 4
    assert len({shuffled(0, "hub", 1, salt, 8) for salt in range(40)}) > 4
    assert shuffled(12345, "hub", 3, 99, 5) == shuffled(12345, "hub", 3, 99, 5)


def test_the_seed_moves_a_shuffle(story: Story) -> None:
    template = story.scenes["hub"].paragraphs[3].text
    state = Engine(story).start()

    def shown(seed: int) -> str:
        return render(template.parts, Context(state.variables, state.visits, frozenset,
                                              "hub", seed))

    assert shown(1) == shown(1)
    assert len({shown(seed) for seed in range(30)}) > 3
    engine = Engine(story)  # the game's own seed (GameState.seed) is the one used
    by_seed = {seed: texts(engine, engine.start(seed))["shuffle"] for seed in range(30)}
    assert {seed: "shuffle:" + text for seed, text in by_seed.items()} == {
        seed: shown(seed) for seed in range(30)}
    assert texts(engine, engine.start(7)) == texts(Engine(story), engine.start(7))


def walk(engine: Engine, picks: list[int]) -> GameState:
    state = engine.start()
    for pick in picks:
        available = engine.choices(state)
        if not available:
            break
        state = engine.take(state, available[pick % len(available)])
    return state


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=5), max_size=12))
def test_rendering_is_pure(story: Story, picks: list[int]) -> None:
    engine, other = Engine(story), Engine(story)
    state = walk(engine, picks)
    first = engine.view(state)
    assert engine.view(state) == first  # twice
    assert other.view(state) == first  # another engine on the same story
    again = decode_chain(encode_chain(state))  # a save's codec round trip
    assert again == state
    assert engine.view(again) == first
    if state.previous is not None:  # back, then the same state shows the same text
        assert engine.view(engine.take(state.previous, next(
            c for c in engine.choices(state.previous) if c.id == state.via))) == first


def test_plain_and_v1_text_render_as_before(story: Story) -> None:
    engine = Engine(story)
    state = engine.start()
    assert engine.render(Template(("plain",)), state) == "plain"
    assert engine.render(Template(("Hi ", "name", ", ", "cups", ".")), state) == "Hi Ada, 3."


def test_the_cache_keeps_the_parsed_templates(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OFFSCREEN_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "story.yaml").write_text(textwrap.dedent(STORY), encoding="utf-8")
    cold, warm = load_or_raise(folder), load_or_raise(folder)
    assert warm.scenes["hub"] == cold.scenes["hub"]
    assert warm.scenes["hub"] is not cold.scenes["hub"]
    state = walk(Engine(cold), [1, 0, 0])
    assert Engine(warm).view(state) == Engine(cold).view(state)


def test_the_guide_s_example_shows_what_the_guide_says(tmp_path: Path) -> None:
    guide = (Path(__file__).parents[2] / "docs" / "writing-scenes.md").read_text("utf-8")
    section = guide.split("### Text variations (format v2)", 1)[1]
    block = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "story.yaml").write_text(
        "story: {id: g, title: G, start: hub}\nvariables: {day: 1, cups: 2}\nscenes:\n"
        + block + "    choices:\n      - {text: Again, goto: hub, effects: [{add: {cups: -1}}]}\n",
        encoding="utf-8")
    engine = Engine(load_or_raise(tmp_path))
    state = engine.start()
    views = []
    for _ in range(4):
        views.append(engine.view(state))
        state = engine.choose(state, "again")
    assert [v.title for v in views] == ["Day 1: morning", "Day 1: afternoon", "Day 1: evening",
                                        "Day 1: morning"]
    assert [v.paragraphs[0] for v in views] == [
        "You step into the café.", "The café again.", "Back at the café, as usual.",
        "Back at the café, as usual."]
    assert views[0].paragraphs[1] == "The barista nods. She asks your name."
    assert views[2].paragraphs[1] == "The barista doesn't look up."
    assert [v.paragraphs[3] for v in views[:2]] == ["You have 2 cups left.",
                                                   "You have one cup left."]
    assert all(v.paragraphs[2].startswith("The radio plays ") for v in views)
