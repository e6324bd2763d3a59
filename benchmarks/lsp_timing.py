"""The language server's figures (issue 12), measured as an editor sees them.

`offscreen lsp` runs as its own process over real stdio, driven by a minimal JSON-RPC
client here: the time from sending a `didChange` (a typo put into a `goto`, or taken out
again) to receiving that file's `publishDiagnostics`, both as the whole new text and as the
one-character range edit an editor with incremental sync sends, and the round trip of
completion (also right after a keystroke, while the check it started and the indexing after
it share the server's interpreter) and definition requests; and, in this process,
incremental checking alone (`one_file_rechecks`). The baseline is a cold full check
(`load_story`, no cache) of the same story in this process, the readers imported
beforehand (so their import is not counted in it), with the collector running as first
measured, and then paused as the server checks (like for like; this second load also finds
the process warm, so it is the stricter baseline). `run.py` calls `figures` (in
`lsp_figures`); alone:

    python benchmarks/lsp_timing.py STORY_DIR
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


class Client:
    """Just enough of an LSP client: requests, notifications, waiting for one message."""

    def __init__(self, root: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "game", "lsp"], cwd=REPO, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.next_id = 0
        self.published: list[dict[str, Any]] = []
        """Diagnostics that came while waiting for a request's answer."""
        self.request("initialize", {"capabilities": {}, "rootUri": root.as_uri()})
        self.notify("initialized", {})

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        stdin.flush()

    def receive(self) -> dict[str, Any]:
        stdout = self.process.stdout
        assert stdout is not None
        length = 0
        while line := stdout.readline().strip():
            name, _, value = line.partition(b": ")
            if name.lower() == b"content-length":
                length = int(value)
        message: dict[str, Any] = json.loads(stdout.read(length))
        return message

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: dict[str, Any]) -> Any:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        while True:
            message = self.receive()
            if message.get("id") == self.next_id and "method" not in message:
                return message.get("result")
            if message.get("method") == "textDocument/publishDiagnostics":
                self.published.append(message)  # for diagnostics_for

    def diagnostics_for(self, uri: str) -> list[Any]:
        while True:
            message = self.published.pop(0) if self.published else self.receive()
            if (message.get("method") == "textDocument/publishDiagnostics"
                    and message["params"]["uri"] == uri):
                diagnostics: list[Any] = message["params"]["diagnostics"]
                return diagnostics

    def memory(self) -> tuple[float, float]:
        """The server's resident and peak memory in MiB (Linux's /proc; zeros elsewhere)."""
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return 0.0, 0.0
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        return tuple(int(fields.get(name, "0 kB").split()[0]) / 1024  # type: ignore[return-value]
                     for name in ("VmRSS", "VmHWM"))

    def close(self) -> None:
        self.request("shutdown", {})
        self.notify("exit", {})
        self.process.wait(10)


def measure(root: Path, edits: int = 10, queries: int = 50) -> dict[str, Any]:
    """Every figure of the server on the story at root, in seconds."""
    from game import collector
    from game.lsp.server import DEBOUNCE
    from game.story import loader  # noqa: F401  (the readers: imported before timing)
    from game.story.files import load_story

    start = time.perf_counter()
    load_story(root)
    cold = time.perf_counter() - start
    with collector.paused():
        start = time.perf_counter()
        load_story(root)
        cold_paused = time.perf_counter() - start
    path = sorted(root.glob("*.yaml"))[len(list(root.glob("*.yaml"))) // 2].absolute()
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    line = next(i for i, t in enumerate(lines) if "goto: " in t)
    col = lines[line].index("goto: ") + len("goto: ")
    target = lines[line][col:].strip()
    wrong = lines[line].replace(f"goto: {target}", f"goto: {target}q")
    typo = "\n".join([*lines[:line], wrong, *lines[line + 1:]])
    recheck = one_file_rechecks(root, path, text, typo, edits)
    uri = path.as_uri()
    client = Client(root.absolute())
    started = time.perf_counter()
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "yaml", "version": 1, "text": text}})
    client.diagnostics_for(uri)
    first = time.perf_counter() - started
    changes = []
    for version in range(2, edits + 2):
        body = typo if version % 2 == 0 else text
        started = time.perf_counter()
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"text": body}]})
        found = client.diagnostics_for(uri)
        changes.append(time.perf_counter() - started - DEBOUNCE)
        assert any("no scene" in d["message"] for d in found) == (body is typo)
    ranged = []  # the editor's own flow: one character typed, then deleted again
    for version in range(edits + 2, 2 * edits + 2):
        at = {"line": line, "character": col + len(target)}
        put = version % 2 == 0
        change = ({"range": {"start": at, "end": at}, "text": "q"} if put else
                  {"range": {"start": at, "end": {**at, "character": at["character"] + 1}},
                   "text": ""})
        started = time.perf_counter()
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
        found = client.diagnostics_for(uri)
        ranged.append(time.perf_counter() - started - DEBOUNCE)
        assert any("no scene" in d["message"] for d in found) == put
    position = {"textDocument": {"uri": uri}, "position": {"line": line, "character": col}}
    completion, definition = [], []
    for _ in range(queries):
        started = time.perf_counter()
        result = client.request("textDocument/completion", position)
        completion.append(time.perf_counter() - started)
        assert result["items"], "completion after goto: offered nothing"
        started = time.perf_counter()
        result = client.request("textDocument/definition", {
            **position, "position": {"line": line, "character": col + 1}})
        definition.append(time.perf_counter() - started)
        assert result, "no definition for the goto's scene"
    typed = []  # completion right after a keystroke, the last check's indexing maybe running
    version = 2 * edits + 2
    for number in range(edits):
        at = {"line": line, "character": col + len(target)}
        put = number % 2 == 0
        change = ({"range": {"start": at, "end": at}, "text": "q"} if put else
                  {"range": {"start": at, "end": {**at, "character": at["character"] + 1}},
                   "text": ""})
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version + number},
            "contentChanges": [change]})
        started = time.perf_counter()
        result = client.request("textDocument/completion", position)
        typed.append(time.perf_counter() - started)
        assert result["items"], "completion after goto: offered nothing"
        client.diagnostics_for(uri)  # the check that keystroke started, before the next
    memory = client.memory()
    client.close()
    return {"cold_check": cold, "cold_check_paused": cold_paused, "first_diagnostics": first,
            "one_file_recheck": statistics.median(recheck),
            "one_file_recheck_spread": [min(recheck), max(recheck)],
            "change_to_diagnostics": statistics.median(changes),
            "change_spread": [min(changes), max(changes)],
            "range_edit_to_diagnostics": statistics.median(ranged),
            "range_edit_spread": [min(ranged), max(ranged)],
            "server_rss_mib": memory[0], "server_peak_mib": memory[1],
            "completion": statistics.median(completion),
            "completion_after_keystroke": statistics.median(typed),
            "definition": statistics.median(definition), "debounce": DEBOUNCE}


