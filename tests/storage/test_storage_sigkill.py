"""A real crash: a child process saving in a loop is killed with SIGKILL, over and over.

The child is forked from the test process (modules and story already loaded), so each round
costs a millisecond or two rather than an interpreter start, and 250 rounds stay within a few
seconds. After every kill every slot and the profile must load, exactly as one of the states
the child was writing; nothing may be left that shows up as a save.
"""

from __future__ import annotations

import os
import random
import signal
import sys
import time
from pathlib import Path

import pytest

from game.engine import Engine, GameState
from game.storage.profile import ProfileStore, Settings
from game.storage.saves import AUTOSAVE, QUICKSAVE, SaveStore
from game.story.model import Story

ROUNDS = 250
SLOTS = (AUTOSAVE, QUICKSAVE, "mid")


def long_game(story: Story, length: int) -> list[GameState]:
    """A game of `length` choices going back and forth between two rooms, every state kept."""
    engine = Engine(story)
    states = [engine.start()]
    for n in range(length):
        choice = "walk_into_the_kitchen" if n % 2 == 0 else "back_to_the_lobby"
        states.append(engine.choose(states[-1], choice))
    return states


def save_forever(folder: Path, story: Story, states: list[GameState], ready: int) -> None:
    """The child: save every slot in turn, as fast as it can, until it is killed."""
    store = SaveStore(folder, story)
    profiles = ProfileStore(folder, story)
    profiles.load()
    n = 0
    while True:
        for slot in SLOTS:
            store.save(slot, states[n % len(states)], playtime=float(n))
            n += 1
        profiles.save_settings(Settings(text_speed=n % 500))
        if ready >= 0:
            os.write(ready, b"x")
            os.close(ready)
            ready = -1


@pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "win32",
                    reason="needs fork and SIGKILL")
def test_saves_survive_sigkill_at_any_instant(tmp_path: Path, story: Story) -> None:
    states = long_game(story, 60)
    by_turn = {s.turn: s for s in states}
    rng = random.Random(20040301)
    folder = tmp_path / "saves"
    for round_ in range(ROUNDS):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child never returns into pytest
            try:
                os.close(read_end)
                save_forever(folder, story, states, write_end if round_ == 0 else -1)
            finally:
                os._exit(0)
        os.close(write_end)
        if round_ == 0:
            os.read(read_end, 1)  # every slot exists before the first kill
        os.close(read_end)
        time.sleep(rng.uniform(0.0, 0.004))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        check_everything_loads(folder, story, by_turn, round_)
    leftovers = [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]
    print(f"{ROUNDS} kills; {len(leftovers)} temp files left by writes cut short")


def check_everything_loads(folder: Path, story: Story, by_turn: dict[int, GameState],
                           round_: int) -> None:
    store = SaveStore(folder, story)
    for slot in SLOTS:
        loaded = store.load(slot)
        assert loaded.message is None, f"round {round_}: {slot}: {loaded.message}"
        expected = by_turn[loaded.state.turn]
        assert loaded.state == expected, f"round {round_}: {slot} is not a state it saved"
        assert [s.key() for s in loaded.state.history()] == \
            [s.key() for s in expected.history()]
    assert sorted(info.name for info in store.slots()) == sorted(SLOTS)
    assert all(info.status == "ok" for info in store.slots())
    profiles = ProfileStore(folder, story)
    profiles.load()
    assert profiles.warning is None, f"round {round_}: {profiles.warning}"
