"""Model implementations that avoid heavy frameworks, so loading them is fast.

``minilm``: ``BertSentenceEncoder`` runs a sentence-transformers BERT model (the packaged
all-MiniLM-L6-v2) in numpy; ``minilm_folder()`` finds the packaged model's folder.
Importing this package is cheap: numpy only, the model is read when an encoder is built.
"""

from __future__ import annotations

from fidelity.models.minilm import BertSentenceEncoder, minilm_folder

__all__ = ["BertSentenceEncoder", "minilm_folder"]
