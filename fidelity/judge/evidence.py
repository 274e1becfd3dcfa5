"""The judge's evidence: per aligned pair, what the checks found and how well the words align.

    TokenStates() .states(texts) -> list[TokenVectors]    MiniLM token states: last layer and MID_LAYERS
    pair_evidence(report, sentences, states) -> list[PairEvidence]
    FEATURES                                               the names of PairEvidence.features, in order
    TOKEN_FEATURES                                         the names of PairEvidence.tokens' columns
    PAIR_INPUTS, FINDING_INPUTS                            what the judge's models may read (``inputs``)

Token alignment is BERTScore's greedy matching (Zhang et al. 2020): each copy token is matched
to its most similar original token (cosine of the encoder's contextual states) and the other way
round. A copy passage whose tokens find no close counterpart is what the original does not say;
an original passage whose tokens find none in the copy is what the copy dropped. The same matching
over a middle layer's states (MID_LAYERS, from the same encoder pass) keeps more of each word's
identity than the last layer, which mixes in context (BERTScore picks a middle layer too).

In: a ``Report`` of the checks (its pairs, findings, documents) and its two sides' sentences.
Out: one ``PairEvidence`` per pair: a feature vector (``FEATURES``), one row of ``TOKEN_FEATURES``
per copy token (word-level quality estimation in the style of OpenKiwi and COMET's word tags, over
the frozen encoder's states: how well the token and its neighbours match the original, where its
match sits, what kind of word it is, whether a check points at it), and the worst-aligned copy
window, to point a new finding at. ``inputs`` then adds what the judge's token model made of the
tokens (``TOKEN_SUMMARY``: the highest token probabilities and their mass) to the pair's and each
finding's vector. Nothing here decides: ``fidelity.judge`` does.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from fidelity.types import Category, Severity, Verdict

if TYPE_CHECKING:
    from fidelity.models.minilm import BertSentenceEncoder
    from fidelity.types import Finding, Pair, Report, Sentence

WINDOW = 3  # tokens in the sliding window whose mean alignment finds the worst passage
MID_LAYERS = (2, 4)  # the encoder layers (1-based, of 6) whose states TokenVectors.layers keep
LOW = 0.5  # a token whose best match is below this cosine counts as unmatched
TOKEN_BUDGET = 8192
MAX_BATCH = 64

_CATEGORIES = tuple(Category)
_KINDS = ("omission", "addition", "moved")

FEATURES: tuple[str, ...] = (
    "similarity",
    "chrf",
    *(f"kind_{k}" for k in _KINDS),
    "copy_tok_mean", "copy_tok_min", "copy_tok_q10", "copy_tok_low", "copy_window_min",
    "orig_tok_mean", "orig_tok_min", "orig_tok_q10", "orig_tok_low", "orig_window_min",
    "log_len_ratio", "log_copy_tokens", "position",
    "find_minor", "find_major", "find_critical", "find_top_rank",
    "find_copy_align", "find_orig_align",
    *(f"cat_{c.value}" for c in _CATEGORIES),
    "doc_score", "doc_not_a_copy", "doc_log_pairs", "doc_coverage",
    # the same alignment over a middle layer's states (MID_LAYERS[0]): copy and original side
    "copy_mid_mean", "copy_mid_window_min", "orig_mid_mean", "orig_mid_window_min",
)  # fmt: skip


# One major-or-worse finding of the checks: its pair's FEATURES, then these, about the finding itself.
FINDING_FEATURES: tuple[str, ...] = (
    *FEATURES,
    "f_rank", "f_copy_align", "f_orig_align", "f_has_copy_span", "f_has_orig_span", "f_log_span_chars",
    *(f"f_cat_{c.value}" for c in _CATEGORIES),
    # what changed, from the finding's two span texts: how alike they are (characters), whether
    # the original's words still appear elsewhere in the copy pair (and the copy's in the
    # original), and, when both hold a figure, how far apart the figures are
    "f_char_similarity", "f_orig_in_copy", "f_copy_in_orig", "f_has_numbers", "f_log_number_ratio",
    # how close the rest of the copy pair is to the original (the copy tokens outside the
    # finding's copy span): the share whose word appears in the original as is, and their mean
    # best-match cosine; a change inside an otherwise unchanged sentence reads differently from
    # one inside a free translation
    "f_rest_in_original", "f_rest_align",
)  # fmt: skip

# One copy token: its alignment (best and second-best cosine to an original token, the mean and
# minimum of its neighbours' best, how far its match sits from the pair's diagonal, whether the
# match is mutual and how well the matched original token is matched back), its word (found in
# the original as is, a figure, capitalised inside a sentence, a name in the word list, an
# ordinary word, a negation cue, inside quotation marks, punctuation, a subword piece, its
# length), the checks (inside a major-or-worse finding's copy span, inside any finding's), and
# its pair (similarity, length ratio, mean token match, relative position, size, one-sided).
TOKEN_FEATURES: tuple[str, ...] = (
    "t_best", "t_second", "t_window_mean", "t_window_min", "t_diagonal", "t_mutual", "t_back",
    "t_word_in_original", "t_digit", "t_capital_inside", "t_name", "t_ordinary", "t_negation", "t_quoted",
    "t_punct", "t_subword", "t_log_word_chars",
    "t_check_major", "t_check_any",
    "t_pair_similarity", "t_pair_log_len_ratio", "t_pair_tok_mean", "t_position", "t_log_pair_tokens", "t_one_sided",
    # the alignment over middle layers' states (MID_LAYERS: best cosine, its neighbours' mean,
    # mutual), which keep more of a word's identity than the last layer (BERTScore's finding),
    # and how close the word's spelling comes to any word of the original (character bigrams:
    # 1.0 for the same word, 0.4 for "Keir" against "Kirm", 0 for no shared pair)
    *(f"t_l{layer}_{what}" for layer in MID_LAYERS for what in ("best", "window_mean", "mutual")),
    "t_char_best",
)  # fmt: skip

# What the token model made of a pair's copy tokens (probability that a token lies inside a major
# accuracy error), and of the tokens inside a finding's copy span.
TOKEN_SUMMARY: tuple[str, ...] = ("tok_p_max", "tok_p_top3", "tok_p_mean", "tok_p_log_mass", "tok_p_above_half")
PAIR_INPUTS: tuple[str, ...] = (*FEATURES, *TOKEN_SUMMARY)
FINDING_INPUTS: tuple[str, ...] = (*FINDING_FEATURES, *TOKEN_SUMMARY, *(f"f_{n}" for n in TOKEN_SUMMARY))
TOKEN_NEIGHBOURS = 2  # tokens either side in the window of t_window_mean / t_window_min


@dataclass(frozen=True)
class TokenVectors:
    """One text's tokens: character ranges (t, 2) into the text and L2-normalised states (t, d)
    of the last layer, and of each of MID_LAYERS (empty when not computed)."""

    offsets: NDArray[np.int64]
    vectors: NDArray[np.float32]
    layers: tuple[NDArray[np.float32], ...] = ()


def _empty() -> TokenVectors:
    return TokenVectors(np.zeros((0, 2), np.int64), np.zeros((0, 384), np.float32), tuple(np.zeros((0, 384), np.float32) for _ in MID_LAYERS))


def _normalised(x: NDArray[np.float32]) -> NDArray[np.float32]:
    x = x.astype(np.float32)
    x /= np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    return x


@dataclass(frozen=True)
class PairEvidence:
    pair: int  # index into Report.pairs
    features: NDArray[np.float64]  # (len(FEATURES),)
    worst_copy: tuple[int, int] | None  # document offsets of the worst-aligned copy window
    worst_similarity: float  # its mean best-match cosine (1.0 when there is none)
    findings: tuple[tuple[int, NDArray[np.float64]], ...] = ()  # (index into Report.findings, FINDING_FEATURES)
    tokens: NDArray[np.float64] = field(default_factory=lambda: np.zeros((0, len(TOKEN_FEATURES))))  # (t, TOKEN_FEATURES)
    token_offsets: NDArray[np.int64] = field(default_factory=lambda: np.zeros((0, 2), np.int64))  # (t, 2) into the copy document
    token_matches: NDArray[np.int64] = field(default_factory=lambda: np.zeros((0, 2), np.int64))  # (t, 2) its best original token, into the original document; -1 if none


@functools.lru_cache(maxsize=1)
def _encoder() -> BertSentenceEncoder:
    """The packaged all-MiniLM-L6-v2, read once (the weights never change within a process)."""
    from fidelity.models.minilm import BertSentenceEncoder, minilm_folder

    return BertSentenceEncoder(minilm_folder(), token_budget=TOKEN_BUDGET, max_batch=MAX_BATCH, threads=1)


class TokenStates:
    """Contextual token states of the packaged MiniLM (the same encoder as the sentence vectors)."""

    def states(self, texts: Sequence[str]) -> list[TokenVectors]:
        """Per text, its tokens without [CLS]/[SEP]; shape (t, 384) each, t >= 0, for the last
        layer and each of MID_LAYERS (the same encoder pass)."""
        from fidelity.models.minilm import padded, plan_batches

        enc = _encoder()
        encodings = enc.tokenizer.encode_batch(list(texts))
        ids = [e.ids for e in encodings]
        out: list[TokenVectors | None] = [None] * len(texts)
        for batch in plan_batches([len(x) for x in ids], token_budget=TOKEN_BUDGET, max_batch=MAX_BATCH):
            tokens, mask = padded([ids[i] for i in batch])
            taps: list[NDArray[np.float32]] = []
            hidden = enc._forward(tokens, mask, taps)
            for row, i in enumerate(batch):
                n = len(ids[i])
                offsets = np.array(encodings[i].offsets[1 : n - 1], dtype=np.int64).reshape(-1, 2)
                mids = tuple(_normalised(taps[layer - 1][row, 1 : n - 1]) for layer in MID_LAYERS)
                out[i] = TokenVectors(offsets, _normalised(hidden[row, 1 : n - 1]), mids)
        return [o if o is not None else _empty() for o in out]


def _side(sentences: Sequence[Sentence], indices: Sequence[int], states: dict[str, TokenVectors]) -> TokenVectors:
    """A pair side's tokens, offsets shifted into the document."""
    parts = [(states[sentences[i].text], sentences[i].start) for i in indices]
    if not parts:
        return _empty()
    mids = tuple(np.concatenate([tv.layers[k] if tv.layers else np.zeros((len(tv.offsets), 384), np.float32) for tv, _ in parts]) for k in range(len(MID_LAYERS)))
    return TokenVectors(np.concatenate([tv.offsets + start for tv, start in parts]), np.concatenate([tv.vectors for tv, _ in parts]), mids)


