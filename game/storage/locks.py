"""OS file locks, for several games sharing one save folder.

A lock is an empty hidden file in the save folder (`.NAME.lock`) held open with an advisory
lock on it: `fcntl.flock` on Linux, macOS and the BSDs, `msvcrt.locking` on Windows. The
operating system drops the lock when the process ends, however it ends (a crash, SIGKILL,
a power cut), so a lock can never be left stuck by a dead game, and the lock files
themselves are kept (deleting one while another game waits on it would let two games hold
"the same" lock). Windows has no shared locks: a shared lock is taken exclusively there,
which only makes the start-up sweep more careful (see `SaveStore.claim_autosave`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import time
from pathlib import Path

LOCK_SUFFIX = ".lock"
POLL = 0.01
"""Seconds between attempts while waiting for a lock."""


class FileLock:
    """A held lock; `release` (or the end of the process) lets others take it."""

    def __init__(self, fd: int, path: Path) -> None:
        self._fd: int | None = fd
        self.path = path

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                _unlock(fd)
            with contextlib.suppress(OSError):
                os.close(fd)

    def __enter__(self) -> FileLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def __del__(self) -> None:
        self.release()


def lock_path(folder: Path, name: str) -> Path:
    return folder / f".{name}{LOCK_SUFFIX}"


def try_lock(path: Path, *, shared: bool = False) -> FileLock | None:
    """The lock if it is free now, else None; OSError when the lock file cannot be opened."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
                 | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        taken = _lock(fd, shared)
    except BaseException:
        os.close(fd)
        raise
    if not taken:
        os.close(fd)
        return None
    return FileLock(fd, path)


def wait_lock(path: Path, timeout: float, *, shared: bool = False) -> FileLock | None:
    """The lock, waiting up to `timeout` seconds for another game to let go; None if not."""
    deadline = time.monotonic() + timeout
    while True:
        held = try_lock(path, shared=shared)
        if held is not None or time.monotonic() >= deadline:
            return held
        time.sleep(POLL)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fd: int, shared: bool) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EDEADLK):
                return False
            raise
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int, shared: bool) -> bool:
        try:
            fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                return False
            raise
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
