"""`offscreen lsp`: the language server, when its optional dependency is installed."""

from __future__ import annotations

import importlib.util
import sys

INSTALL = "pip install 'offscreen[lsp]'"


def run() -> int:
    """Serve on stdin/stdout; without pygls, say how to get it (exit 2: nothing to run)."""
    if importlib.util.find_spec("pygls") is None:
        print("offscreen lsp: the language server needs pygls, which is not installed.\n"
              f"Install it with: {INSTALL}", file=sys.stderr)
        return 2
    from game.lsp.server import serve

    return serve()
