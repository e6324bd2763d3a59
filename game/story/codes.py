"""The one table of diagnostic codes: a stable short name for every kind of problem.

`offscreen check --format json|github`, editors and CI filters key on these (a message's
wording may improve; its code never changes meaning), and docs/diagnostics.md is generated
from this table (`python -m game.story.codes docs/diagnostics.md`; a test keeps the two
equal). Every place that reports a problem names its code: `self.report(pos, message,
codes.UNKNOWN_KEY)` in the loader's readers, `codes.UNREACHABLE_SCENE.at(pos, message)`
elsewhere. The severity belongs to the code, so a kind of problem is always an error or
always a warning.

Adding a kind of problem is one line below, in its group, with the next free number:
`NAME = define("OS2nn", "what it means, in one line")` (add `"warning"` for a warning). A
number is never reused for another meaning: a code that is no longer produced stays in the
table, in RETIRED. tests/story/test_codes.py fails, naming the place, when a diagnostic has
no code, a code is in the table twice, or a code is produced by no test fixture.

The groups (the first digit) are in GROUPS; a new kind of thing (format v2's calls, say)
may open a new hundred with one line there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from game import generated
from game.story.diagnostics import Diagnostic, Related, Severity
from game.story.model import Pos

GROUPS = {
    "1": "Files and YAML",
    "2": "The shape of a file: keys and kinds of value",
    "3": "Names and references",
    "4": "Text and conditions",
    "5": "Values and effects",
    "6": "Scene flow (proven problems)",
    "7": "Likely mistakes (warnings)",
    "8": "Calls",
}
"""What each hundred holds, by its digit: the headings of docs/diagnostics.md."""


@dataclass(frozen=True, slots=True)
class Code:
    """One kind of problem: its code (`OS201`), its severity and what it means."""

    code: str
    severity: Severity
    meaning: str

    def at(self, pos: Pos, message: str, related: tuple[Related, ...] = ()) -> Diagnostic:
        """A diagnostic of this kind at pos."""
        return Diagnostic(pos, self.severity, message, self.code, related)


TABLE: dict[str, Code] = {}
"""Every code, by its text, in the order written below (the docs' order)."""


def define(code: str, meaning: str, severity: Severity = "error") -> Code:
    """Enter one code in TABLE; a code written twice (two branches picking the same next
    number, say) stops the import at once rather than let two meanings share a code."""
    if code in TABLE:
        raise ValueError(f"diagnostic code {code} is in game/story/codes.py twice: "
                         f"{TABLE[code].meaning!r} and {meaning!r}; give one the next free "
                         "number in its group")
    entry = TABLE[code] = Code(code, severity, meaning)
    return entry


# -- OS1xx: files and YAML ----------------------------------------------------------------------
NO_FOLDER = define("OS101", "the story folder (or file) does not exist")
NO_FILES = define("OS102", "the folder holds no *.yaml or *.yml file")
UNREADABLE = define("OS103", "a story file cannot be read (not a regular file, or an I/O error)")
TOO_LARGE = define("OS104", "a story file is larger than the limit (64 MiB)")
NOT_UTF8 = define("OS105", "a story file is not UTF-8 text")
YAML_SYNTAX = define("OS106", "the file is not valid YAML (with a hint at the usual cause)")
YAML_CONTROL = define("OS107", "a raw control character in the file, which YAML does not allow")
TOO_DEEP = define("OS108", "nesting deeper than a story file may go (1000 levels)")
CONTROL_IN_TEXT = define("OS109", "a value holds a control character a terminal would obey (ESC)")
YAML_TAG = define("OS110", "an explicit YAML tag (!!python/..., !custom); use plain values")
MERGE_KEY = define("OS111", "a YAML merge key (<<), which story files do not support")
BAD_SCALAR = define("OS112", "a tagged value that cannot be read as its tag says (!!int abc)")
NOT_CHECKED = define("OS113", "a file could not be read, so references to names it may define "
                     "were not checked", "warning")

# -- OS2xx: the shape of a file -----------------------------------------------------------------
UNKNOWN_KEY = define("OS201", "a key this place does not have (with the closest one it has)")
MISSING_KEY = define("OS202", "a required key is missing")
DUPLICATE_KEY = define("OS203", "a key written twice in one mapping (YAML keeps only the last)")
KEY_NOT_NAME = define("OS204", "a key that is not a plain name (a list, a mapping, empty)")
WRONG_KIND = define("OS205", "a value of the wrong kind (a list where a mapping goes...)")
NO_VALUE = define("OS206", "an empty value where one is needed")
PARAGRAPH_MAPPING = define("OS207", "a paragraph read as a mapping because of a ': ' in it")
ENDING_SCALAR = define("OS208", "an ending written as one value; it needs an id and a title")
NO_STORY = define("OS209", "no file has the 'story:' section")
STORY_TWICE = define("OS210", "the 'story:' section is written more than once")
EMPTY_EFFECT = define("OS211", "an effect with none of its kinds (set, add, unlock...)")
BAD_SEED = define("OS212", "a playthrough's seed that is not a whole number from 0 to "
                  "4294967295")

# -- OS3xx: names and references ----------------------------------------------------------------
BAD_ID = define("OS301", "an id that is not ASCII letters, digits and '_' (no digit first)")
BAD_STORY_ID = define("OS302", "a story id that is not lowercase letters, digits, '-' and '_'")
DEFINED_TWICE = define("OS303", "a scene, fact, variable or playthrough defined twice")
ENDING_TWICE = define("OS304", "two scenes with the same ending id")
CHOICE_ID_TWICE = define("OS305", "two choices of one scene with the same id")
NO_SCENE = define("OS306", "a scene that does not exist (goto, next, start, expect)")
NO_FACT = define("OS307", "a fact that does not exist (unlock, expect)")
NO_VARIABLE = define("OS308", "a variable that is not declared (set, add, expect)")
NO_ENDING = define("OS309", "an ending no scene has (expect)")

# -- OS4xx: text and conditions -----------------------------------------------------------------
STRAY_BRACE = define("OS401", "a lone { or } in text (write {{ or }} for a brace)")
HOLE_NOT_NAME = define("OS402", "{...} in text holds something other than a variable name")
HOLE_UNDECLARED = define("OS403", "{name} in text names no declared variable")
CONDITION_SYNTAX = define("OS404", "a condition that cannot be parsed")
CONDITION_NAME = define("OS405", "a condition names an unknown variable, function, scene or fact")
CONDITION_TYPE = define("OS406", "a condition mixes kinds of value, or is not true/false")
NEVER_TRUE = define("OS407", "a condition that provably never holds (x > 3 and x < 2)")
DIVISION_BY_ZERO = define("OS408", "a division by a constant zero in a condition")
# (text variations, format v2: game/story/variations.py)
UNCLOSED_VARIATION = define("OS420", "a variation {a|b... in text that is never closed with }")
UNKNOWN_SIGIL = define("OS421", "a variation starting with a mark other than & ! ~ ? "
                       "(a misspelt sigil, {%a|b})")
EMPTY_TEXT_CONDITION = define("OS422", "{?|...} in text with no condition")
RANDOM_IN_TEXT = define("OS423", "random() in the condition of a {?COND|..} variation "
                        "(showing text never changes anything)")
CONDITION_WITHOUT_TEXT = define("OS424", "{?CONDITION} in text with no | text after it")
TOO_MANY_TEXTS = define("OS425", "{?CONDITION|yes|no|...} with more than two texts")
VARIATIONS_TOO_DEEP = define("OS426", "variations nested more than 16 deep")
EMPTY_VARIATION = define("OS427", "a variation with nothing in it ({&}, {~}, {!})")

# -- OS5xx: values and effects ------------------------------------------------------------------
ADD_NOT_NUMBER = define("OS501", "add on a variable or value that is not a number")
DECIMAL_INTO_WHOLE = define("OS502", "add of a decimal number to a whole-number variable")
WRONG_TYPE = define("OS503", "a value of another kind than its variable's (set, expect)")
OUT_OF_RANGE = define("OS504", "a number outside the range numbers stay in (-10^15 to 10^15)")
# v2: randomness, computed effects, bounded numbers (OS520-OS539)
COMPUTE_SYNTAX = define("OS520", "a compute expression that cannot be parsed")
COMPUTE_RESULT = define("OS521", "a compute result of another kind than its variable's "
                        "(a number into true/false, a decimal into a whole number...)")
RANDOM_OUTSIDE = define("OS522", "random() in an if: or enabled: condition, or in a {..} hole "
                        "of text (it may only be in compute)")
EMPTY_RANGE = define("OS523", "clamp() or random() with constant bounds the wrong way round, "
                     "or random() of a constant decimal")
BOUNDS_ORDER = define("OS524", "a variable whose min is above its max")
DEFAULT_OUTSIDE = define("OS525", "a variable whose default is outside its min and max")
BOUNDS_NOT_NUMBER = define("OS526", "min or max on a variable that is not a number, or a bound "
                           "that is not a number (or a decimal bound on a whole number)")
SET_OUTSIDE = define("OS527", "a set (or an expected value) outside the variable's min and max")
# list variables (format v2)
NOT_AN_ITEM = define("OS540", "a name that is not one of a list's items (default, set, add, "
                     "remove, expect, \"name\" in list)")
LIST_ITEMS = define("OS541", "a list's items are missing, empty, or name one item twice")
NOT_A_LIST = define("OS542", "remove on a variable that is not a list")
NOT_NAMES = define("OS543", "a number or true/false given to a list (add, remove, set, default)")

# -- OS6xx: scene flow (proven) -----------------------------------------------------------------
DEAD_END = define("OS601", "a scene with none of choices, next and ending")
TWO_EXITS = define("OS602", "a scene with more than one of choices, next and ending")
EMPTY_CHOICES = define("OS603", "an empty choices list")
ALWAYS_STUCK = define("OS604", "every choice of a scene has a condition that is always false")
ENABLED_WRONG_KIND = define("OS620", "an 'enabled' that is a number, a list or a mapping, not a "
                            "condition or true/false")
ENABLED_WORD = define("OS621", "an 'enabled' that is one word naming nothing ('maybe'), not a "
                      "condition or true/false")
ALWAYS_LOCKED_STUCK = define("OS622", "every choice of a scene is always hidden or always locked "
                             "(some by an 'enabled' that is always false)")

# -- OS7xx: likely mistakes (warnings) ----------------------------------------------------------
UNREACHABLE_SCENE = define("OS701", "a scene nothing leads to from the start", "warning")
UNUSED_FACT = define("OS702", "a fact no 'unlock' names", "warning")
FACT_OUT_OF_REACH = define("OS703", "a fact unlocked only in scenes never reached", "warning")
UNREACHABLE_ENDING = define("OS704", "an ending in a scene never reached", "warning")
UNREAD_VARIABLE = define("OS705", "a variable no condition or text reads", "warning")
SAME_OUTCOME = define("OS706", "every choice leads to one scene with the same effects", "warning")
SAME_TEXT = define("OS707", "two choices of a scene with the same text", "warning")
NEVER_SHOWN = define("OS708", "a choice whose condition is always false", "warning")
ONCE_TRAP = define("OS709", "every choice is 'once' in a scene entered again", "warning")
ALL_HIDDEN = define("OS710", "every choice of a scene can be hidden at once", "warning")
# (text variations, format v2: game/story/textlint.py)
NEVER_VARIES = define("OS720", "a shuffle or cycle of one item: it always shows the same text",
                      "warning")
SAME_EITHER_WAY = define("OS721", "{?COND|x|x}: the same text whether the condition holds or not",
                         "warning")
PLAIN_FACT_TEXT = define("OS722", "a variation written in a fact's title or text, which stay "
                         "plain text", "warning")
# v2: randomness, computed effects, bounded numbers (OS730-OS739)
COMPUTE_CONSTANT = define("OS730", "a compute whose expression is a constant (set does that)",
                          "warning")
RANDOM_ONE_OUTCOME = define("OS731", "random(lo, hi) with lo equal to hi: always the same number",
                            "warning")
# list variables (format v2)
ITEM_NEVER_HELD = define("OS740", "a list item that no effect adds and the default does not "
                         "hold", "warning")
IN_NEVER_TRUE = define("OS741", "an '\"name\" in list' test of an item the list never holds",
                       "warning")
# locked choices (format v2)
REASON_ALONE = define("OS750", "a choice's 'reason' without 'enabled' (it is never shown)",
                      "warning")
ALWAYS_LOCKED = define("OS751", "a choice whose 'enabled' is always false (always locked)",
                       "warning")
ALL_CLOSED = define("OS752", "every choice of a scene can be hidden or locked at once",
                    "warning")
LOCK_SAME_AS_IF = define("OS753", "a choice whose 'enabled' is its 'if' (never shown locked)",
                         "warning")
# calls (format v2)
RETURN_WITHOUT_CALL = define("OS760", "a 'return' scene that can also be reached with no call "
                             "to go back to", "warning")
CALLS_TOO_DEEP = define("OS761", "calls that can nest deeper than 16 (the 17th stops the game)",
                        "warning")
NEVER_RETURNS = define("OS762", "a 'call' whose scene never reaches a 'return' (its 'then' "
                       "is never used)", "warning")

# -- OS8xx: calls (format v2: call, then, return) ---------------------------------------------
CALL_NO_SCENE = define("OS801", "a 'call' to a scene that does not exist")
THEN_NO_SCENE = define("OS802", "a 'then' naming a scene that does not exist")
CALL_AND_GOTO = define("OS803", "a choice with both 'goto' and 'call'")
THEN_WITHOUT_CALL = define("OS804", "a 'then' on a choice without 'call'")
RETURN_NOT_TRUE = define("OS805", "'return' set to anything but true")
RETURN_WITH_EXIT = define("OS806", "a 'return' scene that also has choices, next or ending")
RETURN_UNCALLED = define("OS807", "a 'return' that no call can reach")
ENDLESS_CALLS = define("OS808", "calls that recurse without end (no return or ending on the "
                       "way)")

RETIRED: dict[str, str] = {}
"""Codes no longer produced, with what they meant: their numbers are never given again."""


def markdown() -> str:
    """docs/diagnostics.md: every code, grouped as above."""
    lines = [
        "# Diagnostic codes",
        "",
        "Every problem `offscreen check` reports has a stable code. `--format json` and",
        "`--format github` carry it (`\"code\": \"OS306\"`, `title=OS306`), so a CI filter or",
        "a tool can key on the kind of problem while its wording improves. The first digit",
        "is the group; a code never changes meaning, and a retired code's number is never",
        "given again. See [author-tools.md](author-tools.md#output-for-machines-offscreen-"
        "check---format) for the output formats.",
        "",
        "This page is generated from `game/story/codes.py` (`python -m game.story.codes "
        "docs/diagnostics.md`).",
    ]
    for digit, heading in GROUPS.items():
        entries = [c for c in TABLE.values() if c.code[2] == digit]
        lines += ["", f"## OS{digit}xx: {heading}", "",
                  "| code | severity | meaning |", "| --- | --- | --- |"]
        lines += [f"| `{c.code}` | {c.severity} | {_cell(c.meaning)} |" for c in entries]
    if RETIRED:
        lines += ["", "## Retired", "", "Codes no longer produced; their numbers are not reused.",
                  "", "| code | meant |", "| --- | --- |"]
        lines += [f"| `{code}` | {_cell(meant)} |" for code, meant in RETIRED.items()]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """Text in a Markdown table cell: a '|' would end the cell, a '*' start emphasis and a
    '<' a tag."""
    for char, escaped in (("\\", "\\\\"), ("|", "\\|"), ("*", "\\*"), ("<", "&lt;")):
        text = text.replace(char, escaped)
    return text


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m ...` [PATH]: print the file, or write it to PATH."""
    return generated.main(markdown, argv)


if __name__ == "__main__":
    raise SystemExit(main())
