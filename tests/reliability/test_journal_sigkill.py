"""A real crash of a game autosaving through its journal: SIGKILL at any instant, many times.

A forked child continues the game in the autosave (or starts one), takes a choice, autosaves
(appending to the journal, and rewriting the whole file every few saves), and tells the
parent each autosave it finished, until it is killed. After every kill the autosave must load
without a word of warning, as the newest state the child finished saving or the one it was
writing, with the undo chain the game had; the next child carries on from there.
"""

from __future__ import annotations

import os
import random
import signal
import sys
import time
from pathlib import Path

import pytest

from game.engine import Engine
from game.storage.saves import AUTOSAVE, SaveStore
from game.story.files import load_or_raise
from game.story.model import Story

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
import gen_story

ROUNDS = 120
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
    for round_ in range(ROUNDS):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child never returns into pytest
            try:
                os.close(read_end)
                play_forever(folder, story, write_end)
            finally:
                os._exit(0)
        os.close(write_end)
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
