"""Cross-lingual sanity check of the aligner on parallel documents whose alignment is known.

    python corpora/tools/align_parallel.py [--man DIR] [--languages de fr es] [--pages 8] [--lines 150]
                                           [--settings NAME:field=v,field=v ...]

The Debian manual pages that manpages-l10n translates (``--man``, default /usr/share/man; GPL, not
copied into the repository) are translated paragraph by paragraph. A page whose English and
translated renderings (groff, one paragraph a line, as ``measure_langid.py`` renders them) hold
the same number of paragraphs is a parallel document: paragraph i of the English is paragraph i
of the translation. Each paragraph is cut into sentences by Punkt (each side's language), one
sentence a line; the gold pairs the sentences of paragraph i one to one when both sides have as
many, else as one group (a translator who split or joined a sentence). Each language's first
pages of that kind (by file name, paragraphs of 3 to 80 words a side, until ``--lines``
sentences) make one document pair, the English the original; it is aligned by use-m3 with
``--split lines`` under the cross-lingual settings (``align.CROSS_LINGUAL``), the monolingual
ones (``align.MONOLINGUAL``: every pair before settings were chosen by language pair) and any
``--settings`` given, and scored with ``fidelity eval align``'s strict and lax F1. None of this
data was used to choose a setting.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure_langid import PUNKT, _rendered

from fidelity.align import CROSS_LINGUAL, MONOLINGUAL, AlignSettings, align, side_vectors
from fidelity.embed import CachedEmbedder, get_embedder
from fidelity.eval.align import score
from fidelity.extract import extract
from fidelity.segment import _tokenizer, segment
from fidelity.types import Group, Sentence


def parallel_sentences(man: Path, language: str, pages: int, lines: int) -> tuple[list[str], list[str], list[Group], list[str]]:
    """(English sentences, translated sentences, gold groups, page names) of the first parallel pages."""
    english: list[str] = []
    other: list[str] = []
    gold: list[Group] = []
    names: list[str] = []
    for page in sorted(man.glob(f"{language}/man*/*.gz")):
        en, tr = _rendered(man / page.parent.name / page.name), _rendered(page)
        if not en or len(en) != len(tr) or en == tr:
            continue
        for a, b in zip(en, tr, strict=True):
            if not (3 <= len(a.split()) <= 80 and 3 <= len(b.split()) <= 80):
                continue
            sa, sb = _tokenizer("english").tokenize(a), _tokenizer(PUNKT[language]).tokenize(b)
            io, ic = len(english), len(other)
            if len(sa) == len(sb):
                gold += [Group((io + k,), (ic + k,), "match") for k in range(len(sa))]
            else:
                gold.append(Group(tuple(range(io, io + len(sa))), tuple(range(ic, ic + len(sb))), "match"))
            english += sa
            other += sb
        names.append(page.name)
        if len(names) >= pages or len(english) >= lines:
            break
    return english, other, gold, names


def _sentences(texts: list[str], folder: Path, name: str) -> list[Sentence]:
    """The lines as ``fidelity align --split lines`` reads them from a file."""
    path = folder / name
    path.write_text("\n".join(texts) + "\n", encoding="utf-8")
    return segment(extract(str(path), format="lines"), split="lines")


def _variant(text: str) -> tuple[str, AlignSettings]:
    """``NAME:field=v,field=v`` over the cross-lingual settings."""
    name, _, fields = text.partition(":")
    changes = {}
    for item in filter(None, fields.split(",")):
        key, _, value = item.partition("=")
        default = getattr(CROSS_LINGUAL, key)
        changes[key] = value.casefold() in ("1", "true", "yes") if isinstance(default, bool) else type(default)(value)
    return name, replace(CROSS_LINGUAL, **changes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--man", type=Path, default=Path("/usr/share/man"))
    parser.add_argument("--languages", nargs="*", default=["de", "fr", "es"])
    parser.add_argument("--pages", type=int, default=8)
    parser.add_argument("--lines", type=int, default=150)
    parser.add_argument("--settings", nargs="*", default=[], help="NAME:field=v,field=v over the cross-lingual settings")
    args = parser.parse_args()
    embedder = CachedEmbedder(get_embedder("use-m3"))
    variants = [("cross-lingual", CROSS_LINGUAL), ("monolingual", MONOLINGUAL), *map(_variant, args.settings)]
    for language in args.languages:
        en, tr, gold, names = parallel_sentences(args.man, language, args.pages, args.lines)
        if not en:
            print(f"{language}: no parallel page found under {args.man}")
            continue
        with tempfile.TemporaryDirectory() as folder:
            s_o, s_c = _sentences(en, Path(folder), "en.txt"), _sentences(tr, Path(folder), f"{language}.txt")
        if (len(s_o), len(s_c)) != (len(en), len(tr)):
            print(f"{language}: the line reader joined or dropped lines ({len(s_o)}, {len(s_c)} of {len(en)}, {len(tr)}); skipped")
            continue
        ones = sum(len(g.original) == len(g.copy) == 1 for g in gold)
        print(f"en>{language}: {len(en)} x {len(tr)} sentences, gold {len(gold)} groups ({ones} 1:1), {', '.join(names)}")
        for label, settings in variants:
            t0 = time.perf_counter()
            e_o, e_c = side_vectors(embedder, en, settings), side_vectors(embedder, tr, settings)
            result = align(s_o, s_c, e_o, e_c, settings=settings)
            s = score(tuple(gold), result.groups)
            print(f"  {label:<16} strict {s.strict_f1:.3f} lax {s.lax_f1:.3f} ({time.perf_counter() - t0:.1f} s)", flush=True)

if __name__ == "__main__":
    main()
