"""Pure game rules over an immutable story; imports nothing from the UI or storage layers."""

from game.engine.engine import (
    ChoiceNotAvailable,
    ChoiceView,
    Engine,
    SceneView,
    StoryRuntimeError,
    format_value,
)
from game.engine.state import GameState

__all__ = ["ChoiceNotAvailable", "ChoiceView", "Engine", "GameState", "SceneView",
           "StoryRuntimeError", "format_value"]
