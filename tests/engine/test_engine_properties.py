"""Properties of play that must hold along any path the player can take."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from game.engine import Engine, GameState, StoryRuntimeError
from game.story.files import load_or_raise

EXAMPLE = Path(__file__).parents[2] / "docs" / "example"
ENGINE = Engine(load_or_raise(EXAMPLE))


def walk(picks: list[int]) -> list[GameState]:
    """Follow the picks (each an index into the available choices) until they or the story end."""
    states = [ENGINE.start()]
    for pick in picks:
        available = ENGINE.choices(states[-1])
        if not available:
            break
        states.append(ENGINE.take(states[-1], available[pick % len(available)]))
    return states


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10), max_size=30))
def test_invariants_along_any_path(picks: list[int]) -> None:
    states = walk(picks)
    final = states[-1]
    story = ENGINE.story
    assert final.turn == len(states) - 1
    assert sum(final.visits.values()) == final.turn + 1  # every move enters exactly one scene
    assert len(set(final.facts)) == len(final.facts)
    assert set(final.facts) <= set(story.facts)
    for name, var in story.variables.items():
        assert type(final.variables[name]) is type(var.default)
    for taken in final.taken:
        scene, choice = taken.split("/")
        assert any(c.id == choice and c.once for c in story.scenes[scene].choices)
    view = ENGINE.view(final)
    assert not view.stuck
    assert (view.ending is not None) == ENGINE.is_over(final)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10), max_size=30))
def test_back_undoes_exactly_and_replay_is_deterministic(picks: list[int]) -> None:
    states = walk(picks)
    assert list(states[-1].history()) == list(reversed(states))
    replayed = ENGINE.start()
    for state in states[1:]:
        assert state.via is not None
        replayed = ENGINE.choose(replayed, state.via)
        assert replayed == state


CALLS = Engine(load_or_raise(Path(__file__).parents[1] / "tools" / "fixtures" / "calls"))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10), max_size=40))
def test_with_calls_back_then_the_same_choice_gives_the_same_state(picks: list[int]) -> None:
    """Format v2's calls: along any path (until a call or return is refused), each state's
    stack is its caller's plus a return point after a call, minus one after a return, and
    undoing a move then taking the same choice again gives the same state, stack and all."""
    state = CALLS.start()
    for pick in picks:
        available = CALLS.choices(state)
        if not available:
            break
        choice = available[pick % len(available)]
        try:
            after = CALLS.take(state, choice)
        except StoryRuntimeError:
            assert (choice.call and len(state.stack) == 16) or (choice.returns
                                                                and not state.stack)
            break
        if choice.call:
            assert after.stack == (*state.stack, choice.then or state.scene)
        elif choice.returns:
            assert after.stack == state.stack[:-1] and after.scene == state.stack[-1]
        else:
            assert after.stack == state.stack
        undone = CALLS.back(after)
        assert undone is state
        assert CALLS.choose(undone, choice.id) == after
        state = after
