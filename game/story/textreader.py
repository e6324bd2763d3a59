"""Reading texts: a scene's paragraphs (with their `if:`), and every text with holes and
variations (format v2), each problem reported at its character with an author's words.

Split out of `elements.py` so each careful reader stays small; what a variation is and how
it is parsed is `game.story.variations`, and a `{?COND|..}`'s condition is read by
`ConditionReaders`.
"""

from __future__ import annotations

import yaml

from game.story import codes, expr, schema, variations
from game.story.codes import Code
from game.story.conditionreader import ConditionReaders
from game.story.model import Paragraph, Template
from game.story.names import did_you_mean
from game.story.quick import plain_text


class TextReaders(ConditionReaders):
    """Mixed into the loader (through `ElementReaders`)."""

    def paragraphs(self, node: yaml.Node, where: str) -> tuple[Paragraph, ...]:
        quick = self.quick_paragraphs(node)
        if quick is not None:
            return quick
        if not isinstance(node, yaml.SequenceNode):
            template = self.template(node, f"text of {where}")
            return () if template is None else (Paragraph(template, None, self.pos(node)),)
        out = []
        for item in self.items(node, f"text of {where}"):
            if isinstance(item, yaml.MappingNode) and not any(
                    isinstance(k, yaml.ScalarNode) and k.value in schema.PARAGRAPH
                    for k, _ in item.value):
                self.report(self.pos(item), f"a paragraph of {where} was read as a mapping "
                            "because of a ': ' in it; put the paragraph in quotes",
                            codes.PARAGRAPH_MAPPING)
                continue
            if isinstance(item, yaml.MappingNode):
                f = self.fields(item, schema.PARAGRAPH, f"a paragraph of {where}")
                if f is None or "text" not in f or "if" not in f:
                    continue
                template = self.template(f["text"], f"text of {where}")
                condition = self.condition(f["if"])
                if template is not None and condition is not None:
                    out.append(Paragraph(template, condition, self.pos(item)))
            else:
                template = self.template(item, f"a paragraph of {where}")
                if template is not None:
                    out.append(Paragraph(template, None, self.pos(item)))
        return tuple(out)

    def template(self, node: yaml.Node, what: str, text: str | None = None,
                 ) -> Template | None:
        """A text with holes and variations (`variations.py`), every problem reported at
        its character; `text` when it was read already."""
        text = self.text(node, what) if text is None else text
        if text is None:
            return None
        problems: variations.Found = []
        parts = variations.parse(text, self.variables, problems, self.text_condition(node))
        for offset, problem, token in problems:
            where = self.inner_pos(node, offset)
            if problem == "stray":
                self.report(where, f"stray '{token}' in {what}; write {{{{ or }}}} for a "
                            "literal brace", codes.STRAY_BRACE)
            elif problem == "not a name" and _rolls(token):
                self.report(where, f"{{{token}}} in {what}: random() cannot be in a text, "
                            "as showing a scene never changes anything; roll it into a "
                            f"variable (compute: {{roll: \"{token}\"}}) and write {{roll}}",
                            codes.RANDOM_OUTSIDE)
            elif problem == "not a name":
                self.report(where, f"{{{token}}} in {what}: only a variable name can go "
                            "between { and } (write {{ or }} for a literal brace)",
                            codes.HOLE_NOT_NAME)
            elif problem == "undeclared":
                self.report_missing(where, f"{{{token}}} in {what} is not a declared "
                                    f"variable{did_you_mean(token, sorted(self.variables))}",
                                    codes.HOLE_UNDECLARED, token)
            elif problem == "condition":
                self.condition_text(token, node, offset)
            else:
                self.report(where, _variation_message(problem, token, what),
                            _VARIATION_CODES[problem])
        return None if parts is None else Template(parts)

    def title(self, node: yaml.Node, what: str) -> str | None:
        """A scene's or an ending's title: text that may show variables and variations
        (format v2), kept as written; the engine renders it."""
        text = plain_text(node) or self.text(node, what)
        if text is not None and ("{" in text or "}" in text):
            self.template(node, what, text)  # (reports; the story plays only without errors)
        return text


_VARIATION_CODES: dict[variations.Problem, Code] = {
    "unclosed": codes.UNCLOSED_VARIATION, "sigil": codes.UNKNOWN_SIGIL,
    "empty condition": codes.EMPTY_TEXT_CONDITION, "random": codes.RANDOM_IN_TEXT,
    "no text": codes.CONDITION_WITHOUT_TEXT, "too many": codes.TOO_MANY_TEXTS,
    "too deep": codes.VARIATIONS_TOO_DEEP, "empty": codes.EMPTY_VARIATION}


def _variation_message(problem: variations.Problem, token: str, what: str) -> str:
    """What is wrong with a variation (format v2) in `what`, in an author's words."""
    if problem == "unclosed":
        return (f"'{token}...' in {what} opens a variation that never closes: end it with }} "
                "(inside a variation every { opens and every } closes)")
    if problem == "sigil":
        meant = variations.MISSPELT.get(token)
        hint = f"did you mean '{{{meant}'? " if meant else ""
        return (f"'{{{token}' in {what}: '{token}' is not a variation mark; {hint}use "
                f"{variations.SIGIL_WORDS}")
    if problem == "empty condition":
        return (f"{{?...}} in {what} has no condition: write {{?CONDITION|text if true|text "
                "if false}, like {?courage >= 2|You stand tall.|You hesitate.}")
    if problem == "random":
        return (f"random() in a condition in {what}: showing text never changes anything, so "
                "text cannot roll dice; roll in an effect (compute: {luck: \"random(1, 6)\"}) "
                "and show or test the variable")
    if problem == "no text":
        return (f"'{token}' in {what} has a condition but no text: write "
                "{?CONDITION|text if true} or {?CONDITION|text if true|text if false}")
    if problem == "too many":
        return (f"'{token}' in {what} has more than two texts after its condition: "
                "{?CONDITION|text if true|text if false} (nest another {?..} for more cases)")
    if problem == "too deep":
        return (f"variations in {what} nest deeper than {variations.MAX_NESTING} levels")
    return (f"'{token}' in {what} is an empty variation: give it items separated by |, "
            "like {&first|second}")


def _rolls(text: str) -> bool:
    """Whether a text's `{...}` holds an expression that calls random()."""
    if "random" not in text:
        return False
    try:
        tree = expr.parse(text)
    except expr.ExprError:
        return False
    return any(isinstance(n, expr.Apply) and n.func == expr.RANDOM for n in expr.walk(tree))
