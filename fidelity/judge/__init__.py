"""The judge: the stage after flag. Learned models decide how severe each pair's change is.

    judge(report, weights=DEFAULT) -> Report           (the pipeline stage; ``Options.judge``)
    Judge.load("judge-v4").apply_all(reports) -> list[Report]

DEFAULT (judge-v2) is the judge the benches apply; judge-v4 adds the token model (below),
middle-layer token alignment, spelling closeness, how close the rest of a finding's
sentence is, DEMETR's tampered copies in its data, thresholds chosen by document-grouped
cross-validation and the "share" document score, and judge-v5 the attention tagger in place of
the token trees; all are measured beside it (training/judge/README.md).

The checks find candidate spans and say what changed (a name, a number, a negation) and why;
the judge reads that evidence with the token alignment of each pair (``fidelity.judge.evidence``).
Up to three models, each reading its inputs by name:

- a token model (gradient-boosted trees, ``Trees``, over each token's hand-made evidence; or,
  judge-v5, the attention tagger, ``fidelity.judge.tagger``, which also reads the frozen MiniLM
  token states of both sides from the same encoder pass) gives each copy token a probability of
  lying inside a major accuracy error (word-level quality estimation); its summaries feed the others;
- a pair model gives each pair a probability that its meaning changed in a way a professional
  rater marks as a major accuracy error;
- a finding model gives each major or critical finding of the checks the probability that it
  marks such an error (its spans' alignment and token probabilities, its category, what changed).

Then, per pair:

- each major or critical finding keeps the checks' severity when its probability (the finding
  model's; without one, its pair's) reaches the ``keep`` threshold; below it, it is re-graded
  minor (rule, category, spans and explanation kept; the message says the judge re-graded it and
  why);
- a pair left without one gets new ``judge-misaligned`` findings (major) when its probability
  reaches the ``new`` threshold: on each run of copy words whose token probability reaches
  ``span`` (with the original words they align to best), or, without such words, on the copy
  passage whose words align worst; the message says so in words;
- a "not-a-copy" verdict stands only if some pair reaches ``new``; otherwise the finding is
  re-graded minor (a short pair is judged on its meaning);
- the verdict is then the scorer's (``score.verdict_of``) over the judged findings: distorted only
  while a distortion stays major, edited when sentences were omitted, added or moved (or such a
  finding stays major), faithful otherwise.

Weights: ``fidelity/data/{name}.json`` (the models, their inputs' names, standardisation and
thresholds, with the data and figures they were fit on); the name enters the signature.
judge-v2 has the pair and finding networks without a token model. Training:
``training/judge/train.py`` (README there).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from fidelity.errors import ConfigError
from fidelity.judge.evidence import PairEvidence
from fidelity.judge.tagger import Tagger
from fidelity.score import verdict_of
from fidelity.types import Category, Finding, Report, Severity, Span, Verdict

if TYPE_CHECKING:
    from fidelity.judge.evidence import TokenVectors
    from fidelity.types import Sentence

DEFAULT = "judge-v2"
DATA = Path(__file__).resolve().parent.parent / "data"
RULE = "judge-misaligned"


@dataclass(frozen=True)
class Net:
    """A small network over standardised features: ReLU between layers, a sigmoid at the end."""

    mean: np.ndarray  # (f,)
    scale: np.ndarray  # (f,)
    layers: tuple[tuple[np.ndarray, np.ndarray], ...]  # (weight (in, out), bias (out,)); last out = 1
    features: tuple[str, ...] = ()  # the names of its inputs, in order

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """(n, f) features -> (n,) probabilities."""
        h = (x - self.mean) / self.scale
        for k, (weight, bias) in enumerate(self.layers):
            h = h @ weight + bias
            if k < len(self.layers) - 1:
                h = np.maximum(h, 0.0)
        return 1.0 / (1.0 + np.exp(-h[:, 0]))

    @staticmethod
    def from_json(obj: dict) -> Net:
        return Net(
            np.array(obj["mean"], dtype=float),
            np.array(obj["scale"], dtype=float),
            tuple((np.array(layer["weight"], dtype=float), np.array(layer["bias"], dtype=float)) for layer in obj["layers"]),
            tuple(obj.get("features", ())),
        )


@dataclass(frozen=True)
class Trees:
    """Gradient-boosted decision trees (scikit-learn's HistGradientBoostingClassifier, exported to
    JSON by training/judge/train.py): the sigmoid of ``baseline`` plus one leaf value per tree.
    Node arrays are (trees, nodes), padded; a leaf points to itself."""

    features: tuple[str, ...]
    baseline: float
    feature: np.ndarray  # int: the input a node tests
    threshold: np.ndarray  # a value at or below it goes left
    left: np.ndarray  # int
    right: np.ndarray  # int
    value: np.ndarray  # a leaf's contribution (0 elsewhere)
    leaf: np.ndarray  # bool
    depth: int  # the deepest leaf's depth

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """(n, f) features -> (n,) probabilities."""
        n_trees = self.feature.shape[0]
        if x.shape[0] == 0:
            return np.zeros(0)
        tree = np.arange(n_trees)[:, None]
        row = np.arange(x.shape[0])[None, :]
        node = np.zeros((n_trees, x.shape[0]), dtype=np.int64)
        for _ in range(self.depth):
            go_left = x[row, self.feature[tree, node]] <= self.threshold[tree, node]
            node = np.where(self.leaf[tree, node], node, np.where(go_left, self.left[tree, node], self.right[tree, node]))
        raw = self.baseline + self.value[tree, node].sum(axis=0)
        return 1.0 / (1.0 + np.exp(-raw))

    @staticmethod
    def from_json(obj: dict) -> Trees:
        width = max(len(t["feature"]) for t in obj["trees"])

        def grid(key: str, dtype: type) -> np.ndarray:
            out: np.ndarray = np.zeros((len(obj["trees"]), width), dtype=dtype)
            for k, t in enumerate(obj["trees"]):
                out[k, : len(t[key])] = t[key]
            return out

        return Trees(
            tuple(obj["features"]), float(obj["baseline"]), grid("feature", np.int64), grid("threshold", float),
            grid("left", np.int64), grid("right", np.int64), grid("value", float), grid("leaf", bool), int(obj["depth"]),
        )  # fmt: skip


@dataclass(frozen=True)
class Judge:
    version: str
    features: tuple[str, ...]
    mean: np.ndarray  # (f,)
    scale: np.ndarray  # (f,)
    layers: tuple[tuple[np.ndarray, np.ndarray], ...]  # (weight (in, out), bias (out,)); ReLU between, last out = 1
    keep: float  # a pair the checks flagged major or worse keeps that severity at or above this probability
    new: float  # a pair they did not flag gets a new major finding at or above this one
    finding: Net | None = None  # per-finding model over FINDING_INPUTS; ``keep`` then applies to it
    token: Trees | None = None  # per-copy-token model over TOKEN_FEATURES: p that a token lies inside a major error
    span: float = 0.5  # a new finding covers the copy tokens at or above this token probability
    score_rule: str = "worst"  # the document score: see SCORE_RULES
    tagger: Tagger | None = None  # the attention tagger over the token states; with ``token`` too, their mean

    @staticmethod
    def load(name: str | None = None) -> Judge:
        return _load(name or DEFAULT)

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """(n, f) features -> (n,) probability of a major accuracy error."""
        return Net(self.mean, self.scale, self.layers).probabilities(x)

    def finding_probabilities(self, rows: Sequence[tuple[int, np.ndarray]]) -> dict[int, float]:
        """(index into Report.findings, FINDING_INPUTS) -> probability that the finding marks a major error."""
        from fidelity.judge.evidence import FINDING_INPUTS

        if self.finding is None or not rows:
            return {}
        cols = _columns(self.finding.features or FINDING_INPUTS[: len(self.finding.mean)], FINDING_INPUTS, self.version)
        probs = self.finding.probabilities(np.array([x for _, x in rows])[:, cols])
        return {k: float(p) for (k, _), p in zip(rows, probs, strict=True)}

    def token_probabilities(self, evidence: Sequence[PairEvidence]) -> list[np.ndarray]:
        """Per pair, each copy token's probability of lying inside a major error (zeros without a token model)."""
        from fidelity.judge.evidence import TOKEN_FEATURES

        if self.token is None:
            return [np.zeros(len(e.tokens)) for e in evidence]
        cols = _columns(self.token.features, TOKEN_FEATURES, self.version)
        return [self.token.probabilities(e.tokens[:, cols]) if len(e.tokens) else np.zeros(0) for e in evidence]

    def tagger_probabilities(self, report: Report, evidence: Sequence[PairEvidence], s_orig: Sequence[Sentence], s_copy: Sequence[Sentence], states: dict[str, TokenVectors]) -> list[np.ndarray]:
        """Per pair, each copy token's probability by the attention tagger, from the token states
        the evidence was computed from (the same encoder pass); with a token model too, the mean
        of the two."""
        from fidelity.judge.evidence import TOKEN_FEATURES, _side
        from fidelity.judge.tagger import state_inputs

        assert self.tagger is not None
        cols = _columns(self.tagger.features, TOKEN_FEATURES, self.version)
        out = []
        for e in evidence:
            p = report.pairs[e.pair]
            copy, original = state_inputs(_side(s_copy, p.copy, states)), state_inputs(_side(s_orig, p.original, states))
            out.append(self.tagger.probabilities(copy, original, e.tokens[:, cols]) if len(e.tokens) else np.zeros(0))
        if self.token is not None:
            out = [(a + b) / 2 for a, b in zip(out, self.token_probabilities(evidence), strict=True)]
        return out

    def judge_evidence(self, report: Report, evidence: Sequence[PairEvidence], token_probs: Sequence[np.ndarray] | None = None) -> Report:
        """The re-graded report, from its pairs' evidence (and, with the attention tagger, its
        token probabilities: ``tagger_probabilities``)."""
        from fidelity.judge.evidence import PAIR_INPUTS, inputs

        if token_probs is None:
            if self.tagger is not None:  # it reads the token states, which the evidence does not keep
                raise ValueError(f"{self.version} tags tokens from their states: pass tagger_probabilities(...) as token_probs, or use apply_all")
            token_probs = self.token_probabilities(evidence)
        rows = [inputs(report, e, tp) for e, tp in zip(evidence, token_probs, strict=True)]
        probs = np.zeros(0)
        if rows:
            probs = self.probabilities(np.array([x for x, _ in rows])[:, _columns(self.features, PAIR_INPUTS, self.version)])
        finding_probs = self.finding_probabilities([f for _, fs in rows for f in fs])
        return self.decide(report, evidence, probs, finding_probs, token_probs)

    def apply_all(self, reports: Sequence[Report], *, language: str | None = None, split: str = "sentences") -> list[Report]:
        """Judge many reports with one batched encoder pass over all their sentences. Each side
        is cut into sentences as its report's was: by the languages its signature names
        (``lang:``), or by ``language`` (a segmenter language) for both sides when given."""
        from fidelity.judge.evidence import TokenStates, pair_evidence
        from fidelity.segment import segment

        sides = []
        for r in reports:
            seg_o, seg_c = (language, language) if language else _segmenters(r)
            sides.append((segment(r.original_doc, language=seg_o, split=split), segment(r.copy_doc, language=seg_c, split=split)) if reads(r) else ((), ()))  # type: ignore[arg-type]
        texts = sorted({s.text for so, sc in sides for s in (*so, *sc)})
        states = dict(zip(texts, TokenStates().states(texts), strict=True))
        out = []
        for report, (so, sc) in zip(reports, sides, strict=True):
            if not reads(report):
                out.append(report)  # as the checks made it: the judge reads English only
                continue
            evidence = pair_evidence(report, so, sc, states)
            token_probs = self.tagger_probabilities(report, evidence, so, sc, states) if self.tagger is not None else None
            out.append(self.judge_evidence(report, evidence, token_probs))
        return out

    def decide(
        self,
        report: Report,
        evidence: Sequence[PairEvidence],
        probs: np.ndarray,
        finding_probs: dict[int, float] | None = None,
        token_probs: Sequence[np.ndarray] | None = None,
    ) -> Report:
        """The re-graded report for per-pair probabilities ``probs`` (aligned with ``evidence``),
        with a finding model per-finding ones (index into ``report.findings`` -> probability), and
        with a token model per-copy-token ones (aligned with each evidence's ``tokens``), which
        place a new finding on the words most likely in error."""
        prob = {e.pair: float(p) for e, p in zip(evidence, probs, strict=True)}
        if token_probs is None:  # no token model: a new finding points at the worst-aligned window
            token_probs = [np.zeros(len(e.tokens)) for e in evidence]
        finding_probs = finding_probs or {}
        edited = _edited_copies(report, {f.pair for f in report.findings if f.pair is not None and f.severity >= Severity.MAJOR and _specific(f)})
        findings: list[Finding] = []
        for k, f in enumerate(report.findings):
            if f.pair is not None and f.severity >= Severity.MAJOR and not (f.pair in edited and _specific(f)):
                p = finding_probs.get(k, prob.get(f.pair))
                if p is not None and p < self.keep:
                    what = "this finding marks" if k in finding_probs else "this pair holds"
                    f = replace(f, severity=Severity.MINOR, message=f"{f.message} (re-graded minor by the judge: p={p:.2f} that {what} a major error, below its {self.keep:.2f} threshold)")
            findings.append(f)
        flagged_pairs = {f.pair for f in findings if f.pair is not None and f.severity >= Severity.MAJOR}
        for e, p, tp in zip(evidence, probs, token_probs, strict=True):
            if p >= self.new and e.pair not in flagged_pairs and e.worst_copy is not None and report.verdict != Verdict.NOT_A_COPY:
                runs = _runs(e, tp, self.span)
                if runs:
                    findings.extend(_misworded(report, e, float(p), run, tp) for run in runs)
                else:
                    findings.append(_misaligned(report, e, float(p)))
        verdict = report.verdict
        if verdict == Verdict.NOT_A_COPY and not any(p >= self.new for p in probs):
            findings = [replace(f, severity=Severity.MINOR, message=f"{f.message} (re-graded minor: every pair reads as a translation of the other)") if f.severity >= Severity.MAJOR else f for f in findings]
        stands = verdict == Verdict.IDENTICAL or (verdict == Verdict.NOT_A_COPY and any(p >= self.new for p in probs))
        if not stands:
            verdict = verdict_of(report.pairs, findings)  # the scorer's rule over the re-graded findings
        score = document_score(self.score_rule, report, evidence, probs)
        findings.sort(key=lambda f: (f.pair if f.pair is not None else 1 << 30, -f.severity.rank, f.rule))
        by_pair: dict[int, list[Finding]] = {}
        for f in findings:
            if f.pair is not None:
                by_pair.setdefault(f.pair, []).append(f)
        pairs = tuple(replace(p, findings=tuple(by_pair.get(p.index, ()))) for p in report.pairs)
        signature = report.signature if "judge:" in report.signature else report.signature.replace("|fidelity:", f"|judge:{self.version}|fidelity:")
        return replace(report, findings=tuple(findings), pairs=pairs, verdict=verdict, score=score, signature=signature)


