"""The progress bar (fidelity/cli/progress.py): shown to a person at a terminal, never when
piped, under CI or with --quiet; and gate.run_check reports each pair to it."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fidelity.cli import app
from fidelity.cli.progress import bar, enabled


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def at_terminal(monkeypatch) -> None:
    # inside the test, not a fixture: pytest puts its own capture back on sys.stderr between phases
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(sys, "stderr", Terminal())


def test_shown_at_a_terminal_only(monkeypatch):
    at_terminal(monkeypatch)
    assert enabled(quiet=False)
    assert not enabled(quiet=True)
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # piped
    assert not enabled(quiet=False)


@pytest.mark.parametrize(("value", "shown"), [("true", False), ("1", False), ("yes", False), ("false", True), ("0", True), ("", True)])
def test_the_ci_variable_hides_it(monkeypatch, value, shown):
    at_terminal(monkeypatch)
    monkeypatch.setenv("CI", value)
    assert enabled(quiet=False) is shown


def test_a_disabled_bar_writes_nothing(monkeypatch):
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with bar(False, "batch") as progress:
        task = progress.add_task("batch", total=3)
        for _ in range(3):
            progress.advance(task)
    assert sys.stderr.getvalue() == ""


def test_check_over_many_pairs_counts_each_pair_and_prints_nothing_extra_when_piped(seeds, tmp_path, monkeypatch):
    from fidelity.config import Config, PairSpec
    from fidelity.gate import run_check

    monkeypatch.chdir(tmp_path)
    ticks: list[int] = []
    specs = [
        PairSpec(seeds["original"], seeds["syndicated"], None, "test"),
        PairSpec(seeds["original"], Path("missing.txt"), None, "test"),  # an error row still counts
        PairSpec(seeds["original"], seeds["retranslated"], None, "test"),
    ]
    result = run_check(Config(None, tmp_path, model="hashing"), pairs=specs, on_pair=lambda: ticks.append(1))
    assert len(ticks) == len(result.results) == 3

    (tmp_path / "fidelity.toml").write_text('model = "hashing"\n', encoding="utf-8")
    runner = CliRunner()
    args = ["check", str(seeds["original"]), str(seeds["syndicated"]), str(seeds["retranslated"]), "-f", "json", "--exit-zero"]
    out = runner.invoke(app, args)
    assert out.exit_code == 0, out.output
    assert out.stderr == ""
