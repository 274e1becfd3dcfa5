"""fidelity.bench and `fidelity bench demetr`: loading and the dev/test split, the measures on
hand-set scores (answers computed by hand), an end-to-end run on a hand-made mini dataset
with the hashing embedder, and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console
from typer.testing import CliRunner

from fidelity import bench
from fidelity.bench import BenchRow, SettingScores
from fidelity.cli import app
from fidelity.errors import FidelityError
from fidelity.eval import common, honest, mqm
from fidelity.pipeline import Options

REF = "The council approved the new budget on Monday after a long debate."
MT = "On Monday the council approved the new budget following a lengthy debate."
NEG = "On Monday the council did not approve the new budget following a lengthy debate."


def row(item: int, pert: str, severity: str, copy: str, original: str = REF, mt: str = MT) -> dict:
    return {"id": f"demetr-{item}-{pert}", "set": "demetr", "item": item, "perturbation": pert,
            "severity": severity, "original": original, "copy": copy, "mt": mt}  # fmt: skip


def mini_rows() -> list[dict]:
    rows = []
    for item in (2, 3, 4):
        rows += [
            row(item, "clean", "none", MT),
            row(item, "critical_id8_negation", "critical", NEG),
            row(item, "base_id33_empty", "base", "."),
            row(item, "base_id35_reference", "base", REF),
            row(item, "minor_id31_full_lower", "minor", MT.lower()),
        ]
    return rows


@pytest.fixture()
def bench_data(tmp_path) -> Path:
    path = tmp_path / "demetr_flores.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in mini_rows()))
    return path


# --- loading -------------------------------------------------------------------------


def test_split_even_items_are_dev_odd_are_test(bench_data):
    assert {r.item for r in bench.load(bench_data, split="dev")} == {2, 4}
    assert {r.item for r in bench.load(bench_data, split="test")} == {3}
    assert len(bench.load(bench_data, split="all")) == 15
    assert {r.item for r in bench.load(bench_data.parent, split="all", limit_items=1)} == {2}  # a folder works too


def test_load_errors_name_the_problem(tmp_path, bench_data):
    with pytest.raises(FidelityError, match="cannot be read"):
        bench.load(tmp_path / "nope.jsonl")
    with pytest.raises(FidelityError, match="unknown split"):
        bench.load(bench_data, split="train")  # type: ignore[arg-type]
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(row(2, "clean", "none", MT)) + "\n" + '{"id": "x"}\n')
    with pytest.raises(FidelityError, match=r"bad.jsonl:2"):
        bench.load(bad)


def test_settings_choose_the_original():
    r = BenchRow("i", 1, "p", "critical", REF, NEG, MT)
    assert bench.pair_texts(r, "independent") == (REF, NEG)
    assert bench.pair_texts(r, "derived") == (MT, NEG)


def test_repository_copy_is_complete():
    rows = bench.load(split="all")
    assert len(rows) == 15937
    assert len({r.item for r in rows}) == 500
    assert (bench.DEFAULT_DATA.parent / "LICENSE").is_file()
    assert "DEMETR" in (bench.DEFAULT_DATA.parent / "README.md").read_text()


# --- measures on hand-set scores -----------------------------------------------------


def scored(setting: str, table: list[tuple[int, str, str, float, bool]]) -> SettingScores:
    """(item, perturbation, severity, score, flagged) -> SettingScores with that score for every metric."""
    rows = [BenchRow(f"{i}-{p}", i, p, sev, REF, MT, MT) for i, p, sev, _, _ in table]
    s = np.array([x[3] for x in table], dtype=float)
    scores = {m: s.copy() for m in bench.METRICS}
    flagged = np.array([x[4] for x in table])
    return SettingScores(setting, rows, scores, flagged, [None] * len(rows))  # type: ignore[arg-type]


TABLE = [
    # item, perturbation, severity, score, flagged
    (1, "clean", "none", 80.0, False),
    (1, "critical_a", "critical", 60.0, True),  # below clean: a win
    (1, "minor_b", "minor", 80.0, False),  # tie: a loss
    (1, "base_id35_reference", "base", 100.0, False),  # reversed in independent: above clean is a win
    (2, "clean", "none", 50.0, True),
    (2, "critical_a", "critical", 70.0, False),  # above clean: a loss
    (2, "minor_b", "minor", 40.0, False),  # a win
    (2, "base_id35_reference", "base", 30.0, False),  # reversed: below clean is a loss
]


def test_pairwise_accuracy_by_hand():
    m = scored("independent", TABLE).measures()
    p = m["perturbations"]
    assert p["critical_a"]["pairwise"]["fidelity"] == 0.5
    assert p["minor_b"]["pairwise"]["chrf"] == 0.5
    assert p["base_id35_reference"]["pairwise"]["bleu"] == 0.5
    assert p["clean"]["pairwise"]["cosine"] is None
    assert m["levels"]["critical"]["pairwise"]["fidelity"] == 0.5
    assert m["levels"]["base"]["n"] == 2


def test_reference_direction_is_reversed_only_in_the_independent_setting():
    indep = bench.pairwise_wins(scored("independent", TABLE), "fidelity")
    derived = bench.pairwise_wins(scored("derived", TABLE), "fidelity")
    assert (indep[3], indep[7]) == (True, False)
    assert (derived[3], derived[7]) == (False, True)


def test_flagged_shares_by_hand():
    m = scored("independent", TABLE).measures()
    assert m["flagged"] == {"clean": 0.5, "minor": 0.0, "surface_minor": None, "major": None, "critical": 0.5}
    assert m["perturbations"]["critical_a"]["flagged"] == 0.5


def test_caught_at_ten_percent_clean_by_hand():
    # 10 clean scores 10..100: the 10% quantile is 19, so only the clean 10 is below it
    table = [(i, "clean", "none", 10.0 * i, False) for i in range(1, 11)]
    table += [(i, "critical_a", "critical", s, False) for i, s in zip(range(1, 5), (5.0, 18.9, 19.0, 50.0), strict=False)]
    got = bench.caught_at_clean_rate(scored("independent", table), "chrf")
    assert got["threshold"] == pytest.approx(19.0)
    assert got["clean"] == 0.1
    assert got["critical"] == 0.5  # 5.0 and 18.9 are below 19; 19.0 is not
    assert got["major"] is None


def test_an_error_is_never_a_correct_ranking():
    s = scored("independent", TABLE)
    s.scores["fidelity"][1] = np.nan
    assert bench.pairwise_wins(s, "fidelity")[1] is False


# --- end to end on the mini dataset --------------------------------------------------


@pytest.fixture(scope="module")
def mini_result(tmp_path_factory):
    path = tmp_path_factory.mktemp("bench") / "d.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in mini_rows()))
    rows = bench.load(path, split="dev")
    return bench.run(rows, options=Options(model="hashing"), split="dev", parallel=False)


def test_end_to_end_identical_and_empty_pairs(mini_result):
    ind, der = mini_result.settings["independent"], mini_result.settings["derived"]
    k_ref = [k for k, r in enumerate(ind.rows) if r.perturbation == "base_id35_reference"]
    k_clean = [k for k, r in enumerate(der.rows) if r.perturbation == "clean"]
    for k in k_ref:  # independent, copy = the reference: identical to the original
        assert ind.scores["fidelity"][k] == 100.0 and ind.scores["chrf"][k] == 100.0
        assert ind.scores["bleu"][k] == 100.0 and ind.scores["cosine"][k] == 1.0
    for k in k_clean:  # derived, clean pair (mt, mt): identical
        assert [der.scores[m][k] for m in bench.METRICS] == [100.0, 100.0, 100.0, 1.0]
    m = mini_result.to_dict()["settings"]
    for setting in ("independent", "derived"):
        assert m[setting]["errors"] == 0
        assert m[setting]["pairs"] == 10  # items 2 and 4, five rows each
        # an empty copy "." scores below the clean translation under every measure
        assert m[setting]["perturbations"]["base_id33_empty"]["pairwise"] == {x: 1.0 for x in bench.METRICS}
    # independent: the reference itself beats the MT under every measure
    assert m["independent"]["perturbations"]["base_id35_reference"]["pairwise"] == {x: 1.0 for x in bench.METRICS}
    # derived: lower-casing is invisible to the case-folding hashing embedder, so cosine ties (a loss)
    assert m["derived"]["perturbations"]["minor_id31_full_lower"]["pairwise"]["cosine"] == 0.0
    assert m["derived"]["perturbations"]["minor_id31_full_lower"]["pairwise"]["chrf"] == 1.0


def test_tables_render_at_a_fixed_width(mini_result):
    console = Console(width=160, record=True, color_system=None)
    console.print(mini_result)
    text = console.export_text()
    for needle in ("independent: reference vs perturbed MT", "derived: per severity", "critical_id8_negation", "pairwise chrF", "10% clean"):
        assert needle in text


def test_lexical_scores_in_a_second_process_equal_the_inline_ones():
    texts = [(REF, MT), (MT, NEG), (REF, ".")]
    inline = bench.lexical_scores(texts)
    pool, futures = bench._start_lexical({"independent": texts}, parallel=True)
    try:
        remote = futures["independent"].result(timeout=120)
    finally:
        pool.shutdown()
    assert np.array_equal(inline[0], remote[0]) and np.array_equal(inline[1], remote[1])


# --- CLI -----------------------------------------------------------------------------

runner = CliRunner()


def test_cli_json(bench_data):
    result = runner.invoke(app, ["bench", "demetr", "--data", str(bench_data), "--model", "hashing", "--split", "test", "--setting", "derived", "--format", "json", "-q"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["split"] == "test" and list(doc["settings"]) == ["derived"]
    assert doc["settings"]["derived"]["pairs"] == 5
    assert doc["signature"].startswith("model:hashing")


def test_cli_text_tables(bench_data):
    result = runner.invoke(app, ["bench", "demetr", "--data", str(bench_data), "--model", "hashing", "--setting", "independent", "-q", "--width", "160"])
    assert result.exit_code == 0, result.output
    assert "independent: per severity" in result.stdout and "derived" not in result.stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--data", "/nonexistent.jsonl"], "cannot be read"),
        (["--setting", "sideways"], "sideways"),
        (["--model", "nope"], "unknown model"),
    ],
)
def test_cli_bad_arguments_exit_2(args, needle):
    result = runner.invoke(app, ["bench", "demetr", "-q", *args])
    assert result.exit_code == 2
    assert needle in result.output


# --- shared measures (fidelity.eval.common), by hand ------------------------------------


def test_kendall_tau_and_auroc_by_hand():
    x = np.array([1.0, 2.0, 3.0, 4.0])
    assert common.kendall_tau(x, x) == 1.0
    assert common.kendall_tau(x, -x) == -1.0
    assert common.kendall_tau(np.array([1.0, np.nan]), np.array([1.0, 2.0])) is None
    # positives score lowest: a perfect detector; one inversion of four positive-negative pairs: 0.75
    assert common.auroc(np.array([1.0, 2.0, 3.0, 4.0]), np.array([1, 1, 0, 0])) == 1.0
    assert common.auroc(np.array([1.0, 3.0, 2.0, 4.0]), np.array([1, 1, 0, 0])) == 0.75
    assert common.auroc(np.array([1.0, 1.0]), np.array([1, 0])) == 0.5  # a tie counts half
    assert common.auroc(np.array([1.0, 2.0]), np.array([0, 0])) is None


def test_span_f1_pools_characters_over_rows():
    # row 1: predicted 0-10, gold 5-15 -> 5 shared; row 2: nothing predicted, gold 0-5
    got = common.span_f1([[(0, 10)], []], [[(5, 15)], [(0, 5)]])
    assert got == {"precision": 0.5, "recall": round(5 / 15, 4), "f1": round(10 / 25, 4)}
    assert common.span_f1([[(0, 4), (2, 6)]], [[(0, 6)]])["f1"] == 1.0  # overlapping ranges count once


# --- WMT23 MQM and WMT22 honest: loading, labels, splits ---------------------------------


def _mqm_row(row_id: str, errors: list[dict]) -> dict:
    return {"id": row_id, "doc": "d1", "system": "s", "original": REF, "copy": MT,
            "raters": {"r1": 0, "r2": 0, "r3": 0}, "errors": errors, "mqm": 5.0 * len(errors)}  # fmt: skip


def _err(rater: str, category: str, severity: str, start: int | None = 0, end: int | None = 5) -> dict:
    out = {"rater": rater, "category": category, "severity": severity}
    return out | ({"start": start, "end": end} if start is not None else {"side": "source"})


def test_mqm_labels_follow_the_data_readme(tmp_path):
    rows = [
        _mqm_row("clean", []),
        _mqm_row("two-raters", [_err("r1", "Accuracy/Mistranslation", "major"), _err("r2", "Non-translation!", "major", 3, 9)]),
        _mqm_row("one-rater", [_err("r1", "Accuracy/Mistranslation", "major"), _err("r1", "Accuracy/Addition", "major")]),
        _mqm_row("fluency", [_err("r1", "Fluency/Grammar", "major"), _err("r2", "Fluency/Grammar", "major"), _err("r3", "Style/Awkward", "minor")]),
        _mqm_row("source-side", [_err("r1", "Accuracy/Omission", "major", None), _err("r2", "Accuracy/Omission", "major", None)]),
    ]
    (tmp_path / "dev.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    got = {r.id: r for r in mqm.load(tmp_path, split="dev")}
    assert [k for k, r in got.items() if r.major_accuracy] == ["two-raters", "source-side"]
    assert [k for k, r in got.items() if r.error_free] == ["clean"]
    assert got["two-raters"].major_spans == ((0, 5), (3, 9))
    assert got["fluency"].major_spans == ((0, 5), (0, 5))  # span F1 counts every rater's major span
    assert got["source-side"].major_spans == ()  # no copy offsets


def test_mqm_and_honest_load_errors_name_the_problem(tmp_path):
    bad = tmp_path / "test.jsonl"
    bad.write_text('{"id": 1}\n')
    with pytest.raises(FidelityError, match="not a WMT23 MQM row"):
        mqm.load(tmp_path, split="test")
    with pytest.raises(FidelityError, match="unknown split 'train'"):
        mqm.load(tmp_path, split="train")  # type: ignore[arg-type]
    with pytest.raises(FidelityError, match="unknown split 'test'; choose one of: dev, heldout, every8, all"):
        honest.load(split="test")  # type: ignore[arg-type]


def test_repository_copies_of_wmt23_and_honest_are_complete_and_split_as_documented():
    assert len(mqm.load(split="dev")) == 1890
    test = mqm.load(split="test")
    assert len(test) == 1880
    assert not {r.doc for r in test} & {r.doc for r in mqm.load(split="dev")}  # split by document
    dev, held = honest.load(split="dev"), honest.load(split="heldout")
    assert (len(dev), len(held), len(honest.load(split="every8"))) == (3323, 1984, 664)
    assert {r.pair for r in dev} == {"cs-en", "zh-en"} and {r.pair for r in held} == {"de-en"}


def test_cli_mqm_and_honest_end_to_end(tmp_path):
    rows = [_mqm_row("clean", []), _mqm_row("bad", [_err("r1", "Accuracy/Mistranslation", "major"), _err("r2", "Accuracy/Mistranslation", "major")])]
    rows[1]["copy"] = NEG
    (tmp_path / "test.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = runner.invoke(app, ["bench", "mqm", "--data", str(tmp_path), "--no-judge", "-q", "-f", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert (doc["rows"], doc["error_free_rows"], doc["major_accuracy_rows"]) == (2, 1, 1)
    assert set(doc["metrics"]) == {"fidelity", "chrf", "bleu", "cosine"}
    assert doc["metrics"]["fidelity"]["auroc_major_accuracy"] == 1.0  # the negated copy scores lower
    honest_file = tmp_path / "honest.jsonl"
    honest_file.write_text(json.dumps({"id": "h0", "pair": "de-en", "line": 0, "original": REF, "copy": MT}) + "\n")
    result = runner.invoke(app, ["bench", "honest", "--data", str(honest_file), "--no-judge", "-q", "--width", "160"])
    assert result.exit_code == 0, result.output
    assert "flagged >=major (de-en)" in result.output and "MiniLM cosine" in result.output
    result = runner.invoke(app, ["bench", "honest", "--data", str(honest_file), "--split", "dev", "-q"])
    assert result.exit_code == 2 and "has no rows in split 'dev'" in result.output


def test_cli_demetr_with_the_judge_reports_it_beside_the_checks(bench_data):
    result = runner.invoke(app, ["bench", "demetr", "--data", str(bench_data), "--model", "hashing", "--setting", "independent", "--judge", "-q", "-f", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    m = doc["settings"]["independent"]
    assert set(m["judge_flagged"]) == {"clean", "minor", "surface_minor", "major", "critical"}
    assert "judge" in m["caught_at_clean_10"] and "judge" in m["levels"]["critical"]["pairwise"]


def test_honest_documents_join_consecutive_lines_of_one_language_pair():
    rows = [honest.HonestRow(f"r{k}", pair, line, f"o{k}", f"c{k}") for k, (pair, line) in enumerate(
        [("de-en", 0), ("de-en", 1), ("de-en", 2), ("de-en", 3), ("de-en", 4), ("cs-en", 5), ("cs-en", 6), ("cs-en", 9), ("cs-en", 10)])]
    docs = honest.documents(rows, 4)
    # blocks of four; a gap in line numbers or another language pair starts a new one; a block of
    # fewer than two lines (half of four) is left out
    assert [(d.id, d.original, d.copy) for d in docs] == [
        ("r0+4", "o0\n\no1\n\no2\n\no3", "c0\n\nc1\n\nc2\n\nc3"), ("r5+2", "o5\n\no6", "c5\n\nc6"), ("r7+2", "o7\n\no8", "c7\n\nc8")]
    assert [d.pair for d in docs] == ["de-en", "cs-en", "cs-en"]
    assert honest.documents(rows[:1], 24) == []


def test_cli_honest_documents_reports_verdicts_and_findings_per_pair(tmp_path):
    lines = [(REF, MT), ("The museum opens at nine every morning.", "The museum opens at nine each morning."),
             ("Entry is free for children under twelve.", "Children under twelve get in for free.")]
    data = tmp_path / "honest.jsonl"
    data.write_text("".join(json.dumps({"id": f"h{k}", "pair": "de-en", "line": k, "original": o, "copy": c}) + "\n" for k, (o, c) in enumerate(lines)))
    result = runner.invoke(app, ["bench", "honest", "--data", str(data), "--documents", "3", "--no-judge", "-q", "-f", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    m = doc["metrics"]["fidelity"]
    assert (doc["documents"], doc["lines_per_document"], m["documents"], m["aligned_pairs"]) == (1, 3, 1, 3)
    assert sum(m["verdicts"].values()) == 1 and m["major_per_100_pairs"] is not None
    result = runner.invoke(app, ["bench", "honest", "--data", str(data), "--documents", "8", "--no-judge", "-q"])
    assert result.exit_code == 2 and "no document of 8 lines" in result.output
