"""Gold format and the Vecalign-style scores."""

from __future__ import annotations

from pathlib import Path

import pytest

from fidelity.errors import InputError
from fidelity.eval.align import find_gold, format_groups, parse_groups, read_gold, score
from fidelity.types import Group

ROOT = Path(__file__).resolve().parent.parent


def G(o: tuple[int, ...], c: tuple[int, ...], kind: str | None = None) -> Group:
    return Group(o, c, kind or ("match" if o and c else "omission" if o else "addition"))  # type: ignore[arg-type]


def test_parse_and_format_round_trip() -> None:
    text = "# a comment\n[0]:[0]\n[1, 2]:[1]\n[3]:[]\n[]:[2]\n[4]:[3, 4] moved\n"
    groups = parse_groups(text.splitlines())
    assert [g.kind for g in groups] == ["match", "match", "omission", "addition", "moved"]
    assert format_groups(groups) == text.split("\n", 1)[1]


def test_bad_lines_are_input_errors() -> None:
    with pytest.raises(InputError, match="line 1"):
        parse_groups(["[0]-[1]"])
    with pytest.raises(InputError, match="moved"):
        parse_groups(["[0]:[] moved"])


def test_perfect_and_vecalign_counts() -> None:
    gold = [G((0,), (0,)), G((1, 2), (1,)), G((3,), ()), G((), (2,))]
    s = score(gold, gold)
    assert (s.strict_f1, s.lax_f1) == (1.0, 1.0)
    # test splits the 2:1 into a 1:1 and an omission: strict misses it, lax still finds the 1:1
    test = [G((0,), (0,)), G((1,), (1,)), G((2,), ()), G((3,), ()), G((), (2,))]
    s = score(gold, test)
    # precision: 5 test items, strict hits (0,0) (3,) ()(2): 3 of 5; lax adds (1)->(1): 4 of 5
    assert s.strict_precision == pytest.approx(3 / 5)
    assert s.lax_precision == pytest.approx(4 / 5)
    # recall over 2-sided gold: (0,0) found, (1,2)-(1) only laxly
    assert s.strict_recall == pytest.approx(1 / 2)
    assert s.lax_recall == pytest.approx(1.0)
    assert s.omissions.precision == pytest.approx(1 / 2) and s.omissions.recall == 1.0


def test_multi_sentence_one_sided_groups_are_split() -> None:
    gold = [G((0,), (0,)), G((1,), ()), G((2,), ())]
    test = [G((0,), (0,)), G((1, 2), ())]
    assert score(gold, test).strict_precision == 1.0


def test_moves() -> None:
    gold = [G((0,), (1,)), G((1,), (0,), "moved"), G((2,), (2,))]
    right = score(gold, gold).moves
    assert (right.precision, right.recall) == (1.0, 1.0)
    wrong = score(gold, [G((0,), (1,), "moved"), G((1,), (0,)), G((2,), (2,))]).moves
    assert (wrong.precision, wrong.recall) == (0.0, 0.0)
    # as omission plus addition: no move found, and strict recall drops
    split = score(gold, [G((0,), (1,)), G((1,), ()), G((), (0,)), G((2,), (2,))])
    assert split.moves.recall == 0.0 and split.strict_recall == pytest.approx(2 / 3)
    none = score([G((0,), (0,))], [G((0,), (0,))]).moves
    assert none.precision is None and none.recall is None


def test_corpus_gold_files_read_and_cover_their_documents() -> None:
    from fidelity.extract import extract
    from fidelity.segment import segment

    paths = find_gold(ROOT / "corpora")
    assert {p.stem for p in paths} >= {"seed-000-001", "seed-000-002", "roundtrip", "edited", "long"}
    for path in paths:
        gold = read_gold(path)
        if gold.name == "long":
            continue  # 11k sentences: covered by the benchmark
        fmt = "lines" if gold.split == "lines" else "auto"
        split = "lines" if gold.split == "lines" else "sentences"
        n = len(segment(extract(str(gold.original), format=fmt), split=split))
        m = len(segment(extract(str(gold.copy), format=fmt), split=split))
        assert sorted(i for g in gold.groups for i in g.original) == list(range(n)), path
        assert sorted(j for g in gold.groups for j in g.copy) == list(range(m)), path


def test_missing_header_and_file(tmp_path: Path) -> None:
    bad = tmp_path / "x.gold"
    bad.write_text("[0]:[0]\n")
    with pytest.raises(InputError, match="original"):
        read_gold(bad)
    with pytest.raises(InputError, match="cannot read"):
        read_gold(tmp_path / "nope.gold")