def reads(report: Report) -> bool:
    """Whether the judge can read ``report``: two English texts (``reads_languages``)."""
    return reads_languages(report.languages)


def reads_languages(languages: tuple[str, str]) -> bool:
    """Whether the judge reads texts in these (original, copy) languages: two English texts (a
    signature naming no language is English). Its evidence is the English MiniLM's token
    alignment and it was trained on English pairs only; between two languages, or in another
    one, it would read noise, so such a report is left as the checks made it (and its signature
    names no judge)."""
    return all(lang in ("", "en") for lang in languages)


def _segmenters(report: Report) -> tuple[str, str]:
    """The segmenter language of each side of ``report``, from its signature's ``lang:en`` or
    ``lang:de>fr`` (English when the signature names none)."""
    from fidelity.pipeline import Options, segmenter_languages

    found = re.search(r"(?:^|\|)lang:([^|>]+)(?:>([^|]+))?(?:\||$)", report.signature)
    if not found:
        return "en", "en"
    lang_o, lang_c = found.group(1), found.group(2) or found.group(1)
    return segmenter_languages(Options(language=f"{lang_o}:{lang_c}"))


def _specific(f: Finding) -> bool:
    """Whether a specific rule found ``f`` (a figure, a name, a negation...: ``Rule.explains_words``),
    not a catch-all (wording, dropped or added content, drift) or the judge itself."""
    from fidelity.rules import REGISTRY

    rule = REGISTRY.get(f.rule)
    return rule is not None and rule.explains_words


