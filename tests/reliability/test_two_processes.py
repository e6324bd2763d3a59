"""Two real processes recording unlocks in one profile at the same time: none is lost.

The children are forked (the story already loaded), each records a different half of the
facts, one fact per write, as fast as it can; the lock around read-merge-write is what keeps
the last writer from dropping the other's facts. benchmarks/hostile.py runs the same
promise with two whole `offscreen play --plain` games, 60 rounds.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from game.engine import GameState
from game.storage.profile import ProfileStore
from game.story.files import load_or_raise

FACTS = 40


def fact_story(folder: Path) -> Path:
    folder.mkdir()
    facts = "".join(f"  f{i}: {{title: F{i}, text: t, source: s}}\n" for i in range(FACTS))
    unlocks = ", ".join(f"{{unlock: f{i}}}" for i in range(FACTS))
    (folder / "story.yaml").write_text(
        f"story: {{id: facts, title: Facts, start: a}}\nfacts:\n{facts}"
        f"scenes:\n  a:\n    text: t\n    choices: [{{text: go, goto: z, effects: [{unlocks}]}}]\n"
        "  z: {text: done, ending: {id: e, title: E}}\n")
    return folder


@pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "win32", reason="needs fork")
def test_two_processes_recording_at_once_lose_no_fact(tmp_path: Path) -> None:
    story = load_or_raise(fact_story(tmp_path / "story"))
    saves = tmp_path / "saves"
    for round_ in range(5):
        folder = saves / str(round_)
        pids = []
        for half in (range(0, FACTS, 2), range(1, FACTS, 2)):
            pid = os.fork()
            if pid == 0:
                code = 1
                try:
                    profiles = ProfileStore(folder, story)
                    profiles.load()
                    facts: tuple[str, ...] = ()
                    for i in half:
                        facts = (*facts, f"f{i}")
                        profiles.record(GameState("a", {}, {}, frozenset(), facts), story)
                    code = 0 if profiles.warning is None else 2
                finally:
                    os._exit(code)
            pids.append(pid)
        for pid in pids:
            _, status = os.waitpid(pid, 0)
            assert os.waitstatus_to_exitcode(status) == 0
        on_disk = json.loads((folder / "profile.facts.json").read_text())["facts"]
        assert sorted(on_disk) == sorted(f"f{i}" for i in range(FACTS)), f"round {round_}"
        assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []
