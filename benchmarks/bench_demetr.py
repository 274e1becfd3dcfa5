"""DEMETR benchmark: the same as ``fidelity bench demetr``, runnable as a script.

    python benchmarks/bench_demetr.py [--setting both] [--split dev] [--format json] ...

All options are those of ``fidelity bench demetr --help``; the work is in ``fidelity.eval.demetr``.
"""

from __future__ import annotations

import sys

from fidelity.cli import app

if __name__ == "__main__":
    app(["bench", "demetr", *sys.argv[1:]])
