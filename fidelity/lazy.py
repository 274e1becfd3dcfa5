"""Keep optional integrations of heavy libraries out of fidelity's start-up.

nltk imports scipy and scikit-learn for features fidelity never uses (collocation statistics,
sklearn classifiers), and thinc (under spaCy) imports torch when it is installed, although the
small English pipeline runs on numpy. Measured on the 2-core development machine (user CPU):
``import nltk.tokenize.punkt`` 2.1 s -> 0.6 s, ``import spacy`` 3.6 s -> 1.2 s.

``without(...)`` makes those modules look absent *while* the library is imported, so its
optional paths switch off, then restores normal importing. A module that is already imported
is left alone: nothing that uses it can break.

``spacy_cli_deferred()`` does the same for spaCy's command line: ``import spacy`` imports
``spacy.cli`` only to export ``spacy.info``, and that pulls in weasel, httpx and requests
(0.2 s of CPU of a cold ``fidelity diff``) although loading and running a pipeline never calls
it. While spaCy is imported, ``spacy.cli.info`` is a stand-in whose ``info`` imports the real
one when called; afterwards the stand-ins are taken out, so a later ``import spacy.cli``
(``python -m spacy``, a training script) imports the real package.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

OPTIONAL_HEAVY = ("scipy", "sklearn", "torch", "pandas", "matplotlib")


@contextmanager
def without(names: tuple[str, ...] = OPTIONAL_HEAVY) -> Iterator[None]:
    blocked = [n for n in names if n not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]  # import raises ImportError
    try:
        yield
    finally:
        for name in blocked:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]


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
