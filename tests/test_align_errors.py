"""corpora/tools/align_errors.py: each kind of alignment error is told apart."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from fidelity.align import AlignSettings
from fidelity.types import Group

_PATH = Path(__file__).resolve().parent.parent / "corpora" / "tools" / "align_errors.py"
_SPEC = importlib.util.spec_from_file_location("align_errors", _PATH)
assert _SPEC is not None and _SPEC.loader is not None
tool = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(tool)


def test_one_sided_groups_count_a_sentence_each() -> None:
    assert tool.units([Group((0, 1), (), "omission"), Group((2,), (0,), "match")]) == [((0,), ()), ((1,), ()), ((2,), (0,))]


def test_pieces_merges_and_shifts_are_told_apart() -> None:
    gold = [((0, 1), (0,)), ((2,), (1,)), ((3,), (2,)), ((4,), ()), ((5,), (3,)), ((6, 8), (4,)), ((7,), ())]
    test = [((0,), (0,)), ((1,), ()),  # the gold 2:1 in pieces
            ((2, 3), (1, 2)),  # two gold 1:1 pairs merged
            ((4, 5), (3,)),  # a gold omission glued to a pair: a merge too
            ((6, 7, 8), (4,))]  # debris inside a gold group: out of reach, returned as a merge
    kinds, examples = tool.classify(gold, test, AlignSettings())
    assert kinds["returned: piece"] == 1 and kinds["returned: piece (1-sided)"] == 1
    assert kinds["returned: merge"] == 3 and examples["returned: merge"][0] == ((2, 3), (1, 2))
    assert kinds["gold: in pieces"] == 1 and kinds["gold: out of reach"] == 1
    assert kinds["gold: crossed"] == 3 and kinds["gold: crossed (1-sided)"] == 2
    shifted, _ = tool.classify([((0, 1), (0,)), ((2,), (1,))], [((0,), (0,)), ((1, 2), (1,))], AlignSettings())
    assert shifted["returned: shifted"] == 1 and shifted["gold: crossed"] == 2
