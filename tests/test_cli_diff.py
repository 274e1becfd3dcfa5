"""`fidelity diff` through typer's CliRunner (fast, lexical model) and as a real subprocess
with the real packaged model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fidelity.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "fidelity" / "schemas" / "report-v1.schema.json").read_text())

TEXT = "The bridge opened in 1998.\nIt carries 40,000 cars a day.\nRepairs start next year.\n"


@pytest.fixture()
def pair(tmp_path):
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text(TEXT)
    b.write_text(TEXT.replace("Repairs start next year.\n", ""))
    return a, b


def invoke(*args, input=None):
    return runner.invoke(app, ["diff", *map(str, args)], input=input)


def test_identical_exits_zero(pair):
    a, _ = pair
    result = invoke(a, a, "--model", "hashing", "--no-color")
    assert result.exit_code == 0, result.output
    assert "identical" in result.output


def test_json_report_validates_against_schema(pair):
    import jsonschema

    a, b = pair
    result = invoke(a, b, "--model", "hashing", "--format", "json", "--fail-on", "critical")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    jsonschema.validate(doc, SCHEMA)
    assert doc["schema"] == "fidelity/report-v1"
    assert any(p["kind"] == "omission" for p in doc["pairs"])


def test_fail_on_controls_exit_code(pair):
    a, b = pair
    assert invoke(a, b, "--model", "hashing", "--fail-on", "minor").exit_code == 1
    assert invoke(a, b, "--model", "hashing", "--fail-on", "critical").exit_code == 0


def test_stdin_on_one_side(pair):
    a, _ = pair
    result = invoke(a, "-", "--model", "hashing", input=TEXT)
    assert result.exit_code == 0
    assert "<stdin>" in result.output


def test_output_file(pair, tmp_path):
    a, b = pair
    out = tmp_path / "r.json"
    result = invoke(a, b, "--model", "hashing", "--format", "json", "-o", out, "--fail-on", "critical")
    assert result.exit_code == 0
    assert json.loads(out.read_text())["verdict"]


def test_only_flagged_hides_unchanged_pairs(pair):
    a, b = pair
    result = invoke(a, b, "--model", "hashing", "--only-flagged", "--no-color", "--width", "120")
    assert "It carries 40,000 cars" not in result.output
    assert "Repairs start next year" in result.output


def _bad_inputs(tmp_path):
    ok = tmp_path / "ok.txt"
    ok.write_text(TEXT)
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n")
    binary = tmp_path / "blob.bin"
    binary.write_bytes(bytes(range(256)) * 8)
    undecodable = tmp_path / "bad.txt"
    undecodable.write_bytes(b"caf\x81 \x8d \x9d")
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * (2 * 1024 * 1024 + 10))
    folder = tmp_path / "folder"
    folder.mkdir()
    return ok, {
        "missing": (tmp_path / "nope.txt", "no such file"),
        "directory": (folder, "is a directory"),
        "empty": (empty, "empty"),
        "binary": (binary, "binary"),
        "undecodable": (undecodable, "no supported encoding"),
        "too big": (big, "larger than"),
    }


@pytest.mark.parametrize("case", ["missing", "directory", "empty", "binary", "undecodable", "too big"])
def test_bad_input_one_line_exit_2(tmp_path, case):
    ok, cases = _bad_inputs(tmp_path)
    path, problem = cases[case]
    result = runner.invoke(app, ["diff", str(ok), str(path), "--model", "hashing"])
    assert result.exit_code == 2
    err = result.stderr if hasattr(result, "stderr") else result.output
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert str(path) in lines[0] and problem in lines[0]
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "args,message",
    [
        (["--fail-on", "severe"], "unknown severity 'severe'"),
        (["--model", "gpt"], "unknown model 'gpt'"),
        (["--language", "xx"], "no sentence segmenter"),
        (["--select", "nonsense"], "unknown rule or category"),
    ],
)
def test_bad_options_exit_2(pair, args, message):
    a, b = pair
    result = runner.invoke(app, ["diff", str(a), str(b), *args])
    assert result.exit_code == 2
    assert message in result.output


def test_both_sides_stdin_is_refused(pair):
    result = runner.invoke(app, ["diff", "-", "-"], input=TEXT)
    assert result.exit_code == 2


# --- the real thing: a subprocess, the packaged model, the seed corpus -------------------

def fidelity(*args, timeout=300):
    env = dict(os.environ, HF_HUB_OFFLINE="1", NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "fidelity", *map(str, args)], capture_output=True, text=True, env=env, timeout=timeout)


@pytest.mark.slow
def test_subprocess_bad_input_has_no_traceback(tmp_path, seeds):
    proc = fidelity("diff", seeds["original"], tmp_path / "missing.txt")
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "no such file" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.slow
@pytest.mark.parametrize(
    "copy,verdict",
    [("original", "identical"), ("syndicated", "distorted"), ("retranslated", "distorted"), ("digest", "not-a-copy"), ("other", "not-a-copy")],
)
def test_seed_verdicts_with_real_model(seeds, copy, verdict, tmp_path):
    # syndicated (001) is distorted by its fabricated headline quote (corpora/annotations/000-001.json)
    proc = fidelity("diff", seeds["original"], seeds[copy], "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads(proc.stdout)
    assert report["verdict"] == verdict
    assert report["signature"].startswith("model:minilm")
    # page furniture of the original is in no finding and no pair
    furniture = ("View All Result", "SHARES", "appeared first on", "Disneyland", "Copyright")
    for p in report["pairs"]:
        assert not any(f in p["original_text"] for f in furniture)


@pytest.mark.slow
def test_syndicated_copy_structure(seeds):
    proc = fidelity("diff", seeds["original"], seeds["syndicated"], "--format", "json")
    report = json.loads(proc.stdout)
    kinds = {}
    for p in report["pairs"]:
        kinds.setdefault(p["kind"], []).append(p)
    omitted = " ".join(p["original_text"] for p in kinds.get("omission", []))
    assert "The most obvious solution" in omitted  # a dropped paragraph
    assert "For Kyiv, the debate over security guarantees" in omitted
    added = " ".join(p["copy_text"] for p in kinds.get("addition", []))
    assert "Don\u2019t ask any more" in added  # the new headline quote
    moved = " ".join(p["original_text"] for p in kinds.get("moved", []))
    assert "Moscow is adamantly against" in moved  # the Moscow section went to the end
    assert "Moscow is adamantly against" not in omitted


@pytest.mark.slow
def test_retranslated_copy_systematic_change_is_one_finding_and_not_repeated_as_drift(seeds):
    proc = fidelity("diff", seeds["original"], seeds["retranslated"], "--format", "json")
    report = json.loads(proc.stdout)
    (systematic,) = [f for f in report["findings"] if f["rule"] == "systematic"]
    occurrences = systematic["occurrences"]
    assert len(occurrences) >= 8  # every "deploy" the copy renders as "develop", reordered sentences too
    starts = {o["original_span"]["start"] for o in occurrences}
    text = seeds["original"].read_text(encoding="utf-8")
    spans = {p["index"]: (text.find(p["original_text"]), len(p["original_text"])) for p in report["pairs"] if p["original_text"]}
    held = {i for i, (at, n) in spans.items() if at >= 0 and any(at <= s < at + n for s in starts)}
    assert len(held) >= 8
    drift_on_occurrences = [f for p in report["pairs"] if p["index"] in held for f in p["findings"] if f["rule"] == "drift"]
    assert not drift_on_occurrences, drift_on_occurrences  # the systematic finding explains those pairs


def test_schema_enums_match_the_types():
    from fidelity.types import Category, Verdict

    finding = SCHEMA["$defs"]["finding"]["properties"]
    assert set(finding["category"]["enum"]) == {c.value for c in Category}
    assert set(SCHEMA["properties"]["verdict"]["enum"]) == {v.value for v in Verdict}


def test_unwritable_output_is_one_line_exit_2(pair, tmp_path):
    a, b = pair
    result = invoke(a, b, "--model", "hashing", "--format", "json", "-o", tmp_path)
    assert result.exit_code == 2
    assert str(tmp_path) in result.output and "Traceback" not in result.output


def test_judge_option_names_the_weights_in_the_signature_and_refuses_unknown_ones(pair):
    a, b = pair
    unknown = invoke(a, b, "--model", "hashing", "--judge", "judge-v0")
    assert unknown.exit_code == 2
    assert "unknown judge 'judge-v0'; choose one of: judge-v2, judge-v4, judge-v5" in unknown.output
    judged = invoke(a, b, "--judge", "judge-v4", "--format", "json")
    assert judged.exit_code in (0, 1), judged.output
    assert "|judge:judge-v4|" in json.loads(judged.output)["signature"]


@pytest.mark.slow
def test_subprocess_closes_the_cache_before_it_exits(pair, tmp_path, monkeypatch):
    # The command freezes what is alive before Python's shutdown (cli._before_exit); the cache's
    # sqlite connection must still be closed, as shutdown's collection closed it before: a
    # closed WAL database leaves no -wal file behind.
    monkeypatch.delenv("FIDELITY_NO_CACHE", raising=False)  # (off for the other tests: conftest)
    a, b = pair
    cache = tmp_path / "cache"
    proc = fidelity("diff", a, b, "--format", "json", "--cache-dir", cache)
    assert proc.returncode in (0, 1), proc.stderr
    assert json.loads(proc.stdout)["pairs"]
    assert [p.name for p in cache.iterdir()] == ["vectors-v1.sqlite3"]
    again = fidelity("diff", a, b, "--format", "json", "--cache-dir", cache)
    assert again.stdout == proc.stdout  # read back from the closed file
