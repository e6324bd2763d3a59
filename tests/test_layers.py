"""Layers stay one-way: the story model and engine never import the UI, storage or tools.

Checked two ways: statically (every import statement in the package's source) and at run
time (importing the engine in a fresh interpreter leaves textual out of sys.modules). The
session (`game/session.py`), which every front end drives, imports no front end, and the
Textual screens reach the engine and the stores only through it.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

GAME = Path(__file__).parents[1] / "game"

FORBIDDEN = {
    "story": ("textual", "rich", "game.engine", "game.storage", "game.ui", "game.tools",
              "game.plain", "game.cli", "game.commands"),
    "engine": ("textual", "rich", "game.storage", "game.ui", "game.tools", "game.plain",
               "game.cli", "game.commands"),
    "storage": ("textual", "rich", "game.ui", "game.tools", "game.plain", "game.cli",
                "game.commands"),
    "session.py": ("textual", "rich", "game.ui", "game.tools", "game.plain", "game.printer",
                   "game.cli", "game.commands"),
    "earlier.py": ("textual", "rich", "game.ui", "game.tools", "game.plain", "game.printer",
                   "game.cli", "game.commands"),
}
"""Per package (a folder of game/) or module (a file), the imports it must never make."""

PAST_THE_SESSION = ("engine", "saves", "profiles", "_rules", "_store", "_profiles")
"""What a screen must not take from the session: it asks the session, never its parts."""


def imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports(layer: str) -> None:
    files = [GAME / layer] if layer.endswith(".py") else sorted((GAME / layer).rglob("*.py"))
    assert files, f"no modules in game/{layer}"
    for path in files:
        for name in imports(path):
            bad = [f for f in FORBIDDEN[layer] if name == f or name.startswith(f + ".")]
            assert not bad, f"{path.relative_to(GAME.parent)} imports {name}"


def past_the_session(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, attribute) of every `session.X` / `self.session.X` with X a part of it."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in PAST_THE_SESSION:
            owner = node.value
            name = (owner.attr if isinstance(owner, ast.Attribute)
                    else owner.id if isinstance(owner, ast.Name) else "")
            if name == "session":
                found.append((node.lineno, node.attr))
    return sorted(found)


def test_screens_reach_the_game_only_through_the_session() -> None:
    """No `session.engine`, `session.saves` or `session.profiles` anywhere in game/ui."""
    found = [f"{path.relative_to(GAME.parent)}:{line} session.{attr}"
             for path in sorted((GAME / "ui").rglob("*.py"))
             for line, attr in past_the_session(ast.parse(path.read_text(), str(path)))]
    assert not found, found


def test_the_session_check_sees_an_access() -> None:
    """The check above is not vacuous: the lines it forbids are what it finds."""
    tree = ast.parse("x = self.session.engine.view(state)\ny = session.saves\n"
                     "z = self.session.state")
    assert past_the_session(tree) == [(1, "engine"), (2, "saves")]


def test_engine_runs_without_textual() -> None:
    code = ("import sys; import game.engine, game.story.loader, game.storage.saves, "
            "game.session, game.plain; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_nothing_is_ever_evaluated() -> None:
    for path in sorted(GAME.rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("eval", "exec", "compile", "__import__"), (
                    f"{path}:{node.lineno} calls {node.func.id}")
            if isinstance(node, ast.Attribute) and node.attr in ("load", "unsafe_load",
                                                                  "full_load"):
                value = node.value
                if isinstance(value, ast.Name) and value.id in ("yaml", "pickle", "marshal"):
                    raise AssertionError(f"{path}:{node.lineno} uses {value.id}.{node.attr}")


MAX_LINES = 600
"""Issue 11: no module of game/ over 600 lines; past that, a module holds two ideas."""


def test_no_module_is_over_600_lines() -> None:
    long = {str(path.relative_to(GAME)): n for path in GAME.rglob("*.py")
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}, "split these by what they hold"


def private_imports(path: Path) -> list[str]:
    """`from game.x import _name`: a private name taken across modules (issue 11)."""
    return [f"{node.module}.{alias.name}"
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path)))
            if isinstance(node, ast.ImportFrom) and node.module
            and node.module.split(".")[0] == "game"
            for alias in node.names
            if alias.name.startswith("_") and not alias.name.endswith("__")]  # (__version__)


def test_no_private_name_is_imported_across_modules() -> None:
    found = {str(path.relative_to(GAME)): names for path in GAME.rglob("*.py")
             if (names := private_imports(path))}
    assert found == {}


def test_the_private_import_check_sees_one(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("from game.story.loader import _Loader, load_folder\n", encoding="utf-8")
    assert private_imports(module) == ["game.story.loader._Loader"]
