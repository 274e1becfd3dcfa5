from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from fidelity.errors import InputError
from fidelity.extract import MAX_BYTES, decode, extract, normalize

ARTICLE = (
    "Home\nNews\n• World\n• Politics\n• Sport\n493\nSHARES\n1.4k\nVIEWS\nShare on Facebook\n\n"
    "The council approved the budget on Monday after a long debate about the cost of the new bridge.\n\n"
    "Local residents said the vote was overdue and that the old crossing had been unsafe for years.\n\n"
    "Next steps\n\n"
    "Construction is expected to start in the spring and to last about eighteen months in total.\n\n"
    "The post Council approves budget appeared first on Example News.\n"
    "Share12Tweet3\nRead more\nCopyright © 2025.\n"
)


def content_lines(doc):
    return [doc.text[s:e] for s, e in doc.content]


def test_plain_text_furniture_is_set_aside():
    doc = extract("page.txt", text=ARTICLE)
    kept = content_lines(doc)
    assert kept[0].startswith("The council approved")
    assert "Next steps" in kept  # a subheading inside the article stays
    assert kept[-1].startswith("Construction is expected")
    assert not any("SHARES" in k or "appeared first" in k or "Copyright" in k for k in kept)
    assert doc.boilerplate_lines == len([ln for ln in ARTICLE.splitlines() if ln.strip()]) - len(kept)


def test_keep_boilerplate_keeps_every_line():
    doc = extract("page.txt", text=ARTICLE, keep_boilerplate=True)
    assert doc.boilerplate_lines == 0
    assert len(doc.content) == len([ln for ln in ARTICLE.splitlines() if ln.strip()])


def test_offsets_index_the_text():
    doc = extract("page.txt", text=ARTICLE)
    for s, e in doc.content:
        assert doc.text[s:e] in ARTICLE


def test_plain_article_without_furniture_is_kept_whole():
    text = "A short headline\n" + "\n".join(f"Sentence number {i} says something quite ordinary about the weather today." for i in range(5))
    doc = extract("a.txt", text=text)
    assert doc.boilerplate_lines == 0


@pytest.mark.parametrize(
    "encoding,prefix",
    [("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE), ("cp1252", b"")],
)
def test_decodings(tmp_path, encoding, prefix):
    text = "Caf\u00e9 \u201cquoted\u201d \u2014 na\u00efve r\u00e9sum\u00e9 costs \u20ac5."
    path = tmp_path / "t.txt"
    path.write_bytes(prefix + text.encode(encoding))
    doc = extract(path, keep_boilerplate=True)
    assert doc.text == text


def test_latin1_only_bytes():
    text, enc = decode("na\u00efve".encode("latin-1"), "x")
    assert text == "na\u00efve" and enc in ("cp1252", "latin-1")


LEGACY = {
    "cp1250": "Příliš žluťoučký kůň úpěl ďábelské ódy. Zażółć gęślą jaźń, łódź i żółw. Ministr oznámil rozpočet pět milionů.",
    "cp932": "大臣は月曜日、地域の学校のために五百万円の予算を発表しました。計画は四年間で全国に十二の新しい学校に資金を提供します。",
    "gb18030": "部长周一宣布为该地区的学校拨款五百万元。该计划在四年内为全国十二所新学校提供资金。",
    "utf-32": "A text in UTF-32 with its byte-order mark, which begins as UTF-16's does: café.",
}


@pytest.mark.parametrize("encoding", LEGACY)
def test_a_legacy_code_page_or_utf32_is_read_as_written(encoding):
    text, enc = decode(LEGACY[encoding].encode(encoding), "x")
    assert text == LEGACY[encoding] and enc == encoding


def test_latin_text_in_cp1252_is_never_read_as_another_latin_code_page():
    # the detector's Latin guesses are unreliable on short texts: French and German in cp1252,
    # cut into pieces of many sizes, must all read as cp1252
    folder = Path(__file__).resolve().parent.parent / "corpora" / "gold" / "textberg-1957"
    checked = 0
    for name in ("fr.txt", "de.txt"):
        text = (folder / name).read_text(encoding="utf-8")
        for size in (100, 150, 250, 400, 1500):
            for start in range(0, min(len(text), 30_000), size * 3):
                data = text[start : start + size].encode("cp1252", "ignore")
                if any(b > 0x7F for b in data):
                    checked += 1
                    assert decode(data, "x")[0] == data.decode("cp1252"), (name, size, start)
    assert checked > 100


def test_undecodable_bytes():
    # 0x81 and 0x8d are undefined in cp1252 and C1 controls in latin-1: not text in any supported encoding
    with pytest.raises(InputError, match="no supported encoding"):
        decode(b"abc \x81\x8d def \xff\xfe\xfd", "x.txt")


@pytest.mark.parametrize(
    "setup,problem",
    [
        (lambda p: None, "no such file"),
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: p.write_text(""), "empty"),
        (lambda p: p.write_text("  \n\t \n"), "empty"),
        (lambda p: p.write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00" * 20), "binary"),
        (lambda p: p.write_bytes(b"a" * (MAX_BYTES + 1)), "larger than"),
    ],
)
def test_bad_inputs_name_file_and_problem(tmp_path, setup, problem):
    path = tmp_path / "input.txt"
    setup(path)
    with pytest.raises(InputError, match=problem) as info:
        extract(path)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)


def test_html_goes_through_trafilatura():
    body = "".join(f"<p>Paragraph {i} of the story tells the reader something about the harbour and its boats.</p>" for i in range(6))
    html = (
        "<html><head><title>T</title></head><body><nav><ul><li>Home</li><li>World</li><li>Sport</li></ul></nav>"
        f"<article><h1>Harbour story</h1>{body}</article>"
        "<aside><h3>Related</h3><ul><li><a href='/x'>Something else entirely</a></li></ul></aside>"
        "<footer>Copyright 2025</footer></body></html>"
    )
    doc = extract("page.html", text=html)
    assert doc.format == "html"
    assert "Paragraph 0 of the story" in doc.text
    assert "Copyright" not in doc.text
    assert doc.boilerplate_lines > 0


def test_normalize_folds_typography():
    assert normalize("\u201cIt\u2019s\u201d \u2014 a\u00a0test") == "\"It's\" - a test"


def test_seed_original_furniture(seeds):
    doc = extract(seeds["original"])
    kept = "\n".join(content_lines(doc))
    assert kept.startswith("How to keep Putin at bay? The deadlock over security guarantees for Ukraine.\nDespite pressure")
    for furniture in ("View All Result", "SHARES", "appeared first on", "Disneyland", "Copyright", "Read more"):
        assert furniture not in kept
    assert "Moscow says no" in kept  # subheadings are article text
    assert doc.boilerplate_lines > 50


def test_recurring_headline_above_the_body_is_kept():
    page = (
        "Menu\nHome\nWorld\nHarbour reopens after storm damage is repaired\n2 June 2025\nin World, News\n"
        "Harbour reopens after storm damage is repaired\n123\nSHARES\nShare on Facebook\n\n" + ARTICLE.split("Share on Facebook\n\n", 1)[1]
    )
    doc = extract("page.txt", text=page)
    kept = content_lines(doc)
    assert kept[0] == "Harbour reopens after storm damage is repaired"
    assert kept.count("Harbour reopens after storm damage is repaired") == 1
    assert kept[1].startswith("The council approved")