def one_file_rechecks(root: Path, path: Path, text: str, typo: str, edits: int) -> list[float]:
    """Incremental checking alone, in this process: `load_story` with the story's
    `FileCache` after one file was edited (the typo put in, then taken out again, `edits`
    times; the file's new text stands in for it as an editor's buffer does), each with the
    collector paused as the server and `play --dev` pause it. The first load, which fills
    the cache, is not counted."""
    from game import collector
    from game.story.filecache import FileCache
    from game.story.files import load_story

    cache = FileCache()
    with collector.paused():
        load_story(root, files=cache)
    times = []
    for number in range(edits):
        body = typo if number % 2 == 0 else text
        with collector.paused():
            start = time.perf_counter()
            result = load_story(root, sources={path: body}, files=cache)
            times.append(time.perf_counter() - start)
        assert any("no scene" in d.message for d in result.diagnostics) == (body is typo)
        assert [Path(f).name for f in cache.reread] == [path.name]
    return times


def figures(root: Path, samples: int) -> list[tuple[str, str, str, str, str]]:
    """run.py's rows: the server's figures, medians of `samples` fresh server processes."""
    runs = [measure(root) for _ in range(samples)]
    cold = statistics.median(r["cold_check"] for r in runs)
    paused = statistics.median(r["cold_check_paused"] for r in runs)
    change = statistics.median(r["change_to_diagnostics"] for r in runs)
    recheck = statistics.median(r["one_file_recheck"] for r in runs)
    ranged = statistics.median(r["range_edit_to_diagnostics"] for r in runs)
    completion = statistics.median(r["completion"] for r in runs)
    typed = statistics.median(r["completion_after_keystroke"] for r in runs)
    definition = statistics.median(r["definition"] for r in runs)
    peak = max(r["server_peak_mib"] for r in runs)

    def row(figure: str, base_name: str, base: float, ours: float, target: float = 0.15,
            ) -> tuple[str, str, str, str, str]:
        ratio = ours / base
        return (figure, f"{base_name}: {base:.3f} s", f"{ours:.3f} s", f"{ratio:.3f}x",
                f"<= {target}x {'yes' if ratio <= target else 'NO'}")

    return [
        row("re-check after an edit to one file (in process, FileCache)", "cold full check",
            cold, recheck, 0.1),
        row("re-check after an edit to one file, collector paused (like for like)",
            "cold, paused", paused, recheck, 0.1),
        row("lsp: change -> published diagnostics (less the debounce)", "cold full check",
            cold, change),
        row("lsp: same, against a cold check with the collector paused", "cold, paused",
            paused, change),
        row("lsp: a one-character didChange (range) -> diagnostics", "cold full check",
            cold, ranged),
        ("lsp: the server's peak memory (after the edits)", "-", f"{peak:.0f} MiB",
         "-", "-"),
        ("lsp: completion after goto: (round trip)", "-", f"{completion * 1e3:.1f} ms", "-",
         f"< 50 ms {'yes' if completion < 0.05 else 'NO'}"),
        ("lsp: completion right after a keystroke (and its check)", "-",
         f"{typed * 1e3:.1f} ms", "-", f"< 50 ms {'yes' if typed < 0.05 else 'NO'}"),
        ("lsp: definition of a scene (round trip)", "-", f"{definition * 1e3:.1f} ms", "-",
         f"< 50 ms {'yes' if definition < 0.05 else 'NO'}"),
    ]


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1])), indent=2))
