"""fidelity.cache: the persistent sentence-vector store, alone, under concurrent processes,
with damaged or foreign files, and through `fidelity diff` with the real packaged model."""

from __future__ import annotations

import multiprocessing
import sqlite3
import zlib
from dataclasses import replace

import numpy as np
import pytest
from typer.testing import CliRunner

from fidelity.cache import FILE_NAME, VectorStore, open_store
from fidelity.cli import app
from fidelity.embed import CachedEmbedder, HashingEmbedder


class CountingModel:
    """A real (lexical) model under a cacheable name, counting what reaches it."""

    name = "counting"
    version = "1"

    def __init__(self) -> None:
        self.inner = HashingEmbedder()
        self.seen: list[str] = []

    def encode(self, texts):
        self.seen.extend(texts)
        return self.inner.encode(texts)


@pytest.fixture()
def cache_env(tmp_path, monkeypatch):
    monkeypatch.delenv("FIDELITY_NO_CACHE", raising=False)
    monkeypatch.setenv("FIDELITY_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_vectors_round_trip_byte_for_byte(tmp_path):
    store = VectorStore(tmp_path, "m-1")
    vectors = HashingEmbedder().encode(["one", "two"])
    store.put_many(["one", "two"], vectors)
    found = VectorStore(tmp_path, "m-1").get_many(["two", "one", "three"])
    assert set(found) == {"one", "two"}
    assert found["one"].tobytes() == vectors[0].tobytes()
    assert found["two"].dtype == np.float32


def test_another_model_signature_shares_nothing(tmp_path):
    VectorStore(tmp_path, "m-1").put_many(["one"], HashingEmbedder().encode(["one"]))
    assert VectorStore(tmp_path, "m-2").get_many(["one"]) == {}


def test_second_embedder_reads_the_first_ones_vectors(cache_env):
    first_model, second_model = CountingModel(), CountingModel()
    first = CachedEmbedder(first_model).encode(["a cat", "a dog", "a cat"])
    second = CachedEmbedder(second_model).encode(["a dog", "a cat", "a bird"])
    assert first_model.seen == ["a cat", "a dog"]
    assert second_model.seen == ["a bird"]
    assert second[0].tobytes() == first[1].tobytes()
    assert second[1].tobytes() == first[0].tobytes()


def test_no_cache_switch_and_uncached_models(cache_env, monkeypatch):
    assert open_store(HashingEmbedder()) is None  # cheaper to compute than to look up
    assert open_store(CountingModel()) is not None
    monkeypatch.setenv("FIDELITY_NO_CACHE", "1")
    assert open_store(CountingModel()) is None
    assert CachedEmbedder(CountingModel()).store is None


@pytest.mark.parametrize(
    "content",
    [b"this is not a database at all\n" * 100, b"SQLite format 3\x00" + b"\xff" * 4000, b""],
    ids=["text", "damaged-header", "empty"],
)
def test_damaged_file_is_replaced_and_the_run_goes_on(tmp_path, content):
    (tmp_path / FILE_NAME).write_bytes(content)
    store = VectorStore(tmp_path, "m-1")
    store.put_many(["one"], HashingEmbedder().encode(["one"]))
    assert set(VectorStore(tmp_path, "m-1").get_many(["one"])) == {"one"}


def test_foreign_sqlite_file_is_replaced(tmp_path):
    db = sqlite3.connect(tmp_path / FILE_NAME)
    db.execute("CREATE TABLE vectors (x TEXT)")  # same table name, someone else's schema
    db.execute("INSERT INTO vectors VALUES ('theirs')")
    db.commit()
    db.close()
    store = VectorStore(tmp_path, "m-1")
    store.put_many(["one"], HashingEmbedder().encode(["one"]))
    assert set(store.get_many(["one"])) == {"one"}


def test_unusable_cache_directory_switches_the_cache_off(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    store = VectorStore(blocker, "m-1")
    store.put_many(["one"], HashingEmbedder().encode(["one"]))  # no exception
    assert store.get_many(["one"]) == {}


def _writer(directory: str, worker: int, texts: list[str]) -> int:
    from pathlib import Path

    store = VectorStore(Path(directory), "m-1")
    embedder = HashingEmbedder()
    for start in range(0, len(texts), 7):  # many small transactions, interleaved with the others
        part = texts[start : start + 7]
        store.get_many(part)
        store.put_many(part, embedder.encode(part))
    return store.writes


def test_concurrent_processes_write_one_file(tmp_path):
    texts = [f"sentence number {i}" for i in range(300)]
    # each worker writes an overlapping slice, so inserts of one key race
    slices = [texts[i * 50 : i * 50 + 150] for i in range(4)]
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        writes = pool.starmap(_writer, [(str(tmp_path), i, s) for i, s in enumerate(slices)])
    assert writes == [150, 150, 150, 150]  # no worker lost its cache to an error
    found = VectorStore(tmp_path, "m-1").get_many(texts[:300])
    assert len(found) == 300
    expected = HashingEmbedder().encode(texts[:300])
    assert all(found[t].tobytes() == expected[i].tobytes() for i, t in enumerate(texts[:300]))


def test_diff_json_is_the_same_cold_warm_uncached_and_with_a_damaged_cache(seeds, tmp_path, monkeypatch):
    monkeypatch.delenv("FIDELITY_NO_CACHE", raising=False)
    # the options set these two for the process: recorded here so that they are restored after
    monkeypatch.setenv("FIDELITY_CACHE_DIR", str(tmp_path / "unused"))
    runner = CliRunner()
    cache = tmp_path / "cache"
    args = ["diff", str(seeds["original"]), str(seeds["retranslated"]), "-f", "json"]

    def run(*extra: str) -> str:
        result = runner.invoke(app, [*args, *extra])
        assert result.exit_code in (0, 1), result.output
        return result.stdout

    cold = run("--cache-dir", str(cache))
    assert (cache / FILE_NAME).stat().st_size > 0
    warm = run("--cache-dir", str(cache))
    (cache / FILE_NAME).write_bytes(b"\x00garbage" * 512)
    damaged = run("--cache-dir", str(cache))
    uncached = run("--no-cache")
    assert cold == warm == uncached == damaged
    assert '"findings"' in cold


def test_blobs_round_trip_and_belong_to_one_model_signature(tmp_path):
    store = VectorStore(tmp_path, "m-1")
    assert store.get_blob("kind", b"key") is None
    store.put_blob("kind", b"key", b"value")
    store.put_blob("kind", b"key", b"second")  # the first value stays
    assert VectorStore(tmp_path, "m-1").get_blob("kind", b"key") == b"value"
    assert VectorStore(tmp_path, "m-1").get_blob("other", b"key") is None
    assert VectorStore(tmp_path, "m-2").get_blob("kind", b"key") is None


def test_a_file_without_the_blobs_table_gets_one_and_keeps_its_vectors(tmp_path):
    store = VectorStore(tmp_path, "m-1")
    store.put_many(["one"], HashingEmbedder().encode(["one"]))
    store.close()
    db = sqlite3.connect(tmp_path / FILE_NAME)
    db.execute("DROP TABLE blobs")  # as a file written before the table existed
    db.commit()
    db.close()
    again = VectorStore(tmp_path, "m-1")
    assert set(again.get_many(["one"])) == {"one"}
    again.put_blob("kind", b"key", b"value")
    assert again.get_blob("kind", b"key") == b"value"


def test_calibration_is_read_back_and_the_alignment_is_the_same(tmp_path, monkeypatch):
    from fidelity import align as align_module
    from fidelity.extract import extract
    from fidelity.segment import segment

    original = segment(extract("o", text="The council met on Monday. It voted on the budget.\n\nRain fell all week. The river rose."))
    copy = segment(extract("c", text="Rain fell all week. The council met on Monday.\n\nIt voted on the new budget. The river rose fast."))
    model = HashingEmbedder()
    e_o, e_c = model.encode([s.text for s in original]), model.encode([s.text for s in copy])
    plain = align_module.align(original, copy, e_o, e_c)
    store = VectorStore(tmp_path, "m-1")
    first = align_module.align(original, copy, e_o, e_c, memo=store)
    assert store.writes == 1

    def refuse(*args, **kwargs):
        raise AssertionError("calibrated again although the cache holds it")

    monkeypatch.setattr(align_module._Features, "calibrate", refuse)
    second = align_module.align(original, copy, e_o, e_c, memo=VectorStore(tmp_path, "m-1"))
    assert plain == first == second
    with pytest.raises(AssertionError):  # other vectors are another key
        align_module.align(original, copy, e_o, model.encode([s.text + " x" for s in copy]), memo=store)


def test_report_values_round_trip_and_damaged_ones_are_refused(seeds):
    from fidelity.cache import dump_value, load_value
    from fidelity.extract import extract
    from fidelity.pipeline import Options, compare

    report = compare(extract(seeds["original"]), extract(seeds["retranslated"]), options=Options(model="hashing"))
    bare = replace(report, original_doc=None, copy_doc=None)
    assert report.findings  # something to round-trip
    assert load_value(dump_value(bare)) == bare
    with pytest.raises(ValueError):
        load_value(b"\x00garbage")
    with pytest.raises(ValueError):
        load_value(zlib.compress(b'{"@": "NoSuchType"}'))


def test_a_second_check_reads_each_report_and_a_changed_input_or_option_does_not(seeds, tmp_path, monkeypatch):
    from fidelity import pipeline

    monkeypatch.delenv("FIDELITY_NO_CACHE", raising=False)
    monkeypatch.setenv("FIDELITY_CACHE_DIR", str(tmp_path / "unused"))
    renamed = tmp_path / "renamed-copy.txt"
    renamed.write_bytes(seeds["retranslated"].read_bytes())
    runner = CliRunner()
    cache = ["--cache-dir", str(tmp_path / "cache")]

    def run(*args: str) -> str:
        result = runner.invoke(app, [*args, *cache])
        assert result.exit_code in (0, 1), result.output
        return result.stdout

    first = run("diff", str(seeds["original"]), str(seeds["retranslated"]), "-f", "json")
    computed = []
    real = pipeline.compare_with_evidence
    monkeypatch.setattr(pipeline, "compare_with_evidence", lambda *a, **k: computed.append(1) or real(*a, **k))
    assert run("diff", str(seeds["original"]), str(seeds["retranslated"]), "-f", "json") == first
    assert computed == []
    # the same texts under another name: read back, with the name at hand
    again = run("diff", str(seeds["original"]), str(renamed), "-f", "json")
    assert computed == []
    assert again == first.replace(str(seeds["retranslated"]), str(renamed))
    run("diff", str(seeds["original"]), str(seeds["retranslated"]), "-f", "json", "--ignore", "wording")
    assert computed == [1]


def test_trim_forgets_the_oldest_vectors_only():
    model = CountingModel()
    embedder = CachedEmbedder(model, persistent=False)
    first = embedder.encode(["a", "b", "c"])
    embedder.trim(2)
    again = embedder.encode(["b", "c", "a"])
    assert model.seen == ["a", "b", "c", "a"]  # "a" was forgotten and embedded again
    assert again[2].tobytes() == first[0].tobytes()
    embedder.trim(10)  # nothing to forget
    embedder.encode(["b", "c", "a"])
    assert len(model.seen) == 4


def test_parses_are_read_back_and_give_the_same_report(seeds, tmp_path, monkeypatch):
    from collections import OrderedDict

    from fidelity import nlp

    monkeypatch.delenv("FIDELITY_NO_CACHE", raising=False)
    monkeypatch.setenv("FIDELITY_CACHE_DIR", str(tmp_path / "unused"))
    touched = tmp_path / "touched.txt"  # new report key, same sentences
    touched.write_text(seeds["retranslated"].read_text(encoding="utf-8") + "\n", encoding="utf-8")
    runner = CliRunner()
    spacy_pipeline = nlp._nlp()
    parsed: list[str] = []

    class Counting:
        def __getattr__(self, name):
            return getattr(spacy_pipeline, name)

        def pipe(self, texts, **kwargs):
            parsed.extend(texts)
            return spacy_pipeline.pipe(texts, **kwargs)

    monkeypatch.setattr(nlp, "_nlp", Counting)

    def run(copy, *extra: str) -> str:
        monkeypatch.setattr(nlp, "_parsed", OrderedDict())  # nothing from an earlier run in this process
        result = runner.invoke(app, ["diff", str(seeds["original"]), str(copy), "-f", "json", *extra])
        assert result.exit_code in (0, 1), result.output
        return result.stdout

    run(seeds["retranslated"], "--cache-dir", str(tmp_path / "cache"))
    assert parsed
    parsed.clear()
    warm = run(touched, "--cache-dir", str(tmp_path / "cache"))
    assert parsed == []  # every parse read back
    assert warm == run(touched, "--no-cache")
    assert parsed  # the uncached run parsed
