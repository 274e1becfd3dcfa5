"""Stage 4, align: two sentence lists and their embeddings -> ``Alignment``.

In: the sentences of both sides (``Sentence.norm`` gives the lexical evidence) and their
L2-normalised embeddings, shapes (n, d) and (m, d). Out: an ``Alignment`` whose groups
cover every sentence of both sides exactly once, in reading order.

How it works (details and measured quality in docs/alignment.md):

1. Similarity of two groups = ``emb_weight`` x cosine of their averaged embeddings +
   (1 - ``emb_weight``) x cosine of their idf-weighted character 3-gram counts. The
   lexical part catches changed names and numbers that a sentence embedding smooths over.
2. Calibration per document: similarities are rescaled so that 0 is the level of two
   random sentences of this pair and 1 the typical best match of a sentence
   (``z = (s - background) / (typical - background)``). Skip (omission/addition) costs
   are expressed in these units, so news text that shares topic words everywhere does
   not look like a match everywhere.
3. A monotonic dynamic programme over groups of up to ``max_group`` sentences per side,
   cost ``(1 - z) * (a + b) / 2 + group_penalty * (a + b - 2)``, run in a band around a
   coarse path (Vecalign-style coarse-to-fine) for long documents, so time and memory grow
   about linearly: nothing of size n x m is ever built past ``full_limit`` cells.
4. Moves: omission runs are paired with addition runs elsewhere and aligned; what matches
   well becomes a group. Then the heaviest in-order chain of groups (weighted by
   characters) stays ``match`` and every group that crosses it is ``moved``.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass, fields

import numpy as np
from numpy.typing import NDArray

from fidelity.embed import Vectors
from fidelity.errors import ConfigError
from fidelity.types import Alignment, Group, PairKind, Sentence

F32 = NDArray[np.float32]


@dataclass(frozen=True)
class AlignSettings:
    """Every parameter of the aligner, with its default and where it was set.

    The defaults were chosen on the synthetic gold pairs in ``corpora/gold`` (edited and
    round-trip pairs), never on the seed pairs, which are held out (docs/alignment.md).
    """

    max_group: int = 3  # largest group on each side (n:m with n, m <= 3)
    emb_weight: float = 0.7  # share of embedding cosine in the similarity; the rest is char 3-grams
    skip_cost: float = 0.3  # cost of leaving one sentence unaligned, in calibrated units
    group_penalty: float = 0.2  # extra cost per sentence beyond 1:1, against needlessly big groups
    move_min: float = 0.55  # calibrated similarity a group needs to be reported as moved
    ngram_dim: int = 1024  # hashing buckets for the character 3-grams
    full_limit: int = 250_000  # above this many n x m cells, align in a band around a coarse path
    coarse_size: int = 400  # blocks per side of the coarse pass
    band_margin: int = 40  # band half-width (sentences) around the coarse path, at least

    def __post_init__(self) -> None:
        if not 1 <= self.max_group <= 6:
            raise ConfigError(f"max_group must be between 1 and 6, not {self.max_group}")
        if not 0.0 <= self.emb_weight <= 1.0:
            raise ConfigError(f"emb_weight must be between 0 and 1, not {self.emb_weight}")

    @property
    def signature(self) -> str:
        short = {"max_group": "nm", "emb_weight": "emb", "skip_cost": "skip", "group_penalty": "grp",
                 "move_min": "move", "ngram_dim": "ng", "full_limit": "full", "coarse_size": "coarse",
                 "band_margin": "band"}  # fmt: skip
        return "align:" + "-".join(f"{short[f.name]}{getattr(self, f.name)}" for f in fields(self))


def align(
    original: Sequence[Sentence],
    copy: Sequence[Sentence],
    emb_original: Vectors | None,
    emb_copy: Vectors | None,
    *,
    settings: AlignSettings = AlignSettings(),
) -> Alignment:
    """Align ``copy`` to ``original``; see the module docstring for the method."""
    n, m = len(original), len(copy)
    if n == 0 or m == 0:
        groups = [Group((i,), (), "omission") for i in range(n)] + [Group((), (j,), "addition") for j in range(m)]
        return Alignment(tuple(groups), settings.signature)
    assert emb_original is not None and emb_copy is not None  # both sides have sentences
    feats = _Features.build(original, copy, emb_original, emb_copy, settings)
    calib = feats.calibrate(settings.max_group)
    pairs = _monotonic(feats, calib, settings)
    pairs = _find_moves(feats, calib, settings, pairs, n, m)
    return Alignment(tuple(_label_and_order(pairs, original, copy, feats, n, m)), settings.signature)


# --- features -------------------------------------------------------------------------


def _ngram_counts(texts: Sequence[str], dim: int) -> NDArray[np.float64]:
    """Hashed character 3-gram counts, shape (len(texts), dim)."""
    out = np.zeros((len(texts), dim), dtype=np.float64)
    for row, text in enumerate(texts):
        padded = f" {' '.join(text.casefold().split())} "
        codes = np.frombuffer(padded.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        if len(codes) < 3:
            continue
        h = (codes[:-2] * 1_000_003 + codes[1:-1] * 8191 + codes[2:] * 131) % 2_147_483_647
        out[row] = np.bincount(h % dim, minlength=dim)
    return out


def _run_sums(x: NDArray[np.float64], size: int) -> NDArray[np.float64]:
    """Row r = sum of rows r-size+1 .. r (rows before the start count as zero)."""
    cs = np.cumsum(x, axis=0)
    out = cs.copy()
    out[size:] -= cs[:-size]
    return out


def _unit(x: NDArray[np.float64]) -> F32:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (x / norms).astype(np.float32)


@dataclass
class _Calibration:
    """Per document: ``background[(a, b)]`` is the mean similarity of random runs of a and b
    sentences (averaged vectors of longer runs are closer to each other even at random,
    so each group shape has its own zero); ``typical`` the median best 1:1 match."""

    background: dict[tuple[int, int], float]
    typical: float

    def z(self, s: NDArray[np.float32], shape: tuple[int, int] = (1, 1)) -> NDArray[np.float32]:
        base = self.background[shape]
        # capped at 1: a group cannot be more than a typical match, else longer groups, whose
        # averaged vectors are always closer, would beat the 1:1 pairs they are made of
        return np.minimum((s - base) / max(self.typical - base, 0.2), 1.0).astype(np.float32)


class _Features:
    """Unit vectors of every run of 1..max_group consecutive sentences, both signals.

    ``emb_o[a-1][i]`` is the renormalised average embedding of original sentences
    i-a+1..i; ``lex_o[a-1][i]`` the unit vector of their summed weighted 3-gram counts.
    Runs that would start before sentence 0 are marked invalid in ``valid_o``.
    """

    def __init__(self, emb_o: list[F32], emb_c: list[F32], lex_o: list[F32], lex_c: list[F32],
                 length_o: NDArray[np.int64], length_c: NDArray[np.int64], weight: float,
                 raw: tuple[F32, F32, F32, F32] | None = None) -> None:
        self.emb_o, self.emb_c, self.lex_o, self.lex_c = emb_o, emb_c, lex_o, lex_c
        self.raw = raw  # per-sentence vectors whose run sums give emb_*/lex_* before normalising
        self.length_o, self.length_c = length_o, length_c
        self.weight = weight
        self.n, self.m = len(emb_o[0]), len(emb_c[0])

    @classmethod
    def build(cls, original: Sequence[Sentence], copy: Sequence[Sentence], emb_original: Vectors,
              emb_copy: Vectors, settings: AlignSettings) -> _Features:
        counts_o = _ngram_counts([s.norm for s in original], settings.ngram_dim)
        counts_c = _ngram_counts([s.norm for s in copy], settings.ngram_dim)
        # idf over both sides: 3-grams every sentence has ("the", "ion") say nothing
        df = (counts_o > 0).sum(axis=0) + (counts_c > 0).sum(axis=0)
        idf = np.log((len(original) + len(copy) + 1) / (df + 1.0))
        w_o, w_c = counts_o * idf, counts_c * idf
        eo, ec = np.asarray(emb_original, dtype=np.float64), np.asarray(emb_copy, dtype=np.float64)
        k = settings.max_group
        raw = (eo.astype(np.float32), ec.astype(np.float32), w_o.astype(np.float32), w_c.astype(np.float32))
        return cls(
            [_unit(_run_sums(eo, a)) for a in range(1, k + 1)],
            [_unit(_run_sums(ec, b)) for b in range(1, k + 1)],
            [_unit(_run_sums(w_o, a)) for a in range(1, k + 1)],
            [_unit(_run_sums(w_c, b)) for b in range(1, k + 1)],
            np.array([len(s.norm) for s in original], dtype=np.int64),
            np.array([len(s.norm) for s in copy], dtype=np.int64),
            settings.emb_weight,
            raw,
        )

    def block_shapes(self, r0: int, r1: int, c0: int, c1: int, k: int) -> dict[tuple[int, int], F32]:
        """``block(a, b, rows r0..r1-1, cols c0..c1-1)`` for every shape up to k x k, from one product.

        The cosine of two runs is the sum of their sentence-pair dot products over the
        norms of the run sums, so one matrix of raw dot products and 2-D window sums
        replace one matrix product per shape.
        """
        assert self.raw is not None
        e_o, e_c, l_o, l_c = self.raw
        pr, pc = max(0, r0 - (k - 1)), max(0, c0 - (k - 1))
        pad = ((k - 1) - (r0 - pr), (k - 1) - (c0 - pc))
        out: dict[tuple[int, int], F32] = {}
        w = self.weight
        parts = [(w, e_o, e_c, self.emb_o, self.emb_c)]
        if w < 1.0:
            parts.append((1.0 - w, l_o, l_c, self.lex_o, self.lex_c))
        for share, vo, vc, unit_o, unit_c in parts:
            dots = (vo[pr:r1] @ vc[pc:c1].T).astype(np.float64)
            cum = np.zeros((dots.shape[0] + pad[0] + 1, dots.shape[1] + pad[1] + 1))
            cum[pad[0] + 1 :, pad[1] + 1 :] = dots.cumsum(0).cumsum(1)
            rows, cols = r1 - r0, c1 - c0
            for a in range(1, k + 1):
                norm_o = self._norm(unit_o, vo, a, r0, r1)
                for b in range(1, k + 1):
                    norm_c = self._norm(unit_c, vc, b, c0, c1)
                    top, left = k - a, k - b
                    win = (cum[k : k + rows, k : k + cols] - cum[top : top + rows, k : k + cols]
                           - cum[k : k + rows, left : left + cols] + cum[top : top + rows, left : left + cols])
                    val = (share * win / norm_o[:, None] / norm_c[None, :]).astype(np.float32)
                    out[(a, b)] = out[(a, b)] + val if (a, b) in out else val
        return out

    _norms: dict[tuple[int, int], NDArray[np.float64]]

    def _norm(self, unit: list[F32], raw: F32, size: int, start: int, end: int) -> NDArray[np.float64]:
        """Norms of the run sums of ``size`` sentences ending at start..end-1 (1 where zero)."""
        if not hasattr(self, "_norms"):
            self._norms = {}
        key = (id(raw), size)
        if key not in self._norms:
            norms = np.linalg.norm(_run_sums(raw.astype(np.float64), size), axis=1)
            norms[norms == 0] = 1.0
            self._norms[key] = norms
        return self._norms[key][start:end]

    def block(self, a: int, b: int, rows: NDArray[np.int64], cols: slice) -> F32:
        """Similarity of original runs of ``a`` ending at ``rows`` to copy runs of ``b`` ending in ``cols``."""
        w = self.weight
        s = w * (self.emb_o[a - 1][rows] @ self.emb_c[b - 1][cols].T)
        if w < 1.0:
            s += (1.0 - w) * (self.lex_o[a - 1][rows] @ self.lex_c[b - 1][cols].T)
        return s

    def pairs(self, a: int, b: int, i: NDArray[np.int64], j: NDArray[np.int64]) -> F32:
        """Similarity of the runs ending at ``i[k]`` (original) and ``j[k]`` (copy), elementwise."""
        w = self.weight
        s = w * np.einsum("kd,kd->k", self.emb_o[a - 1][i], self.emb_c[b - 1][j])
        if w < 1.0:
            s += (1.0 - w) * np.einsum("kd,kd->k", self.lex_o[a - 1][i], self.lex_c[b - 1][j])
        return s.astype(np.float32)

    def calibrate(self, max_group: int) -> _Calibration:
        """Background per group shape from random runs; typical = median best 1:1 match."""
        rng = np.random.default_rng(0)  # fixed: the alignment must be deterministic
        k = min(2000, self.n * self.m)
        # best match of a sample of original sentences, searched over the whole copy in chunks
        rows = np.arange(self.n) if self.n <= 300 else np.unique(rng.integers(0, self.n, size=300))
        best = np.full(len(rows), -1.0, dtype=np.float32)
        for start in range(0, self.m, 4096):
            best = np.maximum(best, self.block(1, 1, rows, slice(start, start + 4096)).max(axis=1))
        typical = float(np.median(best))
        background = {}
        for a, b in _shapes(max_group):
            i = rng.integers(min(a - 1, self.n - 1), self.n, size=k)
            j = rng.integers(min(b - 1, self.m - 1), self.m, size=k)
            # median: robust to the true matches among the random pairs; capped below typical so
            # that tiny documents, where most pairs are true matches, keep a usable scale
            background[(a, b)] = min(float(np.median(self.pairs(a, b, i, j))), typical - 0.2)
        return _Calibration(background, typical)


# --- the monotonic pass ----------------------------------------------------------------


def _shapes(k: int) -> list[tuple[int, int]]:
    return [(a, b) for a in range(1, k + 1) for b in range(1, k + 1)]


def _monotonic(feats: _Features, calib: _Calibration, settings: AlignSettings) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    n, m = feats.n, feats.m
    if n * m <= settings.full_limit:
        lo = np.zeros(n + 1, dtype=np.int64)
        width = m + 1
    else:
        lo, width = _band_from_coarse(feats, calib, settings)
    steps = _dp(feats, calib, settings, lo, width, np.arange(n), np.arange(m))
    return steps


def _dp(feats: _Features, calib: _Calibration, settings: AlignSettings, lo: NDArray[np.int64], width: int,
        orig_ids: NDArray[np.int64], copy_ids: NDArray[np.int64]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Banded monotonic DP over the sentences ``orig_ids`` x ``copy_ids`` (each consecutive).

    State (i, j) = first i original and first j copy sentences consumed; row i holds the
    columns lo[i] .. lo[i] + width - 1. Returns groups as index tuples, in order.
    """
    n, m = len(orig_ids), len(copy_ids)
    o0, c0 = int(orig_ids[0]) if n else 0, int(copy_ids[0]) if m else 0
    shapes = _shapes(settings.max_group)
    skip = settings.skip_cost
    inf = np.float32(np.inf)
    back = np.zeros((n + 1, width), dtype=np.int8)  # 0 start, 1 deletion, 2 insertion, 3+ shape index
    rows: dict[int, F32] = {}
    js0 = np.arange(width, dtype=np.int64)
    first = js0.astype(np.float32) * skip
    first[js0 > m] = inf
    rows[0] = first
    back[0, 1:] = 2
    block_rows = 64
    sims: dict[tuple[int, int], F32] = {}
    block_start = -1
    for i in range(1, n + 1):
        if (i - 1) // block_rows != block_start:
            block_start = (i - 1) // block_rows
            r0, r1 = block_start * block_rows + 1, min(n, (block_start + 1) * block_rows)
            c_lo = int(lo[r0 : r1 + 1].min())
            c_hi = min(m, int(lo[r0 : r1 + 1].max()) + width - 1)
            block_cols = (c_lo, c_hi)
            # copy runs end at sentence j-1 for state column j in [c_lo, c_hi]
            first_col = max(c_lo - 1, 0)
            if feats.raw is not None and max(c_hi - first_col, 0) > 0:
                raw_sims = feats.block_shapes(o0 + r0 - 1, o0 + r1, c0 + first_col, c0 + c_hi, settings.max_group)
            else:
                raw_sims = {(a, b): feats.block(a, b, orig_ids[np.arange(r0 - 1, r1)], slice(c0 + first_col, c0 + c_hi)) for a, b in shapes}
            sims = {shape: calib.z(raw_sims[shape], shape) for shape in shapes}
        js = lo[i] + js0
        cur = np.full(width, inf, dtype=np.float32)
        code = np.zeros(width, dtype=np.int8)
        # deletion
        cand = _shifted(rows[i - 1], int(lo[i] - lo[i - 1])) + skip
        better = cand < cur
        cur[better], code[better] = cand[better], 1
        first_col = max(block_cols[0] - 1, 0)
        for s, (a, b) in enumerate(shapes):
            if i - a < 0:
                continue
            z_row = sims[(a, b)][i - 1 - (block_start * block_rows)]
            # column j uses copy run ending at j-1: index (j-1) - first_col into z_row
            idx = js - 1 - first_col
            ok = (js >= b) & (js <= m) & (idx >= 0) & (idx < len(z_row))
            zv = np.where(ok, z_row[np.clip(idx, 0, max(len(z_row) - 1, 0))] if len(z_row) else 0.0, np.nan)
            step = (1.0 - zv) * (a + b) / 2.0 + settings.group_penalty * (a + b - 2)
            cand = _shifted(rows[i - a], int(lo[i] - b - lo[i - a])) + step.astype(np.float32)
            cand[~ok] = inf
            better = cand < cur
            cur[better], code[better] = cand[better], 3 + s
        # insertions within the row: cost[j] = min(cur[j], cost[j-1] + skip), vectorised
        ramp = js.astype(np.float64) * skip
        with np.errstate(invalid="ignore"):
            run = np.minimum.accumulate(cur - ramp) + ramp
        ins = run < cur - 1e-6
        cur = np.where(ins, run, cur).astype(np.float32)
        code[ins] = 2
        cur[js > m] = inf
        rows[i] = cur
        back[i] = code
        rows.pop(i - settings.max_group - 1, None)
    # backtrack from (n, m)
    out: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    i, j = n, m
    while i > 0 or j > 0:
        c = int(back[i, j - lo[i]])
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


