"""Where fidelity's findings point, against where the MQM raters marked major errors.

`fidelity bench mqm` reports one character F1: the copy's characters inside a major-or-worse
finding's copy span against the characters inside any rater's major span, pooled over rows. This
script breaks that figure down, so an engineer can see whether it is low for precision (findings
covering whole sentences or long reworded stretches) or for recall (errors no finding points at):

- by rule: major+ findings, their characters, how many of those lie in a major span (precision),
  and the span lengths (characters; share of the sentence pair's copy text they cover);
- the major-span characters missed, split by where they lie: in a row with no major+ finding, in
  a row whose major+ findings all point at other sentences, or in a sentence a major+ finding
  points at but outside its span; and how many of them a minor finding covers.

Usage: python benchmarks/eval_spans.py [--split dev|test] [--cache .cache/bench] [--show RULE] [--json OUT]
       [--span-stretch-words N]
(the split defaults to dev: choices are made there; test is reported, never tuned on).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fidelity.embed import CachedEmbedder, get_embedder, initial_model  # noqa: E402
from fidelity.eval import common, mqm  # noqa: E402
from fidelity.pipeline import Options  # noqa: E402
from fidelity.types import Report, Severity  # noqa: E402


def _chars(ranges: list[tuple[int, int]]) -> set[int]:
    return {i for s, e in ranges for i in range(s, e)}


def breakdown(reports: list[Report | str], rows: list[mqm.MqmRow]) -> dict:
    """The figures described in the module docstring, as one JSON-ready dict."""
    by_rule: dict[str, dict] = defaultdict(lambda: {"findings": 0, "chars": 0, "in_major": 0, "lengths": [], "shares": []})
    gold_total = hit_total = pred_total = 0
    missed = {"no_major_finding": 0, "other_sentence": 0, "same_sentence": 0}
    missed_minor = 0
    for report, row in zip(reports, rows, strict=True):
        gold = _chars(list(row.major_spans))
        gold_total += len(gold)
        if isinstance(report, str):
            missed["no_major_finding"] += len(gold)
            continue
        major = [f for f in report.findings if f.severity >= Severity.MAJOR and f.copy_span is not None]
        minor = [f for f in report.findings if f.severity < Severity.MAJOR and f.copy_span is not None]
        predicted = _chars([(f.copy_span.start, f.copy_span.end) for f in major])  # type: ignore[union-attr]
        pred_total += len(predicted)
        hit_total += len(predicted & gold)
        for f in major:
            assert f.copy_span is not None
            own = set(range(f.copy_span.start, f.copy_span.end))
            r = by_rule[f.rule]
            r["findings"] += 1
            r["chars"] += len(own)
            r["in_major"] += len(own & gold)
            r["lengths"].append(len(own))
            sentence = _pair_copy(report, f.pair)
            if sentence:
                r["shares"].append(len(own & sentence) / len(sentence))
        pointed = set().union(*(_pair_copy(report, f.pair) for f in major)) if major else set()
        lost = gold - predicted
        missed_minor += len(lost & _chars([(f.copy_span.start, f.copy_span.end) for f in minor]))  # type: ignore[union-attr]
        if not major:
            missed["no_major_finding"] += len(lost)
        else:
            missed["same_sentence"] += len(lost & pointed)
            missed["other_sentence"] += len(lost - pointed)
    rules = {}
    for name, r in sorted(by_rule.items(), key=lambda kv: -kv[1]["chars"]):
        lengths, shares = sorted(r["lengths"]), sorted(r["shares"])
        rules[name] = {
            "findings": r["findings"],
            "chars": r["chars"],
            "precision": round(r["in_major"] / r["chars"], 3) if r["chars"] else None,
            "median_chars": statistics.median(lengths),
            "p90_chars": lengths[int(0.9 * (len(lengths) - 1))],
            "median_share_of_sentence": round(statistics.median(shares), 2) if shares else None,
            "whole_sentence": round(sum(s >= 0.9 for s in shares) / len(shares), 2) if shares else None,
        }
    missed_total = gold_total - hit_total
    return {
        "precision": round(hit_total / pred_total, 4) if pred_total else None,
        "recall": round(hit_total / gold_total, 4) if gold_total else None,
        "f1": round(2 * hit_total / (pred_total + gold_total), 4) if pred_total + gold_total else None,
        "predicted_chars": pred_total,
        "major_chars": gold_total,
        "rules": rules,
        "missed_chars": missed_total,
        "missed": {k: round(v / missed_total, 3) if missed_total else None for k, v in missed.items()},
        "missed_inside_a_minor_finding": round(missed_minor / missed_total, 3) if missed_total else None,
    }


def _pair_copy(report: Report, pair: int | None) -> set[int]:
    """The copy characters of sentence pair ``pair`` (empty for a document-level finding)."""
    if pair is None:
        return set()
    text = report.pairs[pair].copy_text
    start = report.copy_doc.text.find(text) if text and report.copy_doc is not None else -1
    return set(range(start, start + len(text))) if start >= 0 else set()


def show(reports: list[Report | str], rows: list[mqm.MqmRow], rule: str, n: int) -> None:
    """Print ``n`` major+ findings of ``rule``: the copy span, and the major spans of its row."""
    shown = 0
    for report, row in zip(reports, rows, strict=True):
        if isinstance(report, str):
            continue
        for f in report.findings:
            if f.rule == rule and f.severity >= Severity.MAJOR and f.copy_span is not None and shown < n:
                shown += 1
                gold = [row.copy[s:e] for s, e in row.major_spans]
                print(f"{row.id}: span {f.copy_span.text!r}\n   major: {gold}\n   {f.message[:200]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=mqm.SPLITS, default="dev")
    ap.add_argument("--cache", type=Path, default=ROOT / ".cache" / "bench")
    ap.add_argument("--show", metavar="RULE", help="print some of this rule's major+ findings beside the major spans")
    ap.add_argument("-n", type=int, default=20, help="how many --show prints")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--span-stretch-words", type=int, help="Thresholds.span_stretch_words for this run (how it was chosen: docs/spans.md)")
    args = ap.parse_args()
    rows = mqm.load(split=args.split)
    options = Options(model="minilm", language="en")  # as `fidelity bench mqm`
    if args.span_stretch_words is not None:
        options = replace(options, thresholds=replace(options.thresholds, span_stretch_words=args.span_stretch_words))
    embedder = CachedEmbedder(get_embedder(initial_model(options.model)))
    reports = common.compare_rows([(r.original, r.copy) for r in rows], options=options, embedder=embedder, cache=args.cache)
    out = breakdown(reports, rows)
    if args.show:
        show(reports, rows, args.show, args.n)
    print(f"WMT23 MQM {args.split}: span P {out['precision']} R {out['recall']} F1 {out['f1']} "
          f"({out['predicted_chars']} characters in major+ spans, {out['major_chars']} in major spans)")
    print(f"{'rule':<18}{'findings':>9}{'chars':>8}{'P':>7}{'median':>8}{'p90':>6}{'share':>7}{'whole':>7}")
    for name, r in out["rules"].items():
        print(f"{name:<18}{r['findings']:>9}{r['chars']:>8}{r['precision']:>7}{r['median_chars']:>8}{r['p90_chars']:>6}"
              f"{r['median_share_of_sentence']!s:>7}{r['whole_sentence']!s:>7}")
    m = out["missed"]
    print(f"major characters missed: {out['missed_chars']}: {m['no_major_finding']} in rows with no major+ finding, "
          f"{m['other_sentence']} in other sentences of flagged rows, {m['same_sentence']} in a flagged sentence outside the span; "
          f"{out['missed_inside_a_minor_finding']} inside a minor finding")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
