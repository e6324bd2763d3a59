"""`offscreen docs` and `offscreen completions`: what the CLI points at, from any copy."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from game import cli, paths
from game.commands import docs

REPO = Path(__file__).parents[1]
DOCS = REPO / "docs"


def offscreen(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "game", *args], capture_output=True,
                          text=True, timeout=60, check=False, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(REPO)})


def test_the_listing_names_every_guide_with_its_title(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["docs"]) == 0
    out = capsys.readouterr().out
    assert f"The guides to Off Screen, in {DOCS}:" in out
    for guide in DOCS.glob("*.md"):
        title = guide.read_text().splitlines()[0].removeprefix("# ")
        assert f"  {guide.stem}" in out and title in out
    assert {"playing", "writing-scenes", "author-tools", "saves", "design"} <= set(docs.topics(DOCS))
    assert f"offscreen play --story {DOCS / 'example'}" in out
    assert str(DOCS / "scene.schema.json") in out


def test_a_topic_prints_the_guide(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["docs", "writing-scenes"]) == 0
    assert capsys.readouterr().out == (DOCS / "writing-scenes.md").read_text()
    assert cli.main(["docs", "saves.md"]) == 0  # the file name works too
    assert capsys.readouterr().out.startswith("# Saves")


def test_path_says_where_the_guides_are(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["docs", "--path"]) == 0
    assert capsys.readouterr().out == f"{DOCS}\n"
    assert cli.main(["docs", "playing", "--path"]) == 0
    assert capsys.readouterr().out == f"{DOCS / 'playing.md'}\n"


def test_an_unknown_topic_suggests_the_closest(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["docs", "writ"]) == 2
    err = capsys.readouterr().err
    assert "no guide called 'writ'; did you mean 'writing-scenes'?" in err
    assert cli.main(["docs", "playin"]) == 2
    assert "did you mean 'playing'?" in capsys.readouterr().err
    assert cli.main(["docs", "zzz"]) == 2
    assert "the guides are: architecture, author-tools," in capsys.readouterr().err


def test_a_copy_without_docs_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert docs.run(tmp_path, None) == 1
    assert "installed without its docs" in capsys.readouterr().err


def test_an_installed_copy_reads_the_docs_it_carries(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The wheel's layout: game/docs beside the code (tests/test_packaging.py checks the
    wheel has it); here a copy stands in for it."""
    package = tmp_path / "site-packages" / "game"
    shutil.copytree(DOCS, package / "docs")
    monkeypatch.setattr(paths, "is_checkout", lambda: False)
    monkeypatch.setattr(paths, "PACKAGE_DIR", package)
    assert paths.docs_dir() == package / "docs"
    assert cli.main(["docs", "playing"]) == 0
    assert capsys.readouterr().out == (DOCS / "playing.md").read_text()


def test_new_points_at_the_guides(tmp_path: Path) -> None:
    result = offscreen("new", str(tmp_path / "story"))
    assert result.returncode == 0, result.stderr
    assert "`offscreen docs writing-scenes`" in result.stdout
    assert "`offscreen docs author-tools`" in result.stdout
    assert f"The guides are in {DOCS} (`offscreen docs` lists them)." in result.stdout


def test_new_in_an_installed_copy_says_where_its_guides_are(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The wheel's layout (game/docs beside the code, as tests/test_packaging.py checks the
    wheel has it): the folder printed is the one the guides are really in."""
    package = tmp_path / "site-packages" / "game"
    shutil.copytree(DOCS, package / "docs")
    monkeypatch.setattr(paths, "is_checkout", lambda: False)
    monkeypatch.setattr(paths, "PACKAGE_DIR", package)
    assert cli.main(["new", str(tmp_path / "story")]) == 0
    line = capsys.readouterr().out.splitlines()[-1]
    assert line == f"The guides are in {package / 'docs'} (`offscreen docs` lists them)."
    assert (package / "docs" / "writing-scenes.md").is_file()


def test_new_in_a_copy_without_guides_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    package = tmp_path / "site-packages" / "game"
    package.mkdir(parents=True)
    monkeypatch.setattr(paths, "is_checkout", lambda: False)
    monkeypatch.setattr(paths, "PACKAGE_DIR", package)
    assert cli.main(["new", str(tmp_path / "story")]) == 0
    out = capsys.readouterr().out
    assert "installed without its guides" in out and str(package / "docs") in out
    assert "The guides are in" not in out


# -- completions ---------------------------------------------------------------------------------

def completion(shell: str) -> str:
    result = offscreen("completions", shell)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("shell", cli.SHELLS)
def test_completion_scripts_know_every_command_and_option(shell: str) -> None:
    script = completion(shell)
    for name in ("play", "check", "graph", "test", "saves", "new", "docs", "completions",
                 "--max-states", "--strategy", "least-taken", "mermaid", "--plain"):
        assert name in script, (shell, name)


@pytest.mark.parametrize(("shell", "check"), [("bash", ["bash", "-n"]), ("zsh", ["zsh", "-n"]),
                                              ("fish", ["fish", "--no-execute"])])
def test_completion_scripts_are_valid_shell(shell: str, check: list[str], tmp_path: Path) -> None:
    if shutil.which(check[0]) is None:
        pytest.skip(f"{check[0]} is not installed, so its script's syntax cannot be checked")
    script = tmp_path / f"offscreen.{shell}"
    script.write_text(completion(shell))
    result = subprocess.run([*check, str(script)], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr


def bash_complete(line: str) -> list[str]:
    """What Tab offers after `line` in bash, from the generated script."""
    script = completion("bash")
    words = line.split(" ")
    driver = (f"{script}\nCOMP_WORDS=({' '.join(repr(w) for w in words)}); "
              f"COMP_CWORD={len(words) - 1}; COMP_LINE={line!r}; COMP_POINT={len(line)}; "
              "_shtab_offscreen; printf '%s\\n' \"${COMPREPLY[@]}\"")
    result = subprocess.run(["bash", "-c", driver], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return [word.strip() for word in result.stdout.splitlines() if word.strip()]


def test_bash_completes_commands_choices_and_folders(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    assert bash_complete("offscreen ch") == ["check"]
    assert "completions" in bash_complete("offscreen c")
    assert bash_complete("offscreen graph --format m") == ["mermaid"]
    assert bash_complete("offscreen test --strat") == ["--strategy"]
    (tmp_path / "mystory").mkdir()
    (tmp_path / "myfile.txt").write_text("")
    monkeypatch.chdir(tmp_path)
    assert bash_complete("offscreen check my") == ["mystory"]  # folders only, for DIR


def test_fish_completes_commands_and_choices(tmp_path: Path) -> None:
    if shutil.which("fish") is None:
        pytest.skip("fish is not installed, so its completions cannot be tried")
    script = tmp_path / "offscreen.fish"
    script.write_text(completion("fish"))
    result = subprocess.run(["fish", "--no-config", "-c",
                             f"source {script}; complete -C 'offscreen ch'; "
                             "complete -C 'offscreen graph --format '"],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    offered = [line.split("\t")[0] for line in result.stdout.splitlines()]
    assert offered == ["check", "dot", "mermaid"]
