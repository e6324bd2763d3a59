"""`offscreen check`: every problem in one run, for people (`text`) or machines (`json`, `github`).

- text: `path:line:col: severity: message`, one a line, then the summary (the very lines
  every other command prints for a broken story, so the code is left to the other formats);
- json: one document (docs/check.schema.json describes it): each diagnostic with its file,
  line, column, end, severity, code, message and related places, then the summary;
- github: GitHub Actions workflow commands (`::error file=...::message`), which the runner
  turns into annotations on the pull request's lines, then the summary as a plain line.

The exit status is the same in every format: 1 when there is any error, else 0.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from game.commands.loading import load
from game.story.diagnostics import Diagnostic, span, summary
from game.story.files import MAX_FILE_BYTES, LoadResult, display_path
from game.story.owner import story_root_of

FORMATS = ("text", "json", "github")
JSON_VERSION = 1
"""The version of the `--format json` document; raised only when a field changes meaning
or goes away (new fields may appear in any version)."""


def run(folder: Path, stats: bool = False, output: str = "text") -> int:
    root = story_root_of(folder) if folder.is_file() else None
    result = load(root or folder, cache=True)
    where = display_path(folder)
    diagnostics, note = result.diagnostics, None
    if root is not None:  # one file of a bigger story: that file's problems, and a note
        diagnostics, note = one_file(folder, root, result)
    closing = (summary(diagnostics, 1) if root is not None
               else summary(diagnostics, len(result.files), where))
    story_stats = None
    if stats and result.story is not None:
        from game.tools.stats import story_stats as count

        story_stats = count(result.story)
    if output == "json":
        document = to_json(diagnostics, len(result.files), where, closing)
        if story_stats is not None:
            from dataclasses import asdict

            document["stats"] = asdict(story_stats)
        # ASCII only (\u escapes for the rest): exact on any stdout encoding, where the
        # streams would otherwise spell an unencodable character differently (game.terminal).
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
    else:
        lines = Lines()
        for diagnostic in diagnostics:
            print(github(diagnostic, lines) if output == "github" else diagnostic)
        print(closing)
        if note:
            print(note)
        if story_stats is not None:
            from game.tools.stats import format_stats

            print()
            print(format_stats(story_stats))
    sys.stdout.flush()
    return 1 if any(d.severity == "error" for d in diagnostics) else 0


class Lines:
    """The lines of the files diagnostics point into, read once each, for their ends.

    Only regular files within the loader's size limit are read (a FIFO would block, a
    huge file is itself the problem reported); a file that cannot be read gives no lines,
    and its diagnostics a one-character range."""

    def __init__(self) -> None:
        self._files: dict[str, list[str]] = {}

    def line(self, file: str, number: int) -> str:
        lines = self._files.get(file)
        if lines is None:
            lines = self._files[file] = _read_lines(Path(file))
        return lines[number - 1] if 0 < number <= len(lines) else ""


def _read_lines(path: Path) -> list[str]:
    from game import safeio

    try:
        data = safeio.read_limited(path, MAX_FILE_BYTES)
    except OSError:
        return []
    return data.decode("utf-8-sig", errors="replace").splitlines()


def end_of(diagnostic: Diagnostic, lines: Lines) -> tuple[int, int]:
    """(line, column) just past the flagged text, 1-based, on the diagnostic's own line
    (the convention of SARIF and LSP: the end is exclusive)."""
    pos = diagnostic.pos
    _, end = span(lines.line(pos.file, pos.line), pos.col)
    return pos.line, max(end + 1, pos.col + 1)


def to_json(diagnostics: Iterable[Diagnostic], files: int, folder: str,
            closing: str) -> dict[str, Any]:
    """The `--format json` document (its shape: docs/check.schema.json)."""
    lines = Lines()
    items = []
    for d in diagnostics:
        end_line, end_col = end_of(d, lines)
        items.append({
            "file": d.pos.file, "line": d.pos.line, "column": d.pos.col,
            "end": {"line": end_line, "column": end_col},
            "severity": d.severity, "code": d.code, "message": d.message,
            "related": [{"file": r.pos.file, "line": r.pos.line, "column": r.pos.col,
                         "message": r.note} for r in d.related],
        })
    errors = sum(1 for item in items if item["severity"] == "error")
    return {
        "version": JSON_VERSION,
        "folder": folder,
        "diagnostics": items,
        "summary": {"errors": errors, "warnings": len(items) - errors, "files": files,
                    "ok": errors == 0, "text": closing},
    }


def github(diagnostic: Diagnostic, lines: Lines) -> str:
    """One workflow command: `::error file=F,line=L,col=C,endLine=..,endColumn=..,title=CODE::
    message`, escaped as the Actions runner unescapes it (actions/toolkit's command.ts)."""
    pos = diagnostic.pos
    end_line, end_col = end_of(diagnostic, lines)
    properties = {"file": pos.file, "line": pos.line, "col": pos.col, "endLine": end_line,
                  "endColumn": end_col, "title": diagnostic.code}
    joined = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{diagnostic.severity} {joined}::{escape_data(diagnostic.message)}"


def escape_data(text: str) -> str:
    """A command's message: '%' first, so the escapes that follow are not escaped again."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property's value: as a message, and ':' and ',' too (they end the property)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def one_file(file: Path, root: Path, result: LoadResult,
             ) -> tuple[tuple[Diagnostic, ...], str]:
    """`check FILE` for one file of a multi-file story (`result`: the whole story, checked,
    since read alone the file would be full of false "missing" errors): that file's
    diagnostics, and one line saying so and what the other files hold."""
    target = file.resolve()
    mine = tuple(d for d in result.diagnostics if Path(d.pos.file).resolve() == target)
    others = [d for d in result.diagnostics if d not in mine]
    errors = sum(d.severity == "error" for d in others)
    rest = (f"{errors} error{'s' if errors != 1 else ''} and {len(others) - errors} "
            f"warning{'s' if len(others) - errors != 1 else ''}, not shown here "
            f"(`offscreen check {display_path(root)}` lists them)" if others
            else "no problems")
    return mine, (f"{display_path(file)} was checked as one of the {len(result.files)} files "
                  f"of the story in {display_path(root)}; its other files have {rest}")
