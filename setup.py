"""Ships the repo's scenes/ inside the wheel as game/scenes, so an install plays from any folder."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["game", "game.*"]), "game.scenes"],
    package_dir={"game.scenes": "scenes"},
    package_data={
        "game.scenes": ["*.yaml", "*.yml", "**/*.yaml", "**/*.yml"],
        "": ["*.tcss", "*.yaml", "*.md"],
    },
)
