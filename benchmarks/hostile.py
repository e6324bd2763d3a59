"""Issue 16's table, rerun: hostile files, SIGKILLs mid-save and two games at once.

    python benchmarks/hostile.py              # everything: ~2-4 minutes on a quiet machine
    python benchmarks/hostile.py --quick      # fewer kills and rounds, for a smoke test

Every hostile input runs in a fresh child process (`--case NAME`) with a deadline, so a
hang is seen as a hang (the child is killed and counted) and a crash as a crash. Inside the
child the input is made, the real code reads it (the save list and `load`, the profile, a
story load or `check`, a warm start from the cache, plain mode) and the child reports what
happened: an internal error is any exception other than the documented ones escaping, or a
traceback printed; a broken promise is a documented outcome that did not happen (a file
followed, an escape printed raw, a verdict that differs from a cold load). Time is the
operation's, measured in the child; memory is the child's peak RSS (ru_maxrss, so it
includes the interpreter's own ~40 MB).

Then: SIGKILLs of a process saving every slot and the profile in a loop, each followed by
loading everything (a loss is any slot or profile that does not load exactly); and rounds of
two real `offscreen play --plain` processes on one save folder and a story that unlocks a
fact at every choice (a loss is a fact either game found that the profile lacks, or an
autosave holding the other game's game, or a temp file left behind).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path[:0] = [str(REPO), str(REPO / "tests" / "storage"), str(REPO / "tests" / "reliability")]

EXAMPLE = REPO / "docs" / "example"
DEADLINE = 30.0
"""Seconds a case may take before it counts as a hang."""


TIMED: list[float] = []
"""Seconds of the operations a case measured itself (its setup, such as writing a million
history entries, is not the reader's time)."""


@contextlib.contextmanager
def timed() -> Any:
    start = time.perf_counter()
    try:
        yield
    finally:
        TIMED.append(time.perf_counter() - start)


class Broken(Exception):
    """A documented outcome that did not happen."""


def expect(ok: object, what: str) -> None:
    if not ok:
        raise Broken(what)


# -- the cases (each runs in its own child process) ---------------------------------------------

def _story() -> Any:
    from game.story.files import load_or_raise

    return load_or_raise(EXAMPLE)


def _store(folder: Path) -> Any:
    from game.storage.saves import SaveStore

    return SaveStore(folder, _story())


def _good_save(folder: Path) -> Any:
    from game.engine import Engine

    store = _store(folder)
    story = store.story
    state = Engine(story).choose(Engine(story).start(), "walk_into_the_kitchen")
    store.save("good", state)
    return store


def _listed_alone(folder: Path, slot: str) -> None:
    """The save list shows the good save and names the bad one; loading it is refused."""
    from game.storage.saves import SaveError

    store = _good_save(folder)
    with timed():
        listed = {info.name: info for info in store.slots()}
    expect(listed.get("good") is not None and listed["good"].status == "ok",
           "the good save is hidden")
    expect(slot in listed and listed[slot].status == "damaged", f"{slot} is not named")
    try:
        with timed():
            store.load(slot)
    except SaveError:
        return
    raise Broken(f"{slot} loaded")


def _slot_file(slot: str) -> str:
    return f"{slot}.first-day.json" if slot == "autosave" else f"{slot}.json"


def case_fifo_save(folder: Path) -> None:
    os.mkfifo(folder / "a.json")
    _listed_alone(folder, "a")


def case_fifo_autosave(folder: Path) -> None:
    os.mkfifo(folder / _slot_file("autosave"))
    _listed_alone(folder, "autosave")


def case_fifo_backup(folder: Path) -> None:
    os.mkfifo(folder / "a.json.bak")
    _listed_alone(folder, "a")


def _profile_refused(folder: Path, word: str) -> None:
    from game.storage.profile import ProfileStore

    profiles = ProfileStore(folder, _story())
    with timed():
        profiles.load()
    expect(profiles.warning is not None and word in profiles.warning,
           f"profile warning: {profiles.warning}")


def case_fifo_profile(folder: Path) -> None:
    os.mkfifo(folder / "profile.first-day.json")
    _profile_refused(folder, "named pipe")


def _story_copy(folder: Path) -> Path:
    root = folder / "story"
    shutil.copytree(EXAMPLE, root)
    return root


def _check_reports(root: Path, words: str) -> None:
    from game.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out), timed():
        code = main(["check", str(root)])
    text = out.getvalue()
    expect("Traceback" not in text and "internal error" not in text, text[-300:])
    expect(code == 1 and words in text, f"check said: {text[-300:]}")


