"""fidelity.batch and `fidelity batch`: parsing lines, never aborting on a bad one, input
order, repeated texts embedded once, path inputs, the CLI's exit codes and stderr."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fidelity.batch import BatchError, BatchResult, PairInput, parse_line, read_pairs, record, run_batch
from fidelity.cli import app
from fidelity.embed import CachedEmbedder, HashingEmbedder
from fidelity.pipeline import Options

A = "The bridge opened in 1998. It carries 40,000 cars a day. Repairs start next year."
B = "The bridge opened in 1998. It carries 40,000 cars a day. Repairs begin next year."
C = "The new museum closed in 2004. Nobody visited it after the flood destroyed the roof."
HASHING = Options(model="hashing")


class CountingEmbedder(HashingEmbedder):
    """HashingEmbedder that records every text sent to the model."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: Counter[str] = Counter()
        self.first: int | None = None  # size of the first call

    def encode(self, texts):  # type: ignore[override]
        self.seen.update(texts)
        if self.first is None:
            self.first = len(texts)
        return super().encode(texts)


def jsonl(*objs: object) -> list[bytes]:
    return [o if isinstance(o, bytes) else json.dumps(o).encode() for o in objs]


# --- parsing -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "needle"),
    [
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "expected a JSON object"),
        (b'{"original": "a", "copy": "b"}', 'missing "id"'),
        (b'{"id": true, "original": "a", "copy": "b"}', '"id" must be a string or an integer, got a boolean'),
        (b'{"id": 1.5, "original": "a", "copy": "b"}', "got a number with a fraction"),
        (b'{"id": 1' + b"0" * 5000 + b', "original": "a", "copy": "b"}', "longer than 64 digits"),
        (b'{"id": 1, "original": ' + b"[" * 5000 + b"]" * 5000 + b', "copy": "b"}', "nested deeper than"),
        (b'{"id": "\\ud800", "original": "a", "copy": "b"}', "unpaired surrogate"),
        (b'{"id": 1, "original": NaN, "copy": "b"}', "not a JSON number"),
        (b'{"id": 1, "copy": "b"}', 'missing "original"'),
        (b'{"id": 1, "original": "a"}', 'missing "copy"'),
        (b'{"id": 1, "original": "a", "original_path": "x", "copy": "b"}', "not both"),
        (b'{"id": 1, "original": 5, "copy": "b"}', "must be a string"),
        (b'{"id": 1, "original": "a", "copy_path": ""}', "non-empty string"),
        (b'{"id": 1, "original": "a", "copy": "\xff"}', "not UTF-8"),
    ],
)
def test_malformed_lines_become_errors_with_their_line_number(raw, needle):
    got = parse_line(raw, 7)
    assert isinstance(got, BatchError)
    assert got.line == 7
    assert needle in got.message


def test_relative_paths_resolve_against_the_input_folder(tmp_path):
    got = parse_line('{"id": "x", "original_path": "a.txt", "copy_path": "/abs/b.txt"}', 1, base=tmp_path)
    assert isinstance(got, PairInput)
    assert got.original_path == tmp_path / "a.txt"
    assert got.copy_path == Path("/abs/b.txt")


def test_blank_lines_are_skipped_but_numbering_follows_the_file():
    items = list(read_pairs([b'{"id": 1, "original": "a", "copy": "b"}', b"", b"  ", b"oops"]))
    assert [i.line for i in items] == [1, 4]
    assert isinstance(items[1], BatchError)


# --- running -------------------------------------------------------------------------


def test_a_bad_line_is_skipped_and_every_other_result_kept_in_order(tmp_path):
    (tmp_path / "a.txt").write_text(A)
    (tmp_path / "c.txt").write_text(C)
    lines = jsonl(
        {"id": "same", "original": A, "copy": A},
        b"{broken",
        {"id": "edit", "original": A, "copy": B},
        {"id": "empty", "original": A, "copy": "   "},
        {"id": "files", "original_path": "a.txt", "copy_path": "c.txt"},
        {"id": "gone", "original_path": "a.txt", "copy_path": "missing.txt"},
        {"id": 42, "original": C, "copy": C},
    )
    out = list(run_batch(read_pairs(lines, base=tmp_path), options=HASHING, chunk_size=3))
    assert [o.line for o in out] == [1, 2, 3, 4, 5, 6, 7]
    kinds = [type(o).__name__ for o in out]
    assert kinds == [
        "BatchResult",
        "BatchError",
        "BatchResult",
        "BatchError",
        "BatchResult",
        "BatchError",
        "BatchResult",
    ]
    assert "empty" in out[3].message
    assert "missing.txt" in out[5].message and "no such file" in out[5].message
    same, edit, files = out[0], out[2], out[4]
    assert isinstance(same, BatchResult) and same.report.verdict.value == "identical" and same.report.score == 100.0
    assert isinstance(edit, BatchResult) and edit.report.score < 100.0
    # the path pair read the files: two unrelated texts are not a faithful copy
    assert isinstance(files, BatchResult) and files.report.verdict.value in ("not-a-copy", "distorted", "edited")
    assert files.report.original.name.endswith("a.txt")


