"""Incremental checking: each file's reading kept between loads, so an edit re-reads one file.

A long-lived process that loads the same story again and again (`offscreen lsp` after every
pause in typing, `play --dev` after every save) hands `load_story(root, files=FileCache())`
the same `FileCache` each time. A file whose text is the one read last time is not parsed
again: what it defines (`FileUnit`: its definitions, variables, facts and scenes, each with
the diagnostics its reading gave) is taken from the cache, and only what needs every file is
done again over all of them: names defined in two files, the story header, endings defined
twice, playthroughs, and lint (reachability, dead ends, unused names).

The rules themselves stay in the loader: `IncrementalLoader` is a `Loader` that drives the
same steps (`read_source`, `gather`, `take`, `define`, `scene`, `finish`) in another order:
every file gathered first, then the scenes of the files that need it read against all of
them. A scene's reading depends on other files only through the names it may use (`Env`);
a file's scenes are read again when those changed, unless the file read cleanly and every
name it could have used is still there with the same type (a clean reading only ever
depended on names being present). The cold `Loader` reads most scenes before every file is
in (`try_scene`), and promises that this gives what reading them afterwards would; so both
report identically (`tests/story/test_filecache.py` holds them equal over random edit
sequences of a multi-file story).

Nothing here is written to disk: the whole-story compiled cache (`game.story.cache`) is what
a fresh process starts from.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from game.story import schema, yamlsrc
from game.story.diagnostics import Diagnostic
from game.story.elements import Definition
from game.story.folder import LoadResult, display_path
from game.story.lint import Known, lint
from game.story.loader import Gathered, Loader
from game.story.model import Fact, Pos, Scene, Story, Variable
from game.story.quick import SPENT, Compiled

KEEP_PARSED = 1 << 20
"""Characters of files whose YAML trees a load keeps until their scenes are read. An edit
touches a file or two, whose trees are kept; a first load parses most files twice rather
than hold every tree at once (a 10,000-scene story's are ~150 MiB, and the process would
keep that memory after they are gone)."""

Signature = tuple[type, Pos]
"""What reading a scene can learn about a variable: its type, and where it is declared."""


@dataclass(frozen=True, slots=True)
class Env:
    """The names every file defines: what reading one file's scenes may depend on."""

    variables: Mapping[str, Signature]
    facts: frozenset[str]
    scenes: frozenset[str]

    def covers(self, earlier: Env) -> bool:
        """Every name of `earlier` is here, each variable with its type: a scene that read
        cleanly against `earlier` reads the same against this."""
        if not (earlier.scenes <= self.scenes and earlier.facts <= self.facts):
            return False
        variables = self.variables
        for name, (kind, _) in earlier.variables.items():
            now = variables.get(name)
            if now is None or now[0] is not kind:
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
    owned: frozenset[str] | None = None
    """The scenes read (its scenes no earlier file defines), against `env`."""
    env: Env | None = None
    clean: bool = False
    """True when reading its scenes reported nothing."""


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
        self.known = Known()
        """What lint worked out about each condition text, which depends on the text alone."""
        self.reread: list[str] = []
        """The files the last load parsed (the others came from here): for tests and logs."""

    def reset(self, root: Path | None) -> None:
        self.root, self.units, self.env, self.conditions = root, {}, None, {}
        self.known = Known()


