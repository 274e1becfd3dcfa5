"""A persistent cache of work that depends only on its inputs (sentence vectors first), across runs and processes.

    open_store(embedder) -> VectorStore | None      (None: caching is off for this embedder)
    store.get_many(texts) -> {text: vector}          (the texts found; never raises)
    store.put_many(texts, vectors)                   (best effort; never raises)
    store.get_blob(kind, key), store.put_blob(s)(kind, ...)   (other work kept across runs, as bytes)

One sqlite file, ``vectors-v1.sqlite3``, in the user's cache directory (platformdirs:
``~/.cache/fidelity`` on Linux), or in ``$FIDELITY_CACHE_DIR``; ``FIDELITY_NO_CACHE=1`` turns
it off (the CLI's ``--cache-dir`` and ``--no-cache`` set these two for the run and for its
worker processes). Rows are keyed by a SHA-256 of the model signature (name and version)
and the text, so two models, or two versions of one, never share a vector.

Besides vectors the file holds other work that depends only on its inputs (``blobs``: the
aligner's calibration of a pair of documents, ``fidelity.align``; spaCy parses, ``fidelity.nlp``;
whole reports, ``fidelity.pipeline``), keyed by a kind and a key
the caller derives from everything the value depends on, code included; the store only adds
the model signature. A missing ``blobs`` table (a file of an earlier release) is created.

Concurrent processes: the file is in WAL mode (readers never block the writer) with a busy
timeout, and rows are only ever inserted (``INSERT OR IGNORE``), never updated, so two
processes that embed the same text race harmlessly. A file that is not sqlite, not ours
(another application id or schema version) or damaged is set aside and a new one is made;
any sqlite error during a run switches the cache off for that run. The cache never changes
a result: a vector read back is the bytes that were written.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from collections.abc import Iterator

    import numpy as np
    from numpy.typing import NDArray

ENV_DIR = "FIDELITY_CACHE_DIR"
ENV_OFF = "FIDELITY_NO_CACHE"
FILE_NAME = "vectors-v1.sqlite3"
APPLICATION_ID = 0x46494431  # "FID1": marks the file as fidelity's
SCHEMA_VERSION = 1
UNCACHED_MODELS = frozenset({"hashing"})  # cheaper to compute than to look up
_LOOKUP_CHUNK = 500  # keys a query: below sqlite's host-parameter limit


class _Named(Protocol):
    name: str

    @property
    def version(self) -> str: ...


def cache_dir() -> Path:
    """Where the cache lives: ``$FIDELITY_CACHE_DIR``, else the user's cache directory."""
    configured = os.environ.get(ENV_DIR)
    if configured:
        return Path(configured).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("fidelity", appauthor=False))


def enabled() -> bool:
    return os.environ.get(ENV_OFF, "").strip().lower() not in ("1", "true", "yes", "on")


def open_store(embedder: _Named, directory: Path | None = None) -> VectorStore | None:
    """The store for ``embedder``'s vectors, or ``None`` when caching is off, the model is not
    worth caching, or no cache directory can be made (a read-only home: the run goes on)."""
    if not enabled() or embedder.name in UNCACHED_MODELS:
        return None
    return VectorStore(directory or cache_dir(), f"{embedder.name}-{embedder.version}")


