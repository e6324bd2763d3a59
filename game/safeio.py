"""Reading files that may not be what they seem: only regular files, and at most a limit.

Every reader of player- or author-controlled files (saves, the profile, the story cache,
story files) comes through here, because the obvious `path.read_bytes()` trusts the path:
a FIFO in its place blocks the game forever, a link to /dev/zero or /dev/urandom reads until
memory runs out, and a 2 GB sparse file costs 2 GB. So a read here

- refuses anything that is not a regular file ("not a regular file", with the path named)
  before opening it, and opens with O_NONBLOCK so that even a file swapped for a FIFO
  between the check and the open cannot block; `fstat` on the open descriptor then decides;
- with `follow=False` (the save folder) refuses a symbolic link instead of following it
  (O_NOFOLLOW), so nothing in the folder can point the game at a file elsewhere;
- reads with a bounded loop and stops one byte past `limit`, never trusting `st_size`
  (a file can grow while it is read, and /proc-like files report 0); a size over the limit
  is refused before anything is read (a 2 GB sparse file costs nothing).

The errors are OSError subclasses, so every existing `except OSError` already handles
them, and `describe` in the storage layer words them through `strerror`.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

CHUNK = 1 << 20


class NotRegularFile(OSError):
    """The path is a FIFO, a device, a socket or (with follow=False) a symbolic link."""

    def __init__(self, path: Path, what: str) -> None:
        super().__init__(errno.EINVAL, f"it is {what}, not a regular file", str(path))


class TooLarge(OSError):
    """The file holds more than the reader's limit; nothing past the limit was read."""

    def __init__(self, path: Path, limit: int) -> None:
        super().__init__(errno.EFBIG, f"it is larger than {_size(limit)}, the most the game "
                                      "reads from such a file", str(path))
        self.limit = limit


def _size(n: int) -> str:
    return f"{n // 2**20} MiB" if n >= 2**20 and n % 2**20 == 0 else f"{n} bytes"


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISLNK(mode):
        return "a symbolic link (links are not followed here)"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a plain file"


_FLAGS = (os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
          | getattr(os, "O_CLOEXEC", 0))
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def check_regular(path: Path, *, follow: bool = True) -> os.stat_result:
    """The file's stat if it is a regular file; NotRegularFile (or FileNotFoundError...) if not."""
    st = os.stat(path, follow_symlinks=follow)
    what = _kind(st.st_mode)
    if what == "a folder":
        raise IsADirectoryError(errno.EISDIR, "it is a folder, not a file", str(path))
    if what is not None:
        raise NotRegularFile(path, what)
    return st


def open_regular(path: Path, *, follow: bool = True) -> tuple[int, os.stat_result]:
    """An open descriptor of the regular file at path, and its stat (of the file opened,
    whatever the path is now); the caller closes it. Raises as `read_limited` does."""
    check_regular(path, follow=follow)
    try:
        fd = os.open(path, _FLAGS | (0 if follow else _NOFOLLOW))
    except OSError as exc:
        if not follow and exc.errno in (errno.ELOOP, errno.EMLINK):  # swapped for a link
            raise NotRegularFile(path, "a symbolic link (links are not followed here)") from None
        raise
    try:
        st = os.fstat(fd)
        what = _kind(st.st_mode)
        if what is not None:
            raise NotRegularFile(path, what)
    except BaseException:
        os.close(fd)
        raise
    return fd, st


def read_limited(path: Path, limit: int, *, follow: bool = True) -> bytes:
    """The whole file, if it is a regular file of at most `limit` bytes.

    Raises FileNotFoundError, IsADirectoryError, NotRegularFile, TooLarge or another OSError.
    """
    fd, st = open_regular(path, follow=follow)
    try:
        if st.st_size > limit:  # an early no; a small size is not believed (the loop decides)
            raise TooLarge(path, limit)
        # The size it claims, and one byte more, in one read: a regular file is then read
        # whole in one copy (joining chunks copied an 11 MB cache entry twice, and held both).
        # The loop after it decides: a file that grows while read is still cut at the limit.
        first = os.read(fd, min(st.st_size, limit) + 1)
        chunks, total = [first], len(first)
        while first and total <= limit:
            chunk = os.read(fd, min(CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise TooLarge(path, limit)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    finally:
        os.close(fd)
