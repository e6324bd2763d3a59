"""`offscreen`: the players' and authors' command line (the contract in DESIGN.md).

Each subcommand's work lives in its own module, imported only when that subcommand runs, so
`offscreen check` never pays for importing Textual and `offscreen play --plain` starts fast.
Every failure a user can cause ends in a message and an exit code, never a traceback:
0 success, 1 a problem with the story, a save or a test run, 2 a usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from game import __version__, paths


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="offscreen",
        description="Off Screen: a text adventure about the real friendship behind Jim and "
        "Pam, and the YAML story engine under it.",
    )
    parser.add_argument("--version", action="version", version=f"offscreen {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    play = sub.add_parser("play", help="play the story (the default command)")
    play.add_argument("--story", metavar="DIR", help="story folder (default: the shipped story)")
    play.add_argument("--saves", metavar="DIR", help="save folder (default: see README)")
    play.add_argument("--load", metavar="SLOT", help="resume the game saved in SLOT")
    play.add_argument("--plain", action="store_true",
                      help="line mode on stdin/stdout, for screen readers, pipes and scripts")
    play.add_argument("--dev", action="store_true",
                      help="reload the story when its files change, showing check errors")

    check = sub.add_parser("check", help="check a story for mistakes")
    check.add_argument("dir", nargs="?", metavar="DIR", help="story folder")
    check.add_argument("--stats", action="store_true",
                       help="also print words, scenes, choices, facts and endings per chapter")

    graph = sub.add_parser("graph", help="print the story map")
    graph.add_argument("dir", nargs="?", metavar="DIR", help="story folder")
    graph.add_argument("--format", choices=("dot", "mermaid"), default="dot")

    test = sub.add_parser("test", help="random and scripted playthroughs with coverage")
    test.add_argument("dir", nargs="?", metavar="DIR", help="story folder")
    test.add_argument("--runs", type=int, default=200, metavar="N")
    test.add_argument("--seed", type=int, default=0, metavar="S")
    test.add_argument("--strategy", choices=("uniform", "least-taken"), default="least-taken",
                      help="how random runs pick choices")
    test.add_argument("--max-steps", type=int, default=1000, metavar="N",
                      help="steps before a run is flagged as a possible endless loop")
    test.add_argument("--exhaustive", action="store_true",
                      help="search every distinct game state (small stories)")
    test.add_argument("--max-states", type=int, default=200_000, metavar="N",
                      help="state budget for --exhaustive")

    saves = sub.add_parser("saves", help="list saved games and whether they still load")
    saves.add_argument("--story", metavar="DIR", help="story folder")
    saves.add_argument("--saves", metavar="DIR", help="save folder")

    new = sub.add_parser("new", help="create a starter story folder")
    new.add_argument("dir", metavar="DIR", help="folder to create")
    return parser


def story_dir(arg: str | None) -> Path:
    return Path(arg) if arg else paths.default_story_dir()


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, "play")  # `offscreen` and `offscreen --plain` mean `offscreen play ...`
    args = _parser().parse_args(argv)
    command = args.command
    try:
        return _dispatch(command, args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `offscreen graph | head`
        return 0
    except Exception as exc:  # the last line of defence: a bug of ours, not the user's
        return _crash(exc)


def _crash(exc: Exception) -> int:
    """Never show a player a traceback: one line on screen, the details in a log file."""
    import traceback

    log = paths.user_cache_dir() / "crash.log"
    where = ""
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as handle:
            traceback.print_exception(exc, file=handle)
        where = f" (details in {log})"
    except OSError:
        pass
    print(f"offscreen: internal error: {type(exc).__name__}: {exc}{where}. "
          "This is a bug in Off Screen, not in your story or saves; please report it.",
          file=sys.stderr)
    return 1


def _dispatch(command: str, args: argparse.Namespace) -> int:
    folder = getattr(args, "dir", None) if command != "new" else None
    folder = folder or getattr(args, "story", None)
    if folder and not Path(folder).exists():
        print(f"offscreen: no story folder or file at {folder}", file=sys.stderr)
        return 2
    if command == "check":
        from game.commands import check

        return check.run(story_dir(args.dir), stats=args.stats)
    if command == "play":
        from game.commands import play

        return play.run(story_dir(args.story), paths.default_saves_dir(args.saves),
                        load=args.load, plain=args.plain, dev=args.dev)
    if command == "graph":
        from game.commands import graph

        return graph.run(story_dir(args.dir), args.format)
    if command == "test":
        from game.commands import test

        return test.run(story_dir(args.dir), runs=args.runs, seed=args.seed,
                        strategy=args.strategy, max_steps=args.max_steps,
                        exhaustive=args.exhaustive, max_states=args.max_states)
    if command == "saves":
        from game.commands import saves

        return saves.run(story_dir(args.story), paths.default_saves_dir(args.saves))
    if command == "new":
        from game.commands import new

        return new.run(Path(args.dir))
    print(f"offscreen: unknown command {command!r}", file=sys.stderr)  # pragma: no cover
    return 2
