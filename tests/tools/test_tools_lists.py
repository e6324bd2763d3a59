"""List variables (format v2) in the author tools, on generated stories: the fast runner
plays exactly like the Engine, step for step, and the exhaustive proof (which keeps a live
list exactly and treats `add`/`remove` as keeping it live) agrees with its naive twin."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_tools_proof import replays_stuck, verdict
from test_tools_runner import _agree
from tools_helpers import FIXTURES, generated, load

from game.tools.exhaustive import search
from game.tools.playtest import random_runs

SCENES = ["s0", "s1", "s2", "s3"]
CONDITIONS = st.sampled_from([
    None, None, '"a" in bag', 'not ("b" in bag)', "count(bag) >= 2", "count(bag) == 0",
    'w in bag', '"c" in bag or n > 0', 'count(bag) + n > 2', "n >= 1",
])
EFFECTS = st.sampled_from([
    {"add": {"bag": "a"}}, {"add": {"bag": ["b", "c"]}}, {"remove": {"bag": "a"}},
    {"remove": {"bag": ["a", "b", "c"]}}, {"set": {"bag": ["c"]}}, {"set": {"bag": []}},
    {"add": {"n": 1}}, {"set": {"w": "b"}}, {"set": {"w": "c"}},
    {"compute": {"n": "count(bag) + min(n, 2)"}},
])


@st.composite
def stories(draw: st.DrawFn) -> dict[str, object]:
    scenes: dict[str, object] = {}
    for number, sid in enumerate(SCENES):
        if number and draw(st.integers(0, 3)) == 0:
            scenes[sid] = {"text": f"{sid} {{bag}}", "ending": {"id": f"e{sid}", "title": sid}}
            continue
        choices = []
        for c in range(draw(st.integers(1, 3))):
            choice: dict[str, object] = {"id": f"c{c}", "text": f"c{c} {{bag}}",
                                         "goto": draw(st.sampled_from(SCENES))}
            condition = draw(CONDITIONS)
            if condition is not None:
                choice["if"] = condition
            effects = draw(st.lists(EFFECTS, max_size=2))
            if effects:
                choice["effects"] = effects
            choices.append(choice)
        scene: dict[str, object] = {"text": f"{sid}: {{bag}}", "choices": choices}
        on_enter = draw(st.lists(EFFECTS, max_size=2))
        if on_enter:
            scene["on_enter"] = on_enter
        scenes[sid] = scene
    return {"story": {"id": "g", "title": "G", "start": "s0"},
            "variables": {"bag": {"items": ["a", "b", "c"],
                                  "default": draw(st.sampled_from([[], ["a"], ["b", "c"]]))},
                          "n": 0, "w": "a"},
            "scenes": scenes}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stories())
def test_the_fast_runner_plays_generated_list_stories_exactly_like_the_engine(
        data: dict[str, object]) -> None:
    story = generated(data)
    _agree(story, 6)  # the runner's state after every step is the Engine's
    fast = random_runs(story, 40, seed=3, max_steps=25)
    slow = random_runs(story, 40, seed=3, max_steps=25, reference=True)
    assert (fast.coverage, fast.steps, fast.problems) == (slow.coverage, slow.steps,
                                                           slow.problems)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stories())
def test_the_proof_and_the_naive_search_agree_on_generated_list_stories(
        data: dict[str, object]) -> None:
    story = generated(data)
    proof = search(story, max_states=5_000)
    naive = search(story, max_states=5_000, naive=True)
    if naive.complete:
        assert verdict(story, proof) == verdict(story, naive)
        assert proof.states <= naive.states
    for finding in proof.stuck:
        assert replays_stuck(story, finding)


def test_the_list_fixture_is_proven_complete() -> None:
    story = load(FIXTURES / "lists")
    report = search(story)
    assert report.complete and not report.stuck and not report.errors
    assert not verdict(story, report)[1]  # every scene, choice and ending reached
