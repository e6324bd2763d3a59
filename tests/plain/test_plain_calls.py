"""Plain mode plays calls (format v2) from the engine's view alone: a `return: true` scene
shows one Continue (Enter takes it) that goes back to the caller, or to the call's `then`."""

from __future__ import annotations

import io
from pathlib import Path

from game.plain import PlainGame
from game.session import Session
from game.story.files import load_or_raise

CALLS = Path(__file__).parents[1] / "tools" / "fixtures" / "calls"


def transcript(tmp_path: Path, answers: str) -> str:
    out = io.StringIO()
    PlainGame(Session(load_or_raise(CALLS), tmp_path / "saves"), out, width=100).run(
        io.StringIO(answers))
    return out.getvalue()


def test_a_return_is_a_continue_back_to_the_caller_then_to_its_then(tmp_path: Path) -> None:
    out = transcript(tmp_path, "1\n1\n\n2\n1\n")
    # the hub calls the shop; Buy leads to the till, whose one way on is a Continue
    assert ("\n== Paid ==\n\nPaid.\n\nNew fact for your journal: A receipt\n\n"
            "1. Continue\n> ") in out
    # Enter took it: back in the hub, entered again (the coin is counted)
    assert "\n== Hub ==\n\nCoins: 1.\n\n" in out
    # the oracle, called with then: end_scene, returns to the ending
    assert "\n== Oracle ==\n\nThe oracle.\n\n1. Continue\n> " in out
    assert "THE END: The End" in out


def test_back_undoes_a_return_into_the_call(tmp_path: Path) -> None:
    out = transcript(tmp_path, "1\n1\n\nback\n1\n2\n1\n")
    assert out.count("\n== Paid ==\n") == 2  # back after the return: in the till again
    assert "THE END: The End" in out
