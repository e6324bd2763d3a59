"""The naming rules of the scene format, shared by the careful and the quick readers.

Which ids are valid, where `{variable}` holes are in text, how a choice without an `id` gets
one, and the "did you mean" suggestion for a name that does not exist.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
"""Scene, fact, variable, ending and choice ids: they appear inside conditions."""
IDENT_RULE = ("use ASCII letters (a-z, A-Z), digits and underscores, not starting with a "
              "digit")
"""`IDENT` in an author's words, for every message that refuses an id: "letters" alone
reads as "any letter", and `café` is refused."""
WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
"""Anything in a text that could be an id (to see which names a text may define)."""
SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")
"""The story id, which only saves and file names use."""
SLUG_RULE = "lowercase ASCII letters (a-z), digits, '-' and '_'"
"""`SLUG` in an author's words."""
HOLE = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
"""A `{name}` hole, an escaped brace (`{{`, `}}`), or a stray brace, in scene text."""
_SLUG_CHARS = re.compile(r"[^a-z0-9]+")
_ALNUM = b"abcdefghijklmnopqrstuvwxyz0123456789"
_TO_SPACE = bytes.maketrans(bytes(c for c in range(256) if c not in _ALNUM),
                            b" " * (256 - len(_ALNUM)))
"""Every byte but a-z and 0-9 to a space (`slugify`'s ASCII path)."""


def slugify(text: str) -> str:
    """A choice's default id, made from its text: stable while the text does not change.

    Each run of characters other than a-z and 0-9 (after lowering) is one `_`, with none at
    either end, cut to 40. Every choice without an `id` asks (~30,000 in a big story), and
    the regex's `sub` was ~2% of a cold load; ASCII text (nearly all) goes through
    `bytes.translate` and `split` instead, a third of the time, with the same answer
    (`tests/story/test_names_closest.py` holds the two equal)."""
    if text.isascii():
        slug = b"_".join(text.lower().encode().translate(_TO_SPACE).split()).decode()
    else:
        slug = slug_by_regex(text)
    slug = slug[:40].rstrip("_")
    return slug if slug and not slug[0].isdigit() else f"c_{slug}"


def slug_by_regex(text: str) -> str:
    """`slugify`'s runs as the regex finds them, before the cut: any text."""
    return _SLUG_CHARS.sub("_", text.lower()).strip("_")


def default_title(scene_id: str) -> str:
    """A scene's title when it gives none: `lamp_room` -> "Lamp room"."""
    return scene_id.replace("_", " ").capitalize()


CUTOFF = 0.6
"""How alike a name must be to be suggested (difflib's ratio)."""


def closest(name: str, options: Iterator[str] | Mapping[str, object] | list[str]) -> str | None:
    """The most alike option: what `difflib.get_close_matches(name, options, 1, CUTOFF)`
    gives (a test holds them equal), found without scoring most options.

    A goto's typo in a 10,000-scene story has 10,000 options, thousands of them alike
    (`lobby_5001`, `lobby_5002`...), and difflib scores every one that shares enough
    letters: a fifth of a second in each check with such a typo. A score is never above
    the share of letters in common (`quick_ratio`), so the options are taken from the most
    letters in common down, and the search stops once no option left could beat the best.
    """
    import difflib  # only when there is a mistake to explain: start-up time matters

    letters = [(c, name.count(c)) for c in set(name)]
    size = len(name)
    hopeful = []
    for option in options:
        length = len(option) + size
        shared = 0
        for c, n in letters:  # a plain loop: this runs for every option (10,000 at 10k)
            k = option.count(c)
            shared += k if k < n else n
        bound = 2.0 * shared / length if length else 1.0  # difflib's own arithmetic
        if bound >= CUTOFF:
            hopeful.append((bound, option))
    hopeful.sort(reverse=True)
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(name)
    best: tuple[float, str] | None = None
    for bound, option in hopeful:
        if best is not None and bound < best[0]:
            break  # no option left can score as high
        matcher.set_seq1(option)
        score = matcher.ratio()
        if score >= CUTOFF and (best is None or (score, option) > best):
            best = (score, option)
    return best[1] if best else None


def did_you_mean(name: str, options: Iterator[str] | Mapping[str, object] | list[str]) -> str:
    match = closest(name, options)
    return f"; did you mean '{match}'?" if match else ""
