"""Stage 4, align: two sentence lists and their embeddings -> ``Alignment``.

(Over 600 lines on purpose: the dynamic programme, its per-document calibration, the coarse
band search and the move pass share the features, the calibration and their settings; the DP's
group cost is its own small functions: ``_Calibration.distance``, ``_group_cost``,
``_skip_cost``, ``_Features.length_mismatch``.)

In: the sentences of both sides (``Sentence.norm`` gives the lexical evidence) and their
L2-normalised embeddings, shapes (n, d) and (m, d). Out: an ``Alignment`` whose groups
cover every sentence of both sides exactly once, in reading order.

How it works (details and measured quality in docs/alignment.md):

1. Similarity of two groups = ``emb_weight`` x cosine of their averaged embeddings (or of the
   embeddings of their joined texts, given overlap vectors) + (1 - ``emb_weight``) x cosine
   of their idf-weighted character 3-gram counts. The lexical part catches changed names and
   numbers that a sentence embedding smooths over.
2. Per document: each run's mean similarity to random runs of the other side, the typical
   best 1:1 match, and from them the normalised distance of two runs
   ``d = (1 - s) / (1 - near)`` (Vecalign: 0 identical, 1 as far apart as random text) and
   the skip cost, ``max(skip_cost, skip_scale x the typical match's distance)``, so a free
   translation pairs what a close copy leaves out.
3. A monotonic dynamic programme over groups of up to ``max_group`` sentences a side and
   ``max_size`` in all, cost ``d x (a + b - 1) + group_penalty x (a + b - 2)`` plus
   ``length_penalty`` x |log| of the sides' length ratio (relative to the pair's typical one) and
   ``paragraph_penalty`` per paragraph boundary inside a side; nothing beyond
   ``max_distance`` is paired; a heading only ever pairs 1:1 (one heading left on each side
   between the same two groups is paired). Run in a band around a coarse path
   (Vecalign-style coarse-to-fine) for long documents, so time and memory grow about
   linearly: nothing of size n x m is ever built past ``full_limit`` cells. Then a second
   pass (after Bertalign's two-step search): the 1:1 groups are anchors, and each span
   between two of them is aligned again with groups of up to ``anchor_group`` a side and
   ``anchor_size`` in all.
4. Moves: first a left-over sentence whose text (or, failing that, whose words) occurs once
   in each document, its twin left over too, is paired with that twin (verbatim anchors).
   Then omission runs are paired with addition runs elsewhere and aligned; what matches
   well (the calibrated similarity ``z = (s - background) / (typical - background)`` of the
   group reaches ``move_min``) becomes a group. Before that, a group of the monotonic pass is released when one of
   its sentences matches a left-over sentence better than the group holds together (in a
   reordered text the pass pairs neighbours that have nothing to do with each other, which
   keeps the true counterpart of each out of reach); a released group that nothing better
   claims is put back as it was. Then the heaviest in-order chain of groups (weighted by
   characters) stays ``match`` and every group that crosses it is ``moved``.
5. Splits: a group of two or more sentences a side whose consecutive parts each match on
   their own (``move_min``) and together cost no more, uncapped, is those parts.
6. Trims: a sentence at the edge of a group of three or more that the group reads much closer
   without (``trim_gain``: a caption, a "Literature:" line, OCR debris absorbed because
   leaving it out cost a free translation's high skip cost) is left out of the group.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections import Counter
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from fidelity.embed import Vectors
from fidelity.errors import ConfigError
from fidelity.types import Alignment, Group, PairKind, Sentence

if TYPE_CHECKING:
    from fidelity.cache import Memo

F32 = NDArray[np.float32]


@dataclass(frozen=True)
class AlignSettings:
    """Every parameter of the aligner, with its default and where it was set.

    The defaults were chosen on the development gold pairs in ``corpora/gold`` (edited,
    round-trip, flores-mt, long, textberg-1957), never on the seed pairs, which are held out
    (docs/alignment.md; ``corpora/tools/tune_align.py`` reruns the grids)."""

    max_group: int = 4  # largest group on each side (n:m with n, m <= 4)
    max_size: int = 5  # largest group in all, n + m: 1:4 and 2:3 but not 3:3 (Bertalign's shapes)
    emb_weight: float = 0.7  # share of embedding cosine in the similarity; the rest is char 3-grams
    skip_cost: float = 0.4  # least cost of leaving one sentence unaligned, in normalised distance units
    skip_scale: float = 1.8  # skip cost = max(skip_cost, skip_scale x this document's typical 1:1 distance)
    group_penalty: float = 0.1  # extra cost per sentence beyond 1:1, so near-identical pairs stay 1:1
    paragraph_penalty: float = 0.3  # per paragraph boundary inside one side of a group
    clause_penalty: float = 0.2  # per group boundary after a line that ends in ';' (a clause, its sentence goes on)
    max_distance: float = 1.0  # a group farther apart than this (1 = as random text) is never paired
    length_penalty: float = 0.6  # x |log length ratio| of a group's sides (Gale-Church's evidence)
    z_cap: float = 1.0  # calibrated similarity is capped here (1 = a typical best match)
    move_min: float = 0.55  # calibrated similarity a group needs to be reported as moved
    ngram_dim: int = 1024  # hashing buckets for the character 3-grams
    full_limit: int = 250_000  # above this many n x m cells, align in a band around a coarse path
    coarse_size: int = 400  # blocks per side of the coarse pass
    band_margin: int = 40  # band half-width (sentences) around the coarse path, at least
    anchor_group: int = 5  # second pass between the first pass's 1:1 groups: up to this many a side (0 = no second pass)
    anchor_size: int = 6  # and this many in all
    trim_gain: float = 0.3  # a group's edge sentence is left out when the group reads this much closer without it (0 = never)
    overlap: bool = False  # read a run as the model reads its joined text (``overlap_vectors``: more model calls)
    overlap_joined: int = 3  # with overlap: runs of up to this many sentences are joined, longer ones averaged

    def __post_init__(self) -> None:
        if not 1 <= self.max_group <= 6:
            raise ConfigError(f"max_group must be between 1 and 6, not {self.max_group}")
        if not 0 <= self.anchor_group <= 6:
            raise ConfigError(f"anchor_group must be between 0 and 6, not {self.anchor_group}")
        if not 0.0 <= self.emb_weight <= 1.0:
            raise ConfigError(f"emb_weight must be between 0 and 1, not {self.emb_weight}")

    @property
    def longest_run(self) -> int:
        """The most sentences a side any group may hold (overlap vectors need runs this long)."""
        return max(self.max_group, self.anchor_group)

    @property
    def signature(self) -> str:
        short = {"max_group": "nm", "max_size": "size", "emb_weight": "emb", "skip_cost": "skip", "skip_scale": "skipx", "group_penalty": "grp",
                 "paragraph_penalty": "par", "clause_penalty": "cls", "max_distance": "far", "length_penalty": "len", "z_cap": "cap", "move_min": "move", "ngram_dim": "ng", "full_limit": "full", "coarse_size": "coarse",
                 "band_margin": "band", "anchor_group": "anc", "anchor_size": "ancsize", "overlap": "ovl", "overlap_joined": "join", "trim_gain": "trim"}  # fmt: skip
        # a switch is named only when on (and what only it reads only with it), so signatures of runs without it read as before
        return "align:" + "-".join(
            short[f.name] if getattr(self, f.name) is True else f"{short[f.name]}{getattr(self, f.name)}"
            for f in fields(self) if getattr(self, f.name) is not False and (f.name != "overlap_joined" or self.overlap)
        )


MONOLINGUAL = AlignSettings()
"""Two texts in one language (copies, edits, syndication, two translations of one text): the
defaults, set on every gold pair of ``corpora/gold`` but the cross-lingual one."""

CROSS_LINGUAL = AlignSettings(overlap=True)
"""An original against its translation: a translator splits and joins sentences, and the model's
reading of a run's joined text (overlap vectors) pairs a regrouped sentence better than an
average of sentence vectors (textberg-1957 de vs fr strict F1 0.888 -> 0.905; runs of up to 3
sentences joined, longer ones averaged: joining up to 5 gave 0.909 for 2.5 x the model's reading,
11 x the sentences' CPU on textberg where 3 reads 6 x their tokens); within one
language it reads a caption glued to a sentence as the sentence and does worse (fr vs fr-mt
0.910 -> 0.901). A cheaper group (``group_penalty`` 0.05) won on textberg (0.915) but merged
1:1 pairs of parallel manual pages (0.936 -> 0.884 en vs de), so it is not taken
(docs/alignment.md)."""


def settings_for(languages: tuple[str, str]) -> AlignSettings:
    """The aligner's settings for a pair in these (original, copy) languages: ``CROSS_LINGUAL``
    when they differ, ``MONOLINGUAL`` otherwise (``auto`` for a side not yet told counts as
    the other side's language)."""
    lang_o, lang_c = (lang.casefold().strip() for lang in languages)
    cross = "auto" not in (lang_o, lang_c) and lang_o != lang_c
    return CROSS_LINGUAL if cross else MONOLINGUAL


def align(
    original: Sequence[Sentence],
    copy: Sequence[Sentence],
    emb_original: Vectors | None,
    emb_copy: Vectors | None,
    *,
    settings: AlignSettings = AlignSettings(),
    memo: Memo | None = None,
) -> Alignment:
    """Align ``copy`` to ``original``; see the module docstring for the method.

    ``emb_original``/``emb_copy``: sentence embeddings (n, d), or overlap embeddings
    (k, n, d) from ``overlap_vectors`` with k >= ``settings.longest_run``. ``memo`` (the
    persistent cache, ``fidelity.cache``) keeps each pair of documents' calibration across runs."""
    n, m = len(original), len(copy)
    if n == 0 or m == 0:
        groups = [Group((i,), (), "omission") for i in range(n)] + [Group((), (j,), "addition") for j in range(m)]
        return Alignment(tuple(groups), settings.signature)
    assert emb_original is not None and emb_copy is not None  # both sides have sentences
    if settings.overlap and (np.ndim(emb_original) != 3 or np.ndim(emb_copy) != 3):
        raise ConfigError("these settings read runs as joined texts (overlap): pass overlap vectors"
                          " (side_vectors(embedder, texts, settings)), not sentence vectors")
    with _one_blas_thread():
        feats = _Features.build(original, copy, emb_original, emb_copy, settings)
        calib = _calibration(feats, settings, memo)
        pairs = _pair_headings(_monotonic(feats, calib, settings), original, copy)
        pairs = _moves_with_release(feats, calib, settings, _verbatim_anchors(pairs, original, copy))
        pairs = _split_groups(feats, calib, settings, pairs)
        pairs = _trim_groups(feats, calib, settings, pairs)
        groups = _label_and_order(pairs, feats, n, m)
    return Alignment(tuple(groups), settings.signature)


def overlap_texts(texts: Sequence[str], k: int) -> list[str]:
    """The texts to embed for overlap embeddings: for s = 1..k (outer) and e = 0..n-1 (inner),
    sentences e-s+1..e joined by a space (fewer at the start). ``overlap_vectors`` reshapes."""
    return [" ".join(texts[max(0, e - s + 1) : e + 1]) for s in range(1, k + 1) for e in range(len(texts))]


OVERLAP_JOINED = 0.75  # share of the joined text's embedding in a run's overlap vector; the rest is its sentences' average


def overlap_vectors(embedder: Any, texts: Sequence[str], k: int, joined: int | None = None) -> F32:
    """Vectors of every run of 1..k consecutive sentences, shape (k, n, d), unit rows;
    ``[s - 1][e]`` stands for sentences e-s+1..e: ``OVERLAP_JOINED`` x the embedding of their
    joined text (Vecalign's overlap embeddings) + the rest x the average of their sentence
    vectors, made unit again (``[0]`` is the sentence vectors themselves). Passed to ``align``
    instead of the (n, d) sentence embeddings, a group is read mostly as the model reads the
    joined text, which pairs a translation's regrouped sentences better than an average of
    vectors; the joined text alone reads a sentence with a photo caption or OCR debris glued
    on much as the sentence itself, so those merges looked as good as the pair (textberg
    fr vs fr-mt strict F1 0.883 with the joined text alone, 0.900 blended; docs/alignment.md).
    Runs longer than ``joined`` (all when None) are their sentences' average alone: the model
    reads a run's tokens, so joining up to 5 reads 15 x a sentence's tokens, up to 3 only 6 x."""
    j = k if joined is None else max(1, min(k, joined))
    head = np.asarray(embedder.encode(overlap_texts(texts, j)), dtype=np.float32).reshape(j, len(texts), -1)
    vec = np.empty((k, *head.shape[1:]), dtype=np.float32)
    vec[:j] = head
    for s in range(1, k):
        average = _unit(_run_sums(vec[0], s + 1))
        vec[s] = _unit(OVERLAP_JOINED * vec[s] + (1.0 - OVERLAP_JOINED) * average) if s < j else average
    return vec


def side_vectors(embedder: Any, texts: Sequence[str], settings: AlignSettings) -> Vectors:
    """What ``align`` takes for one side: sentence vectors (n, d), or with ``settings.overlap``
    the overlap vectors (k, n, d) of ``overlap_vectors``, k = ``settings.longest_run`` (their
    ``[0]`` is the sentence vectors)."""
    if settings.overlap:
        return overlap_vectors(embedder, texts, settings.longest_run, settings.overlap_joined)
    return embedder.encode(list(texts))


def _one_blas_thread() -> AbstractContextManager[object]:
    """The aligner's matrix products are small (a band block of ~64 x a few hundred): a
    multi-threaded BLAS spends more on waking and syncing its threads than on the work, and on
    a loaded machine spinning threads made them 50x slower (measured, docs/alignment.md).
    Thread count does not change a product's result, only its speed."""
    controller = _blas_controller()
    return nullcontext() if controller is None else controller.limit(limits=1, user_api="blas")


@functools.cache
def _blas_controller() -> Any:
    """One ``ThreadpoolController`` per process: building one scans the loaded libraries
    (3-4 ms), which ``threadpool_limits`` did again for every pair of a batch run."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    return ThreadpoolController()


# --- features -------------------------------------------------------------------------


def _ngram_counts(texts: Sequence[str], dim: int) -> NDArray[np.float32]:
    """Hashed character 3-gram counts, shape (len(texts), dim)."""
    out = np.zeros((len(texts), dim), dtype=np.float32)
    for row, text in enumerate(texts):
        padded = f" {' '.join(text.casefold().split())} "
        codes = np.frombuffer(padded.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        if len(codes) < 3:
            continue
        h = (codes[:-2] * 1_000_003 + codes[1:-1] * 8191 + codes[2:] * 131) % 2_147_483_647
        out[row] = np.bincount(h % dim, minlength=dim)
    return out


def _run_sums(x: NDArray[np.floating], size: int) -> NDArray[np.float64]:
    """Row r = sum of rows r-size+1 .. r (rows before the start count as zero), float64."""
    cs = np.cumsum(x, axis=0, dtype=np.float64)
    if size < len(cs):
        cs[size:] -= cs[:-size].copy()
    return cs


def _unit(x: NDArray[np.floating]) -> F32:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (x / norms).astype(np.float32)


@dataclass
class _Calibration:
    """Per document: ``background[(a, b)]`` is the mean similarity of random runs of a and b
    sentences (averaged vectors of longer runs are closer to each other even at random,
    so each group shape has its own zero); ``typical`` the median best 1:1 match; ``skip``
    the DP's cost of leaving one sentence unaligned (``_skip_cost``)."""

    background: dict[tuple[int, int], float]
    typical: float
    cap: float = 1.0
    skip: float = 0.4
    length_ratio: float = 1.0  # characters of the copy per character of the original (``calibrate``)
    # per run: its mean similarity to random runs of the other side (Vecalign's normalisation by
    # neighbour similarity); row[(a, b)][e] for the original run of a ending at e, col likewise
    row: dict[tuple[int, int], NDArray[np.float32]] = field(default_factory=dict)
    col: dict[tuple[int, int], NDArray[np.float32]] = field(default_factory=dict)

    def distance(self, s: NDArray[np.floating], shape: tuple[int, int], rows: slice, cols: slice) -> NDArray[np.float32]:
        """Normalised distance of runs of ``shape`` with similarity ``s`` (rows x cols): one minus
        the similarity over one minus the mean similarity of the two runs to random runs of the
        other side (Vecalign). 0 = identical, 1 = as far apart as random text; a run that is close
        to everything (a long or generic one) needs more to count as near."""
        if shape in self.row:
            near = 0.5 * (self.row[shape][rows][:, None] + self.col[shape][cols][None, :])
        else:
            near = np.full((1, 1), self.background[shape])
        return ((1.0 - s) / np.maximum(1.0 - near, 0.05)).astype(np.float32)

    def z(self, s: NDArray[np.floating], shape: tuple[int, int] = (1, 1), capped: bool = True) -> NDArray[np.float32]:
        base = self.background[shape]
        # capped at 1: a group cannot be more than a typical match, else longer groups, whose
        # averaged vectors are always closer, would beat the 1:1 pairs they are made of
        z = (s - base) / max(self.typical - base, 0.2)
        return (np.minimum(z, self.cap) if capped else z).astype(np.float32)


@dataclass
class _Side:
    """One document's evidence, per sentence: ``emb`` (n, d) unit embeddings and ``lex``
    (n, g) idf-weighted 3-gram counts (both summed over a run, then normalised, give the
    run's vectors); ``norms[s][e]`` the norm of the run sum of ``s + 1`` sentences ending
    at e; ``heading[s][e]`` whether that run holds a heading; ``breaks[s][e]`` how many
    paragraph boundaries it crosses (0 everywhere when the side's paragraphs are single
    sentences, e.g. ``--split lines``: then paragraphs say nothing about grouping)."""

    emb: F32
    lex: F32
    length: NDArray[np.int64]
    norms_emb: list[NDArray[np.float64]]
    norms_lex: list[NDArray[np.float64]]
    heading: list[NDArray[np.bool_]]
    breaks: list[NDArray[np.int64]]
    overlap: list[F32] | None = None  # overlap[s - 1][e]: unit embedding of the text of sentences e-s+1..e
    run_length: list[NDArray[np.float64]] = field(default_factory=list)  # run_length[s - 1][e]: characters of that run
    # clause[e]: 1 when sentence e ends in ';' and another follows (the text's sentence goes on), else 0
    clause: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    # runs[s]: the unit vectors (emb, lex) of the runs of s sentences ending at every sentence,
    # filled on first use when the side has at most _TABLE_ROWS sentences (``run_vectors``)
    runs: dict[int, tuple[F32, F32]] = field(default_factory=dict)

    @classmethod
    def build(cls, emb: F32, lex: F32, length: NDArray[np.int64], heading: NDArray[np.bool_],
              paragraph: NDArray[np.int64], k: int) -> _Side:
        def norms(x: F32) -> list[NDArray[np.float64]]:
            # |x_e + ... + x_{e-s+1}|^2 for s = 1..k from the dot products of rows `lag` apart,
            # without materialising the run sums (n x d each). The products of a lag serve every
            # s; a lag past the last row contributes nothing (its run sums are zeros).
            lags = [np.einsum("kd,kd->k", x[lag:], x[: len(x) - lag], dtype=np.float64) for lag in range(min(k, len(x)))]
            out = []
            for size in sizes:
                total = np.zeros(len(x), dtype=np.float64)
                for lag, dots in enumerate(lags[:size]):
                    g = np.zeros(len(x), dtype=np.float64)
                    g[lag:] = dots
                    total += (1.0 if lag == 0 else 2.0) * _run_sums(g[:, None], size - lag)[:, 0]
                total = np.sqrt(np.maximum(total, 0.0))
                total[total == 0] = 1.0
                out.append(total)
            return out

        def up_to_k(per_size: list[Any]) -> list[Any]:
            return per_size + [per_size[-1]] * (k - len(per_size))  # sizes past the distinct ones share the last

        sizes = range(1, _distinct_sizes(k, len(emb)) + 1)
        boundary = np.zeros(len(paragraph), dtype=np.int64)
        boundary[1:] = paragraph[1:] != paragraph[:-1]
        if boundary[1:].all():  # no paragraph holds two sentences: no evidence
            boundary[:] = 0
        return cls(
            emb, lex, length,
            up_to_k(norms(emb)),
            up_to_k(norms(lex)),
            up_to_k([_run_sums(heading.astype(np.float64), s) > 0 for s in sizes]),
            # boundaries strictly inside a run of s ending at e: boundary[e-s+2 .. e]
            up_to_k([np.rint(_run_sums(boundary.astype(np.float64), s - 1)).astype(np.int64) if s > 1
                     else np.zeros(len(boundary), dtype=np.int64) for s in sizes]),
            run_length=up_to_k([_run_sums(length.astype(np.float64)[:, None], s)[:, 0] for s in sizes]),
        )  # fmt: skip

    def run_vectors(self, size: int, ends: NDArray[np.int64]) -> tuple[F32, F32]:
        """Unit vectors (emb, lex) of the runs of ``size`` sentences ending at ``ends``."""
        e32, x32 = self._tabled(size, ends) if len(self.emb) <= _TABLE_ROWS else self._summed(size, ends)
        return (self.overlap[size - 1][ends] if self.overlap is not None else e32), x32

    def _tabled(self, size: int, ends: NDArray[np.int64]) -> tuple[F32, F32]:
        # A short document is asked for the same few runs again and again (calibration draws
        # thousands of random ends from a few sentences, for every group shape), so each run
        # is summed once per alignment. A run of ``size`` ending at e sums sentences
        # max(0, e - size + 1) .. e, so every size from the side's length up gives the same
        # vectors: one table serves them all. Rows are computed as ``_summed`` computes them
        # (each row's arithmetic is its own), so the vectors are bit-identical.
        size = min(size, len(self.emb))
        if size not in self.runs:
            self.runs[size] = self._summed(size, np.arange(len(self.emb)))
        e32, x32 = self.runs[size]
        return e32[ends], x32[ends]

    def _summed(self, size: int, ends: NDArray[np.int64]) -> tuple[F32, F32]:
        # Calibration asks for thousands of random ends on a document of a few hundred
        # sentences: sum each distinct run once and hand out copies. Each row's arithmetic is
        # the same as summing it directly, so the vectors are bit-identical.
        if len(ends) > len(self.emb):  # then some end repeats
            distinct, where = np.unique(ends, return_inverse=True)
            e, x = self._summed(size, distinct)
            return e[where], x[where]
        e = np.zeros((len(ends), self.emb.shape[1]), dtype=np.float64)
        x = np.zeros((len(ends), self.lex.shape[1]), dtype=np.float64)
        for back in range(size):
            idx = ends - back
            ok = idx >= 0
            e[ok] += self.emb[idx[ok]]
            x[ok] += self.lex[idx[ok]]
        return _unit(e), _unit(x)


def _distinct_sizes(k: int, n: int) -> int:
    """How many run sizes of 1..k give a side of n sentences distinct run arrays. A run of s >= n
    sentences ending at e holds sentences 0..e whatever s is: its sums are the plain cumulative
    sums (what ``_run_sums`` subtracts for s = n is a sum of zeros, 0.0, which leaves every
    bit), so ``_Side.build`` computes sizes up to this one and the longer ones share its arrays
    (a one-sentence side: 1 of k)."""
    return min(k, n)


_TABLE_ROWS = 256
"""Sides of at most this many sentences keep the vectors of all their runs (``_Side.runs``):
a few hundred rows a run size, fewer than calibration alone asks for."""

_LENGTH_SMOOTHING = 20.0  # characters added to both sides of a length ratio


class _Features:
    """Both sides' evidence and the similarity of runs of 1..k consecutive sentences.

    The similarity of two runs is ``weight`` x the cosine of their summed embeddings plus
    (1 - ``weight``) x the cosine of their summed 3-gram vectors. Nothing of size n x m
    is stored: similarities are computed for the blocks of cells the DP visits.
    """

    def __init__(self, o: _Side, c: _Side, weight: float, k: int) -> None:
        self.o, self.c, self.weight, self.k = o, c, weight, k
        self.n, self.m = len(o.emb), len(c.emb)

    def length_mismatch(self, a: int, b: int, rows: slice, cols: slice, ratio: float) -> NDArray[np.float32]:
        """|log| of the ratio of the runs' lengths in characters (smoothed by 20, so two short
        lines are not far apart), the original's scaled by ``ratio`` (``_Calibration.length_ratio``);
        shape (rows x cols)."""
        lo = (self.o.run_length[a - 1][rows][:, None] + _LENGTH_SMOOTHING) * ratio
        lc = self.c.run_length[b - 1][cols][None, :] + _LENGTH_SMOOTHING
        return np.abs(np.log(lo / lc)).astype(np.float32)

    @classmethod
    def build(cls, original: Sequence[Sentence], copy: Sequence[Sentence], emb_original: Vectors,
              emb_copy: Vectors, settings: AlignSettings) -> _Features:
        counts_o = _ngram_counts([s.norm for s in original], settings.ngram_dim)
        counts_c = _ngram_counts([s.norm for s in copy], settings.ngram_dim)
        # idf over both sides: 3-grams every sentence has ("the", "ion") say nothing
        df = (counts_o > 0).sum(axis=0) + (counts_c > 0).sum(axis=0)
        idf = np.log((len(original) + len(copy) + 1) / (df + 1.0)).astype(np.float32)
        k = settings.longest_run

        def side(sents: Sequence[Sentence], emb: Vectors, counts: F32) -> _Side:
            vec = np.asarray(emb, dtype=np.float32)
            if vec.ndim == 3 and len(vec) < k:
                raise ConfigError(f"overlap vectors hold runs of up to {len(vec)} sentences; groups of up to {k} a side"
                                  f" (max_group, anchor_group) need runs of up to {k} (overlap_vectors(embedder, texts, {k}))")
            built = _Side.build(
                vec[0] if vec.ndim == 3 else vec, counts * idf,
                np.array([len(s.norm) for s in sents], dtype=np.int64),
                np.array([s.heading for s in sents], dtype=bool),
                np.array([s.paragraph for s in sents], dtype=np.int64), k,
            )  # fmt: skip
            if vec.ndim == 3:
                built.overlap = [vec[s] for s in range(k)]
            built.clause = np.array([s.text.rstrip().endswith(";") for s in sents], dtype=np.float64)
            built.clause[-1:] = 0.0  # nothing follows the last sentence
            return built

        return cls(side(original, emb_original, counts_o), side(copy, emb_copy, counts_c), settings.emb_weight, k)

    def block_shapes(self, r0: int, r1: int, c0: int, c1: int, shapes: Sequence[tuple[int, int]]) -> dict[tuple[int, int], F32]:
        """Similarity of original runs ending at r0..r1-1 to copy runs ending at c0..c1-1,
        shape (r1 - r0, c1 - c0), for every run shape (a, b) in ``shapes``.

        The cosine of two runs is the sum of their sentence-pair dot products over the
        norms of the run sums, so one product of sentence vectors per signal and shifted
        window sums replace one product per shape (9 with k = 3).
        """
        k = self.k
        pr, pc = max(0, r0 - (k - 1)), max(0, c0 - (k - 1))
        top, left = (k - 1) - (r0 - pr), (k - 1) - (c0 - pc)  # zero rows/cols padded before index 0
        rows, cols = r1 - r0, c1 - c0
        out: dict[tuple[int, int], F32] = {}
        parts = []
        if self.o.overlap is not None and self.c.overlap is not None:
            # the embedding of a run is the model's reading of its joined text, one product a shape
            for a, b in shapes:
                out[(a, b)] = self.weight * (self.o.overlap[a - 1][r0:r1] @ self.c.overlap[b - 1][c0:c1].T)
        else:
            parts.append((self.weight, self.o.emb, self.c.emb, self.o.norms_emb, self.c.norms_emb))
        if self.weight < 1.0:
            parts.append((1.0 - self.weight, self.o.lex, self.c.lex, self.o.norms_lex, self.c.norms_lex))
        wanted = set(shapes)
        for share, vo, vc, no, nc in parts:
            dots = np.zeros((rows + k - 1, cols + k - 1), dtype=np.float32)
            dots[top:, left:] = vo[pr:r1] @ vc[pc:c1].T
            row_sum = dots[k - 1 :].copy()
            for a in range(1, k + 1):
                if a > 1:
                    row_sum += dots[k - a : k - a + rows]
                col_sum = row_sum[:, k - 1 :].copy()
                for b in range(1, k + 1):
                    if b > 1:
                        col_sum += row_sum[:, k - b : k - b + cols]
                    if (a, b) not in wanted:
                        continue
                    scale = (share / np.outer(no[a - 1][r0:r1], nc[b - 1][c0:c1])).astype(np.float32)
                    val = col_sum * scale
                    out[(a, b)] = out[(a, b)] + val if (a, b) in out else val
        return out

    def pairs(self, a: int, b: int, i: NDArray[np.int64], j: NDArray[np.int64]) -> F32:
        """Similarity of the runs ending at ``i[k]`` (original) and ``j[k]`` (copy), elementwise."""
        eo, lo = self.o.run_vectors(a, i)
        ec, lc = self.c.run_vectors(b, j)
        s = self.weight * np.einsum("kd,kd->k", eo, ec)
        if self.weight < 1.0:
            s += (1.0 - self.weight) * np.einsum("kd,kd->k", lo, lc)
        return s.astype(np.float32)

    def one_to_one(self, rows: NDArray[np.int64], cols: NDArray[np.int64]) -> F32:
        """1:1 similarity of original sentences ``rows`` to copy sentences ``cols``, (len(rows), len(cols))."""
        s = self.weight * (self.o.emb[rows] @ self.c.emb[cols].T) / np.outer(self.o.norms_emb[0][rows], self.c.norms_emb[0][cols])
        if self.weight < 1.0:
            s += (1.0 - self.weight) * (self.o.lex[rows] @ self.c.lex[cols].T) / np.outer(self.o.norms_lex[0][rows], self.c.norms_lex[0][cols])
        return s.astype(np.float32)

    def calibrate(self, shapes: Sequence[tuple[int, int]], cap: float = 1.0, skip: tuple[float, float] = (0.4, 1.5)) -> _Calibration:
        """Background per group shape from random runs; typical = median best 1:1 match;
        each run's own background (``_local``); the skip cost (``_skip_cost``)."""
        rng = np.random.default_rng(0)  # fixed: the alignment must be deterministic
        k = min(2000, self.n * self.m)
        # best match of a sample of original sentences, searched over the whole copy in chunks
        rows = np.arange(self.n) if self.n <= 300 else np.unique(rng.integers(0, self.n, size=300))
        best = np.full(len(rows), -1.0, dtype=np.float32)
        best_col = np.zeros(len(rows), dtype=np.int64)
        for start in range(0, self.m, 4096):
            sims = self.one_to_one(rows, np.arange(start, min(self.m, start + 4096)))
            better = sims.max(axis=1) > best
            best_col[better] = start + sims.argmax(axis=1)[better]
            best = np.maximum(best, sims.max(axis=1))
        typical = float(np.median(best))
        # characters of the copy per character of the original, from the sentences' best matches
        # (a translation into French runs longer than its German original); the median of these,
        # not the ratio of the totals, which a copy's omissions or additions would skew
        length_ratio = float(np.exp(np.median(np.log((self.c.length[best_col] + _LENGTH_SMOOTHING)
                                                     / (self.o.length[rows] + _LENGTH_SMOOTHING)))))
        same = _whole_sides(shapes, self.n, self.m) if self.o.overlap is None and self.c.overlap is None else {}
        background: dict[tuple[int, int], float] = {}
        medians: dict[tuple[int, int, bytes, bytes], float] = {}  # by the sample drawn, as ``_local``'s ``seen``
        for a, b in shapes:
            if (a, b) in same:
                background[(a, b)] = background[same[(a, b)]]
                continue
            i = _draw(rng, min(a - 1, self.n - 1), self.n, k)
            j = _draw(rng, min(b - 1, self.m - 1), self.m, k)
            # median: robust to the true matches among the random pairs; capped below typical so
            # that tiny documents, where most pairs are true matches, keep a usable scale
            background[(a, b)] = min(self._median(a, b, i, j, medians), typical - 0.2)
        calib = _Calibration(background, typical, cap, _skip_cost(typical, background[(1, 1)], *skip), length_ratio)
        seen: dict[tuple[Any, ...], Any] = {}
        for a, b in shapes:
            if (a, b) in same:
                calib.row[(a, b)], calib.col[(a, b)] = calib.row[same[(a, b)]], calib.col[same[(a, b)]]
                continue
            # capped below typical as the background is: in a document of a few sentences the
            # "random" runs are the true matches, which would make every match look random
            calib.row[(a, b)] = np.minimum(self._local(self.o, self.c, a, b, rng, seen), typical - 0.2)
            calib.col[(a, b)] = np.minimum(self._local(self.c, self.o, b, a, rng, seen), typical - 0.2)
        return calib

    def _median(self, a: int, b: int, i: NDArray[np.int64], j: NDArray[np.int64],
                seen: dict[tuple[int, int, bytes, bytes], float]) -> float:
        """Median similarity of the runs of (a, b) ending at ``i``, ``j``. ``seen`` (one per
        ``calibrate``) keeps it by the runs sampled: the same runs give the same bits, and in a
        one-sentence document every shape samples the same runs (``_Side._tabled``)."""
        key = (a if self.o.overlap is not None else min(a, self.n), b if self.c.overlap is not None else min(b, self.m),
               i.tobytes(), j.tobytes())
        if key not in seen:
            seen[key] = float(np.median(self.pairs(a, b, i, j)))
        return seen[key]

    def _local(self, this: _Side, other: _Side, a: int, b: int, rng: np.random.Generator,
               seen: dict[tuple[Any, ...], Any]) -> F32:
        """Mean similarity of each run of ``a`` on ``this`` side to random runs of ``b`` on the other:
        the similarity is linear in each run's unit vectors, so the mean over the sample is one
        dot product with the sample's mean vectors, and the dot product of a run's sum is the run
        sum of its sentences' dot products (no run vectors of this side are built).

        ``seen`` (one per ``calibrate``) keeps those dot products by the sample they come from:
        in a short document the samples of several shapes are the same runs (every run of a
        one-sentence side is that sentence), and the same sample gives the same bits. So does
        this side's run size a from its length n up: the run sums and norms of runs of a >= n
        sentences are those of n (each a cumulative sum with nothing before the first sentence
        to subtract), so the result is kept by min(a, n) too."""
        size = len(other.emb)
        ends = _draw(rng, min(b - 1, size - 1), size, min(500, 4 * size))
        # a summed run of b ending at e holds sentences max(0, e - b + 1) .. e (``_Side._tabled``)
        key = (other is self.o, b if other.overlap is not None else min(b, size), ends.tobytes())
        result = (*key, a if this.overlap is not None else min(a, len(this.emb)))
        if result in seen:
            return seen[result]  # type: ignore[no-any-return]  # an F32 stored below
        if key not in seen:
            oe, ol = other.run_vectors(b, ends)
            mean_e = oe.mean(axis=0)
            seen[key] = (mean_e, None if this.overlap is not None else this.emb @ mean_e, this.lex @ ol.mean(axis=0))
        mean_e, dots_e, dots_l = seen[key]
        if this.overlap is not None:
            out = self.weight * (this.overlap[a - 1] @ mean_e).astype(np.float64)
        else:
            assert dots_e is not None  # made without overlap on this side
            out = self.weight * _run_sums(dots_e[:, None], a)[:, 0] / this.norms_emb[a - 1]
        if self.weight < 1.0:
            out += (1.0 - self.weight) * _run_sums(dots_l[:, None], a)[:, 0] / this.norms_lex[a - 1]
        seen[result] = out.astype(np.float32)
        return seen[result]  # type: ignore[no-any-return]  # the F32 just stored


def _whole_sides(shapes: Sequence[tuple[int, int]], n: int, m: int) -> dict[tuple[int, int], tuple[int, int]]:
    """Shape -> the earlier shape whose calibration it shares. Runs of a shape at least as long
    as both sides (a >= n, b >= m) are always the whole of both sides, drawn without the
    generator (``_draw``), so each such shape gets the first one's values: the same bits
    ``_median`` and ``_local`` would hand back for its samples, without the draws and keys (a
    one-sentence pair: 14 of its 15 shapes). Not with overlap vectors, whose runs of a and b
    sentences are read from their own joined texts."""
    whole = [(a, b) for a, b in shapes if a >= n and b >= m]
    return {shape: whole[0] for shape in whole[1:]}


def _draw(rng: np.random.Generator, low: int, high: int, size: int) -> NDArray[np.int64]:
    """``rng.integers(low, high, size=size)``. A range of one value (a run as long as its side,
    every run of a one-sentence side) is filled without calling the generator: numpy draws
    nothing from its stream for such a range either, so every later draw is the same, and the
    call (6 us, 60 of them calibrating a one-sentence pair) is spared."""
    if high - low == 1:
        return np.full(size, low, dtype=np.int64)
    return rng.integers(low, high, size=size)


def _calibration(feats: _Features, settings: AlignSettings, memo: Memo | None) -> _Calibration:
    """``feats.calibrate``, read from ``memo`` when this pair of documents was calibrated before.

    Calibration is the slowest part of aligning a short document (thousands of random runs),
    and a pair checked again gives the same result: its inputs are the two sides' vectors, so
    the key hashes those arrays, the settings and this module's source (a change to the code
    never reads an old value). The value is an ``.npz`` of the scalars and the per-run arrays,
    read back bit for bit.
    """
    def compute() -> _Calibration:
        return feats.calibrate(_calibrated_shapes(settings), settings.z_cap, skip=(settings.skip_cost, settings.skip_scale))

    if memo is None or _source_hash() is None:
        return compute()
    import hashlib

    digest = hashlib.sha256(f"{settings.signature}|{_source_hash()}".encode())
    for side in (feats.o, feats.c):
        for array in (side.emb, side.lex, *(side.overlap or ())):
            digest.update(repr(array.shape).encode())
            digest.update(np.ascontiguousarray(array).tobytes())
    key = digest.digest()
    stored = memo.get_blob("calibration", key)
    if stored is not None:
        calib = _calibration_from_bytes(stored, _calibrated_shapes(settings))
        if calib is not None:
            return calib
    calib = compute()
    memo.put_blob("calibration", key, _calibration_to_bytes(calib))
    return calib


def _calibration_to_bytes(calib: _Calibration) -> bytes:
    import io

    arrays: dict[str, NDArray[Any]] = {
        "scalars": np.array([calib.typical, calib.cap, calib.skip, calib.length_ratio], dtype=np.float64),
        "background": np.array([[a, b, v] for (a, b), v in calib.background.items()], dtype=np.float64),
    }
    for (a, b), row in calib.row.items():
        arrays[f"row_{a}_{b}"] = row
        arrays[f"col_{a}_{b}"] = calib.col[(a, b)]
    out = io.BytesIO()
    np.savez(out, allow_pickle=False, **arrays)
    return out.getvalue()


def _calibration_from_bytes(data: bytes, shapes: Sequence[tuple[int, int]]) -> _Calibration | None:
    """A stored calibration, or None when the bytes are not one for these shapes (damaged or
    foreign: the caller computes it again)."""
    import io
    import zipfile

    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            typical, cap, skip, length_ratio = (float(v) for v in npz["scalars"])
            background = {(int(a), int(b)): float(v) for a, b, v in npz["background"]}
            if set(background) != set(shapes):
                return None
            calib = _Calibration(background, typical, cap, skip, length_ratio)
            for a, b in shapes:
                calib.row[(a, b)] = npz[f"row_{a}_{b}"]
                calib.col[(a, b)] = npz[f"col_{a}_{b}"]
            return calib
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile):
        return None


@functools.cache
def _source_hash() -> str | None:
    """This module's source, hashed; None when it cannot be read (then nothing is kept)."""
    import hashlib
    from pathlib import Path

    try:
        return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    except OSError:
        return None


# --- the monotonic pass ----------------------------------------------------------------


Pairs = list[tuple[tuple[int, ...], tuple[int, ...]]]


def _shapes(settings: AlignSettings) -> list[tuple[int, int]]:
    """The group shapes (a, b) the DP tries: up to ``max_group`` a side, ``max_size`` in all."""
    return list(_shapes_within(settings.max_group, max(settings.max_size, 2)))


@functools.cache
def _shapes_within(k: int, size: int) -> tuple[tuple[int, int], ...]:
    # asked for several times an alignment (each pass, each span between anchors)
    return tuple((a, b) for a in range(1, k + 1) for b in range(1, k + 1) if a + b <= size)


def _between_anchors(settings: AlignSettings) -> AlignSettings:
    """The settings of the second pass, between two 1:1 groups (``anchor_group``, ``anchor_size``)."""
    return replace(settings, max_group=settings.anchor_group, max_size=settings.anchor_size or settings.max_size)


def _calibrated_shapes(settings: AlignSettings) -> list[tuple[int, int]]:
    """Every group shape either pass may price."""
    shapes = _shapes(settings)
    if settings.anchor_group:
        shapes += [s for s in _shapes(_between_anchors(settings)) if s not in shapes]
    return shapes


def _monotonic(feats: _Features, calib: _Calibration, settings: AlignSettings) -> Pairs:
    n, m = feats.n, feats.m
    if n * m <= settings.full_limit:
        lo, hi = np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64)
    else:
        lo, hi = _band_from_coarse(feats, calib, settings)
    pairs = _dp(feats, calib, settings, lo, hi, 0, n, 0, m)
    return _regroup_between_anchors(feats, calib, settings, lo, hi, pairs) if settings.anchor_group else pairs


