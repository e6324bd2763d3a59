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
from collections.abc import Callable
from pathlib import Path

import pytest

from game.engine import Engine, GameState
from game.storage.profile import ProfileStore, Settings
from game.storage.saves import AUTOSAVE, QUICKSAVE, SaveStore
from game.story.files import load_or_raise
from game.story.model import Story

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
import gen_story

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


def fork(child: Callable[[int], None]) -> tuple[int, int]:
    """A forked child running `child(write_end)` until it is killed; (its pid, read end)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child never returns into pytest
        try:
            os.close(read_end)
            child(write_end)
        finally:
            os._exit(0)
    os.close(write_end)
    return pid, read_end


@pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "win32",
                    reason="needs fork and SIGKILL")
def test_saves_survive_sigkill_at_any_instant(tmp_path: Path, story: Story) -> None:
    states = long_game(story, 60)
    by_turn = {s.turn: s for s in states}
    rng = random.Random(20040301)
    folder = tmp_path / "saves"
    for round_ in range(ROUNDS):
        pid, read_end = fork(lambda ready, first=round_ == 0: save_forever(
            folder, story, states, ready if first else -1))
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


# -- the autosave's journal -------------------------------------------------------------------
# A forked child continues the game in the autosave (or starts one), takes a choice, autosaves
# (appending to the journal, and rewriting the whole file every EVERY saves), and reports
# each autosave it finished, until it is killed. After every kill the autosave must load
# without a word of warning, as the newest state the child finished saving or the one it was
# writing, with the undo chain the game had; the next child carries on from there.

JOURNAL_ROUNDS = 120
EVERY = 4
"""Autosaves between whole writes: small, so kills land in compactions too."""


def play_forever(folder: Path, story: Story, report: int) -> None:
    """The child: carry on the autosaved game one choice at a time, reporting each turn saved."""
    store = SaveStore(folder, story, compact_every=EVERY)
    engine = Engine(story)
    state = store.load(AUTOSAVE).state if store.exists(AUTOSAVE) else engine.start()
    while True:
        state = engine.take(state, engine.choices(state)[0])
        store.save(AUTOSAVE, state, playtime=float(state.turn))
        os.write(report, state.turn.to_bytes(4, "big"))


@pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "win32",
                    reason="needs fork and SIGKILL")
def test_an_autosave_through_its_journal_survives_sigkill_at_any_instant(
        tmp_path: Path) -> None:
    gen_story.generate_loop(tmp_path / "ring", scenes=40)
    story = load_or_raise(tmp_path / "ring")
    engine = Engine(story)
    keys = [engine.start()]  # the game's states by turn (the ring's first choice, always)
    while len(keys) < 20_000:
        keys.append(engine.take(keys[-1], engine.choices(keys[-1])[0]))
    by_turn = [state.key() for state in keys]
    del keys
    rng = random.Random(19)
    folder = tmp_path / "saves"
    saved = 0
    for round_ in range(JOURNAL_ROUNDS):
        pid, read_end = fork(lambda report: play_forever(folder, story, report))
        reported = b""
        if round_ % 4:  # most rounds let the child save once; the others kill it anywhere
            reported = os.read(read_end, 4)
        time.sleep(rng.uniform(0.0, 0.005))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status)
        while chunk := os.read(read_end, 65536):
            reported += chunk
        os.close(read_end)
        if len(reported) >= 4:
            saved = int.from_bytes(reported[-4:], "big")
        if not (folder / f"autosave.{story.id}.json").exists():
            continue  # killed before its first save was whole
        loaded = SaveStore(folder, story).load(AUTOSAVE)
        assert loaded.message is None, f"round {round_}: {loaded.message}"
        turn = loaded.state.turn
        assert saved <= turn <= saved + 1, f"round {round_}: turn {turn}, finished {saved}"
        chain = [s.key() for s in loaded.state.history()]
        assert chain == by_turn[turn - len(chain) + 1:turn + 1][::-1], f"round {round_}"
        assert loaded.playtime == float(turn)
        saved = turn
    assert saved > EVERY * 3, "the children never got far enough to compact"
