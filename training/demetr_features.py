"""Run fidelity over DEMETR pairs and keep, per pair, its features, findings and score.

    python -m training.demetr_features OUT.jsonl [--items even|odd|all] [--limit N] [--settings independent,derived]

Each output line: {"id", "item", "setting", "perturbation", "severity", "features", "recovery_edits"
(each measured edit's recovered similarity, largest edit first), "findings":
[[rule, severity], ...], "score", "top"} where "top" is the highest finding severity (or "").
Settings: independent (original = human reference, copy = perturbed MT) and derived
(original = clean MT, copy = perturbed MT; the clean row is then the MT against itself).
Used by train_severity.py (even items = development) and for quick measurements.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

DEMETR = Path(__file__).resolve().parents[1].parent / "shared/benchmarks/demetr-flores/demetr_flores.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--items", default="all", choices=["even", "odd", "all"])
    ap.add_argument("--limit", type=int, default=0, help="at most this many items (0 = all)")
    ap.add_argument("--settings", default="independent,derived")
    ap.add_argument("--data", default=str(DEMETR))
    args = ap.parse_args()

    from fidelity.embed import CachedEmbedder, get_embedder
    from fidelity.extract import extract
    from fidelity.pipeline import Options, compare_with_evidence
    from fidelity.thresholds import Thresholds

    options = Options(model="minilm", language="en", thresholds=Thresholds(recovery_everywhere=True))  # the model is fitted on every pair's recovery features
    _one_to_one_for_single_sentences()
    rows = [json.loads(line) for line in open(args.data, encoding="utf-8")]
    items = sorted({r["item"] for r in rows})
    if args.items != "all":
        items = [i for i in items if (i % 2 == 0) == (args.items == "even")]
    if args.limit:
        items = items[: args.limit]
    keep = set(items)
    rows = [r for r in rows if r["item"] in keep]
    embedder = CachedEmbedder(get_embedder("minilm"))
    settings = args.settings.split(",")
    t0 = time.time()
    n = 0
    with open(args.out, "w", encoding="utf-8") as out:
        for setting in settings:
            for r in rows:
                if setting == "derived" and r["perturbation"] in ("base_id35_reference",):
                    continue
                original = r["original"] if setting == "independent" else r["mt"]
                copy = r["copy"]
                try:
                    o = extract("original", text=original, format="lines")
                    c = extract("copy", text=copy, format="lines")
                except Exception as exc:  # an empty copy ('.') is still a pair to score
                    out.write(json.dumps({"id": r["id"], "item": r["item"], "setting": setting, "perturbation": r["perturbation"], "severity": r["severity"], "error": str(exc)}) + "\n")
                    continue
                rep, evidence = compare_with_evidence(o, c, options=options, embedder=embedder)
                analyses = evidence.pairs
                feats = analyses[0].features if analyses and analyses[0].pair.original else {}
                # each measured edit's recovery, largest edit first (``drift.measured_edits``): lets
                # train_severity.py --recovery-edits N refit on fewer edits without a second run
                recovery = list(analyses[0].recovery.values()) if feats else []
                top = max((f.severity for f in rep.findings), default=None)
                out.write(
                    json.dumps(
                        {
                            "id": r["id"], "item": r["item"], "setting": setting, "perturbation": r["perturbation"],
                            "severity": r["severity"], "features": feats, "recovery_edits": recovery, "score": rep.score, "verdict": rep.verdict.value,
                            "findings": [[f.rule, f.severity.value] for f in rep.findings], "top": top.value if top else "",
                        }
                    )
                    + "\n"
                )
                n += 1
                if n % 500 == 0:
                    print(f"{n} pairs, {time.time() - t0:.0f} s", file=sys.stderr)
    print(f"{n} pairs in {time.time() - t0:.0f} s", file=sys.stderr)


def _one_to_one_for_single_sentences() -> None:
    """Workaround: the document aligner calibrates against random sentence pairs, which a
    one-sentence document does not have, so it leaves 1 x 1 documents unaligned. A DEMETR
    item is one sentence on each side: align it 1:1 (every other case goes to the real aligner)."""
    import fidelity.pipeline as pipeline
    from fidelity.types import Alignment, Group

    real = pipeline.align

    def align(o, c, eo, ec, *, settings, memo=None):  # type: ignore[no-untyped-def]
        if len(o) == 1 and len(c) == 1:
            return Alignment((Group((0,), (0,), "match", float(eo[0] @ ec[0])),), settings.signature)
        return real(o, c, eo, ec, settings=settings, memo=memo)

    pipeline.align = align


if __name__ == "__main__":
    main()
