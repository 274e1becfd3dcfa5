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


def test_workflow_escaping_shows_terminal_controls_and_keeps_cr_and_lf_escapes() -> None:
    # a CI log renders escape sequences as a terminal does; CR and LF keep the runner's own escapes
    assert escape.workflow_data("a\x1b]0;t\x07\x9b\u202e\r\nb") == "a␛]0;t␇<U+009B><U+202E>%0D%0Ab"
    assert escape.workflow_property("x\x1b[2J:y") == "x␛[2J%3Ay"


def test_json_and_xml_text_escape_what_a_terminal_acts_on_and_keep_the_values() -> None:
    import json

    from lxml import etree

    value = "a\x7fb\x85c\x9bd\u202ee\u2066f\u2028g\u2029h é 中"
    serialised = escape.json_text(json.dumps({"k": value}, ensure_ascii=False))
    assert json.loads(serialised) == {"k": value}
    assert not escape._JSON_UNSAFE.search(serialised) and "é 中" in serialised
    el = etree.Element("t", v=value)
    el.text = value
    xml = escape.xml_text(etree.tostring(el, encoding="unicode"))
    assert not escape._JSON_UNSAFE.search(xml)
    back = etree.fromstring(xml)
    assert back.text == value and back.get("v") == value
