"""The proof's abstractions (live slots, cut points, facts outside the key) are sound.

Each small story here is built so that one wrong abstraction would hide a dead end, an
ending or a loop; each is checked against the naive search (every variable, count and fact
kept exactly) and, where that cannot finish, against what the real engine does on the route
the search reports. The property test at the end holds the two searches' verdicts equal on
generated stories.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tools_helpers import EXAMPLE, from_text, generated, load, shipped

from game.engine import Engine
from game.story.model import Story
from game.tools import coverage as cov
from game.tools.exhaustive import ExhaustiveReport, Outcomes, search
from game.tools.findings import Finding
from game.tools.liveness import analyse
from game.tools.playtest import random_runs
from game.tools.runner import STRATEGIES


def verdict(story: Story, report: ExhaustiveReport) -> tuple[object, ...]:
    """What a proof claims: complete or not, what it reached, where play stops wrongly."""
    never = {(i.kind, i.key) for i in cov.unreached(story, report.coverage)}
    return (report.complete, frozenset(never), frozenset(f.scene for f in report.stuck),
            frozenset(str(f.pos) for f in report.errors), bool(report.trapped))


def assert_same_as_naive(story: Story) -> ExhaustiveReport:
    proof = search(story)
    naive = search(story, 20_000, naive=True)
    assert naive.complete, "the naive twin must finish on this story"
    assert verdict(story, proof) == verdict(story, naive)
    assert proof.states <= naive.states
    return proof


def replays_stuck(story: Story, finding: Finding) -> bool:
    """Whether the real engine, following the finding's route, ends up stuck there: with
    some outcome of each move's random() calls (format v2), as the search tried them all."""
    engine = Engine(story)
    states = [engine.start()]
    for move in finding.moves:
        after = []
        for state in states:  # (a state another outcome led to may not offer the move)
            choice = next((c for c in engine.choices(state) if c.id == move.choice), None)
            if choice is None or choice.id in engine.shown(state)[1]:  # absent, or locked
                continue
            for roll in Outcomes():
                after.append(engine.take(state, choice, roll))
        states = after
    return any(state.scene == finding.scene and not engine.choices(state) and
               not engine.is_over(state) for state in states)


def test_a_variable_read_only_later_is_kept_until_then(tmp_path: Path) -> None:
    """`key` is set at the start and read three scenes later: dropping it on the way (as a
    liveness analysis that forgot the later read would) would merge the two routes and hide
    the stuck gate or the ending."""
    story = from_text(tmp_path, """\
        story: {id: t, title: T, start: start}
        variables: {key: false, n: 0}
        scenes:
          start:
            text: Pick.
            choices:
              - {text: Take the key, goto: a, effects: [{set: {key: true}}]}
              - {text: Leave it, goto: a}
          a: {text: A., next: b}
          b:
            text: B.
            choices:
              - {text: On, goto: gate, effects: [{set: {n: 2}}]}
          gate:
            text: A locked gate.
            choices:
              - {text: Unlock it, goto: out, if: key}
          out: {text: Out., ending: {id: out, title: Out}}
        """)
    report = assert_same_as_naive(story)
    assert [f.scene for f in report.stuck] == ["gate"]
    assert replays_stuck(story, report.stuck[0])
    assert report.coverage.endings["out"] == 1
    liveness = analyse(story)
    assert ("var", "key") in liveness.at("a") and ("var", "n") not in liveness.at("a")


def test_a_subtraction_after_the_counting_moves_the_cut_point(tmp_path: Path) -> None:
    """`n >= 1` is read after `add n -2`: 1 and 3 differ before the subtraction (one gets
    out, one is stuck), so capping n at the comparison's own cut point would be wrong."""
    story = from_text(tmp_path, """\
        story: {id: t, title: T, start: hub}
        variables: {n: 0}
        scenes:
          hub:
            text: Hub.
            choices:
              - {text: Up, goto: hub, effects: [{add: {n: 1}}], if: visits(hub) <= 3}
              - {text: Down, goto: low, effects: [{add: {n: -2}}]}
          low:
            text: Low.
            choices:
              - {text: Climb out, goto: out, if: n >= 1}
          out: {text: Out., ending: {id: out, title: Out}}
        """)
    report = assert_same_as_naive(story)
    assert [f.scene for f in report.stuck] == ["low"] and replays_stuck(story, report.stuck[0])
    assert analyse(story).at("hub")[("var", "n")].hi == 3  # 1 + 2 subtracted on the way


