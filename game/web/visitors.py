"""Who a visitor is, and the one folder that holds their saves and journal.

A visitor is a random token in a cookie. The token is the only thing a browser can choose,
and it becomes a folder name, so it is checked strictly (fixed length, URL-safe base64
alphabet only) before any path is built from it: nothing a browser sends can name a folder
outside the server's data folder, or another visitor's without guessing their 128 bits.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from pathlib import Path

COOKIE = "offscreen_visitor"
TOKEN_BYTES = 16
"""128 bits: a token cannot be guessed."""
TOKEN_LENGTH = 22
"""len(secrets.token_urlsafe(16)): 16 bytes in unpadded URL-safe base64."""
_TOKEN = re.compile(rf"[A-Za-z0-9_-]{{{TOKEN_LENGTH}}}")
COOKIE_MAX_AGE = 400 * 24 * 3600
"""The longest lifetime browsers keep a cookie for (400 days): a visitor's game outlives
their browser session."""


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def valid_token(value: str | None) -> str | None:
    """The token if it is one `new_token` could have made, else None (never an exception)."""
    if value is not None and _TOKEN.fullmatch(value):
        return value
    return None


def folder_name(token: str) -> str:
    """A visitor's folder is named for a hash of their token, not the token itself: a listing
    of the data folder (a backup, a shared screen) gives nobody a cookie that opens a game."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()[:32]


def visitor_folder(data_dir: Path, token: str) -> Path:
    """The visitor's own folder (created if new); only for a token `valid_token` accepted."""
    if valid_token(token) is None:
        raise ValueError("not a visitor token")
    folder = data_dir / folder_name(token)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
