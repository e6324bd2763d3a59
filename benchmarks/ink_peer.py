"""The peer comparison (issue 17): the same story in ink, compiled and played by npm's inkjs.

inkle's ink is the reference runtime of the field, so our figures are set beside its own on
one story: the benchmark story converted to ink (knots, choices with conditions, VAR,
diverts, read counts: the part of the format that ink expresses the same way), compiled by
inkjs's compiler and played by its runtime in node, in the same run as ours:

- our cold `check` (load + every check) against inkjs's compile of the converted story;
- our peak memory for that (ru_maxrss) against node's after compiling (`maxRSS`);
- 1,000 random choices through our `Engine` against 1,000 through inkjs's `Story`
  (restarting at an ending, as a player would), the story already loaded in both.

The comparison is skipped, with a line saying why, when `node` or `npm` is missing; inkjs is
installed once into the user's cache folder (npm is reachable in CI and here). The
conversion favours ink where the two differ: a scene's paragraphs become one line each with
no markup, and v2 keys with no plain ink twin (`enabled`, `compute`, lists) are left out.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml

INKJS_VERSION = "2.4.0"
CHOICES = 1_000
TARGET = 7.0
"""Each of our three figures must stay at least this many times better than inkjs's."""
PLAYER = Path(__file__).resolve().parent / "ink_play.js"
Row = tuple[str, str, str, str, str]

_SPECIAL = re.compile(r"([\\{}|\[\]#/~*+\-=<>^:])")
_TOKEN = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")
"""A literal `{{` or `}}`, or a `{variable}` hole, in our text."""


def _escape(text: str) -> str:
    """Literal text for an ink line: every character ink gives a meaning to is escaped."""
    return _SPECIAL.sub(r"\\\1", text)


def _text(text: str) -> str:
    """Story text as one ink line, its `{variable}` holes kept as ink's own `{v_name}`."""
    text = " ".join(text.split())
    out, last = [], 0
    for m in _TOKEN.finditer(text):
        out.append(_escape(text[last:m.start()]))
        out.append("{v_" + m.group(1) + "}" if m.group(1) else "\\" + m.group()[0])
        last = m.end()
    out.append(_escape(text[last:]))
    return "".join(out)


def _condition(source: str) -> str:
    """A condition in ink's expression syntax: the same operators, names prefixed so that
    variables, facts and knots never clash, `visits(x)` a knot's read count."""
    from game.story.expr import Binary, Call, Literal, Unary, Var, fold, parse
    from game.story.expr.syntax import literal_text

    def ink(node: Any, parts: Any) -> str:
        match node:
            case Literal(value=value):
                return literal_text(value)
            case Var(name=name):
                return f"v_{name}"
            case Call(func="visits", arg=arg):
                return f"s_{arg}"
            case Call(func="seen", arg=arg):
                return f"(s_{arg} > 0)"
            case Call(arg=arg):  # has(fact)
                return f"f_{arg}"
            case Unary(op=op):
                return f"({op} {parts[0]})"
            case Binary(op=op):
                return f"({parts[0]} {op} {parts[1]})"
        raise TypeError(node)

    result: str = fold(parse(source), ink)
    return result


def _effects(effects: Iterable[dict[str, Any]]) -> list[str]:
    lines = []
    for effect in effects or ():
        for kind, body in effect.items():
            if kind == "unlock":
                for fact in [body] if isinstance(body, str) else body:
                    lines.append(f"~ f_{fact} = true")
            elif kind == "set":
                for name, value in body.items():
                    lines.append(f"~ v_{name} = {_literal(value)}")
            elif kind == "add":
                for name, value in body.items():
                    lines.append(f"~ v_{name} = v_{name} + {_literal(value)}")
    return lines


def _literal(value: Any) -> str:
    from game.story.expr.syntax import literal_text

    return literal_text(value)


def _paragraphs(text: Any) -> list[str]:
    items = [text] if isinstance(text, str) else list(text or ())
    lines = []
    for item in items:
        if isinstance(item, dict):
            lines.append("{" + _condition(str(item["if"])) + ": " + _text(item["text"]) + "}")
        else:
            lines.append(_text(str(item)))
    return lines


def _tag(name: str, text: Any) -> str:
    """A line tag, ink's place for what a scene shows beside its text (its title, its
    chapter): `# title: The Quiet Camera`."""
    return f"# {name}: {_text(str(text))}"


