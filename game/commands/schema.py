"""`offscreen schema`: the JSON Schema of story files, on stdout.

The same text as docs/scene.schema.json and the copy `offscreen new` writes, generated from
the loader's key tables (`game.tools.json_schema`), so it is right for the very copy of the
game that prints it, installed or not: `offscreen schema > scene.schema.json`.
"""

from __future__ import annotations

import sys

from game.tools import json_schema


def run() -> int:
    sys.stdout.write(json_schema.dumps())
    return 0
