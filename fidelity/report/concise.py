"""``--output-format concise``: one line per annotation, ``path:line:col: RULE severity message``.

In: a ``CheckResult``. Out: text a compiler-error parser (editors, problem matchers) reads,
ending with a count line that carries the signature.
"""

from __future__ import annotations

from fidelity.gate import Annotation, CheckResult, one_line
from fidelity.report.escape import terminal


def line(a: Annotation) -> str:
    severity = a.severity.value if a.severity is not None else a.level
    loc = a.location
    return terminal(f"{one_line(loc.path)}:{loc.line}:{loc.column}: {a.rule} {severity} {one_line(a.message)}")


def footer(result: CheckResult) -> str:
    n = len(result.results)
    return (
        f"{n} pair{'s' if n != 1 else ''}: {result.passed} passed, {result.failed} failed, {result.errored} errors; "
        f"findings: {result.counts.get('critical', 0)} critical, {result.counts.get('major', 0)} major, {result.counts.get('minor', 0)} minor; "
        f"signature: {result.signature}"
    )


def render(result: CheckResult) -> str:
    lines = [line(a) for _, a in result.annotations()]
    lines.append(footer(result))
    return "\n".join(lines) + "\n"
