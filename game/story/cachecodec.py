"""The cache entry's payload: a checked story as nested tuples of plain values, and back.

`cache.py` decides where entries live, when one is valid and how it is written; this module
is only the encoding, so a new field of the model is added in one place (the `_Encoder`
method and its `_Decoder` twin, `cachecheck` for its shape, and a bump of `FORMAT`).
Decoding builds the model's own frozen values through `construct`'s fast makers; scenes are
left as blobs (`CachedScenes`) and decoded one at a time on first use.
"""

from __future__ import annotations

import marshal
import zlib
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from game.story import cachecheck
from game.story.cachedscenes import CachedScenes, FileBlobs
from game.story.construct import fast_constructor
from game.story.diagnostics import Diagnostic, Related
from game.story.folder import LoadResult
from game.story.model import (
    Ending,
    Expectation,
    Fact,
    Playthrough,
    Pos,
    Step,
    Story,
    Variable,
    new_pos,
)

if TYPE_CHECKING:
    from game.story import expr
    from game.story.scene import Condition, Effect, Part, Scene, Template

FORMAT = 12
"""Bump whenever the encoding below changes; older entries are then ignored and rebuilt."""
_MARSHAL_VERSION = 4

Encoded = tuple[Any, ...]


# -- encoding: model -> tuples ------------------------------------------------------------------

class _Encoder:
    """Positions become (file index, line, col), with file names listed once."""

    def __init__(self, files: tuple[str, ...]) -> None:
        self.files = list(files)
        self.index = {name: i for i, name in enumerate(files)}

    def pos(self, pos: Pos) -> Encoded:
        i = self.index.get(pos.file)
        if i is None:
            i = self.index[pos.file] = len(self.files)
            self.files.append(pos.file)
        return (i, pos.line, pos.col)

    def condition(self, c: Condition | None) -> Encoded | None:
        return None if c is None else (c.source, _node(c.node), self.pos(c.pos))

    def effects(self, effects: tuple[Effect, ...]) -> Encoded:
        """(kind, target, value, pos), and for a compute its expression as a condition."""
        return tuple((e.kind, e.target, e.value, self.pos(e.pos)) if e.expression is None
                     else (e.kind, e.target, e.value, self.pos(e.pos),
                           self.condition(e.expression)) for e in effects)

    def text(self, t: Template) -> Encoded:
        """A Template's parts as they are (v1 text: strings only); a variation (format v2)
        becomes (kind, salt, source, condition, items), each item encoded the same way."""
        return t.parts if all(type(p) is str for p in t.parts) else self.parts(t.parts)

    def parts(self, parts: tuple[Part, ...]) -> Encoded:
        return tuple(p if type(p) is str else (
            p.kind, p.salt, p.source, self.condition(p.condition),  # type: ignore[union-attr]
            tuple(self.parts(item) for item in p.items))  # type: ignore[union-attr]
            for p in parts)

    def ending(self, e: Ending | None) -> Encoded | None:
        return None if e is None else (e.id, e.title, self.pos(e.pos), e.scene, e.hint)

    def scene(self, s: Scene) -> bytes:
        data = (
            s.id, s.title, s.chapter,
            tuple((self.text(p.text), self.condition(p.condition), self.pos(p.pos))
                  for p in s.paragraphs),
            self.effects(s.on_enter),
            tuple((c.id, self.text(c.text), c.goto, self.condition(c.condition),
                   self.effects(c.effects), c.once, self.pos(c.pos), self.pos(c.goto_pos),
                   c.is_continue, self.condition(c.enabled),
                   None if c.reason is None else self.text(c.reason), c.call, c.then, c.returns)
                  for c in s.choices),
            s.next, self.ending(s.ending), self.pos(s.pos), s.returns,
        )
        return marshal.dumps(data, _MARSHAL_VERSION)

    def expectation(self, e: Expectation | None) -> Encoded | None:
        if e is None:
            return None
        return (e.scene, e.ending, e.facts, tuple(e.variables.items()), self.pos(e.pos))

    def story(self, story: Story) -> Encoded:
        return (
            story.id, story.title, story.subtitle, story.start, story.content_hash,
            self.pos(story.pos),
            tuple((v.name, v.default, self.pos(v.pos), v.items, v.lo, v.hi)
                  for v in story.variables.values()),
            tuple((f.id, f.title, f.text, f.source, f.hint, f.chapter, self.pos(f.pos))
                  for f in story.facts.values()),
            tuple(self.ending(e) for e in story.endings.values()),
            tuple((p.name, tuple((s.choose, self.expectation(s.expect), self.pos(s.pos))
                                 for s in p.steps), self.expectation(p.expect),
                   self.pos(p.pos), p.seed) for p in story.playthroughs.values()),
            tuple(story.scenes),
        )


