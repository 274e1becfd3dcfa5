"""``fidelity diff ORIGINAL COPY``: the report for a person (or ``--format json``)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from fidelity.cli import cache as cache_options
from fidelity.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    Split,
    check_model_language,
    check_output,
    guarded,
    parse_severity,
    split_list,
    write_output,
)


class DiffFormat(StrEnum):
    """``--format`` of ``fidelity diff``: the terminal report, JSON, or a self-contained HTML page."""

    text = "text"
    json = "json"
    html = "html"


def register(app: typer.Typer) -> None:
    app.command("diff", no_args_is_help=True)(diff)


@guarded
def diff(
    original: str = typer.Argument(..., help="Original file, or - for stdin."),
    copy: str = typer.Argument(..., help="Copy file, or - for stdin."),
    format: DiffFormat = typer.Option(DiffFormat.text, "--output-format", "--format", "-f", help="Output format: text (terminal), json, html (one self-contained page for a browser)."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the report to this file (atomically; never one of the inputs) instead of stdout; - for stdout."),
    model: str = typer.Option("auto", "--model", "-m", help="Sentence embedder: auto (minilm for two English texts, use-m3 for any other language or two languages), minilm (English), use-m3 (multilingual), hashing (lexical, no model)."),
    language: str = typer.Option("auto", "--language", "-l", help="Language of both texts (en), or ORIGINAL:COPY (de:fr); auto: each text's own, told from its common words. Chooses the segmenter, the default model and, across two languages, the checks (only those that do not compare words)."),
    split: Split = typer.Option(Split.sentences, "--split", help="sentences: split with Punkt; lines: one sentence per line, as given."),
    keep_boilerplate: bool = typer.Option(False, "--keep-boilerplate", help="Do not set aside page furniture (menus, share counters, related links)."),
    fail_on: str = typer.Option("major", "--fail-on", help="Exit 1 when a finding reaches this severity: minor, major, critical."),
    min_severity: str = typer.Option("minor", "--min-severity", help="Show findings at or above this severity."),
    only_flagged: bool = typer.Option(False, "--only-flagged", help="Show only pairs with findings."),
    judge: str | None = typer.Option(None, "--judge", help="Let a learned judge re-grade the findings' severity (experimental, not the default: fewer false alarms, but it also demotes real errors; two English texts only; see the README): judge-v2, judge-v4 or judge-v5."),
    summary: bool = typer.Option(False, "--summary", help="Print only the header and the summary of the critical and major findings."),
    select: list[str] | None = typer.Option(None, "--select", help="Only these rules or categories (comma-separated, repeatable)."),
    ignore: list[str] | None = typer.Option(None, "--ignore", help="Skip these rules or categories (comma-separated, repeatable)."),
    width: int | None = typer.Option(None, "--width", help="Terminal width for the report (default: detect)."),
    color: bool | None = typer.Option(None, "--color/--no-color", help="Force colour on or off (default: on for a terminal, off when piped)."),
    cache_dir: Path | None = cache_options.CACHE_DIR,
    no_cache: bool = cache_options.NO_CACHE,
) -> None:
    """Compare COPY against ORIGINAL and report where it does not say the same thing.

    Exit code 0 when no finding reaches --fail-on, 1 when one does, 2 on any error.
    """
    cache_options.apply(cache_dir, no_cache)
    from fidelity.errors import ConfigError
    from fidelity.extract import TextFormat, extract
    from fidelity.pipeline import Options, compare

    fail = parse_severity(fail_on, "--fail-on")
    shown = parse_severity(min_severity, "--min-severity")
    if original == "-" and copy == "-":
        raise ConfigError("only one of ORIGINAL and COPY can be - (stdin)")
    check_output(output, (original, copy))
    fmt: TextFormat = "lines" if split == Split.lines else "auto"
    check_model_language(model, language, split)
    doc_o = extract(original, format=fmt, keep_boilerplate=keep_boilerplate)
    doc_c = extract(copy, format=fmt, keep_boilerplate=keep_boilerplate)
    if judge is not None:
        from fidelity.judge import Judge

        Judge.load(judge)  # an unknown name: exit 2 before any work, naming the choices
    options = Options(model=model, language=language, split=split.value, select=split_list(select), ignore=split_list(ignore) or (), judge=judge)
    report = compare(doc_o, doc_c, options=options)

    if format == DiffFormat.json:
        from fidelity.report.json import render

        write_output(render(report), output, (original, copy))
    elif format == DiffFormat.html:
        from fidelity.report import html

        write_output(html.render(report), output, (original, copy))
    else:
        from fidelity.report.terminal import TerminalView, make_console

        view = TerminalView(report, min_severity=shown, only_flagged=only_flagged, summary_only=summary)
        if output is not None and str(output) != "-":
            import io

            buffer = io.StringIO()
            make_console(file=buffer, width=width or 120, color=bool(color)).print(view)
            write_output(buffer.getvalue(), output, (original, copy))
        else:
            make_console(width=width, color=color).print(view)
    failing = any(f.severity >= fail for f in report.findings)
    raise typer.Exit(EXIT_FINDINGS if failing else EXIT_OK)

