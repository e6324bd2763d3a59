"""Key press to the next scene's choices on screen: the game against a bare Textual app.

    python benchmarks/latency.py                 # the shipped story, 3 runs of 12 choices
    python benchmarks/latency.py --runs 5 --choices 20

What a player waits for after pressing a choice's number is everything from the key leaving
their keyboard to the next scene's choices being on their terminal. That is timed here from
outside, in a real pseudo-terminal (100x30), with animations off (TEXTUAL_ANIMATIONS=none:
the typewriter is a deliberate wait, not latency): from writing the key to the pty until the
new scene's heading and first choice have both arrived on it. Between two keys the terminal
is left quiet for a moment, so each choice is timed on an idle app.

The baseline is a bare Textual app with the same widgets (a heading Static, a VerticalScroll
with the scene's text, an OptionList of numbered choices, a Footer) showing the same scenes
in the same order, measured the same way in the same run, runs of the two interleaved.

The ending screen is timed the same way: a save at the last scene before an ending is loaded
(`--load`), and the time is from pressing 1 ("The End") until "THE END" is on the terminal.

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
sys.path[:0] = [str(REPO)]

SIZE = (100, 30)
TIMEOUT = 20.0
QUIET = 0.25
"""Seconds without output that count as the app being idle again."""
TARGETS = {"choice": 1.5, "ending": 0.200}
"""Issue 14: a choice <= 1.5x the bare app; the ending screen <= 200 ms."""

BARE_APP = """
import json, sys
from textual.app import App
from textual.containers import Container, Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

SCENES = json.load(open(sys.argv[1]))

class Ending(Screen):
    def compose(self):
        yield Static(SCENES[-1]["heading"])
        yield Static("THE END\\n" + SCENES[-1]["ending"])
        yield OptionList(Option("New game"), Option("Journal"), Option("Title screen"))
        yield Footer()

class Bare(App):
    BINDINGS = [(str(n), f"pick({n})", "Choose") for n in range(1, 10)]

    def compose(self):
        with Horizontal():
            yield Static(id="where")
            yield Static("Facts 0/1", id="progress")
        with Container(), Vertical():
            with VerticalScroll():
                yield Static(id="text")
            yield OptionList(id="choices")
        yield Footer()

    def on_mount(self):
        self.at = 0
        self.show()

    def show(self):
        scene = SCENES[self.at]
        self.query_one("#where", Static).update(scene["heading"])
        self.query_one("#text", Static).update("\\n\\n".join(scene["paragraphs"]))
        choices = self.query_one("#choices", OptionList)
        choices.clear_options()
        choices.add_options([Option(f"{n}. {c}") for n, c in enumerate(scene["choices"], 1)])
        choices.focus()

    def action_pick(self, number):
        if self.at + 1 < len(SCENES):
            self.at += 1
            self.show()
        elif SCENES[-1]["ending"]:
            self.push_screen(Ending())

Bare().run()
"""


@dataclass(frozen=True)
class Latency:
    """Medians in seconds, and every sample."""

    bare_choice: float
    game_choice: float
    game_ending: float
    bare_ending: float
    samples: dict[str, list[float]]
    bytes_per_choice: dict[str, float]

    @property
    def choice_ratio(self) -> float:
        return self.game_choice / self.bare_choice


def _env() -> dict[str, str]:
    env = {**os.environ, "TEXTUAL_ANIMATIONS": "none", "TERM": "xterm-256color"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.pop("TEXTUAL", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


class Terminal:
    """A child process in a pseudo-terminal of SIZE, and everything it has written."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                                     cwd=REPO, start_new_session=True)
        os.close(slave)
        self.seen = b""

    def _read(self, timeout: float) -> bytes:
        ready, _, _ = select.select([self.master], [], [], max(0.0, timeout))
        if not ready:
            return b""
        try:
            chunk = os.read(self.master, 1 << 16)
        except OSError:
            chunk = b""
        if not chunk:
            raise RuntimeError(f"the app ended: {self.seen[-1500:]!r}")
        self.seen += chunk
        return chunk

    def until(self, *markers: bytes, start: int = 0) -> None:
        """Read until every marker has arrived after offset `start`."""
        began = time.perf_counter()
        while not all(m in self.seen[start:] for m in markers):
            if time.perf_counter() - began > TIMEOUT:
                raise RuntimeError(f"no {markers!r} in {TIMEOUT} s: {self.seen[-1500:]!r}")
            self._read(TIMEOUT)

    def settle(self) -> None:
        """Read until the app has been quiet for QUIET seconds."""
        while self._read(QUIET):
            pass

    def press(self, key: bytes, *markers: bytes) -> tuple[float, int]:
        """Seconds from writing `key` until every marker is on the terminal, and bytes written."""
        self.settle()
        start = len(self.seen)
        began = time.perf_counter()
        os.write(self.master, key)
        self.until(*markers, start=start)
        elapsed = time.perf_counter() - began
        self.settle()
        return elapsed, len(self.seen) - start

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        os.close(self.master)