def _edited_copies(report: Report, candidates: set[int]) -> set[int]:
    """Of ``candidates`` (indices into ``report.pairs``), the pairs whose copy is the original's
    sentence edited, not reworded: near-verbatim, as the checks define it (``PairAnalysis.syndicated`` at the default thresholds). There the word diff is
    exact and each changed figure, name or negation is the edit itself, so a specific rule's
    severity stands (``_specific``): the judge re-grades what a translation may say another way, not
    a figure changed in a copied sentence. The catch-alls' findings there are re-graded as anywhere:
    on WMT23 test error-free rows, MT close to its reference, they raised 7 of 13 false majors."""
    from fidelity.rules.evidence import edited_copy, near_verbatim
    from fidelity.thresholds import Thresholds
    from fidelity.wordalign import wordalign

    th = Thresholds()
    # every aligned pair's word diff: whether the document is an edited copy reads them all
    diffs = {p.index: wordalign(p.original_text, p.copy_text) for p in report.pairs if p.original and p.copy}
    edited = edited_copy(list(diffs.values()), th)
    pairs = (report.pairs[k] for k in sorted(candidates))
    return {p.index for p in pairs if p.index in diffs and near_verbatim(diffs[p.index], th, edited)}


# How a judged document's score (0-100) reads the pairs' probabilities p_i of a major error:
# "worst": 100 (1 - max p_i), capped by the checks' score (judge-v2: one doubtful
# sentence pair puts a long, mostly faithful document at 0); "share": 100 (1 - the mean of p_i
# weighted by each pair's characters), the share of the text judged faithful, capped by the checks'
# score; for one pair both read the same.
SCORE_RULES = ("worst", "share")


