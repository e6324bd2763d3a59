"""`offscreen check --format json|github`, `offscreen schema` and the pre-commit hook: the
output machines read, held to its documented shape (docs/check.schema.json, jsonschema)."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from game import cli
from game.commands import check
from game.story import codes
from game.story.files import load_story
from game.tools import json_schema

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"
EXAMPLE = DOCS / "example"
BROKEN = ROOT / "tests" / "story" / "fixtures" / "broken"
OUTPUT_SCHEMA = json.loads((DOCS / "check.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(OUTPUT_SCHEMA)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = cli.main(list(args))
    return code, capsys.readouterr().out


def story(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


TWO_MISTAKES = {
    "b.yaml": """\
        story: {id: mine, title: Mine, start: lobby}
        scenes:
          lobby:
            text: The lobby.
            choices:
              - text: Go to the kitchen
                goto: kitchn
          kitchen:
            text: The kitchen.
            ending: {id: fed, title: Fed}
        """,
    "a.yaml": "scenes:\n  kitchen: {text: Another., next: lobby}\n",
}


# -- json ----------------------------------------------------------------------------------------

def test_the_output_schema_is_a_valid_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(OUTPUT_SCHEMA)
    assert OUTPUT_SCHEMA["$id"].startswith("urn:offscreen:")


def test_json_gives_every_diagnostic_with_its_place_code_end_and_related(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(story(tmp_path, TWO_MISTAKES))
    code, out = run(capsys, "check", ".", "--format", "json")
    document = json.loads(out)
    VALIDATOR.validate(document)
    assert code == 1
    by_code = {d["code"]: d for d in document["diagnostics"]}
    goto = by_code[codes.NO_SCENE.code]
    assert (goto["file"], goto["line"], goto["column"]) == ("b.yaml", 7, 15)
    assert goto["end"] == {"line": 7, "column": 15 + len("kitchn")}  # exclusive
    assert goto["severity"] == "error" and goto["related"] == []
    assert goto["message"] == "goto: no scene 'kitchn'; did you mean 'kitchen'?"
    twice = by_code[codes.DEFINED_TWICE.code]
    assert (twice["file"], twice["line"], twice["column"]) == ("b.yaml", 8, 3)
    assert twice["related"] == [{"file": "a.yaml", "line": 2, "column": 3,
                                 "message": "first defined here"}]
    assert document["summary"] == {"errors": 2, "warnings": 0, "files": 2, "ok": False,
                                   "text": "2 errors, 0 warnings in 2 files in ."}
    assert document["folder"] == "." and document["version"] == check.JSON_VERSION


def test_json_matches_the_loader_one_for_one_on_every_mistake(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "check", str(BROKEN), "--format", "json")
    document = json.loads(out)
    VALIDATOR.validate(document)
    loaded = load_story(BROKEN).diagnostics
    assert code == 1
    assert [(d["file"], d["line"], d["column"], d["severity"], d["code"], d["message"])
            for d in document["diagnostics"]] == [
        (d.pos.file, d.pos.line, d.pos.col, d.severity, d.code, d.message) for d in loaded]
    for item in document["diagnostics"]:
        assert item["end"]["line"] == item["line"] and item["end"]["column"] > item["column"]
    related = [d for d in document["diagnostics"] if d["related"]]
    assert related, "the broken fixture defines a scene twice: its first definition is related"


def test_json_on_a_clean_story_is_ok_and_carries_the_stats(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "check", str(EXAMPLE), "--format", "json", "--stats")
    document = json.loads(out)
    VALIDATOR.validate(document)
    assert code == 0
    assert document["diagnostics"] == [] and document["summary"]["ok"] is True
    assert document["summary"]["text"].startswith("ok: 3 files")
    assert document["stats"]["title"] == "First Day"
    assert document["stats"]["total"]["scenes"] == 7


def test_warnings_alone_exit_0_in_every_format(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    folder = story(tmp_path, {"s.yaml": "story: {id: t, title: T, start: a}\n"
                                        "variables: {unread: 1}\n"
                                        "scenes:\n  a: {text: t, ending: {id: e, title: E}}\n"})
    for output in check.FORMATS:
        code, out = run(capsys, "check", str(folder), "--format", output)
        assert code == 0, output
        assert codes.UNREAD_VARIABLE.code in out or output == "text"
    document = json.loads(run(capsys, "check", str(folder), "--format", "json")[1])
    assert document["summary"]["ok"] is True and document["summary"]["warnings"] == 1


def test_json_for_a_missing_folder_and_an_unreadable_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Places no line can be read from still get an end, one character on."""
    folder = story(tmp_path, {"s.yaml": "story: {id: t, title: T, start: a}\n"
                                        "scenes:\n  a: {text: t, ending: {id: e, title: E}}\n"})
    (folder / "bad.yaml").write_bytes(b"scenes:\n  b: \xff\n")
    document = json.loads(run(capsys, "check", str(folder), "--format", "json")[1])
    VALIDATOR.validate(document)
    (bad,) = [d for d in document["diagnostics"] if d["code"] == codes.NOT_UTF8.code]
    assert bad["end"]["column"] > bad["column"]
    assert check.run(tmp_path / "nowhere", output="json") == 1
    document = json.loads(capsys.readouterr().out)
    VALIDATOR.validate(document)
    assert [d["code"] for d in document["diagnostics"]] == [codes.NO_FOLDER.code]