def case_fifo_story_file(folder: Path) -> None:
    root = _story_copy(folder)
    os.mkfifo(root / "more.yaml")
    _check_reports(root, "named pipe (FIFO), not a regular file")


def _warm_start_ok(folder: Path) -> None:
    """A warm start with a bad entry in place is a cold load, verdict and story alike."""
    from game.story.files import load_story

    root = _story_copy(folder / "s")
    with timed():
        warm = load_story(root, cache=True)
    cold = load_story(root)
    expect([str(d) for d in warm.diagnostics] == [str(d) for d in cold.diagnostics],
           "another verdict")
    expect(warm.story is not None and dict(warm.story.scenes) == dict(cold.story.scenes),
           "another story")


def _cache_entry(folder: Path) -> Path:
    from game.story import cache

    os.environ[cache.ENV] = str(folder / "cache")
    (folder / "cache").mkdir()
    root = folder / "s" / "story"
    return cache.entry_path(root)


def case_fifo_cache_entry(folder: Path) -> None:
    os.mkfifo(_cache_entry(folder))
    _warm_start_ok(folder)


def _device_link(folder: Path, name: str, device: str) -> None:
    (folder / name).symlink_to(device)


def case_zero_save(folder: Path) -> None:
    _device_link(folder, "a.json", "/dev/zero")
    _listed_alone(folder, "a")


def case_urandom_save(folder: Path) -> None:
    _device_link(folder, "a.json", "/dev/urandom")
    _listed_alone(folder, "a")


def case_zero_autosave(folder: Path) -> None:
    _device_link(folder, _slot_file("autosave"), "/dev/zero")
    _listed_alone(folder, "autosave")


def case_zero_profile(folder: Path) -> None:
    _device_link(folder, "profile.first-day.json", "/dev/zero")
    _profile_refused(folder, "symbolic link")


def case_urandom_story_file(folder: Path) -> None:
    root = _story_copy(folder)
    (root / "more.yaml").symlink_to("/dev/urandom")
    _check_reports(root, "a device, not a regular file")


def case_zero_cache_entry(folder: Path) -> None:
    _cache_entry(folder).symlink_to("/dev/zero")
    _warm_start_ok(folder)


def _doctored(folder: Path, change: str, to: str, slot: str = "bad") -> None:
    from game.engine import Engine

    store = _store(folder)
    story = store.story
    path = store.save(slot, Engine(story).choose(Engine(story).start(),
                                                 "walk_into_the_kitchen"))
    text = path.read_text()
    expect(change in text, "nothing to doctor")
    path.write_text(text.replace(change, to, 1), errors="surrogatepass")
    path.with_name(path.name + ".bak").unlink(missing_ok=True)


def case_5000_digit_turn(folder: Path) -> None:
    _doctored(folder, '"turn":1', '"turn":' + "9" * 5000)
    _listed_alone(folder, "bad")


def case_5000_digit_variable(folder: Path) -> None:
    _doctored(folder, '"courage":0', '"courage":-' + "9" * 5000)
    _listed_alone(folder, "bad")


def case_surrogate_label(folder: Path) -> None:
    _doctored(folder, '"label": "', '"label": "\\udfff')
    _listed_alone(folder, "bad")


def case_surrogate_variable(folder: Path) -> None:
    _doctored(folder, '"name":"', '"name":"\\ud800')
    _listed_alone(folder, "bad")


