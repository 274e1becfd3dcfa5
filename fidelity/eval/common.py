"""What the benchmarks share: the baselines scored on the same rows, and the measures.

    compare_rows(pairs, options=...) -> list[Report | str]     fidelity on (original, copy) texts
    lexical_scores(pairs) -> (chrF, BLEU)                      sacrebleu sentence scores
    cosines(pairs, embedder) -> cosine                         whole-text MiniLM cosine
    kendall_tau(x, y), auroc(score, positive), span_f1(...)    the measures
    jsonl_rows(path, what, make) -> (line number, row)...        a benchmark's JSONL data file

Scores are oriented "higher = more faithful" everywhere; a detector flags low scores.
Quiet library: never prints or exits.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from fidelity.errors import ConfigError, InputError
from fidelity.types import Severity, Verdict

if TYPE_CHECKING:
    from fidelity.embed import Embedder
    from fidelity.pipeline import Options
    from fidelity.types import Report

BASELINES = ("chrf", "bleu", "cosine")
LABELS = {"fidelity": "fidelity", "judge": "fidelity+judge", "chrf": "chrF", "bleu": "BLEU", "cosine": "MiniLM cosine"}


@dataclass(frozen=True)
class Outcome:
    """What one row's report says, reduced to what the measures need."""

    score: float  # 0..100, higher = more faithful; NaN when the pair failed
    flagged: bool  # a finding at major or above
    not_a_copy: bool
    major_copy_spans: tuple[tuple[int, int], ...]  # copy character ranges of major+ findings
    error: str | None = None


R = TypeVar("R")


def data_file(path: Path | str | None, default: Path, split: str, splits: Sequence[str], name: str) -> Path:
    """The JSONL file a bench reads: ``path`` (default ``default``), or ``name`` inside it when it is
    a folder. An unknown ``split`` is a ``ConfigError`` listing ``splits``."""
    if split not in splits:
        raise ConfigError(f"unknown split {split!r}; choose one of: {', '.join(splits)}")
    file = Path(path) if path is not None else default
    return file / name if file.is_dir() else file


