"""game.story.construct: the fast constructors build exactly what the classes do."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from game.story.construct import blank_class, draft_class, fast_constructor, slot_setters
from game.story.model import Ending, Pos, new_pos
from game.story.scene import (
    Choice,
    Condition,
    Effect,
    Paragraph,
    Scene,
    Template,
    new_choice,
    new_condition,
    new_effect,
    new_paragraph,
    new_scene,
    new_template,
)


@dataclass(frozen=True, slots=True)
class Two:
    a: int
    b: int


@dataclass(frozen=True, slots=True)
class Eight:
    a: int
    b: int
    c: int
    d: int
    e: int
    f: int
    g: int
    h: int


@dataclass(frozen=True, slots=True)
class Checked:
    a: int

    def __post_init__(self) -> None:
        if self.a < 0:
            raise ValueError("negative")


def test_fast_values_equal_the_classes_own() -> None:
    here = Pos("a.yaml", 3, 4)
    assert new_pos("a.yaml", 3, 4) == here and type(new_pos("f", 1, 1)) is Pos
    assert hash(new_pos("a.yaml", 3, 4)) == hash(here)
    text = new_template(("Hi ", "name", ""))
    assert text == Template(("Hi ", "name", "")) and str(text) == "Hi {name}"
    assert new_paragraph(text, None, here) == Paragraph(text, None, here)
    made = new_choice("go", text, "hall", None, (), True, here, here, False, None, None,
                      False, None, False)
    assert made == Choice("go", text, "hall", None, (), True, here, here)
    assert new_choice is not Choice  # Choice has a maker of its own (fourteen fields)
    called = new_choice("go", text, "hall", None, (), False, here, here, False, None, None,
                        True, "end", False)
    assert called == Choice("go", text, "hall", None, (), False, here, here, call=True,
                            then="end")
    eight = fast_constructor(Eight, tuple("abcdefgh"))  # any width: the draft's own __init__
    assert eight is not Eight and eight(*range(8)) == Eight(*range(8))
    assert type(eight(*range(8))) is Eight and hash(eight(*range(8))) == hash(Eight(*range(8)))
    node = object()

    def evaluate(values: object) -> bool:
        return True

    cond = new_condition("x > 1", node, here, evaluate)  # type: ignore[arg-type]
    assert cond == Condition("x > 1", node, here, evaluate)  # type: ignore[arg-type]
    assert new_condition is not Condition and cond.evaluate is evaluate
    effect = new_effect("set", "x", 2, here, None)
    assert effect == Effect("set", "x", 2, here) and hash(effect) == hash(Effect("set", "x", 2, here))
    assert new_effect("compute", "x", "1", here, cond) == Effect("compute", "x", "1", here, cond)
    ending = Ending("e", "E", here, "s", None)
    for args in (("s", "S", None, (new_paragraph(text, None, here),), (effect,), (made,), None,
                  None, here, False),
                 ("t", "T", "c1", (), (), (), "s", ending, here, True)):
        assert new_scene(*args) == Scene(*args)  # type: ignore[arg-type]
    assert new_scene is not Scene and new_effect is not Effect
    from game.story.model import Fact

    fact_fields = ("id", "title", "text", "source", "hint", "chapter", "pos")
    new_fact = fast_constructor(Fact, fact_fields)
    assert new_fact is not Fact  # seven fields: the cache decoder's maker
    made_fact = new_fact("mug", "The mug", "It held tea.", "A paper", None, "One", here)
    assert made_fact == Fact("mug", "The mug", "It held tea.", "A paper", None, "One", here)
    assert hash(made_fact) == hash(Fact("mug", "The mug", "It held tea.", "A paper", None,
                                        "One", here))


def test_values_stay_frozen() -> None:
    with pytest.raises(AttributeError):
        new_pos("a", 1, 1).line = 2  # type: ignore[misc]


def test_other_shapes_get_the_class_itself_and_any_width_a_maker() -> None:
    two = fast_constructor(Two, ("a", "b"))  # (a maker, as for any shape that is the class's)
    assert two is not Two and two(1, 2) == Two(1, 2)
    assert fast_constructor(Pos, ("file", "line")) is Pos  # the class changed shape
    assert slot_setters(Pos, ("line", "file", "col")) is None
    assert fast_constructor(Checked, ("a",)) is Checked  # __post_init__ must still run
    with pytest.raises(ValueError, match="negative"):
        fast_constructor(Checked, ("a",))(-1)


def test_a_draft_becomes_the_frozen_class_with_the_same_value() -> None:
    draft = draft_class(Eight, tuple("abcdefgh"))
    assert draft is not None and draft is not Eight
    made = draft.__new__(draft)
    for index, name in enumerate("abcdefgh"):
        setattr(made, name, index)
    made.__class__ = Eight
    assert type(made) is Eight and made == Eight(*range(8))
    assert hash(made) == hash(Eight(*range(8)))
    with pytest.raises(AttributeError):
        made.a = 5  # frozen once it is an Eight


def test_no_draft_for_another_shape() -> None:
    assert draft_class(Pos, ("file", "line")) is None  # the class changed shape
    assert draft_class(Checked, ("a",)) is None  # __post_init__ must still run


def test_a_blank_filled_by_stores_becomes_the_frozen_class() -> None:
    blank = blank_class(Pos, ("file", "line", "col"))
    assert blank is not None and blank is not Pos and not hasattr(blank, "__dataclass_fields__")
    made = blank()
    made.file, made.line, made.col = "a.yaml", 3, 4
    made.__class__ = Pos
    assert type(made) is Pos and made == Pos("a.yaml", 3, 4)
    assert hash(made) == hash(Pos("a.yaml", 3, 4))
    with pytest.raises(AttributeError):
        made.line = 5  # frozen once it is a Pos
    assert blank_class(Pos, ("file", "line")) is None  # the class changed shape
    assert blank_class(Checked, ("a",)) is None  # __post_init__ must still run
