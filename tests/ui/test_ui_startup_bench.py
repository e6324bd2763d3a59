"""benchmarks/startup.py still runs (its numbers are reported by it, never asserted here)."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import EXAMPLE, REPO

sys.path.insert(0, str(REPO / "benchmarks"))

import startup  # lives in benchmarks/, which is not a package


def test_one_sample_of_each_start_up_and_the_rows_for_run_py(tmp_path: Path) -> None:
    result = startup.measure(EXAMPLE, samples=1, env={"OFFSCREEN_CACHE": str(tmp_path)})
    for kind in ("bare-headless", "game-headless", "bare-pty", "game-pty"):
        assert len(result.samples[kind]) == 1 and result.samples[kind][0] > 0
    rows = startup._rows(result, "example", 1.15)
    assert [row[0] for row in rows] == ["start to first frame, example, headless",
                                        "start to first frame, example, pty"]
    assert all(len(row) == 5 and row[3].endswith("x") for row in rows)


def test_phases_cover_the_whole_start_up(tmp_path: Path) -> None:
    times = startup.phases(EXAMPLE, samples=1, env={"OFFSCREEN_CACHE": str(tmp_path)})
    assert list(times) == ["import textual", "import story layer", "load story (cache)",
                           "import ui and profile", "build app", "run to first frame"]
    assert all(seconds >= 0 for seconds in times.values())


def test_the_title_screen_is_drawn_before_the_engine_saves_or_yaml_are_imported(
        tmp_path: Path) -> None:
    """What start-up leaves for later: the engine, the save files (and migration), the
    expression compiler, PyYAML, the session's records and the save list's words are
    imported once a game starts, not for the title."""
    import os
    import subprocess

    code = f"""
import sys
from pathlib import Path
from game.story.files import load_story
from game.ui.app import OffScreenApp

class FirstFrame(OffScreenApp):
    def on_ready(self):
        self.exit(0)

story = load_story(Path({str(EXAMPLE)!r}), cache=True).story
FirstFrame(story, Path({str(EXAMPLE)!r}), Path({str(tmp_path / "saves")!r})).run(headless=True)
print(sorted(m for m in ("game.engine.engine", "game.engine.state", "game.storage.saves",
                         "game.engine.migrate", "game.story.expr", "yaml",
                         "game.session_types", "game.storage.display") if m in sys.modules))
"""
    env = {**os.environ, "OFFSCREEN_CACHE": str(tmp_path / "cache")}
    cold = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, check=True, cwd=REPO)
    warm = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, check=True, cwd=REPO)
    assert "yaml" in cold.stdout  # the first start reads the YAML and fills the cache
    assert warm.stdout.strip().splitlines()[-1] == "[]"
