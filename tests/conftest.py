"""Shared fixtures. Areas append their own fixtures below, prefixed with the area name."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpora" / "seeds"
SEED_FILES = {
    "original": SEEDS / "000_e4863368997e6bb7.txt",
    "syndicated": SEEDS / "001_f6ae38cdbea0309d.txt",
    "retranslated": SEEDS / "002_8e37ae472674b90e.txt",
    "digest": SEEDS / "003_64b38c70a3b7b434.txt",
    "other": SEEDS / "004_9090c35cc40e081f.txt",
}


@pytest.fixture(scope="session")
def seeds() -> dict[str, Path]:
    missing = [p for p in SEED_FILES.values() if not p.exists()]
    if missing:
        pytest.fail(f"seed corpus incomplete: {missing}")
    return SEED_FILES


@pytest.fixture()
def hashing():
    from fidelity.embed import CachedEmbedder, HashingEmbedder

    return CachedEmbedder(HashingEmbedder())


@pytest.fixture(scope="session")
def minilm():
    """The real packaged model, loaded once per test session."""
    from fidelity.embed import CachedEmbedder, MiniLM

    return CachedEmbedder(MiniLM())
