"""Score fidelity's report on the seed pairs against the careful-reader annotation.

In: ``corpora/annotations/000-002.json`` and ``000-001.json`` (see the README there) and the seed files.
Out (stdout): for each pair, how many annotated distortions fidelity catches and misses (by severity,
category and systematic group), and where its findings at major or above land (on an annotated distortion,
on a pair annotated faithful = a false flag, elsewhere). ``--list`` prints every distortion's outcome.

    python benchmarks/eval_seed_annotation.py [--model minilm] [--pairs 000-002,000-001] [--list]

Matching rules (written before looking at any result; the annotation is never used to tune detection):

- A finding *catches* a distortion when its category is in the distortion's ``accept`` list and
  - **span**: one of its own spans (``original_span``, ``copy_span``, or a span in ``occurrences``)
    overlaps the annotated span on the same side; or
  - **pair**: (looser) the sentences of the finding's pair overlap the annotated span on the same side.
  ``caught`` counts the span rule; ``+pair`` adds those only the pair rule catches.
- A distortion that only findings of other categories touch (span or pair rule) is ``other cat``:
  fidelity saw something on that spot, but not this.
- A finding at major or above is judged by its footprint (its own spans; its pair's sentences only
  when it has no span): ``on distortion`` when that overlaps an annotated distortion (any category);
  a *false flag* when it lies on a pair annotated faithful; ``elsewhere`` otherwise (e.g. a harmless
  word of a sentence distorted elsewhere, or a pair the annotation lists neither way).
  ``faithful flagged`` counts the faithful pairs with at least one false flag.
- Severity: a finding ``on distortion`` whose distortions are all minor is *over-rated*; a caught
  major or critical distortion whose catching findings are all minor is *under-rated*.

Sentence indices in the annotation are informational; everything here works on character offsets,
so it keeps working when the segmenter, aligner or checks change.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ANNOTATIONS = ROOT / "corpora" / "annotations"
SEVERITY_ORDER = ("critical", "major", "minor")

Range = tuple[int, int]


@dataclass(frozen=True)
class Footprint:
    """Where a finding points: character ranges on each side (own spans, and its pair's sentences)."""

    own_original: tuple[Range, ...]
    own_copy: tuple[Range, ...]
    pair_original: tuple[Range, ...]
    pair_copy: tuple[Range, ...]


def _overlaps(ranges: Iterable[Range], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in ranges)


def _span_range(span: object) -> list[Range]:
    if span is None:
        return []
    return [(span.start, span.end)]  # type: ignore[attr-defined]


def footprint(finding: object, report: object, s_orig: Sequence[object], s_copy: Sequence[object]) -> Footprint:
    own_o: list[Range] = _span_range(getattr(finding, "original_span", None))
    own_c: list[Range] = _span_range(getattr(finding, "copy_span", None))
    for o_span, c_span in getattr(finding, "occurrences", ()) or ():
        own_o += _span_range(o_span)
        own_c += _span_range(c_span)
    pair_o: list[Range] = []
    pair_c: list[Range] = []
    index = getattr(finding, "pair", None)
    if index is not None and 0 <= index < len(report.pairs):  # type: ignore[attr-defined]
        pair = report.pairs[index]  # type: ignore[attr-defined]
        pair_o = [(s_orig[i].start, s_orig[i].end) for i in pair.original if i < len(s_orig)]  # type: ignore[attr-defined]
        pair_c = [(s_copy[i].start, s_copy[i].end) for i in pair.copy if i < len(s_copy)]  # type: ignore[attr-defined]
    return Footprint(tuple(own_o), tuple(own_c), tuple(pair_o), tuple(pair_c))


def touches(fp: Footprint, item: dict, *, own_only: bool) -> bool:
    """Does the footprint overlap the annotated item's span on the same side?"""
    for side, own, pair in (("original", fp.own_original, fp.pair_original), ("copy", fp.own_copy, fp.pair_copy)):
        span = item.get(side)
        if not span:
            continue
        ranges = own if own_only else own + pair
        if _overlaps(ranges, span["start"], span["end"]):
            return True
    return False


def load_annotation(pair: str) -> dict:
    path = ANNOTATIONS / f"{pair}.json"
    if not path.exists():
        choices = sorted(p.stem for p in ANNOTATIONS.glob("*.json"))
        raise SystemExit(f"no annotation {path.name}; choose from: {', '.join(choices)}")
    data = json.loads(path.read_text(encoding="utf-8"))
    for side in ("original", "copy"):
        digest = hashlib.sha256((ROOT / data[side]["file"]).read_bytes()).hexdigest()
        if digest != data[side]["sha256"]:
            raise SystemExit(f"{data[side]['file']} changed since it was annotated (sha256 mismatch)")
    return data


@dataclass
class PairResult:
    pair: str
    verdict: str
    expected_verdict: str
    score: float
    seconds: float
    outcomes: dict[str, str]  # distortion id -> caught | pair | other-category | missed
    severities: dict[str, str]
    categories: dict[str, str]
    groups: dict[str, str | None]
    findings_major: int
    on_distortion: int
    false_flags: int
    elsewhere: int
    document_level: int
    faithful_flagged: int
    faithful_total: int
    group_best: dict[str, tuple[int, int]]  # group -> (most occurrences one finding covers, occurrences)
    false_flag_examples: list[str]
    over_rated: int  # major+ findings on annotated distortions that are all minor
    under_rated: int  # caught major/critical distortions whose catching findings are all minor
    other_categories: dict[str, list[str]]


def evaluate(pair: str, data: dict, embedder: object, model: str, judge: str | None = None, edit_findings: bool = False) -> PairResult:
    from fidelity.extract import extract
    from fidelity.pipeline import Options, compare
    from fidelity.segment import segment
    from fidelity.thresholds import Thresholds

    options = Options(model=model, language="en", judge=judge, thresholds=Thresholds(edit_findings=edit_findings))  # the seeds are English
    original = extract(ROOT / data["original"]["file"])
    copy = extract(ROOT / data["copy"]["file"])
    t0 = time.perf_counter()
    report = compare(original, copy, options=options, embedder=embedder)  # type: ignore[arg-type]
    seconds = time.perf_counter() - t0
    # The same segmentation compare used, to turn pair sentence indices into character ranges.
    s_orig = segment(report.original_doc, language=options.language, split=options.split)
    s_copy = segment(report.copy_doc, language=options.language, split=options.split)
    prints = [(f, footprint(f, report, s_orig, s_copy)) for f in report.findings]

    outcomes: dict[str, str] = {}
    seen: dict[str, list[str]] = {}  # distortion id -> categories of the findings that touched it
    for d in data["distortions"]:
        accept = set(d["accept"])
        if any(f.category.value in accept and touches(fp, d, own_only=True) for f, fp in prints):
            outcomes[d["id"]] = "caught"
        elif any(f.category.value in accept and touches(fp, d, own_only=False) for f, fp in prints):
            outcomes[d["id"]] = "pair"
        elif any(touches(fp, d, own_only=False) for f, fp in prints):
            outcomes[d["id"]] = "other-category"
            seen[d["id"]] = sorted({f.category.value for f, fp in prints if touches(fp, d, own_only=False)})
        else:
            outcomes[d["id"]] = "missed"

    under = 0
    for d in data["distortions"]:
        if outcomes[d["id"]] != "caught" or d["severity"] == "minor":
            continue
        catching = [f for f, fp in prints if f.category.value in d["accept"] and touches(fp, d, own_only=True)]
        if all(f.severity.value == "minor" for f in catching):
            under += 1

    group_best: dict[str, tuple[int, int]] = {}
    by_group: dict[str, list[dict]] = defaultdict(list)
    for d in data["distortions"]:
        if d["group"]:
            by_group[d["group"]].append(d)
    for group, members in by_group.items():
        best = 0
        for f, fp in prints:
            n = sum(1 for d in members if f.category.value in d["accept"] and touches(fp, d, own_only=True))
            best = max(best, n)
        group_best[group] = (best, len(members))

    faithful = data["faithful"]
    flagged_faithful: set[int] = set()
    counts = Counter()
    examples: list[str] = []
    for f, fp in prints:
        if f.severity.value not in ("major", "critical"):
            continue
        counts["major+"] += 1
        # Judge a finding by its own spans when it has them: a flag on a harmless word of a
        # sentence that is distorted elsewhere is not a hit.
        own = bool(fp.own_original or fp.own_copy)
        touched = [d for d in data["distortions"] if touches(fp, d, own_only=own)]
        if touched:
            counts["on"] += 1
            if all(d["severity"] == "minor" for d in touched):
                counts["over"] += 1
            continue
        if not own and not (fp.pair_original or fp.pair_copy):
            counts["doc"] += 1
            continue
        hit = [n for n, unit in enumerate(faithful) if touches(fp, unit, own_only=own)]
        if hit:
            counts["false"] += 1
            flagged_faithful.update(hit)
            if len(examples) < 8:
                text = faithful[hit[0]]["copy"]["text"]
                examples.append(f"{f.rule} [{f.category.value}/{f.severity.value}] on {text[:70]!r}: {f.message[:90]}")
        else:
            counts["else"] += 1

    return PairResult(
        pair=pair,
        verdict=report.verdict.value,
        expected_verdict=data["expected_verdict"],
        score=report.score,
        seconds=seconds,
        outcomes=outcomes,
        severities={d["id"]: d["severity"] for d in data["distortions"]},
        categories={d["id"]: d["category"] for d in data["distortions"]},
        groups={d["id"]: d["group"] for d in data["distortions"]},
        findings_major=counts["major+"],
        on_distortion=counts["on"],
        false_flags=counts["false"],
        elsewhere=counts["else"],
        document_level=counts["doc"],
        faithful_flagged=len(flagged_faithful),
        faithful_total=len(faithful),
        group_best=group_best,
        false_flag_examples=examples,
        over_rated=counts["over"],
        under_rated=under,
        other_categories=seen,
    )


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=False))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=False)) for r in rows]
    return "\n".join(lines)


