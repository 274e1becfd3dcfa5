"""``--output-format sarif``: SARIF 2.1.0 for code-scanning tools.

In: a ``CheckResult``. Out: one run whose driver lists one rule per registered rule id
(``fidelity.checks.REGISTRY``) plus the gate's own rules (``min-score``, ``input-error``);
one result per finding, located by the copy's file, line and column (an omission, which has
no place in the copy, by the original's), with the finding's fingerprint in
``partialFingerprints``. Pairs whose files could not be read are tool execution
notifications. The signature is in the run's ``properties``.
"""

from __future__ import annotations

import json
from typing import Any

from fidelity import __version__
from fidelity.gate import GATE_RULES, Annotation, CheckResult

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
DEFAULT_LEVEL = {"critical": "error", "major": "warning", "minor": "note"}


def rules() -> list[dict[str, Any]]:
    from fidelity.checks import REGISTRY

    out = []
    for rule_id, cls in REGISTRY.items():
        entry: dict[str, Any] = {
            "id": rule_id,
            "shortDescription": {"text": cls.summary},
            "defaultConfiguration": {"level": DEFAULT_LEVEL[cls.severity.value]},
            "properties": {"category": cls.category.value, "severity": cls.severity.value, "tags": [cls.category.value]},
        }
        if cls.example:
            entry["help"] = {"text": cls.example}
        out.append(entry)
    for rule_id, summary in GATE_RULES.items():
        out.append({"id": rule_id, "shortDescription": {"text": summary}, "defaultConfiguration": {"level": "error"}, "properties": {"category": "gate"}})
    return out


def _location(a: Annotation) -> dict[str, Any]:
    loc = a.location
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": loc.path},
            "region": {"startLine": loc.line, "startColumn": loc.column, "endLine": loc.end_line, "endColumn": loc.end_column},
        }
    }


def sarif_dict(result: CheckResult) -> dict[str, Any]:
    descriptors = rules()
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for r, a in result.annotations():
        if a.rule == "input-error":
            notifications.append({"level": "error", "message": {"text": a.message}, "locations": [_location(a)], "descriptor": {"id": a.rule}})
            continue
        entry: dict[str, Any] = {
            "ruleId": a.rule,
            "level": a.level,
            "message": {"text": a.message},
            "locations": [_location(a)],
            "partialFingerprints": {"fidelity/v1": a.fingerprint},
            "properties": {"partner": r.partner, "original": r.original, "copy": r.copy, "severity": a.severity.value if a.severity else None},
        }
        if a.rule in index:
            entry["ruleIndex"] = index[a.rule]
        results.append(entry)
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "fidelity", "version": __version__, "semanticVersion": __version__, "rules": descriptors}},
                "invocations": [{"executionSuccessful": result.errored == 0, "toolExecutionNotifications": notifications}],
                "results": results,
                "properties": {"signature": result.signature, "pairs": len(result.results), "passed": result.passed, "failed": result.failed, "errors": result.errored},
            }
        ],
    }


def render(result: CheckResult) -> str:
    return json.dumps(sarif_dict(result), ensure_ascii=False, indent=2) + "\n"
