"""The embedder choice by language pair and script (fidelity.embed)."""

from __future__ import annotations

import pytest

from fidelity.embed import choose_model, dominant_script, parse_languages
from fidelity.errors import ConfigError


def test_dominant_script_counts_letters_only() -> None:
    assert dominant_script(["Hello, world! 123"]) == "LATIN"
    assert dominant_script(["Привет, мир", "ok"]) == "CYRILLIC"
    assert dominant_script(["東京は大きい"]) == "CJK"
    assert dominant_script(["1234 -- !!", ""]) == ""


@pytest.mark.parametrize(
    ("languages", "scripts", "model"),
    [
        (("en", "en"), ("LATIN", "LATIN"), "minilm"),  # English copy of an English text: as before
        (("English", "en"), ("LATIN", "LATIN"), "use-m3"),  # two spellings are not resolved: safe side
        (("de", "fr"), ("LATIN", "LATIN"), "use-m3"),  # a translation, same script
        (("fr", "fr"), ("LATIN", "LATIN"), "use-m3"),  # minilm is English only
        (("en", "en"), ("LATIN", "CYRILLIC"), "use-m3"),  # --language not given, texts say otherwise
        (("en", "en"), ("LATIN", ""), "minilm"),  # no letters on one side: no evidence
    ],
)
def test_choose_model(languages: tuple[str, str], scripts: tuple[str, str], model: str) -> None:
    assert choose_model(languages, scripts) == model


def test_parse_languages() -> None:
    assert parse_languages("en") == ("en", "en")
    assert parse_languages("de:fr") == ("de", "fr")
    for bad in ("de:", ":fr", "a:b:c", ""):
        with pytest.raises(ConfigError, match="ORIGINAL:COPY"):
            parse_languages(bad)
