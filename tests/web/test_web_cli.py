"""`offscreen serve` on the command line: the extra, the address, the checks before listening."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from game import cli
from game.commands import serve as serve_command
from game.web import server

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "docs" / "example"


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A story folder that does not load (its scene points nowhere)."""
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "story.yaml").write_text("story: {id: b, title: B, start: nowhere}\n"
                                       "scenes:\n  here: {title: Here, text: Hi, next: gone}\n")
    return folder


@pytest.fixture
def listened(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int, server.GameServer]]:
    """Stand in for the listening loop: record where it would listen, and return at once."""
    calls: list[tuple[str, int, server.GameServer]] = []

    async def fake_serve(game: server.GameServer, host: str, port: int,
                         ready: Callable[[str], None]) -> None:
        calls.append((host, port, game))
        ready(f"http://{host}:{port}/")

    monkeypatch.setattr(server, "serve", fake_serve)
    return calls


def test_localhost_by_default_without_a_warning(
        listened: list[tuple[str, int, server.GameServer]], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["serve", "--story", str(EXAMPLE), "--saves", str(tmp_path)]) == 0
    ((host, port, game),) = listened
    assert (host, port) == ("127.0.0.1", 8000)
    assert game.settings.max_sessions == 20 and game.settings.idle_seconds == 30 * 60
    assert game.settings.data_dir == tmp_path.resolve()
    out = capsys.readouterr()
    assert "serving First Day on http://127.0.0.1:8000/" in out.out
    assert "warning" not in out.err


def test_another_host_warns_that_anyone_can_play(
        listened: list[tuple[str, int, server.GameServer]], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["serve", "--story", str(EXAMPLE), "--saves", str(tmp_path), "--host",
                     "0.0.0.0", "--port", "8123", "--max-sessions", "3",
                     "--idle-minutes", "5"]) == 0
    ((_, _, game),) = listened
    assert game.settings.max_sessions == 3 and game.settings.idle_seconds == 300
    err = capsys.readouterr().err
    assert "warning: serving on 0.0.0.0: anyone who can reach this machine on port 8123 can " \
           "play" in err


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.1.2.3"])
def test_loopback_addresses(host: str) -> None:
    assert serve_command.is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.5", "::", "example.org"])
def test_other_addresses(host: str) -> None:
    assert not serve_command.is_loopback(host)


def test_without_the_web_extra_a_clear_message(monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve", None)  # as if not installed
    monkeypatch.delitem(sys.modules, "game.web.server", raising=False)
    assert cli.main(["serve", "--story", str(EXAMPLE)]) == 2
    err = capsys.readouterr().err
    assert "pip install 'offscreen[web]'" in err and "textual_serve" in err
    assert "Traceback" not in err


def test_a_broken_story_is_refused_before_listening(
        listened: list[tuple[str, int, server.GameServer]], tmp_path: Path, broken: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["serve", "--story", str(broken), "--saves", str(tmp_path)]) == 1
    assert listened == []
    assert "has errors" in capsys.readouterr().err


@pytest.mark.parametrize("option", [["--max-sessions", "0"], ["--idle-minutes", "0"]])
def test_bounds_must_be_above_zero(option: list[str], tmp_path: Path,
                                   listened: list[tuple[str, int, server.GameServer]],
                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["serve", "--story", str(EXAMPLE), "--saves", str(tmp_path),
                     *option]) == 2
    assert listened == [] and "above zero" in capsys.readouterr().err


def test_serve_is_in_help_and_the_child_is_not(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    assert "serve" in out and "child" not in out


def test_the_child_command_quotes_its_folders(tmp_path: Path) -> None:
    story, saves = tmp_path / "my story", tmp_path / "it's; rm -rf ~"
    argv = shlex.split(server.child_command(story, saves))
    assert argv[0] == "exec"
    assert argv[1:] == [sys.executable, "-m", "game.web.child", "--story", str(story),
                        "--saves", str(saves)]


def test_the_child_says_what_is_wrong_with_a_story(tmp_path: Path, broken: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from game.web import child

    assert child.main(["--story", str(broken), "--saves", str(tmp_path)]) == 1
    assert "has errors" in capsys.readouterr().err
