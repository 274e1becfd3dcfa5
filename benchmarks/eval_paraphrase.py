"""Honest paraphrases that fidelity must not flag: corpora/paraphrase/set*.tsv -> false-flag figures.

    python benchmarks/eval_paraphrase.py [--show] [FILE.tsv ...]

Each line of a set is ``original<TAB>copy``: one English sentence and a faithful rewording of it
such as a second translator would write (other words, other order, figures in another unit,
names in another form). Every pair is compared with the real packaged model; a pair is a false
flag when fidelity reports anything at major or above. Prints, per set, the pairs flagged and
the share; ``--show`` lists each flagged pair with its findings. How each set was used (tuned
on or held out) is in corpora/paraphrase/README.md.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path, help="sets to read (default: corpora/paraphrase/set*.tsv)")
    ap.add_argument("--show", action="store_true", help="list each flagged pair and its findings")
    args = ap.parse_args()

    from fidelity.embed import CachedEmbedder, get_embedder
    from fidelity.extract import extract
    from fidelity.pipeline import compare
    from fidelity.types import Severity

    files = args.files or sorted((ROOT / "corpora" / "paraphrase").glob("set*.tsv"))
    embedder = CachedEmbedder(get_embedder("minilm"))
    total = flagged_total = 0
    sets = {}
    for path in files:
        try:
            lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        except (OSError, UnicodeDecodeError) as exc:
            print(f"eval_paraphrase: {path}: cannot read ({exc.__class__.__name__})", file=sys.stderr)
            return 2
        bad = next((k for k, line in enumerate(lines, 1) if line.count("\t") != 1), None)
        if bad is not None:
            print(f"eval_paraphrase: {path}: line {bad} is not 'original<TAB>copy'", file=sys.stderr)
            return 2
        sets[path] = [tuple(line.split("\t")) for line in lines]
    for path, pairs in sets.items():
        flagged = 0
        for original, copy in pairs:
            rep = compare(extract("original", text=original, format="lines"), extract("copy", text=copy, format="lines"), embedder=embedder)
            major = [f for f in rep.findings if f.severity >= Severity.MAJOR]
            flagged += bool(major)
            if major and args.show:
                print(f"-- {original}\n   {copy}")
                for f in major:
                    print(f"   {f.severity.value} {f.rule}: {f.message}")
        print(f"{path.name}: {flagged} of {len(pairs)} honest paraphrases flagged at major or above ({flagged / max(1, len(pairs)):.2f})")
        total += len(pairs)
        flagged_total += flagged
    print(f"all: {flagged_total} of {total} ({flagged_total / max(1, total):.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
