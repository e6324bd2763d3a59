"""Format v2 as a whole, on a story a new author wrote from the docs alone (issue 17).

`fixtures/v2_station/story` uses every v2 addition at once: all five kinds of text
variation, variables in scene and ending titles, `random()` in `compute` with min max clamp
abs round, bounded numbers, a list with add/remove/in/count(), a locked choice with its
reason, and calls with and without `then`. `fixtures/v2_station/mistakes` is the same story
with one planted mistake of each kind the issue names; one `check` must report each at its
line and nothing else (no cascade from one mistake into "undeclared" errors elsewhere).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from game.story.files import load_story
from game.tools.exhaustive import search

HERE = Path(__file__).resolve().parent / "fixtures" / "v2_station"
STORY, MISTAKES = HERE / "story", HERE / "mistakes"

PLANTED = {
    ("scenes/station.yaml", 70): "not one of the items of 'bag'",   # a name outside items
    ("scenes/station.yaml", 8): "is not a variation mark",          # a misspelt sigil
    ("scenes/side.yaml", 31): "never closes",                       # an unclosed variation
    ("scenes/station.yaml", 85): "random() can only be used in a compute",  # in a condition
    ("scenes/station.yaml", 41): "random() in a condition in text",  # in text
    ("scenes/side.yaml", 23): "'tired' is true/false",               # compute: wrong type
    ("scenes/station.yaml", 73): "enabled takes a condition",        # enabled: maybe
    ("scenes/side.yaml", 47): "call: no scene 'phone_box'",          # a call to nowhere
    ("scenes/station.yaml", 109): "no call can reach it",            # an unreachable return
    ("scenes/side.yaml", 88): "calls recurse without end",           # endless calls
    ("story.yaml", 10): "max (2) is below min (9)",                  # min > max
    ("story.yaml", 8): "outside its bounds",                         # default outside
}


def test_the_story_written_from_the_docs_checks_clean() -> None:
    result = load_story(STORY)
    assert result.story is not None
    assert [str(d) for d in result.diagnostics] == []


def test_one_check_reports_each_planted_mistake_at_its_line_and_nothing_else() -> None:
    result = load_story(MISTAKES)
    found = {(Path(d.pos.file).resolve().relative_to(MISTAKES).as_posix(), d.pos.line): d.message
             for d in result.errors}
    assert set(found) == set(PLANTED), sorted(found)
    for place, words in PLANTED.items():
        assert words in found[place], (place, found[place])
    assert len(result.errors) == len(PLANTED)


def _play(seed: int, saves: Path) -> str:
    """The plain-mode transcript of the author's input, as a player's terminal shows it."""
    done = subprocess.run(
        [sys.executable, "-m", "game", "play", "--plain", "--story", str(STORY),
         "--saves", str(saves), "--seed", str(seed)],
        input=(HERE / "input.txt").read_text(encoding="utf-8"), capture_output=True,
        text=True, timeout=120, check=True)
    return done.stdout


def test_a_fixed_seed_gives_the_same_transcript_twice(tmp_path: Path) -> None:
    first, second = _play(42, tmp_path / "a"), _play(42, tmp_path / "b")
    assert first == second
    assert "(locked: Not without your umbrella (you carry: ticket).)" in first
    assert "That choice is locked: Not without your umbrella" in first
    other = _play(7, tmp_path / "c")
    assert other != first  # the die and the shuffles read the seed


def test_the_exhaustive_search_proves_the_story_complete() -> None:
    story = load_story(STORY).story
    assert story is not None
    report = search(story)
    assert report.complete and not report.failed
    assert len(report.coverage.scenes) == len(story.scenes)
    assert set(report.coverage.endings) == set(story.endings)
