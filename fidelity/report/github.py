"""``--output-format github``: GitHub Actions workflow commands, one annotation per finding.

In: a ``CheckResult``. Out: ``::error file=...,line=...,title=...::message`` lines with the
runner's escaping (``fidelity.report.escape.workflow_data`` / ``workflow_property``; every
line, log lines too, so no name can start a command of its own), at most ``MAX_PER_LEVEL`` errors,
warnings and notices (GitHub shows no more per step), plain log lines with each pair's
status and the signature. ``step_summary`` is the Markdown the CLI appends to
``$GITHUB_STEP_SUMMARY``, kept under ``SUMMARY_LIMIT``.
"""

from __future__ import annotations

from fidelity.gate import Annotation, CheckResult
from fidelity.report import concise, markdown
from fidelity.report.escape import workflow_data, workflow_property

MAX_PER_LEVEL = 10
SUMMARY_LIMIT = 1024 * 1024 - 1024  # GitHub refuses a step summary of 1 MiB or more
COMMAND = {"error": "error", "warning": "warning", "note": "notice"}


def command(a: Annotation, partner: str | None = None) -> str:
    loc = a.location
    props = [f"file={workflow_property(loc.path)}", f"line={loc.line}", f"endLine={loc.end_line}"]
    if loc.line == loc.end_line:  # GitHub ignores columns on multi-line annotations
        props += [f"col={loc.column}", f"endColumn={loc.end_column}"]
    severity = a.severity.value if a.severity is not None else a.level
    title = f"fidelity {a.rule} ({severity})" + (f" [{partner}]" if partner else "")
    props.append(f"title={workflow_property(title)}")
    return f"::{COMMAND[a.level]} {','.join(props)}::{workflow_data(a.message)}"


def render(result: CheckResult) -> str:
    lines: list[str] = []
    used = {"error": 0, "warning": 0, "note": 0}
    dropped = {"error": 0, "warning": 0, "note": 0}
    for r, a in sorted(result.annotations(), key=lambda ra: ("error", "warning", "note").index(ra[1].level)):
        if used[a.level] >= MAX_PER_LEVEL:
            dropped[a.level] += 1
            continue
        used[a.level] += 1
        lines.append(command(a, r.partner))
    for r in result.results:
        score = f"score {r.report.score:.1f}, {r.report.verdict.value}" if r.report else (r.error or "error")
        lines.append(workflow_data(f"fidelity: {r.status}: {r.name} ({score})"))
    if any(dropped.values()):
        lines.append(
            "fidelity: not annotated (GitHub shows at most "
            f"{MAX_PER_LEVEL} per kind): {dropped['error']} errors, {dropped['warning']} warnings, {dropped['note']} notices; see the step summary"
        )
    lines.append(workflow_data(concise.footer(result)))
    return "\n".join(lines) + "\n"


def step_summary(result: CheckResult, *, limit: int = SUMMARY_LIMIT) -> str:
    return markdown.render(result, limit=limit)
