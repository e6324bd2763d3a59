"""A visitor to `offscreen serve` without a browser, and the screen a browser would show.

Shared by tests/web (which also reads a real browser's screen with `Screen`) and
benchmarks/serve_load.py:

- `running_server()` starts `offscreen serve --port 0` on 127.0.0.1 as a subprocess and
  yields its URL (read from the line it prints once it listens); it always stops it;
- `Screen` is a terminal emulator (pyte) fed the bytes the game sends, so a test can ask
  what text is on screen, and where;
- `Visitor` speaks textual-serve's websocket protocol the way its page does: it loads the
  page first (for the cookie), then sends `["stdin", keys]` and `["resize", {...}]` JSON
  messages and receives the game's output as binary frames.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType

import aiohttp
import pyte

REPO = Path(__file__).resolve().parents[1]
URL_LINE = re.compile(r"serving .* on (http://\S+/)")


@contextlib.contextmanager
def running_server(*args: str, env: dict[str, str] | None = None,
                   timeout: float = 30.0) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """`offscreen serve --port 0 ARGS...`, listening; yields (url, process)."""
    command = [sys.executable, "-m", "game", "serve", "--port", "0", *args]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, **(env or {})}, start_new_session=True)
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + timeout
        seen = []
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                raise RuntimeError("offscreen serve stopped: " + "".join(seen))
            seen.append(line)
            found = URL_LINE.search(line)
            if found:
                yield found.group(1), process
                return
        raise RuntimeError("offscreen serve did not start: " + "".join(seen))
    finally:
        stop(process)


def stop(process: subprocess.Popen[str]) -> None:
    """Ctrl+C, as a person would; then, if it hangs, kill its whole process group."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class Screen:
    """What the browser's terminal shows, rebuilt from the bytes the game sent."""

    def __init__(self, width: int = 100, height: int = 30) -> None:
        self.screen = pyte.Screen(width, height)
        self.stream = pyte.ByteStream(self.screen)

    def resize(self, width: int, height: int) -> None:
        if (self.screen.columns, self.screen.lines) != (width, height):
            self.screen.resize(height, width)

    def feed(self, data: bytes) -> None:
        self.stream.feed(data)

    @property
    def lines(self) -> list[str]:
        return list(self.screen.display)

    @property
    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.lines)

    def find(self, text: str) -> tuple[int, int] | None:
        """(row, column) of the first cell of `text` on screen, or None."""
        for row, line in enumerate(self.lines):
            column = line.find(text)
            if column >= 0:
                return row, column
        return None


class Visitor:
    """One browser tab's worth of protocol: `async with Visitor(url) as tab: ...`.

    `cookies` lets two Visitors share a cookie jar (the same person in two tabs); by
    default each has its own (two people).
    """

    def __init__(self, url: str, width: int = 100, height: int = 30,
                 cookies: aiohttp.CookieJar | None = None) -> None:
        self.url = url
        self.width = width
        self.height = height
        self.jar = aiohttp.CookieJar(unsafe=True) if cookies is None else cookies  # for an IP
        self.screen = Screen(width, height)
        self.closed = False
        self.frames = 0
        self.last_frame = 0.0
        self.arrivals: list[float] = []
        """When each binary frame came (monotonic), in order."""
        self._http: aiohttp.ClientSession | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task[None] | None = None
        self._changed = asyncio.Event()

    async def __aenter__(self) -> Visitor:
        self._http = aiohttp.ClientSession(cookie_jar=self.jar)
        async with self._http.get(self.url) as page:
            page.raise_for_status()
        self._ws = await self._http.ws_connect(
            f"{self.url}ws?width={self.width}&height={self.height}")
        await self._ws.send_json(["resize", {"width": self.width, "height": self.height}])
        await self._ws.send_json(["focus"])  # as the page does once its terminal has focus
        self._reader = asyncio.get_running_loop().create_task(self._read())
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        trace: TracebackType | None) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        if self._http is not None:
            await self._http.close()

    async def _read(self) -> None:
        assert self._ws is not None
        async for message in self._ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.last_frame = time.monotonic()  # when it came, before the emulator's work
                self.arrivals.append(self.last_frame)
                self.frames += 1
                self.screen.feed(message.data)
                self._changed.set()
        self.closed = True
        self._changed.set()

    def first_frame_after(self, count: int) -> float:
        """When the frame after the first `count` frames came (call once it has)."""
        return self.arrivals[count]

    async def press(self, keys: str) -> float:
        """Send keys as the page's terminal would; returns when they were sent."""
        assert self._ws is not None
        await self._ws.send_json(["stdin", keys])
        return time.monotonic()

    async def wait_for(self, check: Callable[[Screen], bool] | str,
                       timeout: float = 15.0) -> float:
        """Until the screen passes `check` (or shows the text); the time it first did."""
        test = (lambda screen: check in screen.text) if isinstance(check, str) else check
        deadline = time.monotonic() + timeout
        while not test(self.screen):
            if self.closed:
                raise ConnectionError("the game ended:\n" + self.screen.text)
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"not on screen after {timeout} s:\n{self.screen.text}")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), left)
        return self.last_frame

    async def settle(self, quiet: float = 0.3, timeout: float = 15.0) -> None:
        """Until no frame has come for `quiet` seconds (the typewriter has finished)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            await asyncio.sleep(quiet / 3)
            if self.closed or time.monotonic() - self.last_frame >= quiet:
                return
        raise TimeoutError(f"the screen kept changing for {timeout} s")

    async def wait_closed(self, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while not self.closed:
            if time.monotonic() > deadline:
                raise TimeoutError("the game did not end")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), deadline - time.monotonic())
