"""``fidelity check`` (the CI gate), ``fidelity init`` (a starter config) and ``fidelity rules``.

Thin: parse options, load the config (``fidelity.config``), call ``fidelity.gate.run_check``,
render with one of ``fidelity.report``'s formats, choose the exit code:

    0  no pair fails the policy (or --exit-zero)
    1  a pair has a finding at or above fail-on, or a score below min-score
    2  configuration or usage error (nothing checked), or a pair's file missing or unreadable
       (every other pair is still checked and reported; --exit-zero does not hide this)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from fidelity.cli import cache as cache_options
from fidelity.cli.common import (
    EXIT_ERROR,
    EXIT_FINDINGS,
    EXIT_OK,
    check_output,
    guarded,
    parse_severity,
    split_list,
    write_output,
)
from fidelity.cli.rules import rules

if TYPE_CHECKING:
    from fidelity.config import Config, PairSpec, PolicyPatch
    from fidelity.gate import CheckResult

ENV_FORMAT = "FIDELITY_OUTPUT_FORMAT"


def register(app: typer.Typer) -> None:
    app.command("check")(check)
    app.command("init")(init)
    app.command("rules")(rules)


@guarded
def check(
    paths: list[str] | None = typer.Argument(None, help="ORIGINAL COPY [COPY...]: one original against these copies (default: the pairs in the config)."),
    config: Path | None = typer.Option(None, "--config", "-c", help="Config file (default: nearest fidelity.toml or pyproject.toml [tool.fidelity], walking up)."),
    manifest: Path | None = typer.Option(None, "--manifest", help="CSV (original,copy,partner) or JSONL manifest of pairs to check."),
    output_format: str | None = typer.Option(None, "--output-format", "--format", "-f", help="text, concise, json, jsonl, github, sarif, junit, gitlab, markdown (also FIDELITY_OUTPUT_FORMAT or output-format in the config), or html: a folder of pages (-o DIR), an index and one page per pair."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the report to this file (atomically; never one of the inputs) instead of stdout; - for stdout (for html: this folder)."),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="Exit 0 even when pairs fail the policy (report-only runs); errors still exit 2."),
    fail_on: str | None = typer.Option(None, "--fail-on", help="Fail a pair with a finding at or above this severity: minor, major, critical (overrides the config)."),
    min_score: float | None = typer.Option(None, "--min-score", help="Fail a pair whose score (0-100) is below this (overrides the config)."),
    select: list[str] | None = typer.Option(None, "--select", help="Only these rules or categories (comma-separated, repeatable)."),
    ignore: list[str] | None = typer.Option(None, "--ignore", help="Skip these rules or categories (comma-separated, repeatable)."),
    model: str | None = typer.Option(None, "--model", "-m", help="Sentence embedder: auto (per pair: minilm for two English texts, else use-m3), minilm, use-m3, hashing (overrides the config)."),
    partner: str | None = typer.Option(None, "--partner", help="Partner name for the copies given as arguments."),
    width: int | None = typer.Option(None, "--width", help="Terminal width for the text format (default: detect)."),
    color: bool | None = typer.Option(None, "--color/--no-color", help="Force colour on or off for the text format."),
    changed: bool = typer.Option(False, "--changed", help="PATHS are changed files (the pre-commit hook): check only the configured pairs that use one of them, all when the config changed; exit 0 when none does."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar (it shows only on a terminal, never under CI)."),
    cache_dir: Path | None = cache_options.CACHE_DIR,
    no_cache: bool = cache_options.NO_CACHE,
) -> None:
    """Check every configured pair against the policy; exit 0 pass, 1 fail, 2 error.

    A pair whose file is missing or unreadable is an error row; the others are still checked,
    and the run exits 2.
    """
    cache_options.apply(cache_dir, no_cache)
    from dataclasses import replace

    from fidelity.config import OUTPUT_FORMATS, PairSpec, PolicyPatch, find_config, load_config
    from fidelity.errors import ConfigError
    from fidelity.gate import repository_root, run_check
    from fidelity.manifest import read_manifest

    cfg = load_config(config if config is not None else find_config())
    if model is not None:
        from fidelity.cli.common import check_model_language

        check_model_language(model, "auto", "lines")  # fail early, naming the choices
        cfg = replace(cfg, model=model)
    fmt = _format(output_format, cfg.output_format, OUTPUT_FORMATS)
    if fmt == "html" and (output is None or str(output) == "-" or output.is_file()):
        raise ConfigError("--output-format html writes a folder of pages (index.html and one page per pair): give -o DIR")
    patch = PolicyPatch(
        fail_on=parse_severity(fail_on, "--fail-on") if fail_on is not None else None,
        min_score=_score(min_score),
        select=split_list(select),
        ignore=split_list(ignore),
    )
    _validate_rules(patch)

    pairs: list[PairSpec] | None = None
    if changed:
        pairs = _touched(cfg, paths or [])
        if not pairs:
            print("fidelity: no configured pair uses the changed files; nothing to check", file=sys.stderr)
            raise typer.Exit(EXIT_OK)
    elif paths:
        if len(paths) < 2:
            raise ConfigError("give ORIGINAL and at least one COPY (or no paths, to check the pairs in the config)")
        pairs = [PairSpec(Path(paths[0]), Path(c), partner, "command line") for c in paths[1:]]
    if manifest is not None:
        pairs = (pairs or []) + read_manifest(manifest, root=cfg.root)

    inputs = _inputs(pairs, cfg, config, manifest)
    if fmt != "html":
        check_output(output, inputs)
    # Code-scanning formats locate files from the repository root, whatever the working folder.
    base = repository_root() if fmt in ("github", "sarif", "gitlab") else None
    from fidelity.cli.progress import bar

    with bar(quiet or (pairs is not None and len(pairs) < 2), "check") as progress:
        task = progress.add_task("check", total=len(pairs) if pairs is not None else len(cfg.pairs))
        result = run_check(cfg, pairs=pairs, patch=patch, base=base, on_pair=lambda: progress.advance(task))
    _emit(result, fmt, output, width, color, inputs, cfg.information_uri)
    if result.errored:
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_FINDINGS if result.failed and not exit_zero else EXIT_OK)


def _touched(cfg: Config, changed: list[str]) -> list[PairSpec]:
    """The configured pairs whose original, copy or manifest is among ``changed`` (every pair
    when the config file itself changed)."""
    files = {os.path.abspath(p) for p in changed}
    if cfg.path is not None and os.path.abspath(cfg.path) in files:
        return list(cfg.pairs)

    def uses(pair: PairSpec) -> bool:
        manifest = pair.source.rsplit(":", 1)[0] if pair.source else ""
        return any(os.path.abspath(p) in files for p in (pair.original, pair.copy, manifest) if str(p))

    return [pair for pair in cfg.pairs if uses(pair)]


def _inputs(pairs: list[PairSpec] | None, cfg: Config, config: Path | None, manifest: Path | None) -> list[Path]:
    """Every file the run reads, which --output must not overwrite."""
    listed = pairs if pairs is not None else list(cfg.pairs)
    files = [p for pair in listed for p in (pair.original, pair.copy)]
    return files + [p for p in (cfg.path, config, manifest) if p is not None]


def _format(flag: str | None, configured: str | None, choices: tuple[str, ...]) -> str:
    """--output-format, then $FIDELITY_OUTPUT_FORMAT, then the config, then text."""
    from fidelity.errors import ConfigError

    for value, where in ((flag, "--output-format"), (os.environ.get(ENV_FORMAT) or None, ENV_FORMAT), (configured, "config")):
        if value is None:
            continue
        if value.lower() not in choices:
            raise ConfigError(f"{where}: unknown output format {value!r}; choose one of: {', '.join(choices)}")
        return value.lower()
    return "text"


def _score(value: float | None) -> float | None:
    from fidelity.errors import ConfigError

    if value is not None and not 0 <= value <= 100:
        raise ConfigError(f"--min-score: expected a number from 0 to 100, got {value:g}")
    return value


def _validate_rules(patch: PolicyPatch) -> None:
    from fidelity.rules import selected

    selected(patch.select, patch.ignore)  # ConfigError naming the choices


def _emit(result: CheckResult, fmt: str, output: Path | None, width: int | None, color: bool | None, inputs: list[Path],
          information_uri: str | None = None) -> None:
    if fmt == "html" and output is not None:
        from fidelity.report import html

        output.mkdir(parents=True, exist_ok=True)
        pages = html.render_check(result)
        for name, page in pages.items():
            write_output(page, output / name, inputs)  # never over an input, each page atomically
        print(f"fidelity: wrote {output / 'index.html'} and {len(pages) - 1} pair pages", file=sys.stderr)
        return
    if fmt == "text":
        from fidelity.report.summary import CheckView
        from fidelity.report.terminal import make_console

        if output is not None and str(output) != "-":
            import io

            buffer = io.StringIO()
            make_console(file=buffer, width=width or 120, color=bool(color)).print(CheckView(result))
            write_output(buffer.getvalue(), output, inputs)
        else:
            make_console(width=width, color=color).print(CheckView(result))
        return
    module = __import__(f"fidelity.report.{'jsonl' if fmt == 'json' else fmt}", fromlist=["render"])
    if fmt == "json":
        text = module.render_json(result)
    else:
        text = module.render(result, information_uri=information_uri) if fmt == "sarif" else module.render(result)
    write_output(text, output, inputs)
    if fmt == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        _step_summary(Path(os.environ["GITHUB_STEP_SUMMARY"]), result)


def _step_summary(path: Path, result: CheckResult) -> None:
    from fidelity.report.github import SUMMARY_LIMIT, step_summary

    used = path.stat().st_size if path.exists() else 0
    room = SUMMARY_LIMIT - used
    if room < 4096:
        print(f"fidelity: warning: {path} is nearly 1 MiB already; step summary not written", file=sys.stderr)
        return
    with path.open("a", encoding="utf-8") as fh:
        fh.write(step_summary(result, limit=room))


@guarded
def init(
    path: Path = typer.Option(Path("fidelity.toml"), "--path", help="Where to write the starter config."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
) -> None:
    """Write a commented starter fidelity.toml."""
    from fidelity.config import STARTER
    from fidelity.errors import ConfigError

    if path.exists() and not force:
        raise ConfigError(f"{path} already exists; use --force to overwrite it")
    path.write_text(STARTER, encoding="utf-8")
    print(f"wrote {path}; edit [[pairs]], [[globs]] or manifest, then run `fidelity check`")