def _shifted(row: F32, shift: int) -> F32:
    """``row`` re-indexed so that out[k] = row[k + shift], inf where out of range."""
    w = len(row)
    out = np.full(w, np.inf, dtype=np.float32)
    if shift >= w or shift <= -w:
        return out
    if shift >= 0:
        out[: w - shift] = row[shift:]
    else:
        out[-shift:] = row[: w + shift]
    return out


def _band_from_coarse(feats: _Features, calib: _Calibration, settings: AlignSettings) -> tuple[NDArray[np.int64], int]:
    """Align blocks of sentences, then a band around the block path: lo per DP row and a width."""
    n, m = feats.n, feats.m
    k = max(1, math.ceil(max(n, m) / settings.coarse_size))
    nb, mb = math.ceil(n / k), math.ceil(m / k)

    def blocks(vec: F32, count: int) -> F32:
        pad = np.zeros((count * k, vec.shape[1]), dtype=np.float64)
        pad[: len(vec)] = vec
        return _unit(pad.reshape(count, k, -1).sum(axis=1))

    coarse = _Features([blocks(feats.emb_o[0], nb)], [blocks(feats.emb_c[0], mb)],
                       [blocks(feats.lex_o[0], nb)], [blocks(feats.lex_c[0], mb)],
                       np.zeros(nb, dtype=np.int64), np.zeros(mb, dtype=np.int64), feats.weight)
    coarse_settings = AlignSettings(max_group=1, emb_weight=settings.emb_weight, skip_cost=settings.skip_cost,
                                    group_penalty=0.0, ngram_dim=settings.ngram_dim)
    ccal = coarse.calibrate(1)
    steps = _dp(coarse, ccal, coarse_settings, np.zeros(nb + 1, dtype=np.int64), mb + 1, np.arange(nb), np.arange(mb))
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
    lo[0], hi[n] = 0, m
    width = int((hi - lo).max()) + 1
    lo = np.minimum(lo, max(0, m + 1 - width))
    return lo, width


