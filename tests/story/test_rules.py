"""game/story/rules.py: a choice's default id, whose slugs are remembered by text."""

from __future__ import annotations

from game.story import rules
from game.story.names import slugify


def test_a_default_id_is_the_slug_of_the_text_every_time_with_a_number_when_taken() -> None:
    for text in ("Walk into the kitchen", "Walk into the kitchen", "Go {name}!", "Ça va?"):
        assert rules.default_choice_id(text, set()) == slugify(text)
    base = slugify("Walk into the kitchen")
    assert rules.default_choice_id("Walk into the kitchen", {base}) == f"{base}_2"
    assert rules.default_choice_id("Walk into the kitchen", {base, f"{base}_2"}) == f"{base}_3"


def test_the_remembered_slugs_stay_small() -> None:
    """The memo lives as long as the process (a language server's is long): a long text is
    slugified each time rather than kept, and the number of texts kept is capped."""
    long_text = "a very long choice " * 100
    assert rules.default_choice_id(long_text, set()) == slugify(long_text)
    assert long_text not in rules._SLUGS
    for n in range(70_000):
        rules.default_choice_id(f"choice {n}", ())
    assert len(rules._SLUGS) <= 65536
    assert rules.default_choice_id("choice 69999", ()) == slugify("choice 69999")
