"""The call stack through the Session (format v2's calls): the autosave (its journal of
deltas) and a named save keep it, so a game continued or loaded inside a call returns where
it would have."""

from __future__ import annotations

from pathlib import Path

from game.session import Session
from game.story.files import load_or_raise

CALLS = Path(__file__).parents[1] / "tools" / "fixtures" / "calls"


def test_continuing_inside_nested_calls_returns_where_it_would_have(tmp_path: Path) -> None:
    story = load_or_raise(CALLS)
    session = Session(story, tmp_path)
    session.new_game()
    for choice in ("dig", "deeper", "deeper", "climb_out", "continue", "deeper"):
        session.choose(choice)  # each one autosaves (a journal record of what it changed)
    assert session.state is not None
    inside = session.state
    assert (inside.scene, inside.stack) == ("dig", ("hub", "dig", "dig"))
    session.save("deep")
    assert session.quit() is None
    again = Session(story, tmp_path)
    continued = again.continue_game().state
    assert (continued.scene, continued.stack) == ("dig", ("hub", "dig", "dig"))
    assert again.back() is not None and again.state is not None
    assert again.state.stack == ("hub", "dig")  # back undid the call, stack and all
    loaded = Session(story, tmp_path).load("deep").state
    assert loaded.stack == inside.stack and loaded.scene == inside.scene
    out = Session(story, tmp_path)
    out.load("deep")
    for choice in ("climb_out", "continue", "climb_out", "continue", "climb_out", "continue"):
        out.choose(choice)
    assert out.state is not None and (out.state.scene, out.state.stack) == ("hub", ())
