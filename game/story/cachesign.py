"""Signing the cache's entries, so an entry this user's own game wrote needs no structural walk.

Anyone who can write the cache folder can write an entry with a valid checksum, so an entry
is never trusted for being well-formed on the outside: `cachecheck` walks its head (every
marshal count before it is loaded, then every value's type, shape and reference) before
anything is built from it. That walk is most of a warm start's cost (~10 ms of ~20 for the
10,000-scene story). An entry this user's game wrote itself needs none of it, if that can be
told apart from one anyone else wrote:

- the cache folder holds a secret, `signing.key`: 32 random bytes, created with mode 0600;
  it is used only while it is a regular file (never a link) owned by this user that no one
  else may read or write, else there is no secret and every entry is walked in full;
- `cache._write` signs each entry it writes: `NAME.story.sig` beside it holds
  HMAC-SHA256(secret, the entry's key, checksum and head);
- reading, an entry whose head carries a valid signature is loaded as it is (`trusted`);
  any other (no signature, another one, a head changed since) is walked in full as before.

Scenes are outside the signature (hashing all ~11 MB would cost what the walk saves) and
are checked as they are decoded, as they always were. Only someone who can read this
user's files could forge a signature, and they could already change the game itself. On a
system without file owners (Windows) there is no secret: every entry is walked.
"""

from __future__ import annotations

import contextlib
import hmac
import os
import stat
from pathlib import Path

__all__ = ["KEY_NAME", "SUFFIX", "sign", "signature_path", "trusted"]

KEY_NAME = "signing.key"
SUFFIX = ".sig"
_SECRET_BYTES = 32
_MAC_BYTES = 32
"""HMAC-SHA256's size."""


def signature_path(entry: Path) -> Path:
    return entry.with_name(entry.name + SUFFIX)


def sign(entry: Path, signed: bytes | memoryview) -> None:
    """Write the signature of the entry whose head bytes are `signed` (nothing when there
    is no usable secret); OSError when it cannot be written."""
    import secrets  # only when writing (it imports `random`: ~1 ms of a warm start)

    secret = _secret(entry.parent, create=True)
    if secret is None:
        return
    path = signature_path(entry)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        tmp.write_bytes(_mac(secret, signed))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def trusted(entry: Path, signed: bytes | memoryview) -> bool:
    """True when the entry's signature is this user's secret's over `signed`."""
    secret = _secret(entry.parent, create=False)
    if secret is None:
        return False
    found = _read_small(signature_path(entry), _MAC_BYTES)
    return found is not None and hmac.compare_digest(found, _mac(secret, signed))


def _mac(secret: bytes, signed: bytes | memoryview) -> bytes:
    return hmac.digest(secret, signed, "sha256")


def _secret(folder: Path, create: bool) -> bytes | None:
    """The folder's secret, if it is one only this user can read; made when missing."""
    if not hasattr(os, "getuid"):
        return None
    path = folder / KEY_NAME
    found = _read_small(path, _SECRET_BYTES, private=True)
    if found is not None or not create or path.exists():
        return found
    import secrets

    made = secrets.token_bytes(_SECRET_BYTES)
    tmp = folder / f".{KEY_NAME}.{secrets.token_hex(4)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0),
                 0o600)
    try:
        try:
            if os.write(fd, made) != len(made):
                return None
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)  # never replaces a secret another game made a moment ago
        except FileExistsError:
            return _read_small(path, _SECRET_BYTES, private=True)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return made


def _read_small(path: Path, size: int, private: bool = False) -> bytes | None:
    """Exactly `size` bytes of a regular file (no link followed, nothing blocking), or None;
    with `private`, only of one this user owns that no one else may read or write."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
                     | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size != size:
            return None
        if private and (st.st_uid != os.getuid() or st.st_mode & 0o077):
            return None
        data = os.read(fd, size + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return data if len(data) == size else None
