"""`offscreen serve`: play the game in a web browser (the `[web]` extra, textual-serve).

Checks what it can before it listens (the extra is installed, the story loads), so a
mistake is a message and exit code 2 or 1 rather than a page that fails later; then serves
until Ctrl+C. Each browser tab gets its own game process (see game.web.server).
"""

from __future__ import annotations

import asyncio
import ipaddress
import sys
from pathlib import Path

from game.commands.loading import load, refuse_broken

INSTALL_HINT = "pip install 'offscreen[web]'"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def run(story: Path, data_dir: Path, host: str, port: int, max_sessions: int,
        idle_minutes: float) -> int:
    try:
        from game.web.server import GameServer, ServerSettings, serve
    except ImportError as exc:
        print(f"offscreen: `offscreen serve` needs the web extra ({exc.name} is missing): "
              f"{INSTALL_HINT}", file=sys.stderr)
        return 2
    if max_sessions < 1 or idle_minutes <= 0:
        print("offscreen: --max-sessions and --idle-minutes must be above zero", file=sys.stderr)
        return 2
    result = load(story, cache=True)
    if result.story is None:
        return refuse_broken(result, story, "so it cannot be served; fix them and try again")
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"offscreen: cannot use {data_dir} for the visitors' saves: {exc}", file=sys.stderr)
        return 2
    if not is_loopback(host):
        print(f"offscreen: warning: serving on {host}: anyone who can reach this machine on "
              f"port {port} can play (each visitor gets a save folder under {data_dir})",
              file=sys.stderr)
    settings = ServerSettings(story.resolve(), data_dir.resolve(), max_sessions=max_sessions,
                        idle_seconds=idle_minutes * 60)
    title = result.story.title
    server = GameServer(settings, title=title)

    def ready(url: str) -> None:
        print(f"offscreen: serving {title} on {url} (saves in {data_dir}; Ctrl+C to stop)",
              flush=True)

    try:
        asyncio.run(serve(server, host, port, ready))
    except KeyboardInterrupt:
        return 0
    except OSError as exc:  # the port is taken, the address is not this machine's...
        print(f"offscreen: cannot serve on {host}:{port}: {exc.strerror or exc}",
              file=sys.stderr)
        return 2
    return 0
