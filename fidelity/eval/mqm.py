"""WMT23 zh-en with expert MQM error spans: natural errors, human reference vs MT, English vs English.

    load(path=None, split="test") -> list[MqmRow]
    run(rows, options=..., judge=...) -> MqmResult       (fidelity, the judge, chrF, BLEU, cosine)
    MqmResult.to_dict()                                  (the ``--format json`` document)

Data: ``benchmarks/data/wmt23-zhen-mqm/{dev,test}.jsonl`` (README there: provenance, licence,
label definitions); the split is by document. Labels, exactly as the data's README defines them:

- *major accuracy error*: at least two raters marked a ``major`` error whose category starts with
  ``Accuracy`` or ``Non-translation``;
- *error-free*: no rater marked anything;
- *span F1*: characters of ``copy`` inside a major-or-worse finding's ``copy_span`` against
  characters inside any rater's ``major`` span (pooled over all rows).

Measures per score (higher = more faithful): Kendall tau against -MQM; AUROC of the score as a
detector of a major accuracy error; for fidelity (and the judge) the share of error-free rows and
of major-accuracy rows with a finding at major or above, and the span F1; for every score, the
major-accuracy rows it catches when thresholded to flag 8% of the error-free rows.

Quiet library: never prints or exits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from fidelity.errors import InputError
from fidelity.eval import common
from fidelity.pipeline import Options

SplitName = Literal["dev", "test"]
SPLITS: tuple[SplitName, ...] = ("dev", "test")
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "wmt23-zhen-mqm"
ERROR_FREE_RATE = 0.08  # the target false-alarm rate on error-free rows: baselines compared there


@dataclass(frozen=True)
class MqmError:
    rater: str
    category: str
    severity: str
    start: int | None  # into copy; None for an omission marked on the source side
    end: int | None


@dataclass(frozen=True)
class MqmRow:
    id: str
    doc: str
    system: str
    original: str
    copy: str
    mqm: float
    raters: int
    errors: tuple[MqmError, ...]

    @property
    def major_accuracy(self) -> bool:
        raters = {e.rater for e in self.errors if e.severity == "major" and _is_accuracy(e.category)}
        return len(raters) >= 2

    @property
    def error_free(self) -> bool:
        return not self.errors

    @property
    def major_spans(self) -> tuple[tuple[int, int], ...]:
        return tuple(
            (e.start, e.end)
            for e in self.errors
            if e.severity == "major" and e.start is not None and e.end is not None
        )


def _is_accuracy(category: str) -> bool:
    return category.startswith(("Accuracy", "Non-translation"))


def _row(obj: dict[str, Any]) -> MqmRow:
    errors = tuple(MqmError(str(e["rater"]), str(e["category"]), str(e["severity"]), e.get("start"), e.get("end")) for e in obj["errors"])
    return MqmRow(
        str(obj["id"]), str(obj["doc"]), str(obj["system"]), str(obj["original"]), str(obj["copy"]),
        float(obj["mqm"]), len(obj["raters"]), errors,
    )  # fmt: skip


def load(path: Path | str | None = None, *, split: SplitName = "test", limit: int | None = None) -> list[MqmRow]:
    """Read ``{split}.jsonl`` from the data folder (or the file ``path``); ``limit`` keeps the first N rows."""
    path = common.data_file(path, DEFAULT_DATA, split, SPLITS, f"{split}.jsonl")
    rows: list[MqmRow] = []
    for _, row in common.jsonl_rows(path, "a WMT23 MQM row", _row):
        rows.append(row)
        if limit is not None and len(rows) >= limit:
            break
    if not rows:
        raise InputError(str(path), "has no rows")
    return rows


@dataclass
class MqmResult:
    split: str
    rows: list[MqmRow]
    scored: common.Scored

    def __rich_console__(self, console: Any, options: Any) -> Any:
        yield from render(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        rows = self.rows
        mqm = np.array([r.mqm for r in rows], dtype=float)
        major = np.array([r.major_accuracy for r in rows], dtype=bool)
        clean = np.array([r.error_free for r in rows], dtype=bool)
        scores = self.scored.scores()
        metrics: dict[str, Any] = {}
        for name, s in scores.items():
            m: dict[str, Any] = {
                "kendall_tau": common.kendall_tau(s, -mqm),
                "auroc_major_accuracy": common.auroc(s, major),
                "caught_at_error_free_8": _caught(s, clean, major),
            }
            if name in self.scored.outcomes:
                flagged = self.scored.flagged(name)
                outs = self.scored.outcomes[name]
                m["error_free_flagged"] = common.share(flagged[clean])
                m["major_accuracy_flagged"] = common.share(flagged[major])
                m["span"] = common.span_f1([o.major_copy_spans for o in outs], [r.major_spans for r in rows])
            metrics[name] = m
        return {
            "schema": "fidelity/bench-mqm-v1",
            "split": self.split,
            "signature": self.scored.signature,
            "rows": len(rows),
            "error_free_rows": int(clean.sum()),
            "major_accuracy_rows": int(major.sum()),
            "seconds": round(self.scored.seconds, 1),
            "errors": common.errors_of(self.scored)[:5],
            "metrics": metrics,
        }


def _caught(score: np.ndarray, clean: np.ndarray, major: np.ndarray) -> float | None:
    """Share of major-accuracy rows below the ERROR_FREE_RATE quantile of the error-free rows' scores."""
    ref = score[clean & ~np.isnan(score)]
    if ref.size == 0 or not major.any():
        return None
    threshold = float(np.quantile(ref, ERROR_FREE_RATE))
    return common.share(score[major] < threshold)


def run(
    rows: Sequence[MqmRow],
    *,
    options: Options = Options(model="minilm", language="en"),  # English vs English by construction
    split: str = "test",
    judge: bool = False,
    on_item: Callable[[], None] | None = None,
    cache: Path | None = None,
) -> MqmResult:
    scored = common.score_rows([(r.original, r.copy) for r in rows], options=options, judge=judge, on_item=on_item, cache=cache)
    return MqmResult(split, list(rows), scored)


def render(doc: dict[str, Any]) -> list[Any]:
    """Rich tables for an ``MqmResult.to_dict()`` document."""
    from rich.table import Table
    from rich.text import Text

    out: list[Any] = [
        Text(
            f"WMT23 zh-en MQM, split {doc['split']}: {doc['rows']} rows ({doc['error_free_rows']} error-free, "
            f"{doc['major_accuracy_rows']} with a major accuracy error) in {doc['seconds']} s",
            style="bold",
        ),
        Text(doc["signature"], style="dim"),
    ]
    t = Table(title="higher = better except 'error-free flagged'", title_justify="left")
    t.add_column("score")
    for h in ("Kendall tau vs -MQM", "AUROC major acc.", "major acc. caught @8% error-free",
              "error-free flagged >=major", "major acc. flagged >=major", "span P", "span R", "span F1"):  # fmt: skip
        t.add_column(h, justify="right")
    for name, m in doc["metrics"].items():
        span = m.get("span", {})
        t.add_row(
            common.LABELS[name], common.pct(m["kendall_tau"]), common.pct(m["auroc_major_accuracy"]),
            common.pct(m["caught_at_error_free_8"]), common.pct(m.get("error_free_flagged")),
            common.pct(m.get("major_accuracy_flagged")), common.pct(span.get("precision")),
            common.pct(span.get("recall")), common.pct(span.get("f1")),
        )  # fmt: skip
    out.append(t)
    for e in doc["errors"]:
        out.append(Text(f"  error: {e}", style="red"))
    return out