def _stats(best: NDArray[np.float32]) -> tuple[float, float, float, float, float, int]:
    """(mean, min, 10% quantile, share below LOW, worst window mean, worst window start)."""
    if best.size == 0:
        return 1.0, 1.0, 1.0, 0.0, 1.0, -1
    window = min(WINDOW, best.size)
    means = np.convolve(best, np.ones(window) / window, mode="valid")
    start = int(np.argmin(means))
    return float(best.mean()), float(best.min()), float(np.quantile(best, 0.1)), float((best < LOW).mean()), float(means[start]), start


def pair_evidence(
    report: Report, s_orig: Sequence[Sentence], s_copy: Sequence[Sentence], states: dict[str, TokenVectors]
) -> list[PairEvidence]:
    """Features of every pair of ``report``; ``states`` maps each sentence text to its tokens."""
    n_pairs = len(report.pairs)
    doc = (
        report.score / 100.0,
        float(report.verdict == Verdict.NOT_A_COPY),
        math.log1p(n_pairs),
        min(report.original.coverage, report.copy.coverage),
    )
    out = []
    for p in report.pairs:
        o = _side(s_orig, p.original, states)
        c = _side(s_copy, p.copy, states)
        sim = None
        if o.vectors.shape[0] and c.vectors.shape[0]:
            sim = c.vectors @ o.vectors.T  # (copy tokens, original tokens)
            copy_best, orig_best = sim.max(axis=1), sim.max(axis=0)
        else:  # one-sided pair: nothing on the other side matches
            copy_best = np.zeros(c.vectors.shape[0], np.float32)
            orig_best = np.zeros(o.vectors.shape[0], np.float32)
        cs = _stats(copy_best)
        os_ = _stats(orig_best)
        mid = _mid_alignment(c, o)
        mid_copy, mid_orig = _stats(mid[0][0]), _stats(mid[0][1])
        mid_stats = (mid_copy[0], mid_copy[4], mid_orig[0], mid_orig[4])  # mean and worst window
        worst = None
        if cs[5] >= 0:
            window = min(WINDOW, copy_best.size)
            worst = (int(c.offsets[cs[5], 0]), int(c.offsets[cs[5] + window - 1, 1]))
        spans = (_span_alignment(p, "copy_span", c.offsets, copy_best), _span_alignment(p, "original_span", o.offsets, orig_best))
        feats = [*_features(p, cs, os_, len(p.original_text), len(p.copy_text), c.vectors.shape[0], n_pairs, doc, spans), *mid_stats]
        tokens, matches = _tokens(report, p, [s_copy[i].start for i in p.copy], c, o, sim, copy_best, orig_best, feats, mid)
        own = []
        for k, f in enumerate(report.findings):
            if f.pair != p.index or f.severity < Severity.MAJOR:
                continue
            one = replace(p, findings=(f,))
            f_copy = _span_alignment(one, "copy_span", c.offsets, copy_best)
            f_orig = _span_alignment(one, "original_span", o.offsets, orig_best)
            chars = sum(len(x.text) for x in (f.copy_span, f.original_span) if x is not None)
            cat = [float(f.category == x) for x in _CATEGORIES]
            extra = [float(f.severity.rank), f_copy, f_orig, float(f.copy_span is not None), float(f.original_span is not None), math.log1p(chars), *cat]
            own.append((k, np.array([*feats, *extra, *_change(f, p), *_rest(f, c.offsets, copy_best, tokens)])))
        out.append(PairEvidence(p.index, np.array(feats), worst, cs[4], tuple(own), tokens, c.offsets, matches))
    return out


