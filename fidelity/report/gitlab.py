"""``--output-format gitlab``: a GitLab Code Quality report (Code Climate issue JSON array).

In: a ``CheckResult``. Out: one issue per annotation, with ``check_name`` the rule id, a
``severity`` of info/minor/major/critical/blocker, ``location.path`` and ``lines.begin``, and
a ``fingerprint`` GitLab uses to match issues across pipelines: the finding's own fingerprint
(rule plus normalised text, no line numbers) hashed with the file path, so the same finding in
two partners' copies stays two issues. The signature is in every issue's ``content.body``.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from fidelity.gate import Annotation, CheckResult
from fidelity.report.escape import json_text

SEVERITY = {"minor": "minor", "major": "major", "critical": "critical"}
GATE_SEVERITY = {"input-error": "blocker", "min-score": "critical"}


def _severity(a: Annotation) -> str:
    if a.severity is not None:
        return SEVERITY[a.severity.value]
    return GATE_SEVERITY.get(a.rule, "major")


def render(result: CheckResult) -> str:
    issues: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for r, a in result.annotations():
        base = hashlib.sha256(f"{a.location.path}\x1f{a.fingerprint}".encode()).hexdigest()
        n = seen.get(base, 0)
        seen[base] = n + 1
        fingerprint = base if n == 0 else hashlib.sha256(f"{base}\x1f{n}".encode()).hexdigest()  # repeats stay distinct
        issues.append(
            {
                "type": "issue",
                "engine_name": "fidelity",
                "check_name": a.rule,
                "description": a.message,
                "categories": ["Bug Risk" if a.level == "error" else "Style"],
                "severity": _severity(a),
                "fingerprint": fingerprint,
                "location": {"path": a.location.path, "lines": {"begin": a.location.line, "end": a.location.end_line}},
                "content": {"body": f"{r.name} (original {r.original}); signature: `{result.signature}`"},
            }
        )
    return json_text(json.dumps(issues, ensure_ascii=False, indent=2)) + "\n"