def test_json_is_ascii_and_exact_whatever_the_text_holds(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = story(tmp_path, {"s.yaml": "story: {id: t, title: T, start: a}\n"
                                        "scenes:\n  a: {text: t, café—2: 1, "
                                        "ending: {id: e, title: E}}\n"})
    out = run(capsys, "check", str(folder), "--format", "json")[1]
    assert out.isascii()
    (problem,) = json.loads(out)["diagnostics"]
    assert problem["message"].startswith("unknown key 'café—2' in scene 'a'")


def test_the_schema_rejects_what_the_docs_say_it_does() -> None:
    """The output schema is strict: a missing code or an unknown field fails it."""
    good: dict[str, Any] = {"version": 1, "folder": "x", "diagnostics": [
        {"file": "a.yaml", "line": 1, "column": 1, "end": {"line": 1, "column": 2},
         "severity": "error", "code": "OS101", "message": "m", "related": []}],
        "summary": {"errors": 1, "warnings": 0, "files": 1, "ok": False, "text": "t"}}
    VALIDATOR.validate(good)
    no_code = json.loads(json.dumps(good))
    del no_code["diagnostics"][0]["code"]
    extra = json.loads(json.dumps(good))
    extra["diagnostics"][0]["colour"] = "red"
    for bad in (no_code, extra):
        assert not VALIDATOR.is_valid(bad)


# -- github --------------------------------------------------------------------------------------

def unescape(text: str) -> str:
    """What the Actions runner does to a value (the inverse of actions/toolkit's escaping)."""
    for escaped, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","),
                          ("%25", "%")):
        text = text.replace(escaped, char)
    return text


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command as the runner splits it: name, properties, message."""
    match = re.fullmatch(r"::(\w+) ([^:]*)::(.*)", line)
    assert match, line
    properties = dict(item.split("=", 1) for item in match[2].split(","))
    return match[1], {k: unescape(v) for k, v in properties.items()}, unescape(match[3])


def test_github_annotates_each_diagnostic_on_its_range(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(story(tmp_path, TWO_MISTAKES))
    code, out = run(capsys, "check", ".", "--format", "github")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == ("::error file=b.yaml,line=7,col=15,endLine=7,endColumn=21,title=OS306::"
                        "goto: no scene 'kitchn'; did you mean 'kitchen'?")
    assert lines[-1] == "2 errors, 0 warnings in 2 files in ."
    name, properties, message = parse_command(lines[1])
    assert name == "error" and properties["title"] == codes.DEFINED_TWICE.code
    assert message == "scene 'kitchen' is defined twice (first at a.yaml:2:3)"


def test_github_escapes_data_and_properties() -> None:
    assert check.escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"
    assert check.escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"
    tricky = "50%:,\r\n%25"
    assert unescape(check.escape_property(tricky)) == tricky
    assert unescape(check.escape_data(tricky)) == tricky


def test_github_escapes_a_folder_and_a_message_full_of_separators(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "odd, name: 100%"
    folder.mkdir()
    story(folder, {"s.yaml": "story: {id: t, title: T, start: a}\n"
                             "scenes:\n  a: {text: t, '50%,: x': 1, ending: {id: e, title: E}}\n"})
    code, out = run(capsys, "check", str(folder), "--format", "github")
    assert code == 1
    (line,) = [line for line in out.splitlines() if line.startswith("::error ")]
    _, properties, message = parse_command(line)
    assert properties["file"].endswith("odd, name: 100%/s.yaml")
    assert (properties["line"], properties["col"]) == ("3", "16")  # the opening quote
    assert properties["title"] == codes.UNKNOWN_KEY.code
    assert message.startswith("unknown key '50%,: x' in scene 'a'")


def test_text_is_unchanged_by_the_formats(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "check", str(BROKEN))
    assert code == 1
    assert out.splitlines()[:-1] == [str(d) for d in load_story(BROKEN).diagnostics]
    assert "[OS" not in out and "::" not in out


def test_an_unknown_format_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["check", str(EXAMPLE), "--format", "xml"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'xml'" in capsys.readouterr().err


# -- offscreen schema ----------------------------------------------------------------------------

def offscreen(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "game", *args], capture_output=True,
                          text=True, timeout=60, check=False, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def story_documents(folder: Path) -> list[Any]:
    return [yaml.safe_load(path.read_text(encoding="utf-8"))
            for path in sorted(folder.rglob("*.y*ml"))]


def test_schema_prints_the_json_schema_with_an_id(tmp_path: Path) -> None:
    result = offscreen("schema", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == json_schema.SCHEMA_ID
    jsonschema.Draft202012Validator.check_schema(schema)
    assert result.stdout == (DOCS / "scene.schema.json").read_text(encoding="utf-8")
    validator = jsonschema.Draft202012Validator(schema)
    for folder in (ROOT / "scenes", EXAMPLE):
        documents = story_documents(folder)
        assert documents
        for document in documents:
            validator.validate(document)
    assert not validator.is_valid({"scenes": {"a": {"txet": "typo"}}})


def test_schema_is_in_the_help_the_completions_and_the_docs() -> None:
    assert "schema" in cli._parser().format_help()
    assert "offscreen schema" in (DOCS / "author-tools.md").read_text(encoding="utf-8")
    for shell in cli.SHELLS:
        assert "schema" in offscreen("completions", shell).stdout


# -- pre-commit ----------------------------------------------------------------------------------

HOOKS = ROOT / ".pre-commit-hooks.yaml"


def test_the_pre_commit_hook_parses_as_pre_commit_reads_it() -> None:
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    (hook,) = [h for h in hooks if h["id"] == "offscreen-check"]
    for key in ("id", "name", "entry", "language"):  # what pre-commit requires
        assert isinstance(hook[key], str) and hook[key]
    assert hook["language"] == "python"  # pre-commit installs this repository for it
    assert hook["pass_filenames"] is False  # a story is checked as a whole folder
    assert re.search(hook["files"], "scenes/chapter_one.yaml")
    assert re.search(hook["files"], "a.yml") and not re.search(hook["files"], "game/cli.py")
    assert shlex.split(hook["entry"])[:2] == ["offscreen", "check"]


def hook_command(*args: str) -> list[str]:
    """The hook's entry and args, with `offscreen` as this environment installed it."""
    hook = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))[0]
    entry = shlex.split(hook["entry"])
    script = Path(sys.executable).with_name("offscreen")
    program = [str(script)] if script.exists() else [sys.executable, "-m", "game"]
    return [*program, *entry[1:], *(args or hook.get("args", []))]