def _mid_alignment(c: TokenVectors, o: TokenVectors) -> list[tuple[NDArray[np.float32], NDArray[np.float32], NDArray[np.float64]]]:
    """Per MID_LAYERS: (each copy token's best cosine to an original token, each original
    token's best in the copy, whether the copy token's match is mutual)."""
    out = []
    for k in range(len(MID_LAYERS)):
        cv = c.layers[k] if len(c.layers) > k else np.zeros((len(c.offsets), 384), np.float32)
        ov = o.layers[k] if len(o.layers) > k else np.zeros((len(o.offsets), 384), np.float32)
        if cv.shape[0] and ov.shape[0]:
            sim = cv @ ov.T
            match = sim.argmax(axis=1)
            mutual = (sim.argmax(axis=0)[match] == np.arange(cv.shape[0])).astype(float)
            out.append((sim.max(axis=1), sim.max(axis=0), mutual))
        else:
            out.append((np.zeros(cv.shape[0], np.float32), np.zeros(ov.shape[0], np.float32), np.zeros(cv.shape[0])))
    return out


def _bigrams(word: str) -> set[str]:
    w = f" {word.casefold()} "
    return {w[i : i + 2] for i in range(len(w) - 1)}


def _char_best(word: str, original: dict[str, set[str]]) -> float:
    """The highest Dice coefficient of ``word``'s character bigrams against an original word's."""
    if word.casefold() in original:
        return 1.0
    mine = _bigrams(word)
    return max((2.0 * len(mine & theirs) / (len(mine) + len(theirs)) for theirs in original.values()), default=0.0)


