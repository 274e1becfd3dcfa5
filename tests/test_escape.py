"""Each output channel's escaping makes text from the inputs inert."""

from __future__ import annotations

from fidelity.report import escape


def test_terminal_makes_escape_sequences_visible() -> None:
    hostile = "a\x1b[2J\x1b]0;title\x07b\x9bc\u202ed\te\nf"
    out = escape.terminal(hostile)
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out and "\u202e" not in out
    assert out == "a␛[2J␛]0;title␇b<U+009B>c<U+202E>d\te\nf"


def test_markup_keeps_brackets_as_text() -> None:
    from rich.text import Text

    assert Text.from_markup(escape.markup("[/bold].txt [link=http://x]y")).plain == "[/bold].txt [link=http://x]y"


def test_workflow_escaping_keeps_a_name_on_one_line() -> None:
    name = "a\n::add-mask::x,y:z%"
    assert "\n" not in escape.workflow_data(name)
    assert escape.workflow_property(name) == "a%0A%3A%3Aadd-mask%3A%3Ax%2Cy%3Az%25"
