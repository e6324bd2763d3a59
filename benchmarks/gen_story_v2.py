"""The format-v2 part of the benchmark story (issue 17), switched on feature by feature.

`benchmarks/gen_story.py --v2 FEATURES` writes the same v1 story as without it, and adds v2 to
about a tenth of its scenes: what a v2 author's story of that size would hold, so that every
benchmark figure can be taken on it too. Each feature is its own switch (FEATURES), because
the features land separately and the story must check clean with exactly those that have.

The additions draw on a random stream of their own: the v1 part of the story is the same
bytes with or without them (only the lines a feature adds or rewrites differ), and with no
feature on nothing is drawn at all, so the v1 story is byte-identical to what it always was.

- `variations`: one variation per picked scene's text (`{a|b}`, `{&..}`, `{!..}`, `{~..}`,
  `{?COND|..|..}`, now and then nested, empty or holding a `{var}`), in some titles (a
  `{var}` or a sequence) and in the reasons of locked choices;
- `compute`: `compute` effects with `random`, `min`, `max` and `clamp` (variables `luck`,
  `streak`, and the v1 numbers);
- `bounds`: number variables with `min`/`max` (`stamina`, `morale`), changed by `add` (and
  by `compute` when that is on too), so results are clamped;
- `lists`: list variables (`pockets`, `crew`) with `add`/`remove` effects (every item is
  added somewhere) and `in` / `count()` in conditions (of choices, locks and `{?..}`);
- `locked`: optional choices with `enabled` and a `reason`;
- `calls`: optional choices that `call` a short errand scene (`return: true`), half of them
  with `then:`; the errands are extra scenes beside their caller, reached only by the call.

Every variable a feature declares is shown in some scene's text (so it is read), conditions
stay inside the bounds the checker knows (none is provably false), and `random()` appears
only in `compute`: `offscreen check` reports nothing on the result.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

FEATURES = ("variations", "compute", "bounds", "lists", "locked", "calls")
LANDED = FEATURES
"""The features the loader of this checkout understands (they were switched on here one by
one as each landed on main, issue 17; all have): the tests generate a story with these and
require it to check clean, and `--v2 landed` names them."""
SHARE = 0.1
"""The share of scenes (with a way on) that get v2 additions."""

POCKETS = ("badge", "script", "coffee", "headset", "memo", "lanyard")
CREW = ("boom_op", "grip", "gaffer", "runner")
LISTS = {"pockets": POCKETS, "crew": CREW}
BOUNDS = {"stamina": (3, 0, 10), "morale": (0, -5, 5)}
"""Bounded numbers: default, min, max."""
COMPUTED = ("luck", "streak")
REASONS = ("You need more energy for that.", "Not yet.", "Maybe later.", "You are not ready.")
VARIED_REASONS = ("You need more {energy|stamina} for that.", "{~Maybe later.|Not now.}",
                  "Someone else has the {&camera|script}.")
"""Reasons of locked choices; with `variations` on, these too."""
LABELS = {"stamina": "Stamina", "morale": "Morale", "luck": "Luck", "streak": "Streak",
          "pockets": "In your pockets", "crew": "Crew with you"}


def parse_features(text: str) -> frozenset[str]:
    """`all`, `landed`, `none` or a comma-separated list of FEATURES (a wrong name is an
    error)."""
    if text in ("", "none"):
        return frozenset()
    if text == "landed":
        return frozenset(LANDED)
    if text == "all":
        return frozenset(FEATURES)
    names = frozenset(n.strip() for n in text.split(",") if n.strip())
    unknown = sorted(names - set(FEATURES))
    if unknown:
        raise ValueError(f"unknown v2 feature(s) {', '.join(unknown)}; "
                         f"choose from {', '.join(FEATURES)}, all, landed or none")
    return names


@dataclass
class V2:
    """The v2 additions for one Generator: asked at fixed points, answers from its own rng."""

    features: frozenset[str]
    seed: int
    sentence: Callable[[random.Random], str]
    """The generator's sentence maker, fed this stream (so its word count stays right)."""
    quote: Callable[[str], str]
    """The generator's YAML quoting (`gen_story.q`)."""
    picked: set[int] = field(default_factory=set)
    errands: int = 0
    calls: int = 0

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed * 1_000_003 + 17)
        self.unread = self.names()[::-1]  # popped from the end: shown in declared order
        self.unadded = [(name, item) for name, items in LISTS.items() for item in items
                        if self.on("lists")][::-1]
        """Every item is added by some effect (an item never added is a lint warning)."""

    def on(self, feature: str) -> bool:
        return feature in self.features

    def names(self) -> list[str]:
        """The variables the features on declare, in declared order."""
        out = list(BOUNDS) if self.on("bounds") else []
        out += list(COMPUTED) if self.on("compute") else []
        out += list(LISTS) if self.on("lists") else []
        return out

    # -- the story's header ------------------------------------------------------------------

    def variables(self) -> list[str]:
        lines = []
        if self.on("bounds"):
            for name, (default, lo, hi) in BOUNDS.items():
                lines.append(f"  {name}: {{default: {default}, min: {lo}, max: {hi}}}")
        if self.on("compute"):
            lines += [f"  {name}: 0" for name in COMPUTED]
        if self.on("lists"):
            lines.append(f"  pockets: {{items: [{', '.join(POCKETS)}], default: [badge]}}")
            lines.append(f"  crew: {{items: [{', '.join(CREW)}], default: []}}")
        return lines

    # -- which scenes ------------------------------------------------------------------------

    def pick(self, index: int) -> None:
        """Called for every scene with a way on, in order, once the v1 plan is made."""
        if self.features and self.rng.random() < SHARE:
            self.picked.add(index)

    # -- text --------------------------------------------------------------------------------

    def title(self, index: int, title: str) -> str:
        if index not in self.picked or not self.on("variations") or self.rng.random() >= 0.3:
            return title
        if self.rng.random() < 0.5:
            return f"{title} ({{takes}})"
        return f"{title}{{| Again| Once More}}"

    def text(self, index: int, text: str, nearby: str) -> str:
        """The first paragraph of a picked scene: a v2 variable shown (while some are still
        unread), and a variation."""
        if index not in self.picked:
            return text
        if self.unread:
            name = self.unread.pop()
            text += f" {LABELS[name]}: {{{name}}}."
        if self.on("variations"):
            text += " " + self.variation(nearby, depth=0)
        return text

    def variation(self, nearby: str, depth: int) -> str:
        r = self.rng
        kind = r.choice(("", "&", "!", "~", "?", "?"))
        if kind == "?":
            yes, no = self.sentence(r), self.sentence(r)
            tail = f"|{no}" if r.random() < 0.6 else ""
            return f"{{?{self.condition(nearby)}|{yes}{tail}}}"
        items = [self.sentence(r) for _ in range(r.randint(2, 3))]
        if r.random() < 0.2:
            items.append("")  # an empty item: nothing shown that time
        if r.random() < 0.2:
            items[0] = f"{items[0][:-1]}, take {{takes}}."
        if depth == 0 and r.random() < 0.15:
            items[-1] = self.variation(nearby, depth + 1)
        return "{" + kind + "|".join(items) + "}"

    # -- conditions --------------------------------------------------------------------------

    def condition(self, nearby: str) -> str:
        """A condition over what the features declare, never provably false, no random()."""
        r = self.rng
        options: list[Callable[[], str]] = [
            lambda: f"courage >= {r.randint(1, 4)}", lambda: f"visits({nearby}) >= 1"]
        if self.on("bounds"):
            options += [lambda: f"stamina >= {r.randint(1, 9)}",
                        lambda: f"morale < {r.randint(-4, 4)}"]
        if self.on("compute"):
            options += [lambda: f"luck >= {r.randint(2, 6)}",
                        lambda: f"streak >= {r.randint(1, 5)}"]
        if self.on("lists"):
            options += [self.list_condition, self.list_condition]
        return r.choice(options)()

    # -- effects -----------------------------------------------------------------------------

    def effects(self, index: int) -> list[str]:
        """Extra on_enter effects of a picked scene (flow-style entries, as v1 writes)."""
        if index not in self.picked:
            return []
        r = self.rng
        out = []
        if self.on("compute") and r.random() < 0.5:
            out.append(r.choice((
                'compute: {luck: "random(1, 6)"}',
                'compute: {streak: "min(streak + random(1, 3), 50)"}',
                'compute: {streak: "max(streak - 2, 0)"}',
                'compute: {courage: "clamp(courage + random(-1, 2), 0, 20)"}',
                'compute: {trust: "max(trust, luck)"}')))
        if self.on("bounds") and r.random() < 0.5:
            if self.on("compute") and r.random() < 0.3:
                out.append('compute: {stamina: "stamina + random(0, 3)"}')
            else:
                name = r.choice(list(BOUNDS))
                out.append(f"add: {{{name}: {r.choice((-2, -1, 1, 2, 3))}}}")
        if self.unadded:
            name, item = self.unadded.pop()
            out.append(f"add: {{{name}: {item}}}")
        elif self.on("lists") and r.random() < 0.5:
            name = r.choice(list(LISTS))
            items = r.sample(LISTS[name], r.randint(1, 2))
            verb = "add" if r.random() < 0.6 else "remove"
            value = items[0] if len(items) == 1 else f"[{', '.join(items)}]"
            out.append(f"{verb}: {{{name}: {value}}}")
        return out

    # -- choices -----------------------------------------------------------------------------

    def choice(self, index: int, lines: list[str], nearby: str) -> list[str]:
        """An optional choice of a picked scene (its lines, `goto` second), perhaps turned
        into a call of an errand or locked."""
        if index not in self.picked:
            return lines
        r = self.rng
        if self.on("calls") and self.calls == self.errands and r.random() < 0.15:
            self.calls += 1
            target = lines[1].split(": ", 1)[1]
            lines[1] = f"        call: errand_{index}"
            if r.random() < 0.5:
                lines.insert(2, f"        then: {target}")
        elif self.on("locked") and r.random() < 0.4:
            reason = r.choice(REASONS + (VARIED_REASONS if self.on("variations") else ()))
            lines.append(f"        enabled: {self.quote(self.condition(nearby))}")
            if r.random() < 0.8:
                lines.append(f"        reason: {self.quote(reason)}")
        elif self.on("lists") and r.random() < 0.3 and not any(
                line.startswith("        if: ") for line in lines):
            lines.append(f"        if: {self.quote(self.list_condition())}")
        return lines

    def list_condition(self) -> str:
        r = self.rng
        return r.choice((f'"{r.choice(POCKETS)}" in pockets',
                         f'not ("{r.choice(POCKETS)}" in pockets)',
                         f"count(crew) >= {r.randint(1, len(CREW))}",
                         f'"{r.choice(CREW)}" in crew and count(pockets) >= 2'))

    def errand(self, index: int, chapter: str) -> list[str]:
        """The errand scene a choice of scene `index` calls, if one did: a short scene whose
        way on is `return: true`."""
        if self.calls == self.errands:
            return []
        self.errands += 1
        r = self.rng
        out = [f"  errand_{index}:", f"    title: An Errand for {r.choice(('Kate', 'Ed', 'Ken'))}",
               f"    chapter: {chapter}", "    text: |",
               f"      {self.sentence(r)} {self.sentence(r)}"]
        effects = self.effects(index)
        if effects:
            out.append(f"    on_enter: [{', '.join('{' + e + '}' for e in effects)}]")
        out += ["    return: true", ""]
        return out
