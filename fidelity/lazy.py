"""Keep optional integrations of heavy libraries out of fidelity's start-up.

nltk imports scipy and scikit-learn for features fidelity never uses (collocation statistics,
sklearn classifiers), and thinc (under spaCy) imports torch when it is installed, although the
small English pipeline runs on numpy. Measured on the 2-core development machine (user CPU):
``import nltk.tokenize.punkt`` 2.1 s -> 0.6 s, ``import spacy`` 3.6 s -> 1.2 s.

``without(...)`` makes those modules look absent *while* the library is imported, so its
optional paths switch off, then restores normal importing. A module that is already imported
is left alone: nothing that uses it can break.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

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