def _node(tree: expr.Node) -> Encoded:
    """A condition tree as a flat tuple of node records, children before their parent (the
    walker's bottom-up order), so that rebuilding it is one loop over a stack."""
    from game.story import expr  # loaded already: encoding follows a cold load

    records: list[Encoded] = []
    for n in expr.walk(tree, bottom_up=True):
        match n:
            case expr.Literal(value=value, offset=offset):
                records.append((0, value, offset))
            case expr.Var(name=name, offset=offset):
                records.append((1, name, offset))
            case expr.Call(func=func, arg=arg, arg_offset=arg_offset, offset=offset):
                records.append((2, func, arg, arg_offset, offset))
            case expr.Unary(op=op, offset=offset):
                records.append((3, op, offset))
            case expr.Binary(op=op, offset=offset):
                records.append((4, op, offset))
            case expr.Apply(func=func, args=args, offset=offset):
                records.append((5, func, len(args), offset))
    return tuple(records)


def encode(result: LoadResult) -> bytes:
    """A load result as the entry's payload: an 8-byte length, the marshalled head (nested
    tuples of plain values, with each scene's blob length), then the scenes' blobs.

    The blobs stay outside the head so that reading an entry back never copies them: a
    10,000-scene story's ~11 MB are sliced from the bytes already read, one scene at a time.
    """
    enc = _Encoder(result.files)
    blobs: list[bytes] = []
    story = None
    if result.story is not None:
        blobs = [enc.scene(scene) for scene in result.story.scenes.values()]
        story = (*enc.story(result.story), tuple(zlib.crc32(blob) for blob in blobs),
                 tuple(len(blob) for blob in blobs))
    diagnostics = tuple((enc.pos(d.pos), d.severity, d.message, d.code,
                         tuple((enc.pos(r.pos), r.note) for r in d.related))
                        for d in result.diagnostics)
    head = marshal.dumps((FORMAT, result.files, tuple(enc.files), diagnostics, story),
                         _MARSHAL_VERSION)
    return b"".join([len(head).to_bytes(8, "big"), head, *blobs])


# -- decoding: tuples -> model ------------------------------------------------------------------

_new_fact = fast_constructor(Fact, ("id", "title", "text", "source", "hint", "chapter", "pos"))
"""`Fact(...)` at half the cost (`construct`): a big story's head holds hundreds."""


