"""Matching by meaning: which fact a question is about, when it names no relation.

"What's my usual brew at night?" shares no word with "I have chamomile tea before
sleeping.", yet a person sees at once that one answers the other. Static word
embeddings see it too: WordLlama (a 256-dimensional token embedding distilled from
a large model's, 16 MB of weights inside its PyPI package, loaded in ~0.3 s, ~5 ms
for a few dozen sentences on one core) places the two close together. Nothing is
downloaded: the weights are read from the installed package.

Vectors are unit rows; the graph stores them as float16 blobs (512 bytes, cosine
within 0.001 of float32's), see :mod:`assistant.meaning.index`.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import ModelError

_WEIGHTS = "weights/l2_supercat_256.safetensors"
_TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"
_lock = threading.Lock()
DIMENSIONS = 256
#: How a vector is stored: half the bytes of float32, the same ranking.
STORED_DTYPE = np.dtype("<f2")
#: Texts embedded per step: the fastest batch on one core (20,000 fact sentences:
#: 64 per step 51,000/s, 256 62,000/s, 1,024 49,000/s).
_BATCH = 256


@lru_cache(maxsize=1)
def _embedder():
    """The WordLlama model, from the files its package ships (its own loader looks
    for the tokenizer under another folder name and would try to download it)."""
    try:
        import wordllama
        from safetensors import safe_open
        from wordllama.wordllama import WordLlama, WordLlamaInference
    except ImportError as error:  # pragma: no cover - a broken install
        raise ModelError(f"the embedding model is not installed: {error}") from None
    root = Path(wordllama.__file__).parent
    tokenizer = WordLlama.load_tokenizer(root / _TOKENIZER)
    with safe_open(str(root / _WEIGHTS), framework="np", device="cpu") as weights:
        embedding = weights.get_tensor("embedding.weight")
    return WordLlamaInference(embedding, tokenizer, binary=False)


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit vectors of ``texts``, one row each."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    with _lock:  # the tokenizer is not safe to share between threads
        vectors = _embedder().embed(list(texts), norm=True, batch_size=_BATCH)
    return np.asarray(vectors, dtype=np.float32)


def cosines(rows: np.ndarray, asked: np.ndarray) -> np.ndarray:
    """Each row's cosine with ``asked`` (one unit vector: one per row; several: a column
    each). Not a BLAS product: OpenBLAS's threads wait at every call while llama.cpp's
    keep the cores busy (50,000 rows of 128: 7.7 ms on 2 busy cores, 1.4 ms this way,
    0.9 ms with BLAS on one thread)."""
    return np.einsum("ij,j->i" if asked.ndim == 1 else "ij,kj->ik", rows, asked)


def unit(vectors: np.ndarray) -> np.ndarray:
    """Rows (or one vector) scaled to length 1; a zero row stays zero."""
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)


def as_blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=STORED_DTYPE).tobytes()


def from_blobs(blobs: Sequence[bytes]) -> np.ndarray:
    """Stored vectors as float32 rows, one per blob."""
    if not blobs:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    joined = np.frombuffer(b"".join(blobs), dtype=STORED_DTYPE)
    return joined.reshape(len(blobs), DIMENSIONS).astype(np.float32)


def similarities(query: str, texts: Sequence[str]) -> list[float]:
    """Cosine similarity of ``query`` to each of ``texts``."""
    if not texts:
        return []
    vectors = embed([query, *texts])
    return cosines(vectors[1:], vectors[0]).tolist()
