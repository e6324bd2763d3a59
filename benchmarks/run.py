"""Every performance figure of issue 7, each as a ratio to a baseline measured in the same run.

    python benchmarks/run.py            # the 10,000-scene story, ~3-4 minutes
    python benchmarks/run.py --quick    # a 1,000-scene story, well under a minute
    python benchmarks/run.py --only long-game   # just the long-game figures (issue 11)
    python benchmarks/run.py --only walks   # only the random-playthrough rows
    python benchmarks/run.py --only proof   # only `offscreen test --exhaustive` (issue 13)

The machine these run on is shared and noisy, so absolute times mean little: every figure
is compared with a baseline measured in this same run, samples of the two are interleaved
(baseline, ours, baseline, ours...) so a burst of load hits both, and the table shows medians.
Every sample is a fresh Python process (`--worker KIND`), so nothing is warm that would not
be warm for a player: imports, the story, the collector, the OS page cache aside. Inside the
worker the operation itself is timed; whole-process times (start-up) are taken by this
script from spawn to the child's "first frame" line. Peak memory is the worker's own peak
resident set (VmHWM; see `peak_mib`).
docs/performance.md explains each figure.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path[:0] = [str(REPO), str(BENCH)]

MAX_STEPS = 1000
"""Steps before a random run is cut off (the `offscreen test` default)."""
WALK_RUNS = 3000
"""Random runs per playthrough sample: enough that the runner's set-up is a small part."""
WALKS = ["walk-dict", "walk-dict-paused", "walk-runner", "walk-engine"]
"""The random-playthrough workers, sampled interleaved (`--only walks` runs just these)."""

LONG_TURNS = (10, 1_000, 9_000)
"""The turns of one long game on the benchmark story at which its autosave is timed."""
LOOP_SCENES = 2_000
LOOP_CHOICES = (500, 2_500)
"""Plain mode on a ring of LOOP_SCENES scenes: the time of the second count of choices
must stay within LOOP_TARGET times that of the first (a choice must not cost more later)."""
LOOP_TARGET = 6.0
LONG_TARGET = 1.5
"""Autosave time and process memory at the last of LONG_TURNS, over those at the first."""


# -- workers: one measurement each, in a fresh process ------------------------------------------

def _files(root: Path) -> list[Path]:
    from game.story.files import story_files

    return story_files(root)


def _walk_story(root: Path) -> Any:
    from game.commands.loading import load

    result = load(root)
    assert result.story is not None, [str(d) for d in result.errors]
    return result.story


def worker(kind: str, root: Path, runs: int) -> dict[str, Any]:
    """Runs one measurement and returns what it found (printed as JSON by main)."""
    import yaml

    from game.commands.loading import load  # load_story as every command loads a story
    from game.story import yamlsrc

    out: dict[str, Any] = {}
    if kind in ("yaml-c", "yaml-py"):
        loader_class = yaml.CSafeLoader if kind == "yaml-c" else yaml.SafeLoader
        paths = _files(root)
        start, cpu = time.perf_counter(), time.process_time()
        for path in paths:
            yaml.load(path.read_text(encoding="utf-8"), Loader=loader_class)
        out["seconds"] = time.perf_counter() - start
        out["cpu_seconds"] = time.process_time() - cpu
    elif kind in ("cold-c", "cold-py", "cold-write", "warm", "peer-check"):
        if kind == "cold-py":
            yamlsrc.LOADER = yamlsrc.PyLoader
        # The readers are imported untimed, as the baseline's `import yaml` is (and as this
        # worker did when the figures were set, at f4b140b); `load_story` imports them only
        # on a cache miss. Without it, with PYTHONDONTWRITEBYTECODE set, the figure also
        # timed compiling ~20 modules from source (~50 ms), which no installed copy pays.
        import game.story.loader
        if kind == "peer-check":
            # Against inkjs, whose timing starts after `require("inkjs/full")`: lint's
            # modules are imported first here too (loading imports them lazily).
            import game.story.lint  # noqa: F401
        start, cpu = time.perf_counter(), time.process_time()
        result = load(root, cache=kind in ("cold-write", "warm"))
        out["seconds"] = time.perf_counter() - start
        out["cpu_seconds"] = time.process_time() - cpu
        assert not result.errors, [str(d) for d in result.errors[:5]]
        from game.story.cache import CachedScenes

        warm = result.story is not None and isinstance(result.story.scenes, CachedScenes)
        assert warm == (kind == "warm"), f"{kind}: cache {'hit' if warm else 'missed'}"
        out["diagnostics"] = len(result.diagnostics)
        if kind == "warm":  # what the first scene of a game costs on top (decoded lazily)
            from game.engine import Engine

            start = time.perf_counter()
            Engine(result.story).view(Engine(result.story).start())
            out["first_view"] = time.perf_counter() - start
    elif kind in ("walk-dict", "walk-dict-paused"):
        out.update(_dict_walk(_walk_story(root), runs, paused=kind == "walk-dict-paused"))
    elif kind == "walk-runner":
        from game.tools.playtest import random_runs

        story = _walk_story(root)
        start = time.perf_counter()
        report = random_runs(story, runs, 1, "uniform", MAX_STEPS)
        seconds = time.perf_counter() - start
        out.update(seconds=seconds, steps=report.steps, rate=report.steps / seconds)
    elif kind == "walk-engine":
        out.update(_engine_walk(_walk_story(root), runs))
    elif kind == "play-choices":
        out.update(_play_choices(_walk_story(root), runs))
    elif kind in ("mem-cold", "mem-warm"):
        result = load(root, cache=kind == "mem-warm")
        assert result.story is not None
        from game.engine import Engine

        Engine(result.story).view(Engine(result.story).start())
    elif kind == "autosave":
        out.update(_autosave(root, runs))
    elif kind == "long-memory":
        out.update(_long_memory(root, runs, int(os.environ["BENCH_TURN"])))
    elif kind == "long-saves":
        out.update(_long_saves(root, runs, [int(t) for t in os.environ["BENCH_TURNS"].split(",")]))
    elif kind == "plain-loop":
        out.update(_plain_loop(root, runs))
    elif kind == "proof":
        from game.tools.exhaustive import search

        result = load(root)
        assert result.story is not None
        start = time.perf_counter()
        report = search(result.story)
        out.update(seconds=time.perf_counter() - start, states=report.states,
                   complete=report.complete, failed=report.failed)
    else:
        raise SystemExit(f"unknown worker {kind!r}")
    out["maxrss_mib"] = peak_mib()
    return out


