"""Terminals that are not what the full-screen game needs: ASCII or cp437 output, `TERM=dumb`,
pipes. The game plays in all of them and never crashes on a character it cannot show."""

from __future__ import annotations

import io
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from game import terminal

REPO = Path(__file__).parents[1]
EXAMPLE = REPO / "docs" / "example"


def play(tmp_path: Path, answers: bytes, *args: str, **env: str
         ) -> subprocess.CompletedProcess[bytes]:
    full = {**os.environ, "OFFSCREEN_SAVES": str(tmp_path / "saves"), "PYTHONPATH": str(REPO),
            **env}
    return subprocess.run([sys.executable, "-m", "game", "play", *args], input=answers,
                          capture_output=True, timeout=60, check=False, env=full)


@pytest.mark.parametrize("encoding", ["ascii", "cp437"])
def test_plain_mode_never_crashes_on_a_narrow_encoding(tmp_path: Path, encoding: str) -> None:
    """The shipped story is full of "—"; neither encoding has it."""
    result = play(tmp_path, b"1\n1\n1\n", "--plain", PYTHONIOENCODING=encoding)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    out = result.stdout.decode(encoding)
    assert "Traceback" not in out + result.stderr.decode(encoding)
    assert "Tell her straight away -- no, they never dated" in out
    assert "\u2014" not in out
    assert out.rstrip().endswith("Your game is saved. Goodbye.")


def test_undecodable_input_is_read_not_fatal(tmp_path: Path) -> None:
    result = play(tmp_path, "caf\u00e9\n1\n".encode(), "--plain", "--story", str(EXAMPLE),
                  PYTHONIOENCODING="ascii")
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    out = result.stdout.decode("ascii")
    assert "I didn't understand 'caf??'." in out  # each byte it cannot decode is one "?"
    assert "Courage so far: 1." in out


def test_piped_play_says_why_it_is_plain_in_one_line(tmp_path: Path) -> None:
    result = play(tmp_path, b"quit\n", "--story", str(EXAMPLE))
    assert result.returncode == 0
    assert result.stderr.decode() == ("offscreen: playing in plain mode because standard input "
                                      "is not a terminal (--plain chooses it without this "
                                      "note)\n")
    assert b"== Morning: The Lobby ==" in result.stdout


def test_plain_says_nothing_on_stderr(tmp_path: Path) -> None:
    assert play(tmp_path, b"quit\n", "--plain", "--story", str(EXAMPLE)).stderr == b""


class Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_plain_reason() -> None:
    tty, pipe = Stream(True), Stream(False)
    assert terminal.plain_reason(tty, tty, {"TERM": "xterm-256color"}) is None
    assert terminal.plain_reason(pipe, tty, {}) == "standard input is not a terminal"
    assert terminal.plain_reason(tty, pipe, {}) == "standard output is not a terminal"
    assert terminal.plain_reason(tty, tty, {"TERM": "dumb"}) == "TERM is 'dumb'"


def test_a_safe_stream_spells_what_it_cannot_encode() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii")
    terminal.make_safe(stream)
    stream.write("Jim \u2014 \u201cPam\u2019s\u201d desk\u2026 caf\u00e9 \u2615\n")
    stream.flush()
    assert raw.getvalue() == b"Jim -- \"Pam's\" desk... cafe ?\n"
    terminal.make_safe(None)  # no console at all (pythonw): nothing to do, no error


def test_term_dumb_in_a_real_terminal_plays_plain(tmp_path: Path) -> None:
    """A pseudo-terminal on both ends, so only TERM=dumb can send it to plain mode."""
    import pty

    env = {**os.environ, "TERM": "dumb", "OFFSCREEN_SAVES": str(tmp_path / "saves"),
           "PYTHONPATH": str(REPO)}
    controller, worker = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "game", "play", "--story", str(EXAMPLE)],
                            stdin=worker, stdout=worker, stderr=worker, env=env,
                            close_fds=True)
    os.close(worker)
    seen = b""
    try:
        seen = read_until(controller, b"> ", seen)
        os.write(controller, b"quit\n")
        seen = read_until(controller, b"Goodbye.", seen)
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()
        os.close(controller)
    text = seen.decode(errors="replace")
    assert "playing in plain mode because TERM is 'dumb'" in text
    assert "== Morning: The Lobby ==" in text
    assert "\x1b[" not in text  # no escape sequences for a terminal that cannot take them


def read_until(fd: int, marker: bytes, seen: bytes, timeout: float = 30) -> bytes:
    deadline = time.monotonic() + timeout
    while marker not in seen:
        left = deadline - time.monotonic()
        assert left > 0, f"waited for {marker!r}; got {seen[-500:]!r}"
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the other end closed
                break
            seen += chunk
    return seen


@pytest.mark.parametrize("args", [("docs", "writing-scenes"), ("docs", "--path"),
                                  ("play", "--plain")])
def test_a_closed_pipe_ends_quietly(tmp_path: Path, args: tuple[str, ...]) -> None:
    """`offscreen ... | head`: the reader went away; no error, no "Exception ignored"."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    env = {**os.environ, "OFFSCREEN_SAVES": str(tmp_path / "saves"), "PYTHONPATH": str(REPO)}
    try:
        result = subprocess.run([sys.executable, "-m", "game", *args], stdout=write_end,
                                stderr=subprocess.PIPE, input=b"1\n", timeout=60, check=False,
                                env=env)
    finally:
        os.close(write_end)
    assert result.returncode == 0
    assert result.stderr == b""
