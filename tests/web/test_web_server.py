"""`offscreen serve` over HTTP and its websocket, as the page's script speaks it (no browser).

What a visitor gets (a cookie, a page that fetches nothing from elsewhere), what they do not
(another visitor's saves, a game without a cookie or from another site's page), and the
bounds: games at once, idle games, one game per visitor.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import shlex
import shutil
import signal
import sys
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from html.parser import HTMLParser
from pathlib import Path

import aiohttp
import pytest
from serve_client import Visitor, running_server

from game.web import server
from game.web.visitors import COOKIE, folder_name

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "example"
TITLE_MENU = "New game"
Serve = Callable[..., AbstractContextManager[tuple[str, object]]]  # the `serve` fixture


class Links(HTMLParser):
    """Every URL the page would load: src and href attributes, and CSS url(...)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for name, value in attrs if name in ("src", "href") and value]

    def handle_data(self, data: str) -> None:
        self.urls += re.findall(r"url\(\s*[\"']?([^\"')]+)", data)


async def get(url: str, jar: aiohttp.CookieJar | None = None) -> tuple[int, str, dict[str, str]]:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True) if jar is None else jar) as http, \
            http.get(url) as response:
        return (response.status, (await response.read()).decode("utf-8", "replace"),
                dict(response.headers))


async def test_page_sets_a_strict_cookie_once(url: str) -> None:
    jar = aiohttp.CookieJar(unsafe=True)
    status, html, headers = await get(url, jar)
    assert status == 200 and "First Day" in html
    cookie = headers["Set-Cookie"]
    assert re.match(rf"{COOKIE}=[A-Za-z0-9_-]{{22}};", cookie), cookie
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    status, _, headers = await get(url, jar)  # coming back: the same cookie, not a new one
    assert status == 200 and "Set-Cookie" not in headers


async def test_page_loads_nothing_from_elsewhere(url: str) -> None:
    status, html, headers = await get(url)
    assert status == 200
    links = Links()
    links.feed(html)
    assert "/static/js/textual.js" in links.urls and "/favicon.svg" in links.urls
    assert any(u.endswith(".ttf") for u in links.urls)  # textual-serve's own Roboto Mono
    for link in links.urls:
        assert link.startswith("/") and not link.startswith("//"), link
        code, body, _ = await get(url.rstrip("/") + link)
        assert code == 200, link
        if link.endswith((".css", ".js")):  # what they load in turn is local too
            assert not re.search(r"(url\(|@import|fetch\()\s*[\"']?(https?:)?//", body), link
    assert not re.search(r"((https?|wss?):)?//\w", html)  # no address of another host at all
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert "connect-src 'self'" in headers["Content-Security-Policy"]


async def test_the_game_needs_the_cookie_and_its_own_page(url: str) -> None:
    async with aiohttp.ClientSession() as http:
        for token, origin in [(None, None), ("../../../etc/passwd", None), ("x" * 21, None),
                              ("x" * 22, "http://evil.example")]:
            headers = {"Cookie": f"{COOKIE}={token}"} if token else {}
            if origin:
                headers["Origin"] = origin
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await http.ws_connect(url + "ws", headers=headers)
            assert refused.value.status == 403, (token, origin)


async def test_each_visitor_has_their_own_game_and_a_reload_resumes_it(
        url: str, data_dir: Path) -> None:
    alice = aiohttp.CookieJar(unsafe=True)
    async with Visitor(url, cookies=alice) as tab:
        await tab.wait_for(TITLE_MENU)
        assert "Continue" not in tab.screen.text
        await tab.press("\r")
        await tab.wait_for("Walk into the kitchen")
        await tab.press("2")
        await tab.wait_for("Go to your desk")  # the kitchen's choices: the move is autosaved
    async with Visitor(url) as bob:  # another person: a fresh title, no Continue
        await bob.wait_for(TITLE_MENU)
        await bob.settle()
        assert "Continue" not in bob.screen.text
    async with Visitor(url, cookies=alice) as again:  # Alice reloads: her game, on Continue
        await again.wait_for("Continue")
        await again.press("\r")
        await again.wait_for("The Kitchen")
    token = next(c.value for c in alice if c.key == COOKIE)
    folders = sorted(p.name for p in data_dir.iterdir())
    assert len(folders) == 2 and folder_name(token) in folders
    mine = data_dir / folder_name(token)
    assert any(p.name.startswith("autosave") for p in mine.iterdir())
    (theirs,) = (data_dir / name for name in folders if name != folder_name(token))
    assert not any(p.name.startswith("autosave") for p in theirs.iterdir())


async def test_a_second_tab_ends_the_first(url: str) -> None:
    jar = aiohttp.CookieJar(unsafe=True)
    async with Visitor(url, cookies=jar) as first:
        await first.wait_for(TITLE_MENU)
        async with Visitor(url, cookies=jar) as second:
            await first.wait_closed()
            await second.wait_for(TITLE_MENU)


