"""``fidelity check``, ``init`` and ``rules`` end to end: real subprocesses over the seed corpus.

Most runs use ``model = "hashing"`` (the policy and formats are the point, and each process
would otherwise load the real model); one slow run uses the packaged model for the glossary.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from lxml import etree
from typer.testing import CliRunner

from fidelity.cli import app
from fidelity.rules import REGISTRY

SCHEMAS = Path(__file__).parent / "fixtures" / "schemas"
PARTNERS = {"syndicated": "001", "retranslated": "002", "digest": "003", "other": "004"}
GLOSSARY = '[[glossary]]\nterm = "coalition of the willing"\n'
# The structure checks and the glossary only, by category: the policy and the formats are the
# point here, and the linguistic checks would load spaCy in every process (~10 s each).
SELECT = 'select = ["omission", "addition", "moved", "terminology"]\n'


def fidelity(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("FIDELITY_OUTPUT_FORMAT", "GITHUB_STEP_SUMMARY")}
    environ.update(env)
    return subprocess.run([sys.executable, "-m", "fidelity", *args], check=False, cwd=cwd, env=environ, capture_output=True, text=True, timeout=300)


@pytest.fixture()
def check_dir(tmp_path: Path, seeds: dict[str, Path]) -> Path:
    """The seed files in a temporary folder, with a fidelity.toml pairing 000 with 001..004."""
    for path in seeds.values():
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "fidelity.toml").write_text(config_text(seeds), encoding="utf-8")
    return tmp_path


def config_text(seeds: dict[str, Path], *, model: str = "hashing", policy: str = SELECT, extra: str = GLOSSARY) -> str:
    pairs = "".join(
        f'[[pairs]]\noriginal = "{seeds["original"].name}"\ncopy = "{seeds[p].name}"\npartner = "{p}"\n\n' for p in PARTNERS
    )
    return f'model = "{model}"\n{policy}\n{pairs}{extra}'


class InProcess:
    """The same command through typer's CliRunner (no process start, no second model load):
    for the policy variations, once the real subprocess runs have shown the wiring."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch

    def __call__(self, args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
        self.monkeypatch.chdir(cwd)
        for name in ("FIDELITY_OUTPUT_FORMAT", "GITHUB_STEP_SUMMARY"):
            self.monkeypatch.delenv(name, raising=False)
        result = CliRunner().invoke(app, args, env=env)
        return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)


@pytest.fixture()
def inprocess(monkeypatch: pytest.MonkeyPatch) -> InProcess:
    return InProcess(monkeypatch)


def statuses(stdout: str) -> dict[str, str]:
    return {r["partner"]: r["status"] for r in json.loads(stdout)["results"]}


def test_default_policy_fails_on_major_and_exit_zero_reports_only(check_dir: Path, inprocess: InProcess) -> None:
    run = fidelity(["check", "-f", "json"], check_dir)
    assert run.returncode == 1, run.stderr
    doc = json.loads(run.stdout)
    assert [r["partner"] for r in doc["results"]] == list(PARTNERS)
    for r in doc["results"]:
        failing = [a for a in r["annotations"] if a["level"] == "error"]
        assert (r["status"] == "fail") == bool(failing)
        assert all(a["severity"] in ("major", "critical") for a in failing)
    assert "fail" in statuses(run.stdout).values()
    quiet = inprocess(["check", "-f", "json", "--exit-zero"], check_dir)  # the real-model test runs --exit-zero as a process
    assert quiet.returncode == 0 and statuses(quiet.stdout) == statuses(run.stdout)


def test_original_and_copies_on_the_command_line_under_the_config_glossary(check_dir: Path, seeds: dict[str, Path], inprocess: InProcess) -> None:
    o, kept, changed = seeds["original"].name, seeds["syndicated"].name, seeds["retranslated"].name
    keeps = inprocess(["check", o, kept, "--select", "glossary", "-f", "concise"], check_dir)
    assert keeps.returncode == 0, keeps.stdout + keeps.stderr
    assert " glossary " not in keeps.stdout and keeps.stdout.startswith("1 pair: 1 passed")
    changes = inprocess(["check", o, changed, "--select", "glossary", "-f", "concise"], check_dir)
    assert changes.returncode == 1
    assert f"{changed}:" in changes.stdout and "glossary major protected term 'coalition of the willing'" in changes.stdout


