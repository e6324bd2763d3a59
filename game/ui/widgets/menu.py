"""A vertical menu (title, ending, dialogs): an OptionList whose Enter shows in the Footer.

OptionList hides its Enter binding; a game's menus should say how to pick, so this one
shows it.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import OptionList


class Menu(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select", "Select")]


class ChoiceMenu(OptionList):
    """The play screen's choices; its Footer entry is the screen's "1-9 Choose".

    A locked choice (format v2's `enabled`) stays an ordinary option, so it keeps its number
    and Enter on it reaches the screen, which says why it is locked; it is drawn in the
    styles of the two component classes below (play.tcss sets them)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = OptionList.COMPONENT_CLASSES | {
        "choice-menu--locked", "choice-menu--reason"}
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select", "Choose", show=False)]
