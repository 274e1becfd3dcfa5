"""The concise summary of a ``fidelity check`` run, one row per pair, as a rich renderable.

In: a ``CheckResult``. Out: ``CheckView`` draws the table (partner, copy, verdict, score,
counts, status), the errors, the findings that fail the policy (``path:line:col`` lines, as in
the concise format) and a footer with the signature; it is the ``text`` output format.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text

from fidelity.gate import CheckResult, PairResult
from fidelity.report import concise
from fidelity.report.escape import terminal

STATUS_STYLE = {"pass": "bold green", "fail": "bold red", "error": "bold magenta"}


def table(result: CheckResult) -> Table:
    t = Table(title=None, show_edge=False, pad_edge=False, header_style="bold")
    t.add_column("partner")
    t.add_column("copy", overflow="fold")
    t.add_column("verdict")
    t.add_column("score", justify="right")
    t.add_column("crit", justify="right")
    t.add_column("major", justify="right")
    t.add_column("minor", justify="right")
    t.add_column("status")
    for r in result.results:
        t.add_row(*_row(r))
    return t


def _row(r: PairResult) -> list[str | Text]:
    status = Text(r.status, style=STATUS_STYLE[r.status])
    if r.report is None:
        return [Text(terminal(r.partner or "-")), Text(terminal(r.copy)), Text("error", style="magenta"), "-", "-", "-", "-", status]
    c = r.report.counts
    # Names come from the inputs: Text, never a markup string ("[/bold].txt" would crash rich).
    return [Text(terminal(r.partner or "-")), Text(terminal(r.copy)), r.report.verdict.value, f"{r.report.score:.1f}", str(c["critical"]), str(c["major"]), str(c["minor"]), status]


class CheckView:
    def __init__(self, result: CheckResult) -> None:
        self.result = result

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield table(self.result)
        shown = [(r, a) for r, a in self.result.annotations() if a.level == "error"]
        hidden = sum(1 for _, a in self.result.annotations() if a.level != "error")
        if shown:
            yield Text("")
            for _, a in shown:
                yield Text(terminal(concise.line(a)), style="red" if a.rule == "input-error" else "")
        if hidden:
            yield Text(f"{hidden} findings under the fail-on severity not listed (--output-format concise lists all)", style="dim")
        yield Text("")
        yield Text(terminal(concise.footer(self.result)), style="dim")
