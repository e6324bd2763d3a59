"""Where the shipped story and the save folder are, for a checkout and for an install.

From a checkout the game plays the repo's `scenes/` and saves into the repo's `saves/`, so a
developer sees everything in one place. An installed copy must never write inside
site-packages, so its saves go to the platform's per-user data folder. `--saves DIR` and the
`OFFSCREEN_SAVES` environment variable override both.
"""

from __future__ import annotations

import os
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


def docs_dir() -> Path:
    """The author's and player's guides: the repo's docs/, or the copy the wheel carries."""
    if is_checkout():
        return REPO_DIR / "docs"
    return PACKAGE_DIR / "docs"  # setup.py maps the repo's docs/ here


def user_data_dir() -> Path:
    """The platform's per-user data folder, as platformdirs knows it for each system.

    Linux (and other XDG systems): $XDG_DATA_HOME/offscreen, ~/.local/share/offscreen by
    default; macOS: ~/Library/Application Support/offscreen; Windows: %APPDATA%\\offscreen (the
    roaming folder, where saves follow the player between machines, as before platformdirs).
    """
    import platformdirs  # imported here: only an installed copy's saves and the cache need it

    return platformdirs.user_data_path(APP_NAME, appauthor=False, roaming=True)


def user_cache_dir() -> Path:
    """The per-user cache folder: ~/.cache/offscreen on Linux, ~/Library/Caches/offscreen on
    macOS, %LOCALAPPDATA%\\offscreen\\Cache on Windows. Only rebuildable files go here."""
    import platformdirs

    return platformdirs.user_cache_path(APP_NAME, appauthor=False)


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
