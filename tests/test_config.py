"""fidelity.config: discovery, validation errors with file and line, pairs, globs, manifests, overrides."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from fidelity.config import STARTER, Config, PairSpec, find_config, load_config
from fidelity.errors import ConfigError
from fidelity.manifest import read_manifest
from fidelity.types import GlossaryTerm, Severity


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return str(info.value)


# -- discovery


def test_find_config_walks_up_from_a_subfolder(tmp_path: Path) -> None:
    cfg = write(tmp_path / "fidelity.toml", 'fail-on = "minor"\n')
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_config(deep) == cfg


def test_find_config_takes_pyproject_only_with_tool_fidelity(tmp_path: Path) -> None:
    outer = write(tmp_path / "pyproject.toml", '[tool.fidelity]\nfail-on = "critical"\n')
    write(tmp_path / "inner" / "pyproject.toml", '[tool.ruff]\nline-length = 100\n')
    assert find_config(tmp_path / "inner") == outer
    assert load_config(outer).policy.fail_on is Severity.CRITICAL


def test_find_config_prefers_fidelity_toml_in_the_same_folder(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.fidelity]\nfail-on = "critical"\n')
    own = write(tmp_path / "fidelity.toml", 'fail-on = "minor"\n')
    assert find_config(tmp_path) == own


def test_no_config_gives_defaults() -> None:
    cfg = load_config(None)
    assert cfg.path is None and cfg.policy.fail_on is Severity.MAJOR and cfg.pairs == ()


# -- errors name file, line, key and choices


def test_typo_in_a_key_names_file_line_and_the_likely_key(tmp_path: Path) -> None:
    cfg = write(tmp_path / "fidelity.toml", 'model = "hashing"\n\n# policy\nfial-on = "major"\n')
    msg = error_of(cfg)
    assert msg.startswith(f"{cfg}:4: fial-on: unknown key")
    assert "did you mean 'fail-on'" in msg and "valid keys:" in msg


def test_typo_in_an_array_table_key_points_at_that_table(tmp_path: Path) -> None:
    cfg = write(
        tmp_path / "fidelity.toml",
        '[[pairs]]\noriginal = "a"\ncopy = "b"\n\n[[pairs]]\noriginal = "a"\ncopie = "c"\n',
    )
    msg = error_of(cfg)
    assert msg.startswith(f"{cfg}:7: pairs[1].copie: unknown key; did you mean 'copy'?")


def test_bad_severity_names_the_choices(tmp_path: Path) -> None:
    cfg = write(tmp_path / "fidelity.toml", 'model = "hashing"\nfail-on = "severe"\n')
    assert error_of(cfg) == f"{cfg}:2: fail-on: unknown severity 'severe'; choose one of: minor, major, critical"


def test_bad_severity_in_an_override_in_pyproject(tmp_path: Path) -> None:
    cfg = write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.fidelity]\n\n[[tool.fidelity.overrides]]\npartner = "acme"\nfail-on = "hihg"\n')
    assert error_of(cfg).startswith(f"{cfg}:8: overrides[0].fail-on: unknown severity 'hihg'")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('model = "bert"\n', "unknown model 'bert'; choose one of: auto, minilm, use-m3, hashing"),
        ('min-score = 120\n', "min-score: expected a number from 0 to 100"),
        ('select = ["omision"]\n', "unknown rule or category 'omision'; choose from:"),
        ('output-format = "xml"\n', "unknown output format 'xml'; choose one of: text, concise"),
        ('keep-boilerplate = "yes"\n', "expected true or false"),
        ('[[overrides]]\nfail-on = "minor"\n', "an override needs 'partner' or 'copies'"),
        ('[[pairs]]\noriginal = "a.txt"\n', "missing required key 'copy'"),
        ('language = "klingon"\n', "no sentence segmenter for language 'klingon'"),
        ('fail-on = [\n', "not valid TOML"),
        ('information-uri = "example.org/fidelity"\n', "information-uri: expected an absolute http(s) URL"),
        ('information-uri = "javascript:alert(1)"\n', "information-uri: expected an absolute http(s) URL"),
        ('information-uri = "https://x.org/a b"\n', "information-uri: expected an absolute http(s) URL"),
    ],
)
def test_bad_values_are_one_line_errors(tmp_path: Path, text: str, expected: str) -> None:
    msg = error_of(write(tmp_path / "fidelity.toml", text))
    assert expected in msg and "\n" not in msg and str(tmp_path / "fidelity.toml") in msg


def test_a_config_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    path = tmp_path / "fidelity.toml"
    path.write_bytes(b"\xef\xbb\xbfmodel = 'hashing'\nfail-on = 'nope'\n")
    assert error_of(path).startswith(f"{path}:2: fail-on:")  # read, and lines still counted right
    path.write_bytes(b"\xef\xbb\xbfmodel = 'hashing'\n")
    assert load_config(path).model == "hashing"


def test_a_number_past_the_digit_limit_is_named(tmp_path: Path) -> None:
    msg = error_of(write(tmp_path / "fidelity.toml", "min-score = " + "9" * 5000 + "\n"))
    assert "a number longer than" in msg and "set_int_max_str_digits" not in msg


def test_multiline_arrays_do_not_confuse_line_numbers(tmp_path: Path) -> None:
    cfg = write(tmp_path / "fidelity.toml", 'ignore = [\n  "moved",\n  "addition",\n]\nfail-on = "nope"\n')
    assert error_of(cfg).startswith(f"{cfg}:5: fail-on:")


# -- pairs, globs, manifests


def test_pairs_are_relative_to_the_config_folder(tmp_path: Path) -> None:
    cfg = load_config(write(tmp_path / "conf" / "fidelity.toml", '[[pairs]]\noriginal = "o.txt"\ncopy = "c/x.txt"\npartner = "p"\n'))
    (pair,) = cfg.pairs
    assert pair.original == tmp_path / "conf" / "o.txt" and pair.copy == tmp_path / "conf" / "c" / "x.txt" and pair.partner == "p"


def test_globs_pair_files_by_name_and_take_the_folder_as_partner(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt"):
        write(tmp_path / "orig" / name, "x")
    write(tmp_path / "partners" / "acme" / "a.txt", "x")
    write(tmp_path / "partners" / "beta" / "b.txt", "x")
    write(tmp_path / "partners" / "beta" / "z.txt", "x")  # no original of that name
    cfg = load_config(write(tmp_path / "fidelity.toml", '[[globs]]\noriginals = "orig/*.txt"\ncopies = "partners/*/*.txt"\n'))
    got = {(p.original.name, p.copy.relative_to(tmp_path).as_posix(), p.partner, p.error is not None) for p in cfg.pairs}
    assert got == {
        ("a.txt", "partners/acme/a.txt", "acme", False),
        ("b.txt", "partners/beta/b.txt", "beta", False),
        ("*.txt", "partners/beta/z.txt", "beta", True),  # original: the glob itself
    }


def test_a_glob_matching_nothing_is_an_error(tmp_path: Path) -> None:
    cfg = write(tmp_path / "fidelity.toml", '[[globs]]\noriginals = "o/*.txt"\ncopies = "nowhere/*.txt"\n')
    assert error_of(cfg).startswith(f"{cfg}:3: globs[0].copies: matches no file")


def test_csv_manifest_rows_and_a_row_without_copy(tmp_path: Path) -> None:
    man = write(tmp_path / "m" / "pairs.csv", "original,copy,partner\no.txt,c1.txt,acme\no.txt,,beta\n\no.txt,c3.txt,\n")
    pairs = read_manifest(man)
    assert [(p.copy.name if p.error is None else None, p.partner) for p in pairs] == [("c1.txt", "acme"), (None, "beta"), ("c3.txt", None)]
    assert pairs[0].original == tmp_path / "m" / "o.txt"
    assert pairs[1].error is not None and "pairs.csv:3" in pairs[1].error and "'copy'" in pairs[1].error


def test_jsonl_manifest(tmp_path: Path) -> None:
    man = write(tmp_path / "pairs.jsonl", json.dumps({"original": "o.txt", "copy": "c.txt", "partner": "x"}) + "\n\n")
    (pair,) = read_manifest(man)
    assert pair.copy == tmp_path / "c.txt" and pair.partner == "x" and pair.source == f"{man}:1"


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("p.csv", "source,target\na,b\n", "lacks column(s) original, copy"),
        ("p.csv", "original,copy,partner,notes\na,b,c,d\n", "unknown column(s) notes"),
        ("p.jsonl", '{"original": "a", "copy": "b"}\n{"orig": 1}\n', "p.jsonl:2: unknown key(s) orig"),
        ("p.jsonl", "not json\n", "p.jsonl:1: not valid JSON"),
    ],
)
def test_bad_manifests(tmp_path: Path, name: str, text: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=None) as info:
        read_manifest(write(tmp_path / name, text))
    assert expected in str(info.value)


def test_a_missing_manifest_named_by_the_config_names_the_config_line(tmp_path: Path) -> None:
    cfg = write(tmp_path / "fidelity.toml", 'model = "hashing"\nmanifest = "gone.csv"\n')
    msg = error_of(cfg)
    assert msg.startswith(f"{cfg}:2: manifest:") and "gone.csv: manifest not found" in msg


# -- overrides and glossary


def test_overrides_by_partner_and_by_glob_later_wins(tmp_path: Path) -> None:
    cfg = load_config(
        write(
            tmp_path / "fidelity.toml",
            'fail-on = "major"\nmin-score = 50\n'
            '[[overrides]]\npartner = "acme"\nfail-on = "critical"\n'
            '[[overrides]]\ncopies = "partners/acme/legal/*"\nfail-on = "minor"\nignore = ["moved"]\n',
        )
    )
    plain = PairSpec(tmp_path / "o", tmp_path / "partners" / "beta" / "x.txt", "beta")
    acme = PairSpec(tmp_path / "o", tmp_path / "partners" / "acme" / "x.txt", "acme")
    legal = PairSpec(tmp_path / "o", tmp_path / "partners" / "acme" / "legal" / "x.txt", "acme")
    assert cfg.policy_for(plain).fail_on is Severity.MAJOR
    assert cfg.policy_for(acme).fail_on is Severity.CRITICAL and cfg.policy_for(acme).min_score == 50
    assert cfg.policy_for(legal).fail_on is Severity.MINOR and cfg.policy_for(legal).ignore == ("moved",)


def test_glossary_strings_and_tables(tmp_path: Path) -> None:
    cfg = load_config(
        write(
            tmp_path / "fidelity.toml",
            'glossary = ["NATO", {term = "European Union", variants = ["EU"], case-sensitive = true}]\n',
        )
    )
    assert cfg.glossary == (GlossaryTerm("NATO"), GlossaryTerm("European Union", ("EU",), True))


def test_glossary_table_typo(tmp_path: Path) -> None:
    cfg = write(tmp_path / "fidelity.toml", '[[glossary]]\nterm = "NATO"\nvariant = ["N.A.T.O."]\n')
    assert error_of(cfg).startswith(f"{cfg}:3: glossary[0].variant: unknown key; did you mean 'variants'?")


def test_the_starter_config_is_valid_and_loads(tmp_path: Path) -> None:
    tomllib.loads(STARTER)
    cfg = load_config(write(tmp_path / "fidelity.toml", STARTER))
    assert isinstance(cfg, Config) and cfg.policy.fail_on is Severity.MAJOR
