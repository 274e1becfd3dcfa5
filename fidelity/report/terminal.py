"""The report for a person: a rich renderable (``TerminalView``) drawing the header, a
summary of what matters most (critical, then major findings, one line each with its place;
the same finding in several pairs on one line), then the document in reading order,
original beside copy, changed words highlighted, findings under their pair.
``summary_only`` stops after the summary. Below ``NARROW`` columns the two sides stack
instead of standing side by side; when piped, rich drops colour codes by itself. Every
string from the inputs goes through ``escape.terminal``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from fidelity.report.digest import (
    VERDICT_GLOSS,
    Headline,
    across_languages,
    blocks,
    changed_words,
    counted,
    coverage,
    headlines,
    kind_label,
    numbers,
    placed,
    readable,
    segments,
    where,
)
from fidelity.report.escape import terminal
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
    """The header, a summary of what matters most, then (unless ``summary_only``) the body."""

    def __init__(
        self,
        report: Report,
        *,
        min_severity: Severity = Severity.MINOR,
        only_flagged: bool = False,
        summary_only: bool = False,
    ) -> None:
        self.report = report
        self.min_severity = min_severity
        self.only_flagged = only_flagged
        self.summary_only = summary_only

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self._header()
        yield from self._summary(options.max_width)
        if not self.summary_only:
            yield from self._body(options.max_width)

    def _summary(self, width: int) -> Iterator[Text]:
        floor = max(Severity.MAJOR, self.min_severity)
        lines = headlines(self.report, floor=floor)
        yield Text("")
        title = "What matters most" if floor == Severity.MAJOR else "What matters most (critical only: --min-severity critical)"
        yield Text(title, style="bold")
        if not lines:
            yield Text("  no critical or major findings", style="green")
        narrow = width < NARROW
        places = [self._place(h) for h in lines]
        rule_w = max((len(h.rule) for h in lines), default=0) + 2
        place_w = max((len(p) for p in places), default=0) + 2
        for h, at in zip(lines, places, strict=True):
            line = Text("  ", no_wrap=True, overflow="ellipsis")
            line.append(f"{h.severity.value:<10}", style=SEVERITY_STYLE[h.severity])
            if not narrow:
                line.append(f"{h.rule:<{rule_w}}", style="bold")
            line.append(f"{at:<{place_w}}", style="dim")
            line.append(terminal(h.message))
            yield line
        lower = sum(1 for f in self.report.findings if self.min_severity <= f.severity < floor)
        findings = f"{lower} minor finding{'s' if lower != 1 else ''}"
        if lower and self.summary_only:
            yield Text(f"  {findings} not listed (without --summary, each is shown with its pair)", style="dim")
        elif lower:
            yield Text(f"  {findings} {'are' if lower != 1 else 'is'} shown with {'their pairs' if lower != 1 else 'its pair'} below", style="dim")

    def _place(self, h: Headline) -> str:
        if not h.pairs:
            return f"{h.places} sentences" if h.places > 1 else "whole document"
        at = where(self.report.pairs[h.pairs[0]])
        return at if len(h.pairs) == 1 else f"{at}, +{len(h.pairs) - 1} more"

    def _body(self, width: int) -> Iterator[RenderableType]:
        narrow = width < NARROW
        hidden = 0
        pairs, note = readable(self.report)
        if note:
            yield Text("")
            yield Text(note, style="magenta")
        if pairs:
            yield Text("")
            yield Text("The copy beside the original, in reading order", style="bold")
        for moved_here, block in placed(self.report.pairs, blocks(pairs)):
            first = block[0]
            for m in moved_here:  # where the copy has a moved passage, say so at that place in reading order
                yield Text.assemble(
                    ("  ↳ ", "magenta"),
                    (f"here the copy has the passage moved from original {numbers(m.original)}: ", "magenta"),
                    (terminal(_clip(m.copy_text, width - 60)), "dim"),
                )
            findings = [f for p in block for f in p.findings if f.severity >= self.min_severity]
            # one dim line for a sentence the copy keeps as it was; a translation's is shown beside it
            unchanged = first.kind == "match" and first.drift == 0.0 and not first.findings and not across_languages(first)
            if self.only_flagged and not findings:
                hidden += len(block)
                continue
            if unchanged:
                yield Text.assemble(("  = ", "dim"), (terminal(_clip(first.original_text, width - 6)), "dim"))
                continue
            yield Text("")
            yield self._pair(_merge(block), narrow)
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
                    yield Text.assemble(
                        ("      · ", "dim"), (terminal(o.text) if o else "∅", "red"), (" → ", "dim"), (terminal(c.text) if c else "∅", "green")
                    )
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
            coverage(r),
        )
        grid.add_row(
            "findings",
            Text.assemble(
                (f"{counts['critical']} critical", SEVERITY_STYLE[Severity.CRITICAL]), ", ",
                (f"{counts['major']} major", SEVERITY_STYLE[Severity.MAJOR]), ", ",
                (f"{counts['minor']} minor", SEVERITY_STYLE[Severity.MINOR]),
            ),
        )
        note = _language_note(*r.languages)
        if note:
            grid.add_row("languages", Text(note))
        grid.add_row("signature", Text(r.signature, style="dim", overflow="fold"))
        return Panel(grid, title="[bold]fidelity[/]", title_align="left")

    def _pair(self, pair: Pair, narrow: bool) -> Table | Group:
        left, right = highlight_pair(pair.original_text, pair.copy_text, words=not across_languages(pair))
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
    text.append(f"  {counted(d.sentences)}", style="dim")
    if d.boilerplate_lines:
        text.append(f", {d.boilerplate_lines} lines of page furniture set aside (--keep-boilerplate keeps them)", style="dim")
    return text


def _language_note(lang_o: str, lang_c: str) -> str:
    """What a report outside English can and cannot check (rules.Reads), or "" for English."""
    if lang_o != lang_c:
        return (f"{lang_o} -> {lang_c}: meaning compared by a multilingual model, figures written in digits, sentences left untranslated; "
                "the checks that compare words (names, negation, wording) do not run across languages")  # fmt: skip
    if lang_o and lang_o not in ("en", "english"):
        return (f"{lang_o}: the checks that need English (names, negation, wording, drift) do not run; "
                "figures, word order, omissions and additions are checked")  # fmt: skip
    return ""


def _label(pair: Pair) -> Text:
    style = {"match": "bold", "omission": "bold red", "addition": "bold green", "moved": "bold magenta"}[pair.kind]
    kind = kind_label(pair)
    extra = ""
    if pair.similarity is not None:
        chrf = f"  chrF {pair.chrf:.0f}" if pair.chrf is not None else ""  # none between two languages
        extra = f"  similarity {pair.similarity:.2f}{chrf}  drift {pair.drift:.2f}"
    return Text.assemble((kind, style), ("  " + where(pair), "dim"), (extra, "dim"))


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


def highlight_pair(original: str, copy: str, *, words: bool = True) -> tuple[Text, Text]:
    """Both texts, made safe for a terminal, with the words that differ highlighted (``words``:
    off between two languages, where every word differs)."""
    left, right = changed_words(original, copy) if words else ([], [])
    return _styled(original, left, "bold red"), _styled(copy, right, "bold green")


def _styled(text: str, spans: list[tuple[int, int]], style: str) -> Text:
    out = Text()
    for piece, changed in segments(text, spans):  # escaped piece by piece, so the spans stay where they were
        out.append(terminal(piece), style if changed else None)
    return out
