"""`offscreen test`: random runs (or an exhaustive search), coverage, then scripted playthroughs.

Output is for a person at a terminal and for grep alike: every problem is one
`file:line:col: error: ...` line (what `check` prints, so editors jump to it) followed by
indented detail lines; every coverage line starts with its kind; the last line says PASSED,
FAILED with the counts, or (an exhaustive search that ran out of budget, nothing failed) NOT
PROVEN with what kept growing. Exit 1 unless PASSED: when any run got stuck, failed or
looped, when the exhaustive search proved a problem or could not finish, or when a scripted
playthrough failed.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import cast

from game.commands.loading import load
from game.engine.errors import StoryRuntimeError
from game.story.diagnostics import summary
from game.story.files import display_path
from game.story.model import Story
from game.tools import coverage as cov
from game.tools import scripted
from game.tools.exhaustive import MAX_OUTCOMES, ExhaustiveReport, rolls, search
from game.tools.findings import Finding
from game.tools.playtest import RandomReport, random_runs
from game.tools.runner import STRATEGIES, Strategy
from game.tools.trail import as_steps, describe, describe_loop

MAX_REPORTED = 10
"""Problems of one kind at one place are reported once, with a count of the others."""


def run(folder: Path, runs: int = 200, seed: int = 0, strategy: str = "least-taken",
        max_steps: int = 1000, exhaustive: bool = False, max_states: int = 200_000) -> int:
    usage = _usage(runs, strategy, max_steps, max_states)
    if usage:
        print(f"offscreen test: {usage}", file=sys.stderr)
        return 2
    result = load(folder, cache=True)
    if result.story is None:
        for diagnostic in result.errors:
            print(diagnostic)
        print(summary(result.diagnostics, len(result.files)))
        print("offscreen test: the story has errors; fix them first (see `offscreen check`)")
        return 1
    story = result.story
    where = display_path(folder)
    print(f"offscreen test: '{story.title}' in {where}: {len(story.scenes)} scenes, "
          f"{len(story.facts)} facts, {len(story.endings)} endings, "
          f"{len(story.playthroughs)} scripted playthroughs")
    try:
        return _test(story, where, runs, seed, strategy, max_steps, exhaustive, max_states)
    except StoryRuntimeError as exc:  # the tools report every other: only a start escapes
        print(f"\n{exc}")
        print("\nFAILED: the story fails as it starts, before any choice (its start scene's "
              "on_enter, or a text it shows); fix that line first")
        return 1


def _test(story: Story, where: str, runs: int, seed: int, strategy: str, max_steps: int,
          exhaustive: bool, max_states: int) -> int:
    """The runs, then the scripted playthroughs; 0 PASSED, 1 FAILED or NOT PROVEN."""
    failures: list[str] = []
    unproven = ""
    if exhaustive:
        found = search(story, max_states)
        lines, verdict = exhaustive_report(story, found)
        unproven = not_proven(found)
    else:
        report = random_runs(story, runs, seed, cast(Strategy, strategy), max_steps)
        lines, verdict = random_report(story, report, where)
    for line in lines:
        print(line)
    if verdict:
        failures.append(verdict)
    lines, verdict = scripted_report(story)
    for line in lines:
        print(line)
    if verdict:
        failures.append(verdict)
    print()
    if failures:
        print(f"FAILED: {'; '.join([*failures, *([unproven] if unproven else [])])}")
    elif unproven:
        print(f"NOT PROVEN: {unproven}")
    else:
        print("PASSED")
    sys.stdout.flush()
    return 1 if failures or unproven else 0


def _usage(runs: int, strategy: str, max_steps: int, max_states: int) -> str | None:
    if runs < 0:
        return "--runs must be 0 or more"
    if max_steps < 1:
        return "--max-steps must be at least 1"
    if max_states < 1:
        return "--max-states must be at least 1"
    if strategy not in STRATEGIES:
        return f"--strategy must be one of {', '.join(STRATEGIES)}"
    return None


# -- random runs --------------------------------------------------------------------------------

def random_report(story: Story, report: RandomReport, where: str) -> tuple[list[str], str]:
    last = report.seed + report.runs - 1
    seeds = f"seed {report.seed}" if report.runs == 1 else f"seeds {report.seed}-{last}"
    lines = ["", f"== random runs: {report.runs} runs, {seeds}, strategy {report.strategy}, "
             f"at most {report.max_steps} steps each"]
    kinds = {"stuck": 0, "error": 0, "loop": 0}
    for problem in report.problems:
        kinds[problem.kind] += 1
    lines.append(f"runs: {report.runs}, ended: {report.endings_reached}, "
                 f"stuck: {kinds['stuck']}, errors: {kinds['error']}, "
                 f"possible endless loops: {kinds['loop']}; "
                 f"{report.steps} steps, longest run {report.longest} steps")
    lines.extend(_problems(report, where))
    lines.append("")
    lines.append(f"== coverage over {report.runs} random runs")
    lines.extend(_coverage(story, report.coverage, "never reached", None))
    verdict = ""
    if report.problems:
        parts = [f"{n} {name}" for name, n in (("stuck", kinds["stuck"]),
                                                ("with errors", kinds["error"]),
                                                ("possibly endless", kinds["loop"])) if n]
        verdict = f"{len(report.problems)} of {report.runs} random runs failed ({', '.join(parts)})"
    return lines, verdict


def _problems(report: RandomReport, where: str) -> list[str]:
    """One block per (kind, place, message); the first run found is the one shown."""
    groups: dict[tuple[str, str, str], list[Finding]] = {}
    for problem in report.problems:
        groups.setdefault((problem.kind, str(problem.pos), problem.message), []).append(problem)
    lines: list[str] = []
    for shown, ((_, pos, message), problems) in enumerate(groups.items()):
        if shown == MAX_REPORTED:
            lines.append(f"... and {len(groups) - MAX_REPORTED} more kinds of failure")
            break
        first = problems[0]
        lines.append(f"{pos}: error: run {first.run} (seed {first.seed}): {message}")
        lines.extend(f"    hidden: {detail}" for detail in first.details)
        if first.kind == "loop":
            lines.append(f"    route: {describe_loop(first.start, first.moves)}")
        else:
            lines.append(f"    route: {describe(first.start, first.moves)}")
            lines.append(f"    replay it as a playthrough: steps: {as_steps(first.moves)}")
        lines.append(f"    rerun: {_rerun(report, first, where)}")
        if len(problems) > 1:
            lines.append(f"    ({len(problems) - 1} more runs failed the same way)")
    return lines


def _rerun(report: RandomReport, problem: Finding, where: str) -> str:
    assert problem.run is not None, "a random run's finding names its run"
    if report.strategy == "uniform":
        flags = f"--seed {problem.seed} --runs 1 --strategy uniform"
    else:  # least-taken runs depend on every run before them
        flags = f"--seed {report.seed} --runs {problem.run + 1} --strategy least-taken"
    return f"offscreen test {where} {flags} --max-steps {report.max_steps}"


# -- exhaustive search ---------------------------------------------------------------------------

_EXHAUSTIVE_UNITS: dict[cov.ItemKind, str] = {
    "scene": "distinct states in the scene",
    "choice": "distinct states it was taken from",
    "fact": "distinct moves unlocking it",
    "ending": "distinct states at it",
}


def _rolled(story: Story, finding: Finding) -> bool:
    """Whether a finding's route takes a move whose effects roll random() (format v2)."""
    for move in finding.moves:
        scene = story.scenes[move.scene]
        choice = next((c for c in scene.choices if c.id == move.choice), None)
        if choice is not None and rolls(choice.effects, story.scenes[move.to].on_enter):
            return True
    return False


