"""Prompt and generation speed of the embedded model in several weight formats.

    python scripts/cpu_formats.py [--formats Q4_1,Q8_0,IQ4_NL,Q4_0,F16] [--threads N]

Each format is made from the packaged Q4_1 file with llama.cpp's quantizer (as
``models/cpu_format.py`` makes the Q8_0 copy the app uses) into a temporary folder;
"Q4_1" is the packaged file itself. Prompt speed: 500 tokens in one ``eval``; generation
speed: 64 single-token decodes; best of 3 each. The figures are in docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models.cpu_format import convert  # noqa: E402
from models.embedded import default_model_path  # noqa: E402
from models.llama_backend import default_threads  # noqa: E402

TEXT = b"The quick brown fox jumps over the lazy dog. " * 60


def make(source: Path, fmt: str, directory: Path) -> Path:
    if fmt == "Q4_1":
        return source
    return convert(source, directory / f"{fmt}.gguf", fmt)


def speeds(path: Path, threads: int) -> tuple[float, float]:
    from llama_cpp import Llama

    llm = Llama(
        model_path=str(path),
        n_ctx=1024,
        n_batch=512,
        n_threads=threads,
        n_threads_batch=threads,
        verbose=False,
    )
    tokens = llm.tokenize(TEXT)[:500]
    prompt = generation = float("inf")
    for _ in range(3):
        llm.reset()
        start = time.perf_counter()
        llm.eval(tokens)
        prompt = min(prompt, time.perf_counter() - start)
        start = time.perf_counter()
        for _ in range(64):
            llm.eval([tokens[-1]])
        generation = min(generation, time.perf_counter() - start)
    llm.close()
    return len(tokens) / prompt, 64 / generation


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--formats", default="Q4_1,Q8_0,IQ4_NL,Q4_0,F16")
    parser.add_argument("--threads", type=int, default=default_threads())
    args = parser.parse_args()
    source = default_model_path()
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in args.formats.split(","):
            prompt, generation = speeds(make(source, fmt, Path(tmp)), args.threads)
            print(f"{fmt:8} prompt {prompt:6.0f} tokens/s   generation {generation:5.0f} tokens/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
