"""fidelity.lazy: optional heavy libraries hidden from one thread's imports, nltk modules
imported without nltk's package __init__, spaCy loaded in the background (nlp.preload), and
the garbage collector held off while long-lived structures are built."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from fidelity.lazy import collector_paused, without

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def probe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The name of a module that exists on sys.path and is not imported yet."""
    name = "fidelity_lazy_probe"
    (tmp_path / f"{name}.py").write_text("VALUE = 42\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, name, raising=False)
    yield name
    sys.modules.pop(name, None)


def test_without_hides_a_module_from_this_thread_only(probe: str) -> None:
    seen: list[object] = []
    with without((probe,)):
        with pytest.raises(ModuleNotFoundError):
            __import__(probe)
        other = threading.Thread(target=lambda: seen.append(__import__(probe).VALUE))
        other.start()
        other.join()
    assert seen == [42]  # another thread imported it while this one hid it


def test_without_restores_importing_after_the_block_and_nests(probe: str) -> None:
    with without(("scipy",)):
        with without((probe,)):
            with pytest.raises(ModuleNotFoundError):
                __import__(probe)
        assert __import__(probe).VALUE == 42  # the outer block hides scipy only


def _fresh(code: str) -> str:
    env = dict(os.environ, PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def test_nltk_module_leaves_no_trace_and_nltk_imports_normally_afterwards() -> None:
    out = _fresh(
        "import sys\n"
        "from fidelity.lazy import nltk_module\n"
        "punkt = nltk_module('nltk.tokenize.punkt')\n"
        "porter = nltk_module('nltk.stem.porter')\n"
        "left = [m for m in sys.modules if m == 'nltk' or m.startswith('nltk.')]\n"
        "heavy = [m for m in ('scipy', 'sklearn', 'torch') if m in sys.modules]\n"
        "sents = punkt.PunktSentenceTokenizer().tokenize('It rained all day. We left early.')\n"
        "print(left, heavy, porter.PorterStemmer().stem('running'), len(sents))\n"
        "import nltk\n"
        "import nltk.tokenize.punkt\n"
        "print(nltk.tokenize.punkt.PunktSentenceTokenizer.__module__, hasattr(nltk, 'word_tokenize'))\n"
    )
    assert out.splitlines() == ["[] [] run 2", "nltk.tokenize.punkt True"]


def test_spacy_preloads_in_the_background_without_the_heavy_libraries() -> None:
    # spaCy loads in a background thread while the main thread imports the segmenter (nltk,
    # itself under without()): one pipeline, and neither thread's hiding leaks into the other's
    out = _fresh(
        "import sys\n"
        "from fidelity import nlp\n"
        "nlp.preload()\n"
        "from fidelity.segment import _tokenizer\n"
        "_tokenizer('english')\n"
        "first = nlp._nlp()\n"
        "nlp.preload()\n"  # loaded: nothing to start
        "heavy = [m for m in ('scipy', 'sklearn', 'torch', 'weasel') if m in sys.modules]\n"
        "print(first is nlp._nlp(), first is not None, heavy, [f.names for f in sys.meta_path if type(f).__name__ == '_Hidden'])\n"
    )
    assert out == "True True [] [{}]"


def test_preload_parses_ahead_and_reads_the_tables_in_the_background() -> None:
    # the texts given are in the parse cache once the thread is done, the shipped tables are
    # loaded, and the checks' own parse of them gives the very docs parsed ahead (none again)
    out = _fresh(
        "import threading\n"
        "from fidelity import nlp\n"
        "texts = ['The bridge opened in May.', 'The bridge opened in June.']\n"
        "nlp.preload(texts)\n"
        "for t in threading.enumerate():\n"
        "    if t.name == 'fidelity-spacy-load': t.join()\n"
        "ahead = [nlp._parsed[t] for t in texts]\n"
        "docs = nlp.parse(texts)\n"
        "print(nlp.parses_cached(), all(a is d for a, d in zip(ahead, docs)), nlp._alias_groups.cache_info().currsize, [t.text for t in docs[1]][-2])\n"
    )
    assert out == "2 True 1 June"


class _Cycle:
    """An object in a reference cycle with itself, recording when it is freed."""

    def __init__(self, freed: list[str], name: str) -> None:
        self.me = self
        self.name = name
        self.freed = freed

    def __del__(self) -> None:
        self.freed.append(self.name)


def test_collector_paused_holds_off_automatic_collection_and_restores_it() -> None:
    before = gc.get_threshold()
    with collector_paused():
        assert gc.get_threshold()[0] == 0  # no automatic collection, whatever toggles gc.enable
        gc.disable()
        gc.enable()  # what srsly's msgpack reader does under spaCy's load
        assert gc.get_threshold()[0] == 0
    assert gc.get_threshold() == before


def test_collector_paused_restores_when_the_last_of_overlapping_blocks_leaves() -> None:
    before = gc.get_threshold()
    inside, leave = threading.Event(), threading.Event()

    def other() -> None:
        with collector_paused():
            inside.set()
            leave.wait(10)

    thread = threading.Thread(target=other)
    with collector_paused():
        thread.start()
        assert inside.wait(10)
    assert gc.get_threshold()[0] == 0  # the other thread is still building
    leave.set()
    thread.join()
    assert gc.get_threshold() == before


def test_collector_paused_moves_its_objects_to_the_oldest_generation_without_keeping_garbage() -> None:
    freed: list[str] = []
    frozen = gc.get_freeze_count()
    with collector_paused():
        kept = [object()]
        _Cycle(freed, "garbage")  # unreachable at once, but only the collector frees a cycle
    assert any(x is kept for x in gc.get_objects(generation=2))
    assert gc.get_freeze_count() == frozen  # nothing stays frozen
    gc.collect()
    assert freed == ["garbage"]


def test_collector_paused_leaves_a_program_s_frozen_objects_frozen() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with collector_paused():
            [object()]
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