def exhaustive_report(story: Story, found: ExhaustiveReport) -> tuple[list[str], str]:
    lines = [""]
    if found.complete:
        lines.append(f"== exhaustive search: complete, {found.states} distinct states "
                     f"(budget {found.max_states}): what it did not reach is proven "
                     "unreachable")
    else:
        lines.append(f"== exhaustive search: INCOMPLETE, the budget of {found.max_states} "
                     "states ran out. What it reached is reachable; it proves NOTHING about "
                     "the rest (raise --max-states, or use random runs)")
        lines.append(f"growing: {', '.join(found.growing)} (a loop keeps making new states "
                     "from it: bound it, or set it back in the loop)" if found.growing else
                     "growing: nothing went past what a route without loops gives it; the "
                     "story has more distinct states than the budget")
        if found.trapped:
            lines.append("the loops below were explored in full: they are proven")
    for where in found.too_wide:
        lines.append(f"{where}: random() has more outcomes than the search tries for one "
                     f"choice ({MAX_OUTCOMES}): the rest were not explored; narrow its range "
                     "to prove this story")
    lines.append(PROOF_SCOPE)
    for kind, findings in (("stuck", found.stuck), ("error", found.errors),
                           ("loop", found.trapped)):
        for finding in findings[:MAX_REPORTED]:
            lines.append(f"{finding.pos}: error: {finding.message}")
            lines.extend(f"    hidden: {detail}" for detail in finding.details)
            if finding.laps:  # no route replays it: it fails after ~10^15 laps
                lines.append(f"    route into the loop: {describe(finding.start, finding.moves)}")
                continue
            lines.append(f"    shortest route: {describe(finding.start, finding.moves)}")
            if kind != "loop":
                lines.append(f"    replay it as a playthrough: steps: {as_steps(finding.moves)}")
            if _rolled(story, finding):
                lines.append("    (the route rolls random(): some of its outcomes lead here, "
                             "not all, so the playthrough may need other rolls)")
        if len(findings) > MAX_REPORTED:
            lines.append(f"... and {len(findings) - MAX_REPORTED} more")
    if found.trapped_states:
        lines.append(f"{found.trapped_states} distinct states can never reach an ending")
    lines.append("")
    lines.append("== coverage of the exhaustive search")
    missing = "proven unreachable" if found.complete else "not reached (unproven)"
    lines.extend(_coverage(story, found.coverage, missing, _EXHAUSTIVE_UNITS))
    problems = len(found.stuck) + len(found.errors) + len(found.trapped)
    verdict = (f"the exhaustive search found {problems} problem{'s' if problems != 1 else ''}"
               if problems else "")
    return lines, verdict