def test_min_score_policy_with_a_partner_override(check_dir: Path, seeds: dict[str, Path], inprocess: InProcess) -> None:
    policy = 'select = ["glossary"]\nmin-score = 100\n\n[[overrides]]\npartner = "syndicated"\nmin-score = 0\n'
    (check_dir / "fidelity.toml").write_text(config_text(seeds, policy=policy), encoding="utf-8")
    run = inprocess(["check", "-f", "jsonl"], check_dir)
    assert run.returncode == 1, run.stderr
    records = {r["partner"]: r for r in map(json.loads, run.stdout.splitlines())}
    assert records["syndicated"]["status"] == "pass" and records["syndicated"]["policy"]["min_score"] == 0
    for partner in ("retranslated", "digest", "other"):
        assert records[partner]["status"] == "fail"
        assert "min-score" in {a["rule"] for a in records[partner]["annotations"]}
    assert {a["rule"] for a in records["retranslated"]["annotations"]} == {"glossary", "min-score"}


def test_sarif_output_validates(check_dir: Path) -> None:
    config = check_dir / "fidelity.toml"
    config.write_text('information-uri = "https://example.org/fidelity"\n' + config.read_text(encoding="utf-8"), encoding="utf-8")
    run = fidelity(["check", "--output-format", "sarif", "-o", "out.sarif"], check_dir)
    assert run.returncode == 1, run.stderr
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    doc = json.loads((check_dir / "out.sarif").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER).validate(doc)
    driver = doc["runs"][0]["tool"]["driver"]
    assert {r["id"] for r in driver["rules"]} >= set(REGISTRY)
    assert driver["informationUri"] == "https://example.org/fidelity"  # the config's key reaches the output


def test_junit_output_validates_and_the_env_var_picks_the_format(check_dir: Path) -> None:
    (check_dir / "fidelity.toml").write_text((check_dir / "fidelity.toml").read_text() + '\n', encoding="utf-8")
    run = fidelity(["check"], check_dir, FIDELITY_OUTPUT_FORMAT="junit")
    assert run.returncode == 1, run.stderr
    xsd = etree.XMLSchema(etree.parse(str(SCHEMAS / "JUnit.xsd")))
    doc = etree.fromstring(run.stdout.encode())
    assert xsd.validate(doc), xsd.error_log
    assert len(doc.findall(".//testcase")) == 4


def test_github_format_writes_the_step_summary(check_dir: Path, inprocess: InProcess) -> None:
    summary = check_dir / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    text = (check_dir / "fidelity.toml").read_text().replace('model = "hashing"', 'model = "hashing"\noutput-format = "github"')
    (check_dir / "fidelity.toml").write_text(text, encoding="utf-8")
    run = inprocess(["check"], check_dir, GITHUB_STEP_SUMMARY=str(summary))
    assert run.returncode == 1, run.stderr
    assert any(line.startswith("::error file=") for line in run.stdout.splitlines())
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("earlier step\n## fidelity check") and "| syndicated |" in written


def test_a_manifest_naming_a_missing_file_is_an_error_row_and_the_rest_runs(check_dir: Path, seeds: dict[str, Path]) -> None:
    o = seeds["original"].name
    (check_dir / "pairs.csv").write_text(
        f"original,copy,partner\n{o},{seeds['syndicated'].name},a\n{o},nowhere.txt,b\n{o},{seeds['retranslated'].name},c\n", encoding="utf-8"
    )
    run = fidelity(["check", "--manifest", "pairs.csv", "-f", "json"], check_dir)
    assert run.returncode == 2
    doc = json.loads(run.stdout)
    got = {r["partner"]: r for r in doc["results"]}
    assert got["b"]["status"] == "error" and got["b"]["error"] == "nowhere.txt: no such file"
    assert got["a"]["report"] is not None and got["c"]["report"] is not None
    assert doc["summary"]["errors"] == 1


