"""Fixtures for `offscreen serve`: a server on 127.0.0.1 on a free port, with its own data folder.

The web tests need the `[web]` extra (textual-serve), pyte and aiohttp; all are in `[dev]`.
Each server is a real `offscreen serve` subprocess, stopped with Ctrl+C when the test ends.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))  # serve_client, shared with the load test
sys.path.insert(0, str(REPO / "tests" / "ui"))  # ui_helpers: screen_text and friends

from serve_client import running_server  # noqa: E402

EXAMPLE = REPO / "docs" / "example"
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark this folder's tests `web` (the hook sees every collected test, so filter)."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.web)

Serve = Callable[..., AbstractContextManager[tuple[str, object]]]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "web-data"


@pytest.fixture
def serve(data_dir: Path) -> Serve:
    """serve(*extra_args): a context manager yielding (url, process) for the example story."""

    def start(*args: str) -> AbstractContextManager[tuple[str, object]]:
        return running_server("--story", str(EXAMPLE), "--saves", str(data_dir), *args)

    return start


@pytest.fixture
def url(serve: Serve) -> Iterator[str]:
    with serve() as (address, _):
        yield address