def peak_mib() -> float:
    """This process's peak resident memory in MiB: VmHWM, the high-water mark of this
    process image alone.

    Not ru_maxrss: Linux carries a parent's peak into its child across fork and exec (at exec
    the old image's high-water mark is kept in the process's maxrss), so every worker started
    after this script had grown reported at least the script's own peak. The full run checks
    the 10k story in process for the language server's baseline, so the workers after it (the
    inkjs comparison's cold check) read 121 MiB for an 88 MiB load. ru_maxrss only where
    /proc is missing.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, IndexError, ValueError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _dict_walk(story: Any, runs: int, paused: bool = False) -> dict[str, float]:
    """The baseline: the story's graph as a dict of tuples, a random exit per step.

    `paused` is the like-for-like baseline: the collector paused around the runs exactly as
    the runner's `random_runs` pauses it (`game.collector.paused()`, inside the timing).
    Without it, the baseline as it was first measured, with the collector running.
    """
    from game import collector

    if any(c.call or c.returns for scene in story.scenes.values() for c in scene.choices):
        return _dict_walk_calls(story, runs, paused)
    graph = {sid: tuple(c.goto for c in scene.choices) for sid, scene in story.scenes.items()}
    ends = {sid for sid, scene in story.scenes.items() if scene.ending is not None}
    start_id = story.start
    steps = 0
    start = time.perf_counter()
    with collector.paused() if paused else contextlib.nullcontext():
        for run in range(runs):
            choice = random.Random(run).choice
            here, n = start_id, 0
            while here not in ends and n < MAX_STEPS:
                here = choice(graph[here])
                n += 1
            steps += n
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "steps": steps, "rate": steps / seconds}


def _dict_walk_calls(story: Any, runs: int, paused: bool) -> dict[str, float]:
    """The dict walk for a story with calls (format v2): an exit is a scene, or a call
    (the scene called and where its return leads) or a return, with a stack per run. The
    plain walk would read a `return: true` as its `goto`, the scene itself, and spin there
    until the step limit: a different, cache-hot walk (3.1M steps/s on the v2 story)."""
    from game import collector

    back = object()
    graph = {sid: tuple(back if c.returns else (c.goto, c.then or sid) if c.call else c.goto
                        for c in scene.choices) for sid, scene in story.scenes.items()}
    ends = {sid for sid, scene in story.scenes.items() if scene.ending is not None}
    start_id = story.start
    steps = 0
    start = time.perf_counter()
    with collector.paused() if paused else contextlib.nullcontext():
        for run in range(runs):
            choice = random.Random(run).choice
            here, n, stack = start_id, 0, []
            while here not in ends and n < MAX_STEPS:
                way = choice(graph[here])
                if type(way) is str:
                    here = way
                elif way is back:
                    here = stack.pop() if stack else here
                else:
                    here, then = way  # type: ignore[misc]
                    stack.append(then)
                n += 1
            steps += n
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "steps": steps, "rate": steps / seconds}


def _engine_walk(story: Any, runs: int) -> dict[str, float]:
    """The engine's own API, as a front end drives it: choices(), then take().

    Front ends play with the collector running, and so does this walk: the dict walk as
    first measured (collector running) is its like-for-like baseline.
    """
    from game.engine import Engine

    engine = Engine(story)
    steps = 0
    start = time.perf_counter()
    for run in range(runs):
        choice = random.Random(run).choice
        state, n = engine.start(), 0
        while n < MAX_STEPS and not engine.is_over(state):
            options = engine.choices(state)
            if not options:
                break
            state = engine.take(state, choice(options))
            n += 1
        steps += n
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "steps": steps, "rate": steps / seconds}


def _play_choices(story: Any, choices: int) -> dict[str, float]:
    """`choices` random choices as a player makes them, each scene's text rendered (the
    twin of inkjs's Continue + ChooseChoiceIndex in benchmarks/ink_play.js): a new game
    at each ending."""
    from game.engine import Engine

    engine = Engine(story)
    choice = random.Random(0).choice
    state, taken, shown = engine.start(), 0, 0
    start, cpu = time.perf_counter(), time.process_time()
    while taken < choices:
        shown += sum(map(len, engine.view(state).paragraphs))
        options = engine.choices(state)
        if not options or engine.is_over(state):
            state = engine.start()
            continue
        state = engine.take(state, choice(options))
        taken += 1
    return {"seconds": time.perf_counter() - start, "cpu_seconds": time.process_time() - cpu,
            "characters": shown}


def _autosave(root: Path, count: int) -> dict[str, Any]:
    """`SaveStore.save` of the autosave after each choice of random games, as play does."""
    from game.engine import Engine
    from game.storage.saves import SaveStore

    story = _walk_story(root)
    engine = Engine(story)
    folder = Path(tempfile.mkdtemp(prefix="offscreen-bench-saves-", dir=os.environ["BENCH_TMP"]))
    store = SaveStore(folder, story)
    rng = random.Random(7)
    times: list[float] = []
    state = engine.start()
    sizes = []
    while len(times) < count:
        options = engine.choices(state)
        if engine.is_over(state) or not options:
            state = engine.start()
            continue
        state = engine.take(state, rng.choice(options))
        start = time.perf_counter()
        path = store.save("autosave", state)
        times.append(time.perf_counter() - start)
        sizes.append(path.stat().st_size)
    return {"times": times, "turns": state.turn, "bytes": statistics.median(sizes)}


def _long_game(root: Path, turns: list[int]) -> tuple[Any, list[Any]]:
    """The engine, and one game per turn played to it along the story's spine (the first
    choice of every scene, which never ends the game and visits a new scene each time),
    each with a save folder of its own. The scenes are all decoded first, so that the
    process memory at different turns differs only by what the game itself holds (the cache
    decodes a scene when it is first entered, and 9,000 scenes are ~40 MiB of story);
    BENCH_LAZY=1 leaves that to the cache, as `offscreen play` does."""
    from game.commands.loading import load
    from game.engine import Engine
    from game.storage.saves import SaveStore

    result = load(root, cache=True)
    assert result.story is not None
    story = result.story
    if not os.environ.get("BENCH_LAZY"):
        story.scenes.values()  # a cached story decodes every scene for this
    engine = Engine(story)
    games = []
    for turn in turns:
        folder = Path(tempfile.mkdtemp(prefix="offscreen-bench-long-",
                                       dir=os.environ["BENCH_TMP"]))
        state = engine.start()
        while state.turn < turn:
            state = engine.take(state, engine.choices(state)[0])
        games.append([SaveStore(folder, story), state])
    return engine, games


def _one_more(engine: Any, game: list[Any]) -> float:
    """One more choice in `game`, then its autosave; returns how long the save took."""
    from game.storage.saves import AUTOSAVE

    store, state = game
    state = game[1] = engine.take(state, engine.choices(state)[0])
    assert not engine.is_over(state)
    start = time.perf_counter()
    store.save(AUTOSAVE, state, 0.0)
    return time.perf_counter() - start


def _long_saves(root: Path, saves: int, turns: list[int]) -> dict[str, Any]:
    """The autosave after each of `saves` more choices in games at each of `turns`, taken in
    turn (a game at turn 10, one at 9,000, then 10 again...) so that a burst of disk load on
    this shared machine falls on all of them alike."""
    engine, games = _long_game(root, turns)
    times: dict[str, list[float]] = {str(t): [] for t in turns}
    for _ in range(saves):
        for turn, game in zip(turns, games, strict=True):
            times[str(turn)].append(_one_more(engine, game))
    sizes = {str(t): next(g[0].folder.glob("autosave*.json")).stat().st_size
             for t, g in zip(turns, games, strict=True)}
    return {"times": times, "bytes": sizes,
            "visited": {str(t): len(g[1].visits) for t, g in zip(turns, games, strict=True)}}


def _long_memory(root: Path, saves: int, turn: int) -> dict[str, Any]:
    """A process's memory after one game played to `turn` and `saves` autosaves more."""
    engine, games = _long_game(root, [turn])
    for _ in range(saves):
        _one_more(engine, games[0])
    return {"rss_mib": _rss_mib()}


