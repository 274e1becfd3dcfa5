"""fidelity.nlp: the shipped lexical data (WordNet antonyms and base forms, word list) and spaCy loading."""

from __future__ import annotations

import fnmatch
import importlib.util
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

from fidelity import nlp

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "fidelity" / "data"
DEBIAN_WORDNET = Path("/usr/share/wordnet")
DEBIAN_WORDLIST = Path("/usr/share/dict/american-english")
needs_debian = pytest.mark.skipif(
    not ((DEBIAN_WORDNET / "data.noun").is_file() and DEBIAN_WORDLIST.is_file()),
    reason="Debian wordnet-base / wamerican not installed: nothing to compare the shipped data with",
)


def _builder() -> ModuleType:
    name = "fidelity_tools_build_lexicon"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / "build_lexicon.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def nlp_debian_tables():
    return _builder().read_debian(DEBIAN_WORDNET, DEBIAN_WORDLIST)


def _clear_caches() -> None:
    for f in (nlp.wordnet, nlp._wordlist, nlp.lemma, nlp.antonyms):
        f.cache_clear()


# --- answers ---------------------------------------------------------------------------


def test_antonyms_and_base_forms():
    assert "decrease" in nlp.antonyms("increase", "VERB")
    assert "bad" in nlp.antonyms("good", "ADJ")
    assert "unable" in nlp.antonyms("able", "ADJ")
    assert nlp.antonyms("good", "PROPN") == frozenset()  # no WordNet part of speech
    assert nlp.lemma("geese", "NOUN") == "goose"  # exception list
    assert nlp.lemma("went", "VERB") == "go"
    assert nlp.lemma("running", "VERB") == "run"  # detachment rule checked against the word list
    assert nlp.lemma("Houses", "NOUN") == "house"
    assert nlp.lemma("xyzzyed", "VERB") == "xyzzyed"  # unknown: the word itself


def test_classes_say_what_a_named_thing_is():
    assert "planet" in nlp.classes("Earth")
    assert "river" in nlp.classes("the nile".removeprefix("the "))
    assert "city" in nlp.classes("Paris")
    assert nlp.classes("Qzxvw Street") == frozenset()


def test_aliases_are_other_names_of_one_thing():
    assert "myanmar" in nlp.aliases("Burma")
    assert "middle east" in nlp.aliases("Mideast")
    assert "burma" not in nlp.aliases("Burma")  # the name itself is not its alias
    assert nlp.aliases("Qzxvw Street") == set()


def test_name_only_words():
    assert nlp.is_name_only("Paris") and nlp.is_name_only("schwartz")  # the list has them only capitalised
    assert not nlp.is_name_only("association") and not nlp.is_name_only("china")  # china: porcelain


def test_word_list():
    assert nlp.wordlist_available()
    assert nlp.is_english_word("house")
    assert nlp.is_english_word("Houses")
    assert nlp.is_english_word("prettiest")  # a base form via morphy
    assert not nlp.is_english_word("Gemeinderat")
    assert not nlp.is_english_word("qzxvw")
    assert nlp.edits1_known("huose")
    assert not nlp.edits1_known("qzxvwk")


def test_resources_names_the_shipped_data():
    parts = nlp.resources().split(",")
    assert "wordnet:3.0" in parts and "words:wamerican" in parts


def test_missing_data_means_unknown_not_an_error(monkeypatch):
    monkeypatch.setattr(nlp, "_data_lines", lambda name: None)
    _clear_caches()
    try:
        assert nlp.wordnet() is None
        assert nlp.antonyms("good", "ADJ") == frozenset()
        assert nlp.lemma("geese", "NOUN") == "geese"
        assert nlp.is_english_word("qzxvw")  # no list: every word known
        assert "wordnet:-" in nlp.resources() and "words:-" in nlp.resources()
    finally:
        monkeypatch.undo()
        _clear_caches()
    assert nlp.wordnet() is not None


# --- the shipped data does not need the Debian files ---------------------------------