def _frac(n: int, d: int) -> str:
    return f"{n}/{d}" if d else "-"


def render(results: list[PairResult], *, signature: str, show_list: bool, data: dict[str, dict]) -> str:
    out = [f"signature: {signature}", ""]
    rows = []
    for r in results:
        c = Counter(r.outcomes.values())
        n = len(r.outcomes)
        rows.append(
            [
                r.pair,
                f"{r.verdict} (want {r.expected_verdict})",
                f"{r.score:.1f}",
                str(n),
                str(c["caught"]),
                str(c["pair"]),
                str(c["other-category"]),
                str(c["missed"]),
                str(r.findings_major),
                str(r.on_distortion),
                str(r.false_flags),
                str(r.elsewhere),
                str(r.document_level),
                _frac(r.faithful_flagged, r.faithful_total),
                f"{r.seconds:.1f}",
            ]
        )
    out.append(
        _table(
            rows,
            [
                "pair",
                "verdict",
                "score",
                "annotated",
                "caught",
                "+pair",
                "other cat",
                "missed",
                "major+ findings",
                "on distortion",
                "false flags",
                "elsewhere",
                "doc-level",
                "faithful flagged",
                "compare s",
            ],
        )
    )
    for r in results:
        out += ["", f"{r.pair}: caught (span rule) / annotated, by severity and category"]
        sev_rows = []
        for sev in SEVERITY_ORDER:
            ids = [i for i, s in r.severities.items() if s == sev]
            if ids:
                caught = sum(r.outcomes[i] == "caught" for i in ids)
                lenient = sum(r.outcomes[i] in ("caught", "pair") for i in ids)
                sev_rows.append([sev, _frac(caught, len(ids)), _frac(lenient, len(ids))])
        cats = sorted(set(r.categories.values()))
        for cat in cats:
            ids = [i for i, c in r.categories.items() if c == cat]
            caught = sum(r.outcomes[i] == "caught" for i in ids)
            lenient = sum(r.outcomes[i] in ("caught", "pair") for i in ids)
            sev_rows.append([cat, _frac(caught, len(ids)), _frac(lenient, len(ids))])
        out.append(_table(sev_rows, ["severity / category", "caught", "caught incl. pair rule"]))
        out.append(
            f"severity: {r.over_rated} of {r.on_distortion} major+ findings on distortions sit only on minor ones "
            f"(over-rated); {r.under_rated} caught major/critical distortions are reported only at minor (under-rated)"
        )
        if r.group_best:
            out += ["", f"{r.pair}: systematic groups (occurrences caught; most occurrences covered by one finding)"]
            grows = []
            for group, (best, total) in sorted(r.group_best.items()):
                ids = [i for i, g in r.groups.items() if g == group]
                caught = sum(r.outcomes[i] == "caught" for i in ids)
                grows.append([group, _frac(caught, total), _frac(best, total)])
            out.append(_table(grows, ["group", "caught", "one finding covers"]))
        if r.false_flag_examples:
            out += ["", f"{r.pair}: false flags (first {len(r.false_flag_examples)})"]
            out += [f"  {line}" for line in r.false_flag_examples]
        if show_list:
            out += ["", f"{r.pair}: every annotated distortion"]
            for d in data[r.pair]["distortions"]:
                o = (d["original"] or {}).get("text", "")
                c = (d["copy"] or {}).get("text", "")
                out.append(
                    f"  {r.outcomes[d['id']]:<14} {d['id']:<12} {d['severity']:<8} {d['category']:<16} "
                    f"{o[:40]!r} -> {c[:40]!r}"
                    + (
                        f"  (found as: {', '.join(r.other_categories[d['id']])})"
                        if d["id"] in r.other_categories
                        else ""
                    )
                )
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="minilm", help="embedding model name (default: minilm)")
    parser.add_argument("--pairs", default="000-002,000-001", help="comma-separated annotated pairs")
    parser.add_argument("--list", action="store_true", help="print every annotated distortion's outcome")
    parser.add_argument("--judge", default=None, help="apply the learned judge with these weights (e.g. judge-v4)")
    parser.add_argument("--edit-findings", action="store_true", help="with the drift-edit rule on (Thresholds.edit_findings)")
    args = parser.parse_args(argv)

    from fidelity.embed import CachedEmbedder, get_embedder
    from fidelity.pipeline import Options, signature
    from fidelity.thresholds import Thresholds

    pairs = [p.strip() for p in args.pairs.split(",") if p.strip()]
    data = {p: load_annotation(p) for p in pairs}
    embedder = CachedEmbedder(get_embedder(args.model))
    results = [evaluate(p, data[p], embedder, args.model, args.judge, args.edit_findings) for p in pairs]
    options = Options(model=args.model, language="en", judge=args.judge, thresholds=Thresholds(edit_findings=args.edit_findings))
    print(render(results, signature=signature(options, embedder), show_list=args.list, data=data))
    return 0


if __name__ == "__main__":
    sys.exit(main())
