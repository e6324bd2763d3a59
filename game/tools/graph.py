"""The story map: scenes and the choices between them, for Graphviz (DOT) and Mermaid.

Both formats show the same things: one node per scene, grouped by chapter (DOT clusters,
Mermaid subgraphs); the start marked by an arrow from a "start" dot; endings drawn as double
boxes with the ending's id (and name); a `next:` as a dashed arrow; a `call:` (format v2)
as a bold arrow (Mermaid: `==>`) labelled `call` (with its `then:`), and a `return: true`
as a dashed blue arrow labelled `return` to each scene it may go back to (its caller, or
the call's `then:`); a conditional choice
labelled `if: CONDITION` in canonical form (`expr.unparse`), a once-only choice labelled `once`,
one whose effects roll a `random()` (format v2) labelled `random`; a
choice that can be locked (format v2's `enabled`) labelled `enabled: CONDITION` and drawn
as a gate (DOT: dotted, in amber, with a tee head; Mermaid: a `--x` arrow); and
every scene that nothing can reach (the checker's reachability) drawn dashed in red and
labelled UNREACHABLE. Choices between the same two scenes under the same label are drawn as
one arrow, so a scene with five ways into the next one stays readable.

Scene ids are always valid identifiers, but both formats have reserved words and Mermaid has
more (`end`, `graph`, ids beginning with `o` or `x` after an arrow), so DOT ids are quoted and
Mermaid ids are generated (`s0`, `s1`, ...), with every piece of author text escaped for the
format it goes into. The output renders with `dot -Tsvg` or `mmdc` without edits.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from game.story import expr
from game.story.calls import Calls
from game.story.model import Choice, Scene, Story
from game.story.reach import reachable_scenes

Format = Literal["dot", "mermaid"]
FORMATS: tuple[Format, ...] = ("dot", "mermaid")


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    label: str
    """'' for a plain choice; 'if: ...', 'enabled: ...', 'once' or several for the others."""
    is_next: bool
    texts: tuple[str, ...]
    """The texts of the choices drawn as this arrow (for DOT tooltips)."""
    locked: bool = False
    """The choices of this arrow have an `enabled`: shown, but locked while it is false."""
    flow: Literal["goto", "call", "return"] = "goto"
    """A call (format v2) is drawn bold and labelled `call`; a return dashed, labelled
    `return`, to each scene it may go back to (`calls.Calls.returns_to`)."""


@dataclass(frozen=True, slots=True)
class Map:
    """What both renderers draw, worked out once."""

    story: Story
    chapters: tuple[tuple[str, tuple[Scene, ...]], ...]
    loose: tuple[Scene, ...]
    """Scenes without a chapter, drawn outside every group."""
    edges: tuple[Edge, ...]
    unreachable: frozenset[str]


def story_map(story: Story) -> Map:
    grouped: dict[str, list[Scene]] = {chapter: [] for chapter in story.chapters()}
    loose = []
    for scene in story.scenes.values():
        if scene.chapter is None:
            loose.append(scene)
        else:
            grouped[scene.chapter].append(scene)
    reachable = reachable_scenes(story)
    return Map(
        story=story,
        chapters=tuple((name, tuple(scenes)) for name, scenes in grouped.items() if scenes),
        loose=tuple(loose),
        edges=tuple(_edges(story)),
        unreachable=frozenset(s for s in story.scenes if s not in reachable),
    )


def _rolls(choice: Choice) -> bool:
    """Whether taking the choice rolls a `random()` (format v2's `compute`)."""
    return any(effect.expression is not None and any(
        isinstance(n, expr.Apply) and n.func == expr.RANDOM
        for n in expr.walk(effect.expression.node)) for effect in choice.effects)


def _edges(story: Story) -> Iterator[Edge]:
    calls = Calls.of(story)
    for scene in story.scenes.values():
        merged: dict[tuple[str, str, bool, bool, bool], list[str]] = {}
        for choice in scene.choices:
            if choice.returns:
                continue  # drawn below, to where it goes back
            parts = []
            if choice.call:
                parts.append("call" if choice.then is None else f"call, then: {choice.then}")
            if choice.condition is not None:
                parts.append(f"if: {expr.unparse(choice.condition.node)}")
            if choice.enabled is not None:
                parts.append(f"enabled: {expr.unparse(choice.enabled.node)}")
            if choice.once:
                parts.append("once")
            if _rolls(choice):
                parts.append("random")
            key = (choice.goto, ", ".join(parts), choice.is_continue,
                   choice.enabled is not None, choice.call)
            merged.setdefault(key, []).append(str(choice.text))
        for (target, label, is_next, locked, call), texts in merged.items():
            yield Edge(scene.id, target, label, is_next, tuple(texts), locked,
                       "call" if call else "goto")
        if scene.returns and calls is not None:
            for point in sorted(calls.returns_to.get(scene.id, ())):
                yield Edge(scene.id, point, "return", False, ("Continue",), flow="return")


def render(story: Story, fmt: Format) -> str:
    the_map = story_map(story)
    return dot(the_map) if fmt == "dot" else mermaid(the_map)


def ending_line(scene: Scene) -> str:
    """`ending 'id': Title`: the id is what playthroughs expect; the title unless the scene's
    own title already says it."""
    assert scene.ending is not None
    ending = scene.ending
    if ending.title in scene.title:
        return f"ending '{ending.id}'"
    return f"ending '{ending.id}': {ending.title}"


# -- Graphviz -----------------------------------------------------------------------------------

def dot_string(text: str) -> str:
    """A DOT quoted string that Graphviz shows exactly as written.

    Backslashes are doubled because a backslash in a label starts an escape (a line break, the
    node's name...), and `&` is written `&amp;` because Graphviz decodes HTML entities in
    every label.
    """
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;")
               .replace("\r", "").replace("\n", "\\n"))
    return f'"{escaped}"'