def document_score(rule: str, report: Report, evidence: Sequence[PairEvidence], probs: np.ndarray) -> float:
    if not len(probs):
        return report.score
    if rule == "share":
        weight = np.array([len(report.pairs[e.pair].original_text) + len(report.pairs[e.pair].copy_text) + 1.0 for e in evidence])
        judged = 1.0 - float((weight * probs).sum() / weight.sum())
    else:
        judged = 1.0 - float(max(probs))
    return round(min(report.score, 100.0 * judged), 2)


def _misaligned(report: Report, e: PairEvidence, p: float) -> Finding:
    """A major finding at the pair's worst-aligned copy window, worded for an editor."""
    pair = report.pairs[e.pair]
    assert e.worst_copy is not None  # callers pass pairs with a copy side
    start, end = e.worst_copy
    text = report.copy_doc.text[start:end]
    category = Category.ADDITION if pair.kind == "addition" else Category.MISTRANSLATION
    message = (
        f"The copy's words {text!r} have no close counterpart in the original "
        f"(best word match {e.worst_similarity:.2f}); the judge rates this sentence pair as likely "
        f"changing the meaning (p={p:.2f}). Compare the two sentences."
    )
    return Finding(RULE, category, Severity.MAJOR, message, copy_span=Span(start, end, text), pair=e.pair)


