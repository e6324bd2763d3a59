"""The official YAML test suite through `load_story`: no traceback, every syntax error at
PyYAML's own line, and nothing PyYAML reads ever called a syntax error by us (our pre-scans
for depth and control characters must not refuse valid YAML). The story that results is
almost always invalid as a story, which is fine: that is not what is tested here.

The cases are vendored in fixtures/yaml-suite/cases.json: every `in.yaml` of the suite's
`data` branch (https://github.com/yaml/yaml-test-suite, commit in the file; MIT licence
beside it), with the suite's own verdict for YAML 1.2. PyYAML reads YAML 1.1 and has known
gaps, so PyYAML, not the suite, is the oracle for what is a syntax error.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from game.story import yamlsrc
from game.story.files import load_story

SUITE = json.loads((Path(__file__).parent / "fixtures" / "yaml-suite" / "cases.json")
                   .read_text(encoding="utf-8"))
CASES: dict[str, dict[str, object]] = SUITE["cases"]


def _pyyaml_error_line(text: str) -> int | None:
    """The line PyYAML reports a syntax error at, or None if it reads the text."""
    try:
        yaml.compose(text, Loader=yamlsrc.LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return mark.line + 1 if mark is not None else 1
    except yaml.YAMLError:  # a reader error (a character YAML refuses): a line of its own
        return 0
    return None


def test_the_vendored_suite_is_whole() -> None:
    assert len(CASES) == 402
    assert sum(bool(case["error"]) for case in CASES.values()) == 94


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_suite_case_is_read_as_pyyaml_reads_it(case: str, tmp_path: Path) -> None:
    text = str(CASES[case]["yaml"])
    (tmp_path / "case.yaml").write_bytes(text.encode("utf-8"))
    result = load_story(tmp_path)  # a traceback here fails the test
    syntax = [d for d in result.diagnostics
              if d.message.startswith(("YAML syntax", "nested more than"))]
    line = _pyyaml_error_line(text.removeprefix("\ufeff"))
    if line is None:
        assert syntax == [], f"valid YAML called a syntax error: {syntax}"
    else:
        assert len(syntax) == 1, result.diagnostics
        if line:
            assert syntax[0].pos.line == line


def _shape(node: yaml.Node, seen: dict[int, int]) -> object:
    """A node tree as plain data (class, tag, value, both marks); a node met again (an
    alias) as its first number."""
    if id(node) in seen:
        return ("alias", seen[id(node)])
    seen[id(node)] = len(seen)
    marks = (node.start_mark.line, node.start_mark.column, node.end_mark.line,
             node.end_mark.column)
    if isinstance(node, yaml.ScalarNode):
        return ("scalar", node.tag, node.value, node.style, marks)
    if isinstance(node, yaml.SequenceNode):
        return ("seq", node.tag, marks, [_shape(item, seen) for item in node.value])
    return ("map", node.tag, marks, [(_shape(k, seen), _shape(v, seen)) for k, v in node.value])


def _composed(text: str, loader: type) -> object:
    try:
        nodes = list(yaml.compose_all(text, Loader=loader))
    except yaml.YAMLError:
        return "error"
    return [_shape(node, {}) for node in nodes if node is not None]


@pytest.mark.parametrize("loader", ["c", "py"])
def test_the_fast_loaders_compose_what_pyyaml_composes(loader: str) -> None:
    """`yamlsrc`'s loaders (its resolver, its do-nothing path hooks) give exactly the node
    trees PyYAML's own safe loaders give, on every case of the suite."""
    fast = yamlsrc.CLoader if loader == "c" else yamlsrc.PyLoader
    if fast is None:
        pytest.skip("PyYAML built without libyaml")
    reference = yaml.CSafeLoader if loader == "c" else yaml.SafeLoader
    for case in sorted(CASES):
        text = str(CASES[case]["yaml"]).removeprefix("\ufeff")
        assert _composed(text, fast) == _composed(text, reference), case
