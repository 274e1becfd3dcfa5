"""fidelity: does the copy say what the original says?

Library API::

    from fidelity import compare, extract
    report = compare(extract("original.txt"), extract("copy.txt"))
    print(report.verdict, report.score)
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "compare", "extract"]

# Imported here, not lazily: importing the submodule ``fidelity.extract`` binds the package
# attribute ``extract`` to the module, and this line binds it back to the function (a lazy
# ``__getattr__`` is never consulted once the submodule has been imported by anyone). The
# module is light (re, unicodedata and fidelity's own types), so start-up stays fast.
from fidelity.extract import extract


def __getattr__(name: str):  # lazy, so `fidelity --help` stays fast
    if name == "compare":
        from fidelity.pipeline import compare

        return compare
    raise AttributeError(name)
