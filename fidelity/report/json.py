"""``--format json``: the versioned machine document ``fidelity/report-v1``.

The schema is documented in ``fidelity/schemas/report-v1.schema.json`` and the README.
``report_dict`` is shared by every machine format (json, jsonl, batch).
"""

from __future__ import annotations

import json
from typing import Any

from fidelity.report.escape import json_text
from fidelity.types import Finding, Pair, Report, Span

SCHEMA = "fidelity/report-v1"


def span_dict(span: Span | None) -> dict[str, Any] | None:
    return None if span is None else {"start": span.start, "end": span.end, "text": span.text}


def finding_dict(f: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {
        "rule": f.rule,
        "category": f.category.value,
        "severity": f.severity.value,
        "message": f.message,
        "original_span": span_dict(f.original_span),
        "copy_span": span_dict(f.copy_span),
        "pair": f.pair,
        "fingerprint": f.fingerprint,
    }
    if f.occurrences:
        out["occurrences"] = [{"original_span": span_dict(o), "copy_span": span_dict(c)} for o, c in f.occurrences]
    return out


def pair_dict(p: Pair) -> dict[str, Any]:
    return {
        "index": p.index,
        "kind": p.kind,
        "original": list(p.original),
        "copy": list(p.copy),
        "original_text": p.original_text,
        "copy_text": p.copy_text,
        "similarity": _round(p.similarity),
        "chrf": _round(p.chrf),
        "drift": _round(p.drift),
        "findings": [finding_dict(f) for f in p.findings],
    }


def _round(x: float | None) -> float | None:
    return None if x is None else round(float(x), 4)


def report_dict(report: Report) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "signature": report.signature,
        "original": _doc(report.original),
        "copy": _doc(report.copy),
        "score": report.score,
        "verdict": report.verdict.value,
        "coverage": {"original": round(report.original.coverage, 4), "copy": round(report.copy.coverage, 4)},
        "counts": report.counts,
        "pairs": [pair_dict(p) for p in report.pairs],
        "findings": [finding_dict(f) for f in report.findings if f.pair is None],
    }


def _doc(d: Any) -> dict[str, Any]:
    return {
        "name": d.name,
        "format": d.format,
        "encoding": d.encoding,
        "sentences": d.sentences,
        "boilerplate_lines": d.boilerplate_lines,
    }


def render(report: Report) -> str:
    return json_text(json.dumps(report_dict(report), ensure_ascii=False, indent=2)) + "\n"
