"""Shared fixtures. Areas append their own fixtures below, prefixed with the area name."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# Tests read and write no user cache; tests/test_cache.py points runs at a temporary one.
os.environ.setdefault("FIDELITY_NO_CACHE", "1")

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
def use_m3():
    """The packaged multilingual USE, loaded once per test session."""
    from fidelity.embed import CachedEmbedder, MultilingualUSE

    return CachedEmbedder(MultilingualUSE())


@pytest.fixture(scope="session")
def minilm():
    """The real packaged model, loaded once per test session."""
    from fidelity.embed import CachedEmbedder, MiniLM

    return CachedEmbedder(MiniLM())


@pytest.fixture(scope="session")
def report_hostile_lines() -> tuple[str, ...]:
    """Lines a hostile copy may carry: markup, a closing tag that ends a raw-text element, an
    attribute breakout, a javascript: URL, event handlers, template syntax, a bidi override.
    Each one sets ``window.__pwned`` if a page ever runs it."""
    return (
        "<script>window.__pwned = 1</script> The ferry service resumes on Monday.",
        "</textarea></style></title><img src=x onerror=\"window.__pwned = 2\"> Tickets cost 15 euros.",
        "\" onmouseover=\"window.__pwned = 3\" data-x=\" The harbour master thanked the crews.",
        "<a href=\"javascript:window.__pwned = 4\">click here</a> for the \u202etxt.exe\u202c timetable.",
        "{{ 7 * 7 }} and <!-- a comment --> and &amp; and <svg onload=\"window.__pwned = 5\"></svg> stay text.",
    )
