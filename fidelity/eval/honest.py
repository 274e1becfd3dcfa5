"""WMT22 honest re-translations: two professional translations of one text, no error expected.

    load(path=None, split="heldout") -> list[HonestRow]
    run(rows, options=..., judge=...) -> HonestResult    (fidelity, the judge, chrF, BLEU, cosine)

Data: ``benchmarks/data/wmt22-honest/honest.jsonl`` (README there). Splits, fixed:
``dev`` = cs-en and zh-en (calibrate here), ``heldout`` = de-en (report here), ``every8`` = every
8th row of the file (the sample of the issue's "today" figure), ``all``.

Measures: the share of pairs with a finding at major or above (each is a false alarm), the
pairs called not-a-copy, per language pair; each score's mean and 5% quantile beside them.

    documents(rows, size=24) -> list[HonestRow]     consecutive lines joined into documents
    run_documents(docs, ...) -> DocumentsResult      verdicts and major+ findings per 100 pairs

Document level: ``size`` consecutive lines of one language pair, both translations, compared as
two documents (one paragraph a line), as a user compares two translations of one article. Every
"distorted" verdict and every major or critical finding there is a false alarm.

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
from fidelity.types import Severity

SplitName = Literal["dev", "heldout", "every8", "all"]
SPLITS: tuple[SplitName, ...] = ("dev", "heldout", "every8", "all")
DEV_PAIRS = ("cs-en", "zh-en")
HELDOUT_PAIRS = ("de-en",)
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "wmt22-honest" / "honest.jsonl"


@dataclass(frozen=True)
class HonestRow:
    id: str
    pair: str  # source language pair, e.g. "de-en"
    line: int
    original: str
    copy: str


def load(path: Path | str | None = None, *, split: SplitName = "heldout", limit: int | None = None) -> list[HonestRow]:
    """Read the JSONL and keep the ``split``; ``limit`` keeps the first N rows of it."""
    path = common.data_file(path, DEFAULT_DATA, split, SPLITS, "honest.jsonl")
    rows: list[HonestRow] = []
    read = common.jsonl_rows(path, "an honest-pair row", lambda obj: HonestRow(str(obj["id"]), str(obj["pair"]), int(obj["line"]), str(obj["original"]), str(obj["copy"])))
    for index, (_, row) in enumerate(read):
        if (
            (split == "dev" and row.pair not in DEV_PAIRS)
            or (split == "heldout" and row.pair not in HELDOUT_PAIRS)
            or (split == "every8" and index % 8)
        ):
            continue
        rows.append(row)
        if limit is not None and len(rows) >= limit:
            break
    if not rows:
        raise InputError(str(path), f"has no rows in split {split!r}")
    return rows


@dataclass
class HonestResult:
    split: str
    rows: list[HonestRow]
    scored: common.Scored

    def __rich_console__(self, console: Any, options: Any) -> Any:
        yield from render(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        pairs = np.array([r.pair for r in self.rows])
        groups = {"all": np.ones(len(self.rows), dtype=bool)} | {p: pairs == p for p in sorted(set(pairs))}
        scores = self.scored.scores()
        metrics: dict[str, Any] = {}
        for name, s in scores.items():
            m: dict[str, Any] = {
                "mean": _round(np.nanmean(s)) if s.size else None,
                "q05": _round(np.nanquantile(s, 0.05)) if s.size else None,
            }
            if name in self.scored.outcomes:
                flagged = self.scored.flagged(name)
                nac = np.array([o.not_a_copy for o in self.scored.outcomes[name]], dtype=bool)
                m["flagged"] = {g: common.share(flagged[mask]) for g, mask in groups.items()}
                m["flagged_count"] = int(flagged.sum())
                m["not_a_copy"] = int(nac.sum())
            metrics[name] = m
        return {
            "schema": "fidelity/bench-honest-v1",
            "split": self.split,
            "signature": self.scored.signature,
            "rows": len(self.rows),
            "by_pair": {g: int(mask.sum()) for g, mask in groups.items()},
            "seconds": round(self.scored.seconds, 1),
            "errors": common.errors_of(self.scored)[:5],
            "metrics": metrics,
        }


def _round(x: float) -> float | None:
    return None if np.isnan(x) else round(float(x), 4)


def run(
    rows: Sequence[HonestRow],
    *,
    options: Options = Options(model="minilm", language="en"),  # English vs English by construction
    split: str = "heldout",
    judge: bool = False,
    on_item: Callable[[], None] | None = None,
    cache: Path | None = None,
) -> HonestResult:
    scored = common.score_rows([(r.original, r.copy) for r in rows], options=options, judge=judge, on_item=on_item, cache=cache)
    return HonestResult(split, list(rows), scored)


def render(doc: dict[str, Any]) -> list[Any]:
    """Rich tables for a ``HonestResult.to_dict()`` document."""
    from rich.table import Table
    from rich.text import Text

    by_pair = ", ".join(f"{g} {n}" for g, n in doc["by_pair"].items() if g != "all")
    out: list[Any] = [
        Text(f"WMT22 honest re-translations, split {doc['split']}: {doc['rows']} pairs ({by_pair}) in {doc['seconds']} s", style="bold"),
        Text(doc["signature"], style="dim"),
    ]
    groups = list(doc["by_pair"])
    t = Table(title="every flag is a false alarm: lower is better", title_justify="left")
    t.add_column("score")
    for g in groups:
        t.add_column(f"flagged >=major ({g})", justify="right")
    t.add_column("not-a-copy", justify="right")
    t.add_column("mean score", justify="right")
    t.add_column("5% quantile", justify="right")
    for name, m in doc["metrics"].items():
        flagged = m.get("flagged", {})
        nac = str(m["not_a_copy"]) if "not_a_copy" in m else "-"
        t.add_row(common.LABELS[name], *(common.pct(flagged.get(g)) for g in groups), nac, common.pct(m["mean"]), common.pct(m["q05"]))
    out.append(t)
    for e in doc["errors"]:
        out.append(Text(f"  error: {e}", style="red"))
    return out


def documents(rows: Sequence[HonestRow], size: int = 24) -> list[HonestRow]:
    """``size`` consecutive rows of one language pair joined into one document pair, a line a
    paragraph; a last block of fewer than ``size // 2`` lines is left out."""
    out: list[HonestRow] = []
    block: list[HonestRow] = []

    def close() -> None:
        if block and len(block) >= max(1, size // 2):
            first = block[0]
            out.append(HonestRow(f"{first.id}+{len(block)}", first.pair, first.line,
                                 "\n\n".join(r.original for r in block), "\n\n".join(r.copy for r in block)))
        block.clear()

    for row in rows:
        if block and (row.pair != block[-1].pair or row.line != block[-1].line + 1 or len(block) == size):
            close()
        block.append(row)
    close()
    return out


@dataclass
class DocumentsResult:
    split: str
    size: int
    docs: list[HonestRow]
    reports: dict[str, list[Any]]  # "fidelity" (the checks alone), "judge": a Report or an error line per document
    signature: str
    seconds: float

    def __rich_console__(self, console: Any, options: Any) -> Any:
        yield from render_documents(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        metrics: dict[str, Any] = {}
        for name, reports in self.reports.items():
            ok = [r for r in reports if not isinstance(r, str)]
            pairs = sum(sum(1 for p in r.pairs if p.original and p.copy) for r in ok)
            major = sum(1 for r in ok for f in r.findings if f.severity >= Severity.MAJOR)
            verdicts: dict[str, int] = {}
            for r in ok:
                verdicts[str(r.verdict)] = verdicts.get(str(r.verdict), 0) + 1
            metrics[name] = {
                "documents": len(ok),
                "verdicts": dict(sorted(verdicts.items())),
                "flagged": common.share(np.array([any(f.severity >= Severity.MAJOR for f in r.findings) for r in ok], dtype=bool)),
                "aligned_pairs": pairs,
                "major_per_100_pairs": round(100 * major / pairs, 2) if pairs else None,
                "mean_score": _round(float(np.mean([r.score for r in ok]))) if ok else None,
            }
        return {
            "schema": "fidelity/bench-honest-documents-v1",
            "split": self.split,
            "lines_per_document": self.size,
            "documents": len(self.docs),
            "signature": self.signature,
            "seconds": round(self.seconds, 1),
            "errors": [f"document {k}: {r}" for k, r in enumerate(self.reports["fidelity"]) if isinstance(r, str)][:5],
            "metrics": metrics,
        }


def run_documents(
    docs: Sequence[HonestRow],
    *,
    size: int,
    options: Options = Options(model="minilm", language="en"),
    split: str = "heldout",
    judge: bool = False,
    on_item: Callable[[], None] | None = None,
    cache: Path | None = None,
) -> DocumentsResult:
    """Each document pair's report, by the checks alone and, with ``judge``, re-graded by the
    judge (``common.judged_reports``)."""
    import time

    started = time.perf_counter()
    reports, signature, _ = common.judged_reports([(d.original, d.copy) for d in docs], options=options, judge=judge, on_item=on_item, cache=cache)
    return DocumentsResult(split, size, list(docs), dict(reports), signature, time.perf_counter() - started)


def render_documents(doc: dict[str, Any]) -> list[Any]:
    """Rich tables for a ``DocumentsResult.to_dict()`` document."""
    from rich.table import Table
    from rich.text import Text

    out: list[Any] = [
        Text(f"WMT22 honest re-translations as documents, split {doc['split']}: {doc['documents']} documents of "
             f"{doc['lines_per_document']} lines in {doc['seconds']} s", style="bold"),
        Text(doc["signature"], style="dim"),
    ]
    t = Table(title="two professional translations of one text: every flag is a false alarm", title_justify="left")
    for col in ("score", "documents flagged >=major", "major+ findings per 100 pairs", "verdicts", "mean score"):
        t.add_column(col, justify="left" if col in ("score", "verdicts") else "right")
    for name, m in doc["metrics"].items():
        verdicts = ", ".join(f"{v} {n}" for v, n in m["verdicts"].items())
        per100 = "-" if m["major_per_100_pairs"] is None else f"{m['major_per_100_pairs']:.1f}"
        t.add_row(common.LABELS.get(name, name), common.pct(m["flagged"]), per100, verdicts, "-" if m["mean_score"] is None else f"{m['mean_score']:.1f}")
    out.append(t)
    for e in doc["errors"]:
        out.append(Text(f"  error: {e}", style="red"))
    return out
