"""What hovering over a name shows: what it is, in the author's own words.

A scene: its title, its first line and the scenes that lead to it. A fact: its title, text
and source. A variable: its type, default and bounds. An ending: its title and its scene.
Markdown, which every LSP client renders (or shows as readable plain text).
"""

from __future__ import annotations

from game.lsp.index import Occurrence
from game.lsp.lookup import StoryIndex
from game.story.names import default_title

MAX_LEADS = 12
"""Past this many, "and N more": a hub scene may be the target of hundreds of gotos."""


def hover_text(index: StoryIndex, occurrence: Occurrence) -> str | None:
    """The hover for the name under the cursor; None when it is defined nowhere."""
    kind, name = occurrence.kind, occurrence.name
    details = index.details(kind, name)
    if details is None:
        return f"**{name}**: no {kind} '{name}' is defined in this story"
    where = index.definitions(kind, name)
    place = f"`{where[0].span.path.name}:{where[0].span.line + 1}`" if where else ""
    if kind == "scene":
        lines = [f"**{details.get('title') or default_title(name)}** (scene `{name}`, {place})"]
        if details.get("first_line"):
            lines += ["", f"> {details['first_line']}"]
        leads = sorted({o.scene or "(the story's start)" for o in index.leading_to(name)})
        if leads:
            shown = ", ".join(f"`{s}`" if not s.startswith("(") else s
                              for s in leads[:MAX_LEADS])
            more = f" and {len(leads) - MAX_LEADS} more" if len(leads) > MAX_LEADS else ""
            lines += ["", f"Led to from: {shown}{more}"]
        else:
            lines += ["", "Nothing leads here."]
        return "\n".join(lines)
    if kind == "fact":
        lines = [f"**{details.get('title', name)}** (fact `{name}`, {place})", "",
                 details.get("text", "")]
        if details.get("source"):
            lines += ["", f"Source: {details['source']}"]
        return "\n".join(lines)
    if kind == "variable":
        facts = [f"**{name}**: {details.get('type', '?')} variable ({place})", "",
                 f"default: `{details.get('default', '?')}`"]
        bounds = [f"{b}: `{details[b]}`" for b in ("min", "max", "items") if b in details]
        return "\n".join(facts + ([", ".join(bounds)] if bounds else []))
    scene = details.get("scene", "")
    return f"**{details.get('title', name)}** (ending `{name}`, in scene `{scene}`, {place})"
