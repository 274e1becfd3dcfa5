"""``fidelity batch IN.jsonl -o OUT.jsonl`` and ``fidelity bench demetr|mqm|honest``: many pairs per run.

Thin commands over ``fidelity.batch`` (read, compare, write one JSON line per input line)
and ``fidelity.eval`` (the benchmarks' measures); they parse options, show progress on stderr
and render tables.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from fidelity.cli.common import EXIT_FINDINGS, EXIT_OK, Split, TextOrJson, guarded, parse_severity, split_list


class BenchSetting(StrEnum):
    independent = "independent"
    derived = "derived"
    both = "both"


class BenchSplit(StrEnum):
    dev = "dev"
    test = "test"
    all = "all"


class MqmSplit(StrEnum):
    dev = "dev"
    test = "test"


class HonestSplit(StrEnum):
    dev = "dev"
    heldout = "heldout"
    every8 = "every8"
    all = "all"




bench_app = typer.Typer(
    name="bench",
    help="Measure fidelity against baselines on a benchmark.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def register(app: typer.Typer) -> None:
    app.command("batch", no_args_is_help=True)(batch)
    app.add_typer(bench_app, name="bench")


def _progress(quiet: bool, total: int | None, label: str) -> Any:
    """A rich progress bar on stderr, disabled off a terminal or with --quiet."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    console = Console(stderr=True)
    return Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=quiet or not sys.stderr.isatty(),
        transient=True,
    )


