"""The full-screen game takes `play --seed` too: its new games have that seed."""

from __future__ import annotations

from pathlib import Path

from game.story.model import Story
from game.ui.app import OffScreenApp


async def test_a_new_game_in_the_app_has_the_fixed_seed(example: Story, saves: Path) -> None:
    app = OffScreenApp(example, Path("."), saves, seed=31337)
    async with app.run_test() as pilot:
        app.new_game()
        await pilot.pause()
        assert app.session.state is not None
        assert app.session.state.seed == 31337
