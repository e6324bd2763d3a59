"""The wheel and sdist, built as a release would be: what they carry, their metadata, and an
sdist complete enough that its own test suite passes from the unpacked folder."""

from __future__ import annotations

import email.parser
import email.policy
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pytest

import game
from game import paths

REPO = Path(__file__).parents[1]
NESTED = "OFFSCREEN_SDIST_SELF_TEST"
"""Set while the unpacked sdist's suite runs, so that run does not unpack and run itself."""


@dataclass(frozen=True)
class Dist:
    wheel: zipfile.ZipFile
    sdist: Path
    files: tuple[Path, ...]

    @property
    def sdist_names(self) -> set[str]:
        """The sdist's files, without the `offscreen-VERSION/` folder they sit in."""
        with tarfile.open(self.sdist) as archive:
            return {name.split("/", 1)[1] for name in archive.getnames()
                    if "/" in name and archive.getmember(name).isfile()}


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Dist:
    """`python -m build` as a release runs it: the sdist first, then the wheel built from it."""
    out = tmp_path_factory.mktemp("dist")
    source = tmp_path_factory.mktemp("source") / "offscreen"
    # Build from a copy, so the build's egg-info and build/ never land in the working tree.
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(
        ".git", ".venv*", "__pycache__", "*.egg-info", "build", "dist", ".*_cache",
        ".hypothesis", "saves"))
    (source / "saves").mkdir()
    shutil.copy2(REPO / "saves" / ".gitignore", source / "saves" / ".gitignore")
    subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out),
                    str(source)], check=True, capture_output=True, cwd=out)
    (wheel,) = out.glob("offscreen-*.whl")
    (sdist,) = out.glob("offscreen-*.tar.gz")
    return Dist(zipfile.ZipFile(wheel), sdist, (wheel, sdist))


def metadata(dist: Dist) -> Message:
    name = next(n for n in dist.wheel.namelist() if n.endswith(".dist-info/METADATA"))
    return email.parser.BytesParser(policy=email.policy.compat32).parsebytes(
        dist.wheel.read(name))


def test_wheel_carries_the_shipped_story(dist: Dist) -> None:
    names = set(dist.wheel.namelist())
    shipped = {p.relative_to(REPO / "scenes").as_posix()
               for p in (REPO / "scenes").rglob("*.y*ml")}
    assert shipped
    assert {f"game/scenes/{name}" for name in shipped} <= names


def test_wheel_carries_the_docs_the_cli_points_to(dist: Dist) -> None:
    names = set(dist.wheel.namelist())
    docs = {p.relative_to(REPO / "docs").as_posix() for p in (REPO / "docs").rglob("*")
            if p.is_file()}
    assert {"playing.md", "writing-scenes.md", "author-tools.md", "design.md",
            "scene.schema.json", "example/story.yaml"} <= docs
    assert {f"game/docs/{name}" for name in docs} <= names


