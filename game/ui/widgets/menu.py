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
    """The play screen's choices; its Footer entry is the screen's "1-9 Choose"."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select", "Choose", show=False)]
