"""`fidelity batch --engine ray` on a local Ray runtime (2 CPUs): the same records, in the
same order, as the local engine on the same rows, with the real packaged model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

ray = pytest.importorskip("ray", reason="Ray is not installed: pip install 'fidelity[ray]' (it is in the dev extras)")

from fidelity.cli import app  # noqa: E402

ORIGINAL = "The council approved the budget on Monday. It will spend 4 million euros on schools. The vote was 7 to 2."
COPIES = [
    ORIGINAL,
    "The council approved the budget on Monday. It will spend 40 million euros on schools. The vote was 7 to 2.",
    "The council rejected the budget on Monday. It will spend 4 million euros on schools.",
    "The city council approved the budget on Monday. The vote was 7 to 2. Schools will get 4 million euros.",
]


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


def write_input(tmp_path: Path) -> Path:
    lines = [json.dumps({"id": k, "original": ORIGINAL, "copy": c}) for k, c in enumerate(COPIES)]
    lines[2:2] = ["", "{not json", json.dumps({"id": "no-copy", "original": ORIGINAL})]
    (tmp_path / "doc.txt").write_text(COPIES[1], encoding="utf-8")
    lines.append(json.dumps({"id": "by-path", "original": ORIGINAL, "copy_path": "doc.txt"}))
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_ray_engine_writes_what_the_local_engine_writes(tmp_path, local_ray):
    src = write_input(tmp_path)
    runner = CliRunner()
    local, on_ray = tmp_path / "local.jsonl", tmp_path / "ray.jsonl"
    a = runner.invoke(app, ["batch", str(src), "-o", str(local), "--quiet"])
    b = runner.invoke(app, ["batch", str(src), "-o", str(on_ray), "--quiet", "--engine", "ray", "--actors", "2"])
    assert a.exit_code == b.exit_code == 1, (a.output, b.output)
    records = [json.loads(x) for x in on_ray.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == [0, 1, None, "no-copy", 2, 3, "by-path"]
    assert records[2]["line"] == 4 and "not valid JSON" in records[2]["error"]
    assert any(f["rule"] for f in records[1]["findings"])  # 4 -> 40 million is found
    assert on_ray.read_bytes() == local.read_bytes()


def test_ray_engine_writes_parquet_with_the_same_records(tmp_path, local_ray):
    import pyarrow.parquet as pq

    src = write_input(tmp_path)
    runner = CliRunner()
    local, out = tmp_path / "local.jsonl", tmp_path / "out.parquet"
    runner.invoke(app, ["batch", str(src), "-o", str(local), "--quiet"])
    result = runner.invoke(app, ["batch", str(src), "-o", str(out), "--quiet", "--engine", "ray", "--actors", "1"])
    assert result.exit_code == 1, result.output
    table = pq.read_table(out).to_pydict()
    assert table["record"] == local.read_text(encoding="utf-8").splitlines()
    assert table["line"] == [1, 2, 4, 5, 6, 7, 8]
    assert table["error"] == [False, False, True, True, False, False, False]
