"""Regenerate every report under reports/ from the corpora. Never edit the outputs by hand.

    python reports/generate.py        (or: make reports)

Writes, for the seed original 000 against each seed copy, the terminal report as plain
text (what `fidelity diff --no-color --width 140` prints) and the JSON report.

    python reports/generate.py --demetr

also reruns the DEMETR benchmark quoted in the README, both whole splits (`fidelity bench
demetr --split dev` and `--split test`, about 15 minutes each on 2 cores), into reports/demetr/;
with ``--cache DIR`` the checks' reports are kept there and shared with reports/judge/generate.py
(``fidelity bench --cache``), so each split is compared once.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpora" / "seeds"
OUT = ROOT / "reports" / "seeds"


def main() -> int:
    from fidelity.embed import CachedEmbedder, get_embedder
    from fidelity.extract import extract
    from fidelity.pipeline import Options, compare
    from fidelity.report.json import render as render_json
    from fidelity.report.terminal import TerminalView, make_console

    OUT.mkdir(parents=True, exist_ok=True)
    options = Options(model="minilm", language="en")  # the seeds are English
    embedder = CachedEmbedder(get_embedder(options.model))
    original_path = SEEDS / "000_e4863368997e6bb7.txt"
    original = extract(original_path, name=original_path.relative_to(ROOT).as_posix())
    for copy_path in sorted(SEEDS.glob("00[0-9]_*.txt")):
        copy = extract(copy_path, name=copy_path.relative_to(ROOT).as_posix())
        report = compare(original, copy, options=options, embedder=embedder)
        stem = f"000-vs-{copy_path.name[:3]}"
        (OUT / f"{stem}.json").write_text(render_json(report), encoding="utf-8")
        with (OUT / f"{stem}.txt").open("w", encoding="utf-8") as fh:
            make_console(file=fh, width=140, color=False).print(TerminalView(report))
        print(f"{stem}: {report.verdict.value} {report.score:.1f} {report.counts}", file=sys.stderr)
    if "--demetr" in sys.argv[1:]:
        for split in ("dev", "test"):
            out = ROOT / "reports" / "demetr" / f"{split}.txt"
            out.parent.mkdir(parents=True, exist_ok=True)
            cmd = [sys.executable, "-m", "fidelity", "bench", "demetr", "--split", split, "-q", "-o", str(out)]
            if "--cache" in sys.argv[1:]:
                cmd += ["--cache", sys.argv[sys.argv.index("--cache") + 1]]
            subprocess.run(cmd, check=True)
            print(f"demetr: {out.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
