"""Load test of `offscreen serve`: many visitors at once, each choosing every second.

    python benchmarks/serve_load.py                      # 20 sessions for 60 s, the shipped story
    python benchmarks/serve_load.py --sessions 5 --seconds 20 --story docs/example

Starts `offscreen serve` on 127.0.0.1 on a free port with a temporary data folder, connects
`--sessions` visitors over the websocket at once (each speaks textual-serve's protocol as
its page does: see serve_client.py), and has each start a new game and then press a key for
a random choice (or "n" on an ending screen) every second for `--seconds`, each at its own
moment within the second (twenty players do not press in step). It stops by itself and
stops the server.

Measured:
- **key to screen**: from sending the key to the first frame after which the screen shows
  the move (the scene heading or the choices changed; toasts are ignored). The target is
  p95 <= 300 ms. The typewriter is turned off for the run (TEXTUAL_ANIMATIONS=none), so
  every key is a move; with it on, a key during typing only reveals the text, less work;
- **start**: from opening the websocket to the title screen's menu;
- **memory per session**: the RSS and PSS of each game process (the server's children),
  sampled in the middle of the run; PSS shares the common libraries out fairly, RSS counts
  them in every process;
- **the machine**: the CPU the games, the server and this load client used, the load
  average and Linux's CPU pressure (the share of time tasks waited for a CPU): on a shared
  machine the latency is mostly the scheduler's, and these say how much.

Exit status 1 when p95 key-to-screen is over the target or a session failed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from serve_client import Screen, Visitor, running_server

TARGET_P95_MS = 300.0
CHOICE = re.compile(r"│\s*(\d)\.\s")


@dataclass
class Result:
    start_s: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    first_frame_ms: list[float] = field(default_factory=list)
    error: str | None = None


def signature(screen: Screen) -> str:
    """The screen without the toasts (top right, a few rows): what a move changes."""
    lines = screen.lines
    cut = int(screen.screen.columns * 0.55)
    return "\n".join([*(line[:cut] for line in lines[:8]), *lines[8:]])


def choices(screen: Screen) -> list[str]:
    return [found.group(1) for line in screen.lines if (found := CHOICE.search(line))]


async def visitor(url: str, seconds: float, seed: int, result: Result,
                  ready: asyncio.Barrier, done: asyncio.Barrier) -> None:
    """One player: open the game, wait for everyone, then a move a second for `seconds`.

    Every visitor crosses both barriers exactly once, failed or not, so that the moves
    start together after every start-up and memory is read while every game is open.
    """
    crossed: list[asyncio.Barrier] = []

    async def cross(barrier: asyncio.Barrier) -> None:
        if barrier not in crossed:
            crossed.append(barrier)
            await barrier.wait()

    try:
        opened = time.monotonic()
        async with Visitor(url) as tab:
            try:
                await tab.wait_for("New game", timeout=120)
                result.start_s = time.monotonic() - opened
                await tab.settle(quiet=0.3)
                await cross(ready)
                await moves(tab, seconds, random.Random(seed), result)
            finally:
                await cross(ready)
                await cross(done)  # the game stays open until memory and CPU are read
    except (TimeoutError, ConnectionError, OSError, aiohttp.ClientError) as exc:
        result.error = f"{type(exc).__name__}: {str(exc)[:300]}"
    finally:
        await cross(ready)
        await cross(done)


async def moves(tab: Visitor, seconds: float, rng: random.Random, result: Result) -> None:
    await tab.press("n")  # New game
    await tab.wait_for(lambda s: bool(choices(s)), timeout=30)
    end = time.monotonic() + seconds
    due = time.monotonic() + rng.random()  # players are not in step: spread the moves
    while due < end:
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        # The next move a second after this one was due; one that showed late is not made
        # up for with a burst, so under overload the rate drops (and the report says so).
        due = max(due + 1.0, time.monotonic())
        await tab.settle(quiet=0.15, timeout=10)
        before = signature(tab.screen)
        numbers = choices(tab.screen)
        key = rng.choice(numbers) if numbers else "n"  # "n": New game on an ending screen
        frames = tab.frames
        sent = await tab.press(key)
        shown = await tab.wait_for(lambda s, b=before: signature(s) != b, timeout=10)
        result.latencies_ms.append((shown - sent) * 1000)
        result.first_frame_ms.append((tab.first_frame_after(frames) - sent) * 1000)


def children(pid: int) -> list[int]:
    """The server's child processes (the games: each is exec'ed straight from its shell)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def memory_mb(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of a process in MiB, from /proc (0 where it is gone)."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0.0, 0.0
    values = {line.split(":")[0]: int(line.split()[1]) for line in rollup.splitlines()[1:]}
    return values.get("Rss", 0) / 1024, values.get("Pss", 0) / 1024


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Machine:
    """Memory and CPU over the moving phase, for the report."""

    games: list[tuple[float, float]] = field(default_factory=list)
    server_rss: float = 0.0
    games_cpu: float = 0.0
    server_cpu: float = 0.0
    client_cpu: float = 0.0
    moving_s: float = 0.0


async def run(url: str, server_pid: int, sessions: int, seconds: float,
              ) -> tuple[list[Result], Machine]:
    results = [Result() for _ in range(sessions)]
    ready, done = asyncio.Barrier(sessions + 1), asyncio.Barrier(sessions + 1)
    tasks = [asyncio.create_task(visitor(url, seconds, seed, result, ready, done))
             for seed, result in enumerate(results)]
    machine = Machine()
    with contextlib.suppress(asyncio.BrokenBarrierError):
        await ready.wait()
        games = children(server_pid)
        before = ([cpu_seconds(pid) for pid in games], cpu_seconds(server_pid),
                  time.process_time(), time.monotonic())
        await done.wait()
        machine.moving_s = time.monotonic() - before[3]
        machine.games_cpu = sum(cpu_seconds(pid) for pid in games) - sum(before[0])
        machine.server_cpu = cpu_seconds(server_pid) - before[1]
        machine.client_cpu = time.process_time() - before[2]
        machine.games = [memory_mb(pid) for pid in games]
        machine.server_rss = memory_mb(server_pid)[0]
    await asyncio.gather(*tasks)
    return results, machine


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(results: list[Result], machine: Machine, seconds: float) -> dict[str, object]:
    latencies = [ms for result in results for ms in result.latencies_ms]
    starts = [result.start_s for result in results if result.start_s]
    failed = [result.error for result in results if result.error]
    figures: dict[str, object] = {
        "sessions": len(results), "seconds": seconds, "moves": len(latencies),
        "failed_sessions": len(failed), "errors": failed[:3],
    }
    if latencies:
        figures.update({
            "key_to_screen_ms_p50": round(statistics.median(latencies), 1),
            "key_to_screen_ms_p95": round(percentile(latencies, 0.95), 1),
            "key_to_screen_ms_max": round(max(latencies), 1),
            "key_to_first_frame_ms_p95": round(percentile(
                [ms for result in results for ms in result.first_frame_ms], 0.95), 1),
        })
    if starts:
        figures.update({"start_s_p50": round(statistics.median(starts), 2),
                        "start_s_max": round(max(starts), 2)})
    games = machine.games
    if games:
        figures.update({
            "game_processes": len(games),
            "rss_mb_per_session_mean": round(statistics.mean(r for r, _ in games), 1),
            "rss_mb_per_session_max": round(max(r for r, _ in games), 1),
            "pss_mb_per_session_mean": round(statistics.mean(p for _, p in games), 1),
            "server_rss_mb": round(machine.server_rss, 1),
        })
    if latencies and machine.moving_s:
        figures.update({
            "moves_per_session_per_s": round(len(latencies) / len(results) / machine.moving_s,
                                             2),
            "game_cpu_ms_per_move": round(machine.games_cpu / len(latencies) * 1000, 1),
            "cpu_cores_used_games": round(machine.games_cpu / machine.moving_s, 2),
            "cpu_cores_used_server": round(machine.server_cpu / machine.moving_s, 2),
            "cpu_cores_used_load_client": round(machine.client_cpu / machine.moving_s, 2),
        })
    figures["load_average_1min"] = round(os.getloadavg()[0], 1)
    with contextlib.suppress(OSError, ValueError, IndexError):  # Linux: time tasks waited
        pressure = Path("/proc/pressure/cpu").read_text().split()  # for a CPU, in percent
        figures["cpu_pressure_avg60_percent"] = float(pressure[2].split("=")[1])
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20, help="default: %(default)s")
    parser.add_argument("--seconds", type=float, default=60, help="default: %(default)s")
    parser.add_argument("--story", help="story folder (default: the shipped story)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    story = ["--story", args.story] if args.story else []
    with tempfile.TemporaryDirectory(prefix="offscreen-load-") as data, running_server(
            *story, "--saves", data, "--max-sessions", str(args.sessions + 5),
            env={"TEXTUAL_ANIMATIONS": "none"}) as (url, server):
        results, machine = asyncio.run(run(url, server.pid, args.sessions, args.seconds))
    figures = report(results, machine, args.seconds)
    p95 = figures.get("key_to_screen_ms_p95")
    ok = isinstance(p95, float) and p95 <= TARGET_P95_MS and not figures["failed_sessions"]
    figures["target_p95_ms"] = TARGET_P95_MS
    figures["ok"] = ok
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for name, value in figures.items():
            print(f"{name:28} {value}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
