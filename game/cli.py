"""`offscreen`: the players' and authors' command line (the contract in docs/design.md).

Each subcommand's work lives in its own module, imported only when that subcommand runs, so
`offscreen check` never pays for importing Textual and `offscreen play --plain` starts fast.
Every failure a user can cause ends in a message and an exit code, never a traceback:
0 success, 1 a problem with the story, a save or a test run, 2 a usage error.

The help is the reference a player or author has at hand: every option says what it does and
its default, each subcommand ends with examples, and the top level lists the environment
variables (tests/test_cli_help.py holds it to that).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from game import __version__, paths, terminal

SHELLS = ("bash", "zsh", "fish")
"""The shells `offscreen completions` writes a script for."""


class _Formatter(argparse.HelpFormatter):
    """Help laid out for reading: one-line paragraphs are wrapped to the terminal, blocks of
    several lines (examples, the environment table) are kept as written, paths are never
    split at a hyphen, and subcommand names longer than "COMMAND" keep their help beside them
    (argparse sizes that column without the subcommands' extra indent)."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        import textwrap

        text = live_folders(text)
        return "\n\n".join(
            paragraph if "\n" in paragraph
            else textwrap.fill(paragraph, width, initial_indent=indent, subsequent_indent=indent,
                               break_on_hyphens=False, break_long_words=False)
            for paragraph in text.split("\n\n"))

    def _expand_help(self, action: argparse.Action) -> str:
        return live_folders(super()._expand_help(action))

    def _split_lines(self, text: str, width: int) -> list[str]:
        import textwrap

        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False,
                             break_long_words=False)

    def add_argument(self, action: argparse.Action) -> None:
        super().add_argument(action)
        if isinstance(action, argparse._SubParsersAction):
            longest = max(map(len, action.choices), default=0)
            self._action_max_length = max(self._action_max_length,
                                          longest + self._current_indent + 2)


def live_folders(text: str) -> str:
    """Fill in the folders the help names ({saves}, {cache}, {docs}) as they are right now.

    Looked up only when help is printed: the user folders cost an import of platformdirs,
    which `offscreen check` or `--version` should not pay for just to build the parser.
    """
    if "{" not in text:
        return text
    folders = {"{saves}": paths.default_saves_dir, "{cache}": paths.user_cache_dir,
               "{docs}": paths.docs_dir}
    for name, folder in folders.items():
        if name in text:
            text = text.replace(name, str(folder()))
    return text


def _epilog(examples: Sequence[tuple[str, str]], *more: str) -> str:
    """An "examples:" block (command, then what it does) and any further paragraphs."""
    width = max(len(command) for command, _ in examples)
    lines = ["examples:"]
    lines += [f"  {command.ljust(width)}  {what}".rstrip() for command, what in examples]
    return "\n".join(lines) + "".join(f"\n\n{paragraph}" for paragraph in more)


def _environment() -> str:
    """The environment variables the game reads, with the folders they stand in for now."""
    return "\n".join([
        "environment:",
        "  OFFSCREEN_SAVES  the save folder when --saves is not given",
        "                   (the save folder now: {saves})",
        "  OFFSCREEN_CACHE  the folder of the compiled-story cache, safe to delete",
        "                   (default: under {cache})",
        "  TERM             TERM=dumb plays in plain mode, as --plain does",
        "  NO_COLOR         set (to anything): the game draws in shades of grey",
        "  TEXTUAL_ANIMATIONS",
        "                   none: no animations, the typewriter included",
        "  XDG_DATA_HOME, XDG_CACHE_HOME",
        "                   (Linux) where the user data and cache folders above are",
    ])


def _command(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str,
             summary: str, description: str, examples: Sequence[tuple[str, str]],
             *notes: str) -> argparse.ArgumentParser:
    """One subcommand: its line in the command list, what it does, then its examples."""
    return sub.add_parser(name, help=summary, description=description,
                          formatter_class=_Formatter, epilog=_epilog(examples, *notes))


def _story_folder(parser: argparse.ArgumentParser, option: bool = False,
                  what: str = "story folder") -> None:
    """The story to work on: `DIR` for the authors' tools, `--story DIR` for play and saves."""
    text = f"{what} (default: the shipped story)"
    if option:
        parser.add_argument("--story", metavar="DIR", help=text)
    else:
        parser.add_argument("dir", nargs="?", metavar="DIR", help=text)


