"""Golden outputs: a refactor of the flag stage must leave every result byte-identical.

Pinned: the JSON reports (``fidelity diff --format json``, model minilm) of the seed original
against each of its four copies, and the findings (rule, severity, spans, message) and score
that ``compare()`` gives on a fixed sample of the DEMETR development split
(``tests/golden/demetr-dev-sample.jsonl``, see ``tests/golden/README.md``).

A change of behaviour on purpose regenerates them, and the diff is reviewed in the commit:

    python -m tests.test_golden --write
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from fidelity.embed import CachedEmbedder, Embedder

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
SEED_ORIGINAL = "corpora/seeds/000_e4863368997e6bb7.txt"
SEED_COPIES = (
    "corpora/seeds/001_f6ae38cdbea0309d.txt",
    "corpora/seeds/002_8e37ae472674b90e.txt",
    "corpora/seeds/003_64b38c70a3b7b434.txt",
    "corpora/seeds/004_9090c35cc40e081f.txt",
)
SAMPLE = GOLDEN / "demetr-dev-sample.jsonl"
SAMPLE_FINDINGS = GOLDEN / "demetr-dev-findings.jsonl"


def seed_report(copy: str) -> str:
    """The JSON report of the seed original against ``copy``, as the CLI writes it."""
    from typer.testing import CliRunner

    from fidelity.cli import app

    result = CliRunner().invoke(app, ["diff", SEED_ORIGINAL, copy, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def seed_golden_path(copy: str) -> Path:
    return GOLDEN / f"seed-000-vs-{Path(copy).name[:3]}.json"


def sample_findings(model: Embedder) -> str:
    """One JSON line per sample row: its findings and score (or the error it raised).

    One fresh vector cache over ``model`` for the whole sample, as a benchmark run has: a text
    embedded in another batch could differ in its last bits."""
    from fidelity.embed import CachedEmbedder
    from fidelity.errors import FidelityError
    from fidelity.extract import extract
    from fidelity.pipeline import compare

    embedder = CachedEmbedder(model)
    lines = []
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        out: dict[str, object] = {"id": row["id"]}
        try:
            # DEMETR texts are sentences, not web pages: no page-furniture removal (as the benchmark runs them)
            original = extract(f"{row['id']}:original", text=row["original"], keep_boilerplate=True)
            copy = extract(f"{row['id']}:copy", text=row["copy"], keep_boilerplate=True)
            report = compare(original, copy, embedder=embedder)
        except FidelityError as exc:
            out["error"] = str(exc)
        else:
            out["score"] = report.score
            out["verdict"] = report.verdict.value
            out["findings"] = [
                {
                    "rule": f.rule,
                    "severity": f.severity.value,
                    "original_span": [f.original_span.start, f.original_span.end] if f.original_span else None,
                    "copy_span": [f.copy_span.start, f.copy_span.end] if f.copy_span else None,
                    "pair": f.pair,
                    "message": f.message,
                }
                for f in report.findings
            ]
        lines.append(json.dumps(out, ensure_ascii=False, sort_keys=True))
    return "\n".join(lines) + "\n"


@pytest.mark.slow
@pytest.mark.parametrize("copy", SEED_COPIES, ids=lambda c: Path(c).name[:3])
def test_seed_report_unchanged(copy: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the report names its inputs by the paths given
    assert seed_report(copy) == seed_golden_path(copy).read_text(encoding="utf-8")


@pytest.mark.slow
def test_demetr_sample_findings_unchanged(minilm: CachedEmbedder) -> None:
    got = sample_findings(minilm.inner).splitlines()
    want = SAMPLE_FINDINGS.read_text(encoding="utf-8").splitlines()
    assert len(got) == len(want)
    changed = [(w, g) for w, g in zip(want, got, strict=True) if w != g]
    assert not changed, f"{len(changed)} of {len(want)} rows changed; first:\n- {changed[0][0]}\n+ {changed[0][1]}"


def _write() -> None:
    import os

    os.chdir(ROOT)
    for copy in SEED_COPIES:
        seed_golden_path(copy).write_text(seed_report(copy), encoding="utf-8")
    from fidelity.embed import get_embedder

    SAMPLE_FINDINGS.write_text(sample_findings(get_embedder("minilm")), encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python -m tests.test_golden --write   (regenerates tests/golden/)")
    # as under pytest (conftest): no persistent cache, whose vectors were embedded in other batches
    # and can differ from a fresh pass in the last float digit
    os.environ["FIDELITY_NO_CACHE"] = "1"
    _write()
