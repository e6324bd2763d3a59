"""`offscreen lsp`: the pygls wiring of the language server (stdin/stdout).

Everything the server knows lives in the protocol-free modules beside this one; here the
protocol's types are built from theirs. Positions are converted with the client's position
encoding (UTF-16 by default), since the story layer counts characters.

Checking: each change schedules a whole-story check after `DEBOUNCE` seconds without
further changes. The check runs in a worker thread so that completion, hover and definition
are answered meanwhile, and re-reads only the files changed since the last one (the
workspace's `FileCache`); after it has published, the changed buffers are indexed, in the
worker thread too. Completion uses the index as of then (the names that exist); definition,
references, hover and rename index a buffer changed since first, as their places must be
exact.
Files changed outside the editor (a checkout, another tool) come as
`workspace/didChangeWatchedFiles`; the watcher is registered with the editor when it
supports that (`watch_files`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from game import __version__
from game.lsp.complete import Completion, complete
from game.lsp.hover import hover_text
from game.lsp.index import Occurrence, Outline, Span
from game.lsp.lookup import StoryIndex
from game.lsp.problems import Problem
from game.lsp.rename import RenameRefused, rename_edits, renameable
from game.lsp.workspace import StoryWorkspace, story_root

DEBOUNCE = 0.15
"""Seconds of quiet after a change before the whole story is checked again."""
WATCHED = "**/*.{yaml,yml}"
"""The files the editor is asked to watch for changes made outside it."""

_SEVERITY = {"error": lsp.DiagnosticSeverity.Error, "warning": lsp.DiagnosticSeverity.Warning}
_ITEM_KIND = {"scene": lsp.CompletionItemKind.Module, "fact": lsp.CompletionItemKind.Constant,
              "variable": lsp.CompletionItemKind.Variable, "ending": lsp.CompletionItemKind.Event,
              "key": lsp.CompletionItemKind.Property, "function": lsp.CompletionItemKind.Function,
              "keyword": lsp.CompletionItemKind.Keyword,
              "item": lsp.CompletionItemKind.EnumMember}
_SYMBOL_KIND = {"story": lsp.SymbolKind.Package, "scene": lsp.SymbolKind.Class,
                "fact": lsp.SymbolKind.Constant, "variable": lsp.SymbolKind.Variable,
                "playthrough": lsp.SymbolKind.Event}


class StoryServer(LanguageServer):
    """A LanguageServer that holds the stories being edited and their pending checks."""

    def __init__(self) -> None:
        super().__init__("offscreen", __version__,
                         text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.stories: dict[Path, StoryWorkspace] = {}
        """By story folder: an editor may have files of several stories open."""
        self.roots: dict[Path, Path] = {}
        """Folder of a file -> its story folder, found once per folder."""
        self.pending: dict[Path, asyncio.TimerHandle] = {}
        self.running: dict[Path, asyncio.Task[None]] = {}
        self.again: set[Path] = set()

    def story(self, path: Path) -> StoryWorkspace:
        """The story the file belongs to, indexed on first use."""
        root = self.roots.get(path.parent)
        if root is None:
            limit = self.workspace.root_path
            root = self.roots[path.parent] = story_root(path, Path(limit) if limit else None)
        found = self.stories.get(root)
        if found is None:
            found = self.stories[root] = StoryWorkspace(root)
            found.index_all()
        return found

    def known_story(self, path: Path) -> StoryWorkspace | None:
        """The story a file belongs to, among those already open (a file changed outside
        the editor in a folder no open file belongs to concerns no story being edited)."""
        holding = [root for root in self.stories if path.is_relative_to(root)]
        return self.stories[max(holding, key=lambda root: len(root.parts))] if holding else None

    def watch_files(self) -> None:
        """Ask the editor to report story files changed outside it, if it can be asked."""
        workspace = self.client_capabilities.workspace
        watched = workspace.did_change_watched_files if workspace else None
        if watched is None or not watched.dynamic_registration:
            return
        self.client_register_capability(lsp.RegistrationParams([lsp.Registration(
            id="offscreen-story-files", method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=lsp.DidChangeWatchedFilesRegistrationOptions(
                watchers=[lsp.FileSystemWatcher(glob_pattern=WATCHED)]))]))

    # -- positions -----------------------------------------------------------------------

    def lines(self, path: Path) -> list[str]:
        return self.story(path).lines(path) or []

    def position(self, path: Path, line: int, col: int) -> lsp.Position:
        codec = self.workspace.position_codec
        return codec.position_to_client_units(self.lines(path), lsp.Position(line, col))

    def range(self, path: Path, line: int, start: int, end: int) -> lsp.Range:
        return lsp.Range(self.position(path, line, start), self.position(path, line, end))

    def span_range(self, span: Span) -> lsp.Range:
        return self.range(span.path, span.line, span.start, span.end)

    def location(self, span: Span) -> lsp.Location:
        return lsp.Location(from_fs_path(str(span.path)) or "", self.span_range(span))

    def cursor(self, uri: str, position: lsp.Position) -> tuple[Path, int, int]:
        path = _path(uri)
        codec = self.workspace.position_codec
        server = codec.position_from_client_units(self.lines(path), position)
        return path, server.line, server.character

    def under_cursor(self, uri: str, position: lsp.Position,
                     ) -> tuple[StoryIndex, Occurrence | None]:
        """The story's index, and the name at the cursor if there is one."""
        path, line, col = self.cursor(uri, position)
        index = self.story(path).index
        return index, index.at(path, line, col)

    def symbol(self, entry: Outline) -> lsp.DocumentSymbol:
        path = entry.selection.path
        whole = lsp.Range(self.position(path, *entry.first), self.position(path, *entry.last))
        return lsp.DocumentSymbol(name=entry.name, kind=_SYMBOL_KIND[entry.kind], range=whole,
                                  selection_range=self.span_range(entry.selection),
                                  detail=entry.detail or None)

    # -- checking ------------------------------------------------------------------------

    def schedule_check(self, story: StoryWorkspace) -> None:
        """Check again once the author has paused; a check already running is let finish."""
        root = story.root
        if root in self.pending:
            self.pending.pop(root).cancel()
        loop = asyncio.get_running_loop()
        self.pending[root] = loop.call_later(DEBOUNCE, self.start_check, story)

    def start_check(self, story: StoryWorkspace) -> None:
        self.pending.pop(story.root, None)
        running = self.running.get(story.root)
        if running is not None and not running.done():
            self.again.add(story.root)  # checked again as soon as this one ends
            return
        self.running[story.root] = asyncio.ensure_future(self.check(story))

    async def check(self, story: StoryWorkspace) -> None:
        checked = await asyncio.to_thread(story.check)
        logging.getLogger(__name__).info("checked %s in %.3f s", story.root, checked.seconds)
        for path, found in story.to_publish(checked).items():
            self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
                uri=from_fs_path(str(path)) or "",
                diagnostics=[self.diagnostic(problem) for problem in found]))
        if story.unindexed and story.root not in self.again:  # the pause: index the buffers
            story.indexed_now(await asyncio.to_thread(story.index_later))
        if story.root in self.again:
            self.again.discard(story.root)
            self.running[story.root] = asyncio.ensure_future(self.check(story))

    def diagnostic(self, problem: Problem) -> lsp.Diagnostic:
        related = [lsp.DiagnosticRelatedInformation(self.location(place), note)
                   for place, note in problem.related]
        return lsp.Diagnostic(
            range=self.span_range(problem.place), message=problem.message,
            severity=_SEVERITY.get(problem.severity, lsp.DiagnosticSeverity.Information),
            source="offscreen check", code=problem.code or None,
            related_information=related or None,
            data={"suggestion": problem.suggestion} if problem.suggestion else None)


