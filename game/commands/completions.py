"""`offscreen completions SHELL`: a completion script for bash, zsh or fish, made by shtab.

shtab writes the script from the very parser `offscreen` runs on, so the completions can never
drift from the commands: a new option completes as soon as it exists. It is imported only
here, and the script is static (no Python runs on each Tab press).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator

import shtab

from game.cli import live_folders


def run(parser: argparse.ArgumentParser, shell: str) -> int:
    mark_folders(parser)
    for action in actions(parser):  # shtab reads the help as written, placeholders and all
        if action.help:
            action.help = live_folders(action.help)
    sys.stdout.write(shtab.complete(parser, shell=shell))
    sys.stdout.flush()
    return 0


def mark_folders(parser: argparse.ArgumentParser) -> None:
    """Every DIR argument completes folder names (argparse itself knows no file types)."""
    for action in actions(parser):
        if action.metavar == "DIR":
            action.complete = shtab.DIRECTORY  # type: ignore[attr-defined]


def actions(parser: argparse.ArgumentParser) -> Iterator[argparse.Action]:
    """Every argument of the parser and of all its subcommands."""
    for action in parser._actions:
        yield action
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):  # aliases share a parser
                yield from actions(sub)
