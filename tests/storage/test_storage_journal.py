"""The autosave's journal (game/storage/journal.py): one appended record per autosave, a whole
rewrite every `compact_every`, and a journal's tail that is not whole never alarming anyone."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from storage_helpers import EXAMPLE

from game.engine import Engine, GameState
from game.storage import journal
from game.storage.names import BACKUP_SUFFIX
from game.storage.saves import AUTOSAVE, SaveStore
from game.story.files import load_or_raise
from game.story.model import Story

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
import gen_story

EVERY = 5


@pytest.fixture(scope="module")
def ring(tmp_path_factory: pytest.TempPathFactory) -> Story:
    """A ring of 60 scenes: every choice is a new state, and the game never ends."""
    folder = tmp_path_factory.mktemp("ring")
    gen_story.generate_loop(folder, scenes=60)
    return load_or_raise(folder)


def store_for(folder: Path, story: Story, every: int = EVERY) -> SaveStore:
    return SaveStore(folder, story, compact_every=every)


def game(story: Story, length: int) -> list[GameState]:
    engine = Engine(story)
    states = [engine.start()]
    for _ in range(length):
        states.append(engine.take(states[-1], engine.choices(states[-1])[0]))
    return states


def chain(state: GameState) -> list[tuple[object, ...]]:
    """Every field of every state in the chain (what `back` will walk through)."""
    return [(s.key(), s.turn, s.via) for s in state.history()]


def records(store: SaveStore) -> list[bytes]:
    """The journal's lines after its header (none right after a whole write)."""
    path = journal.journal_path(store.path(AUTOSAVE))
    return path.read_bytes().splitlines()[1:] if path.exists() else []


def test_an_autosave_appends_one_record_and_rewrites_the_file_every_n(
        tmp_path: Path, ring: Story) -> None:
    store = store_for(tmp_path, ring)
    path = store.path(AUTOSAVE)
    rewrites = 0
    last_inode = None
    for state in game(ring, 3 * EVERY + 2):
        store.save(AUTOSAVE, state, playtime=float(state.turn))
        inode = path.stat().st_ino  # a whole write is a rename: a new inode
        rewrites += inode != last_inode
        last_inode = inode
        loaded = SaveStore(tmp_path, ring).load(AUTOSAVE)
        assert loaded.message is None
        assert chain(loaded.state) == chain(state)
        assert loaded.playtime == float(state.turn)
    # the first save, then one whole write after every EVERY appended records
    assert rewrites == 1 + (3 * EVERY + 2) // (EVERY + 1)
    assert len(records(store)) == (3 * EVERY + 2) % (EVERY + 1)
    assert '"journal"' in path.read_text()


def test_what_an_autosave_appends_does_not_grow_with_the_game(tmp_path: Path,
                                                              ring: Story) -> None:
    store = store_for(tmp_path, ring, every=journal.COMPACT_EVERY)
    engine = Engine(ring)
    state = engine.start()
    sizes = []
    for _ in range(300):  # states made as the game goes (the undo chain is cut 200 back)
        state = engine.take(state, engine.choices(state)[0])
        store.save(AUTOSAVE, state)
        sizes.append(len(records(store)[-1]) if records(store) else 0)
    appended = [size for size in sizes if size]
    assert sizes.count(0) == 3  # whole writes: the first save, then one per COMPACT_EVERY + 1
    assert max(appended[-50:]) <= max(appended[:20]) + 8  # digits of the turn, nothing more


def test_undo_and_skipped_autosaves_are_one_record_each(tmp_path: Path, ring: Story) -> None:
    """The background writer drops a waiting autosave when a newer one comes; an undo steps
    back: each record says how it got from the state before to its own."""
    store = store_for(tmp_path, ring, every=100)
    engine = Engine(ring)
    states = game(ring, 6)
    store.save(AUTOSAVE, states[0])
    store.save(AUTOSAVE, states[3])  # two autosaves skipped
    store.save(AUTOSAVE, states[2])  # back one
    other = engine.take(states[1], engine.choices(states[1])[-1])
    store.save(AUTOSAVE, other)  # back two, then on another way
    store.save(AUTOSAVE, other, playtime=9.0)  # the same state again: quitting
    lines = [json.loads(line.partition(b" ")[2]) for line in records(store)]
    assert [(r["back"], len(r["steps"])) for r in lines] == [(0, 3), (1, 0), (1, 1), (0, 0)]
    loaded = SaveStore(tmp_path, ring).load(AUTOSAVE)
    assert chain(loaded.state) == chain(other) and loaded.playtime == 9.0


