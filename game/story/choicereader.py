"""Reading choices and the scenes they lead to: each choice's text, condition, effects and
way on (`goto`, or format v2's `call` and `then`), and every scene reference checked.

Split out of `elements.py` so each careful reader stays small. A typo in a scene id is
reported with the closest id, which then stands in for it so lint sees the intended path.
"""

from __future__ import annotations

import yaml

from game.story import codes, rules, schema
from game.story.codes import Code
from game.story.diagnostics import first_defined
from game.story.effectreader import EffectReaders
from game.story.model import Choice, Pos, Template
from game.story.names import closest


class ChoiceReaders(EffectReaders):
    """Mixed into the loader (through `ElementReaders`)."""

    def choices(self, node: yaml.Node, scene: str) -> tuple[Choice, ...]:
        where = f"scene '{scene}'"
        items = self.items(node, f"choices of {where}")
        if isinstance(node, yaml.SequenceNode) and not items:
            self.report(self.pos(node), f"{where} has an empty choices list (a dead end)",
                        codes.EMPTY_CHOICES)
        out: list[Choice] = []
        ids: dict[str, Pos] = {}
        for item in items:
            choice = self.quick_choice(item, ids)
            if choice is not None:
                ids[choice.id] = choice.pos
                out.append(choice)
                continue
            f = self.fields(item, schema.CHOICE, f"a choice of {where}")
            if f is None:
                continue
            text = self.template(f["text"], f"a choice of {where}") if "text" in f else None
            goto, call, then = self.way(item, f, where)
            condition = self.condition(f["if"]) if "if" in f else None
            effects = self.effects(f["effects"], where) if "effects" in f else ()
            once = self.flag(f["once"], "once") if "once" in f else False
            enabled = self.enabled(f["enabled"]) if "enabled" in f else None
            reason = (self.template(f["reason"], f"the reason of a choice of {where}")
                      if "reason" in f else None)
            for key, (needs, why) in schema.COMPANIONS["choice"].items():
                if key in f and not written(item, (needs,)):
                    self.report(self.pos(f[key]), f"'{key}' without '{needs}' is never shown: "
                                f"{why}; add {needs}: CONDITION, or remove the {key}",
                                codes.REASON_ALONE)
            if "id" in f:
                choice_id = self.ident(f["id"], "choice id")
                if choice_id is not None and choice_id in ids:
                    self.report(self.pos(f["id"]), f"choice id '{choice_id}' is used twice "
                                f"in {where} (first at line {ids[choice_id].line})",
                                codes.CHOICE_ID_TWICE, first_defined(ids[choice_id]))
                    choice_id = None
            elif text is not None:
                choice_id = rules.default_choice_id(str(text), ids)
            else:
                choice_id = None
            if goto is None:
                continue
            if (text is None or choice_id is None or once is None
                    or ("if" in f and condition is None)
                    or ("enabled" in f and enabled is None)):
                # Already reported. Keep the way on, so lint does not add "unreachable"
                # warnings for the scenes behind it; a story with errors never plays.
                text, choice_id, once, condition, enabled = (text or Template(("?",)),
                                                             f"?{len(out)}", False, None, None)
            here = ids[choice_id] = self.pos(item)
            out.append(Choice(choice_id, text, goto, condition, effects, once, here,
                              self.pos(f["call" if call else "goto"]), enabled=enabled,
                              reason=reason, call=call, then=then))
        return tuple(out)

    def way(self, item: yaml.Node, f: dict[str, yaml.Node],
            where: str) -> tuple[str | None, bool, str | None]:
        """A choice's way on: (the scene it leads to or calls, whether it calls, `then`).
        Exactly one of goto and call (`schema.EXACTLY_ONE`); `then` only beside a call
        (`schema.REQUIRES`)."""
        goto = self.target(f["goto"], "goto") if "goto" in f else None
        call = self.target(f["call"], "call") if "call" in f else None
        then = self.target(f["then"], "then") if "then" in f else None
        if "goto" in f and "call" in f:
            self.report(self.pos(f["call"]), f"a choice of {where} has both 'goto' and "
                        "'call'; use one: goto leads on, call visits a scene that returns "
                        "here", codes.CALL_AND_GOTO)
            call = None
        elif "goto" not in f and "call" not in f and not written(item, ("goto", "call")):
            # (one written but refused for its shape was reported already)
            self.report(self.pos(item), f"a choice of {where} is missing 'goto' (or 'call')",
                        codes.MISSING_KEY)
        if "then" in f and "call" not in f:
            self.report(self.pos(f["then"]), f"'then' of a choice of {where} needs 'call': "
                        "it says where a call's return leads (with goto, write the scene in "
                        "goto)", codes.THEN_WITHOUT_CALL)
            then = None
        if call is not None:
            return call, True, then
        return goto, False, None

    def target(self, node: yaml.Node, what: str) -> str | None:
        """A scene id that exists. After reporting a typo, the closest match stands in for it:
        the story will not play either way, and lint then sees the path the author meant."""
        name = self.ident(node, what)
        if name is not None and name not in self.scene_ids:
            if self.defer_target(name, node, what):
                return name
            close = closest(name, sorted(self.scene_ids))
            hint = f"; did you mean '{close}'?" if close else ""
            self.report_missing(self.pos(node), f"{what}: no scene '{name}'{hint}",
                                missing_scene_code(what), name)
            return close
        return name


def missing_scene_code(what: str) -> Code:
    """The code of "no such scene" after the key that names it: `call` and `then` have
    codes of their own (format v2's calls), every other key shares OS306."""
    return {"call": codes.CALL_NO_SCENE, "then": codes.THEN_NO_SCENE}.get(what, codes.NO_SCENE)


def written(node: yaml.Node, keys: tuple[str, ...]) -> bool:
    """Whether a mapping has any of these keys, whatever their values."""
    return isinstance(node, yaml.MappingNode) and any(
        isinstance(k, yaml.ScalarNode) and k.value in keys for k, _ in node.value)