PROOF_SCOPE = ("proof covers: scenes, choices, facts, endings, stuck states, run-time errors, "
               "endless loops (not which paragraphs or {name} values a scene shows)")


def not_proven(found: ExhaustiveReport) -> str:
    """Why an exhaustive search proves nothing beyond what it reached ('' once it does)."""
    if found.complete:
        return ""
    growing = f"; growing: {', '.join(found.growing)}" if found.growing else ""
    return f"the exhaustive search ran out of its {found.max_states} states{growing}"


# -- coverage and scripted playthroughs ----------------------------------------------------------

def _coverage(story: Story, coverage: cov.Coverage, missing: str,
              units: dict[cov.ItemKind, str] | None) -> list[str]:
    lines = cov.report(story, coverage, units)
    never = cov.unreached(story, coverage)
    lines.append("")
    lines.append(f"{missing}: {len(never) or 'nothing'}"
                 f"{'' if never else ' - every scene, choice, fact and ending was reached'}")
    lines.extend(cov.unreached_lines(never, missing))
    lines.append(f"reached: {cov.totals(story, coverage).summary()}")
    return lines


def scripted_report(story: Story) -> tuple[list[str], str]:
    results = scripted.run_all(story)
    lines = ["", f"== scripted playthroughs: {len(results)}"]
    if not results:
        lines.append("none yet: add a top-level 'playthroughs:' key "
                     "(see `offscreen docs author-tools`)")
    failed = 0
    for result in results:
        p = result.playthrough
        if result.failure is None:
            scene = story.scenes[result.state.scene]
            end = (f"ending '{scene.ending.id}'" if scene.ending is not None
                   else f"scene '{scene.id}'")
            seeded = f", seed {p.seed}" if p.seed else ""
            lines.append(f"ok: playthrough '{p.name}' ({len(p.steps)} steps, at {end}"
                         f"{seeded})  {p.pos}")
            continue
        failed += 1
        f = result.failure
        lines.append(f"{f.pos}: error: {f.message}")
        lines.extend(f"    {detail}" for detail in f.details)
        lines.append(f"    route so far: {f.route}")
        if p.seed:
            lines.append(f"    game seed: {p.seed} (the playthrough's 'seed')")
    verdict = f"{failed} of {len(results)} scripted playthroughs failed" if failed else ""
    return lines, verdict

