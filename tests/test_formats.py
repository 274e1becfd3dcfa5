"""The CI output formats of ``fidelity check`` over one real run (hashing embedder, seed corpus).

SARIF is validated against the official 2.1.0 schema and JUnit against the Ant/Jenkins XSD
(tests/fixtures/schemas, provenance in its README), with jsonschema and lxml.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
from lxml import etree

from fidelity.config import Config, PairSpec
from fidelity.embed import CachedEmbedder, HashingEmbedder
from fidelity.gate import CheckResult, PairResult, run_check
from fidelity.report import concise, escape, github, gitlab, jsonl, junit, markdown, sarif
from fidelity.report.summary import CheckView
from fidelity.report.terminal import make_console
from fidelity.rules import REGISTRY
from fidelity.types import Finding, GlossaryTerm, Severity, Span

SCHEMAS = Path(__file__).parent / "fixtures" / "schemas"


@pytest.fixture(scope="module")
def formats_run(tmp_path_factory: pytest.TempPathFactory, seeds: dict[str, Path]) -> tuple[Path, CheckResult]:
    """000 against 001..004 plus a missing copy, fail-on minor so there is plenty to show."""
    root = tmp_path_factory.mktemp("formats")
    for path in seeds.values():
        shutil.copy(path, root / path.name)
    original = root / seeds["original"].name
    pairs = [PairSpec(original, root / seeds[k].name, k) for k in ("syndicated", "retranslated", "digest", "other")]
    pairs.append(PairSpec(original, root / "gone.txt", "ghost"))
    cfg = Config(path=None, root=root, model="hashing", glossary=(GlossaryTerm("coalition of the willing"),))
    cfg = replace(cfg, policy=replace(cfg.policy, fail_on=Severity.MINOR))
    return root, run_check(cfg, pairs=pairs, embedder=CachedEmbedder(HashingEmbedder()), base=root)


def all_outputs(result: CheckResult) -> dict[str, str]:
    buf = io.StringIO()
    make_console(file=buf, width=120, color=False).print(CheckView(result))
    return {
        "text": buf.getvalue(),
        "concise": concise.render(result),
        "json": jsonl.render_json(result),
        "jsonl": jsonl.render(result),
        "github": github.render(result),
        "sarif": sarif.render(result),
        "junit": junit.render(result),
        "gitlab": gitlab.render(result),
        "markdown": markdown.render(result),
    }


def test_the_run_has_passes_fails_and_the_error_row(formats_run: tuple[Path, CheckResult]) -> None:
    _, result = formats_run
    assert [r.status for r in result.results][-1] == "error"
    assert result.errored == 1 and result.failed >= 1
    assert result.results[-1].error == "gone.txt: no such file"


def test_every_format_carries_the_signature_and_the_error_row(formats_run: tuple[Path, CheckResult]) -> None:
    _, result = formats_run
    for name, text in all_outputs(result).items():
        flat = text.replace("\n", "")
        assert result.signature in flat or escape.workflow_data(result.signature) in flat, name
        assert "gone.txt" in text, name


def test_sarif_validates_against_the_official_schema(formats_run: tuple[Path, CheckResult]) -> None:
    _, result = formats_run
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    doc = json.loads(sarif.render(result))
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER).validate(doc)
    run = doc["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert len(rule_ids) == len(set(rule_ids)) and set(REGISTRY) <= set(rule_ids)
    assert run["properties"]["signature"] == result.signature
    for res in run["results"]:
        assert rule_ids[res["ruleIndex"]] == res["ruleId"]
        assert re.fullmatch(r"[0-9a-f]{32}:\d+", res["partialFingerprints"]["fidelity/v2"])
    fingerprints = [res["partialFingerprints"]["fidelity/v2"] for res in run["results"]]
    assert len(fingerprints) == len(set(fingerprints)), "two results share a fingerprint"
    for rule in run["tool"]["driver"]["rules"]:  # what GitHub code scanning requires of a rule
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and rule["help"]["text"], rule["id"]
    glossary = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"] if r["ruleId"] == "glossary"}
    assert "002_8e37ae472674b90e.txt" in glossary and "001_f6ae38cdbea0309d.txt" not in glossary
    assert run["invocations"][0]["executionSuccessful"] is False
    assert "gone.txt" in run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]


def test_sarif_links_only_a_known_url(formats_run: tuple[Path, CheckResult]) -> None:
    from importlib.metadata import metadata

    _, result = formats_run
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    doc = json.loads(sarif.render(result, information_uri="https://example.org/fidelity"))
    validator.validate(doc)
    driver = doc["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == "https://example.org/fidelity"
    assert {r["helpUri"] for r in driver["rules"]} == {"https://example.org/fidelity"}
    # unconfigured: only what the installed package's own metadata names, never a made-up URL
    doc = json.loads(sarif.render(result))
    validator.validate(doc)
    driver = doc["runs"][0]["tool"]["driver"]
    meta = metadata("fidelity")
    if not (meta.get_all("Project-URL") or meta.get_all("Home-page")):
        assert "informationUri" not in driver and not any("helpUri" in r for r in driver["rules"])


def test_sarif_links_come_from_the_package_metadata() -> None:
    from email.message import Message

    meta = Message()
    assert sarif.project_links(None, meta) == (None, None)
    meta["Project-URL"] = "Bug Tracker, https://example.org/issues"
    meta["Project-URL"] = "Documentation, https://docs.example.org/fidelity/"
    meta["Project-URL"] = "Source, not a url"
    # a bug tracker is no home page and "not a url" is ignored; the documentation stands in for both
    assert sarif.project_links(None, meta) == ("https://docs.example.org/fidelity/",) * 2
    meta["Project-URL"] = "Home-Page, https://example.org/"
    assert sarif.project_links(None, meta) == ("https://example.org/", "https://docs.example.org/fidelity/")
    assert sarif.project_links("https://mirror.example.net/f", meta) == ("https://mirror.example.net/f",) * 2
    legacy = Message()
    legacy["Home-page"] = "https://legacy.example.org"
    assert sarif.project_links(None, legacy) == ("https://legacy.example.org",) * 2


def test_sarif_is_located_by_the_copy_line(formats_run: tuple[Path, CheckResult]) -> None:
    root, result = formats_run
    doc = json.loads(sarif.render(result))
    for res in doc["runs"][0]["results"]:
        if res["ruleId"] != "glossary" or res["properties"]["partner"] != "retranslated":
            continue
        region = res["locations"][0]["physicalLocation"]["region"]
        line = (root / "002_8e37ae472674b90e.txt").read_text(encoding="utf-8").splitlines()[region["startLine"] - 1]
        assert "alliance of willing" in line  # the copy's changed phrase is on the annotated line


def test_junit_validates_against_the_xsd_one_case_per_pair(formats_run: tuple[Path, CheckResult]) -> None:
    _, result = formats_run
    xsd = etree.XMLSchema(etree.parse(str(SCHEMAS / "JUnit.xsd")))
    doc = etree.fromstring(junit.render(result).encode())
    assert xsd.validate(doc), xsd.error_log
    cases = doc.findall(".//testcase")
    assert len(cases) == len(result.results)
    suite = doc.find("testsuite")
    assert suite is not None
    assert int(suite.get("failures")) == len(doc.findall(".//failure")) == result.failed
    assert int(suite.get("errors")) == len(doc.findall(".//error")) == 1
    assert suite.find("properties/property").get("value") == result.signature


def test_junit_drops_characters_xml_cannot_carry(formats_run: tuple[Path, CheckResult]) -> None:
    _, result = formats_run
    bad = replace(result.results[-1], error="gone\x0b.txt: no such\x01 file")
    xml = junit.render(replace(result, results=(bad,)))
    assert "gone.txt: no such file" in xml


# -- github


def unescape(text: str) -> str:
    """The runner's reading of an escaped value."""
    return re.sub("%(25|0D|0A|3A|2C)", lambda m: {"25": "%", "0D": "\r", "0A": "\n", "3A": ":", "2C": ","}[m.group(1)], text)


