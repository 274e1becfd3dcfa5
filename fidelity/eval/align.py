"""Alignment evaluation: gold files in, precision/recall/F1 out.

In: gold alignment files (format below) and an ``Alignment`` to score, or a gold file to
re-align and score. Out: ``AlignScores`` with strict and lax precision, recall and F1 as
Vecalign's ``score.py`` defines them, plus precision and recall of omissions, additions
and moves, which that measure ignores.

Gold format (``*.gold``, UTF-8 text): ``#`` header lines ``# key: value`` name the
``original`` and ``copy`` files (paths relative to the repository root, or to the gold
file's folder), the ``split`` (sentences|lines) and the ``language``; then one group per
line in Vecalign's notation with an optional ``moved`` marker::

    [0]:[3]
    [5, 6]:[7]
    [8]:[]
    []:[9]
    [48]:[52] moved

Indices are fidelity's own sentence numbers (``segment(extract(path))``), 0-based. A
group with both sides and no marker is an in-order match.

Scoring follows Vecalign: one-sided groups are split into one group per sentence (as in
Vecalign's gold files), precision is counted over all test groups and recall over the
two-sided gold groups; a lax hit is a test group that shares at least one original and
one copy sentence with a gold group. The ``moved`` marker does not change strict/lax;
moves are scored separately as sets of original sentences reported moved.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from fidelity.align import AlignSettings, align, settings_for, side_vectors
from fidelity.embed import Embedder
from fidelity.errors import InputError
from fidelity.types import Alignment, Group, PairKind

_LINE = re.compile(r"^\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\](?:\s+(moved))?\s*$")


@dataclass(frozen=True)
class Gold:
    """One gold alignment: where its documents are and its groups."""

    path: Path
    original: Path
    copy: Path
    split: str
    language: str
    groups: tuple[Group, ...]
    meta: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def name(self) -> str:
        return self.path.stem


def format_group(group: Group) -> str:
    """``[0, 1]:[2]``, with `` moved`` appended for a moved group."""
    text = f"[{', '.join(map(str, group.original))}]:[{', '.join(map(str, group.copy))}]"
    return text + " moved" if group.kind == "moved" else text


def format_groups(groups: Iterable[Group]) -> str:
    return "".join(format_group(g) + "\n" for g in groups)


def parse_groups(lines: Iterable[str], name: str = "<gold>") -> tuple[Group, ...]:
    groups: list[Group] = []
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if not match:
            raise InputError(name, f"line {number}: expected a group like [0, 1]:[2] (optionally ' moved'), got {line!r}")
        o = tuple(int(x) for x in match.group(1).replace(",", " ").split())
        c = tuple(int(x) for x in match.group(2).replace(",", " ").split())
        if not o and not c:
            continue
        kind: PairKind
        if match.group(3):
            if not (o and c):
                raise InputError(name, f"line {number}: a moved group needs sentences on both sides")
            kind = "moved"
        else:
            kind = "match" if o and c else ("omission" if o else "addition")
        groups.append(Group(o, c, kind))
    return tuple(groups)


def read_gold(path: str | Path) -> Gold:
    """Read a ``.gold`` file; ``InputError`` when it or its documents cannot be found."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(str(path), f"cannot read gold file ({exc.strerror})") from None
    meta: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("#") and ":" in line:
            key, _, value = line[1:].partition(":")
            meta.setdefault(key.strip(), value.strip())
    for key in ("original", "copy"):
        if key not in meta:
            raise InputError(str(path), f"header line '# {key}: PATH' is missing")
    return Gold(
        path=path,
        original=_resolve(path, meta["original"]),
        copy=_resolve(path, meta["copy"]),
        split=meta.get("split", "sentences"),
        language=meta.get("language", "en"),
        groups=parse_groups(text.splitlines(), str(path)),
        meta=meta,
    )


def _resolve(gold: Path, ref: str) -> Path:
    for base in [gold.parent, *gold.resolve().parents]:
        candidate = base / ref
        if candidate.exists():
            return candidate
    raise InputError(str(gold), f"document {ref!r} not found next to the gold file or in any folder above it")


def find_gold(root: str | Path) -> list[Path]:
    """All ``*.gold`` files under ``root``, sorted."""
    return sorted(Path(root).rglob("*.gold"))


@dataclass(frozen=True)
class PR:
    """Precision and recall of a set of reported items; None where nothing was there to count."""

    precision: float | None
    recall: float | None
    gold: int
    test: int

    @property
    def f1(self) -> float | None:
        return _f1(self.precision, self.recall)


@dataclass(frozen=True)
class AlignScores:
    strict_precision: float
    strict_recall: float
    lax_precision: float
    lax_recall: float
    omissions: PR
    additions: PR
    moves: PR

    @property
    def strict_f1(self) -> float:
        return _f1(self.strict_precision, self.strict_recall) or 0.0

    @property
    def lax_f1(self) -> float:
        return _f1(self.lax_precision, self.lax_recall) or 0.0


def _f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None:
        return None
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


Pairs = set[tuple[tuple[int, ...], tuple[int, ...]]]


def _explode(groups: Sequence[Group]) -> Pairs:
    out: Pairs = set()
    for g in groups:
        if g.original and g.copy:
            out.add((tuple(g.original), tuple(g.copy)))
        else:
            out.update(((i,), ()) for i in g.original)
            out.update(((), (j,)) for j in g.copy)
    return out


