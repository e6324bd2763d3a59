"""Issue 17's bar for format v2: on the v2 benchmark story every figure stays within 10% of
the v1 story's ratio. This measures both stories in one run, samples interleaved (v1, v2,
v1, v2...), and prints each ratio side by side with how far the v2 one moved.

    python benchmarks/v2_ratios.py                 # 10k scenes, the v2 features that landed
    python benchmarks/v2_ratios.py --v2 all --samples 5 --scenes 10000 [--peer]

The figures are benchmarks/run.py's own workers (a fresh process per sample): the cold check
and the warm load against `yaml.load(CSafeLoader)` of the same story's files, random
playthroughs (the runner, and the Engine's API) against the dict walk of the same story,
the peak memory of a cold check and of a warm load, and with `--peer` (needs node) the
inkjs comparison's three ratios. Start-up and key-press latency are taken on the shipped
story, which v2 does not change; they are not repeated here.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

import gen_story  # noqa: E402
import gen_story_v2  # noqa: E402
import run  # noqa: E402

BAR = 0.10
"""How far (relative) a v2 ratio may move from the v1 one (issue 17)."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenes", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=3)
    parser.add_argument("--v2", default="landed", help="the v2 features (gen_story --v2)")
    parser.add_argument("--peer", action="store_true", help="also the inkjs comparison")
    args = parser.parse_args(argv)
    features = gen_story_v2.parse_features(args.v2)
    began = time.perf_counter()
    run.compile_sources()
    work = Path(tempfile.mkdtemp(prefix="offscreen-v2ratios-"))

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - began:5.0f}s] {message}", file=sys.stderr, flush=True)

    env = {**os.environ, "OFFSCREEN_CACHE": str(work / "cache"), "BENCH_TMP": str(work),
           "PYTHONDONTWRITEBYTECODE": "1"}
    try:
        stories = {"v1": work / "v1", "v2": work / "v2"}
        gens = {"v1": gen_story.generate(stories["v1"], args.scenes),
                "v2": gen_story.generate(stories["v2"], args.scenes, v2=features)}
        samplers = {name: run.Sampler(root, env, log) for name, root in stories.items()}
        for s in samplers.values():
            s.run("cold-write")  # fills the cache for the warm figure
        kinds = ["yaml-c", "cold-c", "warm", "mem-cold", "mem-warm", "walk-dict",
                 "walk-runner", "walk-engine"]
        for i in range(args.samples):
            for kind in kinds:
                for s in samplers.values():
                    s.run(kind, runs=run.WALK_RUNS if kind.startswith("walk") else 0)
            log(f"sample {i + 1} of {args.samples}")
        rows = ratio_rows(samplers)
        if args.peer:
            rows += peer_rows(samplers, work, args.samples, log)
        for line in run.machine():
            print(line)
        v2 = gens["v2"].v2
        print(f"stories: {args.scenes} scenes each; v2 = {','.join(sorted(features)) or 'none'} "
              f"in {len(v2.picked)} scenes, {v2.errands} errands; {args.samples} samples; "
              f"{time.perf_counter() - began:.0f} s")
        print()
        print_rows(rows)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


Row = tuple[str, str, str, str, str]


def print_rows(rows: list[Row]) -> None:
    header = ("figure (ratio, medians)", "v1 story", "v2 story", "moved", "bar")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(5)]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")


def _row(name: str, v1: float, v2: float, fmt: str = "{:.3f}x") -> Row:
    moved = v2 / v1 - 1
    ok = "yes" if abs(moved) <= BAR else "NO"
    return (name, fmt.format(v1), fmt.format(v2), f"{moved:+.1%}", f"within 10% {ok}")


def ratio_rows(samplers: dict[str, Any]) -> list[Row]:
    def ratio(s: Any, ours: str, base: str, key: str = "seconds") -> float:
        return float(s.median(ours, key) / s.median(base, key))

    v1, v2 = samplers["v1"], samplers["v2"]
    rows = [_row("cold load + full check / yaml.load", ratio(v1, "cold-c", "yaml-c"),
                 ratio(v2, "cold-c", "yaml-c")),
            _row("same, CPU time", ratio(v1, "cold-c", "yaml-c", "cpu_seconds"),
                 ratio(v2, "cold-c", "yaml-c", "cpu_seconds")),
            _row("warm load / yaml.load", ratio(v1, "warm", "yaml-c"), ratio(v2, "warm", "yaml-c")),
            _row("same, CPU time", ratio(v1, "warm", "yaml-c", "cpu_seconds"),
                 ratio(v2, "warm", "yaml-c", "cpu_seconds")),
            _row("random playthroughs: runner / dict walk",
                 ratio(v1, "walk-runner", "walk-dict", "rate"),
                 ratio(v2, "walk-runner", "walk-dict", "rate")),
            _row("same via Engine / dict walk", ratio(v1, "walk-engine", "walk-dict", "rate"),
                 ratio(v2, "walk-engine", "walk-dict", "rate"))]
    for kind, name in (("mem-cold", "peak memory, loaded + checked"),
                       ("mem-warm", "peak memory, from the cache")):
        rows.append(_row(name, v1.median(kind, "maxrss_mib"), v2.median(kind, "maxrss_mib"),
                         "{:.0f} MiB"))
    return rows


def peer_rows(samplers: dict[str, Any], work: Path, samples: int, log: Any) -> list[Row]:
    import ink_peer

    folder = ink_peer.inkjs_folder(log)
    if folder is None:
        return []
    found: dict[str, dict[str, float]] = {}
    for name, s in samplers.items():
        source = work / f"{name}.ink"
        source.write_text(ink_peer.to_ink(s.root), encoding="utf-8")
        ink = []
        for i in range(samples):
            ink.append(ink_peer.play_ink(folder, source, ink_peer.CHOICES, i))
            s.run("peer-check", label="peer-check")
            s.run("play-choices", runs=ink_peer.CHOICES, label="peer-play")
        log(f"inkjs: {name} done")

        def med(key: str, values: list[dict[str, Any]] = ink) -> float:
            return float(statistics.median(x[key] for x in values))

        found[name] = {
            "compile": med("compile_seconds") / s.median("peer-check"),
            "compile cpu": med("compile_cpu") / s.median("peer-check", "cpu_seconds"),
            "memory": med("maxrss_mib") / s.median("peer-check", "maxrss_mib"),
            "play": med("play_seconds") / s.median("peer-play")}
    return [_row(f"vs inkjs: {key} (times better)", found["v1"][key], found["v2"][key],
                 "{:.1f}x") for key in found["v1"]]


if __name__ == "__main__":
    sys.exit(main())
