"""The JSON Schema (draft 2020-12) for scene format v1, generated from `game.story.schema`.

The loader checks author files against the key tables in `game.story.schema`; this module
turns the very same tables into `docs/scene.schema.json`, so an editor's autocomplete and
hover text (via the YAML language server) and `offscreen check` can never disagree about
which keys exist, which are required and what they mean. The schema is deliberately a
little looser than the checker where JSON Schema cannot follow it (an id that names a scene
that exists, a value of the variable's own type): the checker reports those with
`file:line:col`. A test proves both accept and reject the same keys at every level.

Regenerate after changing the tables: `python -m game.tools.json_schema docs/scene.schema.json`.
`offscreen schema` prints it too.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from game import generated
from game.story import schema
from game.story.names import IDENT, SLUG
from game.story.rules import SEED_LIMIT

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "urn:offscreen:schema:story-file"
"""The schema's `$id`: a name, not an address (the schema is not served anywhere; editors
take it from a file or from `offscreen schema`). Every format version is a superset of the
last, so one name serves them all."""
Json = dict[str, Any]


def _pattern(regex: str) -> str:
    """The loader's `re.match(... \\Z)` patterns, anchored the way JSON Schema needs."""
    return "^" + regex.removesuffix("\\Z") + "$"


ID_PATTERN = _pattern(IDENT.pattern)
SLUG_PATTERN = _pattern(SLUG.pattern)

_SCALAR: Json = {"type": ["string", "number", "boolean"]}
_ID: Json = {"type": "string", "pattern": ID_PATTERN}
_NAMES: Json = {"anyOf": [_ID, {"type": "array", "items": _ID}]}
"""A name or a list of names (a list variable's value in effects and expectations)."""


def _ref(table: str) -> Json:
    return {"$ref": f"#/$defs/{table}"}


_JSON_TYPES: dict[str, str] = {"text": "string", "number": "number", "bool": "boolean",
                               "list": "array", "mapping": "object", "empty": "null"}


def _kind(kind: str, name: str, of: str | None = None) -> Json:
    """The JSON Schema for a value of this kind (`name` and `of` as on `schema.Key`): its
    "type" from `schema.SHAPES`, the table the loader checks shapes with, then what each
    shape must hold ("pattern" applies to strings only, "items" to arrays only)."""
    shapes = schema.SHAPES.get(kind)  # type: ignore[call-overload]
    if shapes is None:  # a new kind not in SHAPES yet: test_every_kind_has_its_shapes fails
        return _details(kind, name, of)
    types = [_JSON_TYPES[shape] for shape in shapes]
    return {"type": types[0] if len(types) == 1 else types, **_details(kind, name, of)}


def _details(kind: str, name: str, of: str | None) -> Json:
    """What a value of this kind holds, beyond its type."""
    if kind in ("text", "template", "value", "bool", "condition", "number"):
        return {}
    if kind == "seed":
        return {"type": "integer", "minimum": 0, "maximum": SEED_LIMIT - 1}
    if kind == "computes":
        return {"propertyNames": {"pattern": ID_PATTERN}, "additionalProperties": _SCALAR}
    if kind == "id":
        return {"pattern": ID_PATTERN}
    if kind == "slug":
        return {"pattern": SLUG_PATTERN}
    if kind == "paragraphs":
        return {"items": {"anyOf": [_SCALAR, _ref("paragraph")]}}
    if kind == "effects":
        return {"items": _ref("effect")}
    if kind == "choices":
        return {"minItems": 1, "items": _ref("choice")}
    if kind == "ending":
        return _ref("ending")
    if kind == "ids":
        return {"pattern": ID_PATTERN, "items": _ID}
    if kind == "values":
        return {"propertyNames": {"pattern": ID_PATTERN},
                "additionalProperties": {"anyOf": [_SCALAR, _NAMES]}}
    if kind == "numbers":
        return {"propertyNames": {"pattern": ID_PATTERN},
                "additionalProperties": {"anyOf": [{"type": "number"}, _NAMES]}}
    if kind == "names":
        return {"propertyNames": {"pattern": ID_PATTERN}, "additionalProperties": _NAMES}
    if kind == "declaration":
        return {"anyOf": [_SCALAR, _ref("variable")]}
    if kind == "default":
        return {"items": _ID}
    if kind == "steps":
        return {"items": {"anyOf": [_SCALAR, _ref("step")]}}
    if kind == "expect":
        return _ref("expect")
    if kind == "story":
        return _ref("story")
    if kind == "named":
        if of is None:
            raise ValueError(f"named key '{name}' does not say what its entries are")
        entry = _ref(of) if of in schema.TABLES else _kind(of, name)
        return {"propertyNames": {"pattern": ID_PATTERN}, "additionalProperties": entry}
    raise ValueError(f"no JSON Schema for kind {kind!r} (key '{name}')")


def _table(name: str, keys: Mapping[str, schema.Key]) -> Json:
    out: Json = {
        "type": "object",
        "properties": {key.name: {"description": key.doc, **_kind(key.kind, key.name, key.of)}
                       for key in keys.values()},
        "additionalProperties": False,
    }
    required = [key.name for key in keys.values() if key.required]
    if required:
        out["required"] = required
    one = schema.EXACTLY_ONE.get(name)
    if one:
        out["oneOf"] = [{"required": [k]} for k in one]
    some = schema.AT_LEAST_ONE.get(name)
    if some:
        out["anyOf"] = [{"required": [k]} for k in some]
    needs = schema.REQUIRES.get(name)
    if needs:
        out["dependentRequired"] = {key: [other] for key, other in needs.items()}
    return out


def generate() -> Json:
    """The whole schema; key order is the tables' order, so the file diffs cleanly."""
    top = _table("top", schema.TOP)
    top["type"] = ["object", "null"]  # an empty file, or one holding only comments, is fine
    return {
        "$schema": DRAFT,
        "$id": SCHEMA_ID,
        "title": "Off Screen story file (scene format v1)",
        "description": "One YAML file of an Off Screen story folder. Generated from "
                       "game/story/schema.py; see docs/writing-scenes.md and "
                       "docs/author-tools.md.",
        **top,
        "$defs": {name: _table(name, keys)
                  for name, keys in schema.TABLES.items() if name != "top"},
    }


def dumps() -> str:
    return json.dumps(generate(), indent=2, ensure_ascii=False) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m ...` [PATH]: print the file, or write it to PATH."""
    return generated.main(dumps, argv)


if __name__ == "__main__":
    raise SystemExit(main())
