"""The quick development loop for the drift judgement: DEMETR rows -> the issue-5 measures.

    python -m training.devloop [--split dev|test] [--limit N] [--show clean,missed,surface] [--settings independent,derived]

Runs ``pipeline.compare`` over DEMETR pairs exactly as ``fidelity bench demetr`` does (text
extraction with ``keep_boilerplate=True``, the same measures from ``fidelity.bench``), but keeps
the sentence vectors and spaCy parses on disk between runs (``--cache``), so a change to a
check is measured in a minute instead of re-embedding and re-parsing every pair. The official
figures come from ``fidelity bench demetr``; this loop is for tuning on the dev (even) items.
Prints per severity level: flagged at major+, pairwise accuracy of fidelity vs chrF/BLEU/cosine;
then, with ``--show``, the clean pairs flagged (false alarms) and the critical pairs missed.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="dev", choices=["dev", "test", "all"])
    ap.add_argument("--limit", type=int, default=60, help="first N items of the split")
    ap.add_argument("--settings", default="independent,derived")
    ap.add_argument("--show", default="", help="comma list: clean, missed, surface, major")
    ap.add_argument("--cache", default="/tmp/fidelity-devloop")
    ap.add_argument("--no-prune", action="store_true", help="measure recovery on every pair (for training features)")
    ap.add_argument("--set", action="append", default=[], help="threshold=value (fidelity.thresholds.Thresholds field), repeatable")
    ap.add_argument("--dump", default="", help="write per-pair hits, recovery and model probability here (JSONL)")
    args = ap.parse_args()

    import numpy as np

    from fidelity import bench, nlp
    from fidelity import severity as sev
    from fidelity.embed import CachedEmbedder, get_embedder
    from fidelity.extract import extract
    from fidelity.pipeline import Options, compare_with_evidence
    from fidelity.types import Severity

    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    embedder = CachedEmbedder(get_embedder("minilm"))
    emb_file, doc_file = cache / "emb.pkl", cache / "spacy.pkl"
    if emb_file.exists():
        embedder._cache.update(pickle.loads(emb_file.read_bytes()))
    if doc_file.exists():
        nlp.load_parses(doc_file.read_bytes())
    n_docs = nlp.parses_cached()

    rows = bench.load(split=args.split, limit_items=args.limit)
    from dataclasses import replace

    from fidelity.thresholds import Thresholds

    base = Thresholds()
    changed = {k: type(getattr(base, k))(v) for k, v in (x.split("=", 1) for x in args.set)}
    if args.no_prune:
        changed["recovery_everywhere"] = True
    options = Options(model="minilm", language="en", thresholds=replace(base, **changed))
    t0 = time.perf_counter()
    shown = set(args.show.split(",")) if args.show else set()
    dump = open(args.dump, "w", encoding="utf-8") if args.dump else None
    for setting in args.settings.split(","):
        texts = [bench.pair_texts(r, setting) for r in rows]  # type: ignore[arg-type]
        fid = np.full(len(rows), np.nan)
        flagged = np.zeros(len(rows), dtype=bool)
        top: list[str | None] = [None] * len(rows)
        details: list[list[str]] = [[] for _ in rows]
        for k, (o, c) in enumerate(texts):
            try:
                rep, evidence = compare_with_evidence(extract("original", text=o, keep_boilerplate=True), extract("copy", text=c, keep_boilerplate=True), options=options, embedder=embedder)
            except Exception as exc:
                details[k] = [f"error: {exc}"]
                continue
            fid[k] = rep.score
            t = max((f.severity for f in rep.findings), default=None)
            top[k] = t.value if t else None
            flagged[k] = t is not None and t >= Severity.MAJOR
            details[k] = [f"{f.severity.value}:{f.rule}: {f.message}" for f in rep.findings]
            if dump is not None:
                dump.write(json.dumps({"id": rows[k].id, "item": rows[k].item, "setting": setting, "perturbation": rows[k].perturbation, "severity": rows[k].severity, "score": rep.score, "findings": details[k], "pairs": [_describe(a, sev) for a in evidence.pairs]}) + "\n")
        chrf, bleu = bench.lexical_scores(texts)
        cos = bench._cosines(texts, embedder)
        s = bench.SettingScores(setting, list(rows), {"fidelity": fid, "chrf": chrf, "bleu": bleu, "cosine": cos}, flagged, top)  # type: ignore[arg-type]
        m = s.measures()
        print(f"== {setting} ({args.split}, {len({r.item for r in rows})} items)")
        f = m["flagged"]
        print(f"   flagged: clean {f['clean']}  surface-minor {f['surface_minor']}  minor {f['minor']}  major {f['major']}  critical {f['critical']}")
        for lvl, b in m["levels"].items():
            pw = "  ".join(f"{x} {b['pairwise'][x]}" for x in bench.METRICS)
            print(f"   [{lvl:8s}] flagged {b['flagged']}  pairwise: {pw}")
        if "perts" in shown or "clean" in shown:
            for p, b in m["perturbations"].items():
                print(f"   {p:38s} {b['severity']:8s} flagged {b['flagged']}  pairwise fid {b['pairwise']['fidelity']} chrf {b['pairwise']['chrf']}")
        wins = bench.pairwise_wins(s, "fidelity")
        for k, r in enumerate(rows):
            show = (
                ("clean" in shown and r.severity == "none" and flagged[k])
                or ("missed" in shown and r.severity == "critical" and not flagged[k])
                or ("surface" in shown and r.perturbation in bench.SURFACE_MINOR and flagged[k])
                or ("lost" in shown and k in wins and not wins[k] and r.severity in ("critical", "major"))
            )
            if show:
                print(f"-- {r.id} [{r.perturbation}] score {fid[k]:.2f}")
                print(f"   O: {texts[k][0]}\n   C: {texts[k][1]}")
                for d in details[k]:
                    print(f"   {d}")
    print(f"{time.perf_counter() - t0:.0f} s", file=sys.stderr)
    emb_file.write_bytes(pickle.dumps(embedder._cache))
    if nlp.parses_cached() > n_docs:
        doc_file.write_bytes(nlp.save_parses())


def _describe(a, sev):  # type: ignore[no-untyped-def]
    """One analysed pair: verbatim share, model probability, and each hit with the recovery of its edit."""
    f = a.features

    def rec(h):  # type: ignore[no-untyped-def]
        for k, e in enumerate(a.wa.edits):
            if k in a.recovery and ((h.o and e.o_span[0] <= h.o[0] < max(e.o_span[1], e.o_span[0] + 1)) or (h.c and e.c_span[0] <= h.c[0] < max(e.c_span[1], e.c_span[0] + 1))):
                return round(a.recovery[k], 4)
        return None

    return {
        "verbatim": round(a.wa.verbatim, 4), "sim": a.pair.similarity, "chrf": a.pair.chrf, "p": round(sev.probability(f), 4), "features": f,
        "hits": [[h.kind, h.strength, h.detail, rec(h)] for h in a.hits],
        "recovery": {str(k): round(v, 4) for k, v in a.recovery.items()},
        "edits": [[e.kind, e.trivial, e.o_text, e.c_text] for e in a.wa.edits],
    }


if __name__ == "__main__":
    main()
