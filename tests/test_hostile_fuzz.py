"""Properties over arbitrary input (hypothesis) and a bounded atheris run over the readers.

The contract: whatever the bytes or text, each stage returns its type or raises a
``FidelityError``; every output channel stays inert (no control character reaches a terminal,
no newline a workflow command, every format parses). The hashing embedder keeps it fast.
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
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fidelity.batch import BatchError, PairInput, parse_line
from fidelity.embed import HashingEmbedder
from fidelity.errors import FidelityError
from fidelity.extract import decode, extract
from fidelity.limits import loads_json
from fidelity.pipeline import Options, compare
from fidelity.report import escape
from fidelity.segment import MAX_SENTENCE_CHARS, segment

ROOT = Path(__file__).resolve().parent.parent
# Arbitrary Unicode with the characters that break things over-represented: controls,
# bidi overrides, zero-width, surrogates, markup and workflow-command punctuation.
NASTY = st.sampled_from([*"\x00\x07\x1b\x7f\x85\x9b\u202e\u2066\u200b\ufeff\ud800\n\r\t[]/:%,<>&|`*#\\\"'", "::", "[/bold]", "%0A", " ", ". ", "é", "Ω", "中"])
TEXT = st.lists(st.one_of(st.text(max_size=20), NASTY), max_size=60).map("".join)
quick = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@quick
@given(st.binary(max_size=2000))
def test_decode_returns_text_or_a_fidelity_error(data: bytes) -> None:
    try:
        text, encoding = decode(data, "x")
    except FidelityError:
        return
    assert isinstance(text, str) and encoding
    text.encode("utf-8")  # never a lone surrogate


@quick
@given(TEXT)
def test_extract_and_segment_keep_offsets_on_any_text(text: str) -> None:
    try:
        doc = extract("x", text=text)
    except FidelityError:
        return
    for s in segment(doc):
        assert doc.text[s.start : s.end] == s.text
        assert 0 < len(s.text) <= MAX_SENTENCE_CHARS


@settings(max_examples=10, deadline=None)
@given(st.integers(MAX_SENTENCE_CHARS + 1, 30_000), st.sampled_from(["x", "word ", "a.b", "\u00e9"]))
def test_long_units_are_cut_to_the_bound(size: int, unit: str) -> None:
    doc = extract("x", text=(unit * size)[:size])
    sentences = segment(doc)
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in sentences)
    assert sum(len(s.text) for s in sentences) >= len(doc.text.strip()) - len(sentences)


@quick
@given(st.one_of(st.binary(max_size=500), TEXT.map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_a_batch_line_is_a_pair_or_an_error_never_an_exception(raw: bytes) -> None:
    assert isinstance(parse_line(raw, 1), PairInput | BatchError)


@quick
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT, lambda c: st.lists(c, max_size=3) | st.dictionaries(TEXT, c, max_size=3), max_leaves=20))
def test_loads_json_returns_or_raises_value_error(value: object) -> None:
    try:
        text = json.dumps(value)
    except (ValueError, UnicodeEncodeError):
        return
    try:
        loads_json(text)
    except ValueError as exc:
        assert "\n" not in str(exc)


@quick
@given(TEXT)
def test_escapes_leave_nothing_active(text: str) -> None:
    shown = escape.terminal(text)
    assert not any((ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F for c in shown)
    assert not any(c in shown for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    assert "\n" not in escape.workflow_data(text) and "\r" not in escape.workflow_data(text)
    assert ":" not in escape.workflow_property(text) and "," not in escape.workflow_property(text)
    assert "\n" not in escape.markdown(text) and "\n" not in escape.markdown_code(text)
    assert all(c.isascii() and c not in " #?" for c in escape.uri(text))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, TEXT)
def test_reports_of_any_pair_render_as_json_and_inert_terminal_text(a: str, b: str) -> None:
    import io

    from fidelity.report import json as json_report
    from fidelity.report.terminal import TerminalView, make_console

    try:
        doc_a, doc_b = extract("a", text=a + " The end."), extract("b", text=b + " The end.")
    except FidelityError:
        return
    report = compare(doc_a, doc_b, options=Options(model="hashing"), embedder=HashingEmbedder())
    json.loads(json_report.render(report))
    for color in (False, True):
        buffer = io.StringIO()
        make_console(file=buffer, width=100, color=color).print(TerminalView(report))
        shown = re.sub(r"\x1b\[[0-9;]*m", "", buffer.getvalue())  # the colours fidelity itself adds
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", shown)


def test_check_formats_with_hostile_names(tmp_path: Path) -> None:
    from fidelity.config import Config, PairSpec
    from fidelity.gate import run_check
    from fidelity.report import github, gitlab, junit, markdown, sarif

    original = tmp_path / "o.txt"
    original.write_text("The budget is five million euros. It funds twelve schools.\n", encoding="utf-8")
    specs = []
    for i, name in enumerate(["a\n::add-mask::x", "b[/bold]", "c|`d`|<img src=x>", "d\u202ee%20f é#?"]):
        folder = tmp_path / f"p{i}"
        folder.mkdir()
        copy = folder / (name.replace("/", "_") + ".txt")
        copy.write_text("The budget is six million euros. It funds twelve schools.\n", encoding="utf-8")
        specs.append(PairSpec(original, copy, name, "test"))
    result = run_check(Config(path=None, root=tmp_path, model="hashing"), pairs=specs, embedder=HashingEmbedder(), base=tmp_path)
    assert result.failed == 4
    for line in github.render(result).splitlines():
        assert not line.startswith("::") or line.startswith(("::error ", "::warning ", "::notice "))
    md = markdown.render(result)
    outside_code = re.sub(r"(`+).*?\1", "", md)  # a code span shows HTML as text
    assert re.search(r"(?<!\\)<img", outside_code) is None and "\u202e" not in md
    sarif_doc = json.loads(sarif.render(result))
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif_doc["runs"][0]["results"]]
    assert all(" " not in u and "#" not in u and "?" not in u for u in uris)
    json.loads(gitlab.render(result))
    from lxml import etree

    etree.fromstring(junit.render(result).encode())


SEEDS = {
    "line.jsonl": b'{"id": 1, "original": "The cat sat.", "copy_path": "c.txt"}',
    "m.csv": b"original,copy,partner\no.txt,c.txt,acme\n",
    "c.toml": b'model = "hashing"\n[[pairs]]\noriginal = "o.txt"\ncopy = "c.txt"\n',
    "page.html": b'<html><head><meta charset="windows-1253"></head><body><p>\xc7 \xe1\xed\xe1\xea\xef\xdf\xed\xf9\xf3\xe7.</p></body></html>',
    "utf16.txt": "Hello, world.".encode("utf-16-le"),
}


@pytest.mark.skipif(sys.platform != "linux", reason="atheris ships Linux wheels")
def test_fuzz_the_readers_for_a_bounded_time(tmp_path: Path) -> None:
    pytest.importorskip("atheris", reason="atheris is not installed (pip install -e .[dev])")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, data in SEEDS.items():
        (corpus / name).write_bytes(data)
    seconds = int(os.environ.get("FIDELITY_FUZZ_SECONDS", "20"))
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "fuzz_readers.py"), f"-max_total_time={seconds}", "-max_len=4096", f"-artifact_prefix={tmp_path}/", str(corpus)],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=seconds + 120, check=False,
    )
    crashes = [p.name for p in tmp_path.iterdir() if p.name.startswith(("crash-", "timeout-", "oom-"))]
    assert proc.returncode == 0 and not crashes, proc.stderr[-3000:]
    assert "Done" in proc.stderr
    shutil.rmtree(corpus)
