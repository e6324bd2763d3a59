"""Pausing Python's cyclic garbage collector while we build things that are never garbage.

CPython runs its collector after every ~700 new container objects, and every so often walks
every object alive. Loading a story builds hundreds of thousands of objects that hold no
cycles and live as long as the game; start-up imports tens of thousands more (modules,
classes, functions); a random-playthrough run allocates a list per step. Left running, the
collector walked all of those again and again and found nothing. So these places pause it,
and where what was built lives for the rest of the process, freeze it: `gc.freeze()` moves
every live object into a permanent generation that collections skip (reference counting still
frees them). Cycles made while paused are only collected later, or, once frozen, never; none
of the paused code makes any on purpose.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused(*, freeze: bool = False) -> Iterator[None]:
    """No collections inside; afterwards the collector is as it was (and, with `freeze`,
    everything alive at the end is out of its sight for good).

    Freeze whatever will outlive the block: a collector switched back on counts everything
    allocated while it was off, so the very next allocation starts a collection over all of
    it (a quarter of a second after loading the 10,000-scene story).
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if collecting:
            gc.enable()
