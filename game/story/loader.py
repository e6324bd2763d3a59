"""Story folder -> `Story`, or every problem with it at `file:line:col`.

The loader walks composed YAML nodes (never constructed objects) so that each value keeps its
position, and it keeps going after a problem: an author fixing a story wants the whole list in
one run, the way a compiler reports all of a file's errors. References cross files freely,
so each file is first gathered (which is where names defined twice are caught), its variables
and facts read, and its scenes tried at once against what is known so far (`try_scene`: a
scene that needs nothing from a later file, apart from gotos that are checked at the end, is
read while its file's YAML tree is the only one alive). Scenes that do need a later file are
read at the end, then the story header, then playthroughs, then lint.

Each reader here is the careful one, which reports every problem; `quick.py` holds the fast
readers the common, error-free case goes through first (see its docstring for the contract).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

import yaml

from game.story import expr, schema, yamlsrc
from game.story.diagnostics import Diagnostic, Severity

# Re-exported: most callers know the loader as where stories come from.
from game.story.files import STORY_SUFFIXES as STORY_SUFFIXES
from game.story.files import LoadResult as LoadResult
from game.story.files import display_path as display_path
from game.story.files import load_or_raise as load_or_raise
from game.story.files import load_story as load_story
from game.story.files import story_files as story_files
from game.story.model import (
    Choice,
    Condition,
    Effect,
    Ending,
    Expectation,
    Fact,
    Paragraph,
    Playthrough,
    Pos,
    Scene,
    Step,
    Story,
    Template,
    Value,
    Variable,
)
from game.story.names import HOLE, IDENT, SLUG, closest, did_you_mean, slugify
from game.story.quick import SPENT, QuickReaders, plain_text


def describe(node: yaml.Node) -> str:
    """How an author would name what they wrote, for 'must be X, not Y' messages."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    tag = node.tag
    if tag == yamlsrc.NULL:
        return "empty"
    if tag == yamlsrc.BOOL:
        return f"true/false ({node.value})"
    if tag in (yamlsrc.INT, yamlsrc.FLOAT):
        return f"the number {node.value}"
    return f"'{node.value}'"


@dataclass(slots=True)
class _Definition:
    node: yaml.Node
    pos: Pos
    file: str


@dataclass(slots=True)
class _Gathered:
    story: _Definition | None = None
    sections: dict[str, dict[str, _Definition]] = field(default_factory=dict)
    fresh: list[tuple[str, str]] = field(default_factory=list)
    """(section, name) defined by the file just gathered, for `advance`."""


