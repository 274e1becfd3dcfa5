"""Build the ``flores-mt`` gold pair: FLORES English references against an independent machine translation.

In: /work/shared/benchmarks/demetr-flores/demetr_flores.jsonl (DEMETR's FLORES half, MIT licence):
for each of its 500 items the human English reference and the machine translation of the same
foreign source sentence ("clean" rows). Out: ``corpora/texts/flores-mt.orig.txt`` (references, five
items a paragraph, in item order), ``corpora/texts/flores-mt.copy.txt`` (the machine translations in
the same paragraphs, every 19th item left out) and ``corpora/gold/flores-mt.gold``.

Why this pair: the handbook pairs are edited copies whose kept sentences are near-identical, so
they never put a weakly translated sentence next to a perfectly kept one, which is where an
aligner is tempted into many-to-many groups. Here every sentence is translated independently,
with the quality spread of real MT. Gold by construction: each copy item carries the original
sentences of its item (``make_pairs.build_gold``), so a reference that Punkt splits in two
becomes a 2:1 group.

    python corpora/tools/make_flores.py [--data PATH]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_pairs import TEXTS, Para, Unit, build_gold, write_text

from fidelity.extract import extract
from fidelity.segment import segment

PER_PARAGRAPH = 5
DROP_EVERY = 19


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="/work/shared/benchmarks/demetr-flores/demetr_flores.jsonl")
    args = parser.parse_args()
    rows = [json.loads(line) for line in Path(args.data).read_text(encoding="utf-8").splitlines() if line.strip()]
    clean = sorted((r for r in rows if r["perturbation"] == "clean"), key=lambda r: r["item"])
    items = [(" ".join(r["original"].split()), " ".join(r["mt"].split())) for r in clean]
    paras = [items[k : k + PER_PARAGRAPH] for k in range(0, len(items), PER_PARAGRAPH)]
    orig_path = TEXTS / "flores-mt.orig.txt"
    write_text(orig_path, [" ".join(ref for ref, _ in p) for p in paras])
    sents = segment(extract(str(orig_path)))
    # original sentence -> item, by character offsets in the written text
    text = orig_path.read_text(encoding="utf-8")
    spans, pos, k = [], 0, 0
    for p in paras:
        for ref, _ in p:
            start = text.index(ref, pos)
            spans.append((start, start + len(ref), k))
            pos, k = start + len(ref), k + 1
    sources: dict[int, set[int]] = {}
    for s in sents:
        for start, end, item in spans:
            if start < s.end and s.start < end:
                sources.setdefault(item, set()).add(s.index)
    copy_paras, k = [], 0
    for p in paras:
        units = []
        for _, mt in p:
            if (k + 1) % DROP_EVERY:
                units.append(Unit(mt, frozenset(sources[k])))
            k += 1
        copy_paras.append(Para(units))
    build_gold("flores-mt", orig_path, [p for p in copy_paras if p.units], len(sents),
               "DEMETR FLORES references vs machine translations, every 19th item dropped; corpora/tools/make_flores.py")


if __name__ == "__main__":
    main()
