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

``tool.driver.informationUri`` and each rule's ``helpUri`` are written only when a URL is
known (``project_links``): the config's ``information-uri``, else the installed package's own
metadata (``[project.urls]`` in pyproject.toml, as ``Project-URL``, or ``Home-page``). Nothing
is made up: without either, the keys are left out, which SARIF allows.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from fidelity import __version__
from fidelity.gate import GATE_RULES, Annotation, CheckResult, PairResult
from fidelity.report.escape import json_text, uri

if TYPE_CHECKING:
    from email.message import Message
    from importlib.metadata import PackageMetadata

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
DEFAULT_LEVEL = {"critical": "error", "major": "warning", "minor": "note"}


# Project-URL labels (normalised as PEP 753 does) that name the tool's home, and its documentation
_HOME_LABELS = ("homepage", "home", "repository", "source", "sourcecode", "documentation", "docs")
_DOC_LABELS = ("documentation", "docs")


def web_url(text: str) -> bool:
    """Whether ``text`` is an absolute http(s) URL with a host and nothing a URI may not hold
    raw (spaces, control characters), as SARIF's ``format: uri`` fields need."""
    if not text or any(ch.isspace() or ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def project_links(configured: str | None = None, metadata: PackageMetadata | Message | None = None) -> tuple[str | None, str | None]:
    """(information URI, rule help URI): the configured URL for both, else the installed
    package's metadata (``metadata``, read when not given): a home, repository or source URL,
    and for help a documentation URL when there is one; (None, None) when nothing names a URL.
    A metadata value that is not an absolute http(s) URL is ignored."""
    if configured:
        return configured, configured
    if metadata is None:
        from importlib.metadata import PackageNotFoundError
        from importlib.metadata import metadata as read

        try:
            metadata = read("fidelity")
        except PackageNotFoundError:
            return None, None
    labelled: dict[str, str] = {}
    for entry in metadata.get_all("Project-URL") or []:
        label, _, url = str(entry).partition(",")
        key = "".join(ch for ch in label.lower() if ch.isalnum())
        if web_url(url.strip()):
            labelled.setdefault(key, url.strip())
    home_page = str((metadata.get_all("Home-page") or [""])[0]).strip()
    homes = [labelled[k] for k in _HOME_LABELS if k in labelled] + ([home_page] if web_url(home_page) else [])
    docs = [labelled[k] for k in _DOC_LABELS if k in labelled]
    information = homes[0] if homes else None
    return information, (docs[0] if docs else information)


def rules(help_uri: str | None = None) -> list[dict[str, Any]]:
    """One reporting descriptor per rule; ``helpUri`` only when ``help_uri`` is given."""
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
    if help_uri:
        for descriptor in out:
            descriptor["helpUri"] = help_uri
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


def sarif_dict(result: CheckResult, *, information_uri: str | None = None) -> dict[str, Any]:
    """The SARIF log; ``information_uri``: the config's ``information-uri`` (see ``project_links``)."""
    information, help_uri = project_links(information_uri)
    descriptors = rules(help_uri)
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
    driver: dict[str, Any] = {"name": "fidelity", "version": __version__, "semanticVersion": __version__}
    if information:
        driver["informationUri"] = information
    driver["rules"] = descriptors
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The root of the repository (or the folder fidelity ran in, outside one)."}}},
                "invocations": [{"executionSuccessful": result.errored == 0, "toolExecutionNotifications": notifications}],
                "results": results,
                "properties": {"signature": result.signature, "pairs": len(result.results), "passed": result.passed, "failed": result.failed, "errors": result.errored},
            }
        ],
    }


def render(result: CheckResult, *, information_uri: str | None = None) -> str:
    return json_text(json.dumps(sarif_dict(result, information_uri=information_uri), ensure_ascii=False, indent=2)) + "\n"
