from __future__ import annotations

import pytest

from fidelity.errors import ConfigError
from fidelity.extract import extract
from fidelity.segment import language_name, segment, word_count


def seg(text, **kw):
    return segment(extract("t.txt", text=text, keep_boilerplate=True), **kw)


def test_abbreviations_do_not_end_sentences():
    sents = seg("The U.S. and the U.K. met at the U.N. headquarters in New York. Talks went on.")
    assert [s.text for s in sents] == ["The U.S. and the U.K. met at the U.N. headquarters in New York.", "Talks went on."]


def test_heading_line_is_its_own_unit():
    sents = seg("Lots of talk, little action\nBut behind the big words lies a messy reality. It goes on.")
    assert sents[0].text == "Lots of talk, little action" and sents[0].heading
    assert not sents[1].heading and len(sents) == 3


def test_long_unpunctuated_line_is_a_sentence_not_a_heading():
    sents = seg("On Tuesday it was clear that the committee will not be sending anyone to the meeting in Paris")
    assert len(sents) == 1 and not sents[0].heading


def test_offsets_and_paragraphs():
    text = "First one. Second one.\n\nThird one here."
    doc = extract("t.txt", text=text, keep_boilerplate=True)
    sents = segment(doc)
    for s in sents:
        assert doc.text[s.start : s.end] == s.text
    assert [s.paragraph for s in sents] == [0, 0, 1]
    assert [s.index for s in sents] == [0, 1, 2]


def test_norm_folds_quotes():
    (s,) = seg("\u201cIt\u2019s fine,\u201d she said.")
    assert s.norm == "\"It's fine,\" she said."


def test_lines_mode():
    sents = seg("one. two.\nthree", split="lines")
    assert [s.text for s in sents] == ["one. two.", "three"]


def test_other_language():
    sents = seg("M. Dupont est arrivé hier. Il est reparti ce matin.", language="fr")
    assert len(sents) == 2


def test_unknown_language_names_choices():
    with pytest.raises(ConfigError, match=r"no sentence segmenter for language 'xx'.*french"):
        language_name("xx")


def test_an_ellipsis_inside_an_open_quote_is_a_pause():
    # Punkt splits at "... I"; inside an open quotation that is a pause, not a sentence end.
    text = 'Miller said: "Mike talked a lot at the hearing ... I was getting ready, so I missed it."'
    assert [s.text for s in seg(text)] == [text]
    curly = "Miller said: “Mike talked a lot at the hearing ... I was getting ready, so I missed it.”"
    assert [s.text for s in seg(curly)] == [curly]
    # Outside a quotation an ellipsis may end a sentence as before, and so may a closed quote's.
    plain = seg("He waited and waited ... I left. Nobody came back that night.")
    closed = seg('He said "we will wait ..." I left. Nobody came back that night.')
    assert len(plain) >= 2 and len(closed) >= 2


def test_a_date_with_dotted_day_and_month_is_not_split():
    for text, first in (
        ("The Wall was opened in the night of 9. November 1989. It fell.", "The Wall was opened in the night of 9. November 1989."),
        ("It was signed on 31. 5. 2017 in Rome. Then it ended.", "It was signed on 31. 5. 2017 in Rome."),
    ):
        assert seg(text)[0].text == first
    # a number that ends a sentence still ends it
    assert [s.text for s in seg("He finished 9. Then he left.")] == ["He finished 9.", "Then he left."]


def test_full_width_sentence_ends_split_chinese_and_japanese():
    sents = seg("市长说：“我们不能再等了。”工程将于十月开始！预计持续十八个月。\n今日は晴れです。公園へ行きましょう？")
    assert [s.text for s in sents] == ["市长说：“我们不能再等了。”", "工程将于十月开始！", "预计持续十八个月。", "今日は晴れです。", "公園へ行きましょう？"]
    assert not any(s.heading for s in sents)
    # an ideographic full stop inside Latin text splits too, a Western one inside a number does not
    assert [s.text for s in seg("Price: 4.5 euros。Next line here.")] == ["Price: 4.5 euros。", "Next line here."]


def test_a_chinese_line_counts_two_characters_a_word():
    assert word_count("工程将于十月开始") == 4 and word_count("RN 12 北部环路") == 4
    assert seg("预计持续十八个月")[0].heading  # short, no final mark: a heading
    assert not seg("工程师在桥的五个拱中的两个发现了裂缝而市长说这座桥自三月以来一直禁止汽车通行")[0].heading
