"""Write a large, valid, format-v1 story for the benchmarks: 80 Days scale by default.

The issue's reference figures were taken on a story of 10,000 scenes, ~30,000 choices,
~850k words in 100 files (~8 MB of YAML); this writes one of that shape, so our figures can be
set beside them. The text is made from a small grammar rather than lorem ipsum because real
prose has the lengths, punctuation and quoting problems a YAML reader meets in practice, and
the story uses every feature the loader has to handle: chapters, conditional paragraphs,
`{variable}` holes, conditions of every kind, effects, facts, endings, `next:`, `once:` and a
scripted playthrough. Values that YAML 1.1 would silently turn into something else (`on`,
`no`, `yes`, `off`, `null`, numbers...) are quoted, exactly as a careful author must.

It is seeded and reproducible: the same arguments always write the same bytes. The graph is
built so `offscreen check` reports nothing: every scene is reachable along a "spine" of
unconditional choices, every scene with choices keeps one unconditional, repeatable way on,
every fact is unlocked in a reachable scene and every variable is read somewhere.

    python benchmarks/gen_story.py OUT_DIR [--scenes 10000] [--files 100] [--seed 80]
    python benchmarks/gen_story.py OUT_DIR --loop [--scenes 2000]

`--loop` writes a different story instead: one long ring of scenes whose first choice always
walks on to the next, for measuring long games (issue 11): a player can take any number of
choices without an ending, each one visiting a scene and adding to a variable.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from gen_story_v2 import FEATURES, V2, parse_features

# -- vocabulary ------------------------------------------------------------------------------

PEOPLE = ("John", "Jenna", "Rainn", "Angela", "Greg", "Steve", "Mindy", "Ed", "Oscar", "Kate",
          "Phyllis", "Creed", "Leslie", "Brian", "Ken", "the director", "the casting agent",
          "the boom operator", "the script supervisor", "a producer")
PLACES = ("lobby", "bullpen", "breakroom", "parking_lot", "warehouse", "kitchen", "stage",
          "trailer", "annex", "reception", "rooftop", "stairwell", "conference", "hallway",
          "craft_services", "makeup", "costume", "green_room", "backlot", "office")
NOUNS = ("camera", "script", "desk", "coffee", "stapler", "teapot", "jacket", "monitor",
         "sandwich", "clipboard", "phone", "window", "memo", "chair", "mug", "note", "boom mic",
         "light", "door", "ficus", "calendar", "lunch", "envelope", "bicycle", "microwave",
         "printer", "yearbook", "umbrella", "headset", "van", "cardigan", "pencil", "trophy")
ADJECTIVES = ("quiet", "nervous", "tired", "bright", "crooked", "familiar", "empty", "warm",
              "awkward", "careful", "sudden", "gentle", "patient", "hopeful", "small", "late",
              "ridiculous", "borrowed", "half-finished", "yellow", "old", "new", "unlikely")
VERBS = ("glances at", "picks up", "straightens", "ignores", "studies", "points at",
         "laughs at", "hides", "drops", "carries", "taps", "pretends to read", "reaches for",
         "sets down", "looks past", "circles", "forgets", "remembers", "fixes", "returns")
ADVERBS = ("slowly", "again", "quickly", "without a word", "for a moment", "twice",
           "on purpose", "by accident", "almost", "finally", "somehow", "right away")
PREPOSITIONS = ("beside", "behind", "under", "across from", "near", "on top of", "next to",
                "past", "around")
QUOTES = ("Is it always this quiet?", "Do you want the last donut?", "We should go back.",
          "That was not in the script.", "Take five, everyone.", "Did anyone see that?",
          "I think the camera is still on.", "Nobody tell the director.", "Can we go again?",
          "You're my favorite.", "I have no idea what I'm doing.", "Same time tomorrow?",
          "That's what she said.", "It's fine. It's totally fine.", "Is this seat taken?")
CHAPTER_WORDS = ("Audition", "Pilot", "Upfronts", "Read-Through", "Hiatus", "Table Read",
                 "Wrap Party", "Premiere", "Night Shoot", "Reshoots", "Press Tour", "Finale",
                 "Cold Open", "Blooper Reel", "Casting Call", "Callback", "Dailies")
CHOICE_OPENERS = ("Ask", "Tell", "Wave at", "Follow", "Ignore", "Thank", "Tease", "Help",
                  "Sit with", "Call", "Text", "Wait for")
CHOICE_ENDINGS = ("about the {noun}", "to get coffee", "when nobody is looking",
                  "before the next take", "after lunch", "quietly", "one more time",
                  "anyway", "with a straight face")
# Plain words an author types as a choice; every one of them is a YAML 1.1 trap (bool/null).
TRAP_CHOICES = ("No", "Yes", "On", "Off", "yes", "no", "Null", "~", "Y", "true", "False")
TRAP_MOODS = ("on", "no", "yes", "off", "null", "hopeful", "giddy", "nervous", "12", "3.0")
ENDING_TITLES = ("Friends for Life", "The Long Way Round", "Off Camera", "Same Time Tomorrow",
                 "A Quiet Exit", "Still Rolling", "Cut and Print", "The Last Take")

# Plain-scalar rules for block context: no indicator first, no ": " or " #" inside, no
# space or colon last. The resolver check then catches what YAML 1.1 would retype.
YAML_SAFE_PLAIN = re.compile(r"(?!.*: )(?!.* #)[A-Za-z0-9(.~][^\n\t]*(?<![\s:])\Z")
_resolver = yaml.resolver.Resolver()


def q(text: str) -> str:
    """The text as a YAML scalar: plain when YAML 1.1 reads it back as that same string."""
    if YAML_SAFE_PLAIN.match(text) and _resolver.resolve(  # type: ignore[no-untyped-call]
            yaml.ScalarNode, text, (True, False)) == "tag:yaml.org,2002:str":
        return text
    if '"' in text and "'" not in text and text.isprintable():
        # '"script" in pockets', as DESIGN.md and authors write it: single quotes, where
        # JSON's \" escapes would be the only backslashes in the file (and a backslash
        # makes the loader look for escaped control characters in every value of it).
        return f"'{text}'"
    return json.dumps(text, ensure_ascii=False)  # JSON strings are YAML double-quoted scalars


# -- the story's shape -----------------------------------------------------------------------

@dataclass
class Var:
    name: str
    kind: str  # "int", "bool", "str", "float"
    default: object


@dataclass
class SceneSpec:
    index: int
    id: str
    chapter: int
    ending: bool = False
    spine: str | None = None  # the next scene along the always-open path
    uses_next: bool = False
    unlocks: list[str] = field(default_factory=list)


def literal(value: object) -> str:
    """A value as it goes into a flow mapping like {mood: "on"}."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)  # always quoted: "on" must not become true, "12" not 12
    return repr(value)


