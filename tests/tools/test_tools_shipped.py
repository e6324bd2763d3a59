"""The shipped story and the example pass their own playthroughs and are fully reachable.

These are the guarantees an author's edit must keep: every scripted playthrough still plays
out as written; every fact and every ending is named by some playthrough's expectations (so
it is pinned by a route that reaches it), or else is shown reachable by the exhaustive
search; and `offscreen test scenes --runs 2000`, exactly as the docs suggest running it,
reaches every scene, fact and ending.
"""

from __future__ import annotations

from tools_helpers import EXAMPLE, load, shipped

from game.story.model import Story
from game.tools import coverage as cov
from game.tools import scripted
from game.tools.exhaustive import search
from game.tools.playtest import random_runs


def _failures(story: Story) -> list[str]:
    return [f"{r.failure.pos}: {r.failure.message} {r.failure.details}"
            for r in scripted.run_all(story) if r.failure is not None]


def test_every_example_playthrough_passes() -> None:
    story = load(EXAMPLE)
    assert len(story.playthroughs) >= 2
    assert _failures(story) == []


def test_every_shipped_playthrough_passes() -> None:
    story = shipped()
    assert story.playthroughs
    assert _failures(story) == []


def test_every_shipped_fact_and_ending_is_pinned_by_a_playthrough_or_proven_reachable() -> None:
    story = shipped()
    facts: set[str] = set()
    endings: set[str] = set()
    for playthrough in story.playthroughs.values():
        for expect in (playthrough.expect, *(step.expect for step in playthrough.steps)):
            if expect is not None:
                facts.update(expect.facts)
                if expect.ending is not None:
                    endings.add(expect.ending)
    passed = {r.playthrough.name for r in scripted.run_all(story) if r.ok}
    assert passed == set(story.playthroughs)  # an expectation only counts if it holds
    missing_facts = set(story.facts) - facts
    missing_endings = set(story.endings) - endings
    if missing_facts or missing_endings:  # a state the search reaches is reachable, budget or not
        found = search(story).coverage
        missing_facts -= {f for f in missing_facts if found.facts[f]}
        missing_endings -= {e for e in missing_endings if found.endings[e]}
    assert (sorted(missing_facts), sorted(missing_endings)) == ([], [])


def test_2000_random_runs_reach_every_shipped_scene_fact_and_ending() -> None:
    story = shipped()
    report = random_runs(story, 2000, seed=0)
    assert report.problems == []
    never = [str(item) for item in cov.unreached(story, report.coverage)
             if item.kind != "choice"]
    assert never == []