def test_github_escaping_of_data_and_properties() -> None:
    assert escape.workflow_data("100% sure:\r\nyes, no") == "100%25 sure:%0D%0Ayes, no"
    assert escape.workflow_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"
    for text in ("50% of 3,000: up\nnext %0A line", "%%25,:\r\n"):
        assert unescape(escape.workflow_data(text)) == text
        assert unescape(escape.workflow_property(text)) == text


def _with_message(result: CheckResult, message: str, path: str) -> CheckResult:
    first = next(r for r in result.results if r.report is not None and r.report.findings)
    f = first.report.findings[0]  # type: ignore[union-attr]
    odd = Finding("omission", f.category, Severity.CRITICAL, message, None, Span(0, 5, "x"), None)
    report = replace(first.report, findings=(odd,))  # type: ignore[arg-type]
    pair = replace(first, report=report, copy=path, partner="a:b,c")
    return replace(result, results=(pair,))


def test_github_commands_escape_messages_with_percent_newlines_colons_commas(formats_run: tuple[Path, CheckResult]) -> None:
    _, result = formats_run
    message = "50% of it: gone,\nthen 3,000 more\r\nand %0A literal"
    out = github.render(_with_message(result, message, "dir:x/a,b.txt"))
    cmd = next(line for line in out.splitlines() if line.startswith("::error "))
    head, _, data = cmd[2:].partition("::")
    assert unescape(data) == message
    props = dict(p.split("=", 1) for p in head.split(" ", 1)[1].split(","))
    assert unescape(props["file"]) == "dir:x/a,b.txt"
    assert unescape(props["title"]) == "fidelity omission (critical) [a:b,c]"
    assert "\n" not in data and "\r" not in data


