"""Keep optional integrations of heavy libraries out of fidelity's start-up.

nltk imports scipy and scikit-learn for features fidelity never uses (collocation statistics,
sklearn classifiers), and thinc (under spaCy) imports torch when it is installed, although the
small English pipeline runs on numpy. Measured on the 2-core development machine (user CPU):
``import nltk.tokenize.punkt`` 2.1 s -> 0.6 s, ``import spacy`` 3.6 s -> 1.2 s.

``without(...)`` makes those modules look absent *while* the library is imported, so its
optional paths switch off, then restores normal importing. A module that is already imported
is left alone: nothing that uses it can break. Only the thread inside ``without`` is refused
them (a finder first on ``sys.meta_path`` checks the importing thread), so spaCy can load in
a background thread while the main thread imports whatever it needs.

``spacy_cli_deferred()`` does the same for spaCy's command line: ``import spacy`` imports
``spacy.cli`` only to export ``spacy.info``, and that pulls in weasel, httpx and requests
(0.2 s of CPU of a cold ``fidelity diff``) although loading and running a pipeline never calls
it. While spaCy is imported, ``spacy.cli.info`` is a stand-in whose ``info`` imports the real
one when called; afterwards the stand-ins are taken out, so a later ``import spacy.cli``
(``python -m spacy``, a training script) imports the real package.

``nltk_module(name)`` imports one nltk module (Punkt, the Porter stemmer) without running
``nltk/__init__.py``, which imports every nltk subpackage (corpus readers, translation metrics,
classifiers: 0.19 s of CPU of a cold ``fidelity diff``, even with ``without``). While it
imports, ``nltk`` and the subpackages on the way are bare stand-in packages over nltk's own
folders, so ``from nltk import pathsec`` still loads nltk's real submodule. Afterwards every
``nltk`` entry it added to ``sys.modules`` is taken out again: the caller keeps a private copy
of the module, and a later ``import nltk`` (the user's, or a library's) loads the real package
from scratch, as if fidelity had never touched it.

``collector_paused()`` holds off Python's cyclic garbage collector while a large, long-lived
structure is built (spaCy's import and model, the shipped WordNet tables). Building them
allocates hundreds of thousands of containers, and every 700 allocations start a collection
of the young ones; each object built is walked again as it ages, and once spaCy is loaded the
full collections walk its whole heap (in a cold ``fidelity diff``: 0.25 to 0.4 s of collection,
four full ones, which found a few thousand garbage objects in all). On leaving, the block's
objects go straight to the oldest generation (``gc.freeze()`` then ``gc.unfreeze()``, both a
list splice), so they are walked again only by the next full collection, which also frees any
garbage among them: nothing stays frozen. A program that froze objects itself keeps them
frozen (the move is skipped then). The thresholds the first thread in found are put back when
the last thread inside a block leaves (several threads may build at once). Results never depend
on when the collector runs.
"""

from __future__ import annotations

import gc
import importlib
import importlib.abc
import importlib.util
import os
import sys
import threading
import types
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

OPTIONAL_HEAVY = ("scipy", "sklearn", "torch", "pandas", "matplotlib")


@contextmanager
def without(names: tuple[str, ...] = OPTIONAL_HEAVY) -> Iterator[None]:
    """``names`` (top-level packages) look absent to imports made by this thread inside the
    block; other threads import as usual (spaCy loads in the background, ``fidelity.nlp.preload``)."""
    finder = _hidden()
    thread = threading.get_ident()
    outer = finder.names.get(thread)
    finder.names[thread] = tuple(n for n in names if n not in sys.modules) + (outer or ())
    try:
        yield
    finally:
        if outer is None:
            del finder.names[thread]
        else:
            finder.names[thread] = outer


class _Hidden(importlib.abc.MetaPathFinder):
    """First on ``sys.meta_path``: refuses the names a thread hides (``without``), as if they
    were not installed; says nothing about any other import."""

    def __init__(self) -> None:
        self.names: dict[int, tuple[str, ...]] = {}  # thread id -> the names it hides

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> None:
        hidden = self.names.get(threading.get_ident())
        if hidden and fullname.partition(".")[0] in hidden:
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