async def test_past_the_bound_a_busy_page(serve: Serve) -> None:
    with serve("--max-sessions", "1") as (url, _):
        async with Visitor(url) as tab:
            await tab.wait_for(TITLE_MENU)
            status, html, headers = await get(url)
            assert status == 503 and "busy" in html and "try again" in html
            assert headers["Retry-After"] == "60"
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                async with aiohttp.ClientSession() as http:
                    await http.ws_connect(url + "ws", headers={"Cookie": f"{COOKIE}={'y' * 22}"})
            assert refused.value.status == 503
        for _ in range(50):  # the seat is free once the game has stopped
            status, _, _ = await get(url)
            if status == 200:
                break
            await asyncio.sleep(0.1)
        assert status == 200


async def test_an_idle_game_is_ended_and_keys_keep_it_open(serve: Serve) -> None:
    with serve("--idle-minutes", "0.05") as (url, _):  # 3 seconds without a key
        async with Visitor(url) as tab:
            for _ in range(6):  # a key a second for six seconds: still playing
                await asyncio.sleep(1)
                assert not tab.closed
                await tab.press("\x1b[B")  # the down arrow: harmless on the title menu
            quiet = time.monotonic()
            await tab.wait_closed(timeout=30)
            assert time.monotonic() - quiet >= 2.5


async def test_quitting_the_game_ends_the_session(url: str) -> None:
    async with Visitor(url) as tab:
        await tab.wait_for(TITLE_MENU)
        await tab.press("\r")
        await tab.wait_for("q Quit")  # the web footer's twin of Ctrl+Q
        await tab.wait_for("Walk into the kitchen")  # typed out: a key is no longer "skip"
        await tab.press("q")
        await tab.wait_for("Quit First Day?")
        await tab.press("y")
        await tab.wait_closed()


@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT-ignored-by-parent"])
async def test_the_server_stops_on_a_signal_and_its_games_with_it(serve: Serve, how: str) -> None:
    """A service manager's SIGTERM, or Ctrl+C reaching a server a shell started in the
    background (so it inherited SIGINT ignored): either way it stops, games and all."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if how != "SIGTERM" else None
    try:
        context = serve()
        url, process = context.__enter__()
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    try:
        async with Visitor(url) as tab:
            await tab.wait_for(TITLE_MENU)
            games = [p for p in Path("/proc").glob("[0-9]*/stat")
                     if p.read_text().rsplit(")", 1)[1].split()[1] == str(process.pid)]
            assert len(games) == 1
            process.send_signal(signal.SIGTERM if how == "SIGTERM" else signal.SIGINT)
            assert await asyncio.to_thread(process.wait, 10) == 0
            await tab.wait_closed()
        # The game was told to stop; on a loaded machine it may take a moment to be gone.
        deadline = time.monotonic() + 15
        while games[0].exists() and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        assert not games[0].exists()
    finally:
        context.__exit__(None, None, None)


async def test_a_game_that_cannot_start_ends_the_session(data_dir: Path, tmp_path: Path) -> None:
    """The story broke after the server started: the page is told the game ended, rather
    than waiting for a screen that never comes."""
    story = tmp_path / "story"
    shutil.copytree(EXAMPLE, story)
    with running_server("--story", str(story), "--saves", str(data_dir)) as (url, _):
        (story / "story.yaml").write_text("story: [this is not a story\n")
        async with Visitor(url) as tab:
            await tab.wait_closed(timeout=30)
        assert "New game" not in tab.screen.text


async def test_a_quick_reload_waits_for_the_last_game_so_continue_is_offered(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A reload closes the old websocket and opens a new one at once: the new game must
    start only once the old process is gone, or the old one still holds the autosave and
    the new one gets a fresh `autosave-2` (and no Continue). Each game here lingers two
    seconds after it quits (its output already closed), as a slow machine might, so the race
    is always lost."""

    def slow_to_leave(story: Path, saves: Path) -> str:
        # At exit it closes its output first, then lingers: what a game's own clean-up
        # after its last frame looks like, made slow.
        code = ("import atexit, os, runpy, sys, time; "
                "atexit.register(time.sleep, 2); atexit.register(os.close, 1); "
                f"sys.argv = ['child', '--story', {str(story)!r}, '--saves', {str(saves)!r}]; "
                "runpy.run_module('game.web.child', run_name='__main__')")
        return "exec " + shlex.join([sys.executable, "-c", code])

    monkeypatch.setattr(server, "child_command", slow_to_leave)
    game = server.GameServer(server.ServerSettings(EXAMPLE, data_dir), "First Day")
    urls: list[str] = []
    serving = asyncio.get_running_loop().create_task(
        server.serve(game, "127.0.0.1", 0, urls.append))
    try:
        while not urls:
            await asyncio.sleep(0.05)
        jar = aiohttp.CookieJar(unsafe=True)
        async with Visitor(urls[0], cookies=jar) as tab:
            await tab.wait_for(TITLE_MENU)
            await tab.press("n")
            await tab.wait_for("Walk into the kitchen")
            await tab.press("2")
            await tab.wait_for("Go to your desk")  # autosaved
        async with Visitor(urls[0], cookies=jar) as again:  # straight away, like F5
            await again.wait_for("Continue", timeout=30)
            await again.press("\r")
            await again.wait_for("Go to your desk")
            await again.press("2")  # a move: saved in this game's own autosave slot
            await again.wait_for("Your Desk")
        (folder,) = data_dir.iterdir()
        assert not [p.name for p in folder.iterdir() if p.name.startswith("autosave-")]
    finally:
        serving.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await serving
