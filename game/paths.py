"""Where the shipped story and the save folder are, for a checkout and for an install.

From a checkout the game plays the repo's `scenes/` and saves into the repo's `saves/`, so a
developer sees everything in one place. An installed copy must never write inside
site-packages, so its saves go to the platform's per-user data folder. `--saves DIR` and the
`OFFSCREEN_SAVES` environment variable override both.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
APP_NAME = "offscreen"


def is_checkout() -> bool:
    """True when running from a source tree (not an installed wheel)."""
    return (REPO_DIR / "pyproject.toml").is_file() and (REPO_DIR / "scenes").is_dir()


def default_story_dir() -> Path:
    if is_checkout():
        return REPO_DIR / "scenes"
    return PACKAGE_DIR / "scenes"  # the wheel carries the repo's scenes/ here


def user_data_dir() -> Path:
    """The platform's per-user data folder (XDG on Linux), without extra dependencies."""
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or home / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return base / APP_NAME


def user_cache_dir() -> Path:
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
        return base / APP_NAME / "cache"
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / APP_NAME
    return Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache") / APP_NAME


def default_saves_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """--saves beats OFFSCREEN_SAVES beats the checkout's saves/ beats the user data folder."""
    if override:
        return Path(override)
    env = os.environ.get("OFFSCREEN_SAVES")
    if env:
        return Path(env)
    if is_checkout():
        return REPO_DIR / "saves"
    return user_data_dir() / "saves"
