"""Reading list variables (format v2): their declaration, and the names effects give them.

`pockets: {items: [badge, script, coffee], default: [badge]}` declares a list; `add`,
`remove` and `set` give it a name or a list of names, and so does a playthrough's `expect`.
Every name must be one of the list's `items` (a typo there would make an `in` test that is
never true, silently), so each wrong one is reported at its own place with the closest item.
What a list value is and how effects change it is `game.story.lists`; this is only the
reading and the reporting, mixed into the loader like the other careful readers.
"""

from __future__ import annotations

import yaml

from game.story import codes, lists, yamlsrc
from game.story.careful import CarefulReaders, describe
from game.story.diagnostics import Related
from game.story.model import Effect, Names, Pos, Variable
from game.story.scene import EffectKind


class ListReaders(CarefulReaders):
    """Mixed into the loader (through `ElementReaders`)."""

    def list_variable(self, name: str, f: dict[str, yaml.Node], pos: Pos) -> Variable | None:
        """The list part of a mapping declaration (`f`: its keys, read against
        `schema.VARIABLE`): `items` and an optional `default` (none held if left out)."""
        items_node = f["items"]
        seen: dict[str, yaml.Node] = {}
        if isinstance(items_node, yaml.SequenceNode):
            for item, node in self.ids(items_node, f"an item of list '{name}'"):
                if item in seen:
                    self.report(self.pos(node), f"list '{name}' names the item '{item}' twice",
                                codes.LIST_ITEMS, (Related(self.pos(seen[item]), "first here"),))
                else:
                    seen[item] = node
            if not items_node.value:
                self.report(self.pos(items_node), f"list '{name}' has no items; declare every "
                            "name it may hold, like items: [badge, script]", codes.LIST_ITEMS)
        else:
            self.report(self.pos(items_node), f"the items of list '{name}' must be a list of "
                        f"names, like items: [badge, script], not {describe(items_node)}",
                        codes.LIST_ITEMS)
        # Declared whatever was wrong above (with the items that were right), so that its
        # uses are checked against what the author meant rather than each called undeclared.
        items = tuple(seen)
        default: Names = ()
        if "default" in f:
            default = self.names_of(name, items, f["default"], f"default of '{name}'")[0]
        return Variable(name, default, pos, items)

    def list_names(self, var: str, items: Names, node: yaml.Node, what: str) -> Names | None:
        """A name or a list of names, each one of `items`, as a list value (declared
        order); None after reporting each wrong one."""
        names, ok = self.names_of(var, items, node, what)
        return names if ok else None

    def names_of(self, var: str, items: Names, node: yaml.Node, what: str,
                 ) -> tuple[Names, bool]:
        """The names of `items` that a name or list of names holds, and whether it held
        nothing else (each other thing is reported at its place)."""
        nodes = list(node.value) if isinstance(node, yaml.SequenceNode) else [node]
        if isinstance(node, yaml.SequenceNode) and not self.plain_tag(node):
            return (), False
        names: set[str] = set()
        declared = frozenset(items)
        ok = True
        for item in nodes:
            if isinstance(item, yaml.ScalarNode) and item.tag in (
                    yamlsrc.INT, yamlsrc.FLOAT, yamlsrc.BOOL):
                self.report(self.pos(item), f"{what}: '{var}' is a list, so it takes names "
                            f"from its items ({', '.join(items)}), not {describe(item)}",
                            codes.NOT_NAMES)
                ok = False
                continue
            if isinstance(item, yaml.ScalarNode) and item.tag == yamlsrc.NULL:
                self.report(self.pos(item), f"{what} needs a name (or a list of names), not "
                            "nothing; write [] for none", codes.NO_VALUE)
                ok = False
                continue
            name = self.ident(item, what)
            if name is None:
                ok = False
            elif name not in declared:
                self.report(self.pos(item), f"{what}: {lists.not_an_item(var, name, items)}",
                            codes.NOT_AN_ITEM)
                ok = False
            else:
                names.add(name)
        return lists.ordered(items, names), ok

    def list_effect(self, kind: str, declared: Variable, vnode: yaml.Node,
                    label: str) -> Effect | None:
        """`set`, `add` or `remove` on a list variable (or an expected value: `label`):
        the names, checked, as its value."""
        assert declared.items is not None
        names = self.list_names(declared.name, declared.items, vnode,
                                f"{label} {declared.name}")
        if names is None:
            return None
        effect_kind: EffectKind = ("add" if kind == "add" else "remove" if kind == "remove"
                                   else "set")
        return Effect(effect_kind, declared.name, names, self.pos(vnode))

    def not_a_list(self, declared: Variable, key_node: yaml.Node) -> None:
        """`remove` on a number, text or true/false variable."""
        hint = " (to subtract, add a negative number)" if declared.kind in (int, float) else ""
        self.report(self.pos(key_node), f"remove works on lists; '{declared.name}' is not one "
                    f"(declared at {declared.pos}){hint}", codes.NOT_A_LIST,
                    (Related(declared.pos, "declared here"),))