class Generator:
    def __init__(self, scenes: int, files: int, seed: int,
                 v2: frozenset[str] = frozenset()) -> None:
        self.rng = random.Random(seed)
        self.v2 = V2(v2, seed, self.sentence, q)
        self.n = scenes
        self.files = max(1, min(files, scenes // 2 or 1))
        self.variables = self._variables()
        self.unread = [v.name for v in self.variables]
        self.scenes: list[SceneSpec] = []
        self.chapter_titles: list[str] = []
        self.facts: dict[int, list[str]] = {}
        self.words = 0
        self.choices = 0

    # -- words -------------------------------------------------------------------------------

    def sentence(self, rng: random.Random | None = None) -> str:
        r = rng or self.rng
        shape = r.randrange(6)
        who, other = r.choice(PEOPLE), r.choice(PEOPLE)
        noun, noun2 = r.choice(NOUNS), r.choice(NOUNS)
        if shape == 0:
            s = f"{who} {r.choice(VERBS)} the {r.choice(ADJECTIVES)} {noun} {r.choice(ADVERBS)}."
        elif shape == 1:
            s = (f"{who} {r.choice(VERBS)} the {noun} {r.choice(PREPOSITIONS)} the "
                 f"{r.choice(ADJECTIVES)} {noun2}, and {other} {r.choice(VERBS)} it "
                 f"{r.choice(ADVERBS)}.")
        elif shape == 2:
            s = f'"{r.choice(QUOTES)}" {who} says, and {other} {r.choice(VERBS)} the {noun}.'
        elif shape == 3:
            s = (f"The {noun} {r.choice(PREPOSITIONS)} the {noun2} is {r.choice(ADJECTIVES)}, "
                 f"the way it was yesterday and the day before.")
        elif shape == 4:
            s = (f"Somewhere behind the {noun}, {who} is *{r.choice(ADJECTIVES)}* about "
                 f"something nobody will explain.")
        else:
            s = (f"You {_you(r.choice(VERBS))} the {noun} while {who} "
                 f"{r.choice(VERBS)} the {r.choice(ADJECTIVES)} {noun2}.")
        s = s[0].upper() + s[1:]
        self.words += len(s.split())
        return s

    def paragraph(self, sentences: int) -> str:
        return " ".join(self.sentence() for _ in range(sentences))

    def prose(self) -> str:
        r = self.rng
        text = self.paragraph(r.choice((2, 2, 3, 3, 3, 3, 4)))
        if r.random() < 0.1:
            ints = [v for v in self.variables if v.kind == "int"]
            text += f" Takes so far: {{{r.choice(ints).name}}}."
        return text

    def choice_text(self, used: set[str]) -> str:
        text = self._choice_text()
        while text in used:
            text = self._choice_text()
        used.add(text)
        self.words += len(text.split())
        return text

    def _choice_text(self) -> str:
        r = self.rng
        if r.random() < 0.02:
            text = r.choice(TRAP_CHOICES)
        elif r.random() < 0.05:
            text = f"Say: {r.choice(QUOTES)}"  # ': ' inside: must be quoted
        else:
            ending = r.choice(CHOICE_ENDINGS).format(noun=r.choice(NOUNS))
            text = f"{r.choice(CHOICE_OPENERS)} {r.choice(PEOPLE)} {ending}"
        return text

    # -- structure ---------------------------------------------------------------------------

    def _variables(self) -> list[Var]:
        out = [Var(n, "int", 0) for n in (
            "courage", "trust", "nerve", "laughs", "takes", "pranks", "coffee_cups", "rapport",
            "blushes", "callbacks", "ratings", "overtime", "fan_mail", "inside_jokes")]
        out += [Var(f"met_{p}", "bool", False) for p in (
            "john", "jenna", "rainn", "angela", "greg", "steve", "mindy", "oscar")]
        out += [Var(n, "bool", False) for n in ("knows_secret", "has_teapot", "late_again")]
        out += [Var("mood", "str", "hopeful"), Var("mood_yesterday", "str", "no"),
                Var("city", "str", "Scranton"), Var("budget", "float", 12.5)]
        return out

    def plan(self) -> None:
        """Chapters, spine, endings and fact placement, before any text is written."""
        per_file = math.ceil(self.n / self.files)
        self.chapter_titles = [
            f"{c + 1}. {self.rng.choice(CHAPTER_WORDS)}" for c in range(self.files)]
        for i in range(self.n):
            place = PLACES[self.rng.randrange(len(PLACES))]
            self.scenes.append(SceneSpec(i, f"{place}_{i}", i // per_file))
        for c in range(self.files):
            members = [s for s in self.scenes if s.chapter == c]
            if len(members) >= 4:  # the last scene of each chapter is one of its endings
                members[-1].ending = True
        self.scenes[-1].ending = True
        walkers = [s for s in self.scenes if not s.ending]
        for a, b in itertools.pairwise(walkers):
            a.spine = b.id
        if walkers:
            # The very last walker leads to the final ending, so the spine never dead-ends.
            walkers[-1].spine = self.scenes[-1].id
        for s in walkers:
            s.uses_next = self.rng.random() < 0.15
            self.v2.pick(s.index)
        for c in range(self.files):
            members = [s for s in walkers if s.chapter == c]
            ids = [f"fact_{c + 1:03d}_{k}" for k in range(5)] if members else []
            self.facts[c] = ids
            for fact in ids:
                self.rng.choice(members).unlocks.append(fact)

    def condition(self, scene: SceneSpec) -> str:
        r = self.rng
        by_name = {v.name: v for v in self.variables}
        var = by_name[self.unread.pop()] if self.unread else r.choice(self.variables)
        if var.kind == "int":
            part = f"{var.name} {r.choice(('>=', '>', '<', '==', '!='))} {r.randrange(1, 6)}"
        elif var.kind == "bool":
            part = var.name if r.random() < 0.5 else f"not {var.name}"
        elif var.kind == "float":
            part = f"{var.name} > {r.randrange(5, 20)}.5"
        else:
            part = f'{var.name} == "{r.choice(TRAP_MOODS)}"'
        roll = r.random()
        nearby = self.scenes[max(0, scene.index - r.randrange(1, 40))]
        if roll < 0.25 and not nearby.ending:
            part += f" and visits({nearby.id}) {r.choice(('>', '>='))} 1"
        elif roll < 0.4 and not nearby.ending:
            part = f"seen({nearby.id}) or {part}"
        elif roll < 0.5:
            facts = self.facts[scene.chapter] or self.facts[0]
            part = f"has({r.choice(facts)}) and ({part})"
        return part

    def effect(self) -> str:
        r = self.rng
        var = r.choice(self.variables)
        if var.kind == "int":
            return f"add: {{{var.name}: {r.choice((1, 1, 2, -1))}}}"
        if var.kind == "float":
            return f"add: {{{var.name}: {r.choice((0.5, -1.5, 2.25))}}}"
        if var.kind == "bool":
            return f"set: {{{var.name}: {literal(r.random() < 0.7)}}}"
        return f"set: {{{var.name}: {literal(r.choice(TRAP_MOODS))}}}"

    def target(self, scene: SceneSpec) -> str:
        """A non-ending scene a little behind or ahead, as real branching stories jump."""
        while True:
            j = scene.index + self.rng.randint(-15, 40)
            if 0 <= j < self.n and not self.scenes[j].ending and j != scene.index:
                return self.scenes[j].id

    # -- writing -----------------------------------------------------------------------------

    def block(self, lines: list[str], indent: int, text: str, width: int = 100) -> None:
        pad = " " * indent
        line = ""
        for word in _unbroken(text):
            if line and len(line) + 1 + len(word) > width - indent:
                lines.append(pad + line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(pad + line)

    def scene_yaml(self, s: SceneSpec, enders: dict[int, list[SceneSpec]]) -> list[str]:
        r = self.rng
        out = [f"  {s.id}:"]
        title = f"The {r.choice(ADJECTIVES).capitalize()} {r.choice(NOUNS).title()}"
        out.append(f"    title: {q(self.v2.title(s.index, title))}")
        out.append(f"    chapter: {q(self.chapter_titles[s.chapter])}")
        nearby = next(x.id for x in reversed(self.scenes[max(0, s.index - 5):s.index + 1])
                      if not x.ending)
        paragraphs = r.choice((1, 2, 2, 3))
        if paragraphs == 1:  # one paragraph: written as a block scalar, no list
            out.append("    text: |")
            self.block(out, 6, self.v2.text(s.index, self.prose(), nearby))
        else:
            out.append("    text:")
        for k in range(paragraphs if paragraphs > 1 else 0):
            if k > 0 and r.random() < 0.3:
                out.append(f"      - if: {q(self.condition(s))}")
                out.append("        text: |")
                self.block(out, 10, self.paragraph(r.randint(1, 2)))
            else:
                out.append("      - |")
                prose = self.prose()
                self.block(out, 8, self.v2.text(s.index, prose, nearby) if k == 0 else prose)
        effects = [f"unlock: {fact}" for fact in s.unlocks]
        if r.random() < 0.3:
            effects.append(self.effect())
        effects += self.v2.effects(s.index)
        if effects:  # flow style, as authors write short lists
            out.append(f"    on_enter: [{', '.join('{' + e + '}' for e in effects)}]")
        if s.ending:
            ending_id = f"ending_{s.index}"
            out.append(f"    ending: {{id: {ending_id}, title: {q(r.choice(ENDING_TITLES))}}}")
            return out
        assert s.spine is not None
        if s.uses_next:
            out.append(f"    next: {s.spine}")
            return out
        out.append("    choices:")
        texts: set[str] = set()  # two choices that read alike would be a lint warning
        spine_text = self.choice_text(texts)
        out += [f"      - text: {q(spine_text)}", "        id: onward", f"        goto: {s.spine}"]
        self.choices += 1
        extra = [(self.target(s), True) for _ in range(r.choice((2, 2, 3, 3, 3)))]
        extra += [(e.id, False) for e in enders.get(s.index, [])]
        taken: set[str] = {s.spine}
        for goto, optional in extra:
            if goto in taken:
                continue
            taken.add(goto)
            self.choices += 1
            lines = [f"      - text: {q(self.choice_text(texts))}", f"        goto: {goto}"]
            if optional and r.random() < 0.35:
                lines.append(f"        if: {q(self.condition(s))}")
            if r.random() < 0.3:
                effects = [self.effect() for _ in range(r.randint(1, 2))]
                lines.append(f"        effects: [{', '.join('{' + e + '}' for e in effects)}]")
            if optional and r.random() < 0.1:
                lines.append("        once: true")
            out += self.v2.choice(s.index, lines, nearby) if optional else lines
        return out

    def write(self, root: Path) -> list[Path]:
        self.plan()
        enders: dict[int, list[SceneSpec]] = {}
        for s in self.scenes:
            if not s.ending:
                continue
            # Two or three earlier scenes of the chapter offer a way into each ending.
            candidates = [x for x in self.scenes[max(0, s.index - 30):s.index]
                          if not x.ending and not x.uses_next]
            for x in self.rng.sample(candidates, min(3, len(candidates))):
                enders.setdefault(x.index, []).append(s)
            if not candidates:  # a tiny story: let the spine reach it
                before = [c for c in self.scenes[:s.index] if not c.ending]
                if before:
                    before[-1].uses_next = False
                    enders.setdefault(before[-1].index, []).append(s)
        chapters: dict[int, list[SceneSpec]] = {}
        for s in self.scenes:
            chapters.setdefault(s.chapter, []).append(s)
        written = []
        width = len(str(self.files))
        for c in range(self.files):
            lines: list[str] = []
            if c == 0:
                lines += self.header()
            title = self.chapter_titles[c]
            if self.facts.get(c):
                lines.append("facts:")
                for fact in self.facts[c]:
                    lines += [f"  {fact}:",
                              f"    title: {q(self.fact_title())}",
                              "    text: |"]
                    self.block(lines, 6, self.paragraph(2))
                    lines += ["    source: Cosmopolitan, quoting The Actor's Life (2017)",
                              f"    hint: {q('Look around in ' + title.split('. ')[1] + '.')}",
                              f"    chapter: {q(title)}"]
            lines.append("scenes:")
            for s in chapters.get(c, []):
                lines += self.scene_yaml(s, enders)
                lines.append("")
                lines += self.v2.errand(s.index, q(title))
            if c == self.files - 1:
                lines += self.playthrough()
            path = root / f"ch{c + 1:0{width}d}_{_slug(title)}.yaml"
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            written.append(path)
        for v in self.unread + self.v2.unread:  # a tiny story may not have had room for all
            raise SystemExit(f"gen_story: too few scenes to read variable {v}; use more scenes")
        for name, item in self.v2.unadded:
            raise SystemExit(f"gen_story: too few scenes to add {item} to {name}; use more")
        return written

    def fact_title(self) -> str:
        r = self.rng
        return f"{r.choice(PEOPLE).capitalize()} kept the {r.choice(NOUNS)}"

    def header(self) -> list[str]:
        lines = ["# Generated by benchmarks/gen_story.py: a benchmark story, not the real one.",
                 "story:", "  id: bench-story", f"  title: {q('Benchmark: ' + str(self.n))}",
                 "  subtitle: A generated story at 80 Days scale", f"  start: {self.scenes[0].id}",
                 "", "variables:"]
        lines += [f"  {v.name}: {literal(v.default)}" for v in self.variables]
        lines += self.v2.variables()
        lines.append("")
        return lines

    def playthrough(self) -> list[str]:
        """Five steps along the spine, choosing by id, then the scene that must be reached."""
        steps, s = [], self.scenes[0]
        for _ in range(5):
            if s.ending or s.spine is None:
                break
            steps.append("continue" if s.uses_next else "onward")
            s = next(x for x in self.scenes if x.id == s.spine)
        if not steps:
            return []
        return ["", "playthroughs:", "  along_the_spine:",
                "    description: Five steps along the always-open path.",
                f"    steps: [{', '.join(steps)}]", f"    expect: {{scene: {s.id}}}"]


def _you(verb: str) -> str:
    """'studies' -> 'study', 'fixes' -> 'fix', 'picks up' -> 'pick up'."""
    first, _, rest = verb.partition(" ")
    if first.endswith("ies"):
        first = first[:-3] + "y"
    elif first.endswith(("xes", "shes", "ches")):
        first = first[:-2]
    elif first.endswith("s"):
        first = first[:-1]
    return f"{first} {rest}".strip()


def _unbroken(text: str) -> list[str]:
    """The words of `text` to wrap at, a `{...}` variation kept whole (on one line): a
    condition inside one must not be split across lines. v1 text has only `{var}` holes,
    single words already, so v1 stories wrap exactly as before."""
    words: list[str] = []
    depth = 0
    for word in text.split(" "):
        if depth > 0:
            words[-1] += " " + word
        else:
            words.append(word)
        depth += word.count("{") - word.count("}")
    return words


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:40]


def generate(out: Path, scenes: int = 10_000, files: int = 100, seed: int = 80,
             v2: frozenset[str] = frozenset()) -> Generator:
    """Write the story into `out` (emptied first); returns the generator for its counts.
    `v2` names the format-v2 features to add to a tenth of the scenes (gen_story_v2.py)."""
    if out.exists():
        for old in out.glob("*.yaml"):
            old.unlink()
    out.mkdir(parents=True, exist_ok=True)
    gen = Generator(scenes, files, seed, v2)
    gen.write(out)
    return gen


def generate_loop(out: Path, scenes: int = 2_000) -> int:
    """Write a ring of `scenes` scenes into `out` (its *.yaml emptied first); returns how many
    choices it holds. Choice 1 of every scene walks on round the ring, choice 2 ends the game;
    every scene counts a step, and the first unlocks a fact, so a long game changes a
    variable and a visit count at every choice and holds a fact and once-only choices."""
    if scenes < 2:
        raise ValueError("a loop needs at least 2 scenes")
    if out.exists():
        for old in out.glob("*.yaml"):
            old.unlink()
    out.mkdir(parents=True, exist_ok=True)
    width = len(str(scenes - 1))
    ids = [f"stop_{i:0{width}d}" for i in range(scenes)]
    lines = ["# Generated by benchmarks/gen_story.py --loop: a benchmark story, not the real one.",
             "story:", "  id: bench-loop", f"  title: {q(f'Benchmark: a loop of {scenes}')}",
             f"  start: {ids[0]}", "", "variables:", "  steps: 0", "", "facts:", "  first_lap:",
             "    title: The first stop", "    text: Every walk round the ring starts here.",
             "", "scenes:"]
    for i, scene_id in enumerate(ids):
        lines += [f"  {scene_id}:", f"    title: Stop {i}",
                  "    text: You walk on round the ring. Steps so far {steps}.",
                  "    on_enter: [{add: {steps: 1}}" + (", {unlock: first_lap}]" if i == 0
                                                       else "]"),
                  "    choices:", "      - text: Walk on", f"        goto: {ids[(i + 1) % scenes]}",
                  "      - text: Sit down for good", "        goto: rest"]
        if i % 100 == 50:
            lines += ["      - text: Tie your shoelace", f"        goto: {scene_id}",
                      "        once: true"]
    lines += ["  rest:", "    title: Rest", "    text: You sit down, and the walk is over.",
              "    ending: {id: rested, title: A Long Walk}", ""]
    (out / "loop.yaml").write_text("\n".join(lines), encoding="utf-8")
    return 2 * scenes + scenes // 100


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write (its *.yaml files are replaced)")
    parser.add_argument("--scenes", type=int, default=10_000)
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--seed", type=int, default=80)
    parser.add_argument("--loop", action="store_true", help="a ring of scenes for long games")
    parser.add_argument("--v2", default="none", metavar="FEATURES",
                        help="format-v2 features for a tenth of the scenes: all, landed, none "
                        f"or some of {','.join(FEATURES)} (default none: the v1 story)")
    args = parser.parse_args(argv)
    try:
        v2 = parse_features(args.v2)
    except ValueError as exc:
        parser.error(str(exc))
    if args.loop:
        choices = generate_loop(args.out, args.scenes)
        print(f"wrote {args.out}: a loop of {args.scenes} scenes, {choices} choices")
        return 0
    if args.scenes < 20:
        parser.error("--scenes must be at least 20 (every variable has to be read somewhere)")
    gen = generate(args.out, args.scenes, args.files, args.seed, v2)
    size = sum(p.stat().st_size for p in args.out.glob("*.yaml"))
    extra = (f" (v2 in {len(gen.v2.picked)} of them, and {gen.v2.errands} called errands)"
             if v2 else "")
    print(f"wrote {args.out}: {gen.n} scenes{extra}, {gen.choices} choices, {gen.words} words, "
          f"{gen.files} files, {size / 2**20:.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
