"""``--output-format markdown`` (and the GitHub step summary): a Markdown report of a check run.

In: a ``CheckResult``. Out: a heading with the totals, the summary table (one row per pair),
then per pair the errors and findings (failing ones first), and the signature. ``limit``
caps the size in bytes (UTF-8): pair sections that do not fit are left out and a line says so.
"""

from __future__ import annotations

from fidelity.gate import CheckResult, PairResult, one_line
from fidelity.report.escape import markdown, markdown_code

_ICON = {"pass": "✅ pass", "fail": "❌ fail", "error": "⚠️ error"}


def _cell(text: str) -> str:
    return markdown(one_line(text))


def _table(result: CheckResult) -> list[str]:
    lines = ["| partner | copy | verdict | score | critical | major | minor | status |", "|---|---|---|---:|---:|---:|---:|---|"]
    for r in result.results:
        if r.report is None:
            lines.append(f"| {_cell(r.partner or '-')} | {markdown_code(r.copy)} | error | - | - | - | - | {_ICON[r.status]} |")
            continue
        c = r.report.counts
        lines.append(
            f"| {_cell(r.partner or '-')} | {markdown_code(r.copy)} | {r.report.verdict.value} | {r.report.score:.1f} "
            f"| {c['critical']} | {c['major']} | {c['minor']} | {_ICON[r.status]} |"
        )
    return lines


def _section(r: PairResult) -> str:
    annotations = sorted(r.annotations(), key=lambda a: ("error", "warning", "note").index(a.level))
    if not annotations:
        return ""
    head = f"### {_ICON[r.status]}: {markdown_code(r.copy)}" + (f" ({_cell(r.partner)})" if r.partner else "")
    lines = [head, "", f"original {markdown_code(r.original)}, fail-on {r.policy.fail_on.value}" + (f", min-score {r.policy.min_score:g}" if r.policy.min_score is not None else ""), ""]
    for a in annotations:
        sev = a.severity.value if a.severity is not None else a.level
        loc = a.location
        lines.append(f"- **{a.rule}** ({sev}) {markdown_code(f'{loc.path}:{loc.line}')}: {_cell(a.message)}")
    return "\n".join(lines) + "\n"


def render(result: CheckResult, *, limit: int | None = None) -> str:
    n = len(result.results)
    head = [
        "## fidelity check",
        "",
        f"{n} pair{'s' if n != 1 else ''}: **{result.passed} passed, {result.failed} failed, {result.errored} errors**",
        "",
        *_table(result),
        "",
    ]
    foot = f"\n<sub>signature: `{result.signature}`</sub>\n"
    out = "\n".join(head)
    budget = None if limit is None else limit - len(foot.encode()) - 200  # room for the truncation note
    left_out = 0
    for r in result.results:
        section = _section(r)
        if not section:
            continue
        if budget is not None and len((out + "\n" + section).encode()) > budget:
            left_out += 1
            continue
        out += "\n" + section
    if left_out:
        out += f"\n_{left_out} pair sections left out to keep this report under {limit} bytes._\n"
    if budget is not None and len((out + foot).encode()) > limit:  # type: ignore[operator]
        out = out.encode()[: max(0, budget)].decode(errors="ignore") + "\n\n_truncated_\n"
    return out + foot
