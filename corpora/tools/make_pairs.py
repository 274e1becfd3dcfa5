"""(Re)generate the synthetic gold pairs of corpora/gold from texts of the Debian handbook.

In: the Debian package ``debian-handbook`` (text) and ``apertium-eng-spa`` (round trip),
both from apt. Out, under corpora/: ``texts/<name>.orig.txt`` and ``texts/<name>.copy.txt``
and ``gold/<name>.gold`` for

    roundtrip   foreword and preface, each paragraph translated eng->spa->eng with Apertium
    edited      three chapters, with paragraphs moved, dropped and inserted, sentences
                merged and split, and a few sentences round-tripped
    long        the whole book (> 5,000 sentences), the same edits at lower rates

Gold by construction: the copy is assembled from *units*, each with the set of original
sentences it came from; after writing, the copy is segmented by fidelity itself and each
copy sentence is tied to the units its characters overlap. Gold groups are the connected
components of that original-sentence / copy-sentence graph, so they hold whatever the
segmenter makes of merged, split or translated text. For the round trip, each sentence
is also translated alone; when the paragraph's translation equals the sentences'
translations joined, the sentence boundaries are known exactly, else the whole paragraph
is one unit (the script reports how many paragraphs that affects).

    python corpora/tools/make_pairs.py            # all pairs; deterministic (fixed seeds)
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from handbook_text import book_order, paragraphs

from fidelity.extract import extract
from fidelity.segment import segment

CORPORA = Path(__file__).resolve().parent.parent
TEXTS, GOLD = CORPORA / "texts", CORPORA / "gold"


@dataclass
class Unit:
    text: str
    sources: frozenset[int]  # original sentence indices
    moved: bool = False


@dataclass
class Para:
    units: list[Unit] = field(default_factory=list)


def roundtrip(texts: list[str]) -> list[str]:
    """eng -> spa -> eng with Apertium, one call for all texts (blank-line separated)."""
    if not texts:
        return []
    joined = "\n\n".join(" ".join(t.split()) for t in texts) + "\n"
    spa = subprocess.run(["apertium", "eng-spa"], input=joined, capture_output=True, text=True, check=True).stdout
    eng = subprocess.run(["apertium", "spa-eng"], input=spa, capture_output=True, text=True, check=True).stdout
    out = [" ".join(p.split()) for p in re.split(r"\n\s*\n", eng.strip())]
    if len(out) != len(texts):
        raise RuntimeError(f"apertium returned {len(out)} paragraphs for {len(texts)}")
    return [_tidy(t) for t in out]


def _tidy(text: str) -> str:
    # Apertium leaves a space before final punctuation ("a test ."); readers of the copy would not see it
    text = text.replace("#", "")  # unknown-word marks of apertium's debug style, if any
    return re.sub(r"\s+([.,;:!?])", r"\1", text)


def write_text(path: Path, paras: list[str]) -> None:
    path.write_text("\n\n".join(paras) + "\n", encoding="utf-8")


def build_gold(name: str, orig_path: Path, copy_paras: list[Para], n_orig: int, note: str) -> None:
    copy_path = TEXTS / f"{name}.copy.txt"
    spans: list[tuple[int, int, Unit]] = []
    chunks: list[str] = []
    pos = 0
    for k, para in enumerate(copy_paras):
        if k:
            chunks.append("\n\n")
            pos += 2
        for u, unit in enumerate(para.units):
            if u:
                chunks.append(" ")
                pos += 1
            spans.append((pos, pos + len(unit.text), unit))
            chunks.append(unit.text)
            pos += len(unit.text)
    text = "".join(chunks) + "\n"
    copy_path.write_text(text, encoding="utf-8")
    doc = extract(str(copy_path))
    if doc.text != text:
        raise RuntimeError(f"{copy_path}: extract changed the text; offsets would not hold")
    sents = segment(doc)
    # union-find over ("o", i) and ("c", j)
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: tuple[str, int], b: tuple[str, int]) -> None:
        parent[find(a)] = find(b)

    moved_orig: set[int] = set()
    for i in range(n_orig):
        find(("o", i))
    for s in sents:
        find(("c", s.index))
        for start, end, unit in spans:
            if start < s.end and s.start < end:
                for i in unit.sources:
                    union(("o", i), ("c", s.index))
                if unit.moved:
                    moved_orig.update(unit.sources)
    comps: dict[tuple[str, int], tuple[list[int], list[int]]] = {}
    for node in list(parent):
        o, c = comps.setdefault(find(node), ([], []))
        (o if node[0] == "o" else c).append(node[1])
    lines = []
    for o, c in comps.values():
        o.sort()
        c.sort()
        if o and c:
            moved = " moved" if set(o) & moved_orig else ""
            lines.append((o[0], -1, f"[{', '.join(map(str, o))}]:[{', '.join(map(str, c))}]{moved}"))
        else:
            lines.extend((i, -1, f"[{i}]:[]") for i in o)
            lines.extend((10**9, j, f"[]:[{j}]") for j in c)
    lines.sort()
    header = [
        "# fidelity gold alignment v1",
        f"# original: corpora/texts/{orig_path.name}",
        f"# copy: corpora/texts/{copy_path.name}",
        "# split: sentences",
        "# language: en",
        f"# made: by construction with corpora/tools/make_pairs.py ({note})",
    ]
    (GOLD / f"{name}.gold").write_text("\n".join(header + [t for _, _, t in lines]) + "\n", encoding="utf-8")
    big = sum(1 for o, c in comps.values() if len(o) > 3 or len(c) > 3)
    print(f"{name}: {n_orig} x {len(sents)} sentences, {len(lines)} gold lines, {big} groups over 3 a side", file=sys.stderr)


def original_units(orig_path: Path) -> tuple[list[list[Unit]], int]:
    """The original's sentences by fidelity's segmentation, grouped by paragraph."""
    sents = segment(extract(str(orig_path)))
    by_para: dict[int, list[Unit]] = {}
    for s in sents:
        by_para.setdefault(s.paragraph, []).append(Unit(s.text, frozenset([s.index])))
    return list(by_para.values()), len(sents)


def merge(a: Unit, b: Unit) -> Unit:
    first = re.sub(r"[.!?]+$", "", a.text)
    second = b.text[:1].lower() + b.text[1:] if b.text[:2] != b.text[:2].upper() else b.text
    return Unit(f"{first}; {second}", a.sources | b.sources, a.moved or b.moved)


def split(u: Unit) -> list[Unit] | None:
    cut = [m.start() for m in re.finditer(r", (?:and|but|so|which|while) ", u.text)]
    cut = [c for c in cut if 30 < c < len(u.text) - 30]
    if not cut:
        return None
    c = cut[len(cut) // 2]
    head, tail = u.text[:c] + ".", u.text[c + 2 :]
    tail = tail[:1].upper() + tail[1:]
    return [Unit(head, u.sources, u.moved), Unit(tail, u.sources, u.moved)]


def edit(paras: list[list[Unit]], pool: list[str], rng: random.Random, rates: dict[str, float]) -> list[Para]:
    """Drop, insert and move paragraphs; merge, split and round-trip sentences."""
    out: list[Para] = []
    moving: list[Para] = []
    for units in paras:
        r = rng.random()
        if r < rates["drop"]:
            continue
        units = list(units)
        k = 0
        new: list[Unit] = []
        while k < len(units):
            u = units[k]
            x = rng.random()
            if x < rates["merge"] and k + 1 < len(units):
                new.append(merge(u, units[k + 1]))
                k += 2
                continue
            if x < rates["merge"] + rates["split"] and (parts := split(u)):
                new.extend(parts)
            elif rng.random() < rates["drop_sentence"]:
                pass
            else:
                new.append(u)
            k += 1
        para = Para(new)
        if r < rates["drop"] + rates["move"] and new:
            for u in new:
                u.moved = True
            moving.append(para)
        else:
            out.append(para)
        if rng.random() < rates["insert"] and pool:
            out.append(Para([Unit(pool.pop(), frozenset())]))
    for para in moving:
        # far enough from home that it reads as a moved passage, not a local reordering
        out.insert(rng.randrange(len(out) + 1), para)
    # round-trip a share of sentences one by one (keeps their sources exact)
    chosen = [u for p in out for u in p.units if u.sources and rng.random() < rates["roundtrip"]]
    for u, t in zip(chosen, roundtrip([u.text for u in chosen]), strict=False):
        u.text = t
    return out


def make_roundtrip() -> None:
    pages = ["foreword.html", "preface.html", "sect.who-is-this-book-for.html", "sect.selected-approach.html",
             "sect.book-structure.html"]
    orig_path = TEXTS / "roundtrip.orig.txt"
    write_text(orig_path, [p for page in pages for p in paragraphs(page, 8)])
    paras, n = original_units(orig_path)
    whole = roundtrip([" ".join(u.text for u in units) for units in paras])
    single = roundtrip([u.text for units in paras for u in units])
    copy: list[Para] = []
    fallback = 0
    k = 0
    for units, para_text in zip(paras, whole, strict=False):
        parts = single[k : k + len(units)]
        k += len(units)
        if " ".join(parts) == para_text:
            copy.append(Para([Unit(t, u.sources) for t, u in zip(parts, units, strict=False)]))
        else:
            fallback += 1
            copy.append(Para([Unit(para_text, frozenset().union(*(u.sources for u in units)))]))
    print(f"roundtrip: {fallback} of {len(paras)} paragraphs fell back to paragraph-level units", file=sys.stderr)
    build_gold("roundtrip", orig_path, copy, n, "Apertium eng-spa round trip a paragraph at a time")


def make_edited(name: str, pages: list[str], pool_pages: list[str], seed: int, rates: dict[str, float]) -> None:
    orig_path = TEXTS / f"{name}.orig.txt"
    write_text(orig_path, [p for page in pages for p in paragraphs(page, 8)])
    pool = [p for page in pool_pages for p in paragraphs(page, 8)]
    rng = random.Random(seed)
    rng.shuffle(pool)
    paras, n = original_units(orig_path)
    copy = edit(paras, pool, rng, rates)
    build_gold(name, orig_path, copy, n, f"edits with seed {seed}, rates {rates}")


def main() -> None:
    TEXTS.mkdir(exist_ok=True)
    GOLD.mkdir(exist_ok=True)
    order = book_order()
    make_roundtrip()
    mid = order.index("sect.apt-get.html")
    make_edited("edited", order[mid : mid + 12], order[mid + 40 : mid + 50], 3,
                {"drop": 0.06, "move": 0.06, "insert": 0.08, "merge": 0.06, "split": 0.06, "drop_sentence": 0.03, "roundtrip": 0.1})
    # long: the whole book but every 25th page, which feeds the inserted paragraphs
    long_pages = [p for k, p in enumerate(order) if k % 25 != 24]
    pool_pages = [p for k, p in enumerate(order) if k % 25 == 24]
    make_edited("long", long_pages, pool_pages, 7,
                {"drop": 0.02, "move": 0.01, "insert": 0.02, "merge": 0.03, "split": 0.03, "drop_sentence": 0.01, "roundtrip": 0.1})


if __name__ == "__main__":
    main()