class VectorStore:
    """Vectors of one model signature in the shared sqlite file; opened on first use."""

    def __init__(self, directory: Path, model_signature: str) -> None:
        self.path = directory / FILE_NAME
        self.model_signature = model_signature
        self._db: sqlite3.Connection | None = None
        self._broken = False  # an error mid-run: stop using the cache for this run
        self.hits = 0
        self.writes = 0

    def _key(self, text: str) -> bytes:
        return hashlib.sha256(f"{self.model_signature}\0{text}".encode("utf-8", "surrogatepass")).digest()

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is not None or self._broken:
            return self._db
        try:
            self._db = _open(self.path)
        except (OSError, sqlite3.Error):
            self._broken = True
        return self._db

    def get_many(self, texts: Sequence[str]) -> dict[str, NDArray[np.float32]]:
        import numpy as np

        db = self._connect()
        if db is None or not texts:
            return {}
        keys = {self._key(t): t for t in texts}
        found: dict[str, NDArray[np.float32]] = {}
        try:
            for part in _chunks(list(keys), _LOOKUP_CHUNK):
                marks = ",".join("?" * len(part))
                for key, dim, blob in db.execute(f"SELECT key, dim, vec FROM vectors WHERE key IN ({marks})", part):
                    if isinstance(blob, bytes) and len(blob) == 4 * dim and key in keys:
                        found[keys[key]] = np.frombuffer(blob, dtype=np.float32).copy()
        except sqlite3.Error:
            self._fail()
            return {}
        self.hits += len(found)
        return found

    def _blob_key(self, kind: str, key: bytes) -> bytes:
        return hashlib.sha256(b"\0".join((self.model_signature.encode(), kind.encode(), key))).digest()

    def get_blob(self, kind: str, key: bytes) -> bytes | None:
        """The value stored under (``kind``, ``key``), or None (not there, or the cache is off)."""
        db = self._connect()
        if db is None:
            return None
        try:
            row = db.execute("SELECT value FROM blobs WHERE key = ?", (self._blob_key(kind, key),)).fetchone()
        except sqlite3.Error:
            self._fail()
            return None
        if row is None or not isinstance(row[0], bytes):
            return None
        self.hits += 1
        return row[0]

    def put_blob(self, kind: str, key: bytes, value: bytes) -> None:
        """Store ``value`` under (``kind``, ``key``); the first value stored for a key stays."""
        self._insert("INSERT OR IGNORE INTO blobs (key, value) VALUES (?, ?)", [(self._blob_key(kind, key), value)])

    def put_blobs(self, kind: str, items: Iterable[tuple[bytes, bytes]]) -> None:
        """``put_blob`` for many (key, value) pairs, in one transaction."""
        self._insert("INSERT OR IGNORE INTO blobs (key, value) VALUES (?, ?)", [(self._blob_key(kind, key), value) for key, value in items])

    def put_many(self, texts: Sequence[str], vectors: NDArray[np.float32]) -> None:
        import numpy as np

        if not texts or self._connect() is None:
            return  # (nothing to store, or no store: the rows are not built)
        rows = [
            (self._key(t), int(v.shape[0]), np.ascontiguousarray(v, dtype=np.float32).tobytes())
            for t, v in zip(texts, vectors, strict=True)
        ]
        self._insert("INSERT OR IGNORE INTO vectors (key, dim, vec) VALUES (?, ?, ?)", rows)

    def _insert(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        """Run ``sql`` for every row in one transaction; a failing store is closed (``_fail``)."""
        db = self._connect()
        if db is None:
            return
        try:
            with db:
                db.executemany(sql, rows)
        except sqlite3.Error:
            self._fail()
            return
        self.writes += len(rows)

    def close(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    def _fail(self) -> None:
        self.close()
        self._broken = True


def _open(path: Path) -> sqlite3.Connection:
    """Open (or make) the cache file; a file that is not ours or is damaged is set aside once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return _connect_checked(path)
    except sqlite3.OperationalError:
        raise  # busy or locked (another process is making or writing it): not damage; this run goes without
    except (sqlite3.DatabaseError, _Foreign):
        _set_aside(path)
        return _connect_checked(path)


class _Foreign(Exception):
    """The file is sqlite but belongs to something else (or another schema version)."""


def _connect_checked(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=30.0, isolation_level=None, check_same_thread=False)
    try:
        db.execute("PRAGMA busy_timeout = 30000")
        db.execute("BEGIN")  # one snapshot: another process may be making the schema between two reads
        try:
            app, version = db.execute("PRAGMA application_id").fetchone()[0], db.execute("PRAGMA user_version").fetchone()[0]
            empty = not db.execute("SELECT name FROM sqlite_master").fetchall()
        finally:
            db.execute("COMMIT")
        if app == 0 and version == 0 and empty:
            _create(db)
        elif app != APPLICATION_ID or version != SCHEMA_VERSION:
            raise _Foreign(path)
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")  # WAL: a crash loses at most the last rows, never the file
        db.execute("SELECT 1 FROM vectors LIMIT 1").fetchall()
        db.execute(_BLOBS)  # absent from files made before it existed; IF NOT EXISTS: races are harmless
        db.isolation_level = "DEFERRED"
        return db
    except BaseException:
        db.close()
        raise


_BLOBS = "CREATE TABLE IF NOT EXISTS blobs (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID"


class Memo(Protocol):
    """What a stage needs to keep its own work across runs (``VectorStore`` is one)."""

    def get_blob(self, kind: str, key: bytes) -> bytes | None: ...

    def put_blob(self, kind: str, key: bytes, value: bytes) -> None: ...

    def put_blobs(self, kind: str, items: Iterable[tuple[bytes, bytes]]) -> None: ...


def _create(db: sqlite3.Connection) -> None:
    """Make the schema in an empty file; a second process doing the same at once is harmless."""
    db.execute("BEGIN IMMEDIATE")
    try:
        if not db.execute("SELECT name FROM sqlite_master WHERE name = 'vectors'").fetchall():
            db.execute("CREATE TABLE vectors (key BLOB PRIMARY KEY, dim INTEGER NOT NULL, vec BLOB NOT NULL) WITHOUT ROWID")
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _set_aside(path: Path) -> None:
    """Move a bad cache file (and its WAL files) out of the way; another process may have
    done so already, which is fine."""
    stamp = f"{os.getpid()}-{os.urandom(4).hex()}"
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            os.replace(f"{path}{suffix}", f"{path}.bad-{stamp}{suffix}")
    for suffix in ("", "-wal", "-shm"):  # keep no stale pile: the set-aside copy is garbage
        with contextlib.suppress(OSError):
            os.unlink(f"{path}.bad-{stamp}{suffix}")


def _chunks(items: list[bytes], size: int) -> Iterator[list[bytes]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def clear(directory: Path | None = None) -> Iterable[Path]:
    """Delete the cache files in ``directory`` (default: the cache directory); returns what went."""
    folder = directory or cache_dir()
    gone = []
    for suffix in ("", "-wal", "-shm"):
        path = folder / f"{FILE_NAME}{suffix}"
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            gone.append(path)
    return gone


# --------------------------------------------------------------------------- values


def dump_value(value: object) -> bytes:
    """A value made of ``fidelity.types`` dataclasses and enums, tuples, strings, numbers and
    None, as compressed JSON (floats by ``repr``: they read back exactly); ``load_value`` reads it."""
    import json
    import zlib

    return zlib.compress(json.dumps(_encode(value), ensure_ascii=False, separators=(",", ":")).encode(), 6)


def load_value(data: bytes) -> object:
    """The value ``dump_value`` wrote; ``ValueError`` when the bytes are not one (damaged, or a
    type that no longer exists)."""
    import json
    import zlib

    try:
        return _decode(json.loads(zlib.decompress(data)))
    except (zlib.error, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise ValueError(f"not a cached value: {exc}") from None


def _encode(value: object) -> object:
    import dataclasses
    import enum

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"@": type(value).__name__, **{f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    if isinstance(value, enum.Enum):
        return {"@enum": type(value).__name__, "value": value.value}
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    if value is None or isinstance(value, str | int | float):
        return value
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _decode(data: object) -> object:
    import dataclasses
    import enum

    from fidelity import types

    if isinstance(data, list):
        return tuple(_decode(v) for v in data)
    if isinstance(data, dict):
        if "@enum" in data:
            kind = getattr(types, data["@enum"])
            if not (isinstance(kind, type) and issubclass(kind, enum.Enum)):
                raise TypeError(f"{data['@enum']} is not an enum of fidelity.types")
            return kind(data["value"])
        cls = getattr(types, data["@"])
        if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
            raise TypeError(f"{data['@']} is not a dataclass of fidelity.types")
        return cls(**{k: _decode(v) for k, v in data.items() if k != "@"})
    return data