# --- moves ------------------------------------------------------------------------------


Pairs = list[tuple[tuple[int, ...], tuple[int, ...]]]


def _runs(ids: list[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for x in sorted(ids):
        if out and out[-1][-1] == x - 1:
            out[-1].append(x)
        else:
            out.append([x])
    return out


def _find_moves(feats: _Features, calib: _Calibration, settings: AlignSettings, pairs: Pairs, n: int, m: int) -> Pairs:
    """Pair omission runs with addition runs that say the same thing elsewhere."""
    kept = [p for p in pairs if p[0] and p[1]]
    omitted = {o[0] for o, c in pairs if not c}
    added = {c[0] for o, c in pairs if not o}
    for _ in range(20):  # each round pairs at least one run or stops
        if not omitted or not added:
            break
        o_runs, a_runs = _runs(list(omitted)), _runs(list(added))
        oi = np.array(sorted(omitted), dtype=np.int64)
        aj = np.array(sorted(added), dtype=np.int64)
        # 1:1 similarity of every left-over original sentence to every left-over copy sentence
        z = np.concatenate([calib.z(feats.block(1, 1, oi[s : s + 512], slice(None))[:, aj]) for s in range(0, len(oi), 512)])
        pos_o = {x: k for k, x in enumerate(oi.tolist())}
        pos_a = {x: k for k, x in enumerate(aj.tolist())}
        candidates = []
        for orun in o_runs:
            ro = [pos_o[x] for x in orun]
            for arun in a_runs:
                ra = [pos_a[x] for x in arun]
                sub = z[np.ix_(ro, ra)]
                mass = float(np.clip(sub.max(axis=1), 0, None).sum())
                if sub.max() >= settings.move_min:
                    candidates.append((mass, orun, arun))
        if not candidates:
            break
        candidates.sort(key=lambda t: (-t[0], t[1][0], t[2][0]))
        used_o: set[int] = set()
        used_a: set[int] = set()
        found = False
        for _mass, orun, arun in candidates:
            if used_o & set(orun) or used_a & set(arun):
                continue
            oa, ca = np.array(orun, dtype=np.int64), np.array(arun, dtype=np.int64)
            steps = _dp(feats, calib, settings, np.zeros(len(oa) + 1, dtype=np.int64), len(ca) + 1, oa, ca)
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


def _label_and_order(pairs: Pairs, original: Sequence[Sentence], copy: Sequence[Sentence], feats: _Features,
                     n: int, m: int) -> list[Group]:
    """Mark groups off the heaviest in-order chain as moved; put groups in reading order."""
    two = sorted((p for p in pairs if p[0] and p[1]), key=lambda p: p[0][0])
    weights = [float(feats.length_o[list(o)].sum() + feats.length_c[list(c)].sum()) for o, c in two]
    chain = _heaviest_chain([c[0] for _, c in two], weights, m)
    groups: list[tuple[tuple[float, float], Group]] = []
    chain_by_copy: list[tuple[int, int]] = []  # (first copy index, first original index) of in-order groups
    for k, (o, c) in enumerate(two):
        kind: PairKind = "match" if k in chain else "moved"
        score = float(feats.pairs(len(o), len(c), np.array([o[-1]]), np.array([c[-1]]))[0])
        groups.append(((o[0], 0.0), Group(o, c, kind, score)))
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
    for k, (pos, w) in enumerate(zip(copy_pos, weights)):
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