@guarded
def batch(
    input: str = typer.Argument(..., help='JSONL file, one {"id", "original", "copy"} (or original_path/copy_path) per line; - for stdin.'),
    output: str = typer.Option("-", "--output", "-o", help="Write the JSONL results here (default: stdout)."),
    model: str = typer.Option("minilm", "--model", "-m", help="Sentence embedder: minilm (English), use-m3 (multilingual), hashing (lexical, no model)."),
    language: str = typer.Option("en", "--language", "-l", help="Language of the texts, for the sentence segmenter."),
    split: Split = typer.Option(Split.sentences, "--split", help="sentences: split with Punkt; lines: one sentence per line, as given."),
    keep_boilerplate: bool = typer.Option(False, "--keep-boilerplate", help="Do not set aside page furniture (menus, share counters, related links)."),
    fail_on: str = typer.Option("major", "--fail-on", help="Exit 1 when a finding in any pair reaches this severity: minor, major, critical."),
    select: list[str] | None = typer.Option(None, "--select", help="Only these rules or categories (comma-separated, repeatable)."),
    ignore: list[str] | None = typer.Option(None, "--ignore", help="Skip these rules or categories (comma-separated, repeatable)."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Worker processes (each loads its own model)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no summary line (errors on lines are still reported)."),
) -> None:
    """Compare many pairs: one result line per input line, in input order.

    A malformed line (bad JSON, missing key, unreadable path, empty text) is reported on
    stderr with its line number, written to the output as {"id", "line", "error"} and
    skipped. Exit code 0 when no finding reaches --fail-on, 1 when one does, 2 when the
    input file or an option is unusable.
    """
    import json

    from fidelity.batch import DEFAULT_CHUNK, BatchError, read_pairs, record, run_batch
    from fidelity.checks.base import selected
    from fidelity.embed import get_embedder
    from fidelity.errors import InputError
    from fidelity.pipeline import Options
    from fidelity.segment import language_name

    fail = parse_severity(fail_on, "--fail-on")
    if split == Split.sentences:
        language_name(language)  # fail early on a language without a segmenter
    options = Options(model=model, language=language, split=split.value, select=split_list(select), ignore=split_list(ignore) or ())
    selected(options.select, options.ignore)  # unknown rule names: exit 2 before any work
    get_embedder(model)  # unknown model: exit 2 before any work
    if input == "-":
        raw = sys.stdin.buffer.read().splitlines()
        base = None
    else:
        path = Path(input)
        if not path.is_file():
            raise InputError(input, "no such file" if not path.exists() else "is not a file")
        try:
            raw = path.read_bytes().splitlines()
        except OSError as exc:
            raise InputError(input, f"cannot be read ({exc.strerror or exc})") from None
        base = path.resolve().parent
    try:
        sink = sys.stdout if output == "-" else open(output, "w", encoding="utf-8")
    except OSError as exc:
        raise InputError(output, f"cannot be written ({exc.strerror or exc})") from None

    total = sum(1 for line in raw if line.strip())
    done = errors = failing = 0
    progress = _progress(quiet, total, "batch")
    try:
        with progress:
            task = progress.add_task("batch", total=total)
            chunk = DEFAULT_CHUNK if jobs == 1 else 128
            for item in run_batch(read_pairs(raw, base=base), options=options, keep_boilerplate=keep_boilerplate, jobs=jobs, chunk_size=chunk):
                sink.write(json.dumps(record(item), ensure_ascii=False) + "\n")
                progress.advance(task)
                if isinstance(item, BatchError):
                    errors += 1
                    who = f" (id {item.id!r})" if item.id is not None else ""
                    progress.console.print(f"fidelity: line {item.line}{who}: {item.message}", markup=False, highlight=False)
                    continue
                done += 1
                if any(f.severity >= fail for f in item.report.findings):
                    failing += 1
    finally:
        if sink is not sys.stdout:
            sink.close()
        else:
            sink.flush()
    if not quiet:
        print(f"fidelity: {done} pairs compared, {errors} lines skipped, {failing} with a finding at {fail.value} or above", file=sys.stderr)
    raise typer.Exit(EXIT_FINDINGS if failing else EXIT_OK)


_JUDGE_HELP = "Also apply the learned judge to the same reports and report it beside the checks (--no-judge: the checks only)."
_CACHE_HELP = "Keep the reports in this folder, keyed by options, texts and code, so a rerun compares nothing twice."


@bench_app.command("demetr")
@guarded
def demetr(
    data: Path | None = typer.Option(None, "--data", help="DEMETR JSONL file or its folder (default: benchmarks/data/demetr-flores/ in the repository)."),
    setting: BenchSetting = typer.Option(BenchSetting.both, "--setting", help="independent: reference vs perturbed MT; derived: clean MT vs perturbed MT; both."),
    split: BenchSplit = typer.Option(BenchSplit.dev, "--split", help="dev: even item ids (tune on these); test: odd item ids (held out); all."),
    model: str = typer.Option("minilm", "--model", "-m", help="Embedder for fidelity and for the cosine baseline: minilm, use-m3, hashing."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="Only the first N items (quick runs)."),
    format: TextOrJson = typer.Option(TextOrJson.text, "--format", "-f", help="text: rich tables; json: one JSON document."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the result here instead of stdout."),
    select: list[str] | None = typer.Option(None, "--select", help="Only these rules or categories (comma-separated, repeatable)."),
    ignore: list[str] | None = typer.Option(None, "--ignore", help="Skip these rules or categories (comma-separated, repeatable)."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Worker processes for fidelity (each loads its own model)."),
    judge: bool = typer.Option(False, "--judge/--no-judge", help=_JUDGE_HELP),
    cache: Path | None = typer.Option(None, "--cache", help=_CACHE_HELP + " One process: not with --jobs."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    width: int | None = typer.Option(None, "--width", help="Table width (default: detect)."),
) -> None:
    """DEMETR: per perturbation and severity, fidelity's flags and pairwise accuracy beside chrF, BLEU and cosine."""
    import json

    from fidelity import bench
    from fidelity.checks.base import selected
    from fidelity.embed import get_embedder
    from fidelity.pipeline import Options

    options = Options(model=model, select=split_list(select), ignore=split_list(ignore) or ())
    selected(options.select, options.ignore)
    get_embedder(model)
    rows = bench.load(data, split=split.value, limit_items=limit)  # type: ignore[arg-type]
    settings = bench.SETTINGS if setting == BenchSetting.both else (setting.value,)
    progress = _progress(quiet, None, "DEMETR")
    with progress:
        task = progress.add_task("DEMETR", total=len(rows) * len(settings))
        result = bench.run(rows, settings=settings, options=options, split=split.value, jobs=jobs, judge=judge, cache=cache, on_item=lambda: progress.advance(task))  # type: ignore[arg-type]
    if format == TextOrJson.json:
        text = json.dumps(result.to_dict(), indent=2) + "\n"
        if output is None:
            sys.stdout.write(text)
        else:
            output.write_text(text, encoding="utf-8")
    else:
        _print(result, output, width)
    raise typer.Exit(EXIT_OK)


@bench_app.command("mqm")
@guarded
def mqm(
    data: Path | None = typer.Option(None, "--data", help="WMT23 MQM folder or JSONL file (default: benchmarks/data/wmt23-zhen-mqm/ in the repository)."),
    split: MqmSplit = typer.Option(MqmSplit.test, "--split", help="dev: tune on these documents; test: the held-out documents."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="Only the first N rows (quick runs)."),
    judge: bool = typer.Option(True, "--judge/--no-judge", help=_JUDGE_HELP),
    cache: Path | None = typer.Option(None, "--cache", help=_CACHE_HELP),
    format: TextOrJson = typer.Option(TextOrJson.text, "--format", "-f", help="text: rich tables; json: one JSON document."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the result here instead of stdout."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    width: int | None = typer.Option(None, "--width", help="Table width (default: detect)."),
) -> None:
    """WMT23 zh-en MQM (natural errors): Kendall tau, AUROC, flags and span F1 beside chrF, BLEU and cosine."""
    from fidelity.eval import mqm as bench

    rows = bench.load(data, split=split.value, limit=limit)  # type: ignore[arg-type]
    _run_eval(bench, rows, split.value, judge, cache, format, output, quiet, width, "WMT23 MQM")


@bench_app.command("honest")
@guarded
def honest(
    data: Path | None = typer.Option(None, "--data", help="honest.jsonl or its folder (default: benchmarks/data/wmt22-honest/ in the repository)."),
    split: HonestSplit = typer.Option(HonestSplit.heldout, "--split", help="dev: cs-en + zh-en (calibrate here); heldout: de-en (report here); every8: every 8th row; all."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="Only the first N rows (quick runs)."),
    judge: bool = typer.Option(True, "--judge/--no-judge", help=_JUDGE_HELP),
    cache: Path | None = typer.Option(None, "--cache", help=_CACHE_HELP),
    format: TextOrJson = typer.Option(TextOrJson.text, "--format", "-f", help="text: rich tables; json: one JSON document."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the result here instead of stdout."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    width: int | None = typer.Option(None, "--width", help="Table width (default: detect)."),
) -> None:
    """WMT22 honest re-translations (no error expected): pairs flagged and not-a-copy beside chrF, BLEU and cosine."""
    from fidelity.eval import honest as bench

    rows = bench.load(data, split=split.value, limit=limit)  # type: ignore[arg-type]
    _run_eval(bench, rows, split.value, judge, cache, format, output, quiet, width, "honest")


def _run_eval(bench: Any, rows: list[Any], split: str, judge: bool, cache: Path | None, format: TextOrJson, output: Path | None, quiet: bool, width: int | None, label: str) -> None:
    import json

    from fidelity.pipeline import Options

    progress = _progress(quiet, None, label)
    with progress:
        task = progress.add_task(label, total=len(rows))
        result = bench.run(rows, options=Options(), split=split, judge=judge, cache=cache, on_item=lambda: progress.advance(task))
    if format == TextOrJson.json:
        text = json.dumps(result.to_dict(), indent=2) + "\n"
        if output is None:
            sys.stdout.write(text)
        else:
            output.write_text(text, encoding="utf-8")
    else:
        _print(result, output, width)
    raise typer.Exit(EXIT_OK)


def _print(renderable: Any, output: Path | None, width: int | None) -> None:
    from rich.console import Console

    if output is None:
        Console(width=width).print(renderable)
    else:
        with output.open("w", encoding="utf-8") as fh:
            Console(file=fh, width=width or 140, color_system=None).print(renderable)
