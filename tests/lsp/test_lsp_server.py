"""`offscreen lsp` driven as an editor drives it: a real client over stdio (pytest-lsp).

The server is started as `python -m game lsp`, exactly what an editor runs, on a private
copy of the example story (docs/example: story.yaml, scenes.yaml, playthroughs.yaml).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

pytest.importorskip("pygls")
pytest_lsp = pytest.importorskip("pytest_lsp")

from lsprotocol import types  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient  # noqa: E402

SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "game", "lsp"])


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient, story_copy: Path) -> AsyncIterator[None]:
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(),
        root_uri=story_copy.as_uri(),
        workspace_folders=[types.WorkspaceFolder(story_copy.as_uri(), "story")]))
    yield
    await lsp_client.shutdown_session()


def uri(folder: Path, name: str) -> str:
    return (folder / name).as_uri()


def open_file(client: LanguageClient, folder: Path, name: str) -> str:
    text = (folder / name).read_text(encoding="utf-8")
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=uri(folder, name), language_id="yaml", version=1,
                               text=text)))
    return text


def change(client: LanguageClient, folder: Path, name: str, text: str, version: int) -> None:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(version=version,
                                                            uri=uri(folder, name)),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text)]))


async def diagnostics_until(client: LanguageClient, where: str,
                            done: Callable[[list[types.Diagnostic]], bool],
                            ) -> list[types.Diagnostic]:
    """The diagnostics published for `where` once `done` holds (10 s at most)."""
    async def wait() -> list[types.Diagnostic]:
        while True:
            found = client.diagnostics.get(where)
            if found is not None and done(found):
                return found
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    return await asyncio.wait_for(wait(), 10)


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.split("\n")) if needle in line)


def at(text: str, needle: str, offset: int = 0) -> types.Position:
    line = line_of(text, needle)
    return types.Position(line, text.split("\n")[line].index(needle) + offset)


async def test_a_typo_in_a_goto_is_reported_at_its_line_and_fixing_it_clears_it(
        client: LanguageClient, story_copy: Path) -> None:
    text = open_file(client, story_copy, "scenes.yaml")
    where = uri(story_copy, "scenes.yaml")
    await diagnostics_until(client, where, lambda found: not any(
        d.severity == types.DiagnosticSeverity.Error for d in found))
    typo = text.replace("goto: kitchen", "goto: kitchn", 1)
    change(client, story_copy, "scenes.yaml", typo, 2)
    found = await diagnostics_until(client, where, lambda found: bool(found))
    error = next(d for d in found if "kitchn" in d.message)
    assert error.message == "goto: no scene 'kitchn'; did you mean 'kitchen'?"
    assert error.severity == types.DiagnosticSeverity.Error
    assert error.code == "OS306"  # the kind, from game/story/codes.py, beside the message
    line = line_of(typo, "goto: kitchn")
    column = typo.split("\n")[line].index("kitchn")
    assert error.range == types.Range(types.Position(line, column),
                                      types.Position(line, column + len("kitchn")))

    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(where), range=error.range,
        context=types.CodeActionContext(diagnostics=[error])))
    assert actions is not None
    fix = actions[0]
    assert isinstance(fix, types.CodeAction) and fix.edit is not None and fix.edit.changes
    assert list(fix.edit.changes[where]) == [types.TextEdit(error.range, "kitchen")]

    change(client, story_copy, "scenes.yaml", text, 3)
    await diagnostics_until(client, where, lambda found: not any(
        d.severity == types.DiagnosticSeverity.Error for d in found))


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


async def test_positions_count_utf16_units_on_a_line_with_non_ascii_text(
        client: LanguageClient, story_copy: Path) -> None:
    """The client's default encoding: a flow-style choice after an emoji (two UTF-16 units,
    one character) gets its diagnostic, completion and definition where the editor puts
    them; the typo comes as a one-character range edit, as an editor sends a keystroke."""
    text = open_file(client, story_copy, "scenes.yaml")
    where = uri(story_copy, "scenes.yaml")
    await diagnostics_until(client, where, lambda found: not any(
        d.severity == types.DiagnosticSeverity.Error for d in found))
    line = line_of(text, "goto: desk")
    choice = '      - {text: "Café 🍵 break", goto: kitchen}'
    end = types.Position(line, len(text.split("\n")[line]))
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(version=2, uri=where),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(end, end), text="\n" + choice)]))
    column = utf16(choice[:choice.index("kitchen")])  # 41 in UTF-16, 40 characters
    last = types.Position(line + 1, column + len("kitche"))  # the last letter goes
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(version=3, uri=where),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(last, types.Position(line + 1, last.character + 1)), text="")]))
    found = await diagnostics_until(client, where, lambda found: any(
        "kitche'" in d.message for d in found))
    error = next(d for d in found if "kitche'" in d.message)
    assert error.range == types.Range(types.Position(line + 1, column),
                                      types.Position(line + 1, column + len("kitche")))

    items = await client.text_document_completion_async(types.CompletionParams(
        types.TextDocumentIdentifier(where), types.Position(line + 1, column + 3)))
    assert isinstance(items, types.CompletionList)
    kitchen = next(item for item in items.items if item.label == "kitchen")
    assert isinstance(kitchen.text_edit, types.TextEdit)
    assert kitchen.text_edit.range == types.Range(types.Position(line + 1, column),
                                                  types.Position(line + 1, column + 3))
    found_at = await client.text_document_definition_async(types.DefinitionParams(
        types.TextDocumentIdentifier(where), types.Position(line + 1, column + 1)))
    assert found_at == []  # 'kitche' is no scene; the hover says so
    hover = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(where), types.Position(line + 1, column + 1)))
    assert hover is not None and hover.range == error.range


async def test_a_name_defined_twice_cites_the_first_definition(
        client: LanguageClient, story_copy: Path) -> None:
    open_file(client, story_copy, "scenes.yaml")
    text = open_file(client, story_copy, "playthroughs.yaml")
    twice = text + "scenes:\n  desk:\n    text: Again.\n    next: lobby\n"
    change(client, story_copy, "playthroughs.yaml", twice, 2)
    # playthroughs.yaml is read first, so the scene in scenes.yaml is the second definition
    where = uri(story_copy, "scenes.yaml")
    found = await diagnostics_until(client, where, lambda found: any(
        "defined twice" in d.message for d in found))
    error = next(d for d in found if "defined twice" in d.message)
    assert error.related_information
    first = error.related_information[0].location
    assert first.uri == uri(story_copy, "playthroughs.yaml")
    assert first.range.start == at(twice, "  desk:", 2)


async def test_completion_after_goto_lists_the_scene_ids(
        client: LanguageClient, story_copy: Path) -> None:
    text = open_file(client, story_copy, "scenes.yaml")
    partial = text.replace("goto: kitchen", "goto: ", 1)
    change(client, story_copy, "scenes.yaml", partial, 2)
    result = await client.text_document_completion_async(types.CompletionParams(
        types.TextDocumentIdentifier(uri(story_copy, "scenes.yaml")),
        at(partial, "goto: ", len("goto: "))))
    assert result is not None
    items = result.items if isinstance(result, types.CompletionList) else result
    labels = {item.label for item in items}
    assert labels == {"lobby", "kitchen", "coffee", "window", "desk", "lunch", "alone"}
    kitchen = next(item for item in items if item.label == "kitchen")
    assert kitchen.detail == "The Kitchen"


async def test_definition_of_a_scene_in_another_file_lands_on_its_line(
        client: LanguageClient, story_copy: Path) -> None:
    story = open_file(client, story_copy, "story.yaml")
    found = await client.text_document_definition_async(types.DefinitionParams(
        types.TextDocumentIdentifier(uri(story_copy, "story.yaml")),
        at(story, "start: lobby", len("start: l"))))
    assert isinstance(found, list) and len(found) == 1
    scenes = (story_copy / "scenes.yaml").read_text(encoding="utf-8")
    assert found[0].uri == uri(story_copy, "scenes.yaml")
    assert found[0].range.start == at(scenes, "  lobby:", 2)

    refs = await client.text_document_references_async(types.ReferenceParams(
        context=types.ReferenceContext(include_declaration=False),
        text_document=types.TextDocumentIdentifier(uri(story_copy, "story.yaml")),
        position=at(story, "start: lobby", len("start: l"))))
    assert refs is not None
    assert {r.uri for r in refs} == {uri(story_copy, "story.yaml"), uri(story_copy, "scenes.yaml")}


async def test_hover_on_a_fact_shows_its_title(
        client: LanguageClient, story_copy: Path) -> None:
    text = open_file(client, story_copy, "scenes.yaml")
    hover = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(uri(story_copy, "scenes.yaml")),
        at(text, "unlock: coffee", len("unlock: c"))))
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert "**The coffee is terrible**" in hover.contents.value
    assert "Overheard at the coffee machine" in hover.contents.value


async def test_rename_updates_every_file(client: LanguageClient, story_copy: Path) -> None:
    text = open_file(client, story_copy, "scenes.yaml")
    position = at(text, "  lunch:", 3)
    where = types.TextDocumentIdentifier(uri(story_copy, "scenes.yaml"))
    ready = await client.text_document_prepare_rename_async(
        types.PrepareRenameParams(where, position))
    assert isinstance(ready, types.PrepareRenamePlaceholder) and ready.placeholder == "lunch"
    edit = await client.text_document_rename_async(types.RenameParams(where, position, "picnic"))
    assert edit is not None and edit.changes is not None
    scenes, runs = uri(story_copy, "scenes.yaml"), uri(story_copy, "playthroughs.yaml")
    assert set(edit.changes) == {scenes, runs}
    assert len(edit.changes[scenes]) == 2  # its definition and the goto
    assert len(edit.changes[runs]) == 1  # `expect: {scene: lunch}`
    line = line_of((story_copy / "playthroughs.yaml").read_text(encoding="utf-8"), "scene: lunch")
    assert edit.changes[runs][0].range.start.line == line
    assert all(e.new_text == "picnic" for e in edit.changes[scenes])

    story = open_file(client, story_copy, "story.yaml")
    position = at(story, "  courage:", 3)
    where = types.TextDocumentIdentifier(uri(story_copy, "story.yaml"))
    edit = await client.text_document_rename_async(types.RenameParams(where, position, "nerve"))
    assert edit is not None and edit.changes is not None
    assert set(edit.changes) == {uri(story_copy, n) for n in
                                 ("story.yaml", "scenes.yaml", "playthroughs.yaml")}

    with pytest.raises(Exception, match="already exists"):
        await client.text_document_rename_async(types.RenameParams(where, position, "met_sam"))


async def test_document_symbols_outline_the_scenes(
        client: LanguageClient, story_copy: Path) -> None:
    open_file(client, story_copy, "scenes.yaml")
    found = await client.text_document_document_symbol_async(types.DocumentSymbolParams(
        types.TextDocumentIdentifier(uri(story_copy, "scenes.yaml"))))
    assert found is not None
    assert [s.name for s in found] == ["lobby", "kitchen", "coffee", "window", "desk", "lunch",
                                       "alone"]


async def test_shutdown_and_exit_end_the_process(story_copy: Path) -> None:
    client = await SERVER.start()
    assert isinstance(client, LanguageClient)
    await client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=story_copy.as_uri()))
    server = client._server
    assert server is not None
    await client.shutdown_session()
    assert await asyncio.wait_for(server.wait(), 10) == 0
    await client.stop()


# -- files changed outside the editor -------------------------------------------------------
# A git checkout or another tool: the server asks the editor to watch the story's files and
# checks again when it reports a change, here with a client that supports dynamic
# registration, as VS Code and Neovim do.

REGISTERED: list[types.RegistrationParams] = []


@pytest_lsp.fixture(config=SERVER)
async def watching(lsp_client: LanguageClient, story_copy: Path) -> AsyncIterator[None]:
    REGISTERED.clear()

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        REGISTERED.append(params)

    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(workspace=types.WorkspaceClientCapabilities(
            did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(
                dynamic_registration=True))),
        root_uri=story_copy.as_uri(),
        workspace_folders=[types.WorkspaceFolder(story_copy.as_uri(), "story")]))
    yield
    await lsp_client.shutdown_session()


def changed(client: LanguageClient, path: Path, kind: types.FileChangeType) -> None:
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        [types.FileEvent(path.as_uri(), kind)]))


def errors(found: list[types.Diagnostic]) -> list[str]:
    return [d.message for d in found if d.severity == types.DiagnosticSeverity.Error]


async def test_the_watcher_is_registered_for_story_files(
        watching: LanguageClient, story_copy: Path) -> None:
    open_file(watching, story_copy, "scenes.yaml")  # a round trip: initialized is handled
    await diagnostics_until(watching, uri(story_copy, "scenes.yaml"), lambda found: True)
    (registration,) = [r for params in REGISTERED for r in params.registrations]
    assert registration.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
    options = registration.register_options
    assert isinstance(options, dict)  # as it arrives over the wire
    assert [w["globPattern"] for w in options["watchers"]] == ["**/*.{yaml,yml}"]


async def test_files_created_changed_and_deleted_outside_the_editor(
        watching: LanguageClient, story_copy: Path) -> None:
    open_file(watching, story_copy, "scenes.yaml")
    scenes = uri(story_copy, "scenes.yaml")
    await diagnostics_until(watching, scenes, lambda found: not errors(found))

    # Created: a new file (never opened) with a mistake gets its diagnostics.
    extra = story_copy / "extra.yaml"
    extra.write_text("scenes:\n  epilogue:\n    text: The end.\n    next: nowhere\n",
                     encoding="utf-8")
    changed(watching, extra, types.FileChangeType.Created)
    found = await diagnostics_until(watching, extra.as_uri(), lambda found: bool(errors(found)))
    assert errors(found) == ["next of scene 'epilogue': no scene 'nowhere'"]

    # Changed (as a checkout would): the mistake fixed on disk clears it.
    extra.write_text("scenes:\n  epilogue:\n    text: The end.\n    next: lobby\n",
                     encoding="utf-8")
    changed(watching, extra, types.FileChangeType.Changed)
    await diagnostics_until(watching, extra.as_uri(), lambda found: not errors(found))

    # Changed again, a mistake put back; then Deleted: its diagnostics are cleared.
    extra.write_text("scenes:\n  epilogue: [\n", encoding="utf-8")
    changed(watching, extra, types.FileChangeType.Changed)
    await diagnostics_until(watching, extra.as_uri(), lambda found: bool(errors(found)))
    extra.unlink()
    changed(watching, extra, types.FileChangeType.Deleted)
    assert list(await diagnostics_until(watching, extra.as_uri(), lambda found: not found)) == []


async def test_a_file_changed_outside_the_editor_breaks_an_open_one(
        watching: LanguageClient, story_copy: Path) -> None:
    """The open file did not change, but a scene it leads to went away on disk."""
    text = open_file(watching, story_copy, "story.yaml")
    where = uri(story_copy, "story.yaml")
    await diagnostics_until(watching, where, lambda found: not errors(found))
    scenes = story_copy / "scenes.yaml"
    start = text.split("start:", 1)[1].split()[0]
    original = scenes.read_text(encoding="utf-8")
    scenes.write_text(original.replace(f"  {start}:", f"  {start}_moved:", 1),
                      encoding="utf-8")
    changed(watching, scenes, types.FileChangeType.Changed)
    found = await diagnostics_until(watching, where, lambda found: bool(errors(found)))
    assert errors(found)[0].startswith(f"start scene '{start}' does not exist")
    scenes.write_text(original, encoding="utf-8")
    changed(watching, scenes, types.FileChangeType.Changed)
    await diagnostics_until(watching, where, lambda found: not errors(found))
