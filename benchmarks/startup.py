"""Process start to first frame: the game's title screen against a bare Textual app.

    python benchmarks/startup.py                 # the shipped story, 7 samples of each
    python benchmarks/startup.py --samples 15 --story docs/example
    python benchmarks/startup.py --phases        # also: where the game's start-up goes

What a player waits for when they type `offscreen` is everything from the process starting
to the title screen being on their terminal. That is timed here from outside, in two ways:

- **pty**: the real command (`python -m game play`) in a real pseudo-terminal (80x24), timed
  from spawn until the title screen's "New game" arrives on the terminal;
- **headless**: the same app started by a small script with Textual's headless driver, timed
  from spawn until the app's `Ready` event (Textual sends it once the first frame is drawn)
  prints a line on a pipe.

The baseline is a bare Textual app with the same widgets (two Statics, an OptionList with
the same items, a Static and a Footer in the same containers), measured the same two ways in
the same run, the samples of the two interleaved so that a burst of load on this shared
machine hits both. Medians are reported, and the ratio of the medians.

`measure()` returns the numbers and `figures()` the rows of `benchmarks/run.py`'s table.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MARKER = b"New game"
"""Text of the first frame, in the title menu of both apps (no autosave: Continue is absent)."""
TIMEOUT = 30.0
TARGETS = {"shipped": 1.15, "big": 1.3}
"""Issue 7: shipped story <= 1.15x the bare app; the 10k-scene story, warm cache, <= 1.3x."""

BARE_APP = """
import os, sys
from textual.app import App
from textual.containers import Container, Vertical
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

class Bare(App):
    def compose(self):
        with Container(), Vertical():
            yield Static("Off Screen")
            yield Static("A story")
            yield OptionList(*[Option(t) for t in
                               ("New game", "Load", "Journal", "Settings", "Quit")])
            yield Static("Facts 0/1 · Endings 0/1")
        yield Footer()

    def on_ready(self):
        if HEADLESS:
            os.write(1, b"first frame\\n")
            self.exit()

HEADLESS = sys.argv[1] == "headless"
Bare().run(headless=HEADLESS)
"""

GAME_HEADLESS = """
import os, sys
from pathlib import Path
from game import collector

with collector.paused(freeze=True):  # as `offscreen play` starts (game/commands/play.py)
    from game.story.files import load_story
    from game.ui.app import OffScreenApp

    class FirstFrame(OffScreenApp):
        def on_ready(self):
            os.write(1, b"first frame\\n")
            self.exit(0)

    story_dir, saves = Path(sys.argv[1]), Path(sys.argv[2])
    app = FirstFrame(load_story(story_dir, cache=True).story, story_dir, saves)
app.run(headless=True)
"""


PHASES = """
import json, sys, tempfile, time
from game import collector
paused = collector.paused(freeze=True)  # as `offscreen play` starts
paused.__enter__()
t0 = time.perf_counter()
import textual.app
from textual.containers import Container, Vertical
from textual.widgets import Footer, OptionList, Static
t1 = time.perf_counter()
from pathlib import Path
from game.story.files import load_story  # what `offscreen play` imports

t2 = time.perf_counter()
story = load_story(Path(sys.argv[1]), cache=True).story
t3 = time.perf_counter()
from game.ui.app import OffScreenApp  # with the profile; the engine and saves come later
t5 = time.perf_counter()
ready = []
class FirstFrame(OffScreenApp):
    def on_ready(self):
        ready.append(time.perf_counter())
        self.exit(0)
app = FirstFrame(story, Path(sys.argv[1]), Path(tempfile.mkdtemp()))
paused.__exit__(None, None, None)
t6 = time.perf_counter()
app.run(headless=True)
print(json.dumps({"import textual": t1 - t0, "import story layer": t2 - t1,
                  "load story (cache)": t3 - t2, "import ui and profile": t5 - t3,
                  "build app": t6 - t5, "run to first frame": ready[0] - t6}))
"""
"""Where the game's start-up goes, phase by phase, timed inside one headless process."""


@dataclass(frozen=True)
class Startup:
    """Medians in seconds, and every sample, for one story."""

    story: Path
    bare_headless: float
    game_headless: float
    bare_pty: float
    game_pty: float
    samples: dict[str, list[float]]

    @property
    def headless_ratio(self) -> float:
        return self.game_headless / self.bare_headless

    @property
    def pty_ratio(self) -> float:
        return self.game_pty / self.bare_pty


