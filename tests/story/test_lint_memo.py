"""Lint's per-scene memory (`Known(scenes=True)`, kept by a `FileCache`) never goes stale.

An incremental load hands back the very scenes of the files it did not read again, and lint
keeps what it found in each of them; these edits to one file change findings about scenes
of the other, untouched one through something outside those scenes: a variable's default
(the stuck check tries it), whether a scene is reachable, and whether a scene can be
entered again (a `once` trap, which asks about the whole graph), and a title's variation, which is read
only while the variables it shows are declared. Each incremental load must report what a
cold one does.
"""

from __future__ import annotations

from pathlib import Path

from game.story.filecache import FileCache
from game.story.files import load_story

HEAD = """\
story: {{id: memo, title: Memo, start: start}}
variables:
  {name}: {mood}
scenes:
  start:
    text: Start.
    choices:
      - {{text: On, goto: {way}}}
      - {{text: Again, goto: start}}
  back:
{back}
"""
LOOPS = "    text: Back.\n    choices:\n      - {text: Start, goto: start}"
ENDS = "    text: The end.\n    ending: {id: fin, title: Fin}"
ROOMS = """\
scenes:
  room:
    title: "Room {~only} {mood}"
    text: A room.
    choices:
      - {text: Calm, goto: hall, if: mood == 1}
      - {text: Angry, goto: hall, if: mood == 2}
      - {text: Stay, goto: room, if: mood == 2}
  hall:
    text: A hall.
    choices:
      - {text: Once, goto: back, once: true}
"""


def test_findings_about_an_unread_file_follow_variables_reachability_and_the_graph(
        tmp_path: Path) -> None:
    (tmp_path / "rooms.yaml").write_text(ROOMS, encoding="utf-8")
    head = tmp_path / "head.yaml"
    cache = FileCache()
    seen: list[str] = []
    before = "mood"
    for mood, way, back in [(0, "room", LOOPS), (-5, "room", LOOPS), (0, "room", LOOPS),
                            (0, "back", LOOPS), (0, "room", ENDS), (0, "room", LOOPS),
                            ("temper", "room", LOOPS), (0, "room", LOOPS)]:
        name = "mood" if isinstance(mood, int) else mood  # renamed: the title cannot show it
        head.write_text(HEAD.format(name=name, mood=0 if name != "mood" else mood, way=way,
                                    back=back), encoding="utf-8")
        warm = [str(d) for d in load_story(tmp_path, files=cache).diagnostics]
        assert warm == [str(d) for d in load_story(tmp_path).diagnostics]
        if seen and name == "mood" == before:  # the same names: the other file not read
            assert [Path(f).name for f in cache.reread] == ["head.yaml"]
        before = name
        seen.append("\n".join(warm))
    hidden, trap, far = "hidden at once (for example when mood = ", "is 'once'", "never be reached"
    assert f"{hidden}0)" in seen[0] and trap in seen[0] and far not in seen[0]
    assert f"{hidden}-5)" in seen[1]  # the default is tried first
    assert f"{hidden}0)" in seen[2]
    assert far in seen[3] and hidden not in seen[3]  # room cut off: not looked into
    assert f"{hidden}0)" in seen[4] and trap not in seen[4]  # hall can no longer come again
    assert seen[5] == seen[0] == seen[7]
    one_item = "'{~only}' is a shuffle of one item"
    assert one_item in seen[0] and one_item not in seen[6]  # (the title is an error there)
