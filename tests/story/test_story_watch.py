"""The story folder watcher behind `play --dev`: each edit seen once, reloaded, errors named."""

from __future__ import annotations

import shutil
from pathlib import Path

from game.story.watch import StoryWatcher, error_lines

EXAMPLE = Path(__file__).parents[2] / "docs" / "example"


def copy(tmp_path: Path) -> Path:
    folder = tmp_path / "story"
    shutil.copytree(EXAMPLE, folder)
    return folder


def edit(folder: Path, old: str, new: str) -> None:
    path = folder / "scenes.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_watcher_reports_each_change_once(tmp_path: Path) -> None:
    folder = copy(tmp_path)
    watcher = StoryWatcher(folder)
    assert not watcher.changed()
    edit(folder, "like a swamp", "like a drain")
    assert watcher.changed()
    assert not watcher.changed()
    (folder / "more.yaml").write_text("variables: {extra: 1}\n")
    assert watcher.changed()
    (folder / "more.yaml").unlink()
    assert watcher.changed()


def test_poll_loads_the_folder_again_only_after_a_change(tmp_path: Path) -> None:
    folder = copy(tmp_path)
    watcher = StoryWatcher(folder)
    assert watcher.poll() is None
    edit(folder, "like a swamp", "like a drain")
    result = watcher.poll()
    assert result is not None and result.story is not None
    assert "like a drain" in str(result.story.scenes["kitchen"].paragraphs[0].text)
    assert watcher.poll() is None
    edit(folder, "goto: desk\n", "goto: nowhere\n")
    broken = watcher.poll()
    assert broken is not None and broken.story is None
    lines = error_lines(broken)
    assert len(lines) == 1 and "scenes.yaml:" in lines[0] and "nowhere" in lines[0]


def test_reloads_after_the_first_read_only_the_files_saved_since(tmp_path: Path) -> None:
    folder = copy(tmp_path)
    watcher = StoryWatcher(folder)
    edit(folder, "like a swamp", "like a drain")
    assert watcher.poll() is not None and watcher.files is not None
    assert len(watcher.files.reread) == len(list(folder.glob("*.yaml")))
    edit(folder, "like a drain", "like a sink")
    result = watcher.poll()
    assert result is not None and result.story is not None
    assert [Path(f).name for f in watcher.files.reread] == ["scenes.yaml"]
    assert "like a sink" in str(result.story.scenes["kitchen"].paragraphs[0].text)
