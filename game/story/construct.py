"""Building frozen, slotted dataclass values fast: the one place the trick lives.

A frozen dataclass's `__init__` sets each field through `object.__setattr__`, about 70 ns a
field, which matters where a hundred thousand values are made: the positions and choices of
a big story as it loads or is decoded from the cache, the game state and choice views of
every step. Two tricks build the very same (equal, hashable, frozen) value for less:

- one field (Template): write the slot through its descriptor;
- more: fill a *draft*, a plain slotted dataclass of the same slots, through its own
  generated `__init__` (plain attribute stores), then assign the draft's `__class__` (or,
  where one loop writes the stores out itself, a `blank_class` without an `__init__`).
  Measured per value: 3 fields 0.25 against 0.28 us with slot setters, 14 fields 0.36
  against 0.81 us (1.47 us for the class itself).

Any other shape, or a class that has changed (a new field, a `__post_init__`), gets the
class itself: slower, never wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, make_dataclass
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
    """A plain (not frozen) slotted dataclass with the very slots of the frozen, slotted
    dataclass `cls` (fields exactly `names`): a value is built as a draft, by its generated
    `__init__`, then made a `cls` by assigning `__class__`, which CPython allows between
    classes of the same layout. None when `cls` has another shape, a `__post_init__`, or a
    layout the assignment refuses (checked here once, on a draft made and read back)."""
    if slot_setters(cls, names) is None or "__weakref__" in cls.__dict__:
        return None
    return _converts(make_dataclass(f"_{cls.__name__}Draft", names, slots=True), cls, names)


def blank_class(cls: type, names: tuple[str, ...]) -> type | None:
    """As `draft_class`, but a bare slotted class: no `__init__`, so `blank()` is cheap
    and its slots are filled by ordinary attribute stores (one bytecode each, no call), for
    the one loop that writes them out itself (`QuickReaders.pos`: 2,500 instructions a
    position against 3,100 through a draft's `__init__`)."""
    if slot_setters(cls, names) is None or "__weakref__" in cls.__dict__:
        return None
    return _converts(type(f"_{cls.__name__}Blank", (), {"__slots__": names}), cls, names)


def _converts(draft: type, cls: type, names: tuple[str, ...]) -> type | None:
    """`draft` if one of its values, filled and given the class `cls`, reads back whole."""
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
    if len(setters) == 1:  # (a draft's extra call costs more than one setter saves)
        (s0,) = setters

        def make1(v0: Any) -> T:
            made = _new(cls)
            s0(made, v0)
            return made

        return make1
    draft = draft_class(cls, names)
    if draft is None:  # pragma: no cover - a layout CPython will not convert
        return cls

    def make(*values: Any) -> T:
        made = draft(*values)
        made.__class__ = cls
        return made  # type: ignore[no-any-return]

    return make
