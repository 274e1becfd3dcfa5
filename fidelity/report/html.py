"""``--format html``: the report for a person, as one self-contained page a browser opens.

In: a ``Report`` (``render``), or a ``CheckResult`` (``render_check``: one page per pair and
an index page). Out: HTML text. The page holds its style sheet and script inline and loads
nothing; its Content-Security-Policy allows only that style sheet and that script (by their
SHA-256), so even a string that escaped escaping could not run.

Every value from the inputs reaches the page through Jinja2's autoescape, after
``escape.terminal`` has made control characters and bidirectional overrides visible (the
environment's ``finalize``), so a copy's ``<script>`` or ``U+202E`` is shown as text. Only the
package's own style sheet and script are marked safe.

The page: the header (verdict, score, coverage, counts, signature), what matters most (as in
the terminal report, from ``digest.headlines``), a toolbar (filters by severity and category,
findings only, previous and next finding) with a strip of the whole document (one mark a pair,
coloured by its worst finding or its drift; a click goes there), then the two texts pair by
pair with the changed words marked on both sides and the findings' badges.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from fidelity.report import digest
from fidelity.report.escape import terminal
from fidelity.types import Finding, Pair, Report, Severity

if TYPE_CHECKING:
    from jinja2 import Environment

    from fidelity.gate import CheckResult, PairResult

DRIFT_STEPS = (0.15, 0.3, 0.5)  # drift buckets for the strip's shades of grey (display only)


@dataclass(frozen=True)
class PairView:
    pair: Pair
    label: str  # changed, omitted, added, moved, same
    where: str
    left: list[tuple[str, bool]]  # text pieces, True where the word changed
    right: list[tuple[str, bool]]
    findings: tuple[Finding, ...]
    worst: str  # the worst finding's severity, or "none"
    shade: int  # 0..3, the drift bucket
    moved_here: tuple[Pair, ...]  # moved passages the copy has just before this pair

    @property
    def unchanged(self) -> bool:
        return self.label == "same"


def render(report: Report, *, index_href: str | None = None) -> str:
    """One page for one report; ``index_href`` links back to the index of a check run."""
    return _template("report.html.j2").render(**_report_context(report), index_href=index_href, **_assets())


def render_check(result: CheckResult) -> dict[str, str]:
    """A check run as pages: ``index.html`` and one page per pair, by file name."""
    names = page_names(result)
    pages = {name: render(r.report, index_href="index.html") for r, name in zip(result.results, names, strict=True) if r.report is not None}
    rows = [_index_row(r, name if r.report is not None else None) for r, name in zip(result.results, names, strict=True)]
    pages["index.html"] = _template("index.html.j2").render(result=result, rows=rows, **_assets())
    return pages


def page_names(result: CheckResult) -> list[str]:
    """A file name per pair: its number and the copy's name, reduced to safe characters."""
    names = []
    for i, r in enumerate(result.results, 1):
        base = re.split(r"[/\\]", r.copy)[-1]
        stem = re.sub(r"[^A-Za-z0-9._-]+|\.{2,}", "-", base).strip("-.")[:60] or "copy"
        names.append(f"{i:03d}-{stem}.html")
    return names


def _index_row(r: PairResult, href: str | None) -> dict[str, Any]:
    return {"r": r, "href": href, "counts": r.report.counts if r.report is not None else None}


def _report_context(report: Report) -> dict[str, Any]:
    shown, note = digest.readable(report)
    views = []
    for moved_here, block in digest.placed(report.pairs, digest.blocks(shown, merge_runs=False)):
        views.append(_view(block[0], moved_here))
    findings = [f for p in report.pairs for f in p.findings] + [f for f in report.findings if f.pair is None]
    categories: dict[str, int] = {}
    for f in findings:
        categories[f.category.value] = categories.get(f.category.value, 0) + 1
    return {
        "r": report,
        "gloss": digest.VERDICT_GLOSS[report.verdict],
        "headlines": digest.headlines(report),
        "pairs": report.pairs,
        "views": views,
        "note": note,
        "doc_findings": [f for f in report.findings if f.pair is None],
        "severities": [s.value for s in sorted(Severity, reverse=True)],
        "counts": report.counts,
        "categories": sorted(categories.items()),
        "minor_count": report.counts["minor"],
        "where": digest.where,
        "numbers": digest.numbers,
        "counted": digest.counted,
        "coverage": digest.coverage,
    }


def _view(pair: Pair, moved_here: list[Pair]) -> PairView:
    # an omitted or added passage has nothing to differ from: its side is marked whole instead
    # (and a translation's words all differ from the original's: nothing is marked across languages)
    words = pair.original and pair.copy and not digest.across_languages(pair)
    left, right = digest.changed_words(pair.original_text, pair.copy_text) if words else ([], [])
    worst = max((f.severity for f in pair.findings), default=None)
    drift = pair.drift or 0.0
    unchanged = pair.kind == "match" and drift == 0.0 and not pair.findings
    shade = 3 if pair.kind != "match" else sum(drift >= step for step in DRIFT_STEPS)
    return PairView(
        pair=pair,
        label="same" if unchanged else digest.kind_label(pair),
        where=digest.where(pair),
        left=digest.segments(pair.original_text, left),
        right=digest.segments(pair.copy_text, right),
        findings=tuple(sorted(pair.findings, key=lambda f: -f.severity.rank)),
        worst=worst.value if worst is not None else "none",
        shade=shade,
        moved_here=tuple(moved_here),
    )


def _visible(value: Any) -> Any:
    """Jinja's ``finalize``: input strings with control and bidi characters made visible.

    The package's own style sheet and script arrive as ``Markup`` and pass untouched;
    autoescape then escapes everything else.
    """
    from markupsafe import Markup

    if isinstance(value, str) and not isinstance(value, Markup):
        return terminal(value)
    return value


@cache
def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(
        loader=PackageLoader("fidelity.report", "templates"),
        autoescape=True,
        finalize=_visible,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _template(name: str) -> Any:
    return _environment().get_template(name)


@cache
def _assets() -> dict[str, Any]:
    """The inline style sheet and script, and the policy that allows exactly them."""
    from markupsafe import Markup

    folder = resources.files("fidelity.report") / "templates"
    css = (folder / "report.css").read_text(encoding="utf-8")
    js = (folder / "report.js").read_text(encoding="utf-8")
    policy = (
        f"default-src 'none'; style-src {_sha(css)}; script-src {_sha(js)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    return {"css": Markup(css), "js": Markup(js), "policy": policy}


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"
