"""A copy whose paragraphs are reordered, every sentence verbatim: the aligner finds every
sentence's counterpart (moves, not omissions and additions, nor a sentence paired with a similar
one of another paragraph), so the report is about moves: minor findings, verdict ``edited``."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from fidelity.extract import extract
from fidelity.pipeline import compare
from fidelity.types import Verdict

DEMETR = Path(__file__).resolve().parent.parent / "benchmarks" / "data" / "demetr-flores" / "demetr_flores.jsonl"


def _article(sentences: int, per_paragraph: int, seed: int) -> tuple[str, str]:
    """The first ``sentences`` distinct FLORES references as paragraphs, and the same
    paragraphs in a shuffled order."""
    seen: dict[str, None] = {}
    with DEMETR.open(encoding="utf-8") as fh:
        for line in fh:
            seen.setdefault(json.loads(line)["original"], None)
            if len(seen) >= sentences:
                break
    texts = list(seen)
    paragraphs = [" ".join(texts[i : i + per_paragraph]) for i in range(0, len(texts), per_paragraph)]
    shuffled = paragraphs[:]
    random.Random(seed).shuffle(shuffled)
    return "\n\n".join(paragraphs) + "\n", "\n\n".join(shuffled) + "\n"


@pytest.mark.slow
@pytest.mark.parametrize(("sentences", "seed"), [(120, 1), (640, 3), (640, 7)])
def test_reordered_paragraphs_are_moves_not_omissions(minilm, tmp_path: Path, sentences: int, seed: int) -> None:
    original, copy = _article(sentences, 4, seed)
    (tmp_path / "o.txt").write_text(original, encoding="utf-8")
    (tmp_path / "c.txt").write_text(copy, encoding="utf-8")
    report = compare(extract(tmp_path / "o.txt"), extract(tmp_path / "c.txt"), embedder=minilm)
    kinds = {p.kind for p in report.pairs}
    assert "omission" not in kinds and "addition" not in kinds
    assert "moved" in kinds
    assert report.original.coverage == 1.0 and report.copy.coverage == 1.0
    # every sentence is paired with its own text, so nothing reads as changed
    assert all(p.original_text == p.copy_text for p in report.pairs)
    assert report.counts["critical"] == 0 and report.counts["major"] == 0
    assert report.verdict == Verdict.EDITED

