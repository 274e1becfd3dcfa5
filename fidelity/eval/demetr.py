"""The DEMETR benchmark: perturbed translations in, detection and ranking measures out.

    load(path, split=...) -> list[BenchRow]
    run(rows, settings=..., options=...) -> BenchResult      (every pair through fidelity.batch)
    BenchResult.to_dict()                                    (the ``--format json`` document)

Data: ``benchmarks/data/demetr-flores/demetr_flores.jsonl`` (DEMETR, Karpinska et al. 2022,
FLORES half, MIT): per item a human reference ``original``, a clean machine translation
``mt`` and, per perturbation, a ``copy`` (for perturbation ``clean``, copy = mt).

Two settings:

- independent: original = the reference, copy = the (perturbed) MT. Two translations of one
  source, like a re-translation: the hard case.
- derived: original = the clean MT, copy = its perturbed version (a tampered copy).
  The clean pair is then (mt, mt), identical.

Measures, per perturbation and per severity (critical, major, minor, base, none = clean):

- flagged: share of pairs with a fidelity finding at major or above.
- pairwise accuracy (DEMETR's own measure): for each item, the clean pair must score
  strictly above the perturbed pair against the same original (ties fail). For
  ``base_id35_reference`` in the independent setting the copy *is* the reference, so
  the expected order is reversed (the reference must score above the MT). In the
  derived setting the clean pair is identical, so pairwise accuracy only asks whether
  the measure registers the change at all (a sensitivity test, not a ranking).
- caught at 10% clean: each score used as a detector, thresholded at the 10% quantile of
  the clean pairs' scores (flag below it); the share of critical (and major) pairs it
  catches, beside fidelity's own flags.

Scores compared: fidelity's document score, sacrebleu sentence chrF and BLEU, and the plain
cosine of the two whole texts under the run's embedder (MiniLM by default).

Split: items with an even ``item`` id are the dev half (tune on it), odd ones the test half.

Quiet library: never prints or exits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np

from fidelity.batch import BatchError, BatchResult, PairInput, run_batch
from fidelity.embed import CachedEmbedder, get_embedder, initial_model
from fidelity.errors import ConfigError, InputError
from fidelity.eval.common import data_file, jsonl_rows
from fidelity.pipeline import Options
from fidelity.types import Severity

Setting = Literal["independent", "derived"]
SplitName = Literal["dev", "test", "all"]

SETTINGS: tuple[Setting, ...] = ("independent", "derived")
SPLITS: tuple[SplitName, ...] = ("dev", "test", "all")
LEVELS = ("critical", "major", "minor", "base", "none")
METRICS = ("fidelity", "chrf", "bleu", "cosine")
ALL_METRICS = ("fidelity", "judge", "chrf", "bleu", "cosine")  # "judge": with run(judge=True)
CLEAN = "clean"
REVERSED = {("independent", "base_id35_reference")}  # copy = the reference itself: it should win
# Minor perturbations that change only the surface (letter case, punctuation, tokenisation,
# spelling): a tampered-copy checker should stay quiet on them (issue 5, derived setting).
SURFACE_MINOR = (
    "minor_id26_misspelled",
    "minor_id27_char_removed",
    "minor_id28_final_punc_removed",
    "minor_id29_punc_addition",
    "minor_id30_tokenized",
    "minor_id31_full_lower",
    "minor_id32_first_lower",
)
CLEAN_RATE = 0.10  # the false-alarm rate at which the baselines are compared as detectors

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "demetr-flores" / "demetr_flores.jsonl"


@dataclass(frozen=True)
class BenchRow:
    id: str
    item: int
    perturbation: str
    severity: str  # one of LEVELS
    original: str  # human reference
    copy: str  # perturbed MT (the clean MT for perturbation "clean")
    mt: str  # clean MT


def _row(obj: dict[str, Any]) -> BenchRow:
    return BenchRow(
        str(obj["id"]), int(obj["item"]), str(obj["perturbation"]), str(obj["severity"]),
        str(obj["original"]), str(obj["copy"]), str(obj["mt"]),
    )  # fmt: skip


def load(path: Path | str | None = None, *, split: SplitName = "all", limit_items: int | None = None) -> list[BenchRow]:
    """Read the DEMETR JSONL; keep the ``split`` half; ``limit_items`` keeps the first N items."""
    path = data_file(path, DEFAULT_DATA, split, SPLITS, "demetr_flores.jsonl")
    rows: list[BenchRow] = []
    for number, row in jsonl_rows(path, "a DEMETR row", _row):
        if row.severity not in LEVELS:
            raise InputError(f"{path}:{number}", f"unknown severity {row.severity!r}; expected one of: {', '.join(LEVELS)}")
        if (split == "dev" and row.item % 2) or (split == "test" and not row.item % 2):
            continue
        rows.append(row)
    if limit_items is not None:
        keep = sorted({r.item for r in rows})[:limit_items]
        rows = [r for r in rows if r.item in set(keep)]
    if not rows:
        raise InputError(str(path), f"has no rows in split {split!r}")
    return rows


def pair_texts(row: BenchRow, setting: Setting) -> tuple[str, str]:
    """(original, copy) of a row in a setting."""
    return (row.original if setting == "independent" else row.mt), row.copy


# --- results -------------------------------------------------------------------------


@dataclass
class SettingScores:
    """Per-row scores in one setting; arrays aligned with ``rows``."""

    setting: Setting
    rows: list[BenchRow]
    scores: dict[str, np.ndarray]  # metric -> (n,) float, higher = more faithful; NaN on error
    flagged: np.ndarray  # (n,) bool: a finding at major or above
    max_severity: list[str | None]
    errors: list[str] = field(default_factory=list)
    judge_flagged: np.ndarray | None = None  # (n,) bool: the judge's findings at major or above

    def metrics(self) -> tuple[str, ...]:
        return tuple(m for m in ALL_METRICS if m in self.scores)

    def measures(self) -> dict[str, Any]:
        return _measures(self)


@dataclass
class BenchResult:
    split: str
    signature: str
    settings: dict[str, SettingScores]
    seconds: float = 0.0
    pairs: int = 0

    def __rich_console__(self, console: Any, options: Any) -> Any:
        yield from render(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "fidelity/bench-demetr-v1",
            "split": self.split,
            "signature": self.signature,
            "pairs": self.pairs,
            "seconds": round(self.seconds, 1),
            "settings": {name: s.measures() for name, s in self.settings.items()},
        }


def run(
    rows: Sequence[BenchRow],
    *,
    settings: Sequence[Setting] = SETTINGS,
    options: Options = Options(model="minilm", language="en"),  # English vs English by construction
    split: str = "all",
    chunk_size: int = 512,
    parallel: bool = True,
    jobs: int = 1,
    on_item: Callable[[], None] | None = None,
    judge: bool = False,
    cache: Path | None = None,
) -> BenchResult:
    """Score every row in every setting with fidelity and the baselines.

    One ``CachedEmbedder`` serves both settings and the cosine baseline, so each distinct
    text reaches the model once. ``on_item`` is called once per scored pair (progress).
    ``parallel`` computes chrF and BLEU in a second process meanwhile. ``jobs`` > 1 runs
    fidelity in that many worker processes (``fidelity.batch``); the cosine baseline is then
    embedded again in this process, after them. ``judge`` also applies the learned judge
    (``fidelity.judge``) to the same reports: its flags and score appear as "judge". ``cache``
