"""Per-edit features and labels for the edit model (drift-edit), from development data only.

    python -m training.edit_features mqm /tmp/edits-mqm.jsonl [--limit N]
    python -m training.edit_features demetr /tmp/edits-demetr.jsonl [--limit N]   (items, even only)
    python -m training.edit_features honest /tmp/edits-honest.jsonl [--limit N]
    python -m training.train_edit_model /tmp/edits-*.jsonl

Each row is one drift-edit candidate (``drift.edit_candidates``: an edit of a reworded pair that
no major hit covers), with every candidate's recovery measured (``recovery_everywhere``):

- ``mqm``: WMT23 zh-en MQM **dev** (reference as original, MT as copy). Label 1 when the edit's
  copy range meets a major Accuracy/Non-translation span of any rater; 0 when it meets no error
  span of any kind; left out otherwise (minor or fluency spans: not the question asked), and a
  pure drop is left out where a rater marked a major omission on the source side (MQM gives no
  copy range for it, so which drop it is cannot be told).
- ``demetr``: DEMETR FLORES **even items**, independent setting (reference vs perturbed MT).
  The perturbation's own words are the word diff between the clean MT and its perturbed copy;
  an edit meeting them is 1 for a critical or major perturbation and left out for a minor one;
  every other edit is 0 (the honest variation between reference and MT).
- ``honest``: WMT22 honest **dev** split (cs-en, zh-en): every edit 0 (two professional
  translations: the negatives that keep false alarms down).

Never the test or held-out splits, never the seeds.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any


def _items(source: str, limit: int | None) -> Iterator[tuple[str, str, str, Any]]:
    """(row id, original, copy, labeller) per row; the labeller maps an edit's copy range to 1/0/None."""
    if source == "mqm":
        from fidelity.eval import mqm

        for r in mqm.load(split="dev", limit=limit):
            major = [(e.start, e.end) for e in r.errors if e.severity == "major" and mqm._is_accuracy(e.category) and e.start is not None and e.end is not None]
            other = [(e.start, e.end) for e in r.errors if e.start is not None and e.end is not None]
            omitted = any(e.severity == "major" and e.start is None for e in r.errors)
            yield r.id, r.original, r.copy, (major, other, omitted)
    elif source == "demetr":
        from fidelity.eval import demetr
        from fidelity.wordalign import wordalign

        for r in demetr.load(split="dev", limit_items=limit):
            if r.item % 2 or r.severity == "base":
                continue
            spans = [e.c_span for e in wordalign(r.mt, r.copy).meaningful()] if r.copy != r.mt else []
            if r.severity in ("critical", "major"):
                yield r.id, r.original, r.copy, (spans, spans, False)
            else:
                yield r.id, r.original, r.copy, ([], spans, False)
    elif source == "honest":
        from fidelity.eval import honest

        for r in honest.load(split="dev", limit=limit):
            yield r.id, r.original, r.copy, ([], [], False)
    else:
        raise SystemExit(f"unknown source {source!r}; choose mqm, demetr or honest")


def _meets(span: tuple[int, int], ranges: list[tuple[int, int]]) -> bool:
    s, t = span[0], max(span[1], span[0] + 1)
    return any(a < t and s < max(b, a + 1) for a, b in ranges)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("source", choices=["mqm", "demetr", "honest"])
    ap.add_argument("output")
    ap.add_argument("--limit", type=int, default=None, help="first N rows (demetr: items)")
    args = ap.parse_args()

    from fidelity.embed import CachedEmbedder, get_embedder
    from fidelity.extract import extract
    from fidelity.pipeline import Options, compare_with_evidence
    from fidelity.rules.drift import _pair_p, edit_features, edit_words
    from fidelity.thresholds import Thresholds

    options = Options(model="minilm", language="en", thresholds=replace(Thresholds(), edit_findings=True, recovery_everywhere=True), ignore=("drift-edit",))
    embedder = CachedEmbedder(get_embedder("minilm"))
    n = 0
    with Path(args.output).open("w", encoding="utf-8") as out:
        for row_id, original, copy, (positive, marked, omitted) in _items(args.source, args.limit):
            try:
                _, evidence = compare_with_evidence(extract("original", text=original, keep_boilerplate=True), extract("copy", text=copy, keep_boilerplate=True), options=options, embedder=embedder)
            except Exception as exc:  # a row that fails is skipped, as the benches skip it
                print(f"{row_id}: {exc}")
                continue
            for a in evidence.pairs:
                if not a.edit_recovery:
                    continue
                pair_p = _pair_p(a)
                for k, recovery in sorted(a.edit_recovery.items()):
                    e = a.wa.edits[k]
                    span = a.c_doc_span(*e.c_span)
                    c_range = (span.start, span.end)
                    if _meets(c_range, positive) and not (e.kind == "drop" and args.source == "mqm"):
                        label: int | None = 1
                    elif _meets(c_range, marked) or (e.kind == "drop" and omitted):
                        label = None
                    else:
                        label = 0
                    if label is None:
                        continue
                    lost, new = edit_words(a, k)
                    rec = {"source": args.source, "id": row_id, "pair": a.pair.index, "kind": e.kind, "o": e.o_text, "c": e.c_text,
                           "lost": [w for w, _ in lost], "new": [w for w, _ in new], "label": label,
                           "features": edit_features(a, k, recovery, pair_p)}  # fmt: skip
                    out.write(json.dumps(rec, ensure_ascii=False) + "\n")
                    n += 1
    print(f"{n} edits -> {args.output}")


if __name__ == "__main__":
    main()