class _Loader(QuickReaders):
    def __init__(self, root: Path) -> None:
        self.root = root
        self.diagnostics: list[Diagnostic] = []
        self.file = ""
        self.texts: dict[str, str] = {}
        self.sources: dict[str, list[str]] = {}
        """Lines of each file, split only when an error inside a block scalar needs them."""
        self.conditions: dict[str, tuple[expr.Node, list[expr.ExprError],
                                         expr.Evaluator | None] | expr.ExprError] = {}
        """Parsed, checked and compiled conditions by source text: stories repeat them."""
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

    # -- reporting ---------------------------------------------------------------------------

    def report(self, pos: Pos, message: str, severity: Severity = "error") -> None:
        self.diagnostics.append(Diagnostic(pos, severity, message))

    def inner_pos(self, node: yaml.Node, offset: int) -> Pos:
        """The position of character `offset` of a scalar's value, as near as YAML allows."""
        start = self.pos(node)
        value = node.value
        style = getattr(node, "style", None)
        if style in ("|", ">"):
            before = value[:offset]
            line = start.line + 1 + before.count("\n")
            lines = self.sources.get(self.file)
            if lines is None:
                lines = self.sources[self.file] = self.texts.get(self.file, "").splitlines()
            indent = 0
            if 0 < line <= len(lines):
                text = lines[line - 1]
                indent = len(text) - len(text.lstrip(" "))
            return Pos(self.file, line, indent + offset - (before.rfind("\n") + 1) + 1)
        if "\n" in value[:offset]:
            return start
        return start.shifted(offset + (1 if style in ("'", '"') else 0))

    # -- generic readers ---------------------------------------------------------------------

    def fields(self, node: yaml.Node, table: Mapping[str, schema.Key], what: str,
               ) -> dict[str, yaml.Node] | None:
        """A mapping's known keys; reports unknown, duplicate and missing ones."""
        quick = self.quick_fields(node, table)
        return quick if quick is not None else self.careful_fields(node, table, what)

    def careful_fields(self, node: yaml.Node, table: Mapping[str, schema.Key], what: str,
                       ) -> dict[str, yaml.Node] | None:
        if not isinstance(node, yaml.MappingNode):
            self.report(self.pos(node), f"{what} must be a mapping of keys, not {describe(node)}")
            return None
        out = {}
        typos: dict[str, yaml.Node] = {}
        for name, key_node, value in self.entries(node, what):
            if name not in table:
                close = closest(name, table)
                hint = (f"; did you mean '{close}'?" if close
                        else f" (expected one of: {', '.join(table)})")
                self.report(self.pos(key_node), f"unknown key '{name}' in {what}{hint}")
                if close is not None:
                    typos.setdefault(close, value)
                continue
            out[name] = value
        for key in table.values():
            if key.required and key.name not in out:
                if key.name in typos:
                    # Already reported as a typo: read it as meant, so that one slip of the
                    # keyboard does not cascade into "unreachable" warnings further on.
                    out[key.name] = typos[key.name]
                else:
                    self.report(self.pos(node), f"{what} is missing '{key.name}'")
        return out

    def plain_tag(self, node: yaml.Node) -> bool:
        """Collections may not carry tags either (`!!set`, `!!python/tuple`, `!custom`)."""
        if node.tag in (yamlsrc.MAP, yamlsrc.SEQ):
            return True
        self.report(self.pos(node), f"unsupported YAML tag {yamlsrc.tag_name(node.tag)!r}; "
                    "story files use plain values only")
        return False

    def entries(self, node: yaml.MappingNode, what: str,
                ) -> Iterator[tuple[str, yaml.Node, yaml.Node]]:
        """Key/value pairs with string keys; duplicate keys reported (PyYAML keeps the last)."""
        if not self.plain_tag(node):
            return
        first: dict[str, int] = {}
        for key_node, value in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == yamlsrc.NULL:
                self.report(self.pos(key_node), f"keys in {what} must be plain names, "
                            f"not {describe(key_node)}")
                continue
            if key_node.tag == yamlsrc.MERGE:
                self.report(self.pos(key_node), "merge keys (<<) are not supported; "
                            "write the keys out")
                continue
            name = str(key_node.value)
            if name in first:
                self.report(self.pos(key_node), f"duplicate key '{name}' in {what} (first at "
                            f"line {first[name]}); YAML would silently keep only the last one")
                continue
            first[name] = key_node.start_mark.line + 1
            yield name, key_node, value

    def text(self, node: yaml.Node, what: str) -> str | None:
        """Any scalar read as the author's words (`title: 2010` is the text '2010')."""
        if isinstance(node, yaml.ScalarNode) and node.tag != yamlsrc.NULL:
            if node.tag in yamlsrc.PLAIN_SCALARS:
                return str(node.value)
            yamlsrc.scalar(node, self.file, self.report)  # reports the foreign tag
            return None
        self.report(self.pos(node), f"{what} must be text, not {describe(node)}")
        return None

    def ident(self, node: yaml.Node, what: str) -> str | None:
        name = self.text(node, what)
        if name is None:
            return None
        if not IDENT.match(name):
            self.report(self.pos(node), f"{what} '{name}' is not a valid id: use letters, "
                        "digits and underscores, not starting with a digit")
            return None
        return name

    def flag(self, node: yaml.Node, what: str) -> bool | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == yamlsrc.BOOL:
            return bool(yamlsrc.scalar(node, self.file, self.report))
        self.report(self.pos(node), f"{what} must be true or false, not {describe(node)}")
        return None

    def literal(self, node: yaml.Node, what: str) -> Value | None:
        if isinstance(node, yaml.ScalarNode):
            if node.tag == yamlsrc.NULL:
                self.report(self.pos(node), f"{what} needs a value (a number, true/false "
                            "or text)")
                return None
            return yamlsrc.scalar(node, self.file, self.report)
        self.report(self.pos(node), f"{what} must be a number, true/false or text, "
                    f"not {describe(node)}")
        return None

    def items(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        if isinstance(node, yaml.SequenceNode):
            return list(node.value) if self.plain_tag(node) else []
        self.report(self.pos(node), f"{what} must be a list (lines starting with '- '), "
                    f"not {describe(node)}")
        return []

    def ids(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node]]:
        """One id or a list of ids."""
        nodes = self.items(node, what) if isinstance(node, yaml.SequenceNode) else [node]
        out = []
        for item in nodes:
            name = self.ident(item, what)
            if name is not None:
                out.append((name, item))
        return out

    # -- pass 1: gather ----------------------------------------------------------------------

    def load(self) -> LoadResult:
        root = self.root
        if root.is_file():
            paths = [root]
        elif root.is_dir():
            paths = story_files(root)
        else:
            self.report(Pos(display_path(root), 1, 1), "no such story folder")
            return LoadResult(None, tuple(self.diagnostics), ())
        files = tuple(display_path(p) for p in paths)
        if not paths:
            self.report(Pos(display_path(root), 1, 1),
                        "no story files here (expected *.yaml or *.yml files)")
        digest = hashlib.sha256()
        unreadable: set[str] = set()
        gathered = _Gathered(sections={name: {} for name in schema.TOP if name != "story"})
        for path, file in zip(paths, files, strict=True):
            self.file = file
            text = yamlsrc.read_text(path, file, self.report)
            if text is None:
                unreadable.add(file)
                continue
            rel = path.relative_to(root).as_posix() if path != root else path.name
            digest.update(rel.encode() + b"\0" + text.encode() + b"\0")
            self.texts[file] = text
            node = yamlsrc.compose(text, file, self.report)
            if node is not None:
                self.gather(node, gathered)
                del node  # the file's tree now lives only in its definitions
                self.advance(gathered)
            else:
                unreadable.add(file)
        story = self.build(gathered, files, digest.hexdigest())
        if story is not None:
            from game.story.lint import lint  # here, not at the top: lint reads the model

            has_errors = any(d.severity == "error" for d in self.diagnostics)
            self.diagnostics.extend(lint(story, partial=has_errors))
        # Files that could not be read come first: what they define is unknown, so they are
        # the likely cause of "no scene" errors elsewhere, and the first thing to fix.
        order = {file: (file not in unreadable, i) for i, file in enumerate(files)}
        diagnostics = tuple(sorted(set(self.diagnostics),
                                   key=lambda d: (order.get(d.pos.file, (False, -1)),
                                                  d.pos.line, d.pos.col, d.message)))
        ok = not any(d.severity == "error" for d in diagnostics)
        return LoadResult(story if ok else None, diagnostics, files)

    def gather(self, node: yaml.Node, into: _Gathered) -> None:
        if isinstance(node, yaml.ScalarNode) and node.tag == yamlsrc.NULL:
            return  # an empty file (or only comments) is fine
        top = self.fields(node, schema.TOP, "a story file")
        if top is None:
            return
        for section, value in top.items():
            if section == "story":
                if into.story is not None:
                    self.report(self.pos(value), "'story' is defined twice (first at "
                                f"{into.story.pos}); a story folder has exactly one")
                else:
                    into.story = _Definition(value, self.pos(value), self.file)
                continue
            if isinstance(value, yaml.ScalarNode) and value.tag == yamlsrc.NULL:
                continue  # `facts:` with nothing under it yet
            if not isinstance(value, yaml.MappingNode):
                self.report(self.pos(value), f"'{section}' must be a mapping of ids to "
                            f"definitions, not {describe(value)}")
                continue
            defined = into.sections[section]
            what = section[:-1]
            for name, key_node, definition in self.entries(value, f"'{section}'"):
                here = self.pos(key_node)
                if not IDENT.match(name):
                    self.report(here, f"{what} id '{name}' is not valid: use letters, digits "
                                "and underscores, not starting with a digit")
                    continue
                if name in defined:
                    first = defined[name].pos
                    if first.file != here.file:
                        self.report(here, f"{what} '{name}' is defined twice "
                                    f"(first at {first})")
                    continue
                defined[name] = _Definition(definition, here, self.file)
                into.fresh.append((section, name))

    # -- pass 2: build -----------------------------------------------------------------------

    def build(self, gathered: _Gathered, files: tuple[str, ...], digest: str) -> Story | None:
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
                                f"twice (first at {first.pos}); send both paths to one scene")
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

    def advance(self, gathered: _Gathered) -> None:
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
            self.file = d.file
            if section == "variables":
                default = self.literal(d.node, f"variable '{name}'")
                if default is not None:
                    self.variables[name] = Variable(name, default, d.pos)
                    self.kinds[name] = type(default)
            elif section == "facts":
                self.fact_ids.add(name)
                fact = self.fact(name, d)
                if fact is not None:
                    self.facts[name] = fact
            elif section == "scenes":
                self.scene_ids.add(name)
                scenes.append((name, d))
        gathered.fresh.clear()
        for name, d in scenes:
            self.try_scene(name, d)

    def try_scene(self, name: str, d: _Definition) -> None:
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
            self.report(pos, f"{what}: no scene '{name}'{hint}")
            bad.setdefault(scene, {})[name] = close
        for scene_id, renames in bad.items():
            old = self.prebuilt[scene_id]
            choices = []
            for choice in old.choices:
                if choice.goto not in renames:
                    choices.append(choice)
                elif (new := renames[choice.goto]) is not None:
                    choices.append(replace(choice, goto=new))
            next_id = old.next
            if next_id in renames:
                next_id = renames[next_id]
            self.prebuilt[scene_id] = replace(old, choices=tuple(choices), next=next_id)

    def header(self, d: _Definition | None, files: tuple[str, ...],
               ) -> tuple[str, str, str | None, str, Pos] | None:
        if d is None:
            if files:
                self.report(Pos(files[0], 1, 1), "no 'story:' section in any file; add one "
                            "with id, title and start")
            return None
        self.file = d.file
        f = self.fields(d.node, schema.STORY, "'story'")
        if f is None:
            return None
        story_id = self.text(f["id"], "story id") if "id" in f else None
        if story_id is not None and not SLUG.match(story_id):
            self.report(self.pos(f["id"]), f"story id '{story_id}' must be lowercase letters, "
                        "digits, '-' and '_'")
            story_id = None
        title = self.text(f["title"], "story title") if "title" in f else None
        subtitle = self.text(f["subtitle"], "subtitle") if "subtitle" in f else None
        start = self.ident(f["start"], "start") if "start" in f else None
        if start is not None and start not in self.scene_ids:
            self.report(self.pos(f["start"]), f"start scene '{start}' does not exist"
                        f"{did_you_mean(start, sorted(self.scene_ids))}")
            start = None
        if story_id is None or title is None or start is None:
            return None
        return story_id, title, subtitle, start, d.pos

    def fact(self, name: str, d: _Definition) -> Fact | None:
        f = self.fields(d.node, schema.FACT, f"fact '{name}'")
        if f is None:
            return None
        values = {key: self.text(node, f"{key} of fact '{name}'") for key, node in f.items()}
        title, text = values.get("title"), values.get("text")
        if title is None or text is None:
            return None
        return Fact(name, title, text, values.get("source") or "", values.get("hint"),
                    values.get("chapter"), d.pos)

    def scene(self, name: str, d: _Definition) -> Scene | None:
        f = self.fields(d.node, schema.SCENE, f"scene '{name}'")
        if f is None:
            return None
        where = f"scene '{name}'"
        title = chapter = None
        if "title" in f:
            title = plain_text(f["title"]) or self.text(f["title"], f"title of {where}")
        if "chapter" in f:
            chapter = (plain_text(f["chapter"])
                       or self.text(f["chapter"], f"chapter of {where}"))
        paragraphs = self.paragraphs(f["text"], where) if "text" in f else ()
        on_enter = self.effects(f["on_enter"], where) if "on_enter" in f else ()
        exits = [k for k in ("choices", "next", "ending") if k in f]
        choices: tuple[Choice, ...] = ()
        next_id = None
        ending = None
        if not exits:
            self.report(d.pos, f"{where} is a dead end: give it 'choices', 'next' or 'ending'")
        elif len(exits) > 1:
            self.report(self.pos(f[exits[1]]), f"{where} has both '{exits[0]}' and "
                        f"'{exits[1]}'; use one of choices, next or ending")
        if "choices" in f:
            choices = self.choices(f["choices"], name)
        if "next" in f:
            next_id = self.target(f["next"], f"next of {where}")
            if next_id is not None:
                here = self.pos(f["next"])
                choices += (Choice("continue", Template(("Continue",)), next_id, None, (),
                                   False, here, here, is_continue=True),)
        if "ending" in f:
            if isinstance(f["ending"], yaml.ScalarNode):
                self.report(self.pos(f["ending"]), f"ending of {where} needs an id and a "
                            f"title, like: ending: {{id: {f['ending'].value}, title: ...}}")
            e = (self.fields(f["ending"], schema.ENDING, f"ending of {where}")
                 if isinstance(f["ending"], yaml.MappingNode) else None)
            if e is not None and "id" in e and "title" in e:
                ending_id = self.ident(e["id"], "ending id")
                ending_title = self.text(e["title"], "ending title")
                if ending_id is not None and ending_title is not None:
                    ending = Ending(ending_id, ending_title, self.pos(f["ending"]), name)
        if title is None:
            title = name.replace("_", " ").capitalize()
        return Scene(name, title, chapter, paragraphs, on_enter, choices, next_id, ending,
                     d.pos)

    def target(self, node: yaml.Node, what: str) -> str | None:
        """A scene id that exists. After reporting a typo, the closest match stands in for it:
        the story will not play either way, and lint then sees the path the author meant."""
        name = self.ident(node, what)
        if name is not None and name not in self.scene_ids:
            if self.defer_target(name, node, what):
                return name
            close = closest(name, sorted(self.scene_ids))
            hint = f"; did you mean '{close}'?" if close else ""
            self.report(self.pos(node), f"{what}: no scene '{name}'{hint}")
            return close
        return name

    def paragraphs(self, node: yaml.Node, where: str) -> tuple[Paragraph, ...]:
        quick = self.quick_paragraphs(node)
        if quick is not None:
            return quick
        if not isinstance(node, yaml.SequenceNode):
            template = self.template(node, f"text of {where}")
            return () if template is None else (Paragraph(template, None, self.pos(node)),)
        out = []
        for item in self.items(node, f"text of {where}"):
            if isinstance(item, yaml.MappingNode) and not any(
                    isinstance(k, yaml.ScalarNode) and k.value in schema.PARAGRAPH
                    for k, _ in item.value):
                self.report(self.pos(item), f"a paragraph of {where} was read as a mapping "
                            "because of a ': ' in it; put the paragraph in quotes")
                continue
            if isinstance(item, yaml.MappingNode):
                f = self.fields(item, schema.PARAGRAPH, f"a paragraph of {where}")
                if f is None or "text" not in f or "if" not in f:
                    continue
                template = self.template(f["text"], f"text of {where}")
                condition = self.condition(f["if"])
                if template is not None and condition is not None:
                    out.append(Paragraph(template, condition, self.pos(item)))
            else:
                template = self.template(item, f"a paragraph of {where}")
                if template is not None:
                    out.append(Paragraph(template, None, self.pos(item)))
        return tuple(out)

    def template(self, node: yaml.Node, what: str) -> Template | None:
        text = self.text(node, what)
        if text is None:
            return None
        if "{" not in text and "}" not in text:
            return Template((text,))
        parts = [""]
        ok = True
        last = 0
        for match in HOLE.finditer(text):
            parts[-1] += text[last:match.start()]
            last = match.end()
            token = match.group(0)
            if token in ("{{", "}}"):
                parts[-1] += token[0]
            elif match.group(1) is None:
                ok = False
                self.report(self.inner_pos(node, match.start()), f"stray '{token}' in {what}; "
                            "write {{ or }} for a literal brace")
            else:
                name = match.group(1).strip()
                if not IDENT.match(name):
                    ok = False
                    self.report(self.inner_pos(node, match.start()),
                                f"{{{name}}} in {what}: only a variable name can go between "
                                "{ and } (write {{ or }} for a literal brace)")
                elif name not in self.variables:
                    ok = False
                    hint = did_you_mean(name, sorted(self.variables))
                    self.report(self.inner_pos(node, match.start()),
                                f"{{{name}}} in {what} is not a declared variable{hint}")
                parts.extend((name, ""))
        parts[-1] += text[last:]
        return Template(tuple(parts)) if ok else None

    def condition(self, node: yaml.Node) -> Condition | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == yamlsrc.BOOL:
            source = "true" if yamlsrc.scalar(node, self.file, self.report) else "false"
        else:
            text = self.text(node, "a condition")
            if text is None:
                return None
            source = text
        known = self.conditions.get(source)
        if known is None:
            known = self.compile_condition(source)
        if isinstance(known, expr.ExprError):
            self.report(self.inner_pos(node, known.offset), f"bad condition: {known.message}")
            return None
        tree, problems, evaluate = known
        for problem in problems:
            self.report(self.inner_pos(node, problem.offset), problem.message)
        if evaluate is None:
            return None
        return Condition(source, tree, self.pos(node), evaluate)

    def compile_condition(self, source: str) -> tuple[expr.Node, list[expr.ExprError],
                                                      expr.Evaluator | None] | expr.ExprError:
        """Parsed, checked and (when sound) compiled, once per distinct text in a story."""
        try:
            tree = expr.parse(source)
        except expr.ExprError as exc:
            known: (tuple[expr.Node, list[expr.ExprError], expr.Evaluator | None]
                    | expr.ExprError) = exc
        else:
            problems = expr.check(tree, variables=self.kinds, scenes=self.scene_ids,
                                  facts=self.fact_ids)
            known = (tree, problems, None if problems else expr.compile_expr(tree))
        self.conditions[source] = known
        if self.trial:
            self.trial_sources.append(source)
        return known

    def effects(self, node: yaml.Node, where: str) -> tuple[Effect, ...]:
        quick = self.quick_effects(node)
        if quick is not None:
            return quick
        out: list[Effect] = []
        for item in self.items(node, f"effects of {where}"):
            f = self.fields(item, schema.EFFECT, f"an effect of {where}")
            if f is None:
                continue
            if not f:
                self.report(self.pos(item), "an effect needs one of set, add or unlock")
            for kind, value in f.items():
                if kind == "unlock":
                    for fact, fnode in self.ids(value, "unlock"):
                        if fact not in self.fact_ids:
                            self.report(self.pos(fnode), f"unlock: no fact '{fact}'"
                                        f"{did_you_mean(fact, sorted(self.fact_ids))}")
                        else:
                            out.append(Effect("unlock", fact, True, self.pos(fnode)))
                    continue
                if not isinstance(value, yaml.MappingNode):
                    self.report(self.pos(value), f"{kind} takes a mapping like "
                                f"{{{kind}: {{name: value}}}}, not {describe(value)}")
                    continue
                for var, key_node, vnode in self.entries(value, kind):
                    effect = self.assignment(kind, var, key_node, vnode)
                    if effect is not None:
                        out.append(effect)
        return tuple(out)

    def assignment(self, kind: str, var: str, key_node: yaml.Node, vnode: yaml.Node,
                   label: str | None = None) -> Effect | None:
        """A `set`/`add` (or an expected value) of the variable's declared type.

        Whole-number variables stay whole: `add: {n: 1.5}` would silently turn one into a
        decimal, so it is refused like `set: {n: 1.5}`.
        """
        label = label or kind
        declared = self.variables.get(var)
        if declared is None:
            self.report(self.pos(key_node), f"{label}: '{var}' is not a declared variable"
                        f"{did_you_mean(var, sorted(self.variables))}")
            return None
        value = self.literal(vnode, f"{label} {var}")
        if value is None:
            return None
        want = type(declared.default)
        got = type(value)
        written = _as_written(vnode, value)
        if kind == "add":
            if want not in (int, float) or got not in (int, float):
                self.report(self.pos(vnode), f"add works on numbers; '{var}' is "
                            f"{_kind_name(want)} and {written} is {_kind_name(got)}")
                return None
            if want is int and got is float:
                self.report(self.pos(vnode), f"add {var}: {written} is a decimal number but "
                            f"'{var}' is a whole number (declared at {declared.pos})")
                return None
        elif not (got is want or (want is float and got is int)):
            self.report(self.pos(vnode), f"{label} {var}: {written} is {_kind_name(got)} but "
                        f"'{var}' is {_kind_name(want)} (declared at {declared.pos})")
            return None
        if kind == "set" and want is float:
            value = float(value)
        return Effect("add" if kind == "add" else "set", var, value, self.pos(vnode))

    def choices(self, node: yaml.Node, scene: str) -> tuple[Choice, ...]:
        where = f"scene '{scene}'"
        items = self.items(node, f"choices of {where}")
        if isinstance(node, yaml.SequenceNode) and not items:
            self.report(self.pos(node), f"{where} has an empty choices list (a dead end)")
        out: list[Choice] = []
        ids: dict[str, Pos] = {}
        for item in items:
            choice = self.quick_choice(item, ids)
            if choice is not None:
                ids[choice.id] = choice.pos
                out.append(choice)
                continue
            f = self.fields(item, schema.CHOICE, f"a choice of {where}")
            if f is None:
                continue
            text = self.template(f["text"], f"a choice of {where}") if "text" in f else None
            goto = self.target(f["goto"], "goto") if "goto" in f else None
            condition = self.condition(f["if"]) if "if" in f else None
            effects = self.effects(f["effects"], where) if "effects" in f else ()
            once = self.flag(f["once"], "once") if "once" in f else False
            if "id" in f:
                choice_id = self.ident(f["id"], "choice id")
                if choice_id is not None and choice_id in ids:
                    self.report(self.pos(f["id"]), f"choice id '{choice_id}' is used twice "
                                f"in {where} (first at line {ids[choice_id].line})")
                    choice_id = None
            elif text is not None:
                base = slugify(str(text))
                choice_id, n = base, 2
                while choice_id in ids:
                    choice_id, n = f"{base}_{n}", n + 1
            else:
                choice_id = None
            if goto is None:
                continue
            if (text is None or choice_id is None or once is None
                    or ("if" in f and condition is None)):
                # Already reported. Keep the way on, so lint does not add "unreachable"
                # warnings for the scenes behind it; a story with errors never plays.
                text, choice_id, once, condition = (text or Template(("?",)),
                                                    f"?{len(out)}", False, None)
            here = ids[choice_id] = self.pos(item)
            out.append(Choice(choice_id, text, goto, condition, effects, once, here,
                              self.pos(f["goto"])))
        return tuple(out)

    # -- playthroughs ------------------------------------------------------------------------

    def playthrough(self, name: str, d: _Definition,
                    endings: Mapping[str, Ending]) -> Playthrough | None:
        f = self.fields(d.node, schema.PLAYTHROUGH, f"playthrough '{name}'")
        if f is None or "steps" not in f:
            return None
        steps = []
        for item in self.items(f["steps"], f"steps of playthrough '{name}'"):
            if isinstance(item, yaml.MappingNode):
                s = self.fields(item, schema.STEP, "a step")
                if s is None or "choose" not in s:
                    continue
                choose = self.text(s["choose"], "choose")
                expect = self.expectation(s["expect"], endings) if "expect" in s else None
            else:
                choose, expect = self.text(item, "a step"), None
            if choose is not None:
                steps.append(Step(choose, expect, self.pos(item)))
        final = self.expectation(f["expect"], endings) if "expect" in f else None
        return Playthrough(name, tuple(steps), final, d.pos)

    def expectation(self, node: yaml.Node, endings: Mapping[str, Ending]) -> Expectation | None:
        f = self.fields(node, schema.EXPECT, "expect")
        if f is None:
            return None
        scene = self.target(f["scene"], "expect scene") if "scene" in f else None
        ending = self.ident(f["ending"], "expect ending") if "ending" in f else None
        if ending is not None and ending not in endings:
            self.report(self.pos(f["ending"]), f"expect: no ending '{ending}'"
                        f"{did_you_mean(ending, sorted(endings))}")
        facts = []
        for fact, fnode in (self.ids(f["facts"], "expect facts") if "facts" in f else []):
            if fact not in self.fact_ids:
                self.report(self.pos(fnode), f"expect: no fact '{fact}'"
                            f"{did_you_mean(fact, sorted(self.fact_ids))}")
            facts.append(fact)
        values: dict[str, Value] = {}
        if "variables" in f:
            vnode = f["variables"]
            if isinstance(vnode, yaml.MappingNode):
                for var, key_node, value_node in self.entries(vnode, "expect variables"):
                    effect = self.assignment("set", var, key_node, value_node, "expect")
                    if effect is not None:
                        values[var] = effect.value
            else:
                self.report(self.pos(vnode), "expect variables must be a mapping")
        return Expectation(scene, ending, tuple(facts), MappingProxyType(values), self.pos(node))


def _kind_name(kind: type) -> str:
    return {bool: "true/false", int: "a whole number", float: "a decimal number",
            str: "text"}.get(kind, kind.__name__)


def _as_written(node: yaml.Node, value: Value) -> str:
    """The value as the author typed it, with YAML's reading when that is the surprise."""
    raw = str(getattr(node, "value", value))
    if isinstance(value, bool) and raw.lower() not in ("true", "false"):
        return f"'{raw}' (which YAML reads as {str(value).lower()}; quote it for text)"
    return repr(value) if isinstance(value, str) else raw