def _hidden() -> _Hidden:
    with _install_lock:
        for finder in sys.meta_path:
            if isinstance(finder, _Hidden):
                return finder
        finder = _Hidden()
        sys.meta_path.insert(0, finder)
        return finder


_install_lock = threading.Lock()


@contextmanager
def collector_paused() -> Iterator[None]:
    """No automatic cyclic garbage collection inside the block (see the module docstring);
    reference counting still frees everything that is not in a cycle, and ``gc.collect()`` still
    collects. Done by a first threshold of 0 rather than ``gc.disable()``, which a library may
    undo in the middle (srsly's msgpack reader, under spaCy's model load, calls ``gc.enable()``)."""
    global _paused, _thresholds
    with _pause_lock:
        if _paused == 0:
            _thresholds = gc.get_threshold()
            gc.set_threshold(0, *_thresholds[1:])
        _paused += 1
    try:
        yield
    finally:
        with _pause_lock:
            _paused -= 1
            if _paused == 0:
                if gc.get_freeze_count() == 0:  # a program's own frozen objects are not ours to thaw
                    gc.freeze()  # every tracked object to the permanent generation: no walk
                    gc.unfreeze()  # and all of it back, as the oldest generation
                gc.set_threshold(*_thresholds)


_pause_lock = threading.Lock()
_paused = 0  # threads inside ``collector_paused``
_thresholds: tuple[int, ...] = ()  # the collector's thresholds when the first of them came in


@contextmanager
def spacy_cli_deferred() -> Iterator[None]:
    if "spacy" in sys.modules or "spacy.cli" in sys.modules:
        yield  # spaCy (or its CLI) is already imported: nothing to save, nothing to change
        return
    spec = importlib.util.find_spec("spacy")  # finds spaCy without importing it
    if spec is None or not spec.submodule_search_locations:
        yield
        return
    package = types.ModuleType("spacy.cli")
    # A package whose submodules are spaCy's own: ``spacy.cli.info`` is the stand-in below, and
    # any other (should a spaCy version import one while loading) is the real one, not an error.
    package.__path__ = [os.path.join(location, "cli") for location in spec.submodule_search_locations]
    info = types.ModuleType("spacy.cli.info")
    info.info = _real_spacy_info  # type: ignore[attr-defined]
    package.info = info  # type: ignore[attr-defined]
    stand_ins = {"spacy.cli": package, "spacy.cli.info": info}
    sys.modules.update(stand_ins)
    try:
        yield
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
        spacy = sys.modules.get("spacy")
        if spacy is not None and getattr(spacy, "cli", None) is package:
            delattr(spacy, "cli")  # ``spacy.cli`` is then the real package once something imports it


def _real_spacy_info(*args: Any, **kwargs: Any) -> Any:
    """``spacy.info`` as spaCy defines it, imported on first use."""
    return importlib.import_module("spacy.cli.info").info(*args, **kwargs)


def nltk_module(name: str) -> types.ModuleType:
    """The nltk module ``name`` (``"nltk.tokenize.punkt"``), imported without ``nltk/__init__.py``
    and without the optional heavy libraries (``without``); see the module docstring."""
    with _nltk_lock:  # one thread at a time puts the stand-ins in and takes them out
        return _nltk_module(name)


_nltk_lock = threading.Lock()


def _nltk_module(name: str) -> types.ModuleType:
    if "nltk" in sys.modules:
        with without():
            return importlib.import_module(name)  # nltk itself is loaded: import as usual
    spec = importlib.util.find_spec("nltk")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("No module named 'nltk'", name="nltk")
    parts = name.split(".")
    before = set(sys.modules)
    for depth in range(1, len(parts)):
        package = types.ModuleType(".".join(parts[:depth]))
        package.__path__ = [os.path.join(location, *parts[1:depth]) for location in spec.submodule_search_locations]
        sys.modules[package.__name__] = package
    try:
        with without():
            return importlib.import_module(name)
    finally:
        for added in set(sys.modules) - before:
            if added == "nltk" or added.startswith("nltk."):
                del sys.modules[added]
