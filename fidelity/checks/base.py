"""Former home of the rule interface, kept as a re-export for one release: use ``fidelity.rules``."""

from fidelity.rules import REGISTRY, Check, CheckContext, selected

__all__ = ["REGISTRY", "Check", "CheckContext", "selected"]