def test_a_cap_never_merges_counts_a_later_test_tells_apart(tmp_path: Path) -> None:
    """The door opens on the third lap only (`== 3`): a count capped below 4 would either
    show the door forever or never, turning a stuck corridor into an ending or back."""
    story = from_text(tmp_path, """\
        story: {id: t, title: T, start: track}
        scenes:
          track:
            text: Round.
            choices:
              - {text: Lap, goto: track, if: visits(track) < 5}
              - {text: Leave, goto: corridor}
          corridor:
            text: A corridor.
            choices:
              - {text: The door, goto: out, if: visits(track) == 3}
          out: {text: Out., ending: {id: out, title: Out}}
        """)
    report = assert_same_as_naive(story)
    assert [f.scene for f in report.stuck] == ["corridor"]
    assert report.coverage.endings["out"] == 1


def test_a_fact_no_condition_asks_about_is_still_covered_exactly(tmp_path: Path) -> None:
    story = from_text(tmp_path, """\
        story: {id: t, title: T, start: start}
        facts:
          found: {title: Found, text: It, source: Here}
          lost: {title: Lost, text: It, source: Here}
        scenes:
          start:
            text: Pick.
            choices:
              - {text: Look, goto: end, effects: [{unlock: found}]}
              - {text: Never, goto: end, if: "1 > 2", effects: [{unlock: lost}]}
          end: {text: End., ending: {id: end, title: End}}
        """)
    report = assert_same_as_naive(story)
    assert report.coverage.facts["found"] and not report.coverage.facts["lost"]
    assert ("fact", "found") not in analyse(story).slots


def test_a_fact_asked_later_is_kept_from_where_it_is_unlocked(tmp_path: Path) -> None:
    """Dropping `map` between its unlock and its `has()` would make the gate look stuck."""
    story = from_text(tmp_path, """\
        story: {id: t, title: T, start: start}
        facts:
          map: {title: Map, text: It, source: Here}
        scenes:
          start:
            text: Pick.
            choices:
              - {text: Read the map, goto: road, effects: [{unlock: map}]}
              - {text: Walk, goto: road}
          road: {text: Road., next: gate}
          gate:
            text: Gate.
            choices:
              - {text: Through, goto: out, if: has(map)}
              - {text: Back, goto: start, if: not has(map)}
          out: {text: Out., ending: {id: out, title: Out}}
        """)
    report = search(story)
    assert report.complete and not report.failed and report.coverage.endings["out"] == 1
    assert ("fact", "map") in analyse(story).at("road")


def counting_loop(tmp_path: Path, way_out: str) -> Story:
    """A hub whose one loop adds 1 to n, and a way out while `way_out` holds."""
    return from_text(tmp_path, f"""\
        story: {{id: t, title: T, start: hub}}
        variables: {{n: 0}}
        scenes:
          hub:
            text: Hub.
            choices:
              - {{text: Again, goto: hub, effects: [{{add: {{n: 1}}}}]}}
              - {{text: Out, goto: out, if: {way_out}}}
          out: {{text: Out., ending: {{id: out, title: Out}}}}
        """)


def test_an_add_a_loop_repeats_on_a_capped_number_is_reported(tmp_path: Path) -> None:
    """`n` is capped (only `n >= 2` reads it), so the search finishes; but the loop can add
    to it without end, and the engine's range check then fails: the search must say so."""
    report = search(counting_loop(tmp_path, "n >= 2"))
    assert report.complete
    assert [(f.scene, f.pos.line, f.message.split(":")[0]) for f in report.errors] == [
        ("hub", 7, "add n")]


def test_a_loop_that_adds_as_much_as_it_takes_is_not_growth(tmp_path: Path) -> None:
    story = from_text(tmp_path, """\
        story: {id: t, title: T, start: a}
        variables: {n: 0}
        scenes:
          a:
            text: A.
            choices:
              - {text: Over, goto: b, effects: [{add: {n: 1}}]}
              - {text: Out, goto: out, if: n >= 2}
          b:
            text: B.
            choices:
              - {text: Back, goto: a, effects: [{add: {n: -1}}]}
          out: {text: Out., ending: {id: out, title: Out}}
        """)
    report = search(story)  # no naive twin: its exact visit counts grow round the loop
    assert report.complete and not report.errors
    assert report.coverage.endings["out"] == 0 and report.trapped  # n is only ever 0 or 1


def test_a_budget_run_out_names_the_counter_a_loop_keeps_growing(tmp_path: Path) -> None:
    report = search(counting_loop(tmp_path, "n * 2 == 7"), max_states=30)
    assert not report.complete and report.growing == ["n (up to 29)"]


def test_the_shipped_story_and_the_example_are_proven_complete() -> None:
    for story in (shipped(), load(EXAMPLE)):
        report = search(story)
        assert report.complete and not report.failed
        assert cov.totals(story, report.coverage).complete
    # the same verdict with every paragraph condition and {name} text read as well (the
    # shipped story has far more states that way: its paragraphs ask about most choices)
    example = load(EXAMPLE)
    assert verdict(example, search(example, text=True)) == verdict(example, search(example))


# -- generated stories: the proof and its naive twin agree --------------------------------------