def _regroup_between_anchors(feats: _Features, calib: _Calibration, settings: AlignSettings, lo: NDArray[np.int64],
                             hi: NDArray[np.int64], pairs: Pairs) -> Pairs:
    """Second pass (after Bertalign's two-step search): the 1:1 groups of the first pass are
    anchors; each span between two consecutive anchors is aligned again with groups of up to
    ``anchor_group`` a side and ``anchor_size`` in all. Shapes that large, searched over the
    whole document, merge the near-identical neighbours of a close copy; between anchors they
    reach only the sentences the first pass could not pair one to one. A span no larger shape
    fits keeps its first-pass groups (the DP over it would find them again)."""
    inner = _between_anchors(settings)
    first = _shapes(settings)
    new = [s for s in _shapes(inner) if s not in first]
    out: Pairs = []
    span: Pairs = []
    i0 = j0 = 0

    def flush(i1: int, j1: int) -> None:
        if any(a <= i1 - i0 and b <= j1 - j0 for a, b in new):
            out.extend(_segment(feats, calib, inner, lo, hi, i0, i1, j0, j1))
        else:
            out.extend(span)

    for o, c in pairs:
        if len(o) == 1 and len(c) == 1:
            flush(o[0], c[0])
            out.append((o, c))
            span, i0, j0 = [], o[0] + 1, c[0] + 1
        else:
            span.append((o, c))
    flush(feats.n, feats.m)
    return out