keeps the reports in a folder (``fidelity.eval.common.compare_rows``; one process).
    """
    import time

    for s in settings:
        if s not in SETTINGS:
            raise ConfigError(f"unknown setting {s!r}; choose one of: {', '.join(SETTINGS)}, both")
    started = time.perf_counter()
    judge_name = options.judge
    options = replace(options, judge=None)  # the checks alone; the judge is applied below to the same reports
    embedder = CachedEmbedder(get_embedder(initial_model(options.model)))
    out: dict[str, SettingScores] = {}
    signature = ""
    all_texts = {setting: [pair_texts(r, setting) for r in rows] for setting in settings}
    # chrF and BLEU cost about 2 ms a pair in pure Python: on a second core they run while
    # fidelity compares, instead of after it.
    pool, lexical = _start_lexical(all_texts, parallel)
    for setting in settings:
        texts = all_texts[setting]
        inputs = [PairInput(k + 1, rows[k].id, original_text=o, copy_text=c) for k, (o, c) in enumerate(texts)]
        fid = np.full(len(rows), np.nan)
        flagged = np.zeros(len(rows), dtype=bool)
        max_sev: list[str | None] = [None] * len(rows)
        errors: list[str] = []

        def tick(_: BatchResult | BatchError) -> None:
            if on_item is not None:
                on_item()

        # DEMETR texts are sentences, not web pages: no page-furniture removal.
        batch_chunk = chunk_size if jobs == 1 else min(chunk_size, 128)  # smaller chunks keep workers even
        if cache is not None:  # reports kept between runs (fidelity.eval.common.compare_rows)
            from fidelity.eval.common import compare_rows

            kept = compare_rows(texts, options=options, embedder=embedder, on_item=on_item, cache=cache)
            results: list[BatchResult | BatchError] = [
                BatchError(k + 1, rows[k].id, r) if isinstance(r, str) else BatchResult(k + 1, rows[k].id, r) for k, r in enumerate(kept)
            ]
        else:
            results = list(run_batch(inputs, options=options, embedder=embedder, keep_boilerplate=True, chunk_size=batch_chunk, jobs=jobs, on_item=tick))
        for res in results:
            k = res.line - 1
            if isinstance(res, BatchError):
                errors.append(f"{res.id}: {res.message}")
                continue
            signature = res.report.signature
            fid[k] = res.report.score
            top = max((f.severity for f in res.report.findings), default=None)
            max_sev[k] = top.value if top else None
            flagged[k] = top is not None and top >= Severity.MAJOR
        scores = {"fidelity": fid, "cosine": _cosines(texts, embedder)}
        out[setting] = SettingScores(setting, list(rows), scores, flagged, max_sev, errors)
        if judge:
            from fidelity.judge import Judge

            model = Judge.load(judge_name or None)
            ok = [r for r in results if not isinstance(r, BatchError)]
            judged_score, judged_flag = np.full(len(rows), np.nan), np.zeros(len(rows), dtype=bool)
            for res, rep in zip(ok, model.apply_all([r.report for r in ok]), strict=True):
                judged_score[res.line - 1] = rep.score
                judged_flag[res.line - 1] = any(f.severity >= Severity.MAJOR for f in rep.findings)
            out[setting].scores["judge"] = judged_score
            out[setting].judge_flagged = judged_flag
    for setting in settings:
        chrf, bleu = lexical[setting].result() if pool is not None else lexical[setting]
        out[setting].scores.update(chrf=chrf, bleu=bleu)
    if pool is not None:
        pool.shutdown()
    return BenchResult(split, signature, out, time.perf_counter() - started, len(rows) * len(settings))


def _start_lexical(all_texts: dict[Setting, list[tuple[str, str]]], parallel: bool) -> tuple[Any, dict[Setting, Any]]:
    if not parallel:
        return None, {s: lexical_scores(t) for s, t in all_texts.items()}
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn: the worker needs only sacrebleu, never the parent's torch threads
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    return pool, {s: pool.submit(lexical_scores, t) for s, t in all_texts.items()}


def lexical_scores(texts: Sequence[tuple[str, str]]) -> tuple[np.ndarray, np.ndarray]:
    """sacrebleu sentence chrF and BLEU (its sentence-level defaults) of each (original, copy)."""
    from sacrebleu.metrics import BLEU, CHRF

    chrf, bleu = CHRF(), BLEU(effective_order=True)
    c = np.array([chrf.sentence_score(copy, [orig]).score for orig, copy in texts], dtype=float)
    b = np.array([bleu.sentence_score(copy, [orig]).score for orig, copy in texts], dtype=float)
    # rounded like the cosines: BLEU of an identical pair comes out as 100.00000000000004
    return np.round(c, 6), np.round(b, 6)


def _cosines(texts: Sequence[tuple[str, str]], embedder: CachedEmbedder) -> np.ndarray:
    """Cosine of the two whole texts; rounded to 6 places so an identical pair is exactly 1
    (float32 noise would otherwise order identical pairs at random)."""
    vo = embedder.encode([o for o, _ in texts])
    vc = embedder.encode([c for _, c in texts])
    return np.round(np.einsum("ij,ij->i", vo, vc).astype(float), 6)


# --- measures ------------------------------------------------------------------------


def _share(mask: np.ndarray) -> float | None:
    return None if mask.size == 0 else round(float(mask.mean()), 4)


def pairwise_wins(s: SettingScores, metric: str) -> dict[int, bool]:
    """Row index -> whether the metric orders that perturbed row correctly against the clean one."""
    scores = s.scores[metric]
    clean = {r.item: k for k, r in enumerate(s.rows) if r.perturbation == CLEAN}
    wins: dict[int, bool] = {}
    for k, r in enumerate(s.rows):
        if r.perturbation == CLEAN or r.item not in clean:
            continue
        a, b = scores[clean[r.item]], scores[k]
        if np.isnan(a) or np.isnan(b):
            wins[k] = False  # an error is never a correct ranking
        elif (s.setting, r.perturbation) in REVERSED:
            wins[k] = bool(b > a)
        else:
            wins[k] = bool(a > b)
    return wins


def caught_at_clean_rate(s: SettingScores, metric: str, rate: float = CLEAN_RATE) -> dict[str, float | None]:
    """Use ``metric`` as a detector: flag below the ``rate`` quantile of clean scores."""
    scores = s.scores[metric]
    levels = np.array([r.severity for r in s.rows])
    clean = scores[(levels == "none") & ~np.isnan(scores)]
    if clean.size == 0:
        return {"threshold": None, "clean": None, "critical": None, "major": None, "minor": None}
    threshold = float(np.quantile(clean, rate))
    flag = scores < threshold
    return {
        "threshold": round(threshold, 4),
        "clean": _share(flag[levels == "none"]),
        "critical": _share(flag[levels == "critical"]),
        "major": _share(flag[levels == "major"]),
        "minor": _share(flag[levels == "minor"]),
    }


def _measures(s: SettingScores) -> dict[str, Any]:
    metrics = s.metrics()
    wins = {m: pairwise_wins(s, m) for m in metrics}
    by_pert: dict[str, list[int]] = defaultdict(list)
    by_level: dict[str, list[int]] = defaultdict(list)
    for k, r in enumerate(s.rows):
        by_pert[r.perturbation].append(k)
        by_level[r.severity].append(k)

    def block(indices: list[int], severity: str | None = None) -> dict[str, Any]:
        idx = np.array(indices, dtype=int)
        out: dict[str, Any] = {"n": len(indices)}
        if severity is not None:
            out["severity"] = severity
        out["flagged"] = _share(s.flagged[idx])
        if s.judge_flagged is not None:
            out["judge_flagged"] = _share(s.judge_flagged[idx])
        pw = {}
        for m in metrics:
            got = [wins[m][k] for k in indices if k in wins[m]]
            pw[m] = round(sum(got) / len(got), 4) if got else None
        out["pairwise"] = pw
        out["mean_score"] = {m: _mean(s.scores[m][idx]) for m in metrics}
        return out

    order = {lvl: i for i, lvl in enumerate(LEVELS)}
    perts = sorted(by_pert, key=lambda p: (order[s.rows[by_pert[p][0]].severity], p))
    surface = [k for p in SURFACE_MINOR for k in by_pert.get(p, [])]
    levels = np.array([r.severity for r in s.rows])

    def flagged(mask: np.ndarray) -> dict[str, float | None]:
        return {
            "clean": _share(mask[levels == "none"]),
            "minor": _share(mask[levels == "minor"]),
            "surface_minor": _share(mask[np.array(surface, dtype=int)]) if surface else None,
            "major": _share(mask[levels == "major"]),
            "critical": _share(mask[levels == "critical"]),
        }

    extra = {} if s.judge_flagged is None else {"judge_flagged": flagged(s.judge_flagged)}
    return {
        "pairs": len(s.rows),
        "errors": len(s.errors),
        "error_examples": s.errors[:5],
        "perturbations": {p: block(by_pert[p], s.rows[by_pert[p][0]].severity) for p in perts},
        "levels": {lvl: block(by_level[lvl]) for lvl in LEVELS if lvl in by_level},
        "flagged": flagged(s.flagged),
        **extra,
        "caught_at_clean_10": {m: caught_at_clean_rate(s, m) for m in metrics},
    }


def _mean(values: np.ndarray) -> float | None:
    values = values[~np.isnan(values)]
    return round(float(values.mean()), 4) if values.size else None


# --- rendering -----------------------------------------------------------------------

_LABEL = {"fidelity": "fidelity", "judge": "fidelity+judge", "chrf": "chrF", "bleu": "BLEU", "cosine": "cosine"}


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def render(doc: dict[str, Any]) -> list[Any]:
    """Rich tables for a ``BenchResult.to_dict()`` document: per setting, perturbations,
    severity levels, and the detector comparison at a 10% clean flag rate."""
    from rich.table import Table
    from rich.text import Text

    out: list[Any] = [
        Text(f"DEMETR, split {doc['split']}: {doc['pairs']} pairs in {doc['seconds']} s", style="bold"),
        Text(doc["signature"], style="dim"),
    ]
    for name, m in doc["settings"].items():
        metrics = [x for x in ALL_METRICS if x in m["caught_at_clean_10"]]
        what = "reference vs perturbed MT" if name == "independent" else "clean MT vs perturbed MT"
        pw_note = "" if name == "independent" else " (clean pair identical: pairwise = the score moved at all)"
        head = ["n", "flagged >=major", *(f"pairwise {_LABEL[x]}" for x in metrics)]
        t = Table(title=f"{name}: {what}, per perturbation{pw_note}", title_justify="left")
        t.add_column("perturbation")
        t.add_column("severity")
        for h in head:
            t.add_column(h, justify="right")
        for pert, b in m["perturbations"].items():
            t.add_row(pert, b["severity"], str(b["n"]), _pct(b["flagged"]), *(_pct(b["pairwise"][x]) for x in metrics))
        out.append(t)
        t = Table(title=f"{name}: per severity", title_justify="left")
        t.add_column("severity")
        for h in head:
            t.add_column(h, justify="right")
        for lvl, b in m["levels"].items():
            t.add_row(lvl, str(b["n"]), _pct(b["flagged"]), *(_pct(b["pairwise"][x]) for x in metrics))
        out.append(t)
        f = m["flagged"]
        t = Table(title=f"{name}: flagged at major or above, and each score as a detector at 10% clean flagged", title_justify="left")
        t.add_column("detector")
        for h in ("clean flagged", "critical caught", "major caught", "minor flagged"):
            t.add_column(h, justify="right")
        t.add_row("fidelity findings >=major", _pct(f["clean"]), _pct(f["critical"]), _pct(f["major"]), _pct(f["minor"]))
        if "judge_flagged" in m:
            j = m["judge_flagged"]
            t.add_row("fidelity+judge findings >=major", _pct(j["clean"]), _pct(j["critical"]), _pct(j["major"]), _pct(j["minor"]))
        for x in metrics:
            c = m["caught_at_clean_10"][x]
            t.add_row(f"{_LABEL[x]} < 10% clean quantile ({c['threshold']})", _pct(c["clean"]), _pct(c["critical"]), _pct(c["major"]), _pct(c["minor"]))
        out.append(t)
        judged = f"; fidelity+judge: {_pct(m['judge_flagged']['surface_minor'])}" if "judge_flagged" in m else ""
        out.append(Text(f"surface minor (case, punctuation, tokenisation, spelling) flagged: {_pct(f['surface_minor'])}{judged}; errors: {m['errors']}"))
        for e in m["error_examples"]:
            out.append(Text(f"  error: {e}", style="red"))
    return out
