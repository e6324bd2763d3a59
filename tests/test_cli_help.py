"""`offscreen --help` is the reference at hand: every option documented with its default, every
command with examples, every environment variable the game reads listed."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

import pytest

from game import cli
from game.commands.completions import actions

GAME = Path(__file__).parents[1] / "game"


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = cli._parser()
    (sub,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def test_every_subcommand_is_listed_with_a_summary() -> None:
    text = cli._parser().format_help()
    for name in subcommands():
        line = next(line for line in text.splitlines() if line.strip().startswith(name + " "))
        assert len(line.split(None, 1)[1]) > 10, line  # the summary sits beside the name


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_every_option_says_what_it_does_and_its_default(name: str) -> None:
    parser = subcommands()[name]
    text = " ".join(parser.format_help().split())
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        assert action.help and len(action.help) > 8, (name, action.dest)
        if action.choices is not None:
            assert all(str(choice) in text for choice in action.choices)
        if action.default is not None and not isinstance(action.default, bool):
            assert f"(default: {action.default})" in text, (name, action.dest)
        elif action.option_strings or action.nargs == "?":  # flags and optional arguments
            assert "default:" in action.help, (name, action.dest)


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_every_subcommand_has_a_description_and_examples(name: str) -> None:
    parser = subcommands()[name]
    assert parser.description
    examples = [line.strip() for line in parser.format_help().splitlines()
                if line.startswith("  offscreen ")]
    assert examples, name
    assert all(example.startswith(f"offscreen {name}") for example in examples), examples


def test_the_numbers_show_their_defaults() -> None:
    """The three options whose defaults the help once left out."""
    test = " ".join(subcommands()["test"].format_help().split())
    assert "how many random runs (default: 200)" in test
    assert "(default: 0)" in test.split("--seed S", 2)[2]
    graph = " ".join(subcommands()["graph"].format_help().split())
    assert "Graphviz DOT or a Mermaid flowchart (default: dot)" in graph


def environment_variables_read() -> set[str]:
    """Every OFFSCREEN_* name the package's source mentions: each is read from the environment."""
    names: set[str] = set()
    for path in GAME.rglob("*.py"):
        names.update(re.findall(r"[\"'](OFFSCREEN_[A-Z_]+)[\"']", path.read_text()))
    return names


def test_the_top_level_help_lists_every_environment_variable() -> None:
    text = cli._parser().format_help()
    environment = text.split("environment:", 1)[1]
    read = environment_variables_read()
    assert {"OFFSCREEN_SAVES", "OFFSCREEN_CACHE"} <= read
    for name in [*read, "TERM", "NO_COLOR", "TEXTUAL_ANIMATIONS", "XDG_DATA_HOME"]:
        assert name in environment, name
    assert "examples:" in text and "offscreen docs" in text


def test_help_and_messages_point_only_at_guides_that_exist() -> None:
    from game import paths
    from game.commands.docs import topics

    text = cli._parser().format_help() + "".join(p.format_help() for p in subcommands().values())
    text += "".join(p.read_text() for p in (GAME / "commands").glob("*.py"))  # new, test, ...
    named = set(re.findall(r"offscreen docs ([a-z][a-z-]*)", text))
    assert named and named <= set(topics(paths.docs_dir()))


def test_help_runs_as_a_command() -> None:
    result = subprocess.run([sys.executable, "-m", "game", "--help"], capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 0
    assert result.stdout.startswith("usage: offscreen")
    assert "completions" in result.stdout and "OFFSCREEN_SAVES" in result.stdout


def test_long_paths_are_not_split_at_a_hyphen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.setenv("OFFSCREEN_SAVES", "/very/long-folder-name/with-hyphens/saves")
    text = subcommands()["play"].format_help()
    assert "/with-\n" not in text and "long-\n" not in text


def test_every_argument_is_reachable_by_the_completion_walk() -> None:
    dests = {action.dest for action in actions(cli._parser())}
    assert {"max_states", "strategy", "format", "topic", "shell", "load"} <= dests


def test_building_the_parser_stays_light() -> None:
    """Every command builds the whole parser; the live folders in the help are looked up only
    when help is printed, so `offscreen check` or `--version` does not import platformdirs."""
    code = ("import sys; from game import cli; cli._parser().parse_args(['check']); "
            "print(sorted(m for m in ('platformdirs', 'shtab', 'typing', 'textwrap') "
            "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, check=True, cwd=GAME.parent)
    assert result.stdout.strip() == "[]"


def test_help_shows_the_folders_as_they_are_now(monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    monkeypatch.setenv("OFFSCREEN_SAVES", str(tmp_path / "mine"))
    text = " ".join(cli._parser().format_help().split())
    assert f"(the save folder now: {tmp_path / 'mine'})" in text
    assert "{saves}" not in text and "{cache}" not in text and "{docs}" not in text
    play = " ".join(subcommands()["play"].format_help().split())
    assert f"now {tmp_path / 'mine'})" in play