def _cached(known: dict[str, float], word: str, original: dict[str, set[str]]) -> float:
    """``_char_best`` once per distinct word of a pair."""
    if word not in known:
        known[word] = _char_best(word, original)
    return known[word]


def _rest(f: Finding, offsets: NDArray[np.int64], best: NDArray[np.float32], tokens: NDArray[np.float64]) -> list[float]:
    """The finding's f_rest_in_original and f_rest_align (1.0 each when no token lies outside its copy span)."""
    outside = np.ones(len(offsets), dtype=bool)
    if f.copy_span is not None and len(offsets):
        outside = ~((offsets[:, 0] < f.copy_span.end) & (offsets[:, 1] > f.copy_span.start))
    if not outside.any():
        return [1.0, 1.0]
    return [float(tokens[outside, TOKEN_FEATURES.index("t_word_in_original")].mean()), float(best[outside].mean())]


def _change(f: Finding, p: Pair) -> list[float]:
    """What a finding says changed, from its two span texts (see FINDING_FEATURES)."""
    from fidelity.rules.parsing import numbers

    o_text = f.original_span.text if f.original_span else ""
    c_text = f.copy_span.text if f.copy_span else ""
    char_sim = SequenceMatcher(None, o_text.casefold(), c_text.casefold()).ratio() if o_text and c_text else 0.0
    o_in_c = float(bool(o_text.strip()) and _words(o_text) <= _words(p.copy_text))
    c_in_o = float(bool(c_text.strip()) and _words(c_text) <= _words(p.original_text))
    o_num, c_num = numbers(o_text), numbers(c_text)
    ratio = 0.0
    if o_num and c_num:
        a, b = abs(o_num[0][0]), abs(c_num[0][0])
        ratio = min(abs(math.log((a + 1e-9) / (b + 1e-9))), 10.0) if a > 0 and b > 0 else float(a != b) * 10.0
    return [char_sim, o_in_c, c_in_o, float(bool(o_num and c_num)), ratio]


