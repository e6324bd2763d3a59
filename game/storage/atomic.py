"""Crash-safe file replacement: temp file in the same folder, write, fsync, rename, fsync dir.

A reader then sees either the old file or the new one, whatever instant the process or the
machine dies at. The temp file lives beside the target because rename is only atomic within
one filesystem, and its name starts with a dot so that a crash's leftovers never show up as
saves. With `backup`, the file about to be replaced is first hard-linked to the backup name
(one more rename, no copying), so the previous generation survives a write that turns out
bad; the target itself exists at every instant.

Every step goes through `os` functions looked up at call time, so tests can make any one of
them fail (ENOSPC, EROFS, a "crash") and check what is left on disk.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import time
from pathlib import Path

TEMP_SUFFIX = ".tmp"
STALE_AFTER = 3600.0
"""Seconds after which a leftover temp file is surely not another process's write in flight."""


def write_atomic(path: Path, data: bytes, backup: Path | None = None) -> None:
    """Replace `path` with `data` atomically; with `backup`, keep the replaced file there.

    On failure the exception propagates and `path` is untouched (the temp file is removed).
    """
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{path.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
    try:
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        if backup is not None:
            _keep_previous(path, backup)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(folder)


def _keep_previous(path: Path, backup: Path) -> None:
    """Make `backup` a complete copy of the current `path`, atomically, if `path` exists.

    Only a regular file is kept: a symbolic link in its place is not linked (that would make
    the backup a link pointing wherever it points) and not followed.
    """
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return
    except FileNotFoundError:
        return  # nothing to keep yet
    link = backup.parent / f".{backup.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}"
    try:
        os.link(path, link)  # a regular file: checked just above
    except FileNotFoundError:
        return  # nothing to keep yet
    except OSError:  # a filesystem without hard links (FAT, some network shares): copy
        try:
            old = path.read_bytes()
        except FileNotFoundError:
            return
        write_atomic(backup, old)
        return
    try:
        os.replace(link, backup)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(link)
        raise
    # When `backup` already is a link to the same file (another game kept it a moment ago),
    # POSIX rename does nothing at all and leaves `link` in place: remove it.
    with contextlib.suppress(OSError):
        os.unlink(link)


def fsync_dir(folder: Path) -> None:
    """Make renames in `folder` durable; not every platform can open a directory."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    with contextlib.suppress(OSError):
        os.fsync(fd)
    with contextlib.suppress(OSError):
        os.close(fd)


def move_aside(path: Path, tag: str) -> Path:
    """Rename `path` to `path.TAG` (or `path.TAG-2`, ...) without ever replacing a file there.

    For files we cannot use but must not destroy: a damaged profile or save stays on disk
    under a new name, where the player or a developer can still look at it.
    """
    n = 1
    while True:
        target = path.with_name(f"{path.name}.{tag}" + (f"-{n}" if n > 1 else ""))
        try:
            os.link(path, target)
        except FileExistsError:
            n += 1
            continue
        except OSError:
            if target.exists():
                n += 1
                continue
            os.rename(path, target)  # no hard links here; the check above guards the name
            fsync_dir(path.parent)
            return target
        os.unlink(path)
        fsync_dir(path.parent)
        return target


def sweep_temps(folder: Path, name: str | None, now: float | None = None,
                stale_after: float = STALE_AFTER) -> None:
    """Delete temp files left behind by a crash (of `name`, or of every file when None) once
    they are surely abandoned: older than `stale_after` seconds (0 when the caller knows no
    other process is writing)."""
    now = time.time() if now is None else now
    try:
        leftovers = list(folder.glob(f".{name}.*{TEMP_SUFFIX}" if name is not None
                                    else f".*{TEMP_SUFFIX}"))
    except OSError:
        return
    for leftover in leftovers:
        with contextlib.suppress(OSError):
            if now - os.lstat(leftover).st_mtime >= stale_after:
                leftover.unlink()


def signature(path: Path) -> tuple[int, int, int]:
    """A file as it is now (inode, size, mtime), never following a link: an atomic write
    makes a new inode, so a file equal to a signature taken after our write is still ours."""
    st = os.lstat(path)
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def describe(exc: OSError) -> str:
    """A short human reason for a failed file operation (the OS text alone can be cryptic)."""
    reasons = {
        errno.ENOSPC: "the disk is full",
        errno.EROFS: "the save folder is on a read-only file system",
        errno.EACCES: "permission denied (the save folder is read-only for you)",
        errno.EPERM: "permission denied (the save folder is read-only for you)",
        errno.ENAMETOOLONG: "the file name is too long for this file system",
        errno.EIO: "the disk reported an input/output error",
    }
    if hasattr(errno, "EDQUOT"):  # not on Windows
        reasons[errno.EDQUOT] = "your disk quota is used up"
    reason = reasons.get(exc.errno or -1)
    if reason is not None:
        return reason
    return exc.strerror or str(exc) or type(exc).__name__
