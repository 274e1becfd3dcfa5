"""Engines that run `fidelity batch` elsewhere than in this process (``ray``: on Ray Data)."""