def test_repeated_texts_reach_the_model_once():
    inner = CountingEmbedder()
    embedder = CachedEmbedder(inner)
    lines = jsonl(*({"id": k, "original": A, "copy": B if k % 2 else A} for k in range(12)))
    out = list(run_batch(read_pairs(lines), options=HASHING, embedder=embedder, chunk_size=5))
    assert all(isinstance(o, BatchResult) for o in out)
    assert inner.seen, "the model was never called"
    assert max(inner.seen.values()) == 1, [t for t, n in inner.seen.items() if n > 1]
    assert "The bridge opened in 1998." in inner.seen


def test_sentences_of_a_chunk_are_embedded_in_one_call_before_comparing():
    inner = CountingEmbedder()
    lines = jsonl(
        *({"id": k, "original": f"Sentence number {k} is here.", "copy": f"Sentence {k} is here."} for k in range(6))
    )
    list(run_batch(read_pairs(lines), options=HASHING, embedder=CachedEmbedder(inner), chunk_size=6))
    assert inner.first == 12  # the first model call carries all 12 distinct sentences of the chunk


def test_an_internal_error_on_one_pair_does_not_lose_the_others(monkeypatch):
    import fidelity.batch as batch_mod

    real = batch_mod.compare

    def flaky(original, copy, **kw):
        if "boom" in copy.text:
            raise RuntimeError("simulated bug")
        return real(original, copy, **kw)

    monkeypatch.setattr(batch_mod, "compare", flaky)
    lines = jsonl(
        {"id": 1, "original": A, "copy": A},
        {"id": 2, "original": A, "copy": "boom. " + A},
        {"id": 3, "original": A, "copy": B},
    )
    out = list(run_batch(read_pairs(lines), options=HASHING))
    assert [type(o).__name__ for o in out] == ["BatchResult", "BatchError", "BatchResult"]
    assert out[1].internal and "RuntimeError: simulated bug" in out[1].message


def test_record_has_the_report_fields_and_error_records_name_the_line():
    out = list(run_batch(read_pairs(jsonl({"id": "x", "original": A, "copy": B}, b"nope")), options=HASHING))
    good, bad = record(out[0]), record(out[1])
    assert set(good) >= {"id", "score", "verdict", "counts", "findings", "signature"}
    assert good["id"] == "x" and good["counts"] == out[0].report.counts
    assert len(good["findings"]) == len(out[0].report.findings)
    assert bad == {"id": None, "line": 2, "error": out[1].message}


# --- CLI -----------------------------------------------------------------------------

runner = CliRunner()


def write_input(tmp_path: Path) -> Path:
    path = tmp_path / "in.jsonl"
    rows = [
        json.dumps({"id": "a", "original": A, "copy": A}),
        "this is not json",
        json.dumps({"id": "b", "original": A, "copy": B}),
    ]
    path.write_text("\n".join(rows) + "\n")
    return path


def test_cli_writes_one_line_per_input_line_and_reports_the_bad_one(tmp_path):
    src, dst = write_input(tmp_path), tmp_path / "out.jsonl"
    result = runner.invoke(app, ["batch", str(src), "-o", str(dst), "--model", "hashing", "--fail-on", "critical"])
    records = [json.loads(line) for line in dst.read_text().splitlines()]
    assert [r["id"] for r in records] == ["a", None, "b"]
    assert records[1]["line"] == 2 and "not valid JSON" in records[1]["error"]
    assert records[0]["verdict"] == "identical"
    assert "line 2" in result.stderr and "not valid JSON" in result.stderr
    expect_fail = any(f["severity"] == "critical" for r in records if "findings" in r for f in r["findings"])
    assert result.exit_code == (1 if expect_fail else 0), result.stderr


