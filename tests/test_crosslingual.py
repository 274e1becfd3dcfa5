"""Two texts in different languages (German original, its published French translation, from
corpora/gold/textberg-1957) through the library and the CLI with the real multilingual model:
the model and the checks are chosen per pair, and the report says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fidelity.align import CROSS_LINGUAL, MONOLINGUAL
from fidelity.cli import app
from fidelity.eval.align import read_gold
from fidelity.extract import extract
from fidelity.pipeline import Options, compare, compare_with_evidence, resolve
from fidelity.rules import REGISTRY, Reads
from fidelity.score import verdict_of
from fidelity.thresholds import Thresholds
from fidelity.types import Verdict

ROOT = Path(__file__).resolve().parent.parent
TEXTBERG = ROOT / "corpora" / "gold" / "textberg-1957"
runner = CliRunner()


def _lines(name: str) -> list[str]:
    return (TEXTBERG / name).read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def passage(tmp_path_factory) -> tuple[Path, Path, Path]:
    """The first 80 lines of de.txt, the lines of fr.txt the gold pairs with them, and a French
    passage from the end of fr.txt that translates none of them."""
    gold = read_gold(TEXTBERG / "textberg-de-fr.gold")
    last_fr = max(j for g in gold.groups for j in g.copy if g.original and max(g.original) < 80)
    folder = tmp_path_factory.mktemp("textberg")
    de, fr, other = folder / "de.txt", folder / "fr.txt", folder / "fr-other.txt"
    de.write_text("\n".join(_lines("de.txt")[:80]) + "\n", encoding="utf-8")
    fr.write_text("\n".join(_lines("fr.txt")[: last_fr + 1]) + "\n", encoding="utf-8")
    other.write_text("\n".join(_lines("fr.txt")[-90:]) + "\n", encoding="utf-8")
    return de, fr, other


@pytest.fixture(scope="module")
def use_m3():
    from fidelity.embed import CachedEmbedder, MultilingualUSE

    return CachedEmbedder(MultilingualUSE())


def _doc(path: Path):
    return extract(path, format="lines")


def test_resolve_detects_the_languages_and_chooses_the_multilingual_model(passage) -> None:
    de, fr, _ = passage
    resolved = resolve(_doc(de), _doc(fr), Options(split="lines"))
    assert (resolved.language, resolved.model) == ("de:fr", "use-m3")
    same = resolve(_doc(fr), _doc(fr), Options(split="lines"))
    assert (same.language, same.model) == ("fr", "use-m3")
    # the aligner's settings too: a translation's (overlap vectors) across languages, a copy's within one
    assert (resolved.align, same.align) == (CROSS_LINGUAL, MONOLINGUAL)
    assert resolve(_doc(de), _doc(fr), Options(split="lines", align=MONOLINGUAL)).align == MONOLINGUAL  # named: kept
    english = ROOT / "corpora" / "seeds" / "000_e4863368997e6bb7.txt"
    assert resolve(extract(english), extract(english), Options()).model == "minilm"
    # what the user names wins over detection
    assert resolve(_doc(de), _doc(fr), Options(language="en", model="hashing")).language == "en"


def test_translation_is_a_translation_and_no_word_check_fires(passage, use_m3) -> None:
    de, fr, _ = passage
    report = compare(_doc(de), _doc(fr), options=Options(split="lines"), embedder=use_m3)
    assert report.signature.startswith("model:use-m3-") and "|lang:de>fr|" in report.signature
    assert f"|{CROSS_LINGUAL.signature}|" in report.signature  # which settings aligned it
    assert report.languages == ("de", "fr")
    # the one check that reads across languages besides the alignment is the figures': the French
    # makes "60 ft. = 18,29 m" "60 pieds (19,29 m)", which is wrong (60 ft is 18.29 m)
    figures = [f for f in report.findings if f.rule == "figure"]
    assert ("18,29", "19,29") in {(f.original_span.text, f.copy_span.text) for f in figures}
    assert verdict_of(report.pairs, [f for f in report.findings if f.rule != "figure"]) in (Verdict.FAITHFUL, Verdict.EDITED)
    # the French lines the gold pairs with the German are paired (the rest of fr.txt here is
    # photo captions and OCR debris, rightly additions)
    gold = read_gold(TEXTBERG / "textberg-de-fr.gold")
    wanted = {j for g in gold.groups if g.original and g.copy and max(g.original) < 80 for j in g.copy}
    paired = {j for p in report.pairs if p.original and p.copy and p.drift is not None and p.drift <= 1 - Thresholds().counterpart_calibrated for j in p.copy}
    assert len(wanted & paired) >= 0.95 * len(wanted)
    assert report.original.coverage >= 0.95 and report.score >= 60  # the English-only model gave 7/100
    assert {f.rule for f in report.findings} <= {name for name, cls in REGISTRY.items() if cls.reads in (Reads.ALIGNMENT, Reads.ACROSS)}
    assert all(p.chrf is None for p in report.pairs)  # chrF compares characters: nothing across languages


def test_the_same_pair_claimed_as_one_language_floods_word_checks(passage, use_m3) -> None:
    """The gating is what keeps the report clean: told both texts are German, the word checks
    compare German words with French ones and fire (the report this change replaced)."""
    de, fr, _ = passage
    report, _ = compare_with_evidence(_doc(de), _doc(fr), options=Options(split="lines", language="de"), embedder=use_m3)
    assert any(REGISTRY[f.rule].reads != Reads.ALIGNMENT for f in report.findings)


def test_unrelated_text_in_another_language_is_not_a_copy(passage, use_m3) -> None:
    de, _, other = passage
    report = compare(_doc(de), _doc(other), options=Options(split="lines"), embedder=use_m3)
    assert report.verdict == Verdict.NOT_A_COPY
    assert [f.rule for f in report.findings] == ["not-a-copy"]


def test_a_minilm_embedder_hands_a_cross_lingual_pair_to_its_multilingual_sibling(passage, minilm) -> None:
    """fidelity check and batch share one embedder (minilm for model auto) across pairs."""
    de, fr, _ = passage
    report = compare(_doc(de), _doc(fr), options=Options(split="lines"), embedder=minilm)
    assert report.signature.startswith("model:use-m3-")
    explicit = compare(_doc(de), _doc(fr), options=Options(split="lines", model="minilm"), embedder=minilm)
    assert explicit.signature.startswith("model:minilm-")  # a model the user names is used as named


def test_cli_diff_names_model_and_languages_in_every_format(passage) -> None:
    de, fr, _ = passage
    res = runner.invoke(app, ["diff", "--split", "lines", str(de), str(fr), "-f", "json"])
    assert res.exit_code in (0, 1), res.output
    doc = json.loads(res.stdout)
    assert doc["signature"].startswith("model:use-m3-") and "|lang:de>fr|" in doc["signature"]
    # distorted by the figures the French changes ("18,29 m" -> "19,29 m"), and by nothing else
    findings = [*doc["findings"], *(f for p in doc["pairs"] for f in p["findings"])]
    distortions = {f["rule"] for f in findings if f["severity"] in ("major", "critical") and f["category"] not in ("omission", "addition", "moved")}
    assert doc["verdict"] == "distorted" and distortions == {"figure"}
    text = runner.invoke(app, ["diff", "--split", "lines", str(de), str(fr), "--no-color", "--width", "200", "--summary", "--ignore", "figure"])
    assert "de -> fr" in text.stdout and "model:use-m3" in text.stdout
    assert "named-entity" not in text.stdout and "distorted" not in text.stdout


def test_cli_check_and_batch_route_the_pair(passage, tmp_path) -> None:
    de, fr, _ = passage
    res = runner.invoke(app, ["check", str(de), str(fr), "-f", "json", "--config", str(_config(tmp_path))])
    assert res.exit_code in (0, 1), res.output
    out = json.loads(res.stdout)
    assert "model:use-m3" in json.dumps(out) and "lang:de>fr" in json.dumps(out)
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(json.dumps({"id": "p", "original_path": str(de), "copy_path": str(fr)}) + "\n", encoding="utf-8")
    res = runner.invoke(app, ["batch", str(pairs), "--split", "lines"])
    assert res.exit_code in (0, 1), res.output
    record = json.loads(res.stdout.splitlines()[0])
    assert "model:use-m3" in json.dumps(record) and "lang:de>fr" in json.dumps(record)


def _config(folder: Path) -> Path:
    path = folder / "fidelity.toml"
    path.write_text('split = "lines"\n', encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def french(tmp_path_factory) -> tuple[Path, Path]:
    """The first 120 lines of the human French translation and the lines of the machine
    translation the gold pairs with them."""
    gold = read_gold(TEXTBERG / "textberg-fr-frmt.gold")
    last = max(j for g in gold.groups for j in g.copy if g.original and max(g.original) < 120)
    folder = tmp_path_factory.mktemp("french")
    fr, mt = folder / "fr.txt", folder / "fr-mt.txt"
    fr.write_text("\n".join(_lines("fr.txt")[:120]) + "\n", encoding="utf-8")
    mt.write_text("\n".join(_lines("fr-mt.txt")[: last + 1]) + "\n", encoding="utf-8")
    return fr, mt


def test_one_language_other_than_english_runs_no_english_check(french, use_m3) -> None:
    fr, mt = french
    report = compare(_doc(fr), _doc(mt), options=Options(split="lines"), embedder=use_m3)
    assert report.signature.startswith("model:use-m3-") and "|lang:fr|" in report.signature
    assert {REGISTRY[f.rule].reads for f in report.findings} <= {Reads.ALIGNMENT, Reads.TEXT}
    # use-m3's cosines are read against the pair's own scale: the gold pairs count as matched
    # (what is left of fr.txt here is captions and OCR debris that the machine translation lacks)
    gold = read_gold(TEXTBERG / "textberg-fr-frmt.gold")
    wanted = {i for g in gold.groups if g.original and g.copy and max(g.original) < 120 for i in g.original}
    counted = {i for p in report.pairs if p.original and p.copy for i in p.original}
    assert len(wanted & counted) >= 0.95 * len(wanted)
    assert report.original.coverage >= 0.95 * len(wanted) / 120 and report.copy.coverage >= 0.9
    english = compare(_doc(fr), _doc(mt), options=Options(split="lines", language="en"), embedder=use_m3)
    assert any(REGISTRY[f.rule].reads == Reads.ENGLISH for f in english.findings)  # what the gating keeps out


@pytest.mark.parametrize(
    ("languages", "runs"),
    [
        (("en", "en"), {Reads.ALIGNMENT, Reads.TEXT, Reads.ENGLISH}),
        (("fr", "fr"), {Reads.ALIGNMENT, Reads.TEXT}),
        (("de", "fr"), {Reads.ALIGNMENT, Reads.ACROSS}),
        (("en", "fr"), {Reads.ALIGNMENT, Reads.ACROSS}),
    ],
)
def test_which_rules_run_for_which_languages(languages: tuple[str, str], runs: set[Reads]) -> None:
    from fidelity.rules.base import readable

    assert readable(languages) == runs


def test_fidelity_rules_says_where_each_rule_runs() -> None:
    listed = {e["rule"]: e for e in json.loads(runner.invoke(app, ["rules", "--output-format", "json"]).stdout)}
    for name, cls in REGISTRY.items():
        assert listed[name]["runs_on"] == cls.reads.pairs
    assert "runs on:   any two texts, also in two languages" in runner.invoke(app, ["rules", "omission"]).stdout


def test_a_short_french_copy_of_an_english_text_is_compared_across_languages(use_m3) -> None:
    """Four sentences of French, too few stop words for a sure guess: still French (its
    tentative guess), so use-m3 compares it with its English original. Taken for English,
    as it was, minilm called the translation "not-a-copy" (score 19.7)."""
    news = ROOT / "tests" / "fixtures" / "short-news"
    en, fr = extract(news / "en.txt"), extract(news / "fr.txt")
    resolved = resolve(en, fr, Options())
    assert (resolved.language, resolved.model) == ("en:fr", "use-m3")
    report = compare(en, fr, options=Options(), embedder=use_m3)
    assert report.languages == ("en", "fr") and "|lang:en>fr|" in report.signature
    assert report.verdict in (Verdict.FAITHFUL, Verdict.EDITED)
    assert report.original.coverage >= 0.8 and report.copy.coverage >= 0.8


def test_a_chinese_original_is_split_into_sentences_and_compared_with_its_translation(use_m3) -> None:
    """Chinese writes no space after its sentence ends (。): read as one sentence, the whole text
    faced the English's first sentence and the translation was "not-a-copy"."""
    news = ROOT / "tests" / "fixtures" / "short-news"
    zh, en = extract(news / "zh.txt"), extract(news / "en.txt")
    report = compare(zh, en, options=Options(), embedder=use_m3)
    assert report.languages == ("zh", "en") and report.original.sentences == 5
    assert report.verdict in (Verdict.FAITHFUL, Verdict.EDITED)
    assert report.original.coverage >= 0.8 and report.copy.coverage >= 0.8
