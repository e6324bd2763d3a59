"""Incremental checking: each file's reading kept between loads, so an edit re-reads one file.

A long-lived process that loads the same story again and again (`offscreen lsp` after every
pause in typing, `play --dev` after every save) hands `load_story(root, files=FileCache())`
the same `FileCache` each time. A file whose text is the one read last time is not parsed
again: what it defines (`FileUnit`: its definitions, variables, facts and scenes, each with
the diagnostics its reading gave) is taken from the cache, and only what needs every file is
done again over all of them: names defined in two files, the story header, endings defined
twice, playthroughs, and lint (reachability, dead ends, unused names).

The rules themselves stay in the loader: `IncrementalLoader` is a `Loader` that drives the
same steps (`read_source`, `gather`, `take`, `define`, `try_scene`, `scene`, `finish`) file
by file. A file parsed again has its scenes tried at once, as the cold loader does (a trial
that reports nothing gives what a later read would, once the scenes its gotos name ahead
exist); the scenes left are read once every file's names are known. A scene's reading
depends on other files only through the names it may use (`Env`): a cached file's scenes
are read again when those changed, unless the file read cleanly and every name it could
have used is still there with the same type (a clean reading only ever depended on names
being present). So both paths report identically (`tests/story/test_filecache.py` holds
them equal over random edit sequences of a multi-file story).

Nothing here is written to disk: the whole-story compiled cache (`game.story.cache`) is what
a fresh process starts from.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from game.story import yamlsrc
from game.story.careful import Definition
from game.story.diagnostics import Diagnostic
from game.story.folder import LoadResult, display_path
from game.story.lint import Known, lint
from game.story.loader import Gathered, Loader, content_chunk
from game.story.model import Fact, Pos, Scene, Story, Variable
from game.story.quick import SPENT, Compiled

KEEP_PARSED = 1 << 20
"""Characters of files whose YAML trees a load keeps when a trial left scenes unread (or
read scenes that lead to scenes of later files, which may turn out not to exist: a goto
being typed), until they are read; past it such a file is parsed again instead (a
10,000-scene story's trees are ~150 MiB, and the process would keep that memory after they
are gone)."""

Signature = tuple[tuple[object, ...], Pos]
"""What reading a scene can learn about a variable (`signature`), and where it is declared."""


def signature(variable: Variable) -> tuple[object, ...]:
    """Every field of a variable but its place and its default, whose type stands in for it
    (scenes are checked against a variable's type, never its starting value)."""
    return (type(variable.default), *(getattr(variable, f.name) for f in fields(variable)
                                      if f.name not in ("default", "pos")))


@dataclass(frozen=True, slots=True)
class Env:
    """The names every file defines: what reading one file's scenes may depend on."""

    variables: Mapping[str, Signature]
    facts: frozenset[str]
    scenes: frozenset[str]

    def covers(self, earlier: Env) -> bool:
        """Every name of `earlier` is here, each variable as it was but maybe its place: a
        scene that read cleanly against `earlier` reads the same against this."""
        if not (earlier.scenes <= self.scenes and earlier.facts <= self.facts):
            return False
        variables = self.variables
        for name, (was, _) in earlier.variables.items():
            now = variables.get(name)
            if now is None or not _same(now[0], was):
                return False
        return True


@dataclass(slots=True)
class FileUnit:
    """One file as read: what it defines, and the diagnostics each part gave."""

    file: str
    text: str
    composed: bool
    """False when its YAML did not parse (the file defines nothing then)."""
    base: list[Diagnostic]
    """From parsing the file and gathering its definitions."""
    defs: list[tuple[str, str, Definition]]
    """(section, name, definition) in the file's order. Nodes are kept only for the story
    header and playthroughs (read once all files are in); the others are spent."""
    values: dict[tuple[str, str], tuple[Variable | Fact | None, list[Diagnostic]]]
    """Each variable and fact as read, with what reading it reported."""
    scenes: dict[str, tuple[Scene | None, list[Diagnostic]]] = field(default_factory=dict)
    """The scenes it owns (no earlier file defines them), as read, with what each reported."""
    env: Env | None = None
    """The names its scenes were read against."""
    clean: bool = False
    """True when reading its scenes reported nothing."""
    forward: dict[str, list[str]] = field(default_factory=dict)
    """While a load is under way: scenes of later files that a scene read by a trial
    leads to (`IncrementalLoader.try_scenes`)."""


class FileCache:
    """The per-file results of the last load of one story folder, for the next load.

    Not thread-safe: one load at a time (the language server checks each story in turn).
    """

    def __init__(self) -> None:
        self.root: Path | None = None
        self.units: dict[str, FileUnit] = {}
        """By display path."""
        self.env: Env | None = None
        self.conditions: dict[str, Compiled] = {}
        """Conditions compiled against `env`, by source text (see `Loader.conditions`)."""
        self.known = Known(scenes=True)
        """What lint worked out about each condition text, which depends on the text alone."""
        self.reread: list[str] = []
        """The files the last load parsed (the others came from here): for tests and logs."""
        self.hashed: list[tuple[str, str, Any]] = []
        """(name, text, the content hash's state after it) of each file read, in load
        order: the next load hashes only from the first file that differs."""
        self.missing: dict[Diagnostic, str] = {}
        """`Loader.missing` across loads: a cached file's "no such name" diagnostics were
        reported by an earlier load, and a file that cannot be read now must drop them
        as a cold load would (`Loader.unseen`)."""

    def reset(self, root: Path | None) -> None:
        self.root, self.units, self.env, self.conditions = root, {}, None, {}
        self.known = Known(scenes=True)
        self.hashed = []
        self.missing = {}


class IncrementalLoader(Loader):
    """A load through a `FileCache`: unchanged files from it, changed ones read again."""

    def __init__(self, root: Path, cache: FileCache,
                 sources: Mapping[Path, str] | None = None) -> None:
        super().__init__(root, sources)
        self.cache = cache
        self.nodes: dict[str, dict[str, Definition]] = {}
        """The scenes of files parsed by this load whose trial read left some unread,
        nodes and all, until `read_scenes` (up to `KEEP_PARSED` characters of files)."""
        self.kept = 0
        self.fresh: set[str] = set()
        """Files parsed by this load (their scenes were tried as they were parsed)."""

    def load(self) -> LoadResult:
        cache = self.cache
        root = self.root.absolute()
        if cache.root != root:
            cache.reset(root)
        cache.reread = []
        self.missing = cache.missing
        paths = self.story_paths()
        if paths is None:
            cache.reset(None)
            return LoadResult(None, tuple(self.diagnostics), ())
        files = tuple(display_path(p) for p in paths)
        digest = PrefixDigest(cache.hashed)
        unreadable: set[str] = set()
        units: list[FileUnit] = []
        gathered = Gathered.empty()
        owned: dict[str, list[str]] = {}
        for file, text in self.texts_in_order(paths, files, digest.take, unreadable):
            unit = cache.units.get(file)
            nodes = None
            if unit is None or unit.text != text:
                unit, nodes = self.read_unit(file, text)
                cache.reread.append(file)
            owned[file] = self.merge(unit, gathered)
            if nodes is not None:
                self.try_scenes(unit, owned[file], nodes)
            if not unit.composed:
                unreadable.add(file)
            units.append(unit)
        gathered.fresh.clear()
        cache.units = {unit.file: unit for unit in units}
        cache.hashed = [(name, unit.text, state)  # the units' texts: one copy in memory
                        for (name, _, state), unit in zip(digest.states, units, strict=True)]
        self.read_scenes(units, owned, gathered)
        present = set(self.diagnostics)  # every file's, cached or read now: keep only theirs
        for gone in [d for d in cache.missing if d not in present]:
            del cache.missing[gone]
        return self.finish(gathered, files, digest.hexdigest(), unreadable)

    def lint(self, story: Story, partial: bool,
             unseen: set[str] | None) -> list[Diagnostic]:
        return lint(story, partial=partial, known=self.cache.known, unseen=unseen)

    # -- one file, as it comes -----------------------------------------------------------------

    def read_unit(self, file: str, text: str) -> tuple[FileUnit, dict[str, Definition]]:
        """Parse and gather one file and read its variables and facts; its scenes, nodes
        and all, are handed back for `try_scenes`."""
        mark = len(self.diagnostics)
        local, composed = self.gather_file(file, text)
        base = self.diagnostics[mark:]
        del self.diagnostics[mark:]
        defs: list[tuple[str, str, Definition]] = []
        if local.story is not None:  # its node is kept: the header is read at the end
            defs.append(("story", "story", local.story))
        values: dict[tuple[str, str], tuple[Variable | Fact | None, list[Diagnostic]]] = {}
        alone = Loader(self.root)  # reads them without touching what other files defined
        alone.texts[file] = text
        for section, name in local.fresh:
            d = local.sections[section][name]
            if section in ("variables", "facts"):
                alone.take(section, name, d)
                value = (alone.variables if section == "variables" else alone.facts).get(name)
                values[section, name] = (value, alone.diagnostics)
                alone.diagnostics = []
            if section != "playthroughs":  # read at the end, from their nodes
                d = Definition(SPENT, d.pos, d.file)
            defs.append((section, name, d))
        self.fresh.add(file)
        return FileUnit(file, text, composed, base, defs, values), local.sections["scenes"]

    def gather_file(self, file: str, text: str) -> tuple[Gathered, bool]:
        """One file's definitions on their own (the story header apart from `fresh`),
        and whether its YAML parsed."""
        self.file = file
        local = Gathered.empty()
        tree = yamlsrc.compose(text, file, self.report)
        if tree is not None:
            self.gather(tree, local)
        return local, tree is not None

    def merge(self, unit: FileUnit, gathered: Gathered) -> list[str]:
        """The file's definitions after every earlier file's, the first of each name
        counting (names defined twice reported by `define`); the scenes it owns."""
        self.diagnostics.extend(unit.base)
        mine = []
        for section, name, d in unit.defs:
            if not self.define(gathered, section, name, d):
                continue
            if section == "scenes":
                self.scene_ids.add(name)
                mine.append(name)
                continue
            if section not in ("variables", "facts"):
                continue
            value, reported = unit.values[section, name]
            self.diagnostics.extend(reported)
            if section == "facts":
                self.declare_fact(name, value if isinstance(value, Fact) else None)
            else:
                self.declare(name, value if isinstance(value, Variable) else None)
        return mine

    def try_scenes(self, unit: FileUnit, names: list[str],
                   nodes: dict[str, Definition]) -> None:
        """Read a freshly parsed file's scenes at once, while its tree is alive, the way the
        cold loader does (`try_scene`): a scene kept is what reading it once every file is
        in gives, provided the scenes its gotos name ahead turn out to exist (`forward`)."""
        unit.scenes, unit.forward = {}, {}
        unit.env = None
        left = False
        for name in names:
            mark = len(self.pending)
            node = nodes[name].node
            self.try_scene(name, nodes[name])
            scene = self.prebuilt.pop(name, None)
            if scene is None:
                left = True
                continue
            unit.scenes[name] = (scene, [])
            if len(self.pending) > mark:
                unit.forward[name] = [target for _, target, _, _ in self.pending[mark:]]
                del self.pending[mark:]
                # Read again if a scene it leads to is missing (a goto being typed): from
                # this tree, not from the file parsed once more.
                nodes[name].node = node
                left = True
        if left and self.kept + len(unit.text) <= KEEP_PARSED:
            self.nodes[unit.file] = nodes
            self.kept += len(unit.text)

    # -- every file ----------------------------------------------------------------------------

    def current_env(self) -> Env:
        """The names now defined; the cache's own `Env` object when nothing changed, so that
        every file read against it is known valid at a glance."""
        env = Env({name: (signature(v), v.pos) for name, v in self.variables.items()},
                  frozenset(self.fact_ids), frozenset(self.scene_ids))
        known = self.cache.env
        if known is not None and known.scenes == env.scenes and known.facts == env.facts \
                and _same_signatures(known.variables, env.variables):
            return known
        return env

    def read_scenes(self, units: list[FileUnit], owned: dict[str, list[str]],
                    gathered: Gathered) -> None:
        """Each file's scenes, from the cache or this load's trials where still valid, the
        others read now against every file's names; kept for `build` as read (`prebuilt`),
        in the story's order."""
        cache = self.cache
        env = self.current_env()
        if env is cache.env:  # what the trials compiled holds against every name, too
            cache.conditions.update(self.conditions)
        else:
            cache.env, cache.conditions = env, self.conditions
        self.conditions = cache.conditions
        covered: dict[int, bool] = {}
        scenes = gathered.sections["scenes"]
        for unit in units:
            names = owned[unit.file]
            if unit.file in self.fresh:
                stale = [name for name in names if name not in unit.scenes
                         or not all(t in env.scenes for t in unit.forward.get(name, ()))]
            else:
                earlier = unit.env
                valid = earlier is env
                if earlier is not None and earlier is not env and unit.clean:
                    if id(earlier) not in covered:
                        covered[id(earlier)] = env.covers(earlier)
                    valid = covered[id(earlier)]
                stale = ([name for name in names if name not in unit.scenes] if valid
                         else names)
            if stale:
                self.read_file_scenes(unit, stale)
            # Only what it owns now: a scene it gives up to an earlier file and owns again
            # later must be read again then, against the names of that day.
            unit.scenes = {name: unit.scenes[name] for name in names}
            unit.env, unit.forward = env, {}
            unit.clean = True
            for name in names:
                scene, reported = unit.scenes[name]
                if reported:
                    unit.clean = False
                    self.diagnostics.extend(reported)
                if scene is not None:
                    self.prebuilt[name] = scene
        for name in [name for name in scenes if name not in self.prebuilt]:
            del scenes[name]  # not read: what it reported is in already
        self.nodes.clear()

    def read_file_scenes(self, unit: FileUnit, names: list[str]) -> None:
        """Read these scenes of the file (ones it owns) against every file's names."""
        file = unit.file
        mark = len(self.diagnostics)
        nodes = self.nodes.pop(file, None)
        if nodes is None or any(nodes[name].node is SPENT for name in names):
            # not kept (or read already by a trial): parse it again (said already)
            nodes = self.gather_file(file, unit.text)[0].sections["scenes"]
            del self.diagnostics[mark:]
            if file not in self.cache.reread:
                self.cache.reread.append(file)
        for name in names:
            self.file = file
            scene = self.scene(name, nodes[name])
            unit.scenes[name] = (scene, self.diagnostics[mark:])
            del self.diagnostics[mark:]
            nodes[name].node = SPENT


class PrefixDigest:
    """The story's content hash (`loader.content_chunk` of each file, in load order), taken
    up where the last load's was while the files are the same: an edit to the 51st of 100
    files hashes 50 of them again, not 8 MiB. The states kept are never updated again."""

    def __init__(self, known: list[tuple[str, str, Any]]) -> None:
        self.known = known
        self.states: list[tuple[str, str, Any]] = []
        self.state: Any = hashlib.sha256()
        self.shared = True
        """`state` is one of `known`'s (copied before it is updated)."""

    def take(self, name: str, text: str) -> None:
        at = len(self.states)
        if self.shared and at < len(self.known) and self.known[at][0] == name \
                and self.known[at][1] == text:
            self.state = self.known[at][2]
        else:
            if self.shared:
                self.state, self.shared = self.state.copy(), False
            self.state.update(content_chunk(name, text))
        self.states.append((name, text, self.state if self.shared else self.state.copy()))

    def hexdigest(self) -> str:
        return str(self.state.hexdigest())


def _same_signatures(a: Mapping[str, Signature], b: Mapping[str, Signature]) -> bool:
    if a.keys() != b.keys():
        return False
    for name, (was, pos) in a.items():
        now, other = b[name]
        if other != pos or not _same(now, was):
            return False
    return True


def _same(a: tuple[object, ...], b: tuple[object, ...]) -> bool:
    """Equal, and with the same types of value field by field (True == 1, but a flag is
    no number)."""
    return a == b and all(type(x) is type(y) for x, y in zip(a, b, strict=True))