def test_cli_fail_on_minor_fails_when_any_finding_exists(tmp_path):
    src, dst = write_input(tmp_path), tmp_path / "out.jsonl"
    result = runner.invoke(app, ["batch", str(src), "-o", str(dst), "--model", "hashing", "--fail-on", "minor", "-q"])
    records = [json.loads(line) for line in dst.read_text().splitlines()]
    any_finding = any(r.get("findings") for r in records)
    assert result.exit_code == (1 if any_finding else 0)
    assert "pairs compared" not in result.stderr  # --quiet drops the summary


def test_cli_stdout_and_stdin(tmp_path):
    data = json.dumps({"id": 1, "original": A, "copy": A}) + "\n"
    result = runner.invoke(app, ["batch", "-", "--model", "hashing"], input=data)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout.strip())["verdict"] == "identical"
    assert "1 pairs compared, 0 lines skipped" in result.stderr


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["batch", "/nonexistent/in.jsonl"], "no such file"),
        (["batch", "IN", "--model", "nope"], "unknown model"),
        (["batch", "IN", "--fail-on", "huge"], "unknown severity"),
        (["batch", "IN", "--select", "no-such-rule"], "unknown rule"),
        (["batch", "IN", "-o", "/nonexistent/dir/out.jsonl"], "does not exist"),
    ],
)
def test_cli_unusable_input_or_options_exit_2(tmp_path, args, needle):
    src = write_input(tmp_path)
    args = [str(src) if a == "IN" else a for a in args]
    if "--model" not in args:
        args += ["--model", "hashing"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert needle in result.stderr
    assert "Traceback" not in result.output


def test_worker_processes_give_the_same_results_in_the_same_order():
    lines = jsonl(
        *({"id": k, "original": A, "copy": [A, B, C][k % 3]} for k in range(7)),
        b"{bad",
        {"id": "last", "original": C, "copy": C},
    )
    one = [record(o) for o in run_batch(read_pairs(lines), options=HASHING, chunk_size=3)]
    two = [record(o) for o in run_batch(read_pairs(lines), options=HASHING, chunk_size=3, jobs=2)]
    assert two == one
    assert [r["id"] for r in two] == [0, 1, 2, 3, 4, 5, 6, None, "last"]


# --- parsing ahead (spaCy) -------------------------------------------------------------

_needs_spacy = pytest.mark.skipif(
    not __import__("fidelity.nlp").nlp.spacy_available(), reason="spaCy model not installed"
)


def _batch_pipe_calls(
    monkeypatch, lines: list[bytes], options: Options, chunk_size: int
) -> tuple[list[list[str]], list]:
    """Run a batch with an empty parse cache; return the texts of every spaCy ``pipe`` call and the results."""
    from fidelity import nlp

    model = nlp._nlp()
    real_pipe = type(model).pipe.__get__(model)  # the class's, not a patch left by an earlier call
    calls: list[list[str]] = []

    def pipe(texts, **kw):
        texts = list(texts)
        calls.append(texts)
        return real_pipe(texts, **kw)

    monkeypatch.setattr(model, "pipe", pipe)
    monkeypatch.setattr(nlp, "_parsed", type(nlp._parsed)())
    out = list(run_batch(read_pairs(lines), options=options, chunk_size=chunk_size))
    return calls, out


@_needs_spacy
def test_batch_parses_a_chunk_in_one_spacy_call_with_the_same_results(monkeypatch):
    lines = jsonl(
        *(
            {
                "id": k,
                "original": f"The council approved {k + 2} new schools in March. {A}",
                "copy": f"The council rejected {k + 2} new schools in May. {B}",
            }
            for k in range(6)
        )
    )
    calls, out = _batch_pipe_calls(monkeypatch, lines, HASHING, chunk_size=6)
    differing = {
        f"The council {v} {k + 2} new schools in {m}."
        for k in range(6)
        for v, m in (("approved", "March"), ("rejected", "May"))
    }
    differing |= {"Repairs start next year.", "Repairs begin next year."}
    assert set(calls[0]) == differing  # one call for the chunk; identical sentences are not parsed ahead
    # later calls only for groups the aligner merged (n:m), never for a single sentence of the chunk
    assert all(t not in differing and t.count(". ") >= 1 for c in calls[1:] for t in c), calls[1:]
    import fidelity.batch as batch_mod

    monkeypatch.setattr(batch_mod, "_parses", lambda options: False)
    calls_off, out_off = _batch_pipe_calls(monkeypatch, lines, HASHING, chunk_size=6)
    assert len(calls_off) >= 6 > len(calls)  # without the chunk parse, one spaCy call per pair
    assert [record(o) for o in out] == [record(o) for o in out_off]


@_needs_spacy
def test_batch_does_not_parse_ahead_when_no_selected_check_parses(monkeypatch):
    lines = jsonl({"id": 1, "original": A, "copy": B})
    calls, out = _batch_pipe_calls(
        monkeypatch, lines, Options(model="hashing", select=("moved", "glossary")), chunk_size=4
    )
    assert isinstance(out[0], BatchResult)
    assert calls == []


def test_freed_memory_goes_back_between_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each chunk starts by handing the heap's free pages back (glibc ``malloc_trim``), which
    keeps a long run's resident size flat; where there is no such call it does nothing."""
    import sys

    from fidelity import batch as batch_module

    if sys.platform.startswith("linux"):
        assert batch_module._malloc_trim() is not None
    calls: list[int] = []
    monkeypatch.setattr(batch_module, "_malloc_trim", lambda: calls.append)
    lines = [json.dumps({"id": k, "original": "The cat sat.", "copy": "The cat sat."}).encode() for k in range(5)]
    out = list(batch_module.run_batch(batch_module.read_pairs(lines), options=Options(model="hashing"), chunk_size=2))
    assert len(out) == 5 and calls == [0, 0, 0]  # three chunks of at most two lines


@_needs_spacy
@pytest.mark.parametrize("zone_chunks", [8, 2])
def test_spacy_forgets_the_chunks_new_words_and_the_results_stay_the_same(monkeypatch, zone_chunks):
    """Chunks run ``ZONE_CHUNKS`` at a time in one ``nlp.forgetting`` block (spaCy's memory
    zone): the words they bring leave spaCy's vocabulary and their parses leave the cache at its
    end, so a long run over ever new words does not grow; the reports are those of a run that
    forgets nothing. With two chunks a block, the third chunk starts from a vocabulary that
    forgot the first two's words."""
    import contextlib

    from fidelity import batch as batch_module
    from fidelity import nlp

    model = nlp._nlp()
    nlp.parse(["The council met on Monday."])  # spaCy loaded and its common words known before the run
    before = len(model.vocab.strings)
    z = "x" * zone_chunks  # words of their own for each case: the run without a block keeps its words
    # invented words, new to spaCy: each pair's sentences differ, so the checks parse them
    lines = jsonl(
        *(
            {
                "id": k,
                "original": f"Mayor Zorbex{k}qua{z} approved {k + 3} grants for Vrellin{k}ford{z}. {A}",
                "copy": f"Mayor Zorbex{k}qua{z} rejected {k + 3} grants for Vrellin{k}ford{z}. {B}",
            }
            for k in range(6)
        )
    )
    monkeypatch.setattr(batch_module, "ZONE_CHUNKS", zone_chunks)
    seen: list[tuple[int, int]] = []
    real_run = batch_module._run_chunk

    def run_chunk(*args, **kwargs):
        yield from real_run(*args, **kwargs)
        seen.append((len(model.vocab.strings), nlp.parses_cached()))  # at the chunk's end, inside its block

    monkeypatch.setattr(batch_module, "_run_chunk", run_chunk)
    out = list(run_batch(read_pairs(lines), options=HASHING, chunk_size=2))
    assert len(seen) == 3 and all(strings > before and parsed > 0 for strings, parsed in seen)  # new words were met
    if zone_chunks == 2:  # the block ended after the second chunk: the third's words alone are new
        assert seen[2][0] < seen[1][0] and seen[2][1] < seen[1][1]
    else:  # one block: the words and parses of the three chunks add up
        assert seen[0][0] < seen[1][0] < seen[2][0]
    assert len(model.vocab.strings) == before  # ... and forgotten, their lexemes too
    assert not any(w in model.vocab.strings or w in model.vocab for w in (f"Zorbex0qua{z}", f"Vrellin5ford{z}"))
    assert nlp.parses_cached() == 0

    monkeypatch.setattr(nlp, "forgetting", contextlib.nullcontext)
    kept = list(run_batch(read_pairs(lines), options=HASHING, chunk_size=2))
    assert f"Zorbex0qua{z}" in model.vocab.strings and f"Zorbex0qua{z}" in model.vocab  # without the block the words stay
    assert all(isinstance(o, BatchResult) for o in out)
    assert [record(o) for o in out] == [record(o) for o in kept]
    assert any(record(o)["findings"] for o in out)  # the checks did read the parses