def _env(extra: dict[str, str] | None) -> dict[str, str]:
    env = {**os.environ, **(extra or {})}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.setdefault("TERM", "xterm-256color")
    env.pop("TEXTUAL", None)  # no devtools
    # Compare like with like: Textual's modules were byte-compiled when pip installed them,
    # so ours must be allowed their __pycache__ too (the warm-up run writes it). With
    # PYTHONDONTWRITEBYTECODE set, as on some CI machines, every start would recompile
    # the game from source and charge it ~50 ms that no installed copy ever pays.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def time_headless(argv: list[str], env: dict[str, str]) -> float:
    """Seconds from spawn until the child prints its first-frame line."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, env=env, cwd=REPO)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - start
    _, err = proc.communicate(timeout=TIMEOUT)
    if b"first frame" not in line:
        raise RuntimeError(f"{argv[:3]} gave no first frame: {line!r} {err.decode()[-2000:]}")
    return elapsed


def time_pty(argv: list[str], env: dict[str, str], size: tuple[int, int] = (80, 24)) -> float:
    """Seconds from spawn until MARKER has been written to the child's terminal."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=REPO,
                            start_new_session=True)
    os.close(slave)
    seen = b""
    try:
        while True:
            left = TIMEOUT - (time.perf_counter() - start)
            ready, _, _ = select.select([master], [], [], max(0.0, left))
            if not ready:
                raise RuntimeError(f"{argv[:3]} drew no {MARKER!r} in {TIMEOUT} s: "
                                   f"{seen[-500:]!r}")
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                chunk = b""
            if not chunk:
                raise RuntimeError(f"{argv[:3]} ended before drawing {MARKER!r}: "
                                   f"{seen[-2000:]!r}")
            seen += chunk
            if MARKER in seen:
                return time.perf_counter() - start
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        os.close(master)


def measure(story: Path, samples: int = 7, env: dict[str, str] | None = None,
            log: Callable[[str], None] = lambda message: None) -> Startup:
    """Interleaved samples of the four start-ups for one story; medians of each."""
    full_env = _env(env)
    python = sys.executable
    times: dict[str, list[float]] = {"bare-headless": [], "game-headless": [],
                                     "bare-pty": [], "game-pty": []}
    with tempfile.TemporaryDirectory(prefix="startup-") as tmp:
        def saves() -> str:
            """A fresh, empty save folder: no autosave, so both menus start "New game"."""
            return tempfile.mkdtemp(dir=tmp)

        game_headless = [python, "-c", GAME_HEADLESS, str(story)]
        # warm up the OS page cache and the compiled-story cache, untimed
        time_headless([*game_headless, saves()], full_env)
        time_headless([python, "-c", BARE_APP, "headless"], full_env)
        for i in range(samples):
            times["bare-headless"].append(
                time_headless([python, "-c", BARE_APP, "headless"], full_env))
            times["game-headless"].append(time_headless([*game_headless, saves()], full_env))
            times["bare-pty"].append(time_pty([python, "-c", BARE_APP, "tty"], full_env))
            times["game-pty"].append(time_pty(
                [python, "-m", "game", "play", "--story", str(story), "--saves", saves()],
                full_env))
            log(f"  start-up ({story.name}): sample {i + 1} of {samples}")
    med = {kind: statistics.median(values) for kind, values in times.items()}
    return Startup(story, med["bare-headless"], med["game-headless"], med["bare-pty"],
                   med["game-pty"], times)


def phases(story: Path, samples: int = 5, env: dict[str, str] | None = None,
           ) -> dict[str, float]:
    """Median seconds of each start-up phase (imports, story, app) for one story."""
    full_env = _env(env)
    runs = []
    for _ in range(samples):
        proc = subprocess.run([sys.executable, "-c", PHASES, str(story)], capture_output=True,
                              text=True, env=full_env, cwd=REPO, check=True, timeout=TIMEOUT)
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return {phase: statistics.median(run[phase] for run in runs) for phase in runs[0]}


def _rows(result: Startup, name: str, target: float) -> list[tuple[str, str, str, str, str]]:
    rows = []
    for mode, bare, game, ratio in (
            ("headless", result.bare_headless, result.game_headless, result.headless_ratio),
            ("pty", result.bare_pty, result.game_pty, result.pty_ratio)):
        values = sorted(result.samples[f"game-{mode}"])
        rows.append((f"start to first frame, {name}, {mode}",
                     f"bare Textual app: {bare:.3f} s",
                     f"{game:.3f} s ({len(values)} runs, {values[0]:.3g}..{values[-1]:.3g})",
                     f"{ratio:.3f}x", f"<= {target}x {'yes' if ratio <= target else 'NO'}"))
    return rows


def figures(shipped: Path, big: Path | None = None, env: dict[str, str] | None = None,
            samples: int = 7, log: Callable[[str], None] = lambda message: None,
            ) -> list[tuple[str, str, str, str, str]]:
    """Rows for benchmarks/run.py: (figure, baseline, ours, ratio, target)."""
    rows = _rows(measure(shipped, samples, env, log), "shipped story", TARGETS["shipped"])
    if big is not None:
        rows += _rows(measure(big, samples, env, log), "10k story, warm cache", TARGETS["big"])
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--story", type=Path, default=REPO / "scenes")
    parser.add_argument("--samples", type=int, default=7)
    parser.add_argument("--target", type=float, default=TARGETS["shipped"])
    parser.add_argument("--phases", action="store_true",
                        help="also time each phase of the game's start-up (headless)")
    args = parser.parse_args(argv)
    result = measure(args.story.resolve(), args.samples,
                     log=lambda message: print(message, file=sys.stderr))
    load = os.getloadavg()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, "
          f"load {load[0]:.2f}; story {args.story}; medians of {args.samples} runs")
    header = ("figure", "baseline (median)", "this project (median)", "ratio", "target")
    rows = _rows(result, args.story.name, args.target)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(5)]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
    if args.phases:
        print()
        for phase, seconds in phases(args.story.resolve(), args.samples).items():
            print(f"{phase:>20}: {seconds * 1000:6.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
