"""One findings type: random runs and the exhaustive search report a problem alike."""

from __future__ import annotations

import dataclasses

import pytest
from tools_helpers import fixture

from game.tools.exhaustive import search
from game.tools.findings import Finding
from game.tools.playtest import random_runs
from game.tools.trail import Move


@pytest.mark.parametrize(("name", "kind"), [("stuck", "stuck"), ("runtime_error", "error")])
def test_a_random_run_and_the_search_find_the_same_problem_in_the_same_terms(
        name: str, kind: str) -> None:
    """Only which run found it (and its seed) tells them apart: the search has no runs."""
    story = fixture(name)
    report = random_runs(story, 40, seed=0)
    found = search(story)
    by_search = (found.stuck if kind == "stuck" else found.errors)[0]
    first = next(p for p in report.problems if p.kind == kind and len(p.moves) == 1)
    assert isinstance(first, Finding) and isinstance(by_search, Finding)
    assert first.run is not None and first.seed == report.seed + first.run
    assert dataclasses.replace(first, run=None, seed=None) == by_search
    assert (by_search.run, by_search.seed) == (None, None)


def test_a_loop_is_the_same_kind_whether_proven_or_suspected() -> None:
    story = fixture("loop")
    suspected = random_runs(story, 40, seed=0, max_steps=50).problems
    proven = search(story).trapped
    assert {p.kind for p in suspected} == {f.kind for f in proven} == {"loop"}
    assert suspected[0].scene == proven[0].scene == "maze"


def test_a_findings_route_starts_at_its_first_move_or_at_its_own_scene() -> None:
    pos = fixture("stuck").scenes["door"].pos
    here = Finding("stuck", "door", pos, "stuck", ())
    assert here.start == "door"
    moved = dataclasses.replace(here, moves=(Move("hall", "walk", "door", False),))
    assert moved.start == "hall"
