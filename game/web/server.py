"""The web server behind `offscreen serve`: pages, visitors, and one game process per tab.

Built on textual-serve's `AppService`, which starts a command under Textual's web driver and
relays its screen and keys over a websocket. Textual-serve's own `Server` is not used as it
is, because it gives every visitor the same command (so the same saves), builds absolute
URLs from the address it listens on (wrong for a visitor reaching 0.0.0.0), fetches a font
from the internet, and has no bound on sessions. What this server adds:

- a visitor cookie (HttpOnly, SameSite=Lax, 128 random bits; see `game.web.visitors`), set
  by the page; the websocket starts a game only for a valid one, given only that visitor's
  folder, so a reload resumes their own game and nobody reaches another's files;
- one live game per visitor (a second tab ends the first, so two processes never write the
  same autosave), at most `max_sessions` at once (a "busy" page past that), and a game that
  had no key for `idle_seconds` ended;
- a page of our own that loads only from this server (textual-serve's script and fonts, our
  favicon), with a Content-Security-Policy that keeps it so.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import textual_serve
from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from game.web.visitors import COOKIE, COOKIE_MAX_AGE, new_token, valid_token, visitor_folder

log = logging.getLogger("offscreen.serve")

HERE = Path(__file__).resolve().parent
TEXTUAL_SERVE_STATIC = Path(textual_serve.__file__).resolve().parent / "static"

CSP = ("default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; "
       "form-action 'none'; frame-ancestors 'none'")
"""Everything from this server and nothing from elsewhere (xterm.js adds inline styles)."""

STOP_SECONDS = 10.0
"""How long a game gets to quit after its tab is gone, before the server stops waiting."""


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """What `offscreen serve` was asked for (the command line's defaults are in cli.py)."""

    story_dir: Path
    data_dir: Path
    max_sessions: int = 20
    idle_seconds: float = 30 * 60


@dataclass(eq=False, slots=True)
class Live:
    """One browser tab's game."""

    visitor: str
    websocket: web.WebSocketResponse
    last_key: float = field(default_factory=time.monotonic)
    ended: asyncio.Event = field(default_factory=asyncio.Event)
    """Set once the game process has stopped (or the server gave up waiting for it)."""


class GameService(AppService):
    """textual-serve's process relay, which also ends the tab's session when the game process
    ends without saying so (a crash, a story that no longer loads): textual-serve closes the
    websocket only on the game's own "exit", and the page would wait for ever."""

    async def run(self) -> None:
        try:
            await super().run()
            # textual-serve's run ends when the game closes its output, which a game does
            # before its last clean-up; the visitor's autosave is free only once the process
            # has gone (the caller bounds this wait with STOP_SECONDS).
            process = self._process  # set by AppService.start; ours as a subclass
            if process is not None:
                await process.wait()
        finally:
            await self.remote_close()


def child_command(story_dir: Path, saves_dir: Path) -> str:
    """The shell command textual-serve runs for one tab (it always goes through a shell)."""
    argv = [sys.executable, "-m", "game.web.child", "--story", str(story_dir),
            "--saves", str(saves_dir)]
    if sys.platform == "win32":
        return subprocess.list2cmdline(argv)
    return "exec " + shlex.join(argv)  # no shell process left waiting beside the game


def size_from(value: object, default: int) -> int:
    """A terminal size from the browser: an int in a sane range, else the default."""
    try:
        number = int(str(value))
    except ValueError:
        return default
    return min(max(number, 10), 1000)


class GameServer:
    """The aiohttp application and the live games; `make_app()` builds the former."""

    def __init__(self, settings: ServerSettings, title: str) -> None:
        self.settings = settings
        self.title = title
        self.live: set[Live] = set()
        self.downloads = DownloadManager()
        self.pages = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"),
                                        autoescape=True)
        self._reaper: asyncio.Task[None] | None = None

    def make_app(self) -> web.Application:
        app = web.Application()
        app.add_routes([
            web.get("/", self.handle_page),
            web.get("/ws", self.handle_websocket),
            web.get("/favicon.svg", self.handle_favicon),
            web.get("/favicon.ico", self.handle_favicon),
            web.static("/static", TEXTUAL_SERVE_STATIC),
        ])
        app.on_startup.append(self._start_reaper)
        app.on_shutdown.append(self._end_all)
        return app

    # -- pages -------------------------------------------------------------------------

    def render(self, name: str, status: int = 200, **values: object) -> web.Response:
        html = self.pages.get_template(name).render(title=self.title, **values)
        response = web.Response(text=html, content_type="text/html", status=status)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    async def handle_page(self, request: web.Request) -> web.Response:
        """The game's page; it gives a new visitor their cookie."""
        if len(self.live) >= self.settings.max_sessions:
            response = self.render("busy.html", status=503)
            response.headers["Retry-After"] = "60"
            return response
        font_size = size_from(request.query.get("fontsize", "16"), 16)
        response = self.render("page.html", font_size=font_size,
                               idle_minutes=round(self.settings.idle_seconds / 60))
        token = valid_token(request.cookies.get(COOKIE))
        if token is None:
            response.set_cookie(COOKIE, new_token(), max_age=COOKIE_MAX_AGE, path="/",
                                httponly=True, samesite="Lax", secure=request.secure)
        return response

    async def handle_favicon(self, request: web.Request) -> web.FileResponse:
        return web.FileResponse(HERE / "static" / "favicon.svg",
                                headers={"Content-Type": "image/svg+xml"})

    # -- games -------------------------------------------------------------------------

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        """One tab's game: refused without a valid cookie, from another site, or when full."""
        token = valid_token(request.cookies.get(COOKIE))
        if token is None:
            raise web.HTTPForbidden(text="Load the page first: it gives you your cookie.")
        origin = request.headers.get("Origin")
        if origin is not None and origin.split("://", 1)[-1] != request.host:
            raise web.HTTPForbidden(text="The game only talks to its own page.")
        for old in [live for live in self.live if live.visitor == token]:
            # Another tab, or this one before a reload: that game ends (and autosaves) first.
            await old.websocket.close(code=WSCloseCode.GOING_AWAY,
                                      message=b"opened in another tab")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(old.ended.wait(), STOP_SECONDS)
        if len(self.live) >= self.settings.max_sessions:
            raise web.HTTPServiceUnavailable(text="Too many players right now; try again.")

        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)
        live = Live(token, websocket)
        self.live.add(live)
        folder = visitor_folder(self.settings.data_dir, token)

        async def game_ended() -> None:  # the game quit: the page shows "This game has ended"
            await websocket.close()

        service = GameService(child_command(self.settings.story_dir, folder),
                             write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                             close=game_ended, download_manager=self.downloads)
        try:
            await service.start(size_from(request.query.get("width"), 80),
                                size_from(request.query.get("height"), 24))
            await self.relay(live, service)
        except Exception:  # a broken connection must not take the server down
            log.exception("game session failed")
        finally:
            try:
                await asyncio.wait_for(service.stop(), STOP_SECONDS)
            except (TimeoutError, ConnectionError):
                log.warning("a game did not stop within %s s", STOP_SECONDS)
            # Only now is the seat free and the visitor's next game allowed to start: until
            # its process has ended, this game still holds the visitor's autosave.
            self.live.discard(live)
            live.ended.set()
            await websocket.close()
        return websocket

    async def relay(self, live: Live, service: AppService) -> None:
        """The browser's messages to the game (textual-serve's protocol: JSON lists)."""
        handlers: dict[str, Callable[[list[object]], Awaitable[object]]] = {
            "stdin": lambda m: service.send_bytes(str(m[1]).encode("utf-8")),
            "resize": lambda m: service.set_terminal_size(
                size_from(_field(m, "width"), 80), size_from(_field(m, "height"), 24)),
            "ping": lambda m: live.websocket.send_json(["pong", m[1]]),
            "blur": lambda m: service.blur(),
            "focus": lambda m: service.focus(),
        }
        async for message in live.websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except ValueError:
                continue
            if not (isinstance(envelope, list) and envelope and envelope[0] in handlers):
                continue
            if envelope[0] in ("stdin", "ping", "resize") and len(envelope) < 2:
                continue
            if envelope[0] == "stdin":
                live.last_key = time.monotonic()
            await handlers[envelope[0]](envelope)

    # -- idle games and shutdown -------------------------------------------------------

    async def end_idle(self, now: float | None = None) -> int:
        """End the games that had no key for `idle_seconds`; how many were ended."""
        now = time.monotonic() if now is None else now
        idle = [live for live in self.live
                if now - live.last_key >= self.settings.idle_seconds]
        for live in idle:
            await live.websocket.close(code=WSCloseCode.GOING_AWAY, message=b"idle")
        return len(idle)

    async def _reap_forever(self) -> None:
        every = min(max(self.settings.idle_seconds / 4, 0.5), 30.0)
        while True:
            await asyncio.sleep(every)
            await self.end_idle()

    async def _start_reaper(self, app: web.Application) -> None:
        self._reaper = asyncio.get_running_loop().create_task(self._reap_forever())

    async def _end_all(self, app: web.Application) -> None:
        if self._reaper is not None:
            self._reaper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reaper
        for live in list(self.live):
            await live.websocket.close(code=WSCloseCode.GOING_AWAY, message=b"server stopped")


def _field(message: list[object], name: str) -> object:
    data = message[1]
    return data.get(name) if isinstance(data, dict) else None


async def serve(server: GameServer, host: str, port: int,
                ready: Callable[[str], None]) -> None:
    """Listen until Ctrl+C or SIGTERM; `ready` gets the URL once the port is open.

    The signal handlers are set here rather than left to Python's KeyboardInterrupt: a
    process started in the background by a shell inherits SIGINT ignored, and a service
    manager stops with SIGTERM; either way the games are told to quit and saved.
    """
    runner = web.AppRunner(server.make_app(), handle_signals=False)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        await site.start()
        bound = runner.addresses[0]
        shown = f"[{bound[0]}]" if ":" in str(bound[0]) else str(bound[0])
        ready(f"http://{shown}:{bound[1]}/")
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for number in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):  # Windows: Ctrl+C still interrupts
                loop.add_signal_handler(number, stop.set)
        await stop.wait()
    finally:
        await runner.cleanup()
