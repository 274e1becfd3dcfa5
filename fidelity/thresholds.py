"""Every tunable number of scoring and flagging, in one place, with its documented default.

Defaults were set on development data (DEMETR dev set, the synthetic corpora), never on
the seed documents; see README "Thresholds".
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Thresholds:
    identical_similarity: float = 0.999  # pair counts as unchanged at or above this cosine
    not_a_copy_coverage: float = 0.35  # below this share of original sentences matched: not a copy
    match_min_similarity: float = 0.5  # a matched pair below this is treated as unaligned for coverage

    @property
    def signature(self) -> str:
        return ",".join(f"{f.name}={getattr(self, f.name)}" for f in fields(self))
