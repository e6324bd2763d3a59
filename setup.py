"""Ships the repo's scenes/ and docs/ inside the wheel, as game/scenes and game/docs.

Each folder has one copy in git, where authors and readers look for it; the wheel carries it
into the package so an installed `offscreen` plays the story and prints the docs
(`offscreen docs`) from any folder.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["game", "game.*"]), "game.scenes", "game.docs",
              "game.docs.example"],
    package_dir={"game.scenes": "scenes", "game.docs": "docs",
                 "game.docs.example": "docs/example"},
    package_data={
        "game.scenes": ["*.yaml", "*.yml", "**/*.yaml", "**/*.yml"],
        "game.docs": ["*.md", "*.json"],
        "game.docs.example": ["*.yaml", "*.yml"],
        "game.web": ["templates/*.html", "static/*.svg"],
        "": ["*.tcss", "*.yaml", "*.md"],
    },
)
