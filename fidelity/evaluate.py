"""Moved to ``fidelity.eval.align``; this module re-exports its public names for older imports."""

from fidelity.eval.align import (
    PR,
    AlignScores,
    Gold,
    GoldResult,
    evaluate_gold,
    find_gold,
    format_group,
    format_groups,
    parse_groups,
    read_gold,
    score,
)

__all__ = ["PR", "AlignScores", "Gold", "GoldResult", "evaluate_gold", "find_gold", "format_group", "format_groups",
           "parse_groups", "read_gold", "score"]
