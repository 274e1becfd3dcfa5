"""A bench (``fidelity bench mqm|honest|demetr``, checks only) with the drift-edit rule on.

    python -m training.measure_edits mqm test /tmp/mqm-test-edits.json [--set edit_model_major=0.9]

The CLI benches run the default thresholds, where drift-edit is off; this runs the same bench
code (``fidelity.eval``) with ``Thresholds(edit_findings=True)`` and any ``--set`` on top, and
writes the bench's JSON document (the same fields as ``fidelity bench ... -f json``).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import fields, replace
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("bench", choices=["mqm", "honest", "demetr"])
    ap.add_argument("split")
    ap.add_argument("output")
    ap.add_argument("--set", action="append", default=[], help="threshold=value (fidelity.thresholds.Thresholds field), repeatable")
    ap.add_argument("--limit", type=int, default=None, help="first N rows (demetr: items)")
    ap.add_argument("--off", action="store_true", help="drift-edit off (the default thresholds), for a same-load comparison")
    args = ap.parse_args()

    from fidelity.pipeline import Options
    from fidelity.thresholds import Thresholds

    th = Thresholds(edit_findings=not args.off)
    kinds = {f.name: f.type for f in fields(Thresholds)}
    for item in args.set:
        name, value = item.split("=", 1)
        if name not in kinds:
            raise SystemExit(f"unknown threshold {name!r}")
        current = getattr(th, name)
        th = replace(th, **{name: (value.lower() in ("1", "true", "yes")) if isinstance(current, bool) else type(current)(value)})
    options = Options(model="minilm", language="en", thresholds=th)
    if args.bench == "mqm":
        from fidelity.eval import mqm

        doc = mqm.run(mqm.load(split=args.split, limit=args.limit), options=options, split=args.split).to_dict()  # type: ignore[arg-type]
    elif args.bench == "honest":
        from fidelity.eval import honest

        doc = honest.run(honest.load(split=args.split, limit=args.limit), options=options, split=args.split).to_dict()  # type: ignore[arg-type]
    else:
        from fidelity.eval import demetr

        doc = demetr.run(demetr.load(split=args.split, limit_items=args.limit), options=options, split=args.split, parallel=False).to_dict()  # type: ignore[arg-type]
    doc["thresholds"] = th.signature
    Path(args.output).write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