def to_ink(root: Path) -> str:
    """The story in `root` as one ink source text: everything ours reads that ink can hold.

    Each scene is a knot: its title and chapter as tags, its on_enter effects, its paragraphs
    (one line each), its choices (a choice's id as ink's label for it), `next` as a single
    Continue, an ending as a tag and `-> END`. Each fact is a knot of its own (title, source,
    hint and chapter as tags, its text as a line), as an ink game keeps a journal entry to
    show; its unlocked state is a VAR. The story's title and subtitle are global tags. Only
    the playthroughs (our scripted tests) have no ink counterpart.
    """
    variables: dict[str, Any] = {}
    facts: dict[str, Any] = {}
    scenes: dict[str, Any] = {}
    header: dict[str, Any] = {}
    for path in sorted(root.rglob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) or {}
        header.update(data.get("story") or {})
        for name, spec in (data.get("variables") or {}).items():
            variables[name] = spec.get("default", 0) if isinstance(spec, dict) else spec
        facts.update(data.get("facts") or {})
        scenes.update(data.get("scenes") or {})
    out = [_tag(key, header[key]) for key in ("title", "subtitle") if key in header]
    out += [f"VAR v_{name} = {_literal(value)}" for name, value in variables.items()
            if not isinstance(value, list)]
    out += [f"VAR f_{fact} = false" for fact in facts]
    out.append(f"-> s_{header['start']}")
    for sid, scene in scenes.items():
        out.append(f"=== s_{sid} ===")
        out += [_tag(key, scene[key]) for key in ("title", "chapter") if key in scene]
        out += _effects(scene.get("on_enter"))
        out += _paragraphs(scene.get("text"))
        ending = scene.get("ending")
        if ending is not None:
            out.append(_tag(f"ending: {ending['id']}", ending["title"]))
            out.append("-> END")
            continue
        if scene.get("next"):
            out.append(f"+ [Continue] -> s_{scene['next']}")
            continue
        for choice in scene.get("choices") or ():
            target = choice.get("goto") or choice.get("call")
            if target is None:
                continue
            head = "*" if choice.get("once") else "+"
            if "id" in choice:
                head += f" ({choice['id']})"
            if "if" in choice:
                head += " {" + _condition(str(choice["if"])) + "}"
            out.append(f"{head} [{_text(str(choice['text']))}]")
            out += ["  " + line for line in _effects(choice.get("effects"))]
            out.append(f"  -> s_{target}")
        if scene.get("return"):
            out.append("+ [Continue] -> END")
    for fid, fact in facts.items():
        out.append(f"=== j_{fid} ===")
        out += [_tag(key, fact[key]) for key in ("title", "source", "hint", "chapter")
                if key in fact]
        out.append(_text(str(fact.get("text", ""))))
        out.append("-> DONE")
    return "\n".join(out) + "\n"


def inkjs_folder(log: Callable[[str], None]) -> Path | None:
    """Where inkjs is installed (installing it once), or None when node or npm is missing."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        log("node or npm not found: the inkjs comparison is skipped")
        return None
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = base / "offscreen-bench" / f"inkjs-{INKJS_VERSION}"
    if not (folder / "node_modules" / "inkjs" / "package.json").is_file():
        folder.mkdir(parents=True, exist_ok=True)
        log(f"installing inkjs {INKJS_VERSION} into {folder}")
        proc = subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund",
                               "--prefix", str(folder), f"inkjs@{INKJS_VERSION}"],
                              capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            log(f"npm could not install inkjs: the comparison is skipped ({proc.stderr[-200:]})")
            return None
    return folder


def play_ink(folder: Path, source: Path, choices: int, seed: int) -> dict[str, Any]:
    """One sample in a fresh node process: compile, then play `choices` random choices."""
    env = {**os.environ, "NODE_PATH": str(folder / "node_modules")}
    proc = subprocess.run(["node", str(PLAYER), str(source), str(choices), str(seed)],
                          capture_output=True, text=True, env=env, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"inkjs failed on the converted story:\n{proc.stderr[-2000:]}")
    data: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return data


def figures(sampler: Any, work: Path, samples: int, log: Callable[[str], None]) -> list[Row]:
    """Our cold check, peak memory and 1,000 choices against inkjs's, interleaved."""
    folder = inkjs_folder(log)
    if folder is None:
        return []
    source = work / "story.ink"
    source.write_text(to_ink(sampler.root), encoding="utf-8")
    log(f"inkjs: compile and {CHOICES:,} random choices vs ours "
        f"({source.stat().st_size / 1e6:.1f} MB of ink)")
    ink: list[dict[str, Any]] = []
    for i in range(samples):
        ink.append(play_ink(folder, source, CHOICES, i))
        sampler.run("peer-check", label="peer-check")
        sampler.run("play-choices", runs=CHOICES, label="peer-play")
        log(f"  inkjs / ours: sample {i + 1} of {samples}")

    def med(key: str) -> float:
        return float(statistics.median(x[key] for x in ink))

    rows: list[Row] = []
    ours = [("check / compile", sampler.median("peer-check"), med("compile_seconds"), "s", True),
            ("same, CPU time (node: all its threads)",
             sampler.median("peer-check", "cpu_seconds"), med("compile_cpu"), "s", False),
            ("peak memory (VmHWM)", sampler.median("peer-check", "maxrss_mib"),
             med("maxrss_mib"), "MiB", True),
            (f"{CHOICES:,} random choices", sampler.median("peer-play"), med("play_seconds"),
             "s", True),
            ("same, CPU time", sampler.median("peer-play", "cpu_seconds"), med("play_cpu"), "s",
             False)]
    for name, mine, theirs, unit, targeted in ours:
        better = theirs / mine
        target = f">= {TARGET:.0f}x {'yes' if better >= TARGET else 'NO'}" if targeted else (
            "(comparison)")
        rows.append((f"vs inkjs {INKJS_VERSION}: {name}", f"inkjs: {theirs:.3f} {unit}",
                     f"{mine:.3f} {unit}", f"{better:.1f}x better", target))
    return rows