def _path(uri: str) -> Path:
    return Path(to_fs_path(uri) or uri).absolute()


def build() -> StoryServer:
    """A server with every feature registered."""
    server = StoryServer()

    @server.feature(lsp.INITIALIZED)
    def initialized(ls: StoryServer, params: lsp.InitializedParams) -> None:
        ls.watch_files()

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched_files(ls: StoryServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        changed = []
        for event in params.changes:
            path = _path(event.uri)
            story = ls.known_story(path)
            if story is not None and story.disk_changed(path) and story not in changed:
                changed.append(story)
        for story in changed:
            ls.schedule_check(story)

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: StoryServer, params: lsp.DidOpenTextDocumentParams) -> None:
        path = _path(params.text_document.uri)
        story = ls.story(path)
        story.edit(path, params.text_document.text)
        ls.schedule_check(story)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: StoryServer, params: lsp.DidChangeTextDocumentParams) -> None:
        path = _path(params.text_document.uri)
        document = ls.workspace.get_text_document(params.text_document.uri)
        story = ls.story(path)
        story.edit(path, document.source)
        ls.schedule_check(story)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: StoryServer, params: lsp.DidSaveTextDocumentParams) -> None:
        ls.schedule_check(ls.story(_path(params.text_document.uri)))

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: StoryServer, params: lsp.DidCloseTextDocumentParams) -> None:
        path = _path(params.text_document.uri)
        story = ls.story(path)
        story.close(path)
        ls.schedule_check(story)

    @server.feature(lsp.TEXT_DOCUMENT_COMPLETION,
                    lsp.CompletionOptions(trigger_characters=[" ", "(", "{", ",", "["]))
    def completion(ls: StoryServer, params: lsp.CompletionParams) -> lsp.CompletionList:
        path, line, col = ls.cursor(params.text_document.uri, params.position)
        found: Completion = complete(ls.story(path).names, ls.lines(path), line, col)
        start = ls.position(path, line, col - len(found.prefix))
        end = ls.position(path, line, col)
        items = [lsp.CompletionItem(
            label=item.label, kind=_ITEM_KIND[item.kind], detail=item.detail or None,
            documentation=item.documentation or None,
            text_edit=lsp.TextEdit(lsp.Range(start, end), item.insert or item.label))
            for item in found.items]
        return lsp.CompletionList(is_incomplete=found.incomplete, items=items)

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: StoryServer, params: lsp.DefinitionParams) -> list[lsp.Location]:
        index, found = ls.under_cursor(params.text_document.uri, params.position)
        if found is None:
            return []
        return [ls.location(o.span) for o in index.definitions(found.kind, found.name)]

    @server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
    def references(ls: StoryServer, params: lsp.ReferenceParams) -> list[lsp.Location]:
        index, found = ls.under_cursor(params.text_document.uri, params.position)
        if found is None:
            return []
        wanted = index.occurrences(found.kind, found.name)
        if not params.context.include_declaration:
            wanted = [o for o in wanted if not o.definition]
        return [ls.location(o.span) for o in wanted]

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: StoryServer, params: lsp.HoverParams) -> lsp.Hover | None:
        index, found = ls.under_cursor(params.text_document.uri, params.position)
        text = hover_text(index, found) if found is not None else None
        if text is None or found is None:
            return None
        return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown, text),
                         ls.span_range(found.span))

    @server.feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
    def prepare_rename(ls: StoryServer, params: lsp.PrepareRenameParams) -> Any:
        path, line, col = ls.cursor(params.text_document.uri, params.position)
        try:
            found = renameable(ls.story(path).index, path, line, col)
        except RenameRefused as refused:
            ls.window_show_message(lsp.ShowMessageParams(lsp.MessageType.Info, str(refused)))
            return None
        return lsp.PrepareRenamePlaceholder(ls.span_range(found.span), found.name)

    @server.feature(lsp.TEXT_DOCUMENT_RENAME, lsp.RenameOptions(prepare_provider=True))
    def rename(ls: StoryServer, params: lsp.RenameParams) -> lsp.WorkspaceEdit:
        path, line, col = ls.cursor(params.text_document.uri, params.position)
        index = ls.story(path).index
        try:
            edits = rename_edits(index, renameable(index, path, line, col), params.new_name)
        except RenameRefused as refused:
            raise _Refused(str(refused)) from None
        return lsp.WorkspaceEdit(changes={
            from_fs_path(str(file)) or "": [lsp.TextEdit(ls.span_range(e.span), e.text)
                                            for e in file_edits]
            for file, file_edits in edits.items()})

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def symbols(ls: StoryServer, params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol]:
        path = _path(params.text_document.uri)
        found = ls.story(path).index.files.get(path)
        return [ls.symbol(entry) for entry in (found.outline if found is not None else ())]

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(
        code_action_kinds=[lsp.CodeActionKind.QuickFix]))
    def code_actions(ls: StoryServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        actions = []
        for diagnostic in params.context.diagnostics:
            data = diagnostic.data if isinstance(diagnostic.data, dict) else {}
            suggestion = data.get("suggestion")
            if not isinstance(suggestion, str):
                continue
            edit = lsp.TextEdit(diagnostic.range, suggestion)
            actions.append(lsp.CodeAction(
                title=f"Change to '{suggestion}'", kind=lsp.CodeActionKind.QuickFix,
                diagnostics=[diagnostic], is_preferred=True,
                edit=lsp.WorkspaceEdit(changes={params.text_document.uri: [edit]})))
        return actions

    return server


class _Refused(Exception):
    """Raised from a request handler: pygls sends it to the editor as the error message."""




def serve() -> int:
    """Run on stdin/stdout until the client says exit.

    The protocol gets its own handles on the two streams, and `sys.stdout` points at stderr
    meanwhile: a stray print anywhere would corrupt the protocol, and pygls closes the
    streams it was given when it stops (the command line flushes stdout after every command).
    """
    with (os.fdopen(os.dup(0), "rb") as stdin, os.fdopen(os.dup(1), "wb") as stdout,
          contextlib.redirect_stdout(sys.stderr)):
        build().start_io(stdin, stdout)
    return 0
