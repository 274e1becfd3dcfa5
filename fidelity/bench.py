"""Moved to ``fidelity.eval.demetr``; kept so ``from fidelity import bench`` keeps working."""

from fidelity.eval.demetr import *  # noqa: F403
from fidelity.eval.demetr import (  # noqa: F401  (private helpers the tests and scripts use)
    _cosines,
    _measures,
    _start_lexical,
    pairwise_wins,
)