_WORD_RE = re.compile(r"\w+", re.UNICODE)


def _word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The whole word around a token (a subword piece widens to its word); punctuation stays itself."""
    if not text[start:end].strip() or not any(ch.isalnum() for ch in text[start:end]):
        return start, end
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end


def _words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD_RE.findall(text)}


def _tokens(
    report: Report, p: Pair, sentence_starts: Sequence[int], c: TokenVectors, o: TokenVectors, sim: NDArray[np.float32] | None,
    copy_best: NDArray[np.float32], orig_best: NDArray[np.float32], feats: list[float],
    mid: Sequence[tuple[NDArray[np.float32], NDArray[np.float32], NDArray[np.float64]]] = (),
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """(copy tokens, TOKEN_FEATURES) and each copy token's best original token (document offsets)."""
    from fidelity import nlp
    from fidelity.lang.en import NEGATION_CUES
    from fidelity.rules.parsing import quotes

    n = c.offsets.shape[0]
    if n == 0:
        return np.zeros((0, len(TOKEN_FEATURES))), np.zeros((0, 2), np.int64)
    text = report.copy_doc.text
    if sim is not None:
        order = np.argsort(-sim, axis=1)
        match = order[:, 0]
        second = sim[np.arange(n), order[:, 1]] if sim.shape[1] > 1 else np.zeros(n, np.float32)
        mutual = (sim.argmax(axis=0)[match] == np.arange(n)).astype(float)
        back = orig_best[match]
        diagonal = np.abs(np.arange(n) / max(1, n - 1) - match / max(1, sim.shape[1] - 1))
        matches = o.offsets[match]
    else:
        second = np.zeros(n, np.float32)
        mutual, back = np.zeros(n), np.zeros(n, np.float32)
        diagonal = np.ones(n)
        matches = np.full((n, 2), -1, np.int64)
    width = 2 * TOKEN_NEIGHBOURS + 1
    pad = np.pad(copy_best.astype(float), TOKEN_NEIGHBOURS, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(pad, width)
    mid_rows = []
    for k in range(len(MID_LAYERS)):
        best, _, mutual_k = mid[k] if len(mid) > k else (np.zeros(n, np.float32), None, np.zeros(n))
        window_mean = np.convolve(np.pad(best.astype(float), TOKEN_NEIGHBOURS, mode="edge"), np.ones(width) / width, mode="valid")
        mid_rows.append(np.stack([best.astype(float), window_mean, mutual_k], axis=1))
    mid_part = np.concatenate(mid_rows, axis=1).tolist() if mid_rows else [[] for _ in range(n)]
    original_words = _words(p.original_text)
    original_bigrams = {w: _bigrams(w) for w in original_words}
    char_best: dict[str, float] = {}
    starts = set(sentence_starts)
    quoted = [(q.start, q.end) for q in quotes(text[min(c.offsets[:, 0]) : max(c.offsets[:, 1])])]
    base = min(c.offsets[:, 0])
    major = [(f.copy_span.start, f.copy_span.end) for f in p.findings if f.copy_span is not None and f.severity >= Severity.MAJOR]
    anyf = [(f.copy_span.start, f.copy_span.end) for f in p.findings if f.copy_span is not None]
    pair_part = [feats[0], feats[FEATURES.index("log_len_ratio")], feats[FEATURES.index("copy_tok_mean")]]
    rows = []
    for i, (start, end) in enumerate(c.offsets.tolist()):
        w_start, w_end = _word_bounds(text, start, end)
        word = text[w_start:w_end]
        subword = float(i > 0 and c.offsets[i - 1, 1] == start and text[start - 1 : start].isalnum())
        initial = w_start in starts
        rows.append([
            float(copy_best[i]), float(second[i]), float(windows[i].mean()), float(windows[i].min()), float(diagonal[i]),
            float(mutual[i]), float(back[i]),
            float(word.casefold() in original_words), float(any(ch.isdigit() for ch in word)),
            float(word[:1].isupper() and not initial), float(nlp.is_name_only(word)), float(nlp.listed(word) is True),
            float(word.casefold() in NEGATION_CUES or word.casefold().endswith(("n't", "n’t"))),
            float(any(a <= start - base < b for a, b in quoted)), float(not any(ch.isalnum() for ch in word)),
            subword, math.log1p(len(word)),
            float(any(a < end and start < b for a, b in major)), float(any(a < end and start < b for a, b in anyf)),
            *pair_part, i / max(1, n - 1), math.log1p(n), float(sim is None),
            *mid_part[i],
            _cached(char_best, word, original_bigrams) if word.strip() else 0.0,
        ])  # fmt: skip
    return np.array(rows, dtype=float), np.asarray(matches, dtype=np.int64)


def _span_alignment(p: Pair, side: str, offsets: NDArray[np.int64], best: NDArray[np.float32]) -> float:
    """The lowest, over the pair's major-or-worse findings with a span on ``side``, of the mean
    best-match cosine of the tokens inside that span (1.0 when no such finding): how unmatched
    the words the checks point at really are."""
    worst = 1.0
    for f in p.findings:
        span = getattr(f, side)
        if f.severity < Severity.MAJOR or span is None or best.size == 0:
            continue
        inside = (offsets[:, 0] < span.end) & (offsets[:, 1] > span.start)
        if inside.any():
            worst = min(worst, float(best[inside].mean()))
    return worst


def _features(
    p: Pair, cs: tuple, os_: tuple, len_o: int, len_c: int, copy_tokens: int, n_pairs: int, doc: tuple[float, ...],
    spans: tuple[float, float],
) -> list[float]:
    counts = {s: 0 for s in Severity}
    cats = dict.fromkeys(_CATEGORIES, 0.0)
    for f in p.findings:
        counts[f.severity] += 1
        if f.severity >= Severity.MAJOR:
            cats[f.category] = 1.0
    top = max((f.severity.rank for f in p.findings), default=0)
    return [
        p.similarity if p.similarity is not None else 0.0,
        (p.chrf or 0.0) / 100.0,  # chrF is 0..100
        *(float(p.kind == k) for k in _KINDS),
        *cs[:5],
        *os_[:5],
        math.log((len_c + 1) / (len_o + 1)),
        math.log1p(copy_tokens),
        p.index / max(1, n_pairs - 1),
        float(counts[Severity.MINOR]), float(counts[Severity.MAJOR]), float(counts[Severity.CRITICAL]), float(top),
        *spans,
        *cats.values(),
        *doc,
    ]


def summary(probs: NDArray[np.float64]) -> list[float]:
    """TOKEN_SUMMARY of some tokens' probabilities (zeros when there are none)."""
    if probs.size == 0:
        return [0.0] * len(TOKEN_SUMMARY)
    top = np.sort(probs)[::-1][:3]
    return [float(top[0]), float(top.mean()), float(probs.mean()), math.log1p(float(probs.sum())), float((probs >= 0.5).mean())]


def inputs(report: Report, e: PairEvidence, token_probs: NDArray[np.float64]) -> tuple[NDArray[np.float64], list[tuple[int, NDArray[np.float64]]]]:
    """The pair's PAIR_INPUTS and each of its findings' FINDING_INPUTS, given the token model's
    probability for each copy token (aligned with ``e.tokens``)."""
    pair_summary = summary(token_probs)
    findings = []
    for k, x in e.findings:
        span = report.findings[k].copy_span
        inside = np.zeros(len(token_probs), dtype=bool)
        if span is not None and len(token_probs):
            inside = (e.token_offsets[:, 0] < span.end) & (e.token_offsets[:, 1] > span.start)
        findings.append((k, np.array([*x, *pair_summary, *summary(token_probs[inside])])))
    return np.array([*e.features, *pair_summary]), findings