_DOT_START = dot_string("(start)")  # parentheses: no scene id can be this


def dot(m: Map) -> str:
    story = m.story
    out = [
        f"// Story map of {story.title!r}, made by `offscreen graph --format dot`.",
        "// Render it with Graphviz: dot -Tsvg map.dot -o map.svg",
        "digraph story {",
        f"  graph [label={dot_string(story.title)}, labelloc=t, fontsize=20, "
        'fontname="Helvetica", rankdir=TB, newrank=true];',
        '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", '
        "fontsize=11];",
        '  edge [fontname="Helvetica", fontsize=9, color="#555555", fontcolor="#333333"];',
        f'  {_DOT_START} [label="start", shape=circle, style=filled, fillcolor="#222222", '
        'fontcolor="#ffffff", fontsize=9, width=0.5, fixedsize=true];',
        f"  {_DOT_START} -> {dot_string(story.start)} [penwidth=2];",
    ]
    for number, (chapter, scenes) in enumerate(m.chapters, start=1):
        out.append(f'  subgraph "cluster_{number}" {{')
        out.append(f'    label={dot_string(chapter)}; style="rounded,dashed"; color="#8888aa"; '
                   'fontcolor="#444466"; fontsize=14;')
        out.extend(f"    {_dot_node(m, scene)}" for scene in scenes)
        out.append("  }")
    out.extend(f"  {_dot_node(m, scene)}" for scene in m.loose)
    for edge in m.edges:
        attrs = []
        if edge.label:
            attrs.append(f"label={dot_string(edge.label)}")
        if edge.is_next:
            attrs.append("style=dashed")
        elif edge.flow == "return":
            attrs += ["style=dashed", 'color="#1565c0"', 'fontcolor="#1565c0"']
        else:
            if edge.flow == "call" and edge.locked:  # one style attribute: both at once
                attrs += ['style="bold,dotted"', "penwidth=2"]
            elif edge.flow == "call":
                attrs += ["style=bold", "penwidth=2"]
            if edge.locked:
                attrs += [*([] if edge.flow == "call" else ["style=dotted"]),
                          'color="#b26a00"', "arrowhead=teenormal"]
            attrs.append(f"tooltip={dot_string(' / '.join(edge.texts))}")
        out.append(f"  {dot_string(edge.source)} -> {dot_string(edge.target)} "
                   f"[{', '.join(attrs)}];")
    out.append("}")
    return "\n".join(out) + "\n"


