"""The rule registry, the rules' explanations, and the flag stage's freedom from hidden state."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import fidelity
from fidelity.embed import CachedEmbedder, HashingEmbedder
from fidelity.extract import extract
from fidelity.pipeline import compare, compare_with_evidence
from fidelity.rules import REGISTRY, RULES, selected
from fidelity.rules.evidence import Hit, HitKind
from fidelity.types import Severity

ROOT = Path(__file__).resolve().parent.parent


def test_registry_is_the_ordered_rules_with_unique_ids() -> None:
    assert list(REGISTRY.values()) == list(RULES)
    assert len(REGISTRY) == len(RULES)
    assert selected() == list(RULES)
    assert [c.rule for c in selected(select=["mistranslation"], ignore=["drift"])] == [
        c.rule for c in RULES if c.category.value == "mistranslation" and c.rule != "drift"
    ]


@pytest.mark.parametrize("cls", RULES, ids=lambda c: c.rule)
def test_every_rule_explains_itself_as_ruff_does(cls: type) -> None:
    text = cls.explanation()
    positions = [text.find(part) for part in ("What it does:", "Why it matters:", "Example:")]
    assert -1 not in positions and positions == sorted(positions), text


@pytest.mark.parametrize("cls", RULES, ids=lambda c: c.rule)
def test_every_rule_lives_in_its_family_module(cls: type) -> None:
    assert cls.__module__.startswith("fidelity.rules.") and cls.__module__ != "fidelity.rules.base"


def test_every_hit_kind_is_shown_by_a_rule_or_feeds_the_model() -> None:
    shown = set().union(*(getattr(c, "kinds", frozenset()) for c in RULES))
    assert all(kind in shown or kind.feature for kind in HitKind)


def test_a_hit_refuses_untyped_kinds_and_strengths() -> None:
    with pytest.raises(TypeError):
        Hit("number-changed", None, None, "x")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Hit(HitKind.NUMBER_CHANGED, None, None, "x", "minor")  # type: ignore[arg-type]


ORIGINAL = "\n".join([
    "The committee approved the budget of 5,000 euros on Tuesday.",
    "The minister did not comment on the report.",
    "Anna Petrova will lead the delegation to Vienna.",
])  # fmt: skip
COPIES = [
    "\n".join([
        "The committee approved the budget of 500 euros on Tuesday.",
        "The minister commented on the report.",
        "Anna Pavlova will lead the delegation to Vienna.",
    ]),
    "\n".join([
        "The committee rejected the budget of 5,000 euros on Tuesday.",
        "The minister did not comment on the report.",
        "Anna Petrova will lead the delegation to Vienna.",
    ]),
]  # fmt: skip


def _findings(copy: str) -> list[tuple[str, str, str]]:
    rep = compare(extract("o", text=ORIGINAL, format="lines"), extract("c", text=copy, format="lines"), embedder=CachedEmbedder(HashingEmbedder()))
    return [(f.rule, f.severity.value, f.message) for f in rep.findings]


def test_compare_is_safe_from_two_threads() -> None:
    alone = [_findings(c) for c in COPIES]
    with ThreadPoolExecutor(max_workers=2) as pool:
        together = list(pool.map(_findings, COPIES * 4))
    assert together == alone * 4


def test_the_evidence_is_returned_with_the_report() -> None:
    o, c = extract("o", text=ORIGINAL, format="lines"), extract("c", text=COPIES[0], format="lines")
    report, evidence = compare_with_evidence(o, c, embedder=CachedEmbedder(HashingEmbedder()))
    assert [a.pair.index for a in evidence.pairs] == [p.index for p in report.pairs if p.original and p.copy]
    kinds = {h.kind for a in evidence.pairs for h in a.hits}
    assert {HitKind.NUMBER_CHANGED, HitKind.NEGATION_DROPPED} <= kinds
    assert all(isinstance(h.strength, Severity) for a in evidence.pairs for h in a.hits)
    assert all(a.features for a in evidence.pairs)
    # a selection of rules that reads no evidence computes none
    only_structure = compare_with_evidence(o, c, options=_options(select=("moved",)), embedder=CachedEmbedder(HashingEmbedder()))[1]
    assert only_structure.pairs == ()


def _options(**kw: object) -> object:
    from fidelity.pipeline import Options

    return Options(**kw)  # type: ignore[arg-type]


MODULES = sorted(m.name for m in pkgutil.walk_packages(fidelity.__path__, "fidelity.") if not m.name.startswith("fidelity.__main__"))


def test_every_module_imports_alone() -> None:
    # each in a fresh interpreter: an import cycle shows as an ImportError whichever module comes first
    code = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    failed = []
    for name in MODULES:
        done = subprocess.run([sys.executable, "-c", code, name], capture_output=True, text=True, cwd=ROOT, timeout=120)
        if done.returncode != 0:
            failed.append(f"{name}: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode}")
    assert not failed, "\n".join(failed)


def test_the_rules_package_holds_no_module_level_switches() -> None:
    import fidelity.rules as rules

    for info in pkgutil.iter_modules(rules.__path__, "fidelity.rules."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if name.startswith("__") or isinstance(value, (type, frozenset, tuple, str, int, float, bytes)) or callable(value):
                continue
            assert not isinstance(value, (list, set, bool)) or name.isupper(), f"{info.name}.{name} is module state"


@pytest.mark.parametrize("cls", RULES, ids=lambda c: c.rule)
def test_every_rule_is_documented_in_its_family_page(cls: type) -> None:
    family = cls.__module__.rsplit(".", 1)[-1]
    page = (ROOT / "docs" / "rules" / f"{family}.md").read_text(encoding="utf-8")
    assert f"`{cls.rule}`" in page and cls.explanation() in page, f"docs/rules/{family}.md is out of date for {cls.rule}"


@pytest.mark.skipif(not fidelity.nlp.spacy_available(), reason="spaCy model not installed")
def test_tokens_in_is_every_token_overlapping_the_range():
    # tokens_in binary-searches the parse; the answer must be the plain definition's, token for token.
    import random

    from fidelity import nlp
    from fidelity.rules.tokens import tokens_in

    texts = [
        "The council did not approve the new budget on Tuesday.",
        "  Dr. Smith's co-op didn't (really) work\u2014ok?  ",
        "a",
        "Prices rose by 15 percent in Berlin last year,\n\naccording to Maria Schmidt.",
    ]
    rng = random.Random(7)
    for doc in nlp.parse(texts):
        for _ in range(400):
            start, end = rng.randint(-2, len(doc.text) + 2), rng.randint(-2, len(doc.text) + 3)
            plain = [t.i for t in doc if t.idx < end and t.idx + len(t.text) > start]
            assert [t.i for t in tokens_in(doc, (start, end))] == plain, (doc.text, start, end)
    assert tokens_in(None, (0, 5)) == []
