"""Building frozen, slotted dataclass values fast: the one place the trick lives.

A frozen dataclass's `__init__` sets each field through `object.__setattr__`, about 70 ns a
field. Writing the slots through their descriptors builds the very same (equal, hashable)
value at about half the cost, which matters where a hundred thousand values are made: the
positions and choices of a big story as it loads or is decoded from the cache, and the one
game state per step of a random run.

The maker must call each setter by name (a loop over them costs more than `__init__`
itself, measured), so there is one maker per number of fields in use (1: Template; 3: Pos,
Paragraph; 4: Condition; 5: Effect; 7: Fact, as the cache decodes them; 10: Scene;
14: Choice), written once here; any other shape, or a class that has changed (a new field,
a `__post_init__`), gets the class itself: slower, never wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any, TypeVar

T = TypeVar("T")
_new = object.__new__


def slot_setters(cls: type, names: tuple[str, ...]) -> tuple[Any, ...] | None:
    """The slot setters of a frozen, slotted dataclass whose fields are exactly `names`;
    None when the class has another shape or a `__post_init__`."""
    if hasattr(cls, "__post_init__") or tuple(f.name for f in fields(cls)) != names:
        return None
    return tuple(cls.__dict__[name].__set__ for name in names)


def draft_class(cls: type, names: tuple[str, ...]) -> type | None:
    """A plain class with the very slots of the frozen, slotted dataclass `cls` (fields
    exactly `names`), for a maker that writes many fields: it sets them on a draft with
    ordinary attribute stores (one bytecode each, no call), then makes the draft a `cls` by
    assigning `__class__`, which CPython allows between classes of the same layout. For
    twelve fields that is about half the cost of the slot setters. None when `cls` has
    another shape, a `__post_init__`, or a layout the assignment refuses (checked here once,
    on a draft made and read back)."""
    if slot_setters(cls, names) is None or "__weakref__" in cls.__dict__:
        return None
    draft = type(f"_{cls.__name__}Draft", (), {"__slots__": names})
    made: Any = _new(draft)
    for index, name in enumerate(names):
        setattr(made, name, index)
    try:
        made.__class__ = cls
    except TypeError:  # pragma: no cover - a layout CPython will not convert
        return None
    return draft if all(getattr(made, name) == index
                        for index, name in enumerate(names)) else None


def fast_constructor(cls: type[T], names: tuple[str, ...]) -> Callable[..., T]:
    """A function that takes a value for each of `names`, in order, and returns what
    `cls(*values)` would; `cls` itself when there is no fast maker for its shape."""
    setters = slot_setters(cls, names)
    if setters is None:
        return cls
    match setters:
        case (s0,):
            def make1(v0: Any) -> T:
                made = _new(cls)
                s0(made, v0)
                return made

            return make1
        case (s0, s1, s2):
            def make3(v0: Any, v1: Any, v2: Any) -> T:
                made = _new(cls)
                s0(made, v0)
                s1(made, v1)
                s2(made, v2)
                return made

            return make3
        case (s0, s1, s2, s3):
            def make4(v0: Any, v1: Any, v2: Any, v3: Any) -> T:
                made = _new(cls)
                s0(made, v0)
                s1(made, v1)
                s2(made, v2)
                s3(made, v3)
                return made

            return make4
        case (s0, s1, s2, s3, s4):
            def make5(v0: Any, v1: Any, v2: Any, v3: Any, v4: Any) -> T:
                made = _new(cls)
                s0(made, v0)
                s1(made, v1)
                s2(made, v2)
                s3(made, v3)
                s4(made, v4)
                return made

            return make5
        case (s0, s1, s2, s3, s4, s5, s6):
            def make7(v0: Any, v1: Any, v2: Any, v3: Any, v4: Any, v5: Any, v6: Any) -> T:
                made = _new(cls)
                s0(made, v0)
                s1(made, v1)
                s2(made, v2)
                s3(made, v3)
                s4(made, v4)
                s5(made, v5)
                s6(made, v6)
                return made

            return make7
        case (s0, s1, s2, s3, s4, s5, s6, s7, s8, s9):
            def make10(v0: Any, v1: Any, v2: Any, v3: Any, v4: Any, v5: Any, v6: Any, v7: Any,
                       v8: Any, v9: Any) -> T:
                made = _new(cls)
                s0(made, v0)
                s1(made, v1)
                s2(made, v2)
                s3(made, v3)
                s4(made, v4)
                s5(made, v5)
                s6(made, v6)
                s7(made, v7)
                s8(made, v8)
                s9(made, v9)
                return made

            return make10
        case (s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13):
            def make14(v0: Any, v1: Any, v2: Any, v3: Any, v4: Any, v5: Any, v6: Any, v7: Any,
                       v8: Any, v9: Any, v10: Any, v11: Any, v12: Any, v13: Any) -> T:
                made = _new(cls)
                s0(made, v0)
                s1(made, v1)
                s2(made, v2)
                s3(made, v3)
                s4(made, v4)
                s5(made, v5)
                s6(made, v6)
                s7(made, v7)
                s8(made, v8)
                s9(made, v9)
                s10(made, v10)
                s11(made, v11)
                s12(made, v12)
                s13(made, v13)
                return made

            return make14
    return cls