def case_surrogate_in_play_never_written(folder: Path) -> None:
    import dataclasses

    from game.engine import Engine
    from game.storage.saves import SaveError

    store = _store(folder)
    state = Engine(store.story).start()
    bad = dataclasses.replace(state, variables={**state.variables, "name": "\udfff"})
    try:
        store.save("x", bad)
    except SaveError:
        expect(not list(folder.iterdir()), "something was written")
        return
    raise Broken("saved")


def case_add_past_the_range(folder: Path) -> None:
    """`add` in a loop, in plain mode: a positioned story error, never a crashed autosave."""
    from game.plain import play
    from game.session import Session
    from game.story.files import load_or_raise

    root = folder / "story"
    root.mkdir()
    (root / "s.yaml").write_text(
        "story: {id: grow, title: Grow, start: a}\nvariables: {n: 0}\nscenes:\n  a:\n"
        "    text: \"n = {n}\"\n    choices:\n      - text: More\n        goto: a\n"
        "        effects: [{add: {n: 300000000000000}}]\n      - {text: Stop, goto: z}\n"
        "  z: {text: done, ending: {id: e, title: E}}\n")
    story = load_or_raise(root)
    out = io.StringIO()
    code = play(Session(story, folder / "saves"), io.StringIO("1\n" * 10), out)
    text = out.getvalue()
    expect(code == 1 and "would leave the range numbers stay in" in text, text[-300:])


def case_sparse_2gb_save(folder: Path) -> None:
    with (folder / "big.json").open("wb") as handle:
        handle.truncate(2 * 2**30)
    _listed_alone(folder, "big")


def _long_history(folder: Path, entries: int) -> None:
    from game.engine import Engine
    from game.storage.savefile import encode

    story = _story()
    state = Engine(story).start()
    text = encode(story.id, story.content_hash, state, 1.7e9, 1.0, "x", 200).decode()
    head, _, tail = text.rpartition("\n]")
    with (folder / "long.json").open("w") as out:  # streamed: the setup costs no memory
        out.write(head)
        for n in range(entries):
            out.write(f',\n{{"scene":"lobby","turn":{n + 1}}}')
        out.write("\n]" + tail)


def case_history_of_a_million(folder: Path) -> None:
    _long_history(folder, 10**6)
    _listed_alone(folder, "long")


def case_history_just_under_the_size_limit(folder: Path) -> None:
    """~130,000 entries in 4 MiB: loads (or is refused) in bounded time and memory."""
    from game.storage.saves import SaveError

    _long_history(folder, 130_000)
    expect((folder / "long.json").stat().st_size < 4 * 2**20, "not under the limit")
    store = _good_save(folder)
    expect(len(store.slots()) == 2, "a save is hidden")
    with contextlib.suppress(SaveError), timed():
        store.load("long")


def case_story_1mib_and_sparse_2gb_under_a_memory_limit(folder: Path) -> None:
    """`check` with a 1 MiB file (the parallel hashing path) and a 2 GB sparse one, under
    a 1 GiB address-space limit: a diagnostic naming the file, nothing hashed past it."""
    root = _story_copy(folder)
    (root / "filler.yaml").write_text(("# " + "y" * 97 + "\n") * (2**20 // 100 + 1))
    with (root / "huge.yaml").open("wb") as handle:
        handle.truncate(2 * 2**30)
    from game.story import cache

    os.environ[cache.ENV] = str(folder / "cache")
    resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))
    _check_reports(root, "story files are limited to 64 MiB")


def _crafted(kind: str, name: str, folder: Path) -> None:
    import test_cache_crafted as crafted

    from game.story import cache

    os.environ[cache.ENV] = str(folder / "cache")
    root = folder / "story"
    shutil.copytree(EXAMPLE, root)
    if kind == "head":
        crafted.craft(root, change_head=crafted.HEAD_DAMAGE[name])
    else:
        crafted.craft(root, change_scenes=crafted.SCENE_DAMAGE[name])
    from game.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        warm_code = main(["check", str(root)])
    os.environ[cache.ENV] = str(folder / "cold-cache")
    cold_out = io.StringIO()
    with contextlib.redirect_stdout(cold_out):
        cold_code = main(["check", str(root)])
    expect((warm_code, out.getvalue()) == (cold_code, cold_out.getvalue()),
           "check's verdict differs from a cold load's")
    os.environ[cache.ENV] = str(folder / "cache")
    crafted.same_as_cold(root)


