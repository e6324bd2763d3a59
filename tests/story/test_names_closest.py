"""`names.closest` (every "did you mean") gives what difflib's get_close_matches gives.

It is a faster search for the same answer (see its docstring), so it is held equal to the
plain call on random names and options, ties and near-misses included.
"""

from __future__ import annotations

import difflib
import re
import string

from hypothesis import given, settings
from hypothesis import strategies as st

from game.story.names import CUTOFF, closest, slug_by_regex, slugify

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


def _regex_slug(text: str) -> str:
    """`slugify` as it was written first: one regex over the whole text."""
    slug = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:40].rstrip("_")
    return slug if slug and not slug[0].isdigit() else f"c_{slug}"


@settings(max_examples=1000, deadline=None)
@given(text=st.one_of(st.text(alphabet=string.printable, max_size=90),
                      st.text(alphabet="aZ9 _-,.!{}\t\x00\x7f\u00e9\u0130\u212a", max_size=60),
                      st.text(max_size=60)))
def test_slugify_is_the_regex_slug(text: str) -> None:
    """The ASCII path (`bytes.translate`) and the regex path give the first rule's id."""
    assert slugify(text) == _regex_slug(text)
    assert slug_by_regex(text) == re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def test_slugify_examples() -> None:
    assert slugify("Go to the Lobby!") == "go_to_the_lobby"
    assert slugify("  --Wait--  ") == "wait"
    assert slugify("42 ways") == "c_42_ways"
    assert slugify("!!!") == "c_"
    assert slugify("Café au lait") == "caf_au_lait"
    assert slugify("x" * 39 + " y") == "x" * 39
