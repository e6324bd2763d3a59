"""The peer comparison (issue 17): the same story in ink, compiled and played by npm's inkjs.

inkle's ink is the reference runtime of the field, so our figures are set beside its own on
one story: the benchmark story converted to ink (`to_ink`: everything our check reads that
ink can hold, and nothing more), compiled by inkjs's compiler and played by its runtime in
node, in the same run as ours:

- our cold check (`load()` as every command loads, after its imports) against inkjs's
  compile of the converted story (after its `require`, the file read included, as ours);
- our peak memory for that against node's after compiling, both the process's own VmHWM
  (not ru_maxrss, which Linux carries over from the parent: see `run.peak_mib`);
- 1,000 random choices through our `Engine` against 1,000 through inkjs's `Story`
  (restarting at an ending, as a player would), the story already loaded in both;
- CPU time beside each wall time (node's: every thread's), steadier on a loaded host.

The comparison is skipped, with a line saying why, when `node` or `npm` is missing; inkjs is
installed once into the user's cache folder (npm is reachable in CI and here). Where the
formats differ the conversion takes ink's nearest form, never a cheaper one: a scene's
paragraphs are one line each, titles and chapters are tags, a locked choice (which ink
cannot show) is hidden while locked and its reason left out (docs/performance.md).
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


def _escape(text: str) -> str:
    """Literal text for an ink line: every character ink gives a meaning to is escaped."""
    return _SPECIAL.sub(r"\\\1", text)


class _Declared:
    """Every name counts as declared: the story converted has passed our check already."""

    def __contains__(self, name: object) -> bool:
        return True


def _text(text: str) -> str:
    """Story text as one ink line: `{variable}` holes as ink's own `{v_name}`, `{{`/`}}` as
    escaped braces, and format v2's variations as ink's, which are the same: `{a|b}`
    sequence, `{&..}` cycle, `{!..}` once only, `{~..}` shuffle, and `{?COND|yes|no}` as
    `{COND: yes|no}`. Parsed by our own template parser, so the ink says what ours does."""
    from game.story.model import Pos
    from game.story.scene import Condition
    from game.story.variations import parse

    def condition(source: str, offset: int) -> Condition:
        return Condition(source, None, Pos("", 1, 1), None)  # type: ignore[arg-type]

    text = " ".join(text.split())
    parts = parse(text, _Declared(), None, condition)
    if parts is None:
        raise ValueError(f"not a text our check accepts: {text[:80]!r}")
    return _ink_parts(parts)


def _ink_parts(parts: Any) -> str:
    from game.story.scene import Variation

    out = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out.append(_escape(part))
        elif type(part) is not Variation:
            out.append("{v_" + part + "}")
        else:
            items = "|".join(_ink_parts(item) for item in part.items)
            if part.kind == "if" and part.condition is not None:
                out.append("{" + _condition(part.condition.source) + ": " + items + "}")
            else:
                mark = {"sequence": "", "cycle": "&", "once": "!", "shuffle": "~"}[part.kind]
                out.append("{" + mark + items + "}")
    return "".join(out)


_INK_MATH: dict[str, Callable[..., str]] = {
    "min": lambda a, b: f"MIN({a}, {b})", "max": lambda a, b: f"MAX({a}, {b})",
    "clamp": lambda x, lo, hi: f"MIN(MAX({x}, {lo}), {hi})",
    "abs": lambda x: f"MAX({x}, -({x}))", "round": lambda x: f"FLOOR({x} + 0.5)",
    "random": lambda lo, hi: f"RANDOM({lo}, {hi})"}
"""The functions of numbers in ink: RANDOM, MIN and MAX are its own; the rest built from
them (and FLOOR; halves round up, where ours round away from zero: the peer only needs the
same work done, not the same numbers)."""


def _condition(source: str) -> str:
    """A condition in ink's expression syntax: the same operators, names prefixed so that
    variables, facts and knots never clash, `visits(x)` a knot's read count, `"a" in list`
    ink's `list ? list.a` and `count(list)` its LIST_COUNT."""
    from game.story.expr import Apply, Binary, Call, Literal, Unary, Var, fold, parse
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
            case Call(func="count", arg=arg):  # a list variable's size
                return f"LIST_COUNT(v_{arg})"
            case Call(arg=arg):  # has(fact)
                return f"f_{arg}"
            case Unary(op=op):
                return f"({op} {parts[0]})"
            case Binary(op="in", left=Literal(value=str(item)), right=Var(name=name)):
                return f"(v_{name} ? v_{name}.{item})"
            case Binary(op=op):
                return f"({parts[0]} {op} {parts[1]})"
            case Apply(func=func):  # compute's functions, as ink's own
                return _INK_MATH[func](*parts)
        raise TypeError(node)

    result: str = fold(parse(source), ink)
    return result