def _precision(gold: Pairs, test: Pairs) -> tuple[int, int, int, int]:
    """Vecalign ``score.py`` ``_precision``: (tp strict, fp strict, tp lax, fp lax)."""
    to_gold: defaultdict[int, set[int]] = defaultdict(set)
    for g_src, g_tgt in gold:
        for s in g_src:
            to_gold[s].update(g_tgt)
    tps = fps = tpl = fpl = 0
    for src, tgt in test:
        if (src, tgt) in gold:
            tps += 1
            tpl += 1
        else:
            fps += 1
            targets = set().union(*(to_gold[s] for s in src)) if src else set()
            if set(tgt) & targets:
                tpl += 1
            else:
                fpl += 1
    return tps, fps, tpl, fpl


def _pr(gold: set[int], test: set[int]) -> PR:
    hit = len(gold & test)
    return PR(hit / len(test) if test else None, hit / len(gold) if gold else None, len(gold), len(test))


def score(gold: Sequence[Group], test: Sequence[Group]) -> AlignScores:
    """Score ``test`` groups against ``gold`` groups of the same document pair."""
    g, t = _explode(gold), _explode(test)
    p = _precision(g, t)
    r = _precision({x for x in t if x[0] and x[1]}, {x for x in g if x[0] and x[1]})

    def ratio(a: int, b: int) -> float:
        return a / (a + b) if a + b else 0.0

    def sentences(groups: Sequence[Group], kind: str, side: str) -> set[int]:
        return {i for grp in groups if grp.kind == kind for i in getattr(grp, side)}

    return AlignScores(
        strict_precision=ratio(p[0], p[1]),
        strict_recall=ratio(r[0], r[1]),
        lax_precision=ratio(p[2], p[3]),
        lax_recall=ratio(r[2], r[3]),
        omissions=_pr(sentences(gold, "omission", "original"), sentences(test, "omission", "original")),
        additions=_pr(sentences(gold, "addition", "copy"), sentences(test, "addition", "copy")),
        moves=_pr(sentences(gold, "moved", "original"), sentences(test, "moved", "original")),
    )


@dataclass(frozen=True)
class GoldResult:
    gold: Gold
    scores: AlignScores
    alignment: Alignment
    sentences: tuple[int, int]
    seconds_embed: float
    seconds_align: float
    model: str = ""  # name-version of the embedder used
    settings: AlignSettings = field(default_factory=AlignSettings)  # the aligner's, as used (``AlignSettings.signature``)


def evaluate_gold(gold: Gold, *, embedder: Embedder | Callable[[str], Embedder],
                  settings: AlignSettings | None = None, overlap: bool | None = None) -> GoldResult:
    """Segment and embed the gold's documents, align them and score against the gold.

    ``embedder``: the model, or a function from a model name to the model, called with the name
    ``choose_model`` gives for the gold's languages (``# language``, ``# copy-language``) and
    scripts. ``settings``: the aligner's, by default those for the gold's languages
    (``align.settings_for``: overlap vectors across languages). ``overlap`` True or False
    overrides ``settings.overlap`` (embed every run as one text, ``overlap_vectors``, or
    average sentence vectors for a group)."""
    import time

    from fidelity.embed import choose_model, dominant_script
    from fidelity.extract import TextFormat, extract
    from fidelity.segment import SplitMode, segment

    split: SplitMode = "lines" if gold.split == "lines" else "sentences"
    fmt: TextFormat = "lines" if split == "lines" else "auto"
    languages = (gold.language, gold.meta.get("copy-language", gold.language))
    s_o = segment(extract(str(gold.original), format=fmt), language=languages[0], split=split)
    s_c = segment(extract(str(gold.copy), format=fmt), language=languages[1], split=split)
    _check_range(gold, len(s_o), len(s_c))
    if not isinstance(embedder, Embedder):
        scripts = (dominant_script([s.text for s in s_o]), dominant_script([s.text for s in s_c]))
        embedder = embedder(choose_model(languages, scripts))
    t0 = time.perf_counter()
    settings = settings or settings_for(languages)
    if overlap is not None:
        settings = replace(settings, overlap=overlap)
    e_o = side_vectors(embedder, [s.text for s in s_o], settings)
    e_c = side_vectors(embedder, [s.text for s in s_c], settings)
    t1 = time.perf_counter()
    alignment = align(s_o, s_c, e_o, e_c, settings=settings)
    t2 = time.perf_counter()
    return GoldResult(gold, score(gold.groups, alignment.groups), alignment, (len(s_o), len(s_c)), t1 - t0, t2 - t1,
                      f"{embedder.name}-{embedder.version}", settings)


def _check_range(gold: Gold, n: int, m: int) -> None:
    seen_o = sorted(i for g in gold.groups for i in g.original)
    seen_c = sorted(j for g in gold.groups for j in g.copy)
    if seen_o != list(range(n)) or seen_c != list(range(m)):
        raise InputError(
            str(gold.path),
            f"gold does not cover the documents' sentences exactly once ({n} original, {m} copy sentences"
            f" by fidelity's segmentation); was it made with another segmenter?",
        )
