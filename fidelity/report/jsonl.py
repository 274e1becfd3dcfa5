"""``--output-format json`` and ``jsonl`` for ``fidelity check``: machine records per pair.

In: a ``CheckResult``. Out: ``render_json`` gives one document (``fidelity/check-v1``) with
every pair's result; ``render`` gives JSON Lines, one ``fidelity/check-result-v1`` object per
pair, each with the signature. Both embed the ``fidelity/report-v1`` report of a pair (from
``fidelity.report.json.report_dict``) and the pair's annotations with their fingerprints.
"""

from __future__ import annotations

import json
from typing import Any

from fidelity.gate import Annotation, CheckResult, PairResult
from fidelity.report.escape import json_text
from fidelity.report.json import report_dict

SCHEMA = "fidelity/check-v1"
RESULT_SCHEMA = "fidelity/check-result-v1"


def annotation_dict(a: Annotation) -> dict[str, Any]:
    loc = a.location
    return {
        "rule": a.rule,
        "level": a.level,
        "severity": a.severity.value if a.severity is not None else None,
        "category": a.category,
        "message": a.message,
        "location": {"path": loc.path, "line": loc.line, "column": loc.column, "end_line": loc.end_line, "end_column": loc.end_column},
        "fingerprint": a.fingerprint,
    }


def result_dict(r: PairResult) -> dict[str, Any]:
    p = r.policy
    return {
        "original": r.original,
        "copy": r.copy,
        "partner": r.partner,
        "status": r.status,
        "error": r.error,
        "policy": {"fail_on": p.fail_on.value, "min_score": p.min_score, "select": list(p.select) if p.select is not None else None, "ignore": list(p.ignore)},
        "score": r.report.score if r.report else None,
        "verdict": r.report.verdict.value if r.report else None,
        "counts": r.report.counts if r.report else None,
        "annotations": [annotation_dict(a) for a in r.annotations()],
        "report": report_dict(r.report) if r.report else None,
    }


def check_dict(result: CheckResult) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "signature": result.signature,
        "summary": {"pairs": len(result.results), "passed": result.passed, "failed": result.failed, "errors": result.errored, "counts": result.counts},
        "results": [result_dict(r) for r in result.results],
    }


def render_json(result: CheckResult) -> str:
    return json_text(json.dumps(check_dict(result), ensure_ascii=False, indent=2)) + "\n"


def render(result: CheckResult) -> str:
    lines = []
    for r in result.results:
        record = {"schema": RESULT_SCHEMA, "signature": result.signature, **result_dict(r)}
        lines.append(json_text(json.dumps(record, ensure_ascii=False)))
    return "\n".join(lines) + "\n"
