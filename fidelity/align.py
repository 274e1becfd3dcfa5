"""Stage 4, align: two sentence lists and their embeddings -> ``Alignment``.

(Placeholder monotonic 1:1 aligner; replaced by the full n:m aligner with moves.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from fidelity.embed import Vectors
from fidelity.types import Alignment, Group, Sentence


@dataclass(frozen=True)
class AlignSettings:
    max_group: int = 3

    @property
    def signature(self) -> str:
        return f"align:dp-max{self.max_group}"


def align(
    original: Sequence[Sentence],
    copy: Sequence[Sentence],
    emb_original: Vectors,
    emb_copy: Vectors,
    *,
    settings: AlignSettings = AlignSettings(),
) -> Alignment:
    n, m = len(original), len(copy)
    sim = emb_original @ emb_copy.T if n and m else np.zeros((n, m))
    skip = 0.45
    cost = np.full((n + 1, m + 1), np.inf)
    back = np.zeros((n + 1, m + 1), dtype=np.int8)
    cost[0, 0] = 0
    for i in range(n + 1):
        for j in range(m + 1):
            if i and j and cost[i - 1, j - 1] + (1 - sim[i - 1, j - 1]) < cost[i, j]:
                cost[i, j] = cost[i - 1, j - 1] + (1 - sim[i - 1, j - 1]); back[i, j] = 1
            if i and cost[i - 1, j] + skip < cost[i, j]:
                cost[i, j] = cost[i - 1, j] + skip; back[i, j] = 2
            if j and cost[i, j - 1] + skip < cost[i, j]:
                cost[i, j] = cost[i, j - 1] + skip; back[i, j] = 3
    groups: list[Group] = []
    i, j = n, m
    while i or j:
        b = back[i, j]
        if b == 1:
            groups.append(Group((i - 1,), (j - 1,), "match", float(sim[i - 1, j - 1]))); i -= 1; j -= 1
        elif b == 2:
            groups.append(Group((i - 1,), (), "omission")); i -= 1
        else:
            groups.append(Group((), (j - 1,), "addition")); j -= 1
    return Alignment(tuple(reversed(groups)), settings.signature)