def _rss_mib() -> float:
    """The process's resident memory now (the peak is `peak_mib`, taken for every worker)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _plain_loop(root: Path, choices: int) -> dict[str, Any]:
    """`offscreen play --plain` on the loop story, `choices` lines of "1" piped in, timed in
    this process from the command's start to its end (the story comes from the warm cache)."""
    import io

    from game.cli import main as cli_main

    saves = Path(tempfile.mkdtemp(prefix="offscreen-bench-plain-", dir=os.environ["BENCH_TMP"]))
    stdin, stdout = sys.stdin, sys.stdout
    sys.stdin = io.StringIO("1\n" * choices + "quit\n")
    with open(os.devnull, "w", encoding="utf-8") as sink:
        sys.stdout = sink
        try:
            start = time.perf_counter()
            code = cli_main(["play", "--plain", "--story", str(root), "--saves", str(saves)])
            seconds = time.perf_counter() - start
        finally:
            sys.stdin, sys.stdout = stdin, stdout
    assert code == 0, f"plain mode exited {code}"
    from game.storage.saves import AUTOSAVE, SaveStore
    from game.story.files import load_story

    story = load_story(root, cache=True).story
    assert story is not None
    turn = SaveStore(saves, story).load(AUTOSAVE).state.turn
    assert turn == choices, f"the autosave is at turn {turn}, not {choices}"
    autosave = next(saves.glob("autosave*.json"))
    return {"seconds": seconds, "bytes": autosave.stat().st_size}


