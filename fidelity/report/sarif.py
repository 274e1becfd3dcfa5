"""``--output-format sarif``: SARIF 2.1.0 for code-scanning tools.

In: a ``CheckResult``. Out: one run whose driver lists one rule per registered rule id
(``fidelity.rules.REGISTRY``) plus the gate's own rules (``min-score``, ``input-error``);
one result per finding, located by the copy's file, line and column (an omission, which has
no place in the copy, by the original's), with the finding's fingerprint in
``partialFingerprints``. Pairs whose files could not be read are tool execution
notifications. The signature is in the run's ``properties``.

What GitHub code scanning asks of a SARIF file (its ``--rule-kind Gh`` validation in the
SARIF multitool): every rule has ``shortDescription``, ``fullDescription`` and ``help``; URIs
are percent-encoded and relative to ``%SRCROOT%``, the repository root (the CLI gives the
paths relative to it, whatever the working folder); each result has its own fingerprint (the
finding's, the copy's path and its occurrence number), so two results never share one.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from fidelity import __version__
from fidelity.gate import GATE_RULES, Annotation, CheckResult, PairResult
from fidelity.report.escape import uri

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
DEFAULT_LEVEL = {"critical": "error", "major": "warning", "minor": "note"}


def rules() -> list[dict[str, Any]]:
    from fidelity.rules import REGISTRY

    out = []
    for rule_id, cls in REGISTRY.items():
        full = cls.summary + (f" Category: {cls.category.value}; default severity: {cls.severity.value}.")
        help_text = full + (f"\n\nExample:\n{cls.example}" if cls.example else "") + f"\n\nExplained by `fidelity rules {rule_id}`."
        out.append(
            {
                "id": rule_id,
                "name": _name(rule_id),
                "shortDescription": {"text": cls.summary},
                "fullDescription": {"text": full},
                "help": {"text": help_text},
                "defaultConfiguration": {"level": DEFAULT_LEVEL[cls.severity.value]},
                "properties": {"category": cls.category.value, "severity": cls.severity.value, "tags": [cls.category.value]},
            }
        )
    for rule_id, summary in GATE_RULES.items():
        out.append(
            {
                "id": rule_id,
                "name": _name(rule_id),
                "shortDescription": {"text": summary},
                "fullDescription": {"text": summary + " Reported by the gate itself, not by a check."},
                "help": {"text": f"{summary}\n\nExplained by `fidelity rules {rule_id}`."},
                "defaultConfiguration": {"level": "error"},
                "properties": {"category": "gate", "tags": ["gate"]},
            }
        )
    return out


def _name(rule_id: str) -> str:
    """``number-mismatch`` -> ``NumberMismatch`` (SARIF's ``name``: an identifier, not prose)."""
    return "".join(part.capitalize() for part in rule_id.replace("_", "-").split("-") if part)


def _location(a: Annotation) -> dict[str, Any]:
    loc = a.location
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": uri(loc.path), "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": loc.line, "startColumn": loc.column, "endLine": loc.end_line, "endColumn": loc.end_column},
        }
    }


def _message(r: PairResult, a: Annotation) -> str:
    """The finding's message; when it is located in the original (an omission), it names the
    copy too, so the same omission from two copies reads as two problems."""
    if a.location.path != r.copy:
        who = f"{r.partner}: {r.copy}" if r.partner else r.copy
        return f"{a.message} (in the copy {who})"
    return a.message


def sarif_dict(result: CheckResult) -> dict[str, Any]:
    descriptors = rules()
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for r, a in result.annotations():
        if a.rule == "input-error":
            notifications.append({"level": "error", "message": {"text": a.message}, "locations": [_location(a)], "descriptor": {"id": a.rule}})
            continue
        # the finding's fingerprint names no file and repeats when one change recurs: make it
        # the copy's own, then number repeats so each result keeps a stable fingerprint of its own
        base = hashlib.sha256(f"{r.copy}\x1f{r.original}\x1f{a.fingerprint}".encode("utf-8", "backslashreplace")).hexdigest()[:32]
        n = seen.get(base, 0)
        seen[base] = n + 1
        entry: dict[str, Any] = {
            "ruleId": a.rule,
            "level": a.level,
            "message": {"text": _message(r, a)},
            "locations": [_location(a)],
            "partialFingerprints": {"fidelity/v2": f"{base}:{n}"},
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
                "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The root of the repository (or the folder fidelity ran in, outside one)."}}},
                "invocations": [{"executionSuccessful": result.errored == 0, "toolExecutionNotifications": notifications}],
                "results": results,
                "properties": {"signature": result.signature, "pairs": len(result.results), "passed": result.passed, "failed": result.failed, "errors": result.errored},
            }
        ],
    }


def render(result: CheckResult) -> str:
    return json.dumps(sarif_dict(result), ensure_ascii=False, indent=2) + "\n"