def test_config_errors_are_one_line_and_exit_2(check_dir: Path) -> None:
    cfg = check_dir / "fidelity.toml"
    cfg.write_text('model = "hashing"\nfail_on = "major"\n', encoding="utf-8")
    run = fidelity(["check"], check_dir)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.strip() == (
        f"fidelity: error: {cfg.resolve()}:2: fail_on: unknown key; did you mean 'fail-on'? valid keys: model, language, split, "
        "keep-boilerplate, output-format, fail-on, min-score, select, ignore, pairs, globs, manifest, overrides, glossary, information-uri"
    )
    cfg.write_text('model = "hashing"\n\n[[overrides]]\npartner = "x"\nfail-on = "blocker"\n', encoding="utf-8")
    run = fidelity(["check"], check_dir)
    assert run.returncode == 2
    assert run.stderr.strip() == f"fidelity: error: {cfg.resolve()}:5: overrides[0].fail-on: unknown severity 'blocker'; choose one of: minor, major, critical"


@pytest.mark.slow
def test_glossary_with_the_real_model_reported_for_002_not_001(check_dir: Path, seeds: dict[str, Path]) -> None:
    cfg = config_text(seeds, model="minilm")
    (check_dir / "fidelity.toml").write_text(cfg, encoding="utf-8")
    o = seeds["original"].name
    run = fidelity(["check", o, seeds["syndicated"].name, seeds["retranslated"].name, "-f", "json", "--exit-zero"], check_dir)
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    assert doc["signature"].startswith("model:minilm-")
    glossary = {r["copy"]: [a for a in r["annotations"] if a["rule"] == "glossary"] for r in doc["results"]}
    assert glossary[seeds["syndicated"].name] == []
    (hit,) = glossary[seeds["retranslated"].name]
    line = (check_dir / seeds["retranslated"].name).read_text(encoding="utf-8").splitlines()[hit["location"]["line"] - 1]
    assert "alliance of willing" in line


# -- in process: usage errors, init, rules

runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (["check", "only-one.txt"], {}, "give ORIGINAL and at least one COPY"),
        (["check", "a", "b", "--output-format", "xml"], {}, "--output-format: unknown output format 'xml'; choose one of: text, concise"),
        (["check", "a", "b"], {"FIDELITY_OUTPUT_FORMAT": "yaml"}, "FIDELITY_OUTPUT_FORMAT: unknown output format 'yaml'"),
        (["check", "a", "b", "--fail-on", "hi"], {}, "--fail-on: unknown severity 'hi'; choose one of: minor, major, critical"),
        (["check", "a", "b", "--select", "nosuch"], {}, "unknown rule or category 'nosuch'"),
        (["check", "a", "b", "--min-score", "101"], {}, "--min-score: expected a number from 0 to 100"),
        (["check", "--config", "nope.toml"], {}, "nope.toml: config file not found"),
    ],
)
def test_usage_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], env: dict[str, str], expected: str) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FIDELITY_OUTPUT_FORMAT", raising=False)
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 2
    assert expected in result.stderr and result.stderr.count("\n") == 1


def test_no_pairs_anywhere_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "fidelity.toml").write_text('model = "hashing"\n', encoding="utf-8")
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 2 and "no pairs to check" in result.stderr


def test_init_writes_a_starter_that_loads_and_will_not_overwrite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fidelity.config import find_config, load_config

    monkeypatch.chdir(tmp_path)
    first = runner.invoke(app, ["init"])
    assert first.exit_code == 0 and (tmp_path / "fidelity.toml").exists()
    assert load_config(find_config(tmp_path)).path == tmp_path / "fidelity.toml"
    again = runner.invoke(app, ["init"])
    assert again.exit_code == 2 and "already exists; use --force" in again.stderr
    assert runner.invoke(app, ["init", "--force"]).exit_code == 0


def test_rules_lists_every_registered_rule() -> None:
    result = runner.invoke(app, ["rules", "--output-format", "json"])
    assert result.exit_code == 0
    listed = {e["rule"]: e for e in json.loads(result.stdout)}
    assert set(REGISTRY) <= set(listed)
    for rule, cls in REGISTRY.items():
        assert listed[rule]["category"] == cls.category.value and listed[rule]["severity"] == cls.severity.value
    text = runner.invoke(app, ["rules"], env={"COLUMNS": "200"}).stdout
    assert all(rule in text for rule in REGISTRY)


def test_rules_explains_one_with_its_example() -> None:
    result = runner.invoke(app, ["rules", "glossary"])
    assert result.exit_code == 0
    assert "category:  terminology" in result.stdout and "example:" in result.stdout and "appeals tribunal" in result.stdout
    unknown = runner.invoke(app, ["rules", "nosuch"])
    assert unknown.exit_code == 2 and "unknown rule 'nosuch'; choose one of:" in unknown.stderr
