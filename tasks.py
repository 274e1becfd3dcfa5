#!/usr/bin/env python3
"""Set-up and everyday tasks with nothing but Python 3.11 on the machine.

    python3 tasks.py demo      set up .venv, run fidelity on the bundled seed pair
    python3 tasks.py test      set up .venv, run ruff check and the test suite
    python3 tasks.py reports   regenerate reports/ from the corpora
    python3 tasks.py bench     speed benchmarks of `fidelity diff`

Set-up creates .venv beside this file, installs the CPU build of torch (pinned 2.13.0,
so pip does not pull gigabytes of CUDA packages) and fidelity with its dev extras.
It is skipped when .venv is already up to date with pyproject.toml.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed"
SEEDS = ROOT / "corpora" / "seeds"
ENV = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")


def run(*cmd: str | Path, ok: tuple[int, ...] = (0,)) -> int:
    code = subprocess.call([str(c) for c in cmd], cwd=ROOT, env=ENV)
    if code not in ok:
        sys.exit(code)
    return code


def setup() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - tasks.py runs under whatever python3 the user has
        sys.exit(f"fidelity needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    pyproject = ROOT / "pyproject.toml"
    if STAMP.exists() and STAMP.stat().st_mtime >= pyproject.stat().st_mtime:
        return
    if not (BIN / "python").exists():
        print("creating .venv", file=sys.stderr)
        venv.create(VENV, with_pip=True)
    pip = [BIN / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    run(*pip, "--upgrade", "pip")
    run(*pip, "torch==2.13.0")
    run(*pip, "-e", ".[dev]")
    STAMP.touch()


def demo() -> None:
    setup()
    # exit 1 means "distortions found", the expected outcome for this pair
    run(BIN / "fidelity", "diff", SEEDS / "000_e4863368997e6bb7.txt", SEEDS / "002_8e37ae472674b90e.txt", ok=(0, 1))


def test() -> None:
    setup()
    run(BIN / "ruff", "check", "fidelity", "tests")  # lint first: CI stays ruff-clean
    run(BIN / "python", "-m", "pytest", "-q", *sys.argv[2:])


def reports() -> None:
    setup()
    run(BIN / "python", ROOT / "reports" / "generate.py")


def bench() -> None:
    setup()
    run(BIN / "python", ROOT / "benchmarks" / "bench_diff.py")


TASKS = {"setup": setup, "demo": demo, "test": test, "reports": reports, "bench": bench}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in TASKS:
        sys.exit(f"usage: python3 tasks.py {{{'|'.join(TASKS)}}}")
    TASKS[sys.argv[1]]()
