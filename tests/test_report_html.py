"""The HTML report: one self-contained page, the texts side by side, and input text only ever as text."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser

from typer.testing import CliRunner

from fidelity.cli import app
from fidelity.extract import extract
from fidelity.pipeline import Options, compare
from fidelity.report import html
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

def report_of(original: str, copy: str, *, copy_name: str = "copy.txt"):
    return compare(
        extract("original.txt", text=original, keep_boilerplate=True),
        extract(copy_name, text=copy, keep_boilerplate=True),
        options=Options(model="hashing"),
    )


class Outline(HTMLParser):
    """Every start tag with its attributes, and the text (outside script and style)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._raw: str | None = None
        self.raw: dict[str, list[str]] = {"script": [], "style": []}

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in self.raw:
            self._raw = tag

    def handle_endtag(self, tag):
        if tag == self._raw:
            self._raw = None

    def handle_data(self, data):
        if self._raw:
            self.raw[self._raw].append(data)
        else:
            self.text.append(data)


def outline(page: str) -> Outline:
    parser = Outline()
    parser.feed(page)
    parser.close()
    return parser


def test_page_is_self_contained_and_its_policy_allows_only_its_own_style_and_script():
    page = html.render(report_of(ORIGINAL, COPY))
    o = outline(page)
    tags = [t for t, _ in o.tags]
    assert tags.count("script") == 1 and tags.count("style") == 1
    assert not [a for t, a in o.tags if t == "script" and "src" in a]
    assert "link" not in tags and "img" not in tags and "iframe" not in tags
    assert not re.search(r"https?://", page)  # nothing to fetch
    policy = next(a["content"] for t, a in o.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    for kind, body in (("script", o.raw["script"]), ("style", o.raw["style"])):
        digest = base64.b64encode(hashlib.sha256("".join(body).encode()).digest()).decode()
        assert f"{kind}-src 'sha256-{digest}'" in policy
    assert "default-src 'none'" in policy


def test_header_summary_and_texts_side_by_side():
    report = report_of(ORIGINAL, COPY)
    page = html.render(report)
    text = " ".join("".join(outline(page).text).split())
    assert report.verdict.value in text and f"{report.score:.1f}" in text
    assert "original.txt" in text and "copy.txt" in text and report.signature in text
    assert "75% of the original’s 4 sentences are in the copy" in text
    assert "1 critical, 0 major, 1 minor" in text
    # the changed figure is marked on both sides, the rest of the sentence is not
    assert "Tickets cost <del>12</del> euros for adults." in page
    assert "Tickets cost <ins>15</ins> euros for adults." in page
    # the omission stands where it is, with the other side saying so
    omitted = re.search(r'<section id="p(\d+)" class="pair k-omission"', page)
    assert omitted and "not in the copy" in page[omitted.start() : omitted.start() + 2000]
    # the summary names the critical finding and links to its pair
    critical = next(f for f in report.findings if f.severity == Severity.CRITICAL)
    summary = page[page.index("What matters most") : page.index('class="toolbar"')]
    assert critical.message.replace("'", "&#39;") in summary and f'href="#p{critical.pair}"' in summary


def test_every_finding_has_a_badge_with_its_message_and_filter_data():
    report = report_of(ORIGINAL, COPY)
    o = outline(html.render(report))
    items = [a for t, a in o.tags if t == "li" and "finding" in (a.get("class") or "").split()]
    assert len(items) == len(report.findings)
    assert sorted(a["data-severity"] for a in items) == sorted(f.severity.value for f in report.findings)
    badges = [a for t, a in o.tags if t == "button" and a.get("class") == "badge"]
    assert sorted(a["title"] for a in badges) == sorted(f.message for f in report.findings)
    marks = [a for t, a in o.tags if t == "a" and "mark" in (a.get("class") or "")]
    assert len(marks) == len(report.pairs)  # the strip: one mark a pair, each a link to it
    assert all(a["href"] == f"#p{a['data-pair']}" for a in marks)


def test_hostile_copy_renders_as_text(report_hostile_lines):
    report = report_of(ORIGINAL, "\n".join(report_hostile_lines), copy_name='"><script>window.__pwned = 9</script>.txt')
    page = html.render(report)
    o = outline(page)
    tags = [t for t, _ in o.tags]
    assert tags.count("script") == 1  # ours
    assert "img" not in tags and "svg" not in tags and "textarea" not in tags
    assert not [t for t, a in o.tags if t == "a" and (a.get("href") or "").startswith("javascript:")]
    assert not [(t, k) for t, a in o.tags for k in a if k.startswith("on")]
    assert "window.__pwned" not in "".join(o.raw["script"])
    text = "".join(o.text)
    for line in report_hostile_lines:  # the copy's text is there, character for character, as text
        assert line.replace("\u202e", "<U+202E>").replace("\u202c", "<U+202C>") in text
    assert '"><script>window.__pwned = 9</script>.txt' in text
    assert "\u202e" not in page and "\u202c" not in page  # bidi controls shown, not obeyed


def test_check_writes_an_index_and_one_page_per_pair(tmp_path, seeds):
    original = tmp_path / "original.txt"
    original.write_text(ORIGINAL, encoding="utf-8")
    copies = []
    for name, text in (("good.txt", ORIGINAL), ("changed name.txt", COPY)):
        path = tmp_path / "copies" / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        copies.append(path)
    out = tmp_path / "site"
    result = CliRunner().invoke(
        app, ["check", str(original), *map(str, copies), str(tmp_path / "missing.txt"), "-f", "html", "-o", str(out), "-m", "hashing"]
    )
    assert result.exit_code == 2, result.output  # the missing copy is an error row; the others are still checked
    names = sorted(p.name for p in out.iterdir())
    assert names == ["001-good.txt.html", "002-changed-name.txt.html", "index.html"]
    index = (out / "index.html").read_text(encoding="utf-8")
    for name in names:
        if name != "index.html":
            assert f'href="{name}"' in index
            assert 'href="index.html"' in (out / name).read_text(encoding="utf-8")
    assert "missing.txt" in index and "error" in index


def test_page_names_stay_in_their_folder():
    from fidelity.config import Policy
    from fidelity.gate import CheckResult, PairResult

    report = report_of(ORIGINAL, COPY)
    rows = [PairResult("o.txt", name, None, Policy(), report) for name in ("../../etc/passwd", "a/<b>\\..\\c d.txt", "..")]
    result = CheckResult(tuple(rows), report.signature)
    names = html.page_names(result)
    assert names == ["001-passwd.html", "002-c-d.txt.html", "003-copy.html"]
    assert set(html.render_check(result)) == {*names, "index.html"}


def test_check_html_needs_a_folder(tmp_path):
    result = CliRunner().invoke(app, ["check", "a.txt", "b.txt", "-f", "html", "-m", "hashing"])
    assert result.exit_code == 2
    assert "give -o DIR" in result.output


def test_diff_writes_one_html_file(tmp_path):
    (tmp_path / "o.txt").write_text(ORIGINAL, encoding="utf-8")
    (tmp_path / "c.txt").write_text(COPY, encoding="utf-8")
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["diff", str(tmp_path / "o.txt"), str(tmp_path / "c.txt"), "--format", "html", "-o", str(out), "-m", "hashing"])
    assert result.exit_code == 1, result.output  # a critical finding: exit 1, as for the other formats
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "Tickets cost <ins>15</ins>" in page