def test_the_pre_commit_entry_runs_and_fails_on_errors(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    ok = subprocess.run(hook_command(str(EXAMPLE)), capture_output=True, text=True,
                        timeout=60, check=False, env=env)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.startswith("ok: 3 files")
    broken = subprocess.run(hook_command(str(BROKEN)), capture_output=True, text=True,
                            timeout=60, check=False, env=env)
    assert broken.returncode == 1 and ": error: " in broken.stdout
    story(tmp_path, {"s.yaml": "story: {id: t, title: T, start: a}\n"
                               "scenes:\n  a: {text: t, ending: {id: e, title: E}}\n"})
    default = subprocess.run(hook_command(), capture_output=True, text=True, timeout=60,
                             check=False, env=env, cwd=tmp_path)  # args: ["."], the repo root
    assert default.returncode == 0 and "ok: 1 file in . checked" in default.stdout


# -- the sample workflow in the docs -------------------------------------------------------------

def test_the_sample_workflow_is_valid_and_runs_check_with_github_annotations() -> None:
    text = (DOCS / "author-tools.md").read_text(encoding="utf-8")
    section = text.split("### A GitHub Actions workflow", 1)[1]
    block = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    workflow = yaml.safe_load(block)
    steps = workflow["jobs"]["check"]["steps"]
    commands = [step["run"] for step in steps if "run" in step]
    assert "offscreen check scenes --format github" in commands
    for command in commands:
        words = shlex.split(command)
        if words[0] == "offscreen":
            args = cli._parser().parse_args(words[1:])  # every option exists as written
            assert args.command in ("check", "test")
    assert any(step.get("uses", "").startswith("actions/checkout@") for step in steps)