def test_github_annotates_at_most_ten_per_level(formats_run: tuple[Path, CheckResult]) -> None:
    _, result = formats_run
    errors = sum(a.level == "error" for _, a in result.annotations())
    assert errors > 10  # fail-on minor: every finding is an error
    out = github.render(result)
    assert sum(line.startswith("::error ") for line in out.splitlines()) == 10
    assert sum(line.startswith("::warning ") for line in out.splitlines()) <= 10
    assert f"{errors - 10} errors" in out


def test_github_step_summary_stays_under_its_limit(formats_run: tuple[Path, CheckResult]) -> None:
    _, result = formats_run
    full = github.step_summary(result)
    assert len(full.encode()) < github.SUMMARY_LIMIT and "| partner |" in full
    small = github.step_summary(result, limit=1500)
    assert len(small.encode()) <= 1500 and result.signature in small and "left out" in small


# -- gitlab, concise, jsonl


def test_gitlab_fingerprints_are_unique_and_ignore_line_numbers(formats_run: tuple[Path, CheckResult], seeds: dict[str, Path], tmp_path: Path) -> None:
    _, result = formats_run
    issues = json.loads(gitlab.render(result))
    fps = [i["fingerprint"] for i in issues]
    assert len(fps) == len(set(fps)) and len(issues) == len(result.annotations())
    assert {"minor", "major", "blocker"} <= {i["severity"] for i in issues}
    # the same copy pushed down by three lines: the same findings, other lines, the same fingerprints
    shutil.copy(seeds["original"], tmp_path / "o.txt")
    (tmp_path / "c.txt").write_text(seeds["retranslated"].read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "c.txt").write_text("\n\n\n" + seeds["retranslated"].read_text(encoding="utf-8"), encoding="utf-8")
    cfg = Config(path=None, root=tmp_path, model="hashing")
    runs = [run_check(cfg, pairs=[PairSpec(tmp_path / "o.txt", tmp_path / c)], base=tmp_path) for c in ("c.txt", "d/c.txt")]
    a, b = ([a for _, a in r.annotations() if a.finding is not None and a.finding.copy_span is not None] for r in runs)
    assert [x.fingerprint for x in a] == [x.fingerprint for x in b]
    assert [x.location.line + 3 for x in a] == [x.location.line for x in b]


def test_concise_lines(formats_run: tuple[Path, CheckResult]) -> None:
    _, result = formats_run
    lines = concise.render(result).splitlines()
    pattern = re.compile(r"[^:]+:\d+:\d+: [a-z-]+ (minor|major|critical|error|warning|note) \S.*")
    assert all(pattern.fullmatch(line) for line in lines[:-1])
    assert "gone.txt:1:1: input-error error gone.txt: no such file" in lines
    assert lines[-1].startswith("5 pairs: ")


def test_jsonl_one_record_per_pair_and_the_json_document(formats_run: tuple[Path, CheckResult]) -> None:
    _, result = formats_run
    records = [json.loads(line) for line in jsonl.render(result).splitlines()]
    assert [r["status"] for r in records] == [r.status for r in result.results]
    assert all(r["signature"] == result.signature for r in records)
    assert records[-1]["error"] == "gone.txt: no such file" and records[-1]["report"] is None
    doc = json.loads(jsonl.render_json(result))
    assert doc["schema"] == "fidelity/check-v1" and doc["summary"]["errors"] == 1
    assert doc["results"][1]["report"]["schema"] == "fidelity/report-v1"


def test_text_view_shows_one_row_per_pair(formats_run: tuple[Path, CheckResult]) -> None:
    _, result = formats_run
    text = all_outputs(result)["text"]
    for r in result.results:
        assert re.search(rf"{r.partner}\s.*\b{r.status}\b", text), r.partner


def test_markdown_escapes_table_cells(formats_run: tuple[Path, CheckResult]) -> None:
    _, result = formats_run
    odd: PairResult = replace(result.results[-1], partner="a|b")
    md = markdown.render(replace(result, results=(odd,)))
    assert "a\\|b" in md