class _Decoder:
    def __init__(self, files: tuple[str, ...],
                 context: cachecheck.Context | None = None) -> None:
        self.files = files
        self.compiled: dict[str, tuple[expr.Node, expr.Evaluator]] = {}
        self.context = context
        """What the head declared, to check each scene against as it is decoded."""

    def pos(self, data: Encoded) -> Pos:
        i, line, col = data
        return new_pos(self.files[i], line, col)

    def condition(self, data: Encoded | None) -> Condition | None:
        if data is None:
            return None
        from game.story.scene import Condition  # scenes are decoded after start-up

        source, node_data, pos = data
        known = self.compiled.get(source)
        if known is None:
            from game.story import expr  # on the first scene decoded, not at start-up

            node = cachecheck.tree(node_data, expr)  # checked before this scene was
            known = self.compiled[source] = (node, expr.compile_expr(node))
        return Condition(source, known[0], self.pos(pos), known[1])

    def parts(self, data: Encoded) -> tuple[Part, ...]:
        """The inverse of `_Encoder.text` (checked by `cachecheck._template` already)."""
        if all(type(p) is str for p in data):
            return data
        from game.story.scene import Variation

        return tuple(p if type(p) is str else Variation(
            p[0], tuple(self.parts(item) for item in p[4]), self.condition(p[3]), p[1], p[2])
            for p in data)

    def effects(self, data: Encoded) -> tuple[Effect, ...]:
        from game.story.scene import Effect

        return tuple(Effect(kind, target, value, self.pos(pos)) if not computed
                     else Effect(kind, target, value, self.pos(pos),
                                 self.condition(computed[0]))
                     for kind, target, value, pos, *computed in data)

    def ending(self, data: Encoded | None) -> Ending | None:
        if data is None:
            return None
        ending_id, title, pos, scene, hint = data
        return Ending(ending_id, title, self.pos(pos), scene, hint)

    def scene(self, blob: bytes | memoryview) -> Scene:
        from game.story.scene import Scene, new_choice, new_paragraph, new_template

        data = cachecheck.loads(blob)  # part of the checksummed payload
        if self.context is not None:
            cachecheck.scene(data, data[0] if type(data) is tuple and data else "",
                             self.context)
        (scene_id, title, chapter, paragraphs, on_enter, choices, next_id, ending,
         pos, returns) = data
        return Scene(
            scene_id, title, chapter,
            tuple(new_paragraph(new_template(self.parts(parts)), self.condition(cond),
                                self.pos(p))
                  for parts, cond, p in paragraphs),
            self.effects(on_enter),
            tuple(new_choice(choice_id, new_template(self.parts(parts)), goto,
                             self.condition(cond),
                             self.effects(effects), once, self.pos(p),
                             self.pos(goto_pos), is_continue, self.condition(enabled),
                             None if reason is None else new_template(self.parts(reason)),
                             call, then, back)
                  for (choice_id, parts, goto, cond, effects, once, p, goto_pos, is_continue,
                       enabled, reason, call, then, back) in choices),
            next_id, self.ending(ending), self.pos(pos), returns,
        )

    def expectation(self, data: Encoded | None) -> Expectation | None:
        if data is None:
            return None
        scene, ending, facts, variables, pos = data
        return Expectation(scene, ending, tuple(facts), MappingProxyType(dict(variables)),
                           self.pos(pos))

    def story(self, data: Encoded, files: tuple[str, ...],
              blobs: memoryview | FileBlobs) -> Story:
        (story_id, title, subtitle, start, content_hash, pos, variables, facts, endings,
         playthroughs, scene_ids, blob_crcs, blob_sizes) = data
        if (len(scene_ids) != len(blob_sizes) or len(blob_crcs) != len(blob_sizes)
                or sum(blob_sizes) != len(blobs)):
            raise ValueError("scene blobs do not add up")
        decoded_endings = [self.ending(e) for e in endings]
        return Story(
            id=story_id, title=title, subtitle=subtitle, start=start,
            variables=MappingProxyType({name: Variable(name, default, self.pos(p), items, lo,
                                                       hi)
                                        for name, default, p, items, lo, hi in variables}),
            facts=MappingProxyType({
                fact_id: _new_fact(fact_id, fact_title, text, source, hint, chapter,
                                   self.pos(p))
                for fact_id, fact_title, text, source, hint, chapter, p in facts}),
            scenes=CachedScenes(scene_ids, blob_sizes, blob_crcs, blobs, self.scene),
            endings=MappingProxyType({e.id: e for e in decoded_endings if e is not None}),
            playthroughs=MappingProxyType({
                name: Playthrough(name, tuple(Step(choose, self.expectation(expect),
                                                   self.pos(p)) for choose, expect, p in steps),
                                  self.expectation(expect), self.pos(p), seed)
                for name, steps, expect, p, seed in playthroughs}),
            files=files, content_hash=content_hash, pos=self.pos(pos),
        )


def decode(payload: memoryview, trusted: bool = False) -> LoadResult:
    """The inverse of `encode`; raises ValueError/TypeError/... on data of the wrong shape.
    `trusted`: the head carries this user's signature (`cachesign`), so it is not walked."""
    size = int.from_bytes(payload[:8], "big")
    if not 8 < 8 + size <= len(payload):
        raise ValueError("head size out of range")
    return decode_head(payload[8:8 + size], payload[8 + size:], trusted)


def decode_head(raw: bytes | memoryview, blobs: memoryview | FileBlobs,
                trusted: bool = False) -> LoadResult:
    """The result from the marshalled head and the scene blobs (`decode`'s two halves)."""
    if trusted:
        head = marshal.loads(raw)  # noqa: S302 - signed by this user's game
        context = None  # read off the head below, with the scenes' own index as their ids
    else:
        head = cachecheck.loads(raw)  # counts checked before marshal's
        context = cachecheck.head(head)  # Malformed (a ValueError): what cold would not give
    version, files, pos_files, diagnostics, story = head
    if version != FORMAT:
        raise ValueError(f"cache format {version!r}")
    dec = _Decoder(tuple(pos_files), context)
    decoded = None if story is None else dec.story(story, tuple(files), blobs)
    if trusted and decoded is not None:
        assert isinstance(decoded.scenes, CachedScenes)
        dec.context = cachecheck.trusted_context(head, decoded.scenes.ids)
    return LoadResult(
        decoded,
        tuple(Diagnostic(dec.pos(p), severity, message, code,
                         tuple(Related(dec.pos(where), note) for where, note in related))
              for p, severity, message, code, related in diagnostics),
        tuple(files),
    )
