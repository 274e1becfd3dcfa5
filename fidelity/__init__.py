"""fidelity: does the copy say what the original says?

Library API::

    from fidelity import compare, extract
    report = compare(extract("original.txt"), extract("copy.txt"))
    print(report.verdict, report.score)
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "compare", "extract"]


def __getattr__(name: str):  # lazy, so `fidelity --help` stays fast
    if name == "compare":
        from fidelity.pipeline import compare

        return compare
    if name == "extract":
        from fidelity.extract import extract

        return extract
    raise AttributeError(name)
