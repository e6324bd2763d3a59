"""Story folder -> `Story`, or every problem with it at `file:line:col`.

The loader walks composed YAML nodes (never constructed objects) so that each value keeps its
position, and it keeps going after a problem: an author fixing a story wants the whole list in
one run, the way a compiler reports all of a file's errors. References cross files freely,
so each file is first gathered (which is where names defined twice are caught), its variables
and facts read, and its scenes tried at once against what is known so far (`try_scene`: a
scene that needs nothing from a later file, apart from gotos that are checked at the end, is
read while its file's YAML tree is the only one alive). Scenes that do need a later file are
read at the end, then the story header, then playthroughs, then lint.

The readers are in layers, each a mixin of the next: `quick.py` (the fast readers the common,
error-free case goes through first; see its docstring for the contract), `careful.py` (the
generic careful readers and how problems are reported), `elements.py` (the story's elements,
on the readers it layers: see its docstring) and this module (the passes over the files).
`rules.py` holds the value rules both the quick and the careful readers apply.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

import yaml

from game.story import codes, expr, schema, yamlsrc
from game.story.careful import Definition
from game.story.choicereader import missing_scene_code
from game.story.diagnostics import Diagnostic, first_defined
from game.story.elements import ElementReaders
from game.story.folder import LoadResult, display_path, is_story_path, story_files
from game.story.model import Ending, Fact, Pos, Scene, Story, Variable
from game.story.names import IDENT, IDENT_RULE, WORD, closest
from game.story.quick import SPENT, Compiled


def load_folder(root: Path, sources: Mapping[Path, str] | None = None) -> LoadResult:
    """Read and check the story at root (a folder, or a single file), every file cold.

    `game.story.files.load_story` is the front door (with the compiled cache); this is what
    it calls when the files must really be read. `sources`: absolute path -> text read
    instead of that file (an editor's unsaved buffer; new files under root included).
    """
    return Loader(root, sources).load()


@dataclass(slots=True)
class Gathered:
    """What the files define, by section and name, as `gather` finds it."""

    story: Definition | None = None
    sections: dict[str, dict[str, Definition]] = field(default_factory=dict)
    fresh: list[tuple[str, str]] = field(default_factory=list)
    """(section, name) defined by the file just gathered, for `advance`."""

    @classmethod
    def empty(cls) -> Gathered:
        return cls(sections={name: {} for name in schema.TOP if name != "story"})


class Loader(ElementReaders):
    """One load of one story: the two passes, and the state every reader shares."""

    def __init__(self, root: Path, sources: Mapping[Path, str] | None = None) -> None:
        self.root = root
        self.overlay = sources or {}
        """Absolute path -> text read instead of the file (an editor's unsaved buffer)."""
        self.diagnostics: list[Diagnostic] = []
        self.missing: dict[Diagnostic, str] = {}
        self.file = ""
        self.texts: dict[str, str] = {}
        self.sources: dict[str, list[str] | None] = {}
        """Lines of each file, split only if need be (`CarefulReaders.line_text`)."""
        self.conditions: dict[str, Compiled] = {}
        """Parsed, checked and compiled conditions by source text: stories repeat them."""
        self.computes: dict[tuple[str, str], tuple[expr.Node, expr.Evaluator]] = {}
        """Clean `compute` expressions by (variable, text), for `quick_compute`."""
        self.variables: dict[str, Variable] = {}
        self.fact_ids: set[str] = set()
        self.scene_ids: set[str] = set()
        self.facts: dict[str, Fact] = {}
        self.prebuilt: dict[str, Scene] = {}
        """Scenes read as soon as their file was: their YAML nodes are gone already."""
        self.trial = False
        """True while a scene is read before every file is: see `try_scene`."""
        self.forward: list[tuple[str, Pos, str]] = []
        """(target, where, what) of gotos to scenes no file had defined yet, in a trial."""
        self.pending: list[tuple[str, str, Pos, str]] = []
        """(scene, target, where, what) forward gotos of prebuilt scenes, checked at the end."""
        self.trial_sources: list[str] = []
        self.kinds: dict[str, type] = {}
        self.list_items: dict[str, tuple[str, ...]] = {}
        self.scene_name = ""

    # -- pass 1: gather ----------------------------------------------------------------------

    def load(self) -> LoadResult:
        paths = self.story_paths()
        if paths is None:
            return LoadResult(None, tuple(self.diagnostics), ())
        files = tuple(display_path(p) for p in paths)
        digest = hashlib.sha256()
        unreadable: set[str] = set()
        gathered = Gathered.empty()
        def hash_in(name: str, text: str) -> None:
            digest.update(content_chunk(name, text))

        for file, text in self.texts_in_order(paths, files, hash_in, unreadable):
            node = yamlsrc.compose(text, file, self.report)
            if node is not None:
                self.gather(node, gathered)
                del node  # the file's tree now lives only in its definitions
                self.advance(gathered)
            else:
                unreadable.add(file)
        return self.finish(gathered, files, digest.hexdigest(), unreadable)

    def story_paths(self) -> list[Path] | None:
        """The story's files in load order (reported when there are none); None when the
        folder does not exist."""
        root = self.root
        if root.is_file():
            return [root]
        if not root.is_dir():
            self.report(Pos(display_path(root), 1, 1), "no such story folder", codes.NO_FOLDER)
            return None
        paths = story_files(root)
        if self.overlay:  # a new buffer not saved yet is part of the story too
            paths = sorted(set(paths) | set(_unsaved(root, self.overlay)))
        if not paths:
            self.report(Pos(display_path(root), 1, 1),
                        "no story files here (expected *.yaml or *.yml files)", codes.NO_FILES)
        return paths

    def texts_in_order(self, paths: list[Path], files: tuple[str, ...],
                       hash_in: Callable[[str, str], object], unreadable: set[str],
                       ) -> Iterator[tuple[str, str]]:
        """(display path, text) of each file that can be read, in load order; the story's
        content hash takes in each (`hash_in(name, text)`, see `content_chunk`), and the
        others are added to `unreadable`."""
        for path, file in zip(paths, files, strict=True):
            text = self.read_source(path, file)
            if text is None:
                unreadable.add(file)
                continue
            hash_in(self.relative(path), text)
            yield file, text

    def read_source(self, path: Path, file: str) -> str | None:
        """A file's text (its unsaved buffer if there is one), remembered for positions;
        None (reported) when it cannot be read."""
        self.file = file
        text = self.overlay.get(path.absolute()) if self.overlay else None
        if text is None:
            text = yamlsrc.read_text(path, file, self.report)
        if text is not None:
            self.texts[file] = text
        return text

    def relative(self, path: Path) -> str:
        """A file's name in the story's content hash: relative to the story folder."""
        return path.relative_to(self.root).as_posix() if path != self.root else path.name

    def finish(self, gathered: Gathered, files: tuple[str, ...], digest: str,
               unreadable: set[str]) -> LoadResult:
        """Every file gathered and read: the story built, the whole-story checks run, the
        diagnostics in their order."""
        story = self.build(gathered, files, digest)
        unseen = _words(self.texts.get(file) for file in files if file in unreadable)
        if story is not None:
            has_errors = any(d.severity == "error" for d in self.diagnostics)
            self.diagnostics.extend(self.lint(story, partial=has_errors, unseen=unseen))
        if unreadable:
            self.unseen(files, unreadable, unseen)
        # Files that could not be read come first: what they define is unknown, so they are
        # the first thing to fix.
        order = {file: (file not in unreadable, i) for i, file in enumerate(files)}
        diagnostics = tuple(sorted(set(self.diagnostics),
                                   key=lambda d: (order.get(d.pos.file, (False, -1)),
                                                  d.pos.line, d.pos.col, d.message)))
        ok = not any(d.severity == "error" for d in diagnostics)
        return LoadResult(story if ok else None, diagnostics, files)

    def lint(self, story: Story, partial: bool,
             unseen: set[str] | None) -> list[Diagnostic]:
        """The whole-story checks (`game.story.lint`); `unseen` as `lint.lint` takes it."""
        from game.story.lint import lint  # here, not at the top: lint reads the model

        return lint(story, partial=partial, unseen=unseen)

    def unseen(self, files: tuple[str, ...], unreadable: set[str],
               words: set[str] | None) -> None:
        """Some file could not be read, so it may define names that seem missing: drop each
        "no such scene/fact/variable" (and its "did you mean") for a name that file may
        define, i.e. one of the `words` of its text (any name, with None: not even its
        text could be read), and say once, at the first such file, how many."""
        present = set(self.diagnostics)
        dropped = {d for d, name in self.missing.items()
                   if d in present and (words is None or name in words)}
        self.diagnostics = [d for d in self.diagnostics if d not in dropped]
        if dropped:
            first = next(file for file in files if file in unreadable)
            where = next((d.pos for d in self.diagnostics if d.pos.file == first),
                         Pos(first, 1, 1))
            many = len(dropped) != 1
            self.report(where, f"this file could not be read, so {len(dropped)} "
                        f"reference{'s' if many else ''} elsewhere to names it may define "
                        f"{'were' if many else 'was'} not checked; fix it, then check again",
                        codes.NOT_CHECKED)

    def gather(self, node: yaml.Node, into: Gathered) -> None:
        if isinstance(node, yaml.ScalarNode) and node.tag == yamlsrc.NULL:
            return  # an empty file (or only comments) is fine
        top = self.fields(node, schema.TOP, "a story file")
        if top is None:
            return
        for section, value in top.items():
            if section == "story":
                self.define(into, section, section, Definition(value, self.pos(value),
                                                               self.file))
                continue
            if not isinstance(value, yaml.MappingNode):
                continue  # `facts:` with nothing under it yet (`fields` refused the rest)
            what = section[:-1]
            for name, key_node, definition in self.entries(value, f"'{section}'"):
                here = self.pos(key_node)
                if not IDENT.match(name):
                    self.report(here, f"{what} id '{name}' is not valid: {IDENT_RULE}",
                                codes.BAD_ID)
                    continue
                self.define(into, section, name, Definition(definition, here, self.file))

    def define(self, into: Gathered, section: str, name: str, d: Definition) -> bool:
        """Record one definition; a name an earlier file defined already is reported (the
        first one counts). True when it was recorded. The one rule for names defined in
        two files, whether the files are gathered in one pass or one at a time
        (`game.story.filecache`)."""
        if section == "story":
            if into.story is not None:
                self.report(d.pos, "'story' is defined twice (first at "
                            f"{into.story.pos}); a story folder has exactly one",
                            codes.STORY_TWICE, first_defined(into.story.pos))
                return False
            into.story = d
            return True
        defined = into.sections[section]
        first = defined.get(name)
        if first is not None:
            if first.pos.file != d.pos.file:
                self.report(d.pos, f"{section[:-1]} '{name}' is defined twice "
                            f"(first at {first.pos})", codes.DEFINED_TWICE,
                            first_defined(first.pos))
            return False
        defined[name] = d
        into.fresh.append((section, name))
        return True

    # -- pass 2: build -----------------------------------------------------------------------

    def build(self, gathered: Gathered, files: tuple[str, ...], digest: str) -> Story | None:
        sections = gathered.sections
        facts = self.facts
        self.retarget_forward()
        scenes: dict[str, Scene] = {}
        endings: dict[str, Ending] = {}
        for name, d in sections["scenes"].items():
            self.file = d.file
            scene = self.prebuilt.get(name) or self.scene(name, d)
            # Nothing reads a scene's YAML again: let its nodes go now, so the model built
            # next reuses their memory instead of growing the process (and page-faulting).
            d.node = SPENT
            if scene is None:
                continue
            scenes[name] = scene
            if scene.ending is not None:
                first = endings.get(scene.ending.id)
                if first is not None:
                    self.report(scene.ending.pos, f"ending '{scene.ending.id}' is defined "
                                f"twice (first at {first.pos}); send both paths to one scene",
                                codes.ENDING_TWICE, first_defined(first.pos))
                else:
                    endings[scene.ending.id] = scene.ending
        header = self.header(gathered.story, files)
        playthroughs = {}
        for name, d in sections["playthroughs"].items():
            self.file = d.file
            run = self.playthrough(name, d, endings)
            if run is not None:
                playthroughs[name] = run
        if header is None:
            return None
        story_id, title, subtitle, start, pos = header
        return Story(
            id=story_id, title=title, subtitle=subtitle, start=start,
            variables=MappingProxyType(self.variables), facts=MappingProxyType(facts),
            scenes=MappingProxyType(scenes), endings=MappingProxyType(endings),
            playthroughs=MappingProxyType(playthroughs), files=files,
            content_hash=digest, pos=pos,
        )

    def advance(self, gathered: Gathered) -> None:
        """Read what the file just gathered defines, and try its scenes right away.

        Variables and facts need nothing from other files. A scene usually needs only what
        is known by now, except scenes in later files that its choices lead to: those gotos
        are noted and checked once every file is in. So most scenes are read while their
        file's YAML tree is the only one in memory, instead of after all of them are: for a
        10,000-scene story that is the difference between holding one file's nodes and
        holding a hundred files' (~150 MiB).
        """
        sections = gathered.sections
        scenes = []
        for section, name in gathered.fresh:
            d = sections[section][name]
            self.take(section, name, d)
            if section == "scenes":
                scenes.append((name, d))
        gathered.fresh.clear()
        for name, d in scenes:
            self.try_scene(name, d)

    def take(self, section: str, name: str, d: Definition) -> None:
        """Read a variable or a fact (they need nothing from other files); note a scene's
        id (its scene is read once the names it may use are known)."""
        self.file = d.file
        if section == "variables":
            self.declare(name, self.variable(name, d))
        elif section == "facts":
            self.declare_fact(name, self.fact(name, d))
        elif section == "scenes":
            self.scene_ids.add(name)

    def declare(self, name: str, variable: Variable | None) -> None:
        """A variable as read (None: it could not be): what scenes may use of it from now
        on. The one place for it, also for variables read by an earlier load
        (`game.story.filecache`)."""
        if variable is not None:
            self.variables[name] = variable
            self.kinds[name] = variable.kind
            if variable.items is not None:
                self.list_items[name] = variable.items

    def declare_fact(self, name: str, fact: Fact | None) -> None:
        """A fact as read (None: it could not be; its id counts all the same)."""
        self.fact_ids.add(name)
        if fact is not None:
            self.facts[name] = fact

    def try_scene(self, name: str, d: Definition) -> None:
        """Read a scene before every file is in; keep it only if nothing had to be said.

        Anything this trial would report might be only for want of a later file (a variable
        declared further on, `visits()` of a later scene), so a trial that reports anything
        is undone (its messages dropped, conditions checked against too few names
        forgotten) and the scene is read again, carefully, at the end. A trial that reports
        nothing gives exactly what that later read would.
        """
        mark = len(self.diagnostics)
        self.trial, self.forward, self.trial_sources = True, [], []
        self.file = d.file
        try:
            scene = self.scene(name, d)
        finally:
            self.trial = False
        if scene is not None and len(self.diagnostics) == mark:
            self.prebuilt[name] = scene
            self.pending.extend((name, *goto) for goto in self.forward)
            d.node = SPENT
            return
        del self.diagnostics[mark:]
        for source in self.trial_sources:
            known = self.conditions.get(source)
            if isinstance(known, tuple) and known[1]:
                del self.conditions[source]

    def defer_target(self, name: str, node: yaml.Node, what: str) -> bool:
        """In a trial, a goto to a scene no file has defined yet is noted, not reported."""
        if not self.trial or not IDENT.match(name):
            return False
        self.forward.append((name, self.pos(node), what))
        return True

    def retarget_forward(self) -> None:
        """Check the forward gotos of prebuilt scenes now that every scene is known.

        A missing one is reported as `target` would have, and the prebuilt scene is made to
        look as `target` would have made it: the closest scene stands in, or the way is cut.
        """
        bad: dict[str, dict[str, str | None]] = {}
        for scene, name, pos, what in self.pending:
            if name in self.scene_ids:
                continue
            close = closest(name, sorted(self.scene_ids))
            hint = f"; did you mean '{close}'?" if close else ""
            self.report_missing(pos, f"{what}: no scene '{name}'{hint}",
                                missing_scene_code(what), name)
            bad.setdefault(scene, {})[name] = close
        for scene_id, renames in bad.items():
            old = self.prebuilt[scene_id]
            choices = []
            for choice in old.choices:
                if choice.then in renames:
                    choice = replace(choice, then=renames[choice.then])
                if choice.goto not in renames:
                    choices.append(choice)
                elif (new := renames[choice.goto]) is not None:
                    choices.append(replace(choice, goto=new))
            next_id = old.next
            if next_id in renames:
                next_id = renames[next_id]
            self.prebuilt[scene_id] = replace(old, choices=tuple(choices), next=next_id)


def content_chunk(name: str, text: str) -> bytes:
    """What the story's content hash (sha256, the files in load order) takes in for one
    file: its name relative to the story folder, and its text."""
    return name.encode() + b"\0" + text.encode() + b"\0"


def _words(texts: Iterable[str | None]) -> set[str] | None:
    """Every word that could be a name in these texts; None if one of them is unknown."""
    words: set[str] = set()
    for text in texts:
        if text is None:
            return None
        words.update(WORD.findall(text))
    return words


def _unsaved(root: Path, overlay: Mapping[Path, str]) -> Iterator[Path]:
    """Overlay files inside root that `story_files` would list if they were on disk."""
    base = root.absolute()
    for path in overlay:
        if is_story_path(base, path):
            yield root / path.relative_to(base)
