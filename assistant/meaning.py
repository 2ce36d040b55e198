"""Matching by meaning: which fact a question is about, when it names no relation.

"What's my usual cup before bed?" shares no word with "I drink rooibos in the
evening.", yet a person sees at once that one answers the other. Static word
embeddings see it too: WordLlama (a 256-dimensional token embedding distilled from
a large model's, 16 MB of weights inside its PyPI package, loaded in ~0.3 s, ~5 ms
for a few dozen sentences on one core) places the two close together. Nothing is
downloaded: the weights are read from the installed package.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from .errors import ModelError

_WEIGHTS = "weights/l2_supercat_256.safetensors"
_TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"
_lock = threading.Lock()


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
        return np.zeros((0, 256), dtype=np.float32)
    with _lock:  # the tokenizer is not safe to share between threads
        vectors = _embedder().embed(list(texts), norm=True)
    return np.asarray(vectors, dtype=np.float32)


def similarities(query: str, texts: Sequence[str]) -> list[float]:
    """Cosine similarity of ``query`` to each of ``texts``."""
    if not texts:
        return []
    vectors = embed([query, *texts])
    return [float(x) for x in vectors[1:] @ vectors[0]]