class _Variables:
    """What the conversion needs to know of each variable: a number's bounds (ink has none,
    so every change to a bounded number is clamped where it is made, as ours clamps it) and
    a list's items (an ink LIST, its items always named with the list's name)."""

    def __init__(self, specs: dict[str, Any]) -> None:
        self.bounds: dict[str, tuple[Any, Any]] = {}
        self.lists: dict[str, list[str]] = {}
        self.defaults: dict[str, Any] = {}
        for name, spec in specs.items():
            if not isinstance(spec, dict):
                self.defaults[name] = spec
            elif "items" in spec:
                self.lists[name] = [str(item) for item in spec["items"]]
                self.defaults[name] = list(spec.get("default") or ())
            else:
                self.defaults[name] = spec.get("default", 0)
                if "min" in spec or "max" in spec:
                    self.bounds[name] = (spec.get("min"), spec.get("max"))

    def declarations(self) -> list[str]:
        out = []
        for name, value in self.defaults.items():
            if name in self.lists:
                held = set(value)
                items = ", ".join(f"({item})" if item in held else item
                                  for item in self.lists[name])
                out.append(f"LIST v_{name} = {items}")
            else:
                out.append(f"VAR v_{name} = {_literal(value)}")
        return out

    def assign(self, name: str, value: str) -> str:
        """`~ v_name = value`, clamped into the variable's bounds if it has any."""
        lo, hi = self.bounds.get(name, (None, None))
        if lo is not None:
            value = f"MAX({value}, {_literal(lo)})"
        if hi is not None:
            value = f"MIN({value}, {_literal(hi)})"
        return f"~ v_{name} = {value}"

    def items(self, name: str, body: Any) -> str:
        """One name or a list of names of list `name`, as an ink list value."""
        names = [body] if isinstance(body, str) else list(body)
        return "(" + ", ".join(f"v_{name}.{item}" for item in names) + ")"

    def effects(self, effects: Iterable[dict[str, Any]] | None) -> list[str]:
        lines = []
        for effect in effects or ():
            for kind, body in effect.items():
                if kind == "unlock":
                    for fact in [body] if isinstance(body, str) else body:
                        lines.append(f"~ f_{fact} = true")
                elif kind == "set":
                    for name, value in body.items():
                        if name in self.lists:
                            lines.append(f"~ v_{name} = {self.items(name, value)}")
                        else:
                            lines.append(self.assign(name, _literal(value)))
                elif kind in ("add", "remove"):
                    for name, value in body.items():
                        if name in self.lists:
                            op = "+=" if kind == "add" else "-="
                            lines.append(f"~ v_{name} {op} {self.items(name, value)}")
                        else:
                            lines.append(self.assign(name, f"v_{name} + {_literal(value)}"))
                elif kind == "compute":
                    for name, source in body.items():
                        lines.append(self.assign(name, _condition(str(source))))
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

    Format v2 has ink twins for all but one feature: variations are ink's own, `compute` is
    an assignment (`random` is RANDOM, `min`/`max` MIN/MAX, `clamp` both), a bounded number
    is clamped at each change, a list variable is an ink LIST, and `call`/`then`/`return` is
    a tunnel (`-> errand -> then`, `->->`). A locked choice (`enabled`) has none: ink shows a
    choice or hides it, so it becomes a condition (hidden while locked) and its `reason`,
    never shown by ink, is left out.
    """
    specs: dict[str, Any] = {}
    facts: dict[str, Any] = {}
    scenes: dict[str, Any] = {}
    header: dict[str, Any] = {}
    for path in sorted(root.rglob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) or {}
        header.update(data.get("story") or {})
        specs.update(data.get("variables") or {})
        facts.update(data.get("facts") or {})
        scenes.update(data.get("scenes") or {})
    variables = _Variables(specs)
    out = [_tag(key, header[key]) for key in ("title", "subtitle") if key in header]
    out += variables.declarations()
    out += [f"VAR f_{fact} = false" for fact in facts]
    out.append(f"-> s_{header['start']}")
    for sid, scene in scenes.items():
        out.append(f"=== s_{sid} ===")
        out += [_tag(key, scene[key]) for key in ("title", "chapter") if key in scene]
        out += variables.effects(scene.get("on_enter"))
        out += _paragraphs(scene.get("text"))
        ending = scene.get("ending")
        if ending is not None:
            out.append(_tag(f"ending: {ending['id']}", ending["title"]))
            out.append("-> END")
            continue
        if scene.get("next"):
            out.append(f"+ [Continue] -> s_{scene['next']}")
            continue
        if scene.get("return"):
            out.append("+ [Continue] ->->")
            continue
        for choice in scene.get("choices") or ():
            out += _choice(choice, sid, variables)
    for fid, fact in facts.items():
        out.append(f"=== j_{fid} ===")
        out += [_tag(key, fact[key]) for key in ("title", "source", "hint", "chapter")
                if key in fact]
        out.append(_text(str(fact.get("text", ""))))
        out.append("-> DONE")
    return "\n".join(out) + "\n"


def _choice(choice: dict[str, Any], scene: str, variables: _Variables) -> list[str]:
    head = "*" if choice.get("once") else "+"
    if "id" in choice:
        head += f" ({choice['id']})"
    for key in ("if", "enabled"):  # locked: hidden while locked, ink's nearest
        if key in choice:
            head += " {" + _condition(str(choice[key])) + "}"
    lines = [f"{head} [{_text(str(choice['text']))}]"]
    lines += ["  " + line for line in variables.effects(choice.get("effects"))]
    if "call" in choice:  # a tunnel; without `then`, back into the calling scene
        lines.append(f"  -> s_{choice['call']} -> s_{choice.get('then', scene)}")
    else:
        lines.append(f"  -> s_{choice['goto']}")
    return lines


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