def _dot_node(m: Map, scene: Scene) -> str:
    lines = [scene.title, f"({scene.id})"]
    attrs = []
    if scene.ending is not None:
        lines.append(ending_line(scene))
        attrs += ["peripheries=2", 'fillcolor="#e6f4ea"', 'color="#2e7d32"']
    if scene.id == m.story.start:
        attrs += ["penwidth=2"]
    if scene.id in m.unreachable:
        lines.append("UNREACHABLE")
        attrs += ['style="rounded,dashed,filled"', 'color="#b00020"', 'fontcolor="#b00020"']
    label = dot_string("\n".join(lines))
    return f"{dot_string(scene.id)} [{', '.join([f'label={label}', *attrs])}];"


# -- Mermaid ------------------------------------------------------------------------------------

_MERMAID_ESCAPES = {
    "#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "|": "#124;",
    "`": "#96;", "\\": "#92;#8203;",
}
"""Inside a quoted label only a quote ends the string; but `#...;` is an entity, `<>&` are
HTML, a backtick starts a Markdown string, so all of those are written as entity codes; and in
a label with a line break Mermaid reads backslash-n as another one, so a backslash is followed
by an invisible zero-width space."""


def mermaid_text(text: str) -> str:
    """Author text made inert for a quoted Mermaid label: entity codes for every special."""
    escaped = "".join(_MERMAID_ESCAPES.get(ch, ch) for ch in text)
    return " ".join(escaped.split())  # no newlines or tabs inside a label


def mermaid(m: Map) -> str:
    story = m.story
    ids = {scene_id: f"s{number}" for number, scene_id in enumerate(story.scenes)}
    out = [
        "---",
        f"title: {json.dumps(_mermaid_title(story.title), ensure_ascii=False)}",  # valid YAML
        "---",
        "%% The story map, made by `offscreen graph --format mermaid`.",
        "%% Render it with mermaid-cli (mmdc -i map.mmd -o map.svg) or paste it into a",
        "%% mermaid code block in Markdown (GitHub renders those).",
        "flowchart TD",
        '  start(("start"))',
        f"  start ==> {ids[story.start]}",
    ]
    for number, (chapter, scenes) in enumerate(m.chapters, start=1):
        out.append(f'  subgraph c{number} ["{mermaid_text(chapter)}"]')
        out.extend(f"    {_mermaid_node(ids, scene, m.unreachable)}" for scene in scenes)
        out.append("  end")
    out.extend(f"  {_mermaid_node(ids, scene, m.unreachable)}" for scene in m.loose)
    for edge in m.edges:
        arrow = ("-.->" if edge.is_next or edge.flow == "return" else "--x" if edge.locked
                 else "==>" if edge.flow == "call" else "-->")
        label = f'|"{mermaid_text(edge.label)}"|' if edge.label else ""
        out.append(f"  {ids[edge.source]} {arrow}{label} {ids[edge.target]}")
    out.append("  classDef startMarker fill:#222222,color:#ffffff,stroke:#222222")
    out.append("  classDef ending fill:#e6f4ea,stroke:#2e7d32,stroke-width:3px")
    out.append("  classDef unreachable stroke:#b00020,stroke-dasharray:5 5,color:#b00020")
    out.append("  classDef first stroke-width:3px")
    out.append("  class start startMarker")
    out.append(f"  class {ids[story.start]} first")
    endings = [ids[s.id] for s in story.scenes.values() if s.ending is not None]
    if endings:
        out.append(f"  class {','.join(endings)} ending")
    unreachable = [ids[s] for s in story.scenes if s in m.unreachable]
    if unreachable:
        out.append(f"  class {','.join(unreachable)} unreachable")
    return "\n".join(out) + "\n"


def _mermaid_title(title: str) -> str:
    """The title is sanitised as HTML, not decoded: a tag-like <word> would vanish."""
    return " ".join(title.replace("<", "\u2039").replace(">", "\u203a").split())


def _mermaid_node(ids: dict[str, str], scene: Scene, unreachable: frozenset[str]) -> str:
    lines = [mermaid_text(scene.title), mermaid_text(f"({scene.id})")]
    if scene.id in unreachable:
        lines.append("UNREACHABLE")
    if scene.ending is not None:
        lines.append(mermaid_text(ending_line(scene)))
        return f'{ids[scene.id]}(["{"<br/>".join(lines)}"])'
    return f'{ids[scene.id]}["{"<br/>".join(lines)}"]'
