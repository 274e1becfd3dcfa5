"""Could the drift rule's recovery skip embedding its variant sentences? Measured here.

``fidelity.rules.drift.recover`` embeds, for each measured edit, the copy with that edit undone
(its variant), whole. A sentence vector is the normalised mean of MiniLM's last token states, so
the variant's vector can be approximated from the one encoder pass over the two sentences: the
copy's states outside the edit plus the original's states inside it, mapped to tokens by the
edit's character offsets (``spliced`` below). This script measures how far that approximation is
from the real recovery, on the DEMETR development half (even items, both settings) and on the
seed original against its four copies:

  * every measured edit's recovery both ways (``Thresholds.recovery_everywhere``, the population
    the severity model is fitted on): Pearson and Spearman correlation, mean and 95th-percentile
    absolute difference, how often the pair's top edit (the drift span) is the same edit, and
    how often the two disagree on the ``recovery_span`` threshold;
  * with ``--rerun-layers``: the same per-edit figures when the splice is made below the last
    layer and the top L layers are run again over the spliced tokens (L = 6 runs every layer
    again from the spliced input embeddings: nearly the cost of embedding the variant);
  * findings with the default thresholds, computed both ways: pairs whose drift findings
    (rule, severity, spans) differ, and pairs whose findings of any rule differ.

Usage: python benchmarks/eval_recovery.py [--items 100] [--rerun-layers 1,2,6] [--out FILE.json]
(FIDELITY_NO_CACHE is set: a cached report would hide the difference.)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEED_ORIGINAL = ROOT / "corpora" / "seeds" / "000_e4863368997e6bb7.txt"
SEED_COPIES = sorted((ROOT / "corpora" / "seeds").glob("00[1-4]_*.txt"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=100, help="first N even (development) DEMETR items")
    parser.add_argument("--rerun-layers", default="", help="comma-separated L: also splice below the top L layers and run them again")
    parser.add_argument("--out", help="write the figures as JSON here too")
    args = parser.parse_args()
    os.environ["FIDELITY_NO_CACHE"] = "1"

    import numpy as np

    import fidelity.rules.analysis as analysis
    from fidelity.embed import CachedEmbedder, get_embedder
    from fidelity.eval.demetr import load, pair_texts
    from fidelity.extract import extract
    from fidelity.pipeline import Options, compare_with_evidence
    from fidelity.rules import drift
    from fidelity.thresholds import Thresholds

    embedder = CachedEmbedder(get_embedder("minilm"), persistent=False)
    encoder = embedder.inner

    def recover_from_states(ctx: Any, analyses: Any) -> None:
        """``drift.recover`` with each variant's vector spliced from token states."""
        measured, base_vecs = drift.measured_edits(ctx, analyses)
        if not measured:
            return
        states = encoder.token_states([t for a, _, _ in measured for t in (a.o_text, a.c_text)])
        for m, (a, n, edits) in enumerate(measured):
            o_vec = base_vecs[2 * n]
            base = float(np.dot(o_vec, base_vecs[2 * n + 1]))
            for k, e in edits:
                a.recovery[k] = float(np.dot(o_vec, spliced(states[2 * m], states[2 * m + 1], e))) - base
    default = Options(model="minilm", language="en")
    everywhere = Options(model="minilm", language="en", thresholds=Thresholds(recovery_everywhere=True))
    th = Thresholds()

    pairs: list[tuple[str, str, str]] = []  # (name, original, copy)
    for row in load(split="dev", limit_items=args.items):
        for setting in ("independent", "derived"):
            if setting == "derived" and row.perturbation == "base_id35_reference":
                continue
            o, c = pair_texts(row, setting)
            pairs.append((f"demetr-{row.item}-{row.perturbation}-{setting}", o, c))
    seed_text = SEED_ORIGINAL.read_text(encoding="utf-8")
    pairs += [(f"seed-000-vs-{p.name[:3]}", seed_text, p.read_text(encoding="utf-8")) for p in SEED_COPIES]

    def run(name: str, o: str, c: str, options: Options, variants: bool) -> tuple[Any, Any] | None:
        analysis.recover = drift.recover if variants else recover_from_states
        try:
            return compare_with_evidence(extract("original", text=o), extract("copy", text=c), options=options, embedder=embedder)
        except Exception:  # an empty copy ('.'): nothing to compare either way
            return None
        finally:
            analysis.recover = drift.recover

    rerun = [int(x) for x in args.rerun_layers.split(",") if x]
    bert = encoder._load()
    deeper: dict[int, list[float]] = {n_layers: [] for n_layers in rerun}
    exact: list[float] = []
    approx: list[float] = []
    top_same = top_total = span_disagree = 0
    changed_drift: list[dict[str, Any]] = []
    changed_any = 0
    compared = {"demetr": 0, "seed": 0}
    drift_changed = {"demetr": 0, "seed": 0}
    any_changed = {"demetr": 0, "seed": 0}
    severity_moved = 0
    t0 = time.time()
    for n, (name, o, c) in enumerate(pairs):
        kind = name.split("-")[0]
        done = run(name, o, c, everywhere, variants=True)
        if done is not None:
            for a in done[1].pairs:
                if not a.recovery:
                    continue
                states = encoder.token_states([a.o_text, a.c_text])
                o_vec, c_vec = embedder.encode([a.o_text, a.c_text])
                base = float(np.dot(o_vec, c_vec))
                mine = {k: float(np.dot(o_vec, spliced(states[0], states[1], a.wa.edits[k]))) - base for k in a.recovery}
                if rerun:
                    o_taps, c_taps = layer_states(bert, a.o_text), layer_states(bert, a.c_text)
                    for k in a.recovery:
                        for n_layers in rerun:
                            deeper[n_layers].append(float(np.dot(o_vec, spliced_below(bert, o_taps, c_taps, a.wa.edits[k], n_layers))) - base)
                for k, v in a.recovery.items():
                    exact.append(v)
                    approx.append(mine[k])
                    span_disagree += (v >= th.recovery_span) != (mine[k] >= th.recovery_span)
                top_total += 1
                top_same += max(a.recovery, key=a.recovery.__getitem__) == max(mine, key=mine.__getitem__)
        by_variants = run(name, o, c, default, variants=True)
        by_states = run(name, o, c, default, variants=False)
        if by_variants is None or by_states is None:
            continue
        compared[kind] += 1
        f_var = [_key(f) for f in by_variants[0].findings]
        f_sta = [_key(f) for f in by_states[0].findings]
        d_var = [f for f in f_var if f[0] == "drift"]
        d_sta = [f for f in f_sta if f[0] == "drift"]
        if d_var != d_sta:
            drift_changed[kind] += 1
            severity_moved += sorted(f[1] for f in d_var) != sorted(f[1] for f in d_sta)
            changed_drift.append({"pair": name, "variants": d_var, "states": d_sta})
        if f_var != f_sta:
            any_changed[kind] += 1
            changed_any += 1
        if (n + 1) % 200 == 0:
            print(f"  {n + 1}/{len(pairs)} pairs, {time.time() - t0:.0f} s", file=sys.stderr)

    e, x = np.array(exact), np.array(approx)
    diff = np.abs(e - x)
    def agreement(x: Any) -> dict[str, Any]:
        d = np.abs(e - x)
        return {"pearson": float(np.corrcoef(e, x)[0, 1]), "mean_abs_diff": float(d.mean()), "p95_abs_diff": float(np.quantile(d, 0.95)),
                "recovery_span_disagree": f"{int(((e >= th.recovery_span) != (x >= th.recovery_span)).sum())}/{len(e)}"}

    figures = {
        "demetr_items": args.items,
        "edits_measured": len(e),
        "pearson": float(np.corrcoef(e, x)[0, 1]),
        "spearman": float(np.corrcoef(np.argsort(np.argsort(e)), np.argsort(np.argsort(x)))[0, 1]),
        "mean_abs_diff": float(diff.mean()),
        "p95_abs_diff": float(np.quantile(diff, 0.95)),
        "mean_exact": float(e.mean()),
        "mean_approx": float(x.mean()),
        "top_edit_same": f"{top_same}/{top_total}",
        "recovery_span_disagree": f"{span_disagree}/{len(e)}",
        "rerun_top_layers": {str(n_layers): agreement(np.array(v)) for n_layers, v in deeper.items()},
        "pairs_compared": compared,
        "pairs_drift_findings_changed": drift_changed,
        "pairs_drift_severity_changed": severity_moved,
        "pairs_any_findings_changed": any_changed,
        "changed": changed_drift,
    }
    print(json.dumps({k: v for k, v in figures.items() if k != "changed"}, indent=1))
    for ch in changed_drift[:40]:
        print(f"  {ch['pair']}: {ch['variants']} -> {ch['states']}")
    if args.out:
        Path(args.out).write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


