"""`names.closest` (every "did you mean") gives what difflib's get_close_matches gives.

It is a faster search for the same answer (see its docstring), so it is held equal to the
plain call on random names and options, ties and near-misses included.
"""

from __future__ import annotations

import difflib

from hypothesis import given, settings
from hypothesis import strategies as st

from game.story.names import CUTOFF, closest

WORDS = st.text(alphabet="abcd_1", max_size=8)


@settings(max_examples=500, deadline=None)
@given(name=WORDS, options=st.lists(WORDS, max_size=30))
def test_closest_is_difflibs_best_match(name: str, options: list[str]) -> None:
    expected = difflib.get_close_matches(name, options, n=1, cutoff=CUTOFF)
    assert closest(name, options) == (expected[0] if expected else None)


def test_closest_among_many_alike_ids() -> None:
    ids = [f"lobby_{i}" for i in range(2000)] + ["kitchen", "kitchen_2"]
    for name in ("lobby_1999q", "qlobby_17", "kitchn", "lobby", "nowhere"):
        expected = difflib.get_close_matches(name, ids, n=1, cutoff=CUTOFF)
        assert closest(name, ids) == (expected[0] if expected else None)
    assert closest("kitchn", {"kitchen": 1, "hall": 2}) == "kitchen"
    # the most letters in common is not the best score: the search must go on past it
    assert closest("abcd", ["abdc", "abcdx"]) == "abcdx"
