"""The seed corpus and its careful-reader annotation are intact.

In: ``corpora/seeds/`` (five files, ``SHA256SUMS``, README) and ``corpora/annotations/*.json``.
Out: failures naming the file, the record and what is wrong. The annotation tests load no model (only ``extract``); the scorer test runs the pipeline with HashingEmbedder.
"""

from __future__ import annotations

import hashlib
import json
import sys
from functools import cache
from pathlib import Path

import pytest

from fidelity.extract import extract
from fidelity.types import Category, Document, Severity, Verdict

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpora" / "seeds"
ANNOTATIONS = ROOT / "corpora" / "annotations"
SEED_NAMES = [
    "000_e4863368997e6bb7.txt",
    "001_f6ae38cdbea0309d.txt",
    "002_8e37ae472674b90e.txt",
    "003_64b38c70a3b7b434.txt",
    "004_9090c35cc40e081f.txt",
]
ANNOTATED_PAIRS = ["000-001", "000-002", "000-003", "000-004"]
CATEGORIES = {c.value for c in Category}
SEVERITIES = {s.value for s in Severity}


def _checksums() -> dict[str, str]:
    sums = {}
    for line in (SEEDS / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split(maxsplit=1)
        sums[name.strip()] = digest
    return sums


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@cache
def _doc(relpath: str) -> Document:
    return extract(ROOT / relpath)


@cache
def _annotation(pair: str) -> dict:
    return json.loads((ANNOTATIONS / f"{pair}.json").read_text(encoding="utf-8"))


# --- seeds ----------------------------------------------------------------------------------


def test_seed_corpus_lists_exactly_the_five_seeds() -> None:
    assert sorted(_checksums()) == SEED_NAMES
    assert sorted(p.name for p in SEEDS.glob("*.txt")) == SEED_NAMES


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_corpus_file_matches_its_checksum(name: str) -> None:
    assert _sha256(SEEDS / name) == _checksums()[name], (
        f"{name} differs from SHA256SUMS: seed files must never be edited"
    )


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_corpus_file_is_described_in_readme(name: str) -> None:
    assert name in (SEEDS / "README.md").read_text(encoding="utf-8")


# --- annotations ----------------------------------------------------------------------------


def test_seed_corpus_every_annotation_file_is_known() -> None:
    assert sorted(p.stem for p in ANNOTATIONS.glob("*.json")) == ANNOTATED_PAIRS


@pytest.mark.parametrize("pair", ANNOTATED_PAIRS)
def test_seed_corpus_annotation_header(pair: str) -> None:
    data = _annotation(pair)
    assert data["schema"] == "fidelity/seed-annotation-v1"
    assert data["pair"] == pair
    assert data["expected_verdict"] in {v.value for v in Verdict}
    for side, key in (("original", pair[:3]), ("copy", pair[4:])):
        path = ROOT / data[side]["file"]
        assert path.parent == SEEDS and path.name.startswith(key + "_"), f"{pair}: {side} file {path.name}"
        assert _sha256(path) == data[side]["sha256"], f"{pair}: {side} file changed since annotation"
    for key in ("distortions", "faithful", "non_distortions"):
        assert isinstance(data[key], list)


def _check_span(pair: str, where: str, span: dict, relpath: str) -> None:
    doc = _doc(relpath)
    assert set(span) >= {"start", "end", "text"}, f"{pair} {where}: span keys {sorted(span)}"
    assert 0 <= span["start"] < span["end"] <= len(doc.text), f"{pair} {where}: offsets out of range"
    assert doc.text[span["start"] : span["end"]] == span["text"], (
        f"{pair} {where}: text at [{span['start']}:{span['end']}] is "
        f"{doc.text[span['start'] : span['end']]!r}, annotation says {span['text']!r}"
    )
    raw = (ROOT / relpath).read_text(encoding="utf-8")
    assert span["text"] in raw, f"{pair} {where}: {span['text']!r} does not occur in {relpath}"
    sentences = span.get("sentences", [])
    assert all(isinstance(i, int) and i >= 0 for i in sentences) and sentences == sorted(set(sentences))


@pytest.mark.parametrize("pair", ANNOTATED_PAIRS)
def test_seed_corpus_distortions_are_well_formed(pair: str) -> None:
    data = _annotation(pair)
    ids = [d["id"] for d in data["distortions"]]
    assert len(ids) == len(set(ids)), f"{pair}: duplicate ids"
    for d in data["distortions"]:
        where = d["id"]
        assert d["id"].startswith(pair + "/")
        assert d["category"] in CATEGORIES, f"{where}: category {d['category']!r}"
        assert set(d["accept"]) <= CATEGORIES and d["category"] in d["accept"], f"{where}: accept {d['accept']}"
        assert d["severity"] in SEVERITIES, f"{where}: severity {d['severity']!r}"
        assert d["why"].strip(), f"{where}: no justification"
        assert d["group"] is None or d["group"] in data["groups"], f"{where}: unknown group {d['group']!r}"
        assert d["original"] or d["copy"], f"{where}: neither side has a span"
        if d["category"] == "addition":
            assert d["original"] is None, f"{where}: an addition has no original span"
        if d["category"] == "moved":
            assert d["original"] and d["copy"], f"{where}: a move needs both places"
        for side in ("original", "copy"):
            if d[side]:
                _check_span(pair, f"{where} {side}", d[side], data[side]["file"])


@pytest.mark.parametrize("pair", ANNOTATED_PAIRS)
def test_seed_corpus_faithful_and_evidence_spans_occur(pair: str) -> None:
    data = _annotation(pair)
    for n, f in enumerate(data["faithful"]):
        for side in ("original", "copy"):
            _check_span(pair, f"faithful[{n}] {side}", f[side], data[side]["file"])
        assert f["original"]["sentences"] and f["copy"]["sentences"]
    for n, e in enumerate(data.get("shared_topic", [])):
        for side in ("original", "copy"):
            if e[side]:
                _check_span(pair, f"shared_topic[{n}] {side}", e[side], data[side]["file"])


@pytest.mark.parametrize("pair", ["000-001", "000-002"])
def test_seed_corpus_faithful_pairs_do_not_overlap_distortions(pair: str) -> None:
    # A pair cannot be both faithful and distorted: false flags are counted on faithful pairs.
    data = _annotation(pair)
    for f in data["faithful"]:
        for d in data["distortions"]:
            if d["category"] == "moved":
                continue  # moved text is verbatim: its sentences are faithful, the move is the finding
            for side in ("original", "copy"):
                if d[side]:
                    overlap = d[side]["start"] < f[side]["end"] and f[side]["start"] < d[side]["end"]
                    assert not overlap, f"{d['id']} overlaps faithful pair {f[side]['text'][:40]!r}"


def test_seed_corpus_retranslation_annotation_covers_the_known_drifts() -> None:
    # The seed README names these; an annotation that lost them would be a worse evaluation set.
    data = _annotation("000-002")
    copies = " | ".join(d["copy"]["text"] for d in data["distortions"] if d["copy"])
    for text in ("development", "alliance of willing", "[του Άρθρου 5]", "Kirm", "Mark Rubio"):
        assert text in copies, f"{text!r} not annotated"
    groups = {d["group"] for d in data["distortions"]}
    assert {"deploy-develop", "invented-headings"} <= groups
    assert data["faithful"], "false flags cannot be counted without faithful pairs"


# --- the scorer (benchmarks/eval_seed_annotation.py) -----------------------------------------


@cache
def _scorer():  # type: ignore[no-untyped-def]
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "eval_seed_annotation", ROOT / "benchmarks" / "eval_seed_annotation.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


def test_seed_corpus_scorer_span_and_pair_rules() -> None:
    scorer = _scorer()
    item = {"original": {"start": 100, "end": 110}, "copy": {"start": 50, "end": 61}}
    own = scorer.Footprint(own_original=(), own_copy=((55, 58),), pair_original=(), pair_copy=((40, 90),))
    pair_only = scorer.Footprint(own_original=(), own_copy=((0, 10),), pair_original=(), pair_copy=((40, 90),))
    elsewhere = scorer.Footprint(own_original=((0, 100),), own_copy=((61, 70),), pair_original=(), pair_copy=())
    assert scorer.touches(own, item, own_only=True)
    assert not scorer.touches(pair_only, item, own_only=True)
    assert scorer.touches(pair_only, item, own_only=False)
    assert not scorer.touches(elsewhere, item, own_only=False), "touching ranges [0,100) and [61,70) do not overlap"
    omission = {"original": {"start": 100, "end": 110}, "copy": None}
    assert scorer.touches(scorer.Footprint(((105, 106),), (), (), ()), omission, own_only=True)


def test_seed_corpus_scorer_runs_on_the_current_pipeline() -> None:
    # Whatever the pipeline produces, every annotated distortion gets exactly one outcome and the
    # finding counts add up. HashingEmbedder keeps it fast; the real figures come from the script.
    from fidelity.embed import CachedEmbedder, HashingEmbedder

    scorer = _scorer()
    data = scorer.load_annotation("000-001")
    result = scorer.evaluate("000-001", data, CachedEmbedder(HashingEmbedder()), "hashing")
    assert set(result.outcomes) == {d["id"] for d in data["distortions"]}
    assert set(result.outcomes.values()) <= {"caught", "pair", "other-category", "missed"}
    parts = result.on_distortion + result.false_flags + result.elsewhere + result.document_level
    assert parts == result.findings_major
    assert 0 <= result.faithful_flagged <= result.faithful_total == len(data["faithful"])
    text = scorer.render([result], signature="test", show_list=True, data={"000-001": data})
    assert "000-001/02" in text and "false flags" in text