def spliced(o: Any, c: Any, e: Any) -> Any:
    """The approximate vector of the copy with edit ``e`` undone, from the two sides' token states
    ((tokens, d) states, (tokens, 2) character offsets): the normalised mean of the copy's states
    ([CLS] and [SEP] included) less those of tokens inside the edit's copy span, plus the
    original's states of tokens inside its original span."""
    import numpy as np

    (o_states, o_offsets), (c_states, c_offsets) = o, c
    total = c_states[~_inside(c_offsets, e.c_span)].sum(axis=0) + o_states[_inside(o_offsets, e.o_span)].sum(axis=0)
    norm = float(np.linalg.norm(total))
    return total / norm if norm else total


def layer_states(bert: Any, text: str) -> tuple[list[Any], Any]:
    """One text's states after the input embeddings and after each layer ([0] .. [layers]), and
    its token offsets; one sequence, no padding."""
    import numpy as np

    from fidelity.models.minilm import _layer_norm

    enc = bert.tokenizer.encode(text)
    ids = np.array([enc.ids])
    taps: list[Any] = []
    bert._forward(ids, np.ones(ids.shape, np.float32), taps)
    x0 = _layer_norm(bert.word_emb[ids[0]] + bert.pos_type_emb[: ids.shape[1]], *bert.emb_ln, bert.eps)
    return [x0, *(t[0] for t in taps)], np.array(enc.offsets, dtype=np.int64)


