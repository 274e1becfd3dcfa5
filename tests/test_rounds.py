"""fidelity.rounds: tasks take turns so that the texts they send the model go in one call a round;
results in task order, errors in their place, a failed round falls back to each task's own call,
and a batch run through rounds gives the records of comparing each pair on its own."""

from __future__ import annotations

import json

import pytest

from fidelity.batch import BatchResult, read_pairs, record, run_batch
from fidelity.embed import CachedEmbedder, HashingEmbedder
from fidelity.extract import extract
from fidelity.pipeline import Options, compare
from fidelity.rounds import in_rounds
from fidelity.thresholds import Thresholds


class CallsEmbedder(HashingEmbedder):
    """HashingEmbedder that records the texts of every model call; ``fail_on`` makes a call
    holding that text raise."""

    def __init__(self, fail_on: str | None = None) -> None:
        super().__init__()
        self.calls: list[list[str]] = []
        self.fail_on = fail_on

    def encode(self, texts):  # type: ignore[override]
        self.calls.append(list(texts))
        if self.fail_on is not None and self.fail_on in texts:
            raise RuntimeError(f"cannot embed {self.fail_on!r}")
        return super().encode(texts)


def steps(embedder: CachedEmbedder, name: str, count: int):
    """A task that asks for ``count`` texts one call after another (each depends on the last)."""

    def task() -> str:
        for k in range(count):
            embedder.encode([f"{name} step {k}"])
        return name

    return task


def test_each_round_sends_every_waiting_task_text_in_one_call():
    inner = CallsEmbedder()
    embedder = CachedEmbedder(inner, persistent=False)
    embedder.encode(["a step 0"])  # already cached: task a does not wait for it
    out = list(in_rounds([steps(embedder, "a", 2), steps(embedder, "b", 3), steps(embedder, "c", 1)], embedder))
    assert out == ["a", "b", "c"]
    assert inner.calls[1:] == [["a step 1", "b step 0", "c step 0"], ["b step 1"], ["b step 2"]]
    assert embedder.before_model is None  # the hook is taken out after the run


def test_an_error_is_raised_in_its_place_after_the_results_before_it():
    embedder = CachedEmbedder(CallsEmbedder(), persistent=False)

    def broken() -> str:
        embedder.encode(["x"])
        raise ValueError("task failed")

    results = in_rounds([steps(embedder, "a", 1), broken, steps(embedder, "c", 1)], embedder)
    assert next(results) == "a"
    with pytest.raises(ValueError, match="task failed"):
        next(results)


def test_a_failed_round_leaves_each_task_to_embed_its_own_texts():
    inner = CallsEmbedder(fail_on="b step 0")
    embedder = CachedEmbedder(inner, persistent=False)

    def guarded(name: str):
        task = steps(embedder, name, 2)

        def run() -> str:
            try:
                return task()
            except RuntimeError as exc:
                return str(exc)

        return run

    out = list(in_rounds([guarded("a"), guarded("b"), guarded("c")], embedder))
    assert out == ["a", "cannot embed 'b step 0'", "c"]
    assert ["a step 1"] in inner.calls and ["c step 1"] in inner.calls  # after the failure: one call per task


def test_stopping_early_ends_the_waiting_tasks_and_removes_the_hook():
    embedder = CachedEmbedder(CallsEmbedder(), persistent=False)
    results = in_rounds([steps(embedder, name, 3) for name in "abc"], embedder)
    assert next(results) == "a"
    results.close()
    assert embedder.before_model is None
    assert embedder.encode(["later"]).shape == (1, 512)  # embeds directly again


def test_batch_records_are_those_of_each_pair_compared_alone(monkeypatch):
    """The drift rule's variants of the whole chunk go in a few round calls, not one call per
    pair; with an embedder whose vectors do not depend on their batch, every record is the one
    that ``compare`` gives the pair on its own."""
    import fidelity.batch as batch_mod

    subjects = ["His research", "The study", "Her report", "The survey", "Their analysis", "The audit"]
    claims = ["the policy reduced crime in the city", "the river flooded the valley twice"]
    pairs = [(f"{s} shows that {c}.", f"{s} that officials say {c}.") for s in subjects for c in claims]  # a verb lost
    lines = [json.dumps({"id": k, "original": o, "copy": c}).encode() for k, (o, c) in enumerate(pairs)]
    options = Options(model="hashing", thresholds=Thresholds(model_minor=0.3))  # a lower bar: drift findings with spans to compare

    def run(round_pairs: int) -> tuple[list[dict], list[list[str]]]:
        monkeypatch.setattr(batch_mod, "ROUND_PAIRS", round_pairs)
        inner = CallsEmbedder()
        out = list(run_batch(read_pairs(lines), options=options, embedder=CachedEmbedder(inner, persistent=False)))
        assert all(isinstance(o, BatchResult) for o in out)
        return [record(o) for o in out], inner.calls

    together, calls = run(64)
    one_by_one, calls_alone = run(1)
    alone = [record(BatchResult(k, k, compare(extract(f"{k}:original", text=o), extract(f"{k}:copy", text=c), options=options, embedder=CachedEmbedder(HashingEmbedder(), persistent=False)))) for k, (o, c) in enumerate(pairs)]
    assert together == one_by_one == alone
    # the chunk's sentences, then each pair's variants in calls of its own: the severity model's
    # (one a pair), then the span's others for a pair the drift rule may report (drift.recover)
    assert len(calls_alone) > 3
    assert len(calls) == 3  # the chunk's sentences, then every pair's variants of each kind in one call
    assert sorted(t for c in calls[1:] for t in c) == sorted(t for c in calls_alone[1:] for t in c)
    assert any(f["rule"] == "drift" for r in together for f in r["findings"])  # the variants were read


def test_batch_through_rounds_with_the_persistent_cache(tmp_path, monkeypatch):
    """With the persistent cache on, the rounds' texts are stored like any others: a second run
    reads everything back (no model call) and writes the same records."""
    monkeypatch.setenv("FIDELITY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("FIDELITY_NO_CACHE", raising=False)

    class Stored(CallsEmbedder):
        name = "hashing-stored"  # the hashing model itself is never cached

    subjects = ["His research", "The study", "Her report", "The survey"]
    lines = [json.dumps({"id": k, "original": f"{s} shows that the river flooded the valley twice.", "copy": f"{s} that officials say the river flooded the valley twice."}).encode() for k, s in enumerate(subjects)]

    def run() -> tuple[list[dict], list[list[str]]]:
        inner = Stored()
        embedder = CachedEmbedder(inner)
        assert embedder.store is not None
        out = [record(o) for o in run_batch(read_pairs(lines), options=Options(model="hashing"), embedder=embedder)]
        return out, inner.calls

    first, calls = run()
    again, calls_again = run()
    assert len(calls) == 2 and calls_again == []
    assert again == first