# -- the parent: samples, medians, the table ---------------------------------------------------

@dataclass
class Sampler:
    root: Path
    env: dict[str, str]
    log: Callable[[str], None]
    samples: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def run(self, kind: str, runs: int = 0, root: Path | None = None,
            env: dict[str, str] | None = None, label: str | None = None) -> dict[str, Any]:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", kind,
               str(root or self.root), "--runs", str(runs)]
        proc = subprocess.run(cmd, capture_output=True, text=True, env={**self.env, **(env or {})},
                              check=False)
        if proc.returncode != 0:
            raise SystemExit(f"worker {kind} failed:\n{proc.stdout}\n{proc.stderr}")
        data: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
        self.samples.setdefault(label or kind, []).append(data)
        return data

    def interleaved(self, kinds: list[str], count: int, **kwargs: Any) -> None:
        for i in range(count):
            for kind in kinds:
                self.run(kind, **kwargs)
            self.log(f"  {' / '.join(kinds)}: sample {i + 1} of {count}")

    def median(self, label: str, key: str = "seconds") -> float:
        return statistics.median(s[key] for s in self.samples[label])

    def spread(self, label: str, key: str = "seconds") -> str:
        values = sorted(s[key] for s in self.samples[label])
        return f"{len(values)} runs, {values[0]:.3g}..{values[-1]:.3g}"


