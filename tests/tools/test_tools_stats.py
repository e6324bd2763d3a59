"""`check --stats`: words, scenes, choices, facts and endings per chapter and in total."""

from __future__ import annotations

from pathlib import Path

from tools_helpers import EXAMPLE, FIXTURES, fixture, from_text, load

from game.tools.stats import ChapterStats, format_stats, story_stats


def test_counts_per_chapter_follow_scenes_and_facts(tmp_path: Path) -> None:
    story = from_text(tmp_path, """\
        story: {id: s, title: Small, start: a}
        variables: {name: Sam}
        facts:
          f1: {title: Two words, text: Three more words., chapter: One}
          f2: {title: Loose, text: Fact.}
        scenes:
          a:
            chapter: One
            text: ["Hello {name} there.", {if: "true", text: Also this}]
            choices:
              - {text: Go on, goto: b}
              - {text: Stay here now, goto: a, once: true}
          b:
            chapter: Two
            text: Bee.
            on_enter: [{unlock: [f1, f2]}]
            next: c
          c:
            text: The end, really.
            ending: {id: e, title: E}
        """)
    stats = story_stats(story)
    assert stats.chapters == (
        # 3 + 2 paragraph words ({name} is one), 2 + 3 choice words, 2 + 3 fact words
        ChapterStats("One", words=15, scenes=1, choices=2, facts=1, endings=0),
        ChapterStats("Two", words=1, scenes=1, choices=0, facts=0, endings=0),  # no Continue
        ChapterStats("(no chapter)", words=5, scenes=1, choices=0, facts=1, endings=1),
    )
    assert stats.total == ChapterStats("total", words=21, scenes=3, choices=2, facts=2,
                                       endings=1)
    assert (stats.variables, stats.playthroughs) == (1, 0)


def test_the_table_is_aligned_and_ends_with_the_total() -> None:
    text = format_stats(story_stats(load(EXAMPLE)))
    lines = text.splitlines()
    assert lines[0] == "stats for 'First Day':"
    assert lines[1].split() == ["chapter", "words", "scenes", "choices", "facts", "endings"]
    assert lines[2].split() == ["Morning", "151", "4", "8", "2", "0"]
    assert lines[3].split() == ["(no", "chapter)", "68", "3", "2", "0", "2"]
    assert lines[4].split() == ["total", "219", "7", "10", "2", "2"]
    assert len({len(line) for line in lines[1:5]}) == 1  # columns line up
    assert lines[5] == ("variables: 5 (1 list of 2 items, 1 with bounds), scripted "
                        "playthroughs: 4")


def test_a_variation_counts_the_words_of_every_item(tmp_path: Path) -> None:
    story = from_text(tmp_path, """\
        story: {id: s, title: Small, start: a}
        variables: {n: 1}
        scenes:
          a:
            text: "One {two three|four|} {?n > 1|five|six seven} cup{s|} {&{n} x|y}."
            choices:
              - {text: "{~Go|Leave} now", goto: b}
          b: {text: t, ending: {id: e, title: E}}
        """)
    # 1 + (2 + 1 + 0) + (1 + 2) + "cups" 1 + ({n} x 2 + y. 1): the condition is no words
    assert story_stats(story).total.words == 11 + 3 + 1


def test_computed_effects_and_bounded_numbers_are_counted(tmp_path: Path) -> None:
    story = from_text(tmp_path, """\
        story: {id: s, title: Dice, start: a}
        variables: {trust: {default: 0, min: 0, max: 5}, roll: 0, loose: 1}
        scenes:
          a:
            text: "{trust} {roll} {loose}"
            on_enter: [{compute: {roll: "random(1, 6)", trust: "min(roll, 5)"}}]
            choices:
              - {text: Go, goto: b, effects: [{compute: {loose: "loose + roll"}}]}
          b: {text: t, ending: {id: e, title: E}}
        """)
    stats = story_stats(story)
    assert (stats.computes, stats.rolls, stats.bounded) == (3, 1, 1)
    lines = format_stats(stats).splitlines()
    assert lines[-2:] == ["variables: 3 (1 with bounds), scripted playthroughs: 0",
                          "computed effects: 3 (1 with random())"]


def test_lists_are_counted_beside_the_variables() -> None:
    stats = story_stats(load(FIXTURES / "lists"))
    assert (stats.variables, stats.lists, stats.items) == (3, 2, 7)
    assert format_stats(stats).splitlines()[-1] == (
        "variables: 3 (2 lists of 7 items), scripted playthroughs: 0")


def test_calls_and_returns_are_counted_on_a_line_of_their_own() -> None:
    stats = story_stats(fixture("calls"))
    assert (stats.calls, stats.returns) == (5, 3)
    assert stats.total.choices == 8  # the Continues of returns are no authored choices
    assert format_stats(stats).splitlines()[-1] == (
        "calls: 5 (choices with call:), returns: 3 (scenes with return: true)")
    assert "calls:" not in format_stats(story_stats(fixture("loop")))
