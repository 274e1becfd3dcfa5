"""The judge: the stage after flag. A learned model decides how severe each pair's change is.

    judge(report, weights="judge-v2") -> Report        (the pipeline stage; ``Options.judge``)
    Judge.load("judge-v2").apply_all(reports) -> list[Report]

The checks find candidate spans and say what changed (a name, a number, a negation) and why;
the judge reads that evidence with the token alignment of each pair (``fidelity.judge.evidence``)
and gives each pair a probability that its meaning changed in a way a professional rater marks
as a major accuracy error. Then, per pair:

- a pair with major or critical findings keeps them at the checks' severity when its probability
  reaches the ``keep`` threshold; below it they are re-graded minor (rule, category, spans and
  explanation kept; the message says the judge re-graded it and why);
- a pair without one gets a new ``judge-misaligned`` finding (major) when its probability reaches
  the ``new`` threshold: it points at the copy passage whose words align worst with the original,
  and says so in words;
- with a per-finding model (``finding_model`` in the weights), each major or critical finding is
  kept or re-graded on its own probability (its span's alignment, category, severity, its pair),
  against ``keep``;
- a "not-a-copy" verdict stands only if some pair reaches ``new``; otherwise the finding is
  re-graded minor and the verdict becomes "edited" (a short pair is judged on its meaning).

Weights: ``fidelity/data/{name}.json`` (a small model over ``evidence.FEATURES``: a logistic
regression or a one-hidden-layer network, its standardisation and threshold, with the data and
figures it was fit on); the name enters the
signature. Training: ``training/judge/train.py`` (README there).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from fidelity.errors import ConfigError
from fidelity.judge.evidence import PairEvidence
from fidelity.types import Category, Finding, Report, Severity, Span, Verdict

DEFAULT = "judge-v2"
DATA = Path(__file__).resolve().parent.parent / "data"
RULE = "judge-misaligned"


@dataclass(frozen=True)
class Net:
    """A small network over standardised features: ReLU between layers, a sigmoid at the end."""

    mean: np.ndarray  # (f,)
    scale: np.ndarray  # (f,)
    layers: tuple[tuple[np.ndarray, np.ndarray], ...]  # (weight (in, out), bias (out,)); last out = 1

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
        )


@dataclass(frozen=True)
class Judge:
    version: str
    features: tuple[str, ...]
    mean: np.ndarray  # (f,)
    scale: np.ndarray  # (f,)
    layers: tuple[tuple[np.ndarray, np.ndarray], ...]  # (weight (in, out), bias (out,)); ReLU between, last out = 1
    keep: float  # a pair the checks flagged major or worse keeps that severity at or above this probability
    new: float  # a pair they did not flag gets a new major finding at or above this one
    finding: Net | None = None  # per-finding model over FINDING_FEATURES; ``keep`` then applies to it

    @staticmethod
    def load(name: str | None = None) -> Judge:
        return _load(name or DEFAULT)

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """(n, f) features -> (n,) probability of a major accuracy error."""
        return Net(self.mean, self.scale, self.layers).probabilities(x)

    def finding_probabilities(self, evidence: Sequence[PairEvidence]) -> dict[int, float]:
        """Index into Report.findings -> probability that the finding marks a major error."""
        rows = [(k, x) for e in evidence for k, x in e.findings]
        if self.finding is None or not rows:
            return {}
        probs = self.finding.probabilities(np.array([x for _, x in rows]))
        return {k: float(p) for (k, _), p in zip(rows, probs, strict=True)}

    def apply_all(self, reports: Sequence[Report], *, language: str = "en", split: str = "sentences") -> list[Report]:
        """Judge many reports with one batched encoder pass over all their sentences."""
        from fidelity.judge.evidence import FEATURES, TokenStates, pair_evidence
        from fidelity.segment import segment

        if self.features != FEATURES:
            raise ConfigError(f"judge weights {self.version!r} were fit on other features; retrain them (training/judge/train.py)")
        sides = [
            (segment(r.original_doc, language=language, split=split), segment(r.copy_doc, language=language, split=split))  # type: ignore[arg-type]
            for r in reports
        ]
        texts = sorted({s.text for so, sc in sides for s in (*so, *sc)})
        states = dict(zip(texts, TokenStates().states(texts), strict=True))
        out = []
        for report, (so, sc) in zip(reports, sides, strict=True):
            evidence = pair_evidence(report, so, sc, states)
            probs = self.probabilities(np.array([e.features for e in evidence])) if evidence else np.zeros(0)
            out.append(self.decide(report, evidence, probs, self.finding_probabilities(evidence)))
        return out

    def decide(
        self, report: Report, evidence: Sequence[PairEvidence], probs: np.ndarray, finding_probs: dict[int, float] | None = None
    ) -> Report:
        """The re-graded report for per-pair probabilities ``probs`` (aligned with ``evidence``) and,
        with a finding model, per-finding ones (index into ``report.findings`` -> probability)."""
        prob = {e.pair: float(p) for e, p in zip(evidence, probs, strict=True)}
        finding_probs = finding_probs or {}
        findings: list[Finding] = []
        for k, f in enumerate(report.findings):
            if f.pair is not None and f.severity >= Severity.MAJOR:
                p = finding_probs.get(k, prob.get(f.pair))
                if p is not None and p < self.keep:
                    what = "this finding marks" if k in finding_probs else "this pair holds"
                    f = replace(f, severity=Severity.MINOR, message=f"{f.message} (re-graded minor by the judge: p={p:.2f} that {what} a major error, below its {self.keep:.2f} threshold)")
            findings.append(f)
        flagged_pairs = {f.pair for f in findings if f.pair is not None and f.severity >= Severity.MAJOR}
        for e, p in zip(evidence, probs, strict=True):
            if p >= self.new and e.pair not in flagged_pairs and e.worst_copy is not None and report.verdict != Verdict.NOT_A_COPY:
                findings.append(_misaligned(report, e, float(p)))
        verdict = report.verdict
        if verdict == Verdict.NOT_A_COPY and not any(p >= self.new for p in probs):
            findings = [replace(f, severity=Severity.MINOR, message=f"{f.message} (re-graded minor: every pair reads as a translation of the other)") if f.severity >= Severity.MAJOR else f for f in findings]
        has_major = any(f.severity >= Severity.MAJOR for f in findings)
        if verdict in (Verdict.DISTORTED, Verdict.NOT_A_COPY) and not has_major:
            verdict = Verdict.EDITED
        elif verdict in (Verdict.FAITHFUL, Verdict.EDITED) and has_major:
            verdict = Verdict.DISTORTED
        worst = max(probs, default=0.0)
        score = round(min(report.score, 100.0 * (1.0 - float(worst))), 2) if len(probs) else report.score
        findings.sort(key=lambda f: (f.pair if f.pair is not None else 1 << 30, -f.severity.rank, f.rule))
        by_pair: dict[int, list[Finding]] = {}
        for f in findings:
            if f.pair is not None:
                by_pair.setdefault(f.pair, []).append(f)
        pairs = tuple(replace(p, findings=tuple(by_pair.get(p.index, ()))) for p in report.pairs)
        signature = report.signature if "judge:" in report.signature else report.signature.replace("|fidelity:", f"|judge:{self.version}|fidelity:")
        return replace(report, findings=tuple(findings), pairs=pairs, verdict=verdict, score=score, signature=signature)


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


def judge(report: Report, *, weights: str = DEFAULT, language: str = "en", split: str = "sentences") -> Report:
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
    )
