"""How ``fidelity.langid`` and ``langid.pair`` tell the languages of short texts.

    python corpora/tools/measure_langid.py [--demetr PATH] [--man DIR]

Texts (each read if present; the figures in docs/alignment.md, "Across languages", came from all
of them):

- 1,000 English sentences: the first 500 DEMETR FLORES items (``--demetr``, default
  ../shared/benchmarks/demetr-flores/demetr_flores.jsonl), each item's human reference and its
  machine translation;
- every document of corpora/ (textberg-1957 de/fr/fr-mt, the French news pair, the English
  handbook and FLORES texts, the seeds);
- textberg-1957 de.txt, fr.txt, fr-mt.txt cut into snippets of 1, 2 and 4 consecutive lines;
- snippets of 1, 2 and 4 sentences in French, German, Spanish, Italian and Portuguese from the
  Debian manual pages translated by manpages-l10n (``--man``, default /usr/share/man; GPL, not
  copied into the repository), rendered by groff and cut by fidelity's Punkt segmenter, 300 a
  language and size drawn with a fixed seed; a paragraph also found in the English page of the
  same name is left out (an untranslated paragraph), and so is a snippet told English (the
  three left: untranslated option descriptions).

For each group it prints what ``detect`` decides, and what ``pair`` resolves a snippet to against
a decided English text (an English original; right: the snippet's language) and, for a snippet
in another language, against a decided text in its own language (wrong: anything else), with the
tentative guess (``now``) and without it (``before``: an undecided side took the other's).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import subprocess
from collections import Counter, defaultdict
from pathlib import Path

from fidelity.langid import Guess, detect, pair

ROOT = Path(__file__).resolve().parent.parent.parent
MAN_LANGUAGES = {"fr": ("fr",), "de": ("de",), "es": ("es",), "it": ("it",), "pt": ("pt", "pt_BR")}
PUNKT = {"fr": "french", "de": "german", "es": "spanish", "it": "italian", "pt": "portuguese"}


def snippets(demetr: Path, man: Path) -> list[tuple[str, str, str]]:
    """(group, language, text) for every text measured."""
    out: list[tuple[str, str, str]] = []
    if demetr.exists():
        first: dict[int, dict] = {}
        for line in demetr.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            first.setdefault(row["item"], row)
        for item in sorted(first)[:500]:
            out += [("DEMETR sentences", "en", first[item]["original"]), ("DEMETR sentences", "en", first[item]["mt"])]
    textberg = ROOT / "corpora" / "gold" / "textberg-1957"
    for name, language in (("de.txt", "de"), ("fr.txt", "fr"), ("fr-mt.txt", "fr")):
        lines = [x.strip() for x in (textberg / name).read_text(encoding="utf-8").splitlines() if x.strip()]
        out.append(("corpora documents", language, "\n".join(lines)))
        for k in (1, 2, 4):
            out += [(f"textberg {name} {k} line(s)", language, " ".join(lines[s : s + k])) for s in range(0, len(lines) - k + 1, k)]
    for path in sorted((ROOT / "corpora" / "texts").glob("*.txt")) + sorted((ROOT / "corpora" / "seeds").glob("0*.txt")):
        out.append(("corpora documents", "fr" if path.name.startswith("fr-") else "en", path.read_text(encoding="utf-8")))
    if man.exists():
        out += _man_snippets(man)
    return out


def _man_snippets(man: Path) -> list[tuple[str, str, str]]:
    from fidelity.segment import _tokenizer

    out: list[tuple[str, str, str]] = []
    for language, folders in MAN_LANGUAGES.items():
        paragraphs: list[list[str]] = []
        for folder in folders:
            for page in sorted(man.glob(f"{folder}/man*/*.gz")):
                english = set(_rendered(man / page.parent.name / page.name))
                for line in _rendered(page):
                    if len(line.split()) >= 6 and line not in english:
                        paragraphs.append(_tokenizer(PUNKT[language]).tokenize(line))
        rng = random.Random(language)
        for k in (1, 2, 4):
            pool = [p for p in paragraphs if len(p) >= k]
            for _ in range(300):
                p = rng.choice(pool)
                start = rng.randrange(len(p) - k + 1)
                out.append((f"man pages {language} {k} sentence(s)", language, " ".join(p[start : start + k])))
    return [x for x in out if detect(x[2]).language != "en"]  # untranslated English left in a translation


def _rendered(page: Path) -> list[str]:
    """The body paragraphs of a manual page (one line each at a 5,000-character width)."""
    if not page.exists():
        return []
    source = gzip.decompress(page.read_bytes())
    text = subprocess.run(["groff", "-k", "-man", "-Tutf8", "-rLL=5000n", "-P-cbou"], input=source, capture_output=True).stdout
    lines = text.decode("utf-8", "replace").splitlines()
    return [" ".join(x.split()) for x in lines if x.startswith(" " * 7) and not x.startswith(" " * 8)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demetr", type=Path, default=ROOT.parent / "shared" / "benchmarks" / "demetr-flores" / "demetr_flores.jsonl")
    parser.add_argument("--man", type=Path, default=Path("/usr/share/man"))
    args = parser.parse_args()
    english = Guess("en", 1.0, tentative="en")
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for group, language, text in snippets(args.demetr, args.man):
        guess = detect(text)
        before = Guess(guess.language, tentative=guess.language)  # undecided: took the other side's
        row = table[group]
        row["texts"] += 1
        row["decided right"] += guess.language == language
        row["decided wrong"] += guess.decided and guess.language != language
        row["undecided, guess right"] += not guess.decided and guess.tentative == language
        row["undecided, guess wrong"] += not guess.decided and bool(guess.tentative) and guess.tentative != language
        for when, g in (("before", before), ("now", guess)):
            row[f"vs en: right {when}"] += pair(english, g)[1] == language
            if language != "en":
                own = Guess(language, 1.0, tentative=language)
                row[f"vs own: wrong {when}"] += pair(own, g)[1] != language
    columns = ["texts", "decided right", "decided wrong", "undecided, guess right", "undecided, guess wrong",
               "vs en: right before", "vs en: right now", "vs own: wrong before", "vs own: wrong now"]  # fmt: skip
    print("| group | " + " | ".join(columns) + " |")
    print("| --- " * (len(columns) + 1) + "|")
    for group, row in table.items():
        print(f"| {group} | " + " | ".join(str(row[c]) if c in row or not c.startswith("vs own") else "-" for c in columns) + " |")


if __name__ == "__main__":
    main()