def case_no_search_permission(folder: Path) -> None:
    from storage_helpers import EXAMPLE as STORY_DIR
    from test_storage_hostile import NOBODY, run_as_nobody

    if os.geteuid() != 0:
        raise Broken("skipped: needs root to become uid 65534")
    saves = folder / "saves"
    saves.mkdir()
    saves.chmod(0)
    home = folder / "home"
    home.mkdir()
    os.chown(home, NOBODY, NOBODY)
    folder.chmod(0o755)
    env = {"HOME": str(home), "OFFSCREEN_CACHE": str(home / "c"), "XDG_DATA_HOME": str(home),
           "XDG_CACHE_HOME": str(home)}
    code, text = run_as_nobody(["play", "--plain", "--story", str(STORY_DIR), "--saves",
                                str(saves)], env, stdin="2\nquit\n")
    expect(code == 0 and "Traceback" not in text and "internal error" not in text, text[-300:])
    expect("permission denied" in text, text[-300:])


def case_escapes_in_labels(folder: Path) -> None:
    from game.cli import main

    _doctored(folder, '"label": "', '"label": "\\u001b]52;c;aGk=\\u0007\\u001b[2J', "evil")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["saves", "--story", str(EXAMPLE), "--saves", str(folder)])
    expect("\x1b" not in out.getvalue() and "\\x1b]52" in out.getvalue(), "printed raw")


def case_symlinked_slot(folder: Path) -> None:
    from game.storage.saves import SaveError

    outside = folder.parent / "outside"
    store = _good_save(outside)
    (folder / "mid.json").symlink_to(store.path("good"))
    mine = _store(folder)
    try:
        mine.load("mid")
        raise Broken("the link was followed")
    except SaveError:
        pass
    with contextlib.suppress(SaveError):
        mine.save("mid", store.load("good").state)
    expect(not os.path.lexists(folder / "mid.json.bak"), ".bak became a link")
    expect((folder / "mid.json").is_symlink(), "the link was replaced")


def case_mid_mid_mid(folder: Path) -> None:
    store = _good_save(folder)
    state = store.load("good").state
    for name in ("Mid", "mid", "MID"):
        store.save(name, state, overwrite=True)
    expect(len([p for p in folder.iterdir() if p.name.lower() == "mid.json"]) == 1,
           "several files")


CASES: dict[str, Callable[[Path], None]] = {
    name[len("case_"):]: fn for name, fn in sorted(globals().items())
    if name.startswith("case_") and callable(fn)
}
CLASSES = {
    "FIFO": ["fifo_save", "fifo_autosave", "fifo_backup", "fifo_profile", "fifo_story_file",
             "fifo_cache_entry"],
    "link to a device": ["zero_save", "urandom_save", "zero_autosave", "zero_profile",
                         "urandom_story_file", "zero_cache_entry"],
    "huge numbers": ["5000_digit_turn", "5000_digit_variable", "add_past_the_range"],
    "lone surrogates": ["surrogate_label", "surrogate_variable",
                        "surrogate_in_play_never_written"],
    "giant saves": ["sparse_2gb_save", "history_of_a_million",
                    "history_just_under_the_size_limit"],
    "giant story files": ["story_1mib_and_sparse_2gb_under_a_memory_limit"],
    "folder permissions": ["no_search_permission"],
    "escapes, links, case": ["escapes_in_labels", "symlinked_slot", "mid_mid_mid"],
}


def crafted_cases() -> list[str]:
    import test_cache_crafted as crafted

    return ([f"crafted:head:{n}" for n in sorted(crafted.HEAD_DAMAGE)]
            + [f"crafted:scene:{n}" for n in sorted(crafted.SCENE_DAMAGE)])


