"""How the rules that read across two languages do on translations: `figure` (figures in digits)
and `untranslated-sentence` (a sentence left in the original's language). False alarms on honest
translations, catches on tampered ones. Nothing here was tuned on: neither rule has a threshold
of its own (the language detector's were set a priori, fidelity/langid.py).

1. textberg-1957, German original against its human French translation, on the gold alignment
   (corpora/gold/textberg-1957): every pair is an honest translation; a finding is a false alarm
   (read them: printed).
2. DEMETR FLORES (English), each English text translated into Spanish by Apertium (the Debian
   package apertium-eng-spa; `apt-get install apertium-eng-spa`), the English reference against:
   the Spanish of the reference itself (honest), of the clean machine translation (an independent
   translation: a finding may be a real difference), and of the copy whose figure DEMETR replaced
   (critical_id10_numbers_replaced: a finding is a catch).
3. untranslated-sentence: how many sentences of the honest translations (textberg's French lines
   paired with German ones, the Spanish references) the detector calls the original's language
   (false alarms), and how many of the originals' own sentences it does (a sentence left
   untranslated is the original's sentence, so this is the share it would catch).

Usage: python benchmarks/eval_across.py [--demetr PATH] [--show N]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fidelity.langid import detect  # noqa: E402
from fidelity.rules.figures import changed, changed_figures, figures  # noqa: E402


def flagged(original: str, lang_o: str, copy: str, lang_c: str) -> tuple[bool, bool]:
    """(the rule would report a changed figure, the original holds a figure)."""
    o = figures(original, lang_o)
    return changed(*changed_figures(o, figures(copy, lang_c))), bool(o)


def textberg(show: int) -> None:
    gold = ROOT / "corpora" / "gold" / "textberg-1957"
    de = (gold / "de.txt").read_text(encoding="utf-8").splitlines()
    fr = (gold / "fr.txt").read_text(encoding="utf-8").splitlines()
    groups = [tuple(json.loads(side) for side in line.split(":")) for line in (gold / "textberg-de-fr.gold").read_text(encoding="utf-8").splitlines()
              if line and not line.startswith("#")]  # fmt: skip
    pairs = [(" ".join(de[i] for i in a), " ".join(fr[j] for j in b)) for a, b in groups if a and b]
    hits = [(o, c) for o, c in pairs if flagged(o, "de", c, "fr")[0]]
    with_figures = sum(flagged(o, "de", c, "fr")[1] for o, c in pairs)
    print(f"textberg-1957 de -> fr (human translation, gold alignment): {len(pairs)} pairs, {with_figures} with a figure; "
          f"flagged {len(hits)} ({len(hits) / max(1, with_figures):.3f} of those with a figure)")
    for o, c in hits[:show]:
        print(f"   de: {o[:160]}\n   fr: {c[:160]}")
    paired = [(a, b) for a, b in groups if a and b]
    left_in(show, "textberg-1957 French lines paired with German ones", [fr[j] for _, b in paired for j in b], "de",
            "their German counterparts", [de[i] for a, _ in paired for i in a])  # fmt: skip


def left_in(show: int, label: str, honest: list[str], lang: str, own_label: str, own: list[str]) -> None:
    """untranslated-sentence: honest translation sentences read as ``lang`` (false alarms), and
    the original's own sentences read as ``lang`` (what a sentence left untranslated would be)."""
    wrong = [t for t in honest if detect(t).language == lang]
    caught = sum(detect(t).language == lang for t in own)
    print(f"untranslated-sentence, {label}: {len(wrong)} of {len(honest)} read as '{lang}' (false alarms); "
          f"{own_label}: {caught} of {len(own)} read as '{lang}' ({caught / max(1, len(own)):.3f} would be caught)")
    for t in wrong[:show]:
        print(f"   {t[:160]}")


def apertium(texts: list[str]) -> list[str]:
    run = subprocess.run(["apertium", "-u", "eng-spa"], input="\n".join(t.replace("\n", " ") for t in texts) + "\n",
                         capture_output=True, text=True, check=True)  # fmt: skip
    out = run.stdout.split("\n")[: len(texts)]
    assert len(out) == len(texts), "apertium returned another number of lines"
    return out


def demetr(path: Path, show: int) -> None:
    if shutil.which("apertium") is None:
        print("DEMETR: skipped (no apertium; apt-get install apertium-eng-spa)")
        return
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    refs = {r["item"]: r["original"] for r in rows}
    clean = {r["item"]: r["copy"] for r in rows if r["perturbation"] == "clean"}
    tampered = {r["item"]: r["copy"] for r in rows if r["perturbation"] == "critical_id10_numbers_replaced"}
    items = sorted(refs)
    texts = [refs[i] for i in items] + [clean[i] for i in items if i in clean] + [tampered[i] for i in sorted(tampered)]
    spanish = dict(zip(
        [("ref", i) for i in items] + [("clean", i) for i in items if i in clean] + [("tampered", i) for i in sorted(tampered)],
        apertium(texts), strict=True,
    ))  # fmt: skip
    for kind, label in (("ref", "its own reference, in Spanish (honest)"), ("clean", "the clean MT, in Spanish (independent translation)"),
                        ("tampered", "the copy with a figure replaced, in Spanish (a change)")):  # fmt: skip
        keys = [k for k in spanish if k[0] == kind]
        results = [(k, *flagged(refs[k[1]], "en", spanish[k], "es")) for k in keys]
        with_fig = [r for r in results if r[2]]
        hit = [r for r in with_fig if r[1]]
        print(f"DEMETR, English reference vs {label}: {len(keys)} pairs, {len(with_fig)} with a figure; flagged {len(hit)} "
              f"({len(hit) / max(1, len(with_fig)):.3f})")
        if kind != "tampered":
            for k, _, _ in hit[:show]:
                print(f"   en: {refs[k[1]][:160]}\n   es: {spanish[k][:160]}")
    left_in(show, "DEMETR references in Apertium's Spanish", [spanish["ref", i] for i in items], "en",
            "the English references", [refs[i] for i in items])  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--demetr", type=Path, default=ROOT / "benchmarks" / "data" / "demetr-flores" / "demetr_flores.jsonl")
    ap.add_argument("--show", type=int, default=8, help="print this many flagged honest pairs of each set")
    args = ap.parse_args()
    textberg(args.show)
    if args.demetr.exists():
        demetr(args.demetr, args.show)
    else:
        print(f"DEMETR: skipped ({args.demetr} not found)")


if __name__ == "__main__":
    main()