def machine() -> list[str]:
    import yaml

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        from yaml import _yaml  # type: ignore[attr-defined]

        libyaml = _yaml.get_version_string()
    except ImportError:
        libyaml = "not available"
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return [
        f"machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
        f"python: {platform.python_implementation()} {platform.python_version()}; "
        f"PyYAML {yaml.__version__}, libyaml {libyaml}",
        f"load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a 1,000-scene story, fewer samples")
    parser.add_argument("--scenes", type=int, help="story size (default 10,000; 1,000 quick)")
    parser.add_argument("--samples", type=int, help="samples per figure (default 5; 3 quick)")
    parser.add_argument("--keep", action="store_true", help="keep the generated story and cache")
    parser.add_argument("--v2", default="none", metavar="FEATURES",
                        help="format-v2 features in a tenth of the story's scenes (all, landed, "
                        "none, or some of: variations,compute,bounds,lists,locked,calls; "
                        "benchmarks/gen_story_v2.py); default none, the v1 story")
    parser.add_argument("--only", choices=["long-game", "walks", "peer", "proof", "lsp"],
                        help="run only these figures (the story is still generated, except "
                        "for proof): long-game, walks = the random-playthrough rows, peer = "
                        "against inkjs (needs node and npm), proof = the exhaustive "
                        "search of the shipped and example stories, or lsp = the language "
                        "server's rows")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("root", nargs="?", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--runs", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, args.root, args.runs)))
        return 0
    return bench(args)


def compile_sources() -> None:
    """Writes the `.pyc` of every module the workers import, as an installed copy has them.

    The workers run with PYTHONDONTWRITEBYTECODE (no sample may leave files behind that
    make the next one faster), so a `.pyc` older than its source would be ignored and the
    module compiled from source inside a timed region: ~12 ms on the warm load, more
    for the cold check's lazily imported readers. Compiling first makes every sample
    read the same bytecode, whatever the checkout's history.
    """
    import compileall

    for folder in (REPO / "game", BENCH):
        compileall.compile_dir(str(folder), quiet=1)


def bench(args: argparse.Namespace) -> int:
    import gen_story
    import gen_story_v2

    scenes = args.scenes or (1_000 if args.quick else 10_000)
    try:
        v2 = gen_story_v2.parse_features(args.v2)
    except ValueError as exc:
        raise SystemExit(f"run.py: --v2: {exc}") from None
    samples = args.samples or (3 if args.quick else 5)
    slow_samples = max(1, samples - 2)  # the pure-Python figure costs ~20 s a sample at 10k
    began = time.perf_counter()
    compile_sources()
    work = Path(tempfile.mkdtemp(prefix="offscreen-bench-"))
    env = {**os.environ, "OFFSCREEN_CACHE": str(work / "cache"), "BENCH_TMP": str(work),
           "PYTHONDONTWRITEBYTECODE": "1"}

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - began:5.0f}s] {message}", file=sys.stderr, flush=True)

    try:
        if args.only == "proof":
            rows = proof_figures(Sampler(REPO / "scenes", env, log), samples, log)
            for line in machine():
                print(line)
            print()
            print_rows(rows)
            return 0
        root = work / "story"
        gen = gen_story.generate(root, scenes=scenes, v2=v2)
        size = sum(p.stat().st_size for p in root.glob("*.yaml"))
        log(f"story: {gen.n} scenes, {gen.choices} choices, {gen.words} words, "
            f"{gen.files} files, {size / 1e6:.1f} MB in {root}")
        s = Sampler(root, env, log)
        if args.only == "long-game":
            rows = long_game_figures(s, work, samples, log, scenes)
            for line in machine():
                print(line)
            print(f"story: {gen.n} scenes (benchmarks/gen_story.py, seed 80); medians; "
                  f"{time.perf_counter() - began:.0f} s")
            print()
            print_rows(rows)
            return 0
        if args.only == "peer":
            rows = peer_figures(s, work, samples, log)
            print_report(rows, gen, size, time.perf_counter() - began)
            return 0
        if args.only == "lsp":
            print_report(lsp_figures(s, samples, log), gen, size, time.perf_counter() - began)
            return 0
        if args.only == "walks":
            log("random playthroughs")
            s.interleaved(WALKS, samples, runs=WALK_RUNS)
            print_report(walk_rows(s), gen, size, time.perf_counter() - began)
            return 0
        log("cold load + check (libyaml) vs yaml.load(CSafeLoader)")
        s.interleaved(["yaml-c", "cold-c"], samples)
        log("cold load + check (pure Python) vs yaml.load(SafeLoader)")
        s.interleaved(["yaml-py", "cold-py"], slow_samples)
        log("first cached load (cold, then write the cache)")
        shutil.rmtree(work / "cache", ignore_errors=True)
        s.run("cold-write")
        log("warm load from the cache")
        s.interleaved(["warm"], samples)
        log("random playthroughs")
        s.interleaved(WALKS, samples, runs=WALK_RUNS)
        log("peak memory")
        shutil.rmtree(work / "cache", ignore_errors=True)
        s.interleaved(["mem-cold"], 1)
        s.run("cold-write")  # fill the cache for the warm figure
        s.interleaved(["mem-warm"], 1)
        log("autosave")
        s.run("autosave", runs=200 if not args.quick else 60)
        startup_rows = startup_figures(s, work, samples, log)
        long_rows = long_game_figures(s, work, samples, log, scenes)
        startup_rows += latency_figures(samples, log)
        lsp_rows = lsp_figures(s, samples, log)
        peer_rows = peer_figures(s, work, slow_samples, log)
        startup_rows += proof_figures(s, samples, log)
        print_table(s, gen, size, startup_rows, time.perf_counter() - began)
        print()
        print_rows(long_rows)
        for extra in (lsp_rows, peer_rows):
            if extra:
                print()
                print_rows(extra)
    finally:
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def startup_figures(s: Sampler, work: Path, samples: int,
                    log: Callable[[str], None]) -> list[tuple[str, str, str, str, str]]:
    """Start to first frame, via benchmarks/startup.py (the UI's measurement)."""
    try:
        import startup
    except ImportError:
        log("benchmarks/startup.py not found: start-up figures skipped")
        return []
    log("start-up to first frame")
    rows: list[tuple[str, str, str, str, str]] = startup.figures(
        shipped=REPO / "scenes", big=s.root, env=s.env, samples=samples, log=log)
    return rows


