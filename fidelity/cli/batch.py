"""``fidelity batch IN.jsonl -o OUT.jsonl`` and ``fidelity bench demetr|mqm|honest``: many pairs per run.

Thin commands over ``fidelity.batch`` (read, compare, write one JSON line per input line)
and ``fidelity.eval`` (the benchmarks' measures); they parse options, show progress on stderr
and render tables.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterable
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from fidelity.cli import cache as cache_options
from fidelity.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    Split,
    TextOrJson,
    check_model_language,
    check_output,
    guarded,
    output_file,
    parse_severity,
    split_list,
    write_output,
)


class Engine(StrEnum):
    """``--engine`` of ``fidelity batch``: this process (and --jobs workers), or Ray Data."""

    local = "local"
    ray = "ray"


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


def _report(console: Any | None, line: str) -> None:
    """One error line on stderr, made safe for a terminal: through the progress bar's console on a
    terminal (so the bar stays below it), as a plain unwrapped line otherwise or without one."""
    from fidelity.report.escape import terminal

    line = " ".join(terminal(line).split("\n"))
    if console is not None and sys.stderr.isatty():
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    else:
        print(line, file=sys.stderr)


def _progress(quiet: bool, total: int | None, label: str) -> Any:
    from fidelity.cli.progress import bar

    return bar(quiet, label)


@guarded
def batch(
    input: str = typer.Argument(..., help='JSONL file, one {"id", "original", "copy"} (or original_path/copy_path) per line; - for stdin.'),
    output: str = typer.Option("-", "--output", "-o", help="Write the JSONL results here, atomically when the run ends (never the input; - for stdout, the default)."),
    model: str = typer.Option("auto", "--model", "-m", help="Sentence embedder: auto (minilm for two English texts, use-m3 for any other language or two languages; per pair), minilm (English), use-m3 (multilingual), hashing (lexical, no model)."),
    language: str = typer.Option("auto", "--language", "-l", help="Language of the texts (en), or ORIGINAL:COPY (de:fr); auto: each text's own, told from its common words (per pair)."),
    split: Split = typer.Option(Split.sentences, "--split", help="sentences: split with Punkt; lines: one sentence per line, as given."),
    keep_boilerplate: bool = typer.Option(False, "--keep-boilerplate", help="Do not set aside page furniture (menus, share counters, related links)."),
    fail_on: str = typer.Option("major", "--fail-on", help="Exit 1 when a finding in any pair reaches this severity: minor, major, critical."),
    select: list[str] | None = typer.Option(None, "--select", help="Only these rules or categories (comma-separated, repeatable)."),
    ignore: list[str] | None = typer.Option(None, "--ignore", help="Skip these rules or categories (comma-separated, repeatable)."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Worker processes (each loads its own model)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no summary line (errors on lines are still reported)."),
    cache_dir: Path | None = cache_options.CACHE_DIR,
    no_cache: bool = cache_options.NO_CACHE,
    engine: Engine = typer.Option(Engine.local, "--engine", help="local: this machine (--jobs processes); ray: a Ray Data actor pool (pip install 'fidelity[ray]'; docs/scale-out.md)."),
    actors: int = typer.Option(2, "--actors", min=1, help="--engine ray: actors, each with its own model (one CPU each)."),
    ray_address: str | None = typer.Option(None, "--ray-address", help="--engine ray: the cluster to join (auto inside `ray job submit`; default: start a local Ray)."),
) -> None:
    """Compare many pairs: one result line per input line, in input order.

    A malformed line (bad JSON, missing key, unreadable or non-regular path, empty text, a
    line over the size limit, nesting too deep) is reported on stderr with its line number,
    written to the output as {"id", "line", "error"} and skipped; the good lines are kept.
    The input is read a line at a time, so `batch -` on an endless stream runs in bounded
    memory. Exit code 0 when no finding reaches --fail-on, 1 when one does, 2 when the
    input file or an option is unusable.
    """
    cache_options.apply(cache_dir, no_cache)
    import json

    from fidelity.batch import DEFAULT_CHUNK, BatchError, read_pairs, record, run_batch
    from fidelity.limits import lines as limits_lines
    from fidelity.pipeline import Options
    from fidelity.rules import selected

    fail = parse_severity(fail_on, "--fail-on")
    check_model_language(model, language, split)  # exit 2 before any work
    options = Options(model=model, language=language, split=split.value, select=split_list(select), ignore=split_list(ignore) or ())
    selected(options.select, options.ignore)  # unknown rule names: exit 2 before any work
    check_output(output, (input,))
    if input == "-":
        stream, base, total = sys.stdin.buffer, None, None
    else:
        from fidelity.limits import open_regular

        stream = open_regular(input)  # a FIFO or device is refused: it could block forever
        base = Path(input).resolve().parent
        total = sum(1 for line in limits_lines(stream) if line is None or line.strip())
        stream.seek(0)
    if engine == Engine.ray:
        from fidelity.cli.progress import enabled as progress_enabled

        try:
            _batch_on_ray(limits_lines(stream), base, output, (input,), options, keep_boilerplate, fail, actors, ray_address, quiet, progress_enabled(quiet))
        finally:
            if stream is not sys.stdin.buffer:
                stream.close()

    from fidelity.report.escape import json_text

    done = errors = failing = 0
    progress = _progress(quiet, total, "batch")
    try:
        with progress, output_file(output, (input,)) as sink:
            task = progress.add_task("batch", total=total)
            chunk = DEFAULT_CHUNK if jobs == 1 else 128
            written = Path(output) if output is not None and str(output) != "-" else None
            for item in run_batch(read_pairs(limits_lines(stream), base=base, output=written), options=options, keep_boilerplate=keep_boilerplate, jobs=jobs, chunk_size=chunk):
                if isinstance(item, BatchError) and item.names_output:
                    _keep_output(item.line, output)
                sink.write(json_text(json.dumps(record(item), ensure_ascii=False)) + "\n")
                if sink is sys.stdout:
                    sink.flush()  # a reader of the stream sees each result as it comes
                progress.advance(task)
                if isinstance(item, BatchError):
                    errors += 1
                    who = f" (id {item.id!r})" if item.id is not None else ""
                    _report(progress.console, f"fidelity: line {item.line}{who}: {item.message}")
                    continue
                done += 1
                if any(f.severity >= fail for f in item.report.findings):
                    failing += 1
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    if not quiet:
        print(f"fidelity: {done} pairs compared, {errors} lines skipped, {failing} with a finding at {fail.value} or above", file=sys.stderr)
    raise typer.Exit(EXIT_FINDINGS if failing else EXIT_OK)


def _keep_output(line: int, output: str | Path) -> None:
    """A line names the output file as a document: stop before the results replace it (the
    writer then keeps the file as it was)."""
    from fidelity.errors import ConfigError

    raise ConfigError(f"line {line} names --output {output} as a document; stopped, and {output} is kept as it was")


def _batch_on_ray(raw: Iterable[bytes | None], base: Path | None, output: str, inputs: tuple[str, ...], options: Any, keep: bool, fail: Any, actors: int, address: str | None, quiet: bool, progress: bool) -> None:
    """``--engine ray``: the same records through ``fidelity.engines.ray``; JSONL, or Parquet for a .parquet output."""
    from fidelity.engines import ray as ray_engine

    written = Path(output) if output != "-" else None
    rows = ray_engine.run(raw, options=options, keep_boilerplate=keep, base=base, fail_on=fail, actors=actors, address=address, progress=progress, output=written)
    counts = {"done": 0, "errors": 0, "failing": 0}

    def counted(rows: Any) -> Any:
        for row in rows:
            if row.names_output:
                _keep_output(row.line, output)
            counts["errors" if row.error else "done"] += 1
            counts["failing"] += row.fails
            if row.error and not quiet:
                import json

                bad = json.loads(row.record)
                who = f" (id {bad['id']!r})" if bad.get("id") is not None else ""
                _report(None, f"fidelity: line {row.line}{who}: {bad['error']}")
            yield row

    if output.endswith(".parquet"):
        ray_engine.write_parquet(counted(rows), Path(output))
    else:
        with output_file(output, inputs) as sink:
            for row in counted(rows):
                sink.write(row.record + "\n")
    if not quiet:
        print(f"fidelity: {counts['done']} pairs compared, {counts['errors']} lines skipped, {counts['failing']} with a finding at {fail.value} or above", file=sys.stderr)
    raise typer.Exit(EXIT_FINDINGS if counts["failing"] else EXIT_OK)


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
    format: TextOrJson = typer.Option(TextOrJson.text, "--output-format", "--format", "-f", help="text: rich tables; json: one JSON document."),
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
    from fidelity.embed import get_embedder
    from fidelity.pipeline import Options
    from fidelity.rules import selected

    options = Options(model=model, language="en", select=split_list(select), ignore=split_list(ignore) or ())  # DEMETR is English
    selected(options.select, options.ignore)
    get_embedder(model)
    source = _demetr_data(data, bench.DEFAULT_DATA)
    inputs = _bench_inputs(source, cache)
    check_output(output, inputs)  # before the run, which takes minutes
    rows = bench.load(source, split=split.value, limit_items=limit)  # type: ignore[arg-type]
    settings = bench.SETTINGS if setting == BenchSetting.both else (setting.value,)
    progress = _progress(quiet, None, "DEMETR")
    with progress:
        task = progress.add_task("DEMETR", total=len(rows) * len(settings))
        result = bench.run(rows, settings=settings, options=options, split=split.value, jobs=jobs, judge=judge, cache=cache, on_item=lambda: progress.advance(task))  # type: ignore[arg-type]
    if format == TextOrJson.json:
        write_output(json.dumps(result.to_dict(), indent=2) + "\n", output, inputs)
    else:
        _print(result, output, width, inputs)
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

    inputs = _bench_inputs(data if data is not None else bench.DEFAULT_DATA, cache)
    check_output(output, inputs)
    rows = bench.load(data, split=split.value, limit=limit)  # type: ignore[arg-type]
    _run_eval(bench.run, rows, split.value, judge, cache, format, output, inputs, quiet, width, "WMT23 MQM")


@bench_app.command("honest")
@guarded
def honest(
    data: Path | None = typer.Option(None, "--data", help="honest.jsonl or its folder (default: benchmarks/data/wmt22-honest/ in the repository)."),
    split: HonestSplit = typer.Option(HonestSplit.heldout, "--split", help="dev: cs-en + zh-en (calibrate here); heldout: de-en (report here); every8: every 8th row; all."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="Only the first N rows (quick runs)."),
    documents: int | None = typer.Option(None, "--documents", min=2, help="Join every N consecutive lines of one language pair into a document and compare documents: verdicts and major+ findings per 100 aligned pairs."),
    judge: bool = typer.Option(True, "--judge/--no-judge", help=_JUDGE_HELP),
    cache: Path | None = typer.Option(None, "--cache", help=_CACHE_HELP),
    format: TextOrJson = typer.Option(TextOrJson.text, "--format", "-f", help="text: rich tables; json: one JSON document."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the result here instead of stdout."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    width: int | None = typer.Option(None, "--width", help="Table width (default: detect)."),
) -> None:
    """WMT22 honest re-translations (no error expected): pairs flagged and not-a-copy beside chrF, BLEU and cosine; with --documents, whole documents."""
    from fidelity.eval import honest as bench

    inputs = _bench_inputs(data if data is not None else bench.DEFAULT_DATA, cache)
    check_output(output, inputs)
    rows = bench.load(data, split=split.value, limit=limit)  # type: ignore[arg-type]
    if documents is None:
        _run_eval(bench.run, rows, split.value, judge, cache, format, output, inputs, quiet, width, "honest")
    else:
        docs = bench.documents(rows, documents)
        if not docs:
            from fidelity.errors import ConfigError

            raise ConfigError(f"no document of {documents} lines in split {split.value!r} (fewer consecutive lines of one language pair)")
        run_documents = functools.partial(bench.run_documents, size=documents)
        _run_eval(run_documents, docs, split.value, judge, cache, format, output, inputs, quiet, width, "honest documents")


def _run_eval(run: Callable[..., Any], rows: list[Any], split: str, judge: bool, cache: Path | None, format: TextOrJson, output: Path | None, inputs: list[Path], quiet: bool, width: int | None, label: str) -> None:
    """``run`` (a bench's ``run``) over ``rows`` with a progress bar, its result printed or written."""
    import json

    from fidelity.pipeline import Options

    progress = _progress(quiet, None, label)
    with progress:
        task = progress.add_task(label, total=len(rows))
        result = run(rows, options=Options(model="minilm", language="en"), split=split, judge=judge, cache=cache, on_item=lambda: progress.advance(task))
    if format == TextOrJson.json:
        write_output(json.dumps(result.to_dict(), indent=2) + "\n", output, inputs)
    else:
        _print(result, output, width, inputs)
    raise typer.Exit(EXIT_OK)


def _bench_inputs(source: Path, cache: Path | None) -> list[Path]:
    """Every file a benchmark run reads (its data file, or the files of its data folder, and
    the cache), which ``--output`` must not replace."""
    files = sorted(p for p in source.rglob("*") if p.is_file()) if source.is_dir() else [source]
    return files + ([cache] if cache is not None else [])


def _demetr_data(given: Path | None, packaged: Path) -> Path:
    """--data, else the repository's copy seen from the current folder, else the one beside the
    source tree; an installed wheel has neither, which is said in one line, not a traceback."""
    from fidelity.errors import ConfigError

    if given is not None:
        return given
    here = Path("benchmarks") / "data" / "demetr-flores" / packaged.name
    for candidate in (here, packaged):
        if candidate.is_file():
            return candidate
    raise ConfigError(f"no DEMETR data at {here} or {packaged} (an installed fidelity does not ship it); give --data FILE, from a clone's benchmarks/data/demetr-flores/")


def _print(renderable: Any, output: Path | None, width: int | None, inputs: list[Path]) -> None:
    from rich.console import Console

    if output is None or str(output) == "-":
        Console(width=width).print(renderable)
    else:
        import io

        buffer = io.StringIO()
        Console(file=buffer, width=width or 140, color_system=None).print(renderable)
        write_output(buffer.getvalue(), output, inputs)