def test_loads_without_the_debian_files():
    """In a fresh interpreter, record every file opened: nothing under /usr/share/wordnet or /usr/share/dict."""
    code = (
        "import sys\n"
        "opened = []\n"
        "sys.addaudithook(lambda ev, args: opened.append(str(args[0])) if ev == 'open' else None)\n"
        "from fidelity import nlp\n"
        "assert 'bad' in nlp.antonyms('good', 'ADJ')\n"
        "assert nlp.lemma('geese', 'NOUN') == 'goose'\n"
        "assert nlp.is_english_word('house') and not nlp.is_english_word('qzxvw')\n"
        "bad = [p for p in opened if p.startswith(('/usr/share/wordnet', '/usr/share/dict'))]\n"
        "assert not bad, bad\n"
        "assert any('lexicon-words' in p for p in opened), 'the shipped word list was not read'\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_data_files_are_package_data():
    """Every shipped lexicon file matches a pattern of [tool.setuptools.package-data] fidelity."""
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["fidelity"]
    files = sorted(p for p in DATA.glob("lexicon*"))
    names = {p.name for p in files}
    assert {
        *nlp.LEXICON_FILES,
        "lexicon-WORDNET-LICENSE.txt",
        "lexicon-SCOWL-COPYRIGHT.txt",
        "lexicon-README.md",
    } <= names
    for p in files:
        rel = p.relative_to(ROOT / "fidelity").as_posix()
        assert any(fnmatch.fnmatch(rel, pat) for pat in patterns), f"{rel} matches no package-data pattern {patterns}"
    assert sum(p.stat().st_size for p in files) < 3_000_000


# --- the shipped data equals the Debian files ----------------------------------------


@needs_debian
def test_shipped_tables_equal_the_debian_files(nlp_debian_tables):
    wn = nlp.wordnet()
    assert wn is not None
    assert wn._antonyms == nlp_debian_tables.antonyms
    assert wn._exceptions == nlp_debian_tables.exceptions
    assert nlp._wordlist() == frozenset(nlp_debian_tables.words)


@needs_debian
def test_sample_answers_equal_the_debian_files(nlp_debian_tables):
    """Answers through the public functions against a lexicon built straight from the Debian files."""
    t = nlp_debian_tables
    debian = nlp.Lexicon(t.antonyms, t.exceptions)
    words = sorted(t.words)
    known_words = frozenset(t.words)
    sample = words[::97]
    sample += [w for pos in ("n", "v", "a") for w in sorted(t.exceptions[pos])[::37]]
    sample += [w for (w, _) in sorted(t.antonyms)[::23]]
    sample += [w + suf for w in words[::211] for suf in ("s", "es", "ed", "ing", "er", "est")]
    assert len(sample) > 2000
    pos_tags = {"NOUN": "n", "VERB": "v", "ADJ": "a", "ADV": "r"}
    # a candidate WordNet has in the part of speech wins (its synonym groups name those words)
    pos_known = {p: frozenset(w for q, group in t.synonyms if q == p for w in group.split(" ")) for p in pos_tags.values()}
    for w in sample:
        for tag, p in pos_tags.items():
            base = debian.morphy(w, p, known_words, pos_known[p]) or w
            assert nlp.lemma(w, tag) == base, (w, tag)
            assert nlp.antonyms(w, tag) == frozenset(debian.antonyms(w, p) | debian.antonyms(base, p)), (w, tag)
        known = w in t.words or any(debian.morphy(w, p, known_words) for p in "nvar")
        assert nlp.is_english_word(w) == known, w


@needs_debian
def test_rebuild_gives_the_shipped_files(nlp_debian_tables, tmp_path):
    """The shipped files hold what tools/build_lexicon.py makes from the installed packages today.

    Compared after gunzip: another zlib may compress the same lines to other bytes.
    """
    import gzip

    paths = _builder().write(nlp_debian_tables, tmp_path)
    for p in paths:
        fresh, shipped = gzip.decompress(p.read_bytes()), gzip.decompress((DATA / p.name).read_bytes())
        assert fresh == shipped, f"{p.name} is stale: run python tools/build_lexicon.py"


# --- spaCy without torch ---------------------------------------------------------------

_NLP_SENTENCES = [
    "The council did not approve the new budget on Tuesday.",
    "Prices rose by 15 percent in Berlin last year, according to Maria Schmidt.",
    "She said the bridge would be closed until March.",
    "Nobody expected the smaller team to win the final.",
]
_NLP_PARSE = (
    "import json, sys\n"
    "{first}"
    "from fidelity import nlp\n"
    "docs = nlp.parse(json.loads(sys.argv[1]))\n"
    "torch_loaded = 'torch' in sys.modules\n"
    "import torch  # importable afterwards: the block is lifted\n"
    "print(json.dumps({{'torch': torch_loaded, 'docs': [[(t.text, t.tag_, t.dep_, t.head.i, t.ent_type_) for t in d] for d in docs]}}))\n"
)


def _parse_in_fresh_process(first: str) -> dict:
    import json

    code = _NLP_PARSE.format(first=first)
    out = subprocess.run(
        [sys.executable, "-c", code, json.dumps(_NLP_SENTENCES)], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


@pytest.mark.skipif(not nlp.spacy_available(), reason="spaCy model not installed")
def test_spacy_loads_without_torch_and_parses_the_same():
    alone = _parse_in_fresh_process("")
    after_torch = _parse_in_fresh_process("import torch\n")
    assert alone["torch"] is False  # spaCy and its model did not pull torch in
    assert after_torch["torch"] is True  # an already imported torch is left alone
    assert alone["docs"] == after_torch["docs"]


_NLP_WITHOUT_CLI = (
    "import json, sys\n"
    "from fidelity import nlp\n"
    "docs = nlp.parse(json.loads(sys.argv[1]))\n"
    "loaded = sorted(n for n in ('spacy.cli', 'weasel', 'httpx', 'requests') if n in sys.modules)\n"
    "import spacy, spacy.cli  # the real command line, once something asks for it\n"
    "real = hasattr(spacy.cli, 'download') and spacy.cli.info.__module__ == 'spacy.cli.info'\n"
    "print(json.dumps({'loaded': loaded, 'real': real, 'docs': [[(t.text, t.tag_, t.dep_, t.head.i, t.ent_type_) for t in d] for d in docs]}))\n"
)


@pytest.mark.skipif(not nlp.spacy_available(), reason="spaCy model not installed")
def test_spacy_loads_without_its_command_line_and_parses_the_same():
    import json

    out = subprocess.run(
        [sys.executable, "-c", _NLP_WITHOUT_CLI, json.dumps(_NLP_SENTENCES)], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    assert got["loaded"] == []  # neither spaCy's CLI nor the HTTP clients it imports
    assert got["real"] is True  # and importing spacy.cli afterwards gives spaCy's own package
    with_cli = _parse_in_fresh_process("import spacy.cli\n")  # the CLI imported first: spaCy loads as usual
    assert got["docs"] == with_cli["docs"]


@pytest.mark.skipif(not nlp.spacy_available(), reason="spaCy model not installed")
def test_spacy_tokenizer_started_bare_is_the_packages_own():
    # nlp._load starts the tokenizer without the language's default rules (the package's own
    # replace them all): the same rules, patterns and parses as spaCy's ordinary load
    import importlib

    ordinary = importlib.import_module(nlp.SPACY_PACKAGE).load(exclude=["lemmatizer", "senter"])
    ours = nlp._nlp()
    def setting(tokenizer, attr: str):
        value = getattr(tokenizer, attr)
        pattern = getattr(value, "__self__", None)  # a compiled pattern's bound search/finditer/match
        return (pattern.pattern, pattern.flags) if pattern is not None else value

    for attr in ("rules", "prefix_search", "suffix_search", "infix_finditer", "token_match", "url_match", "faster_heuristics"):
        assert setting(ours.tokenizer, attr) == setting(ordinary.tokenizer, attr), attr
    texts = [*_NLP_SENTENCES, "Mr. Smith doesn't live in the U.S. (he left at 5pm) :) e.g. www.example.com, n't."]

    def read(docs):
        return [[(t.text, t.idx, t.norm_, t.tag_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_) for t in d] for d in docs]

    assert read(ours.pipe(texts)) == read(ordinary.pipe(texts))


@pytest.mark.skipif(not nlp.spacy_available(), reason="spaCy model not installed")
def test_parse_cache_drops_the_least_recently_used(monkeypatch):
    monkeypatch.setattr(nlp, "PARSE_CACHE_MAX", 3)
    monkeypatch.setattr(nlp, "_parsed", type(nlp._parsed)())
    texts = [f"Sentence number {k} is short." for k in range(5)]
    docs = nlp.parse(texts)  # more than the cache holds: every doc is still returned
    assert [d.text for d in docs] == texts
    assert list(nlp._parsed) == texts[2:]
    nlp.parse([texts[2]])  # a hit makes it the most recent
    nlp.parse(["Another one."])
    assert list(nlp._parsed) == [texts[4], texts[2], "Another one."]
    assert nlp.parse([texts[4]])[0] is docs[4]  # still cached: the same Doc object


def test_base_form_prefers_a_word_of_that_part_of_speech():
    # "lat" is in the word list (a noun) but is no adjective; the comparative's base is "late"
    assert nlp.lemma("later", "ADJ") == "late"
    assert nlp.lemma("lowest", "ADJ") == "low"
    assert nlp.lemma("harsher", "ADJ") == "harsh"


def test_british_spellings_are_english():
    for w in ("odour", "colours", "organised", "organisation", "analysed", "centre", "defence", "travelled", "catalogue"):
        assert nlp.is_english_word(w), w
    assert not nlp.is_english_word("xyzour")


def test_indirect_antonyms_through_adjective_clusters():
    assert nlp.opposed("huge", "small") and nlp.opposed("tiny", "huge")  # satellites of opposite heads
    assert nlp.opposed("quick", "slow") and nlp.opposed("beautiful", "hideous")
    assert not nlp.opposed("big", "large") and not nlp.opposed("huge", "vast")  # one cluster
    assert not nlp.opposed("red", "small")


@pytest.mark.skipif(nlp.wordnet() is None, reason="WordNet (wordnet-base) not installed")
def test_synonyms_are_not_hypernyms_or_antonyms() -> None:
    # Two independent translations that differ by one WordNet synonym say the same thing;
    # a hypernym (a more general word) loses information and stays at least major.
    assert nlp.synonymous("easy", "ADJ", "simple", "ADJ")
    assert nlp.synonymous("biggest", "ADJ", "largest", "ADJ")
    assert not nlp.synonymous("dog", "NOUN", "animal", "NOUN")
    assert not nlp.synonymous("large", "ADJ", "small", "ADJ")


@pytest.mark.skipif(nlp.wordnet() is None, reason="WordNet (wordnet-base) not installed")
def test_antonyms_are_listed_per_word_not_per_synset() -> None:
    # small/large are WordNet antonyms (big's own antonym is little); an original that says "big"
    # (large's synset) is reversed by "small".
    assert "big" not in nlp.antonyms("small", "ADJ")


def test_prefixed_english_words_are_english() -> None:
    if not nlp.wordlist_available():
        return
    assert nlp.is_english_word("Reintegration") and nlp.is_english_word("overbook")
    assert not nlp.is_english_word("recherche")


@pytest.mark.skipif(not nlp.spacy_available(), reason="spaCy model not installed")
def test_saved_parses_load_back_the_same() -> None:
    text = "The council approved the budget on Tuesday after a short debate."
    (doc,) = nlp.parse([text])
    data = nlp.save_parses()
    assert nlp.load_parses(data) >= 1 and nlp.parses_cached() >= 1
    (again,) = nlp.parse([text])
    assert [(t.text, t.pos_, t.dep_, t.head.i) for t in again] == [(t.text, t.pos_, t.dep_, t.head.i) for t in doc]