@pytest.mark.parametrize("damage", ["torn", "cut-at-newline", "checksum", "duplicate", "gap",
                                    "not-json", "bad-step"])
def test_a_journal_whose_tail_is_not_whole_loads_the_last_whole_state(
        tmp_path: Path, ring: Story, damage: str) -> None:
    store = store_for(tmp_path, ring, every=100)
    states = game(ring, 6)
    for state in states:
        store.save(AUTOSAVE, state)
    path = journal.journal_path(store.path(AUTOSAVE))
    lines = path.read_bytes().splitlines(keepends=True)  # header, then turns 1..6
    expected = states[5]
    if damage == "torn":  # a crash mid-append
        lines[-1] = lines[-1][: len(lines[-1]) // 2]
    elif damage == "cut-at-newline":
        lines[-1] = lines[-1][:-1]
    elif damage == "checksum":  # one bit of the record for turn 4: it and all after are lost
        lines[4] = lines[4][:20] + bytes([lines[4][20] ^ 1]) + lines[4][21:]
        expected = states[3]
    elif damage == "duplicate":
        lines.insert(4, lines[3])
        expected = states[6]
    elif damage == "gap":
        del lines[4]
        expected = states[3]
    elif damage == "not-json":
        lines[5] = journal.line("{not json")
        expected = states[4]
    else:  # checksummed, but a step that is not a state: the records before it
        text = lines[5].partition(b" ")[2].decode().replace('"scene":', '"scene":7,"x":')
        lines[5] = journal.line(text.strip())
        expected = states[4]
    path.write_bytes(b"".join(lines))
    loaded = SaveStore(tmp_path, ring).load(AUTOSAVE)
    assert loaded.message is None  # nothing alarming: a journal's tail is expected to tear
    assert chain(loaded.state) == chain(expected)
    assert [info.status for info in SaveStore(tmp_path, ring).slots()] == ["ok"]


def test_a_journal_is_applied_only_to_the_file_it_names(tmp_path: Path, ring: Story) -> None:
    store = store_for(tmp_path, ring)
    states = game(ring, EVERY + 3)  # one whole write after the first: two generations
    for state in states[:EVERY]:
        store.save(AUTOSAVE, state)
    path = store.path(AUTOSAVE)
    old = journal.journal_path(path).read_bytes()
    for state in states[EVERY:]:
        store.save(AUTOSAVE, state)
    journal.journal_path(path).write_bytes(old)  # an earlier generation's journal
    loaded = SaveStore(tmp_path, ring).load(AUTOSAVE)
    assert loaded.message is None
    assert chain(loaded.state) == chain(states[EVERY + 1])  # the save file as compacted
    # the .bak is the generation before: the journal beside it names another file
    path.write_text("junk")
    fallback = SaveStore(tmp_path, ring).load(AUTOSAVE)
    assert fallback.message is not None and path.name in fallback.message
    assert chain(fallback.state) == chain(states[0])


def test_the_journal_is_not_a_save_and_goes_with_its_slot(tmp_path: Path, ring: Story) -> None:
    store = store_for(tmp_path, ring)
    for state in game(ring, 3):
        store.save(AUTOSAVE, state, playtime=float(state.turn))
    infos = store.slots()
    assert [(i.name, i.playtime, i.status) for i in infos] == [(AUTOSAVE, 3.0, "ok")]
    store.delete(AUTOSAVE)
    assert list(tmp_path.iterdir()) == []


def test_whole_folds_the_journal_into_one_save_file(tmp_path: Path, ring: Story) -> None:
    store = store_for(tmp_path, ring)
    states = game(ring, 3)
    for state in states:
        store.save(AUTOSAVE, state, playtime=float(state.turn))
    raw = store.whole(AUTOSAVE)
    assert raw is not None and b'"journal"' not in raw
    (tmp_path / "copy").mkdir()
    (tmp_path / "copy" / "kept.json").write_bytes(raw)
    loaded = SaveStore(tmp_path / "copy", ring).load("kept")
    assert chain(loaded.state) == chain(states[-1]) and loaded.playtime == 3.0


def test_an_old_autosave_with_a_stray_journal_beside_it_loads_as_it_is(
        tmp_path: Path, story: Story) -> None:
    """Saves written before the journal have no token: no journal continues them."""
    state = game(story, 0)[0]
    store = store_for(tmp_path, story)
    store.save(AUTOSAVE, state)
    path = store.path(AUTOSAVE)
    data = json.loads(path.read_text())
    del data["journal"]
    path.write_text(json.dumps(data))
    journal.journal_path(path).write_bytes(journal.header("0" * 16))
    loaded = SaveStore(tmp_path, story).load(AUTOSAVE)
    assert loaded.message is None and chain(loaded.state) == chain(state)


def test_a_failed_append_means_a_whole_write_next(tmp_path: Path, ring: Story,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    store = store_for(tmp_path, ring, every=100)
    states = game(ring, 4)
    store.save(AUTOSAVE, states[0])
    store.save(AUTOSAVE, states[1])
    real = os.fsync

    def failing(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", failing)
    with pytest.raises(Exception, match="the disk is full"):
        store.save(AUTOSAVE, states[2])
    monkeypatch.setattr(os, "fsync", real)
    path = store.path(AUTOSAVE)
    before = path.stat().st_ino
    store.save(AUTOSAVE, states[3])
    assert path.stat().st_ino != before  # written whole, not appended after a doubtful line
    assert chain(SaveStore(tmp_path, ring).load(AUTOSAVE).state) == chain(states[3])
    assert path.with_name(path.name + BACKUP_SUFFIX).exists()


def test_the_example_story_autosaves_through_the_journal(tmp_path: Path) -> None:
    story = load_or_raise(EXAMPLE)
    engine = Engine(story)
    store = store_for(tmp_path, story)
    state = engine.start()
    store.save(AUTOSAVE, state)
    state = engine.take(state, engine.choices(state)[0])
    store.save(AUTOSAVE, state)
    assert len(records(store)) == 1
    assert chain(SaveStore(tmp_path, story).load(AUTOSAVE).state) == chain(state)


def test_plain_mode_and_the_background_writer_autosave_through_the_journal(
        tmp_path: Path, ring: Story) -> None:
    """Both front ends' autosaves: plain mode's (written in place) and the TUI's (on the
    writer's thread, where a newer autosave replaces a waiting one): each append holds the
    choices since the last one written, and the game loads as it was left."""
    import io

    from game.plain import PlainGame
    from game.session import Session

    for background in (False, True):
        folder = tmp_path / f"saves-{background}"
        session = Session(ring, folder, background=background)
        session.new_game()
        for _ in range(12):
            state = session.state
            assert state is not None
            session.choose(Engine(ring).choices(state)[0].id)
        session.back()
        assert session.quit() is None  # no error: the last autosave was written
        path = SaveStore(folder, ring).path(AUTOSAVE)
        lines = journal.journal_path(path).read_bytes().splitlines()[1:]
        assert lines, "no autosave was appended"
        steps = [json.loads(line.partition(b" ")[2]) for line in lines]
        whole = json.loads(path.read_text())["history"][-1]["turn"]  # the last whole write
        net = sum(len(r["steps"]) for r in steps) - sum(r["back"] for r in steps)
        assert whole + net == 11  # 12 choices, one taken back
        loaded = SaveStore(folder, ring).load(AUTOSAVE)
        assert session.state is not None and chain(loaded.state) == chain(session.state)
    plain = tmp_path / "plain"
    out = io.StringIO()
    PlainGame(Session(ring, plain), out, width=100).run(io.StringIO("1\n" * 7 + "quit\n"))
    path = SaveStore(plain, ring).path(AUTOSAVE)
    assert len(journal.journal_path(path).read_bytes().splitlines()) == 1 + 6 + 1  # and quit
    assert SaveStore(plain, ring).load(AUTOSAVE).state.turn == 7
