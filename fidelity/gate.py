"""The quiet library behind ``fidelity check``: ``run_check(config) -> CheckResult``.

In: a ``Config`` (pairs, policy, overrides, glossary) or an explicit list of pairs. Out: one
``PairResult`` per pair — its ``Report`` and effective ``Policy``, or the input error that
stopped it — and the run's signature. A pair whose file is missing or unreadable becomes an
error row; the other pairs are still compared. Every pair shares one ``CachedEmbedder``, so an
original checked against many copies is read and embedded once.

``PairResult.annotations()`` turns a result into what the CI formats show at a place in a
file (findings, a score below ``min-score``, an input error), so that every renderer
(concise, github, sarif, gitlab, junit, markdown) reads the same list. Never prints or exits.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from fidelity.config import Config, PairSpec, Policy, PolicyPatch
from fidelity.embed import CachedEmbedder, Embedder, get_embedder, initial_model
from fidelity.errors import ConfigError, FidelityError, InputError
from fidelity.types import Document, Finding, Report, Severity

Level = Literal["error", "warning", "note"]
Status = Literal["pass", "fail", "error"]

GATE_RULES: dict[str, str] = {
    "min-score": "The copy's score is below the policy's min-score.",
    "input-error": "A file of the pair is missing or cannot be read as a document.",
}
"""Pseudo-rules the gate itself reports (not checks, so not in the registry)."""


@dataclass(frozen=True)
class Location:
    """1-based line and column range in a file (``path`` as shown to the user)."""

    path: str
    line: int = 1
    column: int = 1
    end_line: int = 1
    end_column: int = 1


@dataclass(frozen=True)
class Annotation:
    """One thing a CI format shows at a place: a finding, a score below min-score, or an input error."""

    rule: str
    level: Level  # error: fails the gate; warning: major or critical but under fail-on; note: the rest
    message: str
    location: Location
    fingerprint: str
    severity: Severity | None = None  # None for the gate's own rules
    category: str | None = None
    finding: Finding | None = None


@dataclass(frozen=True)
class PairResult:
    original: str  # paths as shown to the user
    copy: str
    partner: str | None
    policy: Policy
    report: Report | None = None
    error: str | None = None
    error_path: str | None = None  # the file the error is about
    seconds: float = 0.0

    @property
    def name(self) -> str:
        return f"{self.partner}: {self.copy}" if self.partner else self.copy

    @property
    def failing(self) -> tuple[Finding, ...]:
        """Findings at or above the policy's fail-on severity."""
        if self.report is None:
            return ()
        return tuple(f for f in self.report.findings if f.severity >= self.policy.fail_on)

    @property
    def below_min_score(self) -> bool:
        return self.report is not None and self.policy.min_score is not None and self.report.score < self.policy.min_score

    @property
    def status(self) -> Status:
        if self.report is None:
            return "error"
        return "fail" if self.failing or self.below_min_score else "pass"

    def level(self, finding: Finding) -> Level:
        if finding.severity >= self.policy.fail_on:
            return "error"
        return "warning" if finding.severity >= Severity.MAJOR else "note"

    def locate(self, finding: Finding) -> Location:
        """Where the finding is in the copy; an omission (no copy span) points into the original."""
        if self.report is not None:
            if finding.copy_span is not None:
                return _location(self.copy, self.report.copy_doc, finding.copy_span.start, finding.copy_span.end)
            if finding.original_span is not None:
                return _location(self.original, self.report.original_doc, finding.original_span.start, finding.original_span.end)
        return Location(self.copy)

    def annotations(self) -> list[Annotation]:
        """Every finding (with its level under this pair's policy), then the gate's own problems."""
        if self.report is None:
            where = self.error_path or self.copy
            fp = _hash("input-error", where, self.error or "")
            return [Annotation("input-error", "error", self.error or "error", Location(where), fp)]
        out = [
            Annotation(f.rule, self.level(f), f.message, self.locate(f), f.fingerprint, f.severity, f.category.value, f)
            for f in self.report.findings
        ]
        if self.below_min_score:
            message = f"score {self.report.score:.1f} is below min-score {self.policy.min_score:g} (verdict: {self.report.verdict.value})"
            out.append(Annotation("min-score", "error", message, Location(self.copy), _hash("min-score", self.original, self.copy)))
        return out


@dataclass(frozen=True)
class CheckResult:
    results: tuple[PairResult, ...]
    signature: str
    embedded: int = 0  # texts sent to the model over the whole run
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def passed(self) -> int:
        return sum(r.status == "pass" for r in self.results)

    @property
    def failed(self) -> int:
        return sum(r.status == "fail" for r in self.results)

    @property
    def errored(self) -> int:
        return sum(r.status == "error" for r in self.results)

    def annotations(self) -> list[tuple[PairResult, Annotation]]:
        return [(r, a) for r in self.results for a in r.annotations()]


