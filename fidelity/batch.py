"""Many comparisons in one run: JSONL lines in, one result (or one error) per line out.

    read_pairs(path) -> Iterator[PairInput | BatchError]          (parse, never raise per line)
    run_batch(inputs, options=...) -> Iterator[BatchResult | BatchError]   (input order kept)
    record(result_or_error) -> dict                                 (one output JSON line)

Each input line is a JSON object ``{"id", "original", "copy"}`` with texts, or with
``original_path`` / ``copy_path`` instead of a text (relative paths resolve against the
directory of the input file). A line that cannot be used (bad JSON, missing or doubled
keys, unreadable path, empty text) becomes a ``BatchError`` naming its line number; the
run goes on. Output records have the meaning of the JSON report (``fidelity.report.json``).

Speed: one ``CachedEmbedder`` serves the whole run, and each chunk of input lines has the
distinct sentences of all its documents embedded in one model call before the pairs are
compared, so ``compare()`` itself finds every sentence vector in the cache. A text repeated
across lines is embedded once while its vector is among the last ``KEEP_VECTORS`` kept
(about 1.5 KB a sentence with MiniLM), so memory does not grow with the number of rows.
Likewise the chunk's sentences that the checks may parse (those without an identical twin on
the other side of their pair) go through spaCy in one ``nlp.parse`` batch, cached by text in
``fidelity.nlp`` (and in the persistent cache when it is on); every ``ZONE_CHUNKS`` chunks spaCy
forgets the words it first met in them, and their parses (``nlp.forgetting``, spaCy's memory
zone), so its vocabulary does not grow with the run either. What the pairs embed later (the
drift rule's recovery variants, the texts of merged groups) is gathered across ``ROUND_PAIRS``
pairs into one model call a round (``fidelity.rounds``), not one small call a pair.

Quiet library: returns data, never prints or exits.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fidelity import nlp
from fidelity.embed import CachedEmbedder, Embedder, get_embedder, initial_model
from fidelity.errors import FidelityError, InputError
from fidelity.limits import MAX_BATCH_LINE_BYTES, loads_json, same_file
from fidelity.pipeline import Options, compare, cross_lingual, embedder_for, resolve, segmenter_languages
from fidelity.rounds import in_rounds
from fidelity.types import Document, Report

PairId = str | int
_DEFAULT_OPTIONS = Options()  # frozen: safe to share as a default

DEFAULT_CHUNK = 512
"""Input lines whose sentences are embedded together: large enough that the model works
in full batches, small enough that results start flowing (and memory stays flat) early."""


@dataclass(frozen=True)
class PairInput:
    """One usable input line: each side is a text or a path (exactly one of the two)."""

    line: int  # 1-based line number in the input
    id: PairId
    original_text: str | None = None
    original_path: Path | None = None
    copy_text: str | None = None
    copy_path: Path | None = None


@dataclass(frozen=True)
class BatchError:
    """A line that produced no result, and why (one line, names the problem)."""

    line: int
    id: PairId | None
    message: str
    internal: bool = False  # True when a bug (not the input) stopped this pair
    names_output: bool = False  # True when the line names the results' own file as a document


@dataclass(frozen=True)
class BatchResult:
    line: int
    id: PairId
    report: Report


# --- reading -------------------------------------------------------------------------


def overlong(number: int) -> BatchError:
    """The error row of a line that ``fidelity.limits.lines`` cut for being over ``MAX_BATCH_LINE_BYTES``."""
    return BatchError(number, None, f"line longer than the {MAX_BATCH_LINE_BYTES // (1024 * 1024)} MiB limit")


def read_pairs(lines: Iterable[bytes | None], *, base: Path | None = None, output: Path | None = None) -> Iterator[PairInput | BatchError]:
    """Parse JSONL input lines; blank lines are skipped, every other line yields one item.

    ``base`` is the directory that relative ``*_path`` values resolve against (the input
    file's directory; ``None`` for the current directory). A ``None`` line stands for one
    that ``fidelity.limits.lines`` cut for being over ``MAX_BATCH_LINE_BYTES``. ``output``:
    the file the results go to; a line that names it as a document is an error row marked
    ``names_output`` (the CLI then keeps that file and writes nothing).
    """
    for number, raw in enumerate(lines, start=1):
        if raw is None:
            yield overlong(number)
            continue
        if not raw.strip():
            continue
        yield parse_line(raw, number, base=base, output=output)


def parse_line(raw: bytes | str, number: int, *, base: Path | None = None, output: Path | None = None) -> PairInput | BatchError:
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        return BatchError(number, None, f"not UTF-8 (byte {exc.start})")
    try:
        obj = loads_json(text)
    except ValueError as exc:
        return BatchError(number, None, str(exc))
    if not isinstance(obj, dict):
        return BatchError(number, None, f"expected a JSON object, got {_json_type(obj)}")
    if "id" not in obj or obj["id"] is None:
        return BatchError(number, None, 'missing "id" (a string or an integer)')
    pair_id = obj["id"]
    if isinstance(pair_id, bool) or not isinstance(pair_id, (str, int)):
        return BatchError(number, None, f'"id" must be a string or an integer, got {_json_type(pair_id)}')
    sides: dict[str, tuple[str | None, Path | None]] = {}
    for side in ("original", "copy"):
        text_value, path_value = obj.get(side), obj.get(f"{side}_path")
        if text_value is not None and path_value is not None:
            return BatchError(number, pair_id, f'give "{side}" or "{side}_path", not both')
        if text_value is None and path_value is None:
            return BatchError(number, pair_id, f'missing "{side}" (a text) or "{side}_path" (a file)')
        if text_value is not None and not isinstance(text_value, str):
            return BatchError(number, pair_id, f'"{side}" must be a string, got {_json_type(text_value)}')
        if path_value is not None and not (isinstance(path_value, str) and path_value):
            return BatchError(number, pair_id, f'"{side}_path" must be a non-empty string')
        path = None
        if path_value is not None:
            path = Path(path_value).expanduser()
            if base is not None and not path.is_absolute():
                path = base / path
            if output is not None and same_file(path, output):
                return BatchError(number, pair_id, f'"{side}_path" is the --output file, which the results would replace', names_output=True)
        sides[side] = (text_value, path)
    return PairInput(number, pair_id, sides["original"][0], sides["original"][1], sides["copy"][0], sides["copy"][1])


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", int: "an integer", float: "a number with a fraction"}
    return names.get(type(value), type(value).__name__)


# --- running -------------------------------------------------------------------------


def run_batch(
    inputs: Iterable[PairInput | BatchError],
    *,
    options: Options = _DEFAULT_OPTIONS,
    embedder: Embedder | None = None,
    keep_boilerplate: bool = False,
    chunk_size: int = DEFAULT_CHUNK,
    jobs: int = 1,
    on_item: Callable[[BatchResult | BatchError], None] | None = None,
) -> Iterator[BatchResult | BatchError]:
    """Compare every pair, in input order; errors pass through in their place.

    ``embedder`` should be a ``CachedEmbedder`` shared with anything else the caller embeds
    (one is made from ``options.model`` when omitted). ``on_item`` is called after each item
    (progress bars). A ``FidelityError`` on one pair becomes its ``BatchError``; any other
    exception does too, marked ``internal``, so one bad pair never loses the others.

    ``jobs`` > 1 compares chunks in that many worker processes (results still in input
    order). Each worker has its own model and cache, so a text repeated in chunks of two
    workers is embedded once per worker; ``embedder`` is then not used (the workers build
    theirs from ``options.model``).
    """
    if jobs > 1:
        yield from _run_parallel(inputs, options, keep_boilerplate, chunk_size, jobs, on_item)
        return
    cached = (
        embedder if isinstance(embedder, CachedEmbedder) else CachedEmbedder(embedder or get_embedder(initial_model(options.model)))
    )
    chunks = _chunks(inputs, chunk_size)
    for first in chunks:
        # ZONE_CHUNKS chunks in one ``nlp.forgetting`` block: at its end spaCy forgets the words
        # they brought and their parses. Results are handed out inside the block; no report
        # holds a spaCy object, and nothing that reads them parses.
        with nlp.forgetting():
            for chunk in itertools.chain([first], itertools.islice(chunks, ZONE_CHUNKS - 1)):
                cached.trim(KEEP_VECTORS)
                release_freed_memory()
                yield from _run_chunk(chunk, options, cached, keep_boilerplate, on_item)


ZONE_CHUNKS = 8
"""Chunks compared in one ``nlp.forgetting`` block (spaCy's memory zone), after which spaCy
forgets the words first met in them and their parses, so its vocabulary does not grow with
the run (docs/performance.md, Memory). Not one block a chunk: a parse made in a block dies
with it, and a text that recurs across chunks (an original checked against many copies) is
then parsed again; the parse cache holds about two chunks' sentences (``PARSE_CACHE_MAX``), so
eight chunks a block keep nearly all of those hits. With a block a chunk, 40,000 DEMETR rows
took 17% more CPU (hashing model); the words met in eight chunks are a few MB at most."""


KEEP_VECTORS = 50_000
"""Sentence vectors kept between chunks (about 75 MB with MiniLM): texts that recur across a
long run are embedded once, while memory stays flat in the number of rows."""

CHUNK_CHARS = 32 * 1024 * 1024
"""A chunk is also cut when its texts reach this many characters, so memory stays bounded
whatever the lines hold (512 lines of 10 MiB texts would otherwise be held at once)."""


def release_freed_memory() -> None:
    """Give the pages that freed memory leaves in the heap back to the operating system
    (glibc's ``malloc_trim(0)``); a no-op where the C library has no such call.

    A chunk's spaCy batch and the aligner's and encoder's arrays free hundreds of MB of
    short-lived blocks; glibc keeps those pages mapped inside its heap, where the next
    chunk's differently sized blocks fit only in part, so without this the resident size
    kept growing with the number of rows long after every bounded cache was full
    (docs/performance.md, Memory). Called between chunks: it costs a few milliseconds."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None).malloc_trim  # type: ignore[no-any-return]  # glibc; musl has none
    except (OSError, AttributeError):
        return None


def _chunks(inputs: Iterable[PairInput | BatchError], chunk_size: int) -> Iterator[list[PairInput | BatchError]]:
    chunk: list[PairInput | BatchError] = []
    chars = 0
    for item in inputs:
        chunk.append(item)
        if isinstance(item, PairInput):
            chars += len(item.original_text or "") + len(item.copy_text or "")
        if len(chunk) >= chunk_size or chars >= CHUNK_CHARS:
            yield chunk
            chunk, chars = [], 0
    if chunk:
        yield chunk


def _run_chunk(
    chunk: list[PairInput | BatchError],
    options: Options,
    embedder: CachedEmbedder,
    keep_boilerplate: bool,
    on_item: Callable[[BatchResult | BatchError], None] | None,
) -> Iterator[BatchResult | BatchError]:
    from fidelity.segment import segment

    loaded: list[tuple[PairInput, Document, Document, Options] | BatchError] = []  # each pair with its resolved options
    texts: dict[str, dict[str, None]] = {}  # model -> ordered set of the chunk's sentences it embeds
    to_parse: dict[str, None] = {}  # the sentences that have no identical twin on the other side
    for item in chunk:
        if isinstance(item, BatchError):
            loaded.append(item)
            continue
        try:
            doc_o = _document(item, "original", keep_boilerplate)
            doc_c = _document(item, "copy", keep_boilerplate)
            resolved = resolve(doc_o, doc_c, options)  # each pair's languages and model (compare does the same)
            lang_o, lang_c = segmenter_languages(resolved)
            sents_o = [s.text for s in segment(doc_o, language=lang_o, split=options.split)]
            sents_c = [s.text for s in segment(doc_c, language=lang_c, split=options.split)]
        except FidelityError as exc:
            loaded.append(BatchError(item.line, item.id, str(exc)))
            continue
        except Exception as exc:  # a bug on one pair must not lose the run; reported as internal
            loaded.append(BatchError(item.line, item.id, _internal(exc), internal=True))
            continue
        texts.setdefault(embedder_for(options.model, resolved, embedder).name, {}).update(dict.fromkeys(sents_o + sents_c))
        if cross_lingual(resolved):
            loaded.append((item, doc_o, doc_c, resolved))
            continue  # between two languages no rule parses
        # The checks parse only pairs whose words differ; a sentence repeated verbatim on the
        # other side almost never is one, so it is not worth parsing ahead.
        set_o, set_c = set(sents_o), set(sents_c)
        to_parse.update(dict.fromkeys(t for t in sents_o if t not in set_c))
        to_parse.update(dict.fromkeys(t for t in sents_c if t not in set_o))
        loaded.append((item, doc_o, doc_c, resolved))
    # Embedding and parsing the whole chunk ahead is only a speed-up: if it fails (one pair's
    # text trips a bug), each pair is embedded and parsed on its own below, and only the pair
    # at fault becomes an error row.
    try:
        for model, model_texts in texts.items():
            embedder.sibling(model).encode(list(model_texts))  # one model call for the chunk; compare() then hits the cache
        if to_parse and _parses(options):
            # One spaCy batch for the chunk instead of one per pair: compare() then finds every
            # 1:1 pair's text in nlp's cache (a merged n:m group is still parsed on demand).
            nlp.parse(list(to_parse)[: nlp.PARSE_CACHE_MAX // 2], memo=embedder.store)
    except Exception:
        pass  # see above: retried pair by pair
    # The pairs' later encoder calls (the drift rule's recovery variants, merged groups' texts)
    # go to the model together, one call a round for ROUND_PAIRS pairs (fidelity.rounds).
    for start in range(0, len(loaded), ROUND_PAIRS):
        tasks = [functools.partial(_compare_entry, entry, options, embedder) for entry in loaded[start : start + ROUND_PAIRS]]
        for out in in_rounds(tasks, embedder):
            if on_item is not None:
                on_item(out)
            yield out


ROUND_PAIRS = 64
"""Pairs whose later encoder calls are gathered into one model call a round. A waiting pair
holds its comparison in memory, so this bounds what is in flight; on DEMETR rows 64 pairs send
the model about 65 recovery variants a round, past which a bigger call saved little CPU and
cost memory (512: 70 MiB more; docs/performance.md)."""


def _compare_entry(
    entry: tuple[PairInput, Document, Document, Options] | BatchError, options: Options, embedder: CachedEmbedder
) -> BatchResult | BatchError:
    """One pair compared with the options ``_run_chunk`` resolved for it (languages and model
    told once), on the embedder ``compare`` itself would choose from the run's ``options``."""
    if isinstance(entry, BatchError):
        return entry
    item, doc_o, doc_c, resolved = entry
    try:
        chosen = embedder_for(options.model, resolved, embedder)
        return BatchResult(item.line, item.id, compare(doc_o, doc_c, options=resolved, embedder=chosen))
    except FidelityError as exc:
        return BatchError(item.line, item.id, str(exc))
    except Exception as exc:  # a bug on one pair must not lose the run; reported as internal
        return BatchError(item.line, item.id, _internal(exc), internal=True)


def _internal(exc: Exception) -> str:
    first = (str(exc).strip().splitlines() or ["no message"])[0][:200]
    return f"internal error ({type(exc).__name__}: {first}); this is a bug in fidelity, please report it"


def _parses(options: Options) -> bool:
    """True when a selected rule reads the shared evidence, which parses pairs with spaCy (and
    spaCy is installed). Only decides whether a chunk is parsed ahead."""
    from fidelity.rules import selected

    return any(c.needs_evidence for c in selected(options.select, options.ignore)) and nlp.spacy_available()


_worker: dict[str, Any] = {}


def _worker_init(options: Options, keep_boilerplate: bool) -> None:
    _worker.update(options=options, keep=keep_boilerplate, embedder=CachedEmbedder(get_embedder(initial_model(options.model))),
                   chunks=0, zone=contextlib.ExitStack())  # the worker's open ``nlp.forgetting`` block, across calls


def _worker_chunk(chunk: list[PairInput | BatchError]) -> list[BatchResult | BatchError]:
    _worker["embedder"].trim(KEEP_VECTORS)
    release_freed_memory()
    if _worker["chunks"] % ZONE_CHUNKS == 0:  # a worker's chunks share ``nlp.forgetting`` blocks as run_batch's do
        _worker["zone"].close()
        _worker["zone"].enter_context(nlp.forgetting())
    _worker["chunks"] += 1
    return list(_run_chunk(chunk, _worker["options"], _worker["embedder"], _worker["keep"], None))


def _run_parallel(
    inputs: Iterable[PairInput | BatchError],
    options: Options,
    keep_boilerplate: bool,
    chunk_size: int,
    jobs: int,
    on_item: Callable[[BatchResult | BatchError], None] | None,
) -> Iterator[BatchResult | BatchError]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: a forked child would inherit the parent's model threads and locks
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_worker_init, initargs=(options, keep_boilerplate)
    ) as pool:
        pending = []
        for chunk in _chunks(inputs, chunk_size):
            pending.append(pool.submit(_worker_chunk, chunk))
            # keep at most two chunks a worker in flight: memory stays flat on long inputs
            while len(pending) > 2 * jobs or (pending and pending[0].done()):
                yield from _deliver(pending.pop(0).result(), on_item)
        for future in pending:
            yield from _deliver(future.result(), on_item)


def _deliver(
    results: list[BatchResult | BatchError], on_item: Callable[[BatchResult | BatchError], None] | None
) -> Iterator[BatchResult | BatchError]:
    for out in results:
        if on_item is not None:
            on_item(out)
        yield out


def _document(item: PairInput, side: str, keep_boilerplate: bool) -> Document:
    from fidelity.extract import extract

    text: str | None = getattr(item, f"{side}_text")
    path: Path | None = getattr(item, f"{side}_path")
    name = f"{item.id}:{side}"
    if text is not None:
        if not text.strip():
            raise InputError(f"{side} of id {item.id!r}", "is empty or contains only whitespace")
        return extract(name, text=text, keep_boilerplate=keep_boilerplate)
    if path is None:  # parse_line guarantees one of text or path
        raise InputError(f"{side} of id {item.id!r}", "has neither a text nor a path")
    return extract(path, keep_boilerplate=keep_boilerplate)


# --- writing -------------------------------------------------------------------------


def record(item: BatchResult | BatchError) -> dict[str, Any]:
    """One output line: ``{"id", "score", "verdict", "counts", "findings", "signature"}``, or
    for a line that produced no result ``{"id", "line", "error"}``."""
    from fidelity.report.json import finding_dict

    if isinstance(item, BatchError):
        return {"id": item.id, "line": item.line, "error": item.message}
    report = item.report
    return {
        "id": item.id,
        "score": report.score,
        "verdict": report.verdict.value,
        "counts": report.counts,
        "findings": [finding_dict(f) for f in report.findings],
        "signature": report.signature,
    }
