"""The terminal report drawn at fixed widths into a StringIO console (rich's own habit)."""

from __future__ import annotations

import io

from fidelity.extract import extract
from fidelity.pipeline import Options, compare
from fidelity.report.terminal import TerminalView, highlight_pair, make_console
from fidelity.types import Severity

ORIGINAL = (
    "The ferry service resumes on Monday.\n"
    "Tickets cost 12 euros for adults.\n"
    "Children under five travel free.\n"
    "The harbour master thanked the crews for their patience.\n"
)
COPY = (
    "The ferry service resumes on Monday.\n"
    "Tickets cost 15 euros for adults.\n"
    "The harbour master thanked the crews for their patience.\n"
)


def render(width, color=False, **kw):
    report = compare(
        extract("original.txt", text=ORIGINAL, keep_boilerplate=True),
        extract("copy.txt", text=COPY, keep_boilerplate=True),
        options=Options(model="hashing"),
    )
    buf = io.StringIO()
    make_console(file=buf, width=width, color=color).print(TerminalView(report, **kw))
    return report, buf.getvalue()


def test_header_and_reading_order():
    report, out = render(120)
    assert "verdict" in out and report.verdict.value in out
    assert "original.txt" in out and "copy.txt" in out
    assert "model:hashing" in out
    assert out.index("ferry service") < out.index("Tickets cost") < out.index("Children under five") < out.index("harbour master")
    assert "omitted" in out


def test_no_colour_codes_when_not_a_terminal():
    _, out = render(120, color=False)
    assert "\x1b[" not in out


def test_colour_when_forced():
    _, out = render(120, color=True)
    assert "\x1b[" in out


def test_narrow_terminal_stacks_sides():
    _, out = render(60)
    assert all(len(line) <= 60 for line in out.splitlines())
    assert "− " in out or "+ " in out


def test_min_severity_hides_lower_findings():
    report, out = render(120, min_severity=Severity.CRITICAL)
    minor_rules = {f.rule for f in report.findings if f.severity < Severity.CRITICAL}
    for rule in minor_rules:
        assert f" {rule} " not in out


def test_changed_words_are_highlighted():
    left, right = highlight_pair("Tickets cost 12 euros.", "Tickets cost 15 euros.")
    styled_left = {left.plain[s.start : s.end] for s in left.spans}
    styled_right = {right.plain[s.start : s.end] for s in right.spans}
    assert styled_left == {"12"} and styled_right == {"15"}


def test_typographic_quotes_are_not_highlighted_as_changes():
    left, right = highlight_pair("\u201cYes,\u201d he said.", '"Yes," he said.')
    assert not left.spans and not right.spans