def test_wheel_carries_styles_and_code_but_no_tests(dist: Dist) -> None:
    names = set(dist.wheel.namelist())
    styles = {p.relative_to(REPO).as_posix() for p in (REPO / "game").rglob("*.tcss")}
    assert styles <= names
    assert "game/cli.py" in names and "game/story/loader.py" in names
    assert not any(name.startswith("tests/") for name in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "offscreen = game.cli:main" in dist.wheel.read(entry_points).decode()


def test_metadata_licence_version_and_classifiers(dist: Dist) -> None:
    meta = metadata(dist)
    assert meta["Name"] == "offscreen"
    assert meta["Version"] == game.__version__  # the one version source
    assert tuple(int(p) for p in meta["Metadata-Version"].split(".")) >= (2, 4)
    assert meta["License-Expression"] == "MIT"
    assert meta.get_all("License-File") == ["LICENSE"]
    assert "License" not in meta  # the deprecated free-text form
    licence = next(n for n in dist.wheel.namelist() if n.endswith("licenses/LICENSE"))
    assert dist.wheel.read(licence) == (REPO / "LICENSE").read_bytes()
    assert b"MIT License" in (REPO / "LICENSE").read_bytes()
    classifiers = meta.get_all("Classifier") or []
    assert "Programming Language :: Python :: 3.11" in classifiers
    assert "Topic :: Games/Entertainment" in classifiers
    assert not any(c.startswith("License ::") for c in classifiers)  # the expression says it
    assert "interactive fiction" in meta["Keywords"]
    assert meta.get_all("Project-URL") is None  # none is real yet; none is made up
    assert meta["Requires-Python"] == ">=3.11"


def test_public_metadata_has_ranges_not_test_pins(dist: Dist) -> None:
    requires = metadata(dist).get_all("Requires-Dist") or []
    names = {r.split(";")[0].split(">")[0].split("=")[0].split("<")[0].strip() for r in requires}
    assert {"textual", "pyyaml", "platformdirs", "shtab"} <= names
    assert not [r for r in requires if "==" in r.split(";")[0]], requires  # not `extra ==`
    pins = (REPO / "requirements" / "test-pins.txt").read_text()
    assert "textual==" in pins  # the snapshot pin lives here, applied by scripts/test
    assert "-c \"$pins\"" in (REPO / "scripts" / "_venv.sh").read_text()


def test_twine_check_passes(dist: Dist) -> None:
    """What PyPI would refuse (bad metadata, a README that does not render) fails here."""
    result = subprocess.run([sys.executable, "-m", "twine", "check", "--strict",
                             *map(str, dist.files)], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASSED") == 2


def tracked_files() -> set[str] | None:
    if not (REPO / ".git").exists() or shutil.which("git") is None:
        return None
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True,
                            check=True).stdout.decode().split("\0")
    return {name for name in listed if name and (REPO / name).is_file()}


def test_sdist_carries_every_tracked_file(dist: Dist) -> None:
    tracked = tracked_files()
    if tracked is None:
        pytest.skip("not a git checkout (an unpacked sdist): nothing to compare it with")
    assert tracked - dist.sdist_names == set()


def test_sdist_carries_docs_tests_and_no_litter(dist: Dist) -> None:
    names = dist.sdist_names
    assert {"LICENSE", "README.md", "docs/design.md", "docs/example/story.yaml",
            "requirements/test-pins.txt", "scripts/test", "benchmarks/gen_story.py",
            "tests/conftest.py", "scenes/00_story.yaml"} <= names
    assert any(n.startswith("tests/ui/__snapshots__/") for n in names)
    assert sum(n.startswith("tests/") and n.endswith(".py") for n in names) > 50
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    assert not [n for n in names if n.startswith("saves/") and n != "saves/.gitignore"]


def has_xdist() -> bool:
    import importlib.util

    return importlib.util.find_spec("xdist") is not None


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get(NESTED) == "1", reason="already inside the sdist's own run")
def test_the_unpacked_sdist_passes_its_own_tests(dist: Dist) -> None:
    """The sdist is a complete source release: unpacked anywhere, its whole suite passes."""
    # Not under pytest's temporary folder, which only its owner may enter: the suite's
    # storage tests run `offscreen` as the user nobody on the story in docs/example, as they
    # do from a checkout.
    where_to = Path(tempfile.mkdtemp(prefix="offscreen-sdist-"))
    try:
        where_to.chmod(0o755)
        with tarfile.open(dist.sdist) as archive:
            archive.extractall(where_to, filter="data")
        (root,) = where_to.iterdir()
        run_the_suite_in(root)
    finally:
        shutil.rmtree(where_to, ignore_errors=True)


def run_the_suite_in(root: Path) -> None:
    env = {**os.environ, NESTED: "1", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTHONPATH", None)
    where = subprocess.run([sys.executable, "-c", "import game; print(game.__file__)"],
                           cwd=root, env=env, capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()).is_relative_to(root)  # it tests the sdist's own code
    # Serially (-n 0 under xdist): this runs beside the outer suite's own workers, and more
    # processes than cores would push the suite's time-bound tests past their bounds.
    serial = ["-n", "0"] if has_xdist() else []
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             "-x", *serial], cwd=root, env=env, capture_output=True,
                            text=True, check=False)
    tail = "\n".join(result.stdout.splitlines()[-15:])
    assert result.returncode == 0, tail + result.stderr[-2000:]
    summary = result.stdout.strip().splitlines()[-1]
    assert " passed" in summary and "failed" not in summary and "error" not in summary
    print(f"unpacked sdist: {summary}")


def test_installed_copy_reads_its_own_story_and_docs_and_saves_in_user_data(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(paths, "is_checkout", lambda: False)
    monkeypatch.delenv("OFFSCREEN_SAVES", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert paths.default_story_dir() == paths.PACKAGE_DIR / "scenes"
    assert paths.docs_dir() == paths.PACKAGE_DIR / "docs"
    if sys.platform == "linux":
        assert paths.default_saves_dir() == tmp_path / "data" / "offscreen" / "saves"
    monkeypatch.setenv("OFFSCREEN_SAVES", str(tmp_path / "env"))
    assert paths.default_saves_dir() == tmp_path / "env"
    assert paths.default_saves_dir(tmp_path / "flag") == tmp_path / "flag"


def test_checkout_uses_the_repo_folders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OFFSCREEN_SAVES", raising=False)
    assert paths.is_checkout()
    assert paths.default_story_dir() == REPO / "scenes"
    assert paths.default_saves_dir() == REPO / "saves"
    assert paths.docs_dir() == REPO / "docs"


@pytest.mark.skipif(sys.platform != "linux", reason="the XDG folders are Linux's")
def test_platformdirs_keeps_the_linux_folders_where_they_were(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("OFFSCREEN_SAVES", raising=False)
    monkeypatch.setattr(paths, "is_checkout", lambda: False)
    assert paths.user_data_dir() == tmp_path / ".local" / "share" / "offscreen"
    assert paths.default_saves_dir() == tmp_path / ".local" / "share" / "offscreen" / "saves"
    assert paths.user_cache_dir() == tmp_path / ".cache" / "offscreen"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "d"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "c"))
    assert paths.user_data_dir() == tmp_path / "d" / "offscreen"
    assert paths.user_cache_dir() == tmp_path / "c" / "offscreen"