def _segment(feats: _Features, calib: _Calibration, settings: AlignSettings, lo: NDArray[np.int64],
             hi: NDArray[np.int64], i0: int, i1: int, j0: int, j1: int) -> Pairs:
    """The DP over original sentences i0..i1-1 and copy sentences j0..j1-1 (both non-empty),
    in the global band clipped to them when the span is large."""
    n, m = i1 - i0, j1 - j0
    if n * m <= settings.full_limit:
        slo, shi = np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64)
    else:
        slo, shi = _connected(np.clip(lo[i0 : i1 + 1] - j0, 0, m), np.clip(hi[i0 : i1 + 1] - j0, 0, m), m)
    return _dp(feats, calib, settings, slo, shi, i0, n, j0, m)


def _connected(lo: NDArray[np.int64], hi: NDArray[np.int64], m: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Band rows made monotone and overlapping, from (0, 0) to (n, m), so that every state
    can reach (0, 0)."""
    lo, hi = lo.copy(), hi.copy()
    lo[0], hi[-1] = 0, m
    lo = np.minimum.accumulate(lo[::-1])[::-1].copy()
    hi = np.maximum.accumulate(hi)
    lo[1:] = np.minimum(lo[1:], hi[:-1])
    return lo, hi


def _step_cost(z: Any, a: int, b: int, group_penalty: float) -> Any:
    """Cost of an a:b group of calibrated similarity ``z`` as the split step weighs it (a number
    or an array): one minus the similarity per sentence, plus ``group_penalty`` per sentence
    beyond 1:1."""
    return (1.0 - z) * ((a + b) / 2.0) + group_penalty * (a + b - 2)


def _skip_cost(typical: float, background: float, floor: float, scale: float) -> float:
    """The DP's cost of leaving one sentence unaligned, in ``distance`` units: ``scale`` x the
    distance of this document's typical best 1:1 match, at least ``floor``. A free translation
    (typical distance ~0.5) pairs what a close copy (~0) would leave unaligned: a fixed skip
    cost either swallows a translation's weak pairs or pairs a copy's unrelated sentences."""
    return max(floor, scale * (1.0 - typical) / max(1.0 - background, 0.05))


def _group_cost(d: Any, a: int, b: int, group_penalty: float) -> Any:
    """DP cost of an a:b group at normalised distance ``d`` (a number or an array).

    The distance counts once per sentence beyond the first pair, ``d x (a + b - 1)`` (Vecalign
    multiplies by a x b, which on translations with hand gold split real 2:2 groups, see
    docs/alignment.md): a sentence joins a group only when the group's distance stays well
    under the skip cost it saves. Nothing is capped, so a near-identical pair does not carry a
    weak neighbour for free; ``group_penalty`` per extra sentence keeps two near-identical
    pairs (distance ~0 either way) from merging."""
    return d * (a + b - 1) + group_penalty * (a + b - 2)


def _fitting(shapes: Sequence[tuple[int, int]], n: int, m: int) -> list[tuple[int, int]]:
    """The shapes of ``shapes`` that fit a span of n x m sentences, in order. One larger on
    either side never fits: its DP candidates would all stay inf, so leaving it out changes no
    cost and no choice (argmin keeps the first minimum, and the shapes kept keep their order),
    and spares its similarities (a pair of one-sentence documents, most of a DEMETR batch,
    needs only 1:1 of the ten shapes)."""
    return [(a, b) for a, b in shapes if a <= n and b <= m]


_ROW_BLOCK = 64  # DP rows whose similarities are computed together (one matrix product per signal)


def _dp(feats: _Features, calib: _Calibration, settings: AlignSettings, lo: NDArray[np.int64], hi: NDArray[np.int64],
        o0: int, n: int, c0: int, m: int) -> Pairs:
    """Banded monotonic DP over original sentences o0..o0+n-1 and copy sentences c0..c0+m-1.

    State (i, j) = first i original and first j copy sentences consumed; row i holds the
    columns lo[i]..hi[i] (lo and hi non-decreasing, lo[0] = 0, hi[n] = m, consecutive rows
    overlapping). Each row is one vector pass: the candidates of every group shape are
    stacked and reduced with argmin, then insertions run along the row with a cumulative
    minimum. Returns the groups as global index tuples, in order.
    """
    shapes = _fitting(_shapes(settings), n, m)
    skip, gp, pp, cp = calib.skip, settings.group_penalty, settings.paragraph_penalty, settings.clause_penalty
    so, sc = feats.o, feats.c
    cp = cp if len(so.clause) and len(sc.clause) else 0.0  # the coarse pass's blocks have no clauses
    # a boundary after a clause (a line ending in ';') costs cp, whether a group or a skip ends there;
    # ins_ramp[j]: the cost of leaving the first j copy sentences of the span unaligned
    ins_ramp = np.arange(m + 1, dtype=np.float64) * skip
    if cp:
        ins_ramp[1:] += cp * np.cumsum(sc.clause[c0 : c0 + m])
    cost: dict[int, NDArray[np.float64]] = {}
    back: list[NDArray[np.int8]] = []  # per row: 0 start, 1 deletion, 2 insertion, 3+ shape index
    w0 = int(hi[0] - lo[0]) + 1
    cost[0] = ins_ramp[int(lo[0]) : int(lo[0]) + w0].copy()
    b0 = np.full(w0, 2, dtype=np.int8)
    b0[0] = 0
    back.append(b0)
    steps: dict[tuple[int, int], F32] = {}
    blk_r0 = blk_c0 = 0
    for i in range(1, n + 1):
        if (i - 1) % _ROW_BLOCK == 0:
            # step costs of every shape for rows i..i+_ROW_BLOCK-1: original runs end at row-1,
            # copy runs end at column-1 for the columns the rows hold
            r_end = min(n, i + _ROW_BLOCK - 1)
            blk_r0, blk_c0 = i - 1, max(int(lo[i]) - 1, 0)
            c_end = max(int(hi[r_end]), blk_c0 + 1)
            sims = feats.block_shapes(o0 + blk_r0, o0 + r_end, c0 + blk_c0, c0 + c_end, shapes)
            steps = {}
            for a, b in shapes:
                ro, co = slice(o0 + blk_r0, o0 + r_end), slice(c0 + blk_c0, c0 + c_end)
                dist = calib.distance(sims[(a, b)], (a, b), ro, co)
                step = np.where(dist <= settings.max_distance, _group_cost(dist, a, b, gp), np.inf)
                if settings.length_penalty and so.run_length:
                    step += settings.length_penalty * feats.length_mismatch(a, b, ro, co, calib.length_ratio)
                if pp:
                    step += pp * (so.breaks[a - 1][ro][:, None] + sc.breaks[b - 1][co][None, :])
                if cp:
                    step += cp * (so.clause[ro][:, None] + sc.clause[co][None, :])
                if a + b > 2:
                    # a heading is a unit of its own: it pairs 1:1 or stays unaligned, never
                    # merged with body sentences (or another heading) into one group
                    step[so.heading[a - 1][ro][:, None] | sc.heading[b - 1][co][None, :]] = np.inf
                steps[(a, b)] = step.astype(np.float32)
        li, hi_i = int(lo[i]), int(hi[i])
        w = hi_i - li + 1
        cand = np.full((len(shapes) + 1, w), np.inf, dtype=np.float64)
        # deletion: from (i-1, j)
        pl, ph = int(lo[i - 1]), int(hi[i - 1])
        x0, x1 = max(li, pl), min(hi_i, ph)
        if x0 <= x1:
            cand[0, x0 - li : x1 - li + 1] = cost[i - 1][x0 - pl : x1 - pl + 1] + skip + (cp * so.clause[o0 + i - 1] if cp else 0.0)
        for s, (a, b) in enumerate(shapes, start=1):
            if i < a:
                continue
            pl, ph = int(lo[i - a]), int(hi[i - a])
            x0, x1 = max(li, pl + b, b), min(hi_i, ph + b)
            if x0 > x1:
                continue
            step_row = steps[(a, b)][i - 1 - blk_r0]
            cand[s, x0 - li : x1 - li + 1] = (cost[i - a][x0 - b - pl : x1 - b - pl + 1]
                                              + step_row[x0 - 1 - blk_c0 : x1 - blk_c0])  # fmt: skip
        best = cand.argmin(axis=0)
        cur = cand[best, np.arange(w)]
        code = np.where(best == 0, 1, best + 2).astype(np.int8)
        # insertions along the row: cost[j] = min(cur[j], cost[j-1] + skip), as a cumulative minimum
        ramp = ins_ramp[li : hi_i + 1]
        run = np.minimum.accumulate(cur - ramp) + ramp
        ins = run < cur - 1e-9
        cur = np.where(ins, run, cur)
        code[ins] = 2
        cost[i] = cur
        back.append(code)
        cost.pop(i - settings.max_group - 1, None)
    out: Pairs = []
    i, j = n, m
    while i > 0 or j > 0:
        c = int(back[i][j - lo[i]])
        if c == 1:
            out.append(((o0 + i - 1,), ()))
            i -= 1
        elif c == 2:
            out.append(((), (c0 + j - 1,)))
            j -= 1
        elif c >= 3:
            a, b = shapes[c - 3]
            out.append((tuple(range(o0 + i - a, o0 + i)), tuple(range(c0 + j - b, c0 + j))))
            i, j = i - a, j - b
        else:  # pragma: no cover - the band always reaches (0, 0)
            raise RuntimeError(f"alignment band broken at state ({i}, {j})")
    out.reverse()
    return out


def _band_from_coarse(feats: _Features, calib: _Calibration, settings: AlignSettings) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Align blocks of sentences, then a band around the block path: columns lo[i]..hi[i] per DP row."""
    n, m = feats.n, feats.m
    k = max(1, math.ceil(max(n, m) / settings.coarse_size))
    nb, mb = math.ceil(n / k), math.ceil(m / k)

    def blocks(vec: F32, count: int) -> F32:
        pad = np.zeros((count * k, vec.shape[1]), dtype=np.float32)
        pad[: len(vec)] = vec
        return _unit(pad.reshape(count, k, -1).sum(axis=1))

    def side(s: _Side, count: int) -> _Side:
        return _Side.build(blocks(s.emb, count), blocks(s.lex, count), np.zeros(count, dtype=np.int64),
                           np.zeros(count, dtype=bool), np.arange(count, dtype=np.int64), 1)

    coarse = _Features(side(feats.o, nb), side(feats.c, mb), feats.weight, 1)
    coarse_settings = AlignSettings(max_group=1, emb_weight=settings.emb_weight, skip_cost=settings.skip_cost,
                                    group_penalty=0.0, paragraph_penalty=0.0, ngram_dim=settings.ngram_dim)
    ccal = coarse.calibrate([(1, 1)], skip=(settings.skip_cost, settings.skip_scale))
    steps = _dp(coarse, ccal, coarse_settings, np.zeros(nb + 1, dtype=np.int64), np.full(nb + 1, mb, dtype=np.int64),
                0, nb, 0, mb)
    lo_col = np.full(n + 1, m, dtype=np.int64)
    hi_col = np.zeros(n + 1, dtype=np.int64)
    bi = bj = 0
    for o, c in steps:
        ni, nj = bi + len(o), bj + len(c)
        r0, r1 = bi * k, min(n, ni * k)
        lo_col[r0 : r1 + 1] = np.minimum(lo_col[r0 : r1 + 1], bj * k)
        hi_col[r0 : r1 + 1] = np.maximum(hi_col[r0 : r1 + 1], min(m, nj * k))
        bi, bj = ni, nj
    margin = max(settings.band_margin, 2 * k)
    lo = np.maximum(lo_col - margin, 0)
    hi = np.minimum(hi_col + margin, m)
    return _connected(lo, hi, m)


# --- moves ------------------------------------------------------------------------------


def _runs(ids: list[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for x in sorted(ids):
        if out and out[-1][-1] == x - 1:
            out[-1].append(x)
        else:
            out.append([x])
    return out


_MOVE_TOP = 3  # best copy sentences kept per left-over original sentence when seeking moves


def _find_moves(feats: _Features, calib: _Calibration, settings: AlignSettings, pairs: Pairs) -> Pairs:
    """Pair omission runs with addition runs that say the same thing elsewhere.

    Only run pairs that hold one of the top few matches of some left-over sentence are
    tried, so the search grows with the number of left-over sentences, not its square.
    """
    kept = [p for p in pairs if p[0] and p[1]]
    omitted = {o[0] for o, c in pairs if not c}
    added = {c[0] for o, c in pairs if not o}
    for _ in range(20):  # each round pairs at least one run or stops
        if not omitted or not added:
            break
        o_runs, a_runs = _runs(list(omitted)), _runs(list(added))
        oi = np.array(sorted(omitted), dtype=np.int64)
        aj = np.array(sorted(added), dtype=np.int64)
        run_of_o = {x: r for r, run in enumerate(o_runs) for x in run}
        run_of_a = {x: r for r, run in enumerate(a_runs) for x in run}
        # per left-over original sentence: its best left-over copy sentences (calibrated 1:1)
        top = min(_MOVE_TOP, len(aj))
        hits: dict[tuple[int, int], dict[int, float]] = {}
        for s in range(0, len(oi), 512):
            z = calib.z(feats.one_to_one(oi[s : s + 512], aj))
            best = np.argpartition(-z, top - 1, axis=1)[:, :top]
            for r, cols in enumerate(best):
                for col in cols:
                    zv = float(z[r, col])
                    if zv < settings.move_min:
                        continue
                    key = (run_of_o[int(oi[s + r])], run_of_a[int(aj[col])])
                    per = hits.setdefault(key, {})
                    per[int(oi[s + r])] = max(per.get(int(oi[s + r]), 0.0), zv)
        if not hits:
            break
        # mass of a run pair: how much of the omission run it explains
        candidates = sorted(((sum(per.values()), o_runs[ro], a_runs[ra]) for (ro, ra), per in hits.items()),
                            key=lambda t: (-t[0], t[1][0], t[2][0]))
        used_o: set[int] = set()
        used_a: set[int] = set()
        found = False
        for _mass, orun, arun in candidates:
            if used_o & set(orun) or used_a & set(arun):
                continue
            na, nc = len(orun), len(arun)
            steps = _dp(feats, calib, settings, np.zeros(na + 1, dtype=np.int64), np.full(na + 1, nc, dtype=np.int64),
                        orun[0], na, arun[0], nc)
            for o, c in steps:
                if not o or not c:
                    continue
                score = float(calib.z(feats.pairs(len(o), len(c), np.array([o[-1]]), np.array([c[-1]])), (len(o), len(c)))[0])
                if score >= settings.move_min:
                    kept.append((o, c))
                    omitted.difference_update(o)
                    added.difference_update(c)
                    found = True
            used_o.update(orun)
            used_a.update(arun)
        if not found:
            break
    return kept + [((i,), ()) for i in sorted(omitted)] + [((), (j,)) for j in sorted(added)]


def _verbatim_anchors(pairs: Pairs, original: Sequence[Sentence], copy: Sequence[Sentence]) -> Pairs:
    """A left-over sentence whose text occurs once in each document, and whose one twin on the
    other side is left over too, is paired with that twin before the move search.

    The move search aligns runs of left-over sentences with a dynamic programme that takes any
    pairing past ``move_min``; in a reordered text the runs hold similar sentences (two on the
    same topic, a sentence and its near-duplicate) and the programme can pair one with the
    other's counterpart, which then reads as a changed sentence. The same text is the strongest
    evidence there is, and unique on both sides it is unambiguous (the unique-line anchors of
    patience diff), so these pairs are fixed first and the search works on the rest. Two keys,
    in turn: ``Sentence.norm``, then the words alone (case, punctuation and spacing ignored),
    which still names one sentence when only those changed. A text repeated within a document
    is left to the search, and so is one without words; a heading pairs only with a heading, as
    everywhere in the aligner.
    """
    for key in (_norm_key, _words_key):
        o_count = Counter(key(s) for s in original)
        c_count = Counter(key(s) for s in copy)
        left_c = {key(copy[c[0]]): c[0] for o, c in pairs if not o and c_count[key(copy[c[0]])] == 1}
        anchored = {}
        for o, c in pairs:
            if not c and key(original[o[0]]) and o_count[key(original[o[0]])] == 1:
                j = left_c.get(key(original[o[0]]))
                if j is not None and original[o[0]].heading == copy[j].heading:
                    anchored[o[0]] = j
        if anchored:
            taken_c = set(anchored.values())
            pairs = [p for p in pairs if not ((not p[1] and p[0][0] in anchored) or (not p[0] and p[1][0] in taken_c))]
            pairs += [((i,), (j,)) for i, j in anchored.items()]
    return pairs


def _norm_key(s: Sentence) -> str:
    return s.norm


def _words_key(s: Sentence) -> str:
    return " ".join(re.findall(r"\w+", s.norm.casefold()))


def _moves_with_release(feats: _Features, calib: _Calibration, settings: AlignSettings, pairs: Pairs) -> Pairs:
    """``_find_moves`` after releasing the groups that block a better match (module docstring, 4)."""
    omitted = np.array(sorted(o[0] for o, c in pairs if not c), dtype=np.int64)
    added = np.array(sorted(c[0] for o, c in pairs if not o), dtype=np.int64)
    groups = [p for p in pairs if p[0] and p[1]]
    if not groups or (not len(omitted) and not len(added)):
        return _find_moves(feats, calib, settings, pairs)
    own = np.empty(len(groups), dtype=np.float32)
    for shape, ks in _by_shape(groups).items():
        ends_o = np.array([groups[k][0][-1] for k in ks], dtype=np.int64)
        ends_c = np.array([groups[k][1][-1] for k in ks], dtype=np.int64)
        own[ks] = calib.z(feats.pairs(*shape, ends_o, ends_c), shape)
    group_of_o = np.full(feats.o.emb.shape[0], -1, dtype=np.int64)
    group_of_c = np.full(feats.c.emb.shape[0], -1, dtype=np.int64)
    for k, (o, c) in enumerate(groups):
        group_of_o[list(o)] = k
        group_of_c[list(c)] = k
    # best claim on each grouped sentence by a left-over sentence of the other side (calibrated 1:1)
    claim = np.full(len(groups), -np.inf, dtype=np.float32)
    for leftover, size, owner, transpose in ((omitted, feats.c.emb.shape[0], group_of_c, False),
                                              (added, feats.o.emb.shape[0], group_of_o, True)):
        others = np.arange(size, dtype=np.int64)
        for s in range(0, len(leftover), 512):
            rows = leftover[s : s + 512]
            z = calib.z(feats.one_to_one(others, rows).T if transpose else feats.one_to_one(rows, others))
            best = z.max(axis=0)  # per sentence of the other side: its best left-over claimant
            taken = owner >= 0
            np.maximum.at(claim, owner[taken], best[taken])
    release = {k for k in range(len(groups)) if claim[k] >= settings.move_min and claim[k] > own[k]}
    if not release:
        return _find_moves(feats, calib, settings, pairs)
    trial = [g for k, g in enumerate(groups) if k not in release] + [p for p in pairs if not (p[0] and p[1])]
    for k in sorted(release):
        o, c = groups[k]
        trial += [((i,), ()) for i in o] + [((), (j,)) for j in c]
    found = _find_moves(feats, calib, settings, trial)
    left_o = {o[0] for o, c in found if not c}
    left_c = {c[0] for o, c in found if not o}
    restored = [groups[k] for k in sorted(release) if set(groups[k][0]) <= left_o and set(groups[k][1]) <= left_c]
    back_o = {i for o, _ in restored for i in o}
    back_c = {j for _, c in restored for j in c}
    kept = [p for p in found if not ((p[0] and not p[1] and p[0][0] in back_o) or (p[1] and not p[0] and p[1][0] in back_c))]
    return kept + restored


def _by_shape(groups: Pairs) -> dict[tuple[int, int], list[int]]:
    out: dict[tuple[int, int], list[int]] = {}
    for k, (o, c) in enumerate(groups):
        out.setdefault((len(o), len(c)), []).append(k)
    return out


def _partitions(a: int, b: int) -> list[list[tuple[int, int]]]:
    """Every way to cut an a:b group into two or more consecutive parts with sentences on both sides."""
    return [cut for cut in _cuts(a, b) if len(cut) > 1]


@functools.cache
def _cuts(a: int, b: int) -> list[list[tuple[int, int]]]:
    """Every sequence of parts (x, y), x, y >= 1, that sums to (a, b), the whole group included."""
    out = [[(a, b)]]
    for x in range(1, a):
        for y in range(1, b):
            out.extend([(x, y), *rest] for rest in _cuts(a - x, b - y))
    return out


def _split_groups(feats: _Features, calib: _Calibration, settings: AlignSettings, pairs: Pairs) -> Pairs:
    """A group that cuts into consecutive parts which each match on their own is those parts.

    The calibrated similarity is capped (a group is never more than a typical match), so a
    near-identical pair can carry a weak neighbour into one 2:2 group that costs less than
    the two 1:1 pairs: the surplus of the identical pair is lost to the cap in the 1:1 cost
    but not in the group's. Each group of two or more sentences per side is therefore
    compared, uncapped, with its cuts: a cut is taken when every part reaches ``move_min``
    (the evidence a group needs to stand alone as a moved passage) and the parts together
    cost no more than the group, a cut after a clause (``clause_penalty``) included. Where the
    content crosses the sentence boundary (a real 2:2), the parts match only partly and the
    group stays.
    """

    def cost(o: tuple[int, ...], c: tuple[int, ...]) -> tuple[float, float]:
        shape = (len(o), len(c))
        z = float(calib.z(feats.pairs(*shape, np.array([o[-1]]), np.array([c[-1]])), shape, capped=False)[0])
        return float(_step_cost(z, len(o), len(c), settings.group_penalty)), z

    out: Pairs = []
    for o, c in pairs:
        if len(o) < 2 or len(c) < 2:
            out.append((o, c))
            continue
        best_cost, best = cost(o, c)[0], [(o, c)]
        for cut in _partitions(len(o), len(c)):
            parts, i, j = [], 0, 0
            for x, y in cut:
                parts.append((o[i : i + x], c[j : j + y]))
                i, j = i + x, j + y
            scored = [cost(po, pc) for po, pc in parts]
            # each cut after a clause (a line ending in ';') costs what it costs the DP
            total = sum(k for k, _ in scored) + settings.clause_penalty * sum(
                (bool(po) and feats.o.clause[po[-1]]) + (bool(pc) and feats.c.clause[pc[-1]]) for po, pc in parts[:-1])
            if min(z for _, z in scored) >= settings.move_min and total <= best_cost:
                best_cost, best = total, parts
        out.extend(best)
    return out


def _trim_groups(feats: _Features, calib: _Calibration, settings: AlignSettings, pairs: Pairs) -> Pairs:
    """A sentence at either edge of a group that the group reads much closer without is left
    out of it (an omission or an addition of its own).

    In a free translation the skip cost is high (``_skip_cost``: 1.8 x a typical distance of
    ~0.5), so the DP pays less to absorb a photo caption, a "Literature:" line or an OCR
    fragment into a neighbouring pair than to leave it out, and the length term hardly sees a
    short line. A sentence that carries part of the group's content lowers the group's
    similarity when it is taken out; one that carries none raises it. Each group of three or
    more sentences tries its (up to four) edge sentences, and the one whose removal raises the
    similarity most is left out when the rise reaches ``trim_gain`` in calibrated units (the
    document's typical best match minus its background: 1 = from random to typical). One
    sentence a group at most (a second round was not tried). Short lines as such are not the
    criterion: they are as often parts of gold groups (docs/alignment.md, "a caption- and
    debris-aware skip"); ``trim_gain`` was set on textberg-1957 (docs/alignment.md, "Trim step")."""
    if not settings.trim_gain:
        return pairs
    scale = max(calib.typical - calib.background[(1, 1)], 0.2)

    def similarity(o: tuple[int, ...], c: tuple[int, ...]) -> float:
        return float(feats.pairs(len(o), len(c), np.array([o[-1]]), np.array([c[-1]]))[0])

    out: Pairs = []
    for o, c in pairs:
        if not o or not c or len(o) + len(c) < 3:
            out.append((o, c))
            continue
        full = similarity(o, c)
        # (group without the sentence, the sentence alone) for each edge of a side holding two or more
        trims: Pairs = []
        if len(o) > 1:
            trims += [(o[1:], c), ((o[0],), ()), (o[:-1], c), ((o[-1],), ())]
        if len(c) > 1:
            trims += [(o, c[1:]), ((), (c[0],)), (o, c[:-1]), ((), (c[-1],))]
        best, best_gain = None, settings.trim_gain
        for k in range(0, len(trims), 2):
            gain = (similarity(*trims[k]) - full) / scale
            if gain >= best_gain:
                best, best_gain = k, gain
        out += [(o, c)] if best is None else trims[best : best + 2]
    return out


def _pair_headings(pairs: Pairs, original: Sequence[Sentence], copy: Sequence[Sentence]) -> Pairs:
    """A heading left unaligned on each side between the same two groups is one heading, reworded.

    Headings are short and often rewritten, so their similarity is weak evidence; their place
    in the document structure is strong: when the only sentences left between two aligned
    groups are one heading of the original and one of the copy, they are paired.
    """
    out: Pairs = []
    k = 0
    while k < len(pairs):
        # the gap: a maximal stretch of one-sided groups
        g = k
        while g < len(pairs) and not (pairs[g][0] and pairs[g][1]):
            g += 1
        gap = pairs[k:g]
        if g == k:
            out.append(pairs[k])
            k += 1
            continue
        o_ids = [o[0] for o, c in gap if not c]
        c_ids = [c[0] for o, c in gap if not o]
        if len(o_ids) == 1 and len(c_ids) == 1 and original[o_ids[0]].heading and copy[c_ids[0]].heading:
            out.append(((o_ids[0],), (c_ids[0],)))
        else:
            out.extend(gap)
        k = g
    return out


def _scores(feats: _Features, two: Pairs) -> list[float]:
    """Raw similarity of every group, one vector call per group shape."""
    out = [0.0] * len(two)
    for (a, b), ks in _by_shape(two).items():
        vals = feats.pairs(a, b, np.array([two[k][0][-1] for k in ks]), np.array([two[k][1][-1] for k in ks]))
        for k, v in zip(ks, vals.tolist(), strict=True):
            out[k] = v
    return out


def _label_and_order(pairs: Pairs, feats: _Features, n: int, m: int) -> list[Group]:
    """Mark groups off the heaviest in-order chain as moved; put groups in reading order."""
    two = sorted((p for p in pairs if p[0] and p[1]), key=lambda p: p[0][0])
    weights = [float(feats.o.length[list(o)].sum() + feats.c.length[list(c)].sum()) for o, c in two]
    chain = _heaviest_chain([c[0] for _, c in two], weights, m)
    scores = _scores(feats, two)
    groups: list[tuple[tuple[float, float], Group]] = []
    chain_by_copy: list[tuple[int, int]] = []  # (first copy index, first original index) of in-order groups
    for k, (o, c) in enumerate(two):
        kind: PairKind = "match" if k in chain else "moved"
        groups.append(((o[0], 0.0), Group(o, c, kind, scores[k])))
        if kind == "match":
            chain_by_copy.append((c[0], o[0]))
    for o, c in pairs:
        if not c:
            groups.append(((o[0], 0.0), Group(o, (), "omission")))
    chain_by_copy.sort()
    copy_starts = [x for x, _ in chain_by_copy]
    for o, c in pairs:
        if not o:
            # an addition sits just before the next in-order group of the copy
            k = bisect.bisect_right(copy_starts, c[0])
            anchor = chain_by_copy[k][1] if k < len(chain_by_copy) else n
            groups.append(((anchor - 0.5, float(c[0])), Group((), c, "addition")))
    groups.sort(key=lambda t: t[0])
    return [g for _, g in groups]


def _heaviest_chain(copy_pos: list[int], weights: list[float], m: int) -> set[int]:
    """Indices of the heaviest subsequence with increasing ``copy_pos`` (items in original order).

    Fenwick tree over copy positions holding (best weight, item): O(g log m).
    """
    size = m + 1
    tree_w = [0.0] * (size + 1)
    tree_k = [-1] * (size + 1)
    prev = [-1] * len(copy_pos)
    best = [0.0] * len(copy_pos)
    for k, (pos, w) in enumerate(zip(copy_pos, weights, strict=True)):
        # best chain ending strictly before copy position pos
        q, bw, bk = pos, 0.0, -1
        while q > 0:
            if tree_w[q] > bw:
                bw, bk = tree_w[q], tree_k[q]
            q -= q & -q
        best[k], prev[k] = bw + w, bk
        q = pos + 1
        while q <= size:
            if best[k] > tree_w[q]:
                tree_w[q], tree_k[q] = best[k], k
            q += q & -q
    if not copy_pos:
        return set()
    k = max(range(len(best)), key=lambda x: (best[x], -x))
    chain: set[int] = set()
    while k >= 0:
        chain.add(k)
        k = prev[k]
    return chain