def run_case(name: str, folder: Path) -> dict[str, Any]:
    """In the child: run one case; what happened, as the parent's JSON."""
    start = time.perf_counter()
    try:
        if name.startswith("crafted:"):
            _, kind, damage = name.split(":", 2)
            _crafted(kind, damage, folder)
        else:
            CASES[name](folder)
        outcome, detail = "ok", ""
    except Broken as exc:
        outcome, detail = ("skipped" if str(exc).startswith("skipped") else "broken"), str(exc)
    except Exception as exc:  # exactly what this harness counts
        outcome = "internal error"
        detail = "".join(traceback.format_exception_only(exc)).strip()[-300:]
    seconds = sum(TIMED) if TIMED else time.perf_counter() - start
    return {"outcome": outcome, "detail": detail, "seconds": seconds}


def spawn(name: str) -> dict[str, Any]:
    """A case in a fresh process, with a deadline; adds hangs and the child's peak RSS."""
    with tempfile.TemporaryDirectory(prefix="offscreen-hostile-") as tmp:
        folder = Path(tmp) / "saves"
        folder.mkdir()
        proc = subprocess.Popen([sys.executable, __file__, "--case", name, "--dir", str(folder)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + DEADLINE
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                _, status, usage = os.wait4(proc.pid, 0)
                return {"outcome": "hang", "detail": f"killed after {DEADLINE:.0f} s",
                        "seconds": DEADLINE, "rss": usage.ru_maxrss * 1024}
            time.sleep(0.01)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        try:
            result = json.loads(out.strip().splitlines()[-1])
        except (IndexError, ValueError):
            result = {"outcome": "internal error", "seconds": 0.0,
                      "detail": f"exit {proc.returncode}: {err[-300:]}"}
        if "Traceback" in err and result["outcome"] == "ok":
            result = {**result, "outcome": "internal error", "detail": err[-300:]}
        result["rss"] = usage.ru_maxrss * 1024
        return result


# -- SIGKILLs -----------------------------------------------------------------------------------

def sigkills(kills: int) -> tuple[int, int]:
    """Kills of a saving process; rounds after which anything failed to load exactly."""
    import test_storage_sigkill as sk

    story = _story()
    states = sk.long_game(story, 60)
    by_turn = {s.turn: s for s in states}
    rng = random.Random(16)
    losses = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "saves"
        for round_ in range(kills):
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:
                try:
                    os.close(read_end)
                    sk.save_forever(folder, story, states, write_end if round_ == 0 else -1)
                finally:
                    os._exit(0)
            os.close(write_end)
            if round_ == 0:
                os.read(read_end, 1)
            os.close(read_end)
            time.sleep(rng.uniform(0.0, 0.004))
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            try:
                sk.check_everything_loads(folder, story, by_turn, round_)
            except Exception:
                losses += 1
    return kills, losses


# -- two games at once ----------------------------------------------------------------------------

FACTS = 24


def fact_story(folder: Path) -> Path:
    """A hub with one choice per fact: every choice unlocks a fact and comes back."""
    root = folder / "facts-story"
    root.mkdir()
    facts = "".join(f"  f{i}: {{title: Fact {i}, text: t, source: s}}\n" for i in range(FACTS))
    choices = "".join(f"      - {{text: Learn {i}, id: c{i}, goto: hub, "
                      f"effects: [{{unlock: f{i}}}]}}\n" for i in range(FACTS))
    (root / "story.yaml").write_text(
        "story: {id: facts, title: Facts, start: hub}\n"
        f"facts:\n{facts}"
        "scenes:\n  hub:\n    text: Learn something.\n    choices:\n"
        f"{choices}      - {{text: Leave, id: leave, goto: out}}\n"
        "  out: {text: bye, ending: {id: out, title: Out}}\n")
    return root


def two_games(rounds: int) -> dict[str, int]:
    """Rounds of two `offscreen play --plain` processes at once on one folder."""
    from game.storage.saves import SaveStore
    from game.story.files import load_or_raise

    lost_rounds = lost_facts = overwritten = leftovers = 0
    with tempfile.TemporaryDirectory() as tmp:
        root = fact_story(Path(tmp))
        story = load_or_raise(root)
        env = {**os.environ, "OFFSCREEN_CACHE": str(Path(tmp) / "cache")}
        for round_ in range(rounds):
            saves = Path(tmp) / f"saves-{round_}"
            picks = list(range(FACTS))
            random.Random(round_).shuffle(picks)
            halves = (sorted(picks[: FACTS // 2]), sorted(picks[FACTS // 2:]))
            procs = [subprocess.Popen(
                [sys.executable, "-m", "game", "play", "--plain", "--story", str(root),
                 "--saves", str(saves)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, env=env, cwd=REPO) for _ in halves]
            for proc in procs:  # both games are running (past their start) before either plays
                seen = b""
                while b"> " not in seen and proc.stdout is not None:
                    chunk = os.read(proc.stdout.fileno(), 4096)
                    if not chunk:
                        break
                    seen += chunk
            for proc, half in zip(procs, halves, strict=True):  # then both play at once
                # The hub lists c0..c23 in order, so fact i is choice number i + 1.
                assert proc.stdin is not None
                proc.stdin.write("".join(f"{i + 1}\n" for i in half).encode() + b"quit\n")
                proc.stdin.flush()
            for proc in procs:
                proc.communicate(timeout=120)  # closes stdin, reads the rest, waits
            profile = json.loads((saves / "profile.facts.json").read_text())
            missing = FACTS - len(set(profile["facts"]))
            lost_facts += missing
            lost_rounds += missing > 0
            store = SaveStore(saves, story)
            found = []
            for slot in ("autosave", "autosave-2"):
                with contextlib.suppress(Exception):
                    found.append(frozenset(store.load(slot).state.facts))
            wanted = {frozenset(f"f{i}" for i in half) for half in halves}
            overwritten += len(wanted - set(found))
            leftovers += sum(1 for p in saves.iterdir() if p.name.endswith(".tmp"))
    return {"rounds": rounds, "rounds with facts lost": lost_rounds, "facts lost": lost_facts,
            "autosaves overwritten": overwritten, "temp files left": leftovers}


# -- the report ---------------------------------------------------------------------------------

def human_size(n: float) -> str:
    return f"{n / 2**20:.0f} MB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case")
    parser.add_argument("--dir", type=Path)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--kills", type=int)
    parser.add_argument("--rounds", type=int)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, args.dir)))
        return 0
    kills = args.kills or (60 if args.quick else 1400)
    rounds = args.rounds or (6 if args.quick else 60)
    classes = {**CLASSES, "crafted cache entries": crafted_cases()}
    print(f"{'input class':<24} {'cases':>5} {'internal errors':>15} {'hangs':>5} "
          f"{'broken':>6} {'worst time':>10} {'worst memory':>12}")
    problems = []
    totals = {"internal error": 0, "hang": 0, "broken": 0}
    for label, names in classes.items():
        results = [(name, spawn(name)) for name in names]
        counts = {kind: sum(r["outcome"] == kind for _, r in results) for kind in totals}
        for kind in totals:
            totals[kind] += counts[kind]
        problems += [(name, r) for name, r in results if r["outcome"] not in ("ok", "skipped")]
        print(f"{label:<24} {len(names):>5} {counts['internal error']:>15} {counts['hang']:>5} "
              f"{counts['broken']:>6} {max(r['seconds'] for _, r in results):>9.2f}s "
              f"{human_size(max(r['rss'] for _, r in results)):>12}")
    for name, result in problems:
        print(f"  {name}: {result['outcome']}: {result['detail']}")
    done, lost = sigkills(kills)
    print(f"\nSIGKILLs mid-save: {done}, rounds with anything lost: {lost}")
    games = two_games(rounds)
    print("two games at once: " + ", ".join(f"{k} {v}" for k, v in games.items()))
    bad = (totals["internal error"] + totals["hang"] + totals["broken"] + lost
           + games["facts lost"] + games["autosaves overwritten"] + games["temp files left"])
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