def run_check(
    config: Config,
    *,
    pairs: Sequence[PairSpec] | None = None,
    patch: PolicyPatch | None = None,
    embedder: Embedder | None = None,
    base: Path | None = None,
    on_pair: Callable[[], None] | None = None,
) -> CheckResult:
    """Compare every pair (``config.pairs`` unless ``pairs`` is given) under its policy.

    ``patch`` (command-line policy) is applied after the config's overrides. Pass an
    ``embedder`` to share vectors with other runs; by default one ``CachedEmbedder`` serves
    the whole run. Paths are shown relative to ``base`` (default: the current folder).
    ``on_pair`` is called after each pair (progress bars).
    """
    from fidelity.extract import extract
    from fidelity.pipeline import Options, compare, signature

    todo = list(config.pairs if pairs is None else pairs)
    if not todo:
        where = f" in {config.path}" if config.path else " (no fidelity.toml found)"
        raise ConfigError(f"no pairs to check{where}: give ORIGINAL COPY..., --manifest FILE, or [[pairs]], [[globs]] or manifest in the config (`fidelity init` writes a starter)")
    cached = embedder if embedder is not None else CachedEmbedder(get_embedder(initial_model(config.model)))
    base = base or Path.cwd()
    documents: dict[Path, Document | InputError] = {}

    def load(path: Path) -> Document:
        key = Path(os.path.abspath(path))  # not resolve(): a symlink loop must reach extract's error
        if key not in documents:
            try:
                documents[key] = extract(path, name=_display(path, base), format="lines" if config.split == "lines" else "auto", keep_boilerplate=config.keep_boilerplate)
            except InputError as exc:
                documents[key] = exc
        doc = documents[key]
        if isinstance(doc, InputError):
            raise doc
        return doc

    start = time.perf_counter()
    before = getattr(cached, "encoded", 0)
    results: list[PairResult] = []
    for spec in todo:
        if on_pair is not None and results:
            on_pair()  # the previous pair is done (it may have ended in any of three ways below)
        policy = patch.apply(config.policy_for(spec)) if patch is not None else config.policy_for(spec)
        row = {"original": _display(spec.original, base), "copy": _display(spec.copy, base), "partner": spec.partner, "policy": policy}
        if spec.error is not None:
            results.append(PairResult(**row, error=spec.error, error_path=row["copy"]))  # type: ignore[arg-type]
            continue
        t0 = time.perf_counter()
        try:
            doc_o = load(spec.original)
            doc_c = load(spec.copy)
        except InputError as exc:
            results.append(PairResult(**row, error=str(exc), error_path=exc.name))  # type: ignore[arg-type]
            continue
        options = Options(
            model=config.model, language=config.language, split=config.split,  # type: ignore[arg-type]
            select=policy.select, ignore=policy.ignore, glossary=config.glossary,
        )  # fmt: skip
        try:
            report = compare(doc_o, doc_c, options=options, embedder=cached)
        except FidelityError as exc:
            results.append(PairResult(**row, error=str(exc), error_path=row["copy"]))  # type: ignore[arg-type]
            continue
        except Exception as exc:  # a bug on one pair must not lose the others; the run exits 2
            message = f"internal error ({type(exc).__name__}: {exc}); this is a bug in fidelity, please report it"
            results.append(PairResult(**row, error=one_line(message), error_path=row["copy"]))  # type: ignore[arg-type]
            continue
        results.append(PairResult(**row, report=report, seconds=time.perf_counter() - t0))  # type: ignore[arg-type]
    if on_pair is not None and results:
        on_pair()
    reports = [r.report for r in results if r.report is not None]
    sig = reports[0].signature if reports else signature(Options(model=config.model, language=config.language, split=config.split), cached)  # type: ignore[arg-type]
    counts = {s.value: 0 for s in Severity}
    for rep in reports:
        for k, v in rep.counts.items():
            counts[k] += v
    return CheckResult(tuple(results), sig, getattr(cached, "encoded", 0) - before, time.perf_counter() - start, counts)


def one_line(text: str) -> str:
    """Whitespace runs (newlines included) to one space: for formats with one record a line."""
    return " ".join(text.split())


def repository_root(start: Path | None = None) -> Path:
    """The git work tree holding ``start`` (default: the current folder), else ``start``: what
    code-scanning formats (SARIF, GitHub annotations, GitLab) take paths relative to."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


def _display(path: Path, base: Path) -> str:
    """Relative to ``base`` when inside it (what CI annotations need), else as given."""
    try:
        return Path(os.path.relpath(path.resolve(), base.resolve())).as_posix() if path.resolve().is_relative_to(base.resolve()) else str(path)
    except (OSError, ValueError, RuntimeError):  # RuntimeError: a symlink loop (Python 3.11)
        return str(path)


def _location(path: str, doc: Document | None, start: int, end: int) -> Location:
    if doc is None or doc.format == "html":
        return Location(path)  # extracted HTML text has no line of its own in the file
    line, col = doc.line_col(start)
    end_line, end_col = doc.line_col(max(start, end))
    return Location(path, line, col, end_line, end_col)


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]