MAX_RUNS = 3  # new findings in one pair, at most (the runs with the most probability mass)


def _runs(e: PairEvidence, tp: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """Runs of copy tokens (first, last index) at or above ``threshold``, a one-token gap bridged;
    at most MAX_RUNS, those with the most probability mass, in text order."""
    above = np.flatnonzero(tp >= threshold)
    runs: list[tuple[int, int]] = []
    for i in above.tolist():
        if runs and i - runs[-1][1] <= 2:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    runs.sort(key=lambda r: -float(tp[r[0] : r[1] + 1].sum()))
    return sorted(runs[:MAX_RUNS])


def _misworded(report: Report, e: PairEvidence, p: float, run: tuple[int, int], tp: np.ndarray) -> Finding:
    """A major finding on a run of copy words the token model rates as likely in error, with the
    original words they align to best when those form a short passage."""
    from fidelity.judge.evidence import _word_bounds

    pair = report.pairs[e.pair]
    copy_text, orig_text = report.copy_doc.text, report.original_doc.text
    start = _word_bounds(copy_text, int(e.token_offsets[run[0], 0]), int(e.token_offsets[run[0], 1]))[0]
    end = _word_bounds(copy_text, int(e.token_offsets[run[1], 0]), int(e.token_offsets[run[1], 1]))[1]
    text = copy_text[start:end]
    matches = e.token_matches[run[0] : run[1] + 1]
    original = None
    if len(matches) and matches[:, 0].min() >= 0:
        o_start = _word_bounds(orig_text, int(matches[:, 0].min()), int(matches[:, 0].min()) + 1)[0]
        o_end = _word_bounds(orig_text, int(matches[:, 1].max()) - 1, int(matches[:, 1].max()))[1]
        if 0 < o_end - o_start <= 2 * (end - start) + 20:
            original = Span(o_start, o_end, orig_text[o_start:o_end])
    category = Category.ADDITION if pair.kind == "addition" else Category.MISTRANSLATION
    closest = f"; the closest words in the original are {original.text!r}" if original is not None else ""
    message = (
        f"The copy's words {text!r} have no close counterpart in the original{closest}: the judge "
        f"rates them as likely in error (p={float(tp[run[0] : run[1] + 1].max()):.2f}) and this sentence "
        f"pair as likely changing the meaning (p={p:.2f}). Compare the two sentences."
    )
    return Finding(RULE, category, Severity.MAJOR, message, original_span=original, copy_span=Span(start, end, text), pair=e.pair)


def _columns(names: Sequence[str], available: Sequence[str], version: str) -> list[int]:
    """Where a model's inputs sit among those the evidence provides."""
    missing = [n for n in names if n not in available]
    if missing:
        raise ConfigError(f"judge weights {version!r} read inputs this version does not compute ({', '.join(missing[:3])}); retrain them (training/judge/train.py)")
    return [list(available).index(n) for n in names]


def judge(report: Report, *, weights: str = DEFAULT, language: str | None = None, split: str = "sentences") -> Report:
    """The pipeline stage: ``report`` re-graded by the judge ``weights``."""
    return Judge.load(weights).apply_all([report], language=language, split=split)[0]


@functools.lru_cache(maxsize=4)
def _load(name: str) -> Judge:
    path = DATA / f"{name}.json"
    available = sorted(p.stem for p in DATA.glob("judge-*.json"))
    if not name.startswith("judge-") or not path.is_file():
        raise ConfigError(f"unknown judge {name!r}; choose one of: {', '.join(available) or '(none installed)'}")
    obj = json.loads(path.read_text(encoding="utf-8"))
    return Judge(
        version=name,
        features=tuple(obj["features"]),
        mean=np.array(obj["mean"], dtype=float),
        scale=np.array(obj["scale"], dtype=float),
        layers=tuple((np.array(layer["weight"], dtype=float), np.array(layer["bias"], dtype=float)) for layer in obj["layers"]),
        keep=float(obj["thresholds"]["keep"]),
        new=float(obj["thresholds"]["new"]),
        finding=Net.from_json(obj["finding_model"]) if "finding_model" in obj else None,
        token=Trees.from_json(obj["token_model"]) if "token_model" in obj else None,
        tagger=Tagger.from_json(obj["token_tagger"]) if "token_tagger" in obj else None,
        span=float(obj["thresholds"].get("span", 0.5)),
        score_rule=str(obj.get("score_rule", "worst")),
    )