def jsonl_rows(path: Path, what: str, make: Callable[[dict[str, Any]], R]) -> Iterator[tuple[int, R]]:
    """``(line number, make(object))`` for every non-blank line of the JSONL file ``path``. A file
    that cannot be read, or a line ``make`` cannot read, is an ``InputError`` naming the file,
    the line and ``what`` the line should be."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(str(path), f"cannot be read ({exc.strerror or exc})") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield number, make(json.loads(line))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{path}:{number}", f"not {what} ({type(exc).__name__}: {exc})") from None


def outcome(report: Report) -> Outcome:
    spans = tuple(
        (f.copy_span.start, f.copy_span.end)
        for f in report.findings
        if f.severity >= Severity.MAJOR and f.copy_span is not None
    )
    flagged = any(f.severity >= Severity.MAJOR for f in report.findings)
    return Outcome(float(report.score), flagged, report.verdict == Verdict.NOT_A_COPY, spans)


def failed(message: str) -> Outcome:
    return Outcome(float("nan"), False, False, (), message)


def compare_rows(
    pairs: Sequence[tuple[str, str]],
    *,
    options: Options,
    embedder: Embedder,
    on_item: Callable[[], None] | None = None,
    cache: Path | None = None,
) -> list[Report | str]:
    """Compare each (original, copy) as plain text (no page-furniture removal): a ``Report``, or the
    one-line error message of a pair that failed.

    ``cache``: a folder where the reports are kept (pickled) under a key of the options, the texts
    and the source of every ``fidelity`` module the reports depend on, so a rerun on unchanged code
    and data (the judge's training, a bench with and without the judge) compares nothing twice.
    """
    import pickle

    from fidelity.batch import BatchError, PairInput, run_batch

    path = None
    if cache is not None:
        path = Path(cache) / f"reports-{_cache_key(pairs, options)}.pkl"
        if path.exists():
            with path.open("rb") as src:
                cached: list[Report | str] = pickle.load(src)
            if on_item is not None:
                for _ in cached:
                    on_item()
            return cached

    inputs = [PairInput(k + 1, str(k), original_text=o, copy_text=c) for k, (o, c) in enumerate(pairs)]
    out: list[Report | str] = ["not compared"] * len(pairs)

    def tick(_: object) -> None:
        if on_item is not None:
            on_item()

    for res in run_batch(inputs, options=options, embedder=embedder, keep_boilerplate=True, on_item=tick):
        out[res.line - 1] = res.message if isinstance(res, BatchError) else res.report
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as dst:
            pickle.dump(out, dst, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    return out


def _cache_key(pairs: Sequence[tuple[str, str]], options: Options) -> str:
    import hashlib

    digest = hashlib.sha256(repr(options).encode())
    root = Path(__file__).resolve().parents[1]
    for source in sorted(root.rglob("*.py")):
        if source.parent.name not in ("eval", "judge", "cli", "report"):
            digest.update(source.read_bytes())
    for original, copy in pairs:
        digest.update(b"\x1e" + original.encode() + b"\x1f" + copy.encode())
    return digest.hexdigest()[:16]


def lexical_scores(pairs: Sequence[tuple[str, str]]) -> tuple[np.ndarray, np.ndarray]:
    """sacrebleu sentence chrF and BLEU (its sentence-level defaults) of each (original, copy)."""
    from sacrebleu.metrics import BLEU, CHRF

    chrf, bleu = CHRF(), BLEU(effective_order=True)
    c = np.array([chrf.sentence_score(copy, [orig]).score for orig, copy in pairs], dtype=float)
    b = np.array([bleu.sentence_score(copy, [orig]).score for orig, copy in pairs], dtype=float)
    # rounded like the cosines: BLEU of an identical pair comes out as 100.00000000000004
    return np.round(c, 6), np.round(b, 6)


def cosines(pairs: Sequence[tuple[str, str]], embedder: Embedder) -> np.ndarray:
    """Cosine of the two whole texts; rounded to 6 places so an identical pair is exactly 1."""
    vo = embedder.encode([o for o, _ in pairs])
    vc = embedder.encode([c for _, c in pairs])
    return np.round(np.einsum("ij,ij->i", vo, vc).astype(float), 6)


# --- measures ------------------------------------------------------------------------


def share(mask: np.ndarray) -> float | None:
    return None if mask.size == 0 else round(float(np.mean(mask)), 4)


def kendall_tau(x: np.ndarray, y: np.ndarray) -> float | None:
    """Kendall tau-b of two score vectors, rows with a NaN left out."""
    from scipy.stats import kendalltau

    keep = ~(np.isnan(x) | np.isnan(y))
    if keep.sum() < 2:
        return None
    tau = kendalltau(x[keep], y[keep]).statistic
    return None if np.isnan(tau) else round(float(tau), 4)


def auroc(score: np.ndarray, positive: np.ndarray) -> float | None:
    """Area under the ROC curve of ``-score`` as a detector of ``positive`` rows (ties count half):
    the chance that a positive row scores below a negative one. NaN scores are left out."""
    keep = ~np.isnan(score)
    s, p = score[keep], positive[keep].astype(bool)
    n_pos, n_neg = int(p.sum()), int((~p).sum())
    if not n_pos or not n_neg:
        return None
    from scipy.stats import rankdata

    ranks = rankdata(-s)  # high rank = low score = "error"
    return round(float((ranks[p].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)), 4)


def span_f1(
    predicted: Iterable[Sequence[tuple[int, int]]], gold: Iterable[Sequence[tuple[int, int]]]
) -> dict[str, float | None]:
    """Character precision, recall and F1 pooled over rows: per row, the characters inside any
    predicted range against the characters inside any gold range."""
    tp = n_pred = n_gold = 0
    for pred, ref in zip(predicted, gold, strict=True):
        p = _chars(pred)
        g = _chars(ref)
        tp += len(p & g)
        n_pred += len(p)
        n_gold += len(g)
    precision = tp / n_pred if n_pred else None
    recall = tp / n_gold if n_gold else None
    f1 = 2 * tp / (n_pred + n_gold) if n_pred + n_gold else None
    return {k: (None if v is None else round(v, 4)) for k, v in (("precision", precision), ("recall", recall), ("f1", f1))}


def _chars(ranges: Sequence[tuple[int, int]]) -> set[int]:
    out: set[int] = set()
    for start, end in ranges:
        out.update(range(start, end))
    return out


def pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


@dataclass
class Scored:
    """Every row through fidelity (and, when asked, the judge) and the baselines, in one run."""

    signature: str
    outcomes: dict[str, list[Outcome]]  # "fidelity" and, with a judge, "judge" -> one per row
    baselines: dict[str, np.ndarray]  # chrf, bleu, cosine -> (n,)
    seconds: float

    def scores(self) -> dict[str, np.ndarray]:
        out = {name: np.array([o.score for o in rows], dtype=float) for name, rows in self.outcomes.items()}
        out.update(self.baselines)
        return out

    def flagged(self, name: str) -> np.ndarray:
        return np.array([o.flagged for o in self.outcomes[name]], dtype=bool)


def judged_reports(
    pairs: Sequence[tuple[str, str]],
    *,
    options: Options,
    judge: bool = False,
    on_item: Callable[[], None] | None = None,
    cache: Path | None = None,
) -> tuple[dict[str, list[Report | str]], str, Embedder]:
    """Each (original, copy)'s report by the checks alone ("fidelity") and, with ``judge``, the
    same reports re-graded by the judge ("judge"; one run gives both); a failed pair is its error
    line in each. Also the signature and the embedder the reports were made with."""
    from dataclasses import replace

    from fidelity.embed import CachedEmbedder, get_embedder, initial_model

    embedder = CachedEmbedder(get_embedder(initial_model(options.model)))
    reports = compare_rows(pairs, options=replace(options, judge=None), embedder=embedder, on_item=on_item, cache=cache)
    out: dict[str, list[Report | str]] = {"fidelity": reports}
    signature = next((r.signature for r in reports if not isinstance(r, str)), "")
    if judge:
        from fidelity.judge import Judge

        model = Judge.load(options.judge or None)
        judged = iter(model.apply_all([r for r in reports if not isinstance(r, str)]))
        out["judge"] = [r if isinstance(r, str) else next(judged) for r in reports]
        signature += f" + judge:{model.version}"
    return out, signature, embedder


def score_rows(
    pairs: Sequence[tuple[str, str]],
    *,
    options: Options,
    judge: bool = False,
    on_item: Callable[[], None] | None = None,
    cache: Path | None = None,
) -> Scored:
    """Fidelity's reports (the checks' findings, then the judge's verdict on the same reports when
    ``judge``: ``judged_reports``), chrF, BLEU and the MiniLM cosine of each (original, copy)."""
    import time

    started = time.perf_counter()
    reports, signature, embedder = judged_reports(pairs, options=options, judge=judge, on_item=on_item, cache=cache)
    outcomes = {name: [failed(r) if isinstance(r, str) else outcome(r) for r in rs] for name, rs in reports.items()}
    chrf, bleu = lexical_scores(pairs)
    baselines = {"chrf": chrf, "bleu": bleu, "cosine": cosines(pairs, embedder)}
    return Scored(signature, outcomes, baselines, time.perf_counter() - started)


def errors_of(scored: Scored) -> list[str]:
    return [f"row {k}: {o.error}" for k, o in enumerate(scored.outcomes["fidelity"]) if o.error]
