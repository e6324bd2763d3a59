"""The careful readers of the story's elements: the story header, facts, scenes with their
text, choices, conditions and effects, and scripted playthroughs.

Each reports every problem it finds and still returns what it could read, so one slip does
not cascade into a page of knock-on messages; the value rules they apply (holes in text,
default choice ids, what an assignment may assign) are in `rules.py`, shared with the quick
readers.

The readers are in layers, each a mixin of the next, so that no module grows past a
screenful of concerns: `listreader.py` (list variables), `conditionreader.py` (conditions),
`textreader.py` (texts with holes and variations), `effectreader.py` (variable declarations
and effects), `choicereader.py` (choices and scene references), and this module (the story
header, facts, scenes and playthroughs).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import yaml

from game.story import codes, rules, schema, yamlsrc
from game.story.careful import Definition, describe
from game.story.choicereader import ChoiceReaders, written
from game.story.codes import Code
from game.story.model import (
    Choice,
    Ending,
    Expectation,
    Fact,
    Playthrough,
    Pos,
    Scene,
    Step,
    Template,
    Value,
)
from game.story.names import IDENT, SLUG, SLUG_RULE, default_title, did_you_mean
from game.story.quick import plain_text
from game.story.scene import new_scene


class ElementReaders(ChoiceReaders):
    """Mixed into the loader; the state the readers use is the loader's (declared in
    `CarefulReaders` and `ConditionReaders`)."""

    def header(self, d: Definition | None, files: tuple[str, ...],
               ) -> tuple[str, str, str | None, str, Pos] | None:
        if d is None:
            if files:
                self.report_missing(Pos(files[0], 1, 1), "no 'story:' section in any file; add "
                                    "one with id, title and start", codes.NO_STORY, "story")
            return None
        self.file = d.file
        f = self.fields(d.node, schema.STORY, "'story'")
        if f is None:
            return None
        story_id = self.word(f["id"], "story id") if "id" in f else None
        if story_id is not None and not SLUG.match(story_id):
            self.report(self.pos(f["id"]), f"story id '{story_id}' must be {SLUG_RULE}",
                        codes.BAD_STORY_ID)
            story_id = None
        title = self.text(f["title"], "story title") if "title" in f else None
        subtitle = self.text(f["subtitle"], "subtitle") if "subtitle" in f else None
        start = self.ident(f["start"], "start") if "start" in f else None
        if start is not None and start not in self.scene_ids:
            self.report_missing(self.pos(f["start"]), f"start scene '{start}' does not "
                                f"exist{did_you_mean(start, sorted(self.scene_ids))}",
                                codes.NO_SCENE, start)
            start = None
        if story_id is None or title is None or start is None:
            return None
        return story_id, title, subtitle, start, d.pos

    def fact(self, name: str, d: Definition) -> Fact | None:
        f = self.fields(d.node, schema.FACT, f"fact '{name}'")
        if f is None:
            return None
        values = {key: self.text(node, f"{key} of fact '{name}'") for key, node in f.items()}
        title, text = values.get("title"), values.get("text")
        if title is None or text is None:
            return None
        return Fact(name, title, text, values.get("source") or "", values.get("hint"),
                    values.get("chapter"), d.pos)

    def scene(self, name: str, d: Definition) -> Scene | None:
        self.scene_name = name
        f = self.fields(d.node, schema.SCENE, f"scene '{name}'")
        if f is None:
            return None
        where = f"scene '{name}'"
        title = chapter = None
        if "title" in f:
            title = self.title(f["title"], f"title of {where}")
        if "chapter" in f:
            chapter = (plain_text(f["chapter"])
                       or self.text(f["chapter"], f"chapter of {where}"))
        paragraphs = self.paragraphs(f["text"], where) if "text" in f else ()
        on_enter = self.effects(f["on_enter"], where) if "on_enter" in f else ()
        ways = schema.EXACTLY_ONE["scene"]
        exits = [k for k in ways if k in f]
        choices: tuple[Choice, ...] = ()
        next_id = None
        ending = None
        returns = False
        if not exits and not written(d.node, ways):
            # (a way on that is written but refused for its shape was reported already)
            self.report(d.pos, f"{where} is a dead end: give it 'choices', 'next', 'ending' "
                        "or 'return'", codes.DEAD_END)
        elif len(exits) > 1 and "return" in exits:
            other = next(k for k in exits if k != "return")
            self.report(self.pos(f["return"]), f"{where} has both 'return' and '{other}': a "
                        "scene that returns has no other way on (its one Continue goes back "
                        "to the caller)", codes.RETURN_WITH_EXIT)
            del f["return"]
        elif len(exits) > 1:
            self.report(self.pos(f[exits[1]]), f"{where} has both '{exits[0]}' and "
                        f"'{exits[1]}'; use one of choices, next, ending or return",
                        codes.TWO_EXITS)
        if "return" in f:
            flag = self.flag(f["return"], "return")
            here = self.pos(f["return"])
            if flag is not True:
                if flag is False:
                    self.report(here, f"return of {where} must be true (a scene that goes "
                                "back to its caller); for no return, give it 'choices', "
                                "'next' or 'ending' instead", codes.RETURN_NOT_TRUE)
            else:
                returns = True
                choices = (Choice("continue", Template(("Continue",)), name, None, (), False,
                                  here, here, is_continue=True, returns=True),)
        if "choices" in f:
            choices = self.choices(f["choices"], name)
        if "next" in f:
            next_id = self.target(f["next"], f"next of {where}")
            if next_id is not None:
                here = self.pos(f["next"])
                choices += (Choice("continue", Template(("Continue",)), next_id, None, (),
                                   False, here, here, is_continue=True),)
        if "ending" in f:
            e = self.fields(f["ending"], schema.ENDING, f"ending of {where}")
            if e is not None and "id" in e and "title" in e:
                ending_id = self.ident(e["id"], "ending id")
                ending_title = self.title(e["title"], "ending title")
                hint = self.text(e["hint"], "ending hint") if "hint" in e else None
                if ending_id is not None and ending_title is not None:
                    ending = Ending(ending_id, ending_title, self.pos(f["ending"]), name, hint)
        if title is None:
            title = default_title(name)
        return new_scene(name, title, chapter, paragraphs, on_enter, choices, next_id, ending,
                         d.pos, returns)

    def wrong_shape(self, key: schema.Key, node: yaml.Node, what: str) -> tuple[str, Code]:
        """An ending written as anything but a mapping gets an example to copy, with a valid
        id: the one written, when it is one (`ending: dawn`, `ending: [dawn, Dawn]`), else
        the scene's own (`ending: true` must not suggest `{id: true, ...}`)."""
        if key is schema.SCENE["return"]:
            return (f"return of {what} must be true (a scene that goes back to its caller), "
                    f"not {describe(node)}", codes.RETURN_NOT_TRUE)
        if key.name == "enabled" and key.kind == "condition":
            return (f"enabled of {what} must be a condition (like 'courage >= 2') or "
                    f"true/false, not {describe(node)}",
                    codes.NO_VALUE if node.tag == yamlsrc.NULL else codes.ENABLED_WRONG_KIND)
        if key.kind != "ending":
            return super().wrong_shape(key, node, what)
        words = [item.value for item in
                 (node.value if isinstance(node, yaml.SequenceNode) else [node])
                 if isinstance(item, yaml.ScalarNode) and item.tag == yamlsrc.STR]
        ending_id = words[0] if words and IDENT.match(words[0]) else self.scene_name
        title = words[1] if len(words) == 2 and words[0] == ending_id else "..."
        return (f"ending of {what} needs an id and a title, like: ending: "
                f"{{id: {ending_id}, title: {title}}}",
                codes.WRONG_KIND if isinstance(node, yaml.SequenceNode) else codes.ENDING_SCALAR)

    # -- playthroughs ------------------------------------------------------------------------

    def playthrough(self, name: str, d: Definition,
                    endings: Mapping[str, Ending]) -> Playthrough | None:
        f = self.fields(d.node, schema.PLAYTHROUGH, f"playthrough '{name}'")
        if f is None or "steps" not in f:
            return None
        steps = []
        for item in self.items(f["steps"], f"steps of playthrough '{name}'"):
            if isinstance(item, yaml.MappingNode):
                s = self.fields(item, schema.STEP, "a step")
                if s is None or "choose" not in s:
                    continue
                choose = self.text(s["choose"], "choose")
                expect = self.expectation(s["expect"], endings) if "expect" in s else None
            else:
                choose, expect = self.text(item, "a step"), None
            if choose is not None:
                steps.append(Step(choose, expect, self.pos(item)))
        final = self.expectation(f["expect"], endings) if "expect" in f else None
        seed = self.seed(f["seed"], f"seed of playthrough '{name}'") if "seed" in f else 0
        return Playthrough(name, tuple(steps), final, d.pos, seed)

    def seed(self, node: yaml.Node, what: str) -> int:
        """A playthrough's game seed, or 0 (reported) when it is not one: the playthrough
        still runs, so its other mistakes are found in the same pass."""
        value = yamlsrc.scalar(node, self.file, self.report) if (
            isinstance(node, yaml.ScalarNode) and node.tag == yamlsrc.INT) else None
        if not rules.valid_seed(value):
            self.report(self.pos(node), f"{what} must be a whole number from 0 to "
                        f"{rules.SEED_LIMIT - 1}, not {describe(node)}", codes.BAD_SEED)
            return 0
        assert isinstance(value, int)
        return value

    def expectation(self, node: yaml.Node, endings: Mapping[str, Ending]) -> Expectation | None:
        f = self.fields(node, schema.EXPECT, "expect")
        if f is None:
            return None
        scene = self.target(f["scene"], "expect scene") if "scene" in f else None
        ending = self.ident(f["ending"], "expect ending") if "ending" in f else None
        if ending is not None and ending not in endings:
            self.report_missing(self.pos(f["ending"]), f"expect: no ending '{ending}'"
                                f"{did_you_mean(ending, sorted(endings))}", codes.NO_ENDING,
                                ending)
        facts = []
        for fact, fnode in (self.ids(f["facts"], "expect facts") if "facts" in f else []):
            if fact not in self.fact_ids:
                self.report_missing(self.pos(fnode), f"expect: no fact '{fact}'"
                                    f"{did_you_mean(fact, sorted(self.fact_ids))}",
                                    codes.NO_FACT, fact)
            facts.append(fact)
        values: dict[str, Value] = {}
        if "variables" in f:
            vnode = f["variables"]
            if isinstance(vnode, yaml.MappingNode):
                for var, key_node, value_node in self.entries(vnode, "expect variables"):
                    effect = self.assignment("set", var, key_node, value_node, "expect")
                    if effect is not None:
                        values[var] = effect.value
            else:
                self.report(self.pos(vnode), "expect variables must be a mapping",
                            codes.WRONG_KIND)
        return Expectation(scene, ending, tuple(facts), MappingProxyType(values), self.pos(node))
