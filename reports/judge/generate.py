"""Regenerate the judge's figures under reports/judge/ (never edit the outputs by hand).

    python reports/judge/generate.py [--only mqm,honest,demetr,seeds] [--cache .cache/bench] [--judge judge-v4]

Each benchmark runs once and prints fidelity (the checks alone), fidelity+judge, chrF, BLEU and
MiniLM cosine on the same rows; the JSON (exact values) and the text tables are written side by
side. Parts, on the data nobody tuned on:

- mqm-test.{json,txt}: ``fidelity bench mqm --split test``
- honest-heldout.{json,txt}: ``fidelity bench honest --split heldout`` (de-en)
- honest-every8.{json,txt}: ``fidelity bench honest --split every8`` (the issue's sample; two
  thirds of it are dev rows, so it is shown for comparison with "today", not as a held-out figure)
- honest-documents.{json,txt}: ``fidelity bench honest --split heldout --documents 24`` (de-en
  lines joined into documents of 24, compared as two translations of one article)
- demetr-test.{json,txt}: ``fidelity bench demetr --split test --judge`` (about 20 minutes)
- seed-annotation.txt: ``benchmarks/eval_seed_annotation.py`` without and with ``--judge`` (the default judge)

The rows of the "fidelity" column reproduce the figures before the judge (today-*.json were the
first such runs).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "reports" / "judge"


def write(stem: str, doc: dict, render) -> None:  # type: ignore[no-untyped-def]
    from rich.console import Console

    (OUT / f"{stem}.json").write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    with (OUT / f"{stem}.txt").open("w", encoding="utf-8") as fh:
        console = Console(file=fh, width=180, color_system=None)
        for part in render(doc):
            console.print(part)
    print(f"wrote reports/judge/{stem}.json and .txt", file=sys.stderr)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", default="mqm,honest,demetr,seeds")
    ap.add_argument("--cache", type=Path, default=None, help="keep the checks' reports here (see fidelity bench --cache)")
    ap.add_argument("--judge", default=None, help="the judge's weights (default: fidelity.judge.DEFAULT); another one's files are named *-NAME.*")
    args = ap.parse_args()
    parts = set(args.only.split(","))
    sys.path.insert(0, str(ROOT))
    from fidelity.eval import demetr, honest, mqm
    from fidelity.judge import DEFAULT
    from fidelity.pipeline import Options

    name = args.judge or DEFAULT
    suffix = "" if name == DEFAULT else f"-{name}"
    options = Options(judge=name)
    OUT.mkdir(parents=True, exist_ok=True)
    if "mqm" in parts:
        result = mqm.run(mqm.load(split="test"), options=options, split="test", judge=True, cache=args.cache)
        write(f"mqm-test{suffix}", result.to_dict(), mqm.render)
    if "honest" in parts:
        for split in ("heldout", "every8"):
            result = honest.run(honest.load(split=split), options=options, split=split, judge=True, cache=args.cache)  # type: ignore[arg-type]
            write(f"honest-{split}{suffix}", result.to_dict(), honest.render)
        docs = honest.documents(honest.load(split="heldout"), 24)
        documents = honest.run_documents(docs, size=24, options=options, split="heldout", judge=True, cache=args.cache)
        write(f"honest-documents{suffix}", documents.to_dict(), honest.render_documents)
    if "demetr" in parts:
        result = demetr.run(demetr.load(split="test"), options=options, split="test", judge=True, cache=args.cache)
        write(f"demetr-test{suffix}", result.to_dict(), demetr.render)
    if "seeds" in parts:
        script = [sys.executable, str(ROOT / "benchmarks" / "eval_seed_annotation.py"), "--pairs", "000-002"]
        before = subprocess.run(script, check=True, capture_output=True, text=True).stdout
        after = subprocess.run([*script, "--judge", name], check=True, capture_output=True, text=True).stdout
        text = f"# checks alone\n\n{before}\n# with the judge ({name})\n\n{after}"
        (OUT / f"seed-annotation{suffix}.txt").write_text(text, encoding="utf-8")
        print(f"wrote reports/judge/seed-annotation{suffix}.txt", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
