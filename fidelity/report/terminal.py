"""The report for a person: a rich renderable (``TerminalView``) drawing the header and
the document in reading order, original beside copy, changed words highlighted, findings
under their pair. Below ``NARROW`` columns the two sides stack instead of standing side
by side; when piped, rich drops colour codes by itself.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import IO

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from fidelity.report.escape import terminal
from fidelity.thresholds import Thresholds
from fidelity.types import DocumentSummary, Finding, Pair, Report, Severity, Verdict

NARROW = 100

SEVERITY_STYLE = {Severity.MINOR: "cyan", Severity.MAJOR: "yellow", Severity.CRITICAL: "bold red"}
VERDICT_STYLE = {
    Verdict.IDENTICAL: "bold green",
    Verdict.FAITHFUL: "bold green",
    Verdict.EDITED: "bold yellow",
    Verdict.DISTORTED: "bold red",
    Verdict.NOT_A_COPY: "bold magenta",
}
VERDICT_GLOSS = {
    Verdict.IDENTICAL: "the copy is the original",
    Verdict.FAITHFUL: "the copy says what the original says",
    Verdict.EDITED: "faithful text, but content omitted, added or moved",
    Verdict.DISTORTED: "the copy changes what the original says",
    Verdict.NOT_A_COPY: "too little of the original is in it to be a copy",
}


def make_console(*, file: IO[str] | None = None, width: int | None = None, color: bool | None = None) -> Console:
    # color=None leaves the choice to rich, which honours NO_COLOR (no-color.org) and
    # FORCE_COLOR; --color/--no-color decide explicitly.
    return Console(
        file=file,
        width=width,
        force_terminal=color if color else None,
        no_color=True if color is False else None,
        color_system="auto" if color is not False else None,
        highlight=False,
        soft_wrap=False,
    )


class TerminalView:
    def __init__(self, report: Report, *, min_severity: Severity = Severity.MINOR, only_flagged: bool = False) -> None:
        self.report = report
        self.min_severity = min_severity
        self.only_flagged = only_flagged

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self._header()
        narrow = options.max_width < NARROW
        copy_pos = {j: p for p in self.report.pairs for j in p.copy}
        moved = sorted((p.copy[0], p) for p in self.report.pairs if p.kind == "moved" and p.copy)
        hidden = 0
        pairs: Iterable[Pair] = self.report.pairs
        if self.report.verdict == Verdict.NOT_A_COPY:
            # listing every unmatched sentence of an unrelated text says nothing: show what matched
            th = Thresholds()  # the same test the coverage figures use
            pairs = [p for p in self.report.pairs if p.original and p.copy and th.counterpart(p.similarity, p.chrf)]
            yield Text(
                f"Not a copy: {self.report.original.sentences - sum(len(p.original) for p in pairs)} sentences of the "
                f"original and {self.report.copy.sentences - sum(len(p.copy) for p in pairs)} of the copy have no "
                "counterpart and are not listed; the few sentences that do match follow.",
                style="magenta",
            )
        for block in _blocks(pairs):
            first = block[0]
            # where the copy has a moved passage, say so at that place in reading order
            while moved and first.kind in ("match", "addition") and first.copy and first.copy[0] > moved[0][0]:
                _, m = moved.pop(0)
                yield Text.assemble(
                    ("  ↳ ", "magenta"),
                    (f"here the copy has the passage moved from original {_range(m.original)}: ", "magenta"),
                    (_clip(m.copy_text, options.max_width - 60), "dim"),
                )
            findings = [f for p in block for f in p.findings if f.severity >= self.min_severity]
            unchanged = first.kind == "match" and first.drift == 0.0 and not first.findings
            if self.only_flagged and not findings:
                hidden += len(block)
                continue
            if unchanged:
                yield Text.assemble(("  = ", "dim"), (_clip(first.original_text, options.max_width - 6), "dim"))
                continue
            yield Text("")
            yield self._pair(_merge(block), narrow, copy_pos)
            seen: dict[tuple[str, str, str], int] = {}
            for f in findings:  # one line per distinct finding in a block: "×3" for three sentences
                key = (f.rule, f.severity.value, f.message)
                seen[key] = seen.get(key, 0) + 1
            for f in findings:
                key = (f.rule, f.severity.value, f.message)
                if key in seen:
                    yield _finding_line(f, seen.pop(key))
        doc_findings = [f for f in self.report.findings if f.pair is None and f.severity >= self.min_severity]
        if doc_findings:
            yield Text("")
            yield Text("Across the document", style="bold")
            for f in doc_findings:
                yield _finding_line(f)
                for o, c in f.occurrences:
                    yield Text.assemble(("      · ", "dim"), (terminal(o.text) if o else "∅", "red"), (" → ", "dim"), (terminal(c.text) if c else "∅", "green"))
        if hidden:
            yield Text(f"\n{hidden} pairs without findings not shown (--only-flagged)", style="dim")

    def _header(self) -> Panel:
        r = self.report
        counts = r.counts
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold")
        grid.add_column()
        grid.add_row("original", _doc_line(r.original))
        grid.add_row("copy", _doc_line(r.copy))
        grid.add_row("verdict", Text.assemble((r.verdict.value, VERDICT_STYLE[r.verdict]), f"  {VERDICT_GLOSS[r.verdict]}"))
        grid.add_row("score", f"{r.score:.1f} / 100")
        grid.add_row(
            "coverage",
            f"{r.original.coverage:.0%} of the original's {r.original.sentences} sentences are in the copy; "
            f"{r.copy.coverage:.0%} of the copy's {r.copy.sentences} come from the original",
        )
        grid.add_row(
            "findings",
            Text.assemble(
                (f"{counts['critical']} critical", SEVERITY_STYLE[Severity.CRITICAL]), ", ",
                (f"{counts['major']} major", SEVERITY_STYLE[Severity.MAJOR]), ", ",
                (f"{counts['minor']} minor", SEVERITY_STYLE[Severity.MINOR]),
            ),
        )
        grid.add_row("signature", Text(r.signature, style="dim", overflow="fold"))
        return Panel(grid, title="[bold]fidelity[/]", title_align="left")

    def _pair(self, pair: Pair, narrow: bool, copy_pos: dict[int, Pair]) -> Table | Group:
        left, right = highlight_pair(pair.original_text, pair.copy_text)
        label = _label(pair)
        if pair.kind == "moved" and pair.copy:
            label.append(f" (in the copy at sentence {pair.copy[0] + 1})", style="magenta")
        if narrow:
            parts: list[Text] = [label]
            if pair.original_text:
                parts.append(Text.assemble(("− ", "red"), left))
            if pair.copy_text:
                parts.append(Text.assemble(("+ ", "green"), right))
            return Group(*parts)
        table = Table(box=box.MINIMAL, show_header=False, show_edge=False, expand=True, padding=(0, 1))
        table.add_column(ratio=1)
        table.add_column(ratio=1)
        table.add_row(left if pair.original_text else Text("∅", style="dim"), right if pair.copy_text else Text("∅", style="dim"))
        return Group(label, table)


def _blocks(pairs: Iterable[Pair]) -> list[list[Pair]]:
    """Runs of omitted (or added) sentences become one block: a dropped paragraph reads as one."""
    blocks: list[list[Pair]] = []
    for p in pairs:
        if blocks and p.kind in ("omission", "addition") and blocks[-1][-1].kind == p.kind:
            blocks[-1].append(p)
        else:
            blocks.append([p])
    return blocks


def _merge(block: list[Pair]) -> Pair:
    if len(block) == 1:
        return block[0]
    first = block[0]
    return Pair(
        first.index,
        first.kind,
        tuple(i for p in block for i in p.original),
        tuple(j for p in block for j in p.copy),
        " ".join(p.original_text for p in block if p.original_text),
        " ".join(p.copy_text for p in block if p.copy_text),
        None,
        None,
        None,
    )


def _doc_line(d: DocumentSummary) -> Text:
    text = Text(terminal(d.name), style="bold")
    text.append(f"  {d.sentences} sentences", style="dim")
    if d.boilerplate_lines:
        text.append(f", {d.boilerplate_lines} lines of page furniture set aside (--keep-boilerplate keeps them)", style="dim")
    return text


def _label(pair: Pair) -> Text:
    where = []
    if pair.original:
        where.append("original " + _range(pair.original))
    if pair.copy:
        where.append("copy " + _range(pair.copy))
    style = {"match": "bold", "omission": "bold red", "addition": "bold green", "moved": "bold magenta"}[pair.kind]
    kind = {"match": "changed", "omission": "omitted", "addition": "added", "moved": "moved"}[pair.kind]
    extra = ""
    if pair.similarity is not None:
        extra = f"  similarity {pair.similarity:.2f}  chrF {pair.chrf:.0f}  drift {pair.drift:.2f}"
    return Text.assemble((kind, style), ("  " + " · ".join(where), "dim"), (extra, "dim"))


def _range(indices: Iterable[int]) -> str:
    idx = [i + 1 for i in indices]
    return f"#{idx[0]}" if len(idx) == 1 else f"#{idx[0]}–{idx[-1]}"


def _finding_line(f: Finding, times: int = 1) -> Text:
    text = Text("    ")
    text.append(f"{f.severity.value:<9}", style=SEVERITY_STYLE[f.severity])
    text.append(f"{f.rule:<22}", style="bold")
    text.append(terminal(f.message))
    if times > 1:
        text.append(f"  (×{times})", style="dim")
    return text


def _clip(text: str, width: int) -> str:
    width = max(10, width)
    text = terminal(text)
    return text if len(text) <= width else text[: width - 1] + "…"


_TOKEN = re.compile(r"\S+")


def highlight_pair(original: str, copy: str) -> tuple[Text, Text]:
    """Both texts with the words that differ highlighted (compared in folded form)."""
    from fidelity.extract import normalize

    original, copy = terminal(original), terminal(copy)  # text from the inputs, never escape codes
    a = list(_TOKEN.finditer(original))
    b = list(_TOKEN.finditer(copy))
    fa = [normalize(m.group()).casefold() for m in a]
    fb = [normalize(m.group()).casefold() for m in b]
    left, right = Text(original), Text(copy)
    matcher = difflib.SequenceMatcher(a=fa, b=fb, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if i2 > i1:
            left.stylize("bold red", a[i1].start(), a[i2 - 1].end())
        if j2 > j1:
            right.stylize("bold green", b[j1].start(), b[j2 - 1].end())
    return left, right