def long_game_figures(s: Sampler, work: Path, samples: int, log: Callable[[str], None],
                      scenes: int = 10_000) -> list[tuple[str, str, str, str, str]]:
    """Issue 11: what a long game costs later compared with earlier in the same game.

    The baseline of each figure is the same measurement early in the game (turn 10, or 500
    choices), so a state that grows with the game shows as a ratio above its target.
    """
    import gen_story

    from game.storage.journal import COMPACT_EVERY

    saves = COMPACT_EVERY + 1
    # The spine of a smaller story (--quick) ends sooner (it skips each file's ending: 900
    # scenes of 1,000), so the turns scale to it, with the window's choices left over.
    long_turns = LONG_TURNS if scenes >= 10_000 else (10, scenes // 10, scenes * 7 // 10)
    log("long game: autosave and memory at turns " + ", ".join(f"{t:,}" for t in long_turns))
    if not (work / "cache").exists():
        s.run("cold-write")  # the game loads from the cache, as `offscreen play` does
    # A window of one whole journal cycle per turn: the whole write (compaction) that starts
    # it, then COMPACT_EVERY appends; its mean is the amortised cost of an autosave.
    turns = ",".join(str(t) for t in long_turns)
    for i in range(max(1, samples - 2)):
        s.run("long-saves", runs=saves, env={"BENCH_TURNS": turns}, label="long-saves")
        for turn in long_turns:
            s.run("long-memory", runs=saves, env={"BENCH_TURN": str(turn)}, label=f"long-{turn}")
        log(f"  long game: sample {i + 1} of {max(1, samples - 2)}")
    for turn in (long_turns[0], long_turns[-1]):
        s.run("long-memory", runs=saves, env={"BENCH_TURN": str(turn), "BENCH_LAZY": "1"},
              label=f"lazy-{turn}")
    loop = work / "loop"
    gen_story.generate_loop(loop, LOOP_SCENES)
    log(f"plain mode on a {LOOP_SCENES:,}-scene loop: " + " vs ".join(
        f"{n:,}" for n in LOOP_CHOICES) + " choices")
    s.run("plain-loop", runs=1, root=loop, label="plain-warm-up")  # writes the loop's cache
    for i in range(max(1, samples - 2)):
        for n in LOOP_CHOICES:
            s.run("plain-loop", runs=n, root=loop, label=f"plain-{n}")
        log(f"  plain loop: sample {i + 1} of {max(1, samples - 2)}")

    def save_ms(turn: int) -> float:
        """The median over samples of the mean autosave in each sample's window."""
        return statistics.median(statistics.fmean(sample["times"][str(turn)])
                                 for sample in s.samples["long-saves"]) * 1e3

    def mib(turn: int) -> float:
        return statistics.median(sample["maxrss_mib"] for sample in s.samples[f"long-{turn}"])

    first, last = long_turns[0], long_turns[-1]
    rows: list[tuple[str, str, str, str, str]] = []
    for name, value, unit in (("autosave", save_ms, "ms"), ("peak memory", mib, "MiB")):
        ratio = value(last) / value(first)
        ok = "yes" if ratio <= LONG_TARGET else "NO"
        middle = ", ".join(f"turn {t:,}: {value(t):.{2 if unit == 'ms' else 0}f} {unit}"
                           for t in long_turns[1:])
        rows.append((f"long game: {name} at turn {last:,} vs turn {first:,}",
                     f"turn {first:,}: {value(first):.{2 if unit == 'ms' else 0}f} {unit}",
                     middle, f"{ratio:.3f}x", f"<= {LONG_TARGET}x {ok}"))
    lazy = [s.samples[f"lazy-{t}"][0]["maxrss_mib"] for t in (first, last)]
    rows.append(("long game: same, scenes decoded as entered (as `play` runs)",
                 f"turn {first:,}: {lazy[0]:.0f} MiB", f"turn {last:,}: {lazy[1]:.0f} MiB",
                 f"{lazy[1] / lazy[0]:.3f}x", "report"))
    big = s.samples["long-saves"][0]
    rows.append((f"long game: the autosave at turn {last:,}", "-",
                 f"{big['bytes'][str(last)] / 1e3:.0f} kB ({big['bytes'][str(first)] / 1e3:.0f} "
                 f"kB at turn {first:,}), {big['visited'][str(last)]:,} scenes visited, "
                 f"{statistics.median(x['rss_mib'] for x in s.samples[f'long-{last}']):.0f} "
                 "MiB resident", "-", "report"))
    few, many = LOOP_CHOICES
    ratio = s.median(f"plain-{many}") / s.median(f"plain-{few}")
    rows.append((f"plain mode, {LOOP_SCENES:,}-scene loop: {many:,} vs {few:,} choices",
                 f"{few:,} choices: {s.median(f'plain-{few}'):.2f} s",
                 f"{s.median(f'plain-{many}'):.2f} s ({s.spread(f'plain-{many}')})",
                 f"{ratio:.3f}x", f"<= {LOOP_TARGET}x {'yes' if ratio <= LOOP_TARGET else 'NO'}"))
    return rows


def print_rows(rows: list[tuple[str, str, str, str, str]]) -> None:
    """A Markdown table of figures: what each is, its baseline, ours, the ratio, the target."""
    header = ("figure", "baseline (median)", "this project (median)", "ratio", "target")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(5)]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")


