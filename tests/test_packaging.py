"""A non-editable install must carry the shipped story and the styles, and save outside itself."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from game import paths

REPO = Path(__file__).parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps",
                    "--no-build-isolation", "--quiet", "-w", str(out)], check=True,
                   capture_output=True, cwd=out)
    (built,) = out.glob("offscreen-*.whl")
    return zipfile.ZipFile(built)


def test_wheel_carries_the_shipped_story(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    shipped = {p.relative_to(REPO / "scenes").as_posix()
               for p in (REPO / "scenes").rglob("*.y*ml")}
    assert shipped
    assert {f"game/scenes/{name}" for name in shipped} <= names


def test_wheel_carries_styles_and_code_but_no_tests(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    styles = {p.relative_to(REPO).as_posix() for p in (REPO / "game").rglob("*.tcss")}
    assert styles <= names
    assert "game/cli.py" in names and "game/story/loader.py" in names
    assert not any(name.startswith("tests/") for name in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "offscreen = game.cli:main" in wheel.read(entry_points).decode()


def test_installed_copy_reads_its_own_story_and_saves_in_user_data(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(paths, "is_checkout", lambda: False)
    monkeypatch.delenv("OFFSCREEN_SAVES", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert paths.default_story_dir() == paths.PACKAGE_DIR / "scenes"
    assert paths.default_saves_dir() == tmp_path / "data" / "offscreen" / "saves"
    monkeypatch.setenv("OFFSCREEN_SAVES", str(tmp_path / "env"))
    assert paths.default_saves_dir() == tmp_path / "env"
    assert paths.default_saves_dir(tmp_path / "flag") == tmp_path / "flag"


def test_checkout_uses_the_repo_folders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OFFSCREEN_SAVES", raising=False)
    assert paths.is_checkout()
    assert paths.default_story_dir() == REPO / "scenes"
    assert paths.default_saves_dir() == REPO / "saves"