def _saves_folder(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--saves", metavar="DIR",
                        help="save folder (default: $OFFSCREEN_SAVES if set, else saves/ in "
                        "a checkout or the user data folder; now {saves})")


def _game_seed(text: str) -> int:
    """`play --seed`'s value: a game seed (game/engine/dice.py), or argparse's usage error."""
    from game.engine.dice import SEED_LIMIT, valid_seed

    try:
        seed = int(text)
    except ValueError:
        seed = -1
    if not valid_seed(seed):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a seed: give a whole number from 0 to {SEED_LIMIT - 1}")
    return seed


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="offscreen", formatter_class=_Formatter,
        description="Off Screen: a text adventure about the real friendship behind Jim and "
        "Pam, and the YAML story engine under it.\n\n"
        "`offscreen` alone plays; options before any command are play's (`offscreen --plain`).",
        epilog=_epilog([
            ("offscreen", "play the shipped story"),
            ("offscreen --plain", "play in line mode (screen readers, pipes, scripts)"),
            ("offscreen new mystory", "start a story of your own from a template"),
            ("offscreen check mystory", "every mistake in it, as file:line:col"),
            ("offscreen play --story mystory --dev", "play it, reloading as you edit"),
            ("offscreen docs writing-scenes", "the author's guide"),
            ("offscreen COMMAND --help", "one command's options, defaults and examples"),
        ], _environment(), "documentation: `offscreen docs` lists the guides (in {docs})."),
    )
    parser.add_argument("--version", action="version", version=f"offscreen {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")

    play = _command(
        sub, "play", "play the story (the default command)",
        "Play a story: the full-screen game in a terminal, or line mode with --plain (also "
        "chosen by itself when standard input or output is not a terminal, or TERM=dumb).",
        [("offscreen play", "play the shipped story, continuing the last game"),
         ("offscreen play --load before-dinner", "resume a named save"),
         ("offscreen play --plain < answers.txt", "play the answers in a file"),
         ("offscreen play --story mystory --dev", "play your story, reloading it on save")],
        "In plain mode, type a choice's number, or save NAME, load NAME, journal, back, help, "
        "quit.", "Guide: offscreen docs playing")
    _story_folder(play, option=True, what="story folder to play")
    _saves_folder(play)
    play.add_argument("--load", metavar="SLOT",
                      help="resume the game saved in SLOT ('autosave': where you last "
                      "stopped; default: the title screen, or in plain mode a new game, "
                      "with 'continue' to go back to the autosave)")
    play.add_argument("--plain", action="store_true",
                      help="line mode on stdin/stdout, for screen readers, pipes and scripts "
                      "(default: the full-screen game in a terminal)")
    play.add_argument("--dev", action="store_true",
                      help="reload the story when its files change, showing check errors "
                      "(default: off)")
    play.add_argument("--seed", type=_game_seed, metavar="N",
                      help="the random seed of every new game (0 to 4294967295), so the "
                      "same choices give the same game, random() and all; a loaded game "
                      "keeps its own (default: a fresh seed per new game)")

    check = _command(
        sub, "check", "check a story for mistakes",
        "Check a story: every problem as `path:line:col: error: message` (or warning:), then "
        "a summary. Exit status 1 when there is any error, in every format.",
        [("offscreen check", "check the shipped story"),
         ("offscreen check mystory --stats", "check yours, with its word and scene counts"),
         ("offscreen check mystory --format json", "one JSON document, for tools"),
         ("offscreen check mystory --format github", "annotations in GitHub Actions")],
        "The codes (OS101...) are listed in `offscreen docs diagnostics`. "
        "Guides: offscreen docs writing-scenes, offscreen docs author-tools")
    _story_folder(check)
    check.add_argument("--stats", action="store_true",
                       help="also print words, scenes, choices, facts and endings per chapter "
                       "(default: off)")
    check.add_argument("--format", choices=("text", "json", "github"), default="text",
                       help="text for people; json (described by check.schema.json in the "
                       "docs folder) or github (workflow annotations) for machines "
                       "(default: %(default)s)")

    graph = _command(
        sub, "graph", "print the story map",
        "Print the story map (scenes and the choices between them) on stdout.",
        [("offscreen graph | dot -Tsvg > map.svg", "draw it with Graphviz"),
         ("offscreen graph mystory --format mermaid", "paste it into Markdown")],
        "Guide: offscreen docs author-tools")
    _story_folder(graph)
    graph.add_argument("--format", choices=("dot", "mermaid"), default="dot",
                       help="Graphviz DOT or a Mermaid flowchart (default: %(default)s)")

    test = _command(
        sub, "test", "random and scripted playthroughs with coverage",
        "Play a story many times by itself: random runs (or an exhaustive search) with a "
        "coverage report, then the story's scripted playthroughs. Exit status 1 when a run "
        "gets stuck, fails or loops, or a playthrough fails.",
        [("offscreen test", "200 random runs of the shipped story"),
         ("offscreen test mystory --runs 1000 --seed 7", "more runs, other choices"),
         ("offscreen test mystory --exhaustive", "every distinct state (small stories)")],
        "Guide: offscreen docs author-tools")
    _story_folder(test)
    test.add_argument("--runs", type=int, default=200, metavar="N",
                      help="how many random runs (default: %(default)s)")
    test.add_argument("--seed", type=int, default=0, metavar="S",
                      help="seed of the first run; run i uses S+i for its picks and a game "
                      "seed derived from it for random(), so a failure can be replayed "
                      "(default: %(default)s)")
    test.add_argument("--strategy", choices=("uniform", "least-taken"), default="least-taken",
                      help="how random runs pick choices: any at random, or the ones taken "
                      "least so far (default: %(default)s)")
    test.add_argument("--max-steps", type=int, default=1000, metavar="N",
                      help="steps before a run is flagged as a possible endless loop "
                      "(default: %(default)s)")
    test.add_argument("--exhaustive", action="store_true",
                      help="search every distinct game state instead of random runs "
                      "(small stories; default: off)")
    test.add_argument("--max-states", type=int, default=200_000, metavar="N",
                      help="state budget for --exhaustive (default: %(default)s)")

    saves = _command(
        sub, "saves", "list saved games and whether they still load",
        "List every save in the save folder, and whether it still loads into the story as "
        "it is now.",
        [("offscreen saves", "the shipped story's saves"),
         ("offscreen saves --story mystory --saves mysaves", "another story's")],
        "Guide: offscreen docs saves")
    _story_folder(saves, option=True, what="story folder the saves belong to")
    _saves_folder(saves)

    serve = _command(
        sub, "serve", "play in a web browser (needs offscreen[web])",
        "Serve the game to web browsers: each visitor (a cookie) plays the full-screen game "
        "with saves and a journal of their own. Listens on this machine only unless --host "
        "says otherwise.",
        [("offscreen serve", "then open http://127.0.0.1:8000 in a browser"),
         ("offscreen serve --story mystory --port 8080", "serve your own story"),
         ("offscreen serve --host 0.0.0.0", "let other machines play (a warning is printed)")],
        "Needs the web extra: pip install 'offscreen[web]'. Guide: offscreen docs playing")
    _story_folder(serve, option=True, what="story folder to serve")
    serve.add_argument("--saves", metavar="DIR",
                       help="folder for the visitors' save folders (default: the user data "
                       "folder's web/)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on; the default is this machine only "
                       "(default: %(default)s)")
    serve.add_argument("--port", type=int, default=8000,
                       help="port to listen on (default: %(default)s)")
    serve.add_argument("--max-sessions", type=int, default=20, metavar="N",
                       help="games at once; past it a 'busy' page (default: %(default)s)")
    serve.add_argument("--idle-minutes", type=float, default=30, metavar="M",
                       help="end a game with no key for this long (default: %(default)s)")

    new = _command(
        sub, "new", "create a starter story folder",
        "Create a starter story: a few commented files that use every feature.",
        [("offscreen new mystory", "create ./mystory, then follow what it prints")],
        "Guide: offscreen docs writing-scenes")
    new.add_argument("dir", metavar="DIR",
                     help="folder to create (it must not exist, or be empty)")

    _command(
        sub, "schema", "print the JSON Schema of story files",
        "Print the JSON Schema (draft 2020-12) that story files follow, for editors (the "
        "YAML language server) and for validating story files in CI.",
        [("offscreen schema > scene.schema.json", "save it beside your story")],
        "Guide: offscreen docs author-tools")

    docs_command = _command(
        sub, "docs", "read the player's and author's guides",
        "The guides that come with Off Screen, readable from any install.",
        [("offscreen docs", "list the guides and where they are"),
         ("offscreen docs writing-scenes", "print the author's guide"),
         ("offscreen docs --path", "the folder, with the example story and JSON Schema")],
        "The files are in {docs}.")
    docs_command.add_argument("topic", nargs="?", metavar="TOPIC",
                              help="the guide to print (default: list them)")
    docs_command.add_argument("--path", action="store_true",
                              help="print where the guide (or, without TOPIC, the folder) "
                              "is, instead of its text (default: off)")

    _command(
        sub, "lsp", "a language server for editors, on stdin/stdout",
        "A language server (LSP) for story files: check errors as you type, completion of "
        "scene, fact and variable ids, go to definition, hover, rename. Your editor starts "
        "it; it needs pygls: pip install 'offscreen[lsp]'.",
        [("offscreen lsp", "what an editor runs (set it as the command of its LSP client)")],
        "Editor set-up: offscreen docs author-tools")

    completions = _command(
        sub, "completions", "print a shell completion script",
        "Print a completion script for your shell: Tab then completes offscreen's commands, "
        "options and their values. Install it where your shell looks, then start a new shell.",
        [("offscreen completions bash "
          "> ~/.local/share/bash-completion/completions/offscreen", ""),
         ("offscreen completions zsh > ~/.zfunc/_offscreen", ""),
         ("offscreen completions fish > ~/.config/fish/completions/offscreen.fish", "")],
        "For zsh, ~/.zfunc must be on $fpath before compinit runs: in ~/.zshrc, "
        "fpath+=~/.zfunc; autoload -Uz compinit; compinit.")
    completions.add_argument("shell", choices=SHELLS, metavar="SHELL",
                             help=f"one of {', '.join(SHELLS)}")
    return parser