def test_a_moved_passage_is_shown_where_each_text_has_it():
    lines = [
        "The council approved the new budget on Tuesday evening.",
        "Spending on schools will rise by four percent next year.",
        "The mayor said the roads programme would be delayed.",
        "Opposition members criticised the cuts to library hours.",
        "A final vote on the harbour project is expected in March.",
        "Residents can comment on the plans until the end of the month.",
    ]
    moved = [lines[0], *lines[2:5], lines[1], lines[5]]
    report = report_of("\n".join(lines) + "\n", "\n".join(moved) + "\n")
    pair = next(p for p in report.pairs if p.kind == "moved")
    page = html.render(report)
    at_original = page.index(f'<section id="p{pair.index}" class="pair k-moved"')
    note = page.index('class="moved-here"')
    assert f"in the copy at sentence {pair.copy[0] + 1}" in page[at_original : at_original + 1500]
    assert f'<a href="#p{pair.index}">original #{pair.original[0] + 1}</a>' in page[note : note + 300]
    # the note stands before the pair the copy has after the moved passage, not before the moved pair
    after = next(p for p in report.pairs if p.copy and p.copy[0] > pair.copy[0] and p.kind == "match")
    assert at_original < note < page.index(f'<section id="p{after.index}"')


def test_a_text_nothing_of_which_matched_lists_no_pair():
    from dataclasses import replace

    from fidelity.types import Verdict

    report = report_of(ORIGINAL, COPY)
    lost = replace(report, verdict=Verdict.NOT_A_COPY, original=replace(report.original, coverage=0.0))
    text = " ".join("".join(outline(html.render(lost)).text).split())
    assert "no sentence of the original has a counterpart" in text
    assert "Tickets cost 15" not in text and 'id="p0"' not in html.render(lost)


def test_no_word_is_marked_changed_between_two_languages():
    # every word of a translation differs from the original's: marking them all says nothing
    from dataclasses import replace

    report = report_of(ORIGINAL, COPY)
    assert "<del" in html.render(report)
    across = replace(report, pairs=tuple(replace(p, chrf=None) if p.original and p.copy else p for p in report.pairs))
    assert "<del" not in html.render(across) and "<ins" not in html.render(across)