PROOF_TARGET = 60.0
"""Seconds for `offscreen test --exhaustive` to prove the shipped story complete (issue 13)."""


def proof_figures(s: Sampler, samples: int,
                  log: Callable[[str], None]) -> list[tuple[str, str, str, str, str]]:
    """The exhaustive search of the shipped story and of the docs example, timed in a fresh
    process each (the search alone: loading is its own row), with its state count."""
    rows: list[tuple[str, str, str, str, str]] = []
    for name, root in (("the shipped story", REPO / "scenes"),
                       ("the docs example", REPO / "docs" / "example")):
        log(f"exhaustive proof of {name}")
        label = f"proof-{root.name}"
        for _ in range(samples):
            s.run("proof", root=root, label=label)
        last = s.samples[label][-1]
        seconds = s.median(label)
        proven = last["complete"] and not last["failed"]
        ok = "yes" if proven and seconds <= PROOF_TARGET else "NO"
        rows.append((f"exhaustive proof of {name} ({'proven' if proven else 'NOT proven'})",
                     "-", f"{seconds:.2f} s, {last['states']:,} states ({s.spread(label)})",
                     "-", f"<= {PROOF_TARGET:.0f} s {ok}"))
    return rows


def latency_figures(samples: int,
                    log: Callable[[str], None]) -> list[tuple[str, str, str, str, str]]:
    """Key press to the next scene's choices, and to the ending screen, via
    benchmarks/latency.py (issue 14), on the shipped story."""
    try:
        import latency
    except ImportError:
        log("benchmarks/latency.py not found: latency figures skipped")
        return []
    log("key press to the next scene, and to the ending screen")
    rows: list[tuple[str, str, str, str, str]] = latency.figures(
        REPO / "scenes", runs=max(1, samples // 2), log=log)
    return rows


def lsp_figures(s: Sampler, samples: int,
                log: Callable[[str], None]) -> list[tuple[str, str, str, str, str]]:
    """The language server's figures (issue 12), via benchmarks/lsp_timing.py."""
    import importlib.util

    if importlib.util.find_spec("pygls") is None:
        log("pygls not installed: language server figures skipped")
        return []
    import lsp_timing

    log("language server: change to diagnostics, completion, definition")
    rows: list[tuple[str, str, str, str, str]] = lsp_timing.figures(s.root, max(1, samples - 2))
    return rows


def peer_figures(s: Sampler, work: Path, samples: int,
                 log: Callable[[str], None]) -> list[tuple[str, str, str, str, str]]:
    """The same story in inkjs (issue 17), via benchmarks/ink_peer.py; none without node."""
    import ink_peer

    rows: list[tuple[str, str, str, str, str]] = ink_peer.figures(s, work, samples, log)
    return rows


def print_table(s: Sampler, gen: Any, size: int,
                startup_rows: list[tuple[str, str, str, str, str]], elapsed: float) -> None:
    yaml_c = s.median("yaml-c")
    yaml_py = s.median("yaml-py")
    rows: list[tuple[str, str, str, str, str]] = []

    def ratio_row(figure: str, label: str, baseline: str, base: float, target: float) -> None:
        ours = s.median(label)
        ratio = ours / base
        ok = "yes" if ratio <= target else "NO"
        rows.append((figure, f"{baseline}: {base:.3f} s", f"{ours:.3f} s ({s.spread(label)})",
                     f"{ratio:.3f}x", f"<= {target}x {ok}"))

    ratio_row("cold load + full check, file:line kept", "cold-c",
              "yaml.load(CSafeLoader)", yaml_c, 1.0)
    ratio_row("same, pure-Python fallback (PyLoader)", "cold-py",
              "yaml.load(SafeLoader)", yaml_py, 1.0)
    ratio_row("warm load from the cache", "warm", "yaml.load(CSafeLoader)", yaml_c, 0.05)
    first = s.samples["cold-write"][0]["seconds"]
    rows.append(("first cached load (cold + write cache)", f"yaml.load(CSafeLoader): "
                 f"{yaml_c:.3f} s", f"{first:.3f} s (1 run)", f"{first / yaml_c:.3f}x",
                 "(no target)"))
    rows.extend(startup_rows)
    rows.extend(walk_rows(s))
    for label, name in (("mem-cold", f"peak memory, {gen.n:,}-scene story loaded + checked"),
                        ("mem-warm", f"peak memory, {gen.n:,}-scene story from the cache")):
        mib = s.samples[label][0]["maxrss_mib"]
        rows.append((name, "-", f"{mib:.0f} MiB", "-",
                     f"<= 150 MiB {'yes' if mib <= 150 else 'NO'}"))
    save = s.samples["autosave"][0]
    times = sorted(save["times"])
    p99 = times[min(len(times) - 1, round(0.99 * (len(times) - 1)))]
    rows.append(("autosave after a choice (atomic, fsync)", "-",
                 f"median {statistics.median(times) * 1e3:.2f} ms, p99 {p99 * 1e3:.2f} ms "
                 f"({len(times)} saves, ~{save['bytes'] / 1e3:.0f} kB)", "-", "report"))
    print_report(rows, gen, size, elapsed)


def walk_rows(s: Sampler) -> list[tuple[str, str, str, str, str]]:
    """The random-playthrough rows: the runner against both dict walks, then the Engine.

    The target is for random playthroughs, which is what `offscreen test` runs, and was set
    against the dict walk with the collector running; the runner pauses the collector, so
    the row after it compares it with the dict walk paused the same way (like for like). The
    same walk through the Engine's front-end API (a new immutable state with an undo link per
    step, collector running as in play) is shown for comparison (docs/performance.md).
    """
    rows: list[tuple[str, str, str, str, str]] = []
    dict_rate = s.median("walk-dict", "rate")
    paused_rate = s.median("walk-dict-paused", "rate")
    for label, name, baseline, base, targeted in (
            ("walk-runner", "random playthroughs (`offscreen test` runner)", "dict walk",
             dict_rate, True),
            ("walk-runner", "same, like for like (both pause the collector)",
             "dict walk, collector paused", paused_rate, False),
            ("walk-engine", "same walk via Engine.choices + take (UI's API)", "dict walk",
             dict_rate, False)):
        rate = s.median(label, "rate")
        ratio = rate / base
        target = f">= 0.25x {'yes' if ratio >= 0.25 else 'NO'}" if targeted else "(comparison)"
        rows.append((name, f"{baseline}: {base / 1e3:.0f}k steps/s",
                     f"{rate / 1e3:.0f}k steps/s ({s.spread(label, 'rate')})", f"{ratio:.3f}x",
                     target))
    return rows


def print_report(rows: list[tuple[str, str, str, str, str]], gen: Any, size: int,
                 elapsed: float) -> None:
    """The machine and story lines, then the table."""
    for line in machine():
        print(line)
    print(f"story: {gen.n} scenes, {gen.choices} choices, {gen.words} words, {gen.files} files, "
          f"{size / 1e6:.1f} MB (benchmarks/gen_story.py, seed 80{_v2_note(gen)}); medians; "
          f"{elapsed:.0f} s")
    print()
    print_rows(rows)


def _v2_note(gen: Any) -> str:
    """What of format v2 the story holds, for the story line (nothing for the v1 story)."""
    if not gen.v2.features:
        return ""
    return (f"; v2: {','.join(sorted(gen.v2.features))} in {len(gen.v2.picked)} scenes, "
            f"{gen.v2.errands} errands")


if __name__ == "__main__":
    sys.exit(main())