def story_dir(arg: str | None) -> Path:
    return Path(arg) if arg else paths.default_story_dir()


def main(argv: Sequence[str] | None = None) -> int:
    terminal.safe_streams()  # no character a story holds can crash the output
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, "play")  # `offscreen` and `offscreen --plain` mean `offscreen play ...`
    parser = _parser()
    args = parser.parse_args(argv)
    command = args.command
    try:
        if command == "completions":
            from game.commands import completions

            code = completions.run(parser, args.shell)
        else:
            code = _dispatch(command, args)
        sys.stdout.flush()  # here, where a closed pipe is caught, not at exit
        return code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `offscreen graph | head`: the reader has all it wanted
        _discard_stdout()
        return 0
    except Exception as exc:  # the last line of defence: a bug of ours, not the user's
        return _crash(exc)


def _discard_stdout() -> None:
    """Point stdout at the null device, so the interpreter's last flush at exit cannot fail
    on the closed pipe and print "Exception ignored ... BrokenPipeError" to the player."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


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

        return check.run(story_dir(args.dir), stats=args.stats, output=args.format)
    if command == "play":
        from game.commands import play

        return play.run(story_dir(args.story), paths.default_saves_dir(args.saves),
                        load=args.load, plain=args.plain, dev=args.dev, seed=args.seed)
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
    if command == "serve":
        from game.commands import serve

        data = Path(args.saves) if args.saves else paths.user_data_dir() / "web"
        return serve.run(story_dir(args.story), data, host=args.host, port=args.port,
                         max_sessions=args.max_sessions, idle_minutes=args.idle_minutes)
    if command == "new":
        from game.commands import new

        return new.run(Path(args.dir))
    if command == "lsp":
        from game.commands import lsp

        return lsp.run()
    if command == "schema":
        from game.commands import schema

        return schema.run()
    if command == "docs":
        from game.commands import docs

        return docs.run(paths.docs_dir(), args.topic, path=args.path)
    print(f"offscreen: unknown command {command!r}", file=sys.stderr)  # pragma: no cover
    return 2
