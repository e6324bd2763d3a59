"""File writes off the UI thread: one background thread running jobs in the order given.

The Textual app must not wait for a disk (an autosave is two fsyncs, ~10-50 ms on a slow
one) between a key press and the next frame, so the Session can hand its writes to a
`Writer`. Each job is the same atomic write it would have done in place (game/storage/
atomic.py), so atomicity is unchanged; jobs run one at a time, in order. A job given a `key`
replaces one with the same key that has not started yet (last wins: the autosave of the
newest move makes the waiting one pointless); jobs without a key all run. `flush()` waits
until everything given so far is written, and is called before anything reads the files.

Nothing here imports Textual (tests/test_layers.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from itertools import count


class Writer:
    def __init__(self) -> None:
        self._jobs: dict[object, Callable[[], None]] = {}
        """Waiting jobs by key, in the order first given (dicts keep insertion order)."""
        self._busy = False
        self._lock = threading.Condition()
        self._thread: threading.Thread | None = None
        self._unique = count()
        self.failure: Exception | None = None
        """The last exception a job raised (a bug: jobs catch what they expect)."""

    def submit(self, job: Callable[[], None], key: str | None = None) -> None:
        """Run `job` after the jobs given before it; with a key, replace a waiting one."""
        with self._lock:
            self._jobs[key if key is not None else next(self._unique)] = job
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="offscreen-writer",
                                                daemon=True)
                self._thread.start()
            self._lock.notify_all()

    def flush(self) -> None:
        """Wait until every job given so far has run."""
        with self._lock:
            while self._jobs or self._busy:
                self._lock.wait()

    def _run(self) -> None:
        while True:
            with self._lock:
                while not self._jobs:
                    self._lock.wait()
                key = next(iter(self._jobs))
                job = self._jobs.pop(key)
                self._busy = True
            try:
                job()  # jobs report their own errors (the Session's autosave does)
            except Exception as exc:  # a bug in a job must not stop the writes after it
                self.failure = exc
            finally:
                with self._lock:
                    self._busy = False
                    self._lock.notify_all()