def spliced_below(bert: Any, o: tuple[list[Any], Any], c: tuple[list[Any], Any], e: Any, n_layers: int) -> Any:
    """The variant's vector when the states are spliced below the top ``n_layers`` layers (the
    copy's tokens before the edit, the original's inside it, the copy's after, each keeping the
    position it had in its own sentence) and those layers run again over the spliced sequence."""
    import math

    import numpy as np

    from fidelity.models.minilm import _gelu_, _layer_norm

    (o_layers, o_offsets), (c_layers, c_offsets) = o, c
    below = len(bert.layers) - n_layers
    inside = _inside(c_offsets, e.c_span)
    before = ~inside & (c_offsets[:, 1] <= e.c_span[0])
    before[0], before[-1] = True, False  # [CLS] first, [SEP] last
    after = ~inside & ~before
    x = np.concatenate([c_layers[below][before], o_layers[below][_inside(o_offsets, e.o_span)], c_layers[below][after]])
    width, h = x.shape
    hd = h // bert.heads
    for layer in bert.layers[below:]:  # BertSentenceEncoder._forward's layer, for one unpadded sequence
        qkv = (x @ layer.qkv_w + layer.qkv_b).reshape(width, 3, bert.heads, hd).transpose(1, 2, 0, 3)
        scores = (qkv[0] / np.float32(math.sqrt(hd))) @ qkv[1].transpose(0, 2, 1)
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        scores /= scores.sum(axis=-1, keepdims=True)
        ctx = (scores @ qkv[2]).transpose(1, 0, 2).reshape(width, h)
        x = _layer_norm(ctx @ layer.out_w + layer.out_b + x, layer.ln1_g, layer.ln1_b, bert.eps)
        up = x @ layer.up_w + layer.up_b
        _gelu_(up)
        x = _layer_norm(up @ layer.down_w + layer.down_b + x, layer.ln2_g, layer.ln2_b, bert.eps)
    pooled = x.mean(axis=0)
    return pooled / np.linalg.norm(pooled)


def _inside(offsets: Any, span: tuple[int, int]) -> Any:
    """Tokens whose characters overlap ``span`` (special tokens, at (0, 0), never do)."""
    s, t = span
    return (offsets[:, 0] < t) & (offsets[:, 1] > s) & (offsets[:, 1] > offsets[:, 0])


def _key(f: Any) -> tuple[Any, ...]:
    o, c = f.original_span, f.copy_span
    return (f.rule, str(f.severity), (o.start, o.end) if o else None, (c.start, c.end) if c else None)


if __name__ == "__main__":
    main()
