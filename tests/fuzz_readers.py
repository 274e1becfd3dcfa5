"""Fuzz target (atheris, libFuzzer) for everything that reads untrusted bytes.

    python tests/fuzz_readers.py -max_total_time=30 [corpus_dir]

One input drives, in turn: the document decoder (``extract.decode`` and ``extract`` on the
decoded text), a batch JSONL line (``batch.parse_line``), a JSONL and a CSV manifest
(``manifest.read_manifest``) and a config file (``config.load_config``). The contract under test:
each returns a value or raises a ``FidelityError`` (one line for the user); any other exception
is a bug and libFuzzer reports it with the input that caused it. ``tests/test_hostile_fuzz.py``
runs this for a bounded time.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from fidelity import batch, config, manifest
    from fidelity.errors import FidelityError
    from fidelity.extract import decode, extract

WORK = Path(tempfile.mkdtemp(prefix="fidelity-fuzz-"))


def _one(data: bytes) -> None:
    try:
        text, _ = decode(data, "fuzz")
        extract("fuzz", text=text)
    except FidelityError:
        pass
    got = batch.parse_line(data, 1, base=WORK)
    assert isinstance(got, batch.PairInput | batch.BatchError)
    for name in ("m.jsonl", "m.csv", "fidelity.toml"):
        path = WORK / name
        path.write_bytes(data)
        try:
            if name == "fidelity.toml":
                config.load_config(path)
            else:
                manifest.read_manifest(path)
        except FidelityError:
            pass


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    atheris.Setup(sys.argv, _one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