SCENES = ["s0", "s1", "s2", "s3", "s4"]
CONDITIONS = st.sampled_from([
    None, None, "n >= 1", "n == 2", "n < 2", "3 <= n", "m > 0", "n + m > 2", "f", "not f",
    "visits(s1) > 1", "seen(s2)", "visits(s3) == 2", "has(x)", "not has(x)", "n > m",
    "b >= 2", "b < 1", "min(n, b) > 0",  # format v2: a bounded number, a function of numbers
])
EFFECTS = st.sampled_from([
    {"add": {"n": 1}}, {"add": {"n": -1}}, {"add": {"n": 2}}, {"set": {"n": 0}},
    {"add": {"m": 1}}, {"set": {"m": 2}}, {"set": {"f": True}}, {"set": {"f": False}},
    {"unlock": "x"}, {"unlock": "y"},
    # format v2: a bounded number's adds (clamped), computes that read, write and roll
    {"add": {"b": 2}}, {"add": {"b": -1}}, {"compute": {"m": "random(0, 2)"}},
    {"compute": {"n": "min(n + m, 3)"}}, {"compute": {"f": "b > n"}},
    {"compute": {"b": "b + random(-1, 1)"}}, {"compute": {"n": "clamp(n - 1, 0, b)"}},
])


@st.composite
def stories(draw: st.DrawFn) -> dict[str, object]:
    scenes: dict[str, object] = {}
    for number, sid in enumerate(SCENES):
        if number and draw(st.integers(0, 3)) == 0:
            scenes[sid] = {"text": sid, "ending": {"id": f"e{sid}", "title": sid}}
            continue
        if number and draw(st.integers(0, 5)) == 0:  # format v2: a scene that returns
            scenes[sid] = {"text": sid, "return": True}
            continue
        choices = []
        for c in range(draw(st.integers(1, 3))):
            way = "call" if draw(st.integers(0, 3)) == 0 else "goto"  # a quarter are calls
            choice: dict[str, object] = {"id": f"c{c}", "text": f"c{c}",
                                         way: draw(st.sampled_from(SCENES))}
            if way == "call" and draw(st.booleans()):
                choice["then"] = draw(st.sampled_from([*SCENES, "done"]))
            condition = draw(CONDITIONS)
            if condition is not None:
                choice["if"] = condition
            if draw(st.integers(0, 3)) == 0:  # format v2: shown, but locked while false
                lock = draw(CONDITIONS)
                choice["enabled"] = lock if lock is not None else draw(st.booleans())
            effects = draw(st.lists(EFFECTS, max_size=2))
            if effects:
                choice["effects"] = effects
            if draw(st.booleans()):
                choice["once"] = True
            choices.append(choice)
        scene: dict[str, object] = {"text": sid, "choices": choices}
        on_enter = draw(st.lists(EFFECTS, max_size=1))
        if on_enter:
            scene["on_enter"] = on_enter
        scenes[sid] = scene
    scenes["done"] = {"text": "Done.", "ending": {"id": "done", "title": "Done"}}
    return {"story": {"id": "g", "title": "G", "start": "s0"},
            "variables": {"n": 0, "m": 0, "f": False, "b": {"default": 0, "min": 0, "max": 3}},
            "facts": {k: {"title": k, "text": k, "source": k} for k in ("x", "y")},
            "scenes": scenes}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stories())
def test_the_proof_and_the_naive_search_agree_on_generated_stories(
        data: dict[str, object]) -> None:
    story = generated(data)
    proof = search(story, max_states=5_000)
    naive = search(story, max_states=5_000, naive=True)
    if naive.complete:
        # a finite story: the same verdict, and no loop can grow a number without end
        assert verdict(story, proof) == verdict(story, naive)
        assert verdict(story, search(story, text=True)) == verdict(story, proof)
    else:
        # an endless state space: what the naive search reached or found, the proof did too
        found = frozenset(f.scene for f in naive.stuck)
        assert found <= frozenset(f.scene for f in proof.stuck)
        reached = {(i.kind, i.key) for i in cov.unreached(story, proof.coverage)}
        assert reached <= {(i.kind, i.key) for i in cov.unreached(story, naive.coverage)}
    for finding in proof.stuck:
        assert replays_stuck(story, finding)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stories())
def test_the_fast_runner_plays_generated_stories_like_the_engine(
        data: dict[str, object]) -> None:
    """With calls, returns (and the run-time errors of both) among the generated moves."""
    story = generated(data)
    for strategy in STRATEGIES:
        fast = random_runs(story, 40, seed=11, strategy=strategy, max_steps=40)
        slow = random_runs(story, 40, seed=11, strategy=strategy, max_steps=40, reference=True)
        assert (fast.coverage, fast.steps, fast.problems) == (
            slow.coverage, slow.steps, slow.problems)
