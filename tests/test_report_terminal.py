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


# The summary: what matters most, before the body.

REPEATED_ORIGINAL = (
    "The museum opens at 9 on weekdays.\n"
    "The old harbour wall was rebuilt in stone.\n"
    "Guided tours leave at 9 from the main hall.\n"
    "Visitors praised the new lighting in the east wing.\n"
)
REPEATED_COPY = (
    "The museum opens at 10 on weekdays.\n"
    "The old harbour wall was rebuilt in stone.\n"
    "Guided tours leave at 10 from the main hall.\n"
    "Visitors praised the new lighting in the east wing.\n"
)


def render_texts(original, copy, width=120, **kw):
    report = compare(
        extract("original.txt", text=original, keep_boilerplate=True),
        extract("copy.txt", text=copy, keep_boilerplate=True),
        options=Options(model="hashing"),
    )
    buf = io.StringIO()
    make_console(file=buf, width=width, color=False).print(TerminalView(report, **kw))
    return report, buf.getvalue()


def summary_lines(out):
    block = out[out.index("What matters most") :].split("\n\n")[0]
    return block.splitlines()[1:]


def test_summary_comes_after_the_header_and_before_the_body():
    report, out = render(120)
    critical = [f for f in report.findings if f.severity == Severity.CRITICAL]
    assert critical, "the fixture changes a figure: a critical finding"
    assert out.index("signature") < out.index("What matters most") < out.index("The copy beside the original")
    lines = summary_lines(out)
    first = next(line for line in lines if "critical" in line)
    pair = report.pairs[critical[0].pair]
    assert critical[0].message in first
    assert f"original #{pair.original[0] + 1}" in first and f"copy #{pair.copy[0] + 1}" in first


def test_summary_lists_only_critical_and_major_most_severe_first():
    report, out = render(120)
    lines = summary_lines(out)
    minor = [f for f in report.findings if f.severity == Severity.MINOR]
    assert minor
    for f in minor:
        assert not any(f.message in line for line in lines)
    assert any(f"{len(minor)} minor finding" in line for line in lines)
    ranks = [next(s.rank for s in Severity if line.strip().startswith(s.value)) for line in lines if line.strip().split(" ")[0] in ("critical", "major")]
    assert ranks == sorted(ranks, reverse=True)


def test_summary_groups_a_finding_repeated_in_several_pairs():
    report, out = render_texts(REPEATED_ORIGINAL, REPEATED_COPY)
    repeated = [f for f in report.findings if f.message == "'9' became '10'"]
    assert len(repeated) == 2 and repeated[0].severity >= Severity.MAJOR
    lines = [line for line in summary_lines(out) if "'9' became '10'" in line]
    assert len(lines) == 1
    assert "+1 more" in lines[0] and "original #1 · copy #1" in lines[0]
    body = out[out.index("The copy beside the original") :]
    assert body.count("'9' became '10'") == 2  # each pair still shows its own finding


def test_summary_only_prints_header_and_summary():
    _, out = render(120, summary_only=True)
    assert "What matters most" in out and "verdict" in out
    assert "The copy beside the original" not in out
    assert "Children under five" not in out  # the body's omitted sentence
    assert "not listed" in out


def test_summary_respects_min_severity():
    _, out = render_texts(REPEATED_ORIGINAL, REPEATED_COPY, min_severity=Severity.CRITICAL)
    lines = summary_lines(out)
    assert all(not line.strip().startswith(("major", "minor")) for line in lines)


def test_summary_without_findings_says_so():
    _, out = render_texts(REPEATED_ORIGINAL, REPEATED_ORIGINAL)
    assert "no critical or major findings" in out


def test_summary_lines_fit_the_width():
    for width in (60, 80, 120):
        _, out = render_texts(REPEATED_ORIGINAL, REPEATED_COPY, width=width, summary_only=True)
        assert all(len(line) <= width for line in out.splitlines()), width


def test_only_flagged_still_hides_pairs_without_findings():
    _, out = render(120, only_flagged=True)
    body = out[out.index("The copy beside the original") :]
    assert "The ferry service resumes" not in body
    assert "Tickets cost 12 euros" in body
    assert "pairs without findings not shown" in out


def test_input_text_cannot_drive_the_terminal():
    hostile = "Tickets cost 15 euros \x1b]0;owned\x07 for adults \u202eslla\u202c [bold]x[/bold].\n"
    _, out = render_texts(ORIGINAL, COPY.replace("Tickets cost 15 euros for adults.\n", hostile))
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "␛]0;owned␇" in out and "<U+202E>" in out
    assert "[bold]x[/bold]" in out  # rich markup in a copy is text, not style



def test_a_text_nothing_of_which_matched_lists_no_pair():
    # the pipeline judged no pair a counterpart (coverage 0: two languages, unrelated texts), so
    # the list under the note shows none, whatever a pair's own similarity says
    from dataclasses import replace

    from fidelity.types import Verdict

    report, _ = render(120)
    lost = replace(report, verdict=Verdict.NOT_A_COPY, original=replace(report.original, coverage=0.0))
    buf = io.StringIO()
    make_console(file=buf, width=120, color=False).print(TerminalView(lost))
    out = buf.getvalue()
    assert "no sentence of the original has a counterpart" in out
    assert "in reading order" not in out and "Tickets cost" not in out


def test_no_word_is_highlighted_between_two_languages():
    left, right = highlight_pair("Le pont est fermé.", "The bridge is closed.", words=False)
    assert not left.spans and not right.spans
    left, right = highlight_pair("The bridge is shut.", "The bridge is closed.")
    assert right.spans


def test_a_translated_sentence_is_shown_beside_its_original_not_as_unchanged():
    from dataclasses import replace

    report, _ = render(120)
    first = report.pairs[0]
    assert first.drift == 0.0  # identical: one dim "=" line with the original only
    across = replace(report, pairs=(replace(first, copy_text="Le service de ferry reprend lundi.", chrf=None), *report.pairs[1:]))
    buf = io.StringIO()
    make_console(file=buf, width=120, color=False).print(TerminalView(across))
    assert "Le service de ferry reprend lundi." in buf.getvalue()
    assert "translated  original #1 · copy #1" in buf.getvalue()  # a translation is not "changed"