class IncrementalLoader(Loader):
    """A load through a `FileCache`: unchanged files from it, changed ones read again."""

    def __init__(self, root: Path, cache: FileCache,
                 sources: Mapping[Path, str] | None = None) -> None:
        super().__init__(root, sources)
        self.cache = cache
        self.nodes: dict[str, dict[str, Definition]] = {}
        """The scenes of files parsed by this load, nodes and all, until they are read
        (up to `KEEP_PARSED` characters of files)."""
        self.kept = 0

    def load(self) -> LoadResult:
        cache = self.cache
        root = self.root.absolute()
        if cache.root != root:
            cache.reset(root)
        cache.reread = []
        paths = self.story_paths()
        if paths is None:
            cache.reset(None)
            return LoadResult(None, tuple(self.diagnostics), ())
        files = tuple(display_path(p) for p in paths)
        digest = hashlib.sha256()
        unreadable: set[str] = set()
        units: list[FileUnit] = []
        for path, file in zip(paths, files, strict=True):
            text = self.read_source(path, file)
            if text is None:
                unreadable.add(file)
                continue
            digest.update(self.relative(path).encode() + b"\0" + text.encode() + b"\0")
            unit = cache.units.get(file)
            if unit is None or unit.text != text:
                unit = self.read_unit(file, text)
                cache.reread.append(file)
            if not unit.composed:
                unreadable.add(file)
            units.append(unit)
        cache.units = {unit.file: unit for unit in units}
        gathered, owned = self.merge(units)
        self.read_scenes(units, owned, gathered)
        return self.finish(gathered, files, digest.hexdigest(), unreadable)

    def lint(self, story: Story, partial: bool) -> list[Diagnostic]:
        return lint(story, partial=partial, known=self.cache.known)

    # -- one file ------------------------------------------------------------------------------

    def read_unit(self, file: str, text: str) -> FileUnit:
        """Parse and gather one file, and read its variables and facts; its scenes wait for
        every file's names (`read_scenes`)."""
        mark = len(self.diagnostics)
        local, composed = self.gather_file(file, text)
        base = self.diagnostics[mark:]
        del self.diagnostics[mark:]
        if self.kept + len(text) <= KEEP_PARSED:
            self.nodes[file] = local.sections["scenes"]
            self.kept += len(text)
        defs: list[tuple[str, str, Definition]] = []
        if local.story is not None:  # its node is kept: the header is read at the end
            defs.append(("story", "story", local.story))
        values: dict[tuple[str, str], tuple[Variable | Fact | None, list[Diagnostic]]] = {}
        for section, name in local.fresh:
            d = local.sections[section][name]
            if section in ("variables", "facts"):
                read = self.variables if section == "variables" else self.facts
                read.pop(name, None)
                self.take(section, name, d)
                values[section, name] = (read.get(name), self.diagnostics[mark:])
                del self.diagnostics[mark:]
            if section != "playthroughs":  # read at the end, from their nodes
                d = Definition(SPENT, d.pos, d.file)
            defs.append((section, name, d))
        return FileUnit(file, text, composed, base, defs, values)

    def gather_file(self, file: str, text: str) -> tuple[Gathered, bool]:
        """One file's definitions on their own (the story header apart from `fresh`),
        and whether its YAML parsed."""
        self.file = file
        local = Gathered(sections={name: {} for name in schema.TOP if name != "story"})
        tree = yamlsrc.compose(text, file, self.report)
        if tree is not None:
            self.gather(tree, local)
        return local, tree is not None

    # -- every file ----------------------------------------------------------------------------

    def merge(self, units: list[FileUnit]) -> tuple[Gathered, dict[str, list[str]]]:
        """Every file's definitions in file order, the first of each name counting (names
        defined twice reported by `define`), and what each file's scenes may use."""
        self.variables, self.kinds, self.facts = {}, {}, {}
        self.fact_ids, self.scene_ids = set(), set()
        gathered = Gathered(sections={name: {} for name in schema.TOP if name != "story"})
        owned: dict[str, list[str]] = {}
        for unit in units:
            self.diagnostics.extend(unit.base)
            mine = owned[unit.file] = []
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
                if section == "facts":  # as `take` does
                    self.fact_ids.add(name)
                if isinstance(value, Fact):
                    self.facts[name] = value
                elif isinstance(value, Variable):
                    self.variables[name] = value
                    self.kinds[name] = value.kind
        gathered.fresh.clear()
        return gathered, owned

    def current_env(self) -> Env:
        """The names now defined; the cache's own `Env` object when nothing changed, so that
        every file read against it is known valid at a glance."""
        env = Env({name: (v.kind, v.pos) for name, v in self.variables.items()},
                  frozenset(self.fact_ids), frozenset(self.scene_ids))
        known = self.cache.env
        if known is not None and known.scenes == env.scenes and known.facts == env.facts \
                and _same_signatures(known.variables, env.variables):
            return known
        return env

    def read_scenes(self, units: list[FileUnit], owned: dict[str, list[str]],
                    gathered: Gathered) -> None:
        """Each file's scenes, from the cache where still valid, else read again; kept for
        `build` as read (`prebuilt`), in the story's order."""
        cache = self.cache
        env = self.current_env()
        if env is not cache.env:
            cache.env, cache.conditions = env, {}
        self.conditions = cache.conditions
        covered: dict[int, bool] = {}
        scenes = gathered.sections["scenes"]
        for unit in units:
            earlier = unit.env
            valid = earlier is env
            if earlier is not None and earlier is not env and unit.clean:
                if id(earlier) not in covered:
                    covered[id(earlier)] = env.covers(earlier)
                valid = covered[id(earlier)]
            if not valid or unit.owned != frozenset(owned[unit.file]):
                self.read_file_scenes(unit, owned[unit.file], env)
            for name in owned[unit.file]:
                scene, reported = unit.scenes[name]
                self.diagnostics.extend(reported)
                if scene is not None:
                    self.prebuilt[name] = scene
        for name in [name for name in scenes if name not in self.prebuilt]:
            del scenes[name]  # not read: what it reported is in already
        self.nodes.clear()

    def read_file_scenes(self, unit: FileUnit, names: list[str], env: Env) -> None:
        """Read the file's scenes (`names`, the ones it owns) against `env`."""
        file = unit.file
        mark = len(self.diagnostics)
        nodes = self.nodes.pop(file, None)
        if nodes is None:  # parsed by an earlier load: parse it again (said already)
            nodes = self.gather_file(file, unit.text)[0].sections["scenes"]
            del self.diagnostics[mark:]
            if file not in self.cache.reread:
                self.cache.reread.append(file)
        unit.scenes = {}
        for name in names:
            self.file = file
            scene = self.scene(name, nodes[name])
            unit.scenes[name] = (scene, self.diagnostics[mark:])
            del self.diagnostics[mark:]
            nodes[name].node = SPENT
        unit.owned, unit.env = frozenset(names), env
        unit.clean = not any(reported for _, reported in unit.scenes.values())


def _same_signatures(a: Mapping[str, Signature], b: Mapping[str, Signature]) -> bool:
    """Equal, with types compared by identity (True == 1, but a flag is no number)."""
    if a.keys() != b.keys():
        return False
    for name, (kind, pos) in a.items():
        other = b[name]
        if other[0] is not kind or other[1] != pos:
            return False
    return True