def _scenes(story_dir: Path) -> tuple[list[dict[str, object]], Path]:
    """The path of always taking choice 1 to an ending, scene by scene as both apps show
    them, and a save folder holding a save at that ending's scene."""
    from game import markup
    from game.engine.engine import Engine
    from game.storage.saves import SaveStore
    from game.story.files import load_or_raise

    story = load_or_raise(story_dir)
    engine = Engine(story)
    state = engine.start()
    path: list[dict[str, object]] = []
    while True:
        view = engine.view(state)
        path.append({"heading": f"{view.chapter} · {view.title}" if view.chapter else view.title,
                     "paragraphs": [markup.strip(p) for p in view.paragraphs],
                     "choices": [markup.strip(c.text) for c in view.choices] or ["The End ▸"],
                     "ending": view.ending.title if view.ending else ""})
        if view.ending is not None or len(path) > 500:
            break
        state = engine.choose(state, view.choices[0].id)
    saves = Path(tempfile.mkdtemp(prefix="latency-saves-"))
    SaveStore(saves, story).save("before the end", state)
    return path, saves


def _marker(scene: dict[str, object]) -> tuple[bytes, bytes]:
    """The scene's heading and the first words of its first choice, as the terminal gets
    them (each is drawn in one style, so its bytes arrive together)."""
    heading = str(scene["heading"]).encode()
    choices = scene["choices"]
    assert isinstance(choices, list)
    first = str(choices[0])[:12].encode()
    return heading[-24:], first


def _one_run(argv: list[str], env: dict[str, str], scenes: list[dict[str, object]],
             first_key: bytes | None) -> tuple[list[float], list[int]]:
    term = Terminal(argv, env)
    times: list[float] = []
    sizes: list[int] = []
    try:
        if first_key is not None:  # the game: the title screen, then New game
            term.until(b"New game")
            term.press(first_key, *_marker(scenes[0]))
        else:
            term.until(*_marker(scenes[0]))
        previous = scenes[0]["heading"]
        for scene in scenes[1:]:
            if scene["heading"] == previous:
                break  # the same heading twice: the markers could not tell them apart
            elapsed, size = term.press(b"1", *_marker(scene))
            times.append(elapsed)
            sizes.append(size)
            previous = scene["heading"]
    finally:
        term.close()
    return times, sizes


def _ending(argv: list[str], env: dict[str, str], ready: bytes) -> float:
    term = Terminal(argv, env)
    try:
        term.until(ready)
        elapsed, _ = term.press(b"1", b"THE END")
        return elapsed
    finally:
        term.close()


def _json(data: object) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(data, handle)
    return handle.name


def measure(story: Path, runs: int = 3, choices: int = 12,
            log: Callable[[str], None] = lambda message: None) -> Latency:
    env = _env()
    python = sys.executable
    path, saves = _scenes(story)
    scenes = path[: choices + 1]
    files = [_json(scenes), _json(path[-1:])]
    samples: dict[str, list[float]] = {"bare": [], "game": [], "bare-ending": [],
                                       "game-ending": []}
    sizes: dict[str, list[int]] = {"bare": [], "game": []}
    try:
        for run in range(runs):
            fresh = tempfile.mkdtemp(prefix="latency-fresh-")
            game = [python, "-m", "game", "play", "--story", str(story), "--saves", fresh]
            for kind, argv, key in (("bare", [python, "-c", BARE_APP, files[0]], None),
                                    ("game", game, b"\r")):
                times, written = _one_run(argv, env, scenes, key)
                samples[kind] += times
                sizes[kind] += written
            samples["bare-ending"].append(
                _ending([python, "-c", BARE_APP, files[1]], env, b"The End"))
            samples["game-ending"].append(_ending(
                [python, "-m", "game", "play", "--story", str(story), "--saves", str(saves),
                 "--load", "before the end"], env, b"The End"))
            log(f"  latency: run {run + 1} of {runs}")
    finally:
        for name in files:
            os.unlink(name)
    med = {kind: statistics.median(values) for kind, values in samples.items()}
    return Latency(med["bare"], med["game"], med["game-ending"], med["bare-ending"], samples,
                   {kind: statistics.mean(values) for kind, values in sizes.items()})


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


def figures(story: Path, runs: int = 3, log: Callable[[str], None] = lambda message: None,
            ) -> list[tuple[str, str, str, str, str]]:
    """Rows for benchmarks/run.py: (figure, baseline, ours, ratio, target)."""
    result = measure(story, runs, log=log)
    game, bare = result.samples["game"], result.samples["bare"]
    ending = result.samples["game-ending"]
    return [
        ("key press to the next scene's choices, pty",
         f"bare Textual app: {result.bare_choice * 1000:.0f} ms (p90 {p90(bare) * 1000:.0f})",
         f"{result.game_choice * 1000:.0f} ms (p90 {p90(game) * 1000:.0f}, {len(game)} choices, "
         f"{result.bytes_per_choice['game'] / result.bytes_per_choice['bare']:.1f}x the bytes)",
         f"{result.choice_ratio:.2f}x",
         f"<= {TARGETS['choice']}x {'yes' if result.choice_ratio <= TARGETS['choice'] else 'NO'}"),
        ("key press to the ending screen, pty",
         f"bare Textual app: {result.bare_ending * 1000:.0f} ms",
         f"{result.game_ending * 1000:.0f} ms ({len(ending)} runs, p90 {p90(ending) * 1000:.0f})",
         f"{result.game_ending / result.bare_ending:.2f}x",
         f"<= {TARGETS['ending'] * 1000:.0f} ms "
         f"{'yes' if result.game_ending <= TARGETS['ending'] else 'NO'}"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--story", type=Path, default=REPO / "scenes")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    rows = figures(args.story.resolve(), args.runs,
                   log=lambda message: print(message, file=sys.stderr))
    load = os.getloadavg()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load {load[0]:.2f}; "
          f"story {args.story}; medians")
    header = ("figure", "baseline (median)", "this project (median)", "ratio", "target")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(5)]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
