"""Each rule family's example pairs, as data: ``tests/rules/FAMILY.toml``, one parametrised test.

An example gives an original and a copy (one sentence each, or a few lines) and what the rules
must say about them at ``severity`` or above (default major): ``flags`` (rules with a finding),
``passes`` (rules without one), ``clean`` (no finding at all, or some). Pairs are compared by the
real pipeline, with the deterministic hashing embedder or, where ``model = "minilm"``, the real
packaged model (short reworded pairs need it: the hashing embedder aligns too few of them).
Adding a case for a rule is adding an ``[[example]]`` to its family's file.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from fidelity import nlp
from fidelity.embed import CachedEmbedder, HashingEmbedder
from fidelity.extract import extract
from fidelity.pipeline import compare
from fidelity.rules import REGISTRY
from fidelity.types import Severity

EXAMPLES = Path(__file__).resolve().parent / "rules"
_HASHING = CachedEmbedder(HashingEmbedder())
_AVAILABLE = {"spacy": nlp.spacy_available, "wordnet": lambda: nlp.wordnet() is not None}


def _load() -> list[Any]:
    params = []
    for path in sorted(EXAMPLES.glob("*.toml")):
        for k, ex in enumerate(tomllib.loads(path.read_text(encoding="utf-8"))["example"], start=1):
            marks = [pytest.mark.skipif(not _AVAILABLE[n](), reason=f"{n} not installed") for n in ex.get("needs", [])]
            params.append(pytest.param(ex, id=f"{path.stem}-{k}", marks=marks))
    return params


@pytest.mark.parametrize("example", _load())
def test_rule_example(example: dict[str, Any], request: pytest.FixtureRequest) -> None:
    embedder = request.getfixturevalue("minilm") if example.get("model") == "minilm" else _HASHING
    floor = Severity(example.get("severity", "major"))
    original = extract("original", text=example["original"], format="lines")
    copy = extract("copy", text=example["copy"], format="lines")
    found = {f.rule for f in compare(original, copy, embedder=embedder).findings if f.severity >= floor}
    assert set(example.get("flags", [])) <= found, f"expected {example.get('flags')}, found {sorted(found)}"
    assert not set(example.get("passes", [])) & found, f"expected none of {example.get('passes')}, found {sorted(found)}"
    if "clean" in example:
        assert (not found) == example["clean"], f"clean={example['clean']}, found {sorted(found)}"


def test_examples_name_known_rules_and_cover_every_meaning_family() -> None:
    families = set()
    for path in EXAMPLES.glob("*.toml"):
        for ex in tomllib.loads(path.read_text(encoding="utf-8"))["example"]:
            assert set(ex.get("flags", []) + ex.get("passes", [])) <= set(REGISTRY), ex
            assert set(ex) <= {"original", "copy", "flags", "passes", "clean", "severity", "model", "needs"}, ex
        families.add(path.stem)
    assert {"numbers", "names", "polarity", "roles", "quotes", "untranslated", "wording", "order"} <= families
