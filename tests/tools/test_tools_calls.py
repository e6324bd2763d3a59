"""The playthrough tools with calls (format v2): the exhaustive search keeps the call stack
in its key and follows returns to where the stack says, proving a story with calls complete;
both searches and random runs find the two run-time errors calls can have (the 17th open
call, a return with no call open) at the author's line."""

from __future__ import annotations

from pathlib import Path

from test_tools_proof import assert_same_as_naive
from tools_helpers import fixture, from_text

from game.tools import coverage as cov
from game.tools import scripted
from game.tools.exhaustive import search
from game.tools.liveness import analyse
from game.tools.playtest import random_runs

ERRANDS = """\
story: {id: errands, title: Errands, start: street}
variables: {coins: 0, asked: false}
facts:
  map: {title: The map, text: The oracle drew it.}
scenes:
  street:
    text: "Coins: {coins}."
    choices:
      - {text: Shop, call: shop, then: square}
      - {text: Oracle, call: oracle, then: square}
  square:
    text: Square.
    choices:
      - {text: Home, goto: home, if: coins >= 1 or asked}
      - {text: Oracle, call: oracle, then: home, if: not asked}
  shop:
    text: Shop.
    choices:
      - {text: Buy, goto: till, effects: [{add: {coins: 1}}]}
      - {text: Ask the keeper, call: oracle, then: till}
  till: {text: Till., return: true}
  oracle:
    text: Oracle.
    on_enter: [{set: {asked: true}}, {unlock: map}]
    return: true
  home: {text: Home., ending: {id: home, title: Home}}
"""
"""Calls with and without a way back into the caller's frame; every scene is entered a
bounded number of times, so the naive search (every count exact) finishes too."""


def test_a_story_with_calls_is_proven_complete(tmp_path: Path) -> None:
    story = from_text(tmp_path, ERRANDS)
    report = assert_same_as_naive(story)
    assert report.complete and not report.failed
    assert cov.totals(story, report.coverage).complete
    # the stack is in the key: the oracle called from the street, the square and the shop
    # are three states (stacks square, home, square+till), each returning where it must
    assert report.coverage.scenes["oracle"] == 3


def test_a_return_leads_where_its_caller_is_in_the_liveness(tmp_path: Path) -> None:
    story = from_text(tmp_path, ERRANDS)
    liveness = analyse(story)
    assert {e.target for e in liveness.edges["till"]} == {"square"}  # in shop's frame only
    assert {e.target for e in liveness.edges["oracle"]} == {"square", "home", "till"}
    # what the square reads (coins, asked) is live inside the calls, back to the call
    assert {("var", "coins"), ("var", "asked")} <= set(dict(liveness.live["till"]))
    assert ("var", "coins") in dict(liveness.live["shop"])


def test_the_search_finds_each_call_error_at_its_place() -> None:
    story = fixture("calls")
    for report in (search(story), search(story, text=True)):
        assert report.complete
        errors = {(f.pos.line, f.pos.col): f for f in report.errors}
        assert set(errors) == {(25, 39), (30, 30)}
        assert "17th call open at once" in errors[(30, 30)].message
        assert "no scene to go back to" in errors[(25, 39)].message
        # `dig` opens the first call and 15 `deeper` the next 15; the 16th `deeper`, the
        # 17th call, is the move that fails, and its route ends with it
        moves = errors[(30, 30)].moves
        assert [m.choice for m in moves].count("deeper") == 16 and moves[-1].choice == "deeper"


def test_random_runs_find_them_too() -> None:
    report = random_runs(fixture("calls"), 300, seed=0)
    places = {(p.pos.line, p.pos.col) for p in report.problems if p.kind == "error"}
    assert places == {(25, 39), (30, 30)}
    assert not [p for p in report.problems if p.kind != "error"]


def test_a_loop_through_a_return_that_grows_a_number_is_found(tmp_path: Path) -> None:
    """The growth check follows returns: the hub adds on every visit, entered again by each
    return, and nothing sets it back, so the add fails at last (a capped number)."""
    story = from_text(tmp_path, """\
        story: {id: g, title: G, start: hub}
        variables: {n: 0}
        scenes:
          hub:
            text: Hub.
            on_enter: [{add: {n: 1}}]
            choices:
              - {text: Visit, call: room}
              - {text: Leave, goto: out, if: n > 3}
          room: {text: Room., return: true}
          out: {text: Out., ending: {id: out, title: Out}}
        """)
    report = search(story)
    assert report.complete
    assert [(f.pos.line, "grows without end" in f.message) for f in report.errors] == [(6, True)]


def test_a_scripted_playthrough_continues_through_returns(tmp_path: Path) -> None:
    """Steps need not name a return's Continue (it is taken anyway, as a next's is); a
    step's expectation is checked before continuing, as for next."""
    story = from_text(tmp_path, ERRANDS + """\
playthroughs:
  errands:
    steps:
      - Shop
      - {choose: Buy, expect: {scene: till, variables: {coins: 1, asked: false}}}
      - Oracle
    expect: {ending: home, facts: [map]}
  by_the_keeper:
    steps: [Shop, Ask the keeper, Continue, {choose: Home, expect: {ending: home}}]
""")
    results = scripted.run_all(story)
    assert [(r.playthrough.name, r.ok) for r in results] == [
        ("errands", True), ("by_the_keeper", True)]
