"""The embedded model in a weight format that llama.cpp's CPU kernels run faster.

The embedded SmolLM2 file is Q4_1. For prompt evaluation (matrix times matrix)
llama.cpp's CPU back end uses its fast matrix kernels (llamafile's tinyBLAS, or the
repacked layouts) only for some formats, and Q4_1 is not among them. Q8_0 is, and it
holds every Q4_1 weight almost exactly (8 bits for what was 4). Measured on the
2-core test machine (docs/PERFORMANCE.md): the Q8_0 copy evaluates prompts at ~330
tokens/s against ~220 and generates at 89 tokens/s against 95, and scores CounterFact
as the original does (a 4-bit IQ4_NL copy was faster still but lost 6 points of
efficacy: requantizing to 4 bits again adds error).

So when the embedded default runs on the CPU, the loader converts it once (under a
second), with llama.cpp's own quantizer, into a cache folder and loads the copy. The
copy is written to a temporary name and renamed only when complete and readable, so a
killed process leaves no half file behind; if the conversion fails for any reason, the
original file is used and nothing is lost but speed.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from assistant.errors import ModelError
from assistant.paths import default_cache

from .gguf_file import check_gguf_file

log = logging.getLogger(__name__)

#: llama.cpp's name of the target format (``LLAMA_FTYPE_MOSTLY_<name>``).
FAST_FORMAT = "Q8_0"


def fast_copy_path(source: Path, directory: Path) -> Path:
    """The copy's name says what it was made from and into what."""
    return directory / f"{source.name.removesuffix('.gguf')}-as-{FAST_FORMAT}.gguf"


def copied_from(filename: str) -> str:
    """The file name a fast copy was made from (any other name as it is)."""
    stem = filename.removesuffix(".gguf")
    original = stem.removesuffix(f"-as-{FAST_FORMAT}")
    return f"{original}.gguf" if original != stem else filename


def fast_cpu_copy(source: Path, directory: Path | None = None) -> Path:
    """A CPU-fast copy of ``source`` (made now if missing), else ``source`` itself."""
    directory = directory or default_cache()
    try:
        target = fast_copy_path(source, directory)
        if target.is_file():
            try:
                check_gguf_file(target)
                return target
            except ModelError:  # damaged on disk: make it again
                target.unlink()
        directory.mkdir(parents=True, exist_ok=True)
        return convert(source, target)
    except Exception as error:  # noqa: BLE001 - any failure: the original still works
        log.warning("using %s as it is: could not make a CPU-fast copy (%s)", source.name, error)
        return source


def convert(source: Path, target: Path, fmt: str = FAST_FORMAT) -> Path:
    """Requantize ``source`` into ``target`` (format ``fmt``, llama.cpp's name) with
    llama.cpp; atomic on success."""
    import llama_cpp

    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = getattr(llama_cpp, f"LLAMA_FTYPE_MOSTLY_{fmt}")
    params.allow_requantize = True  # the source is already quantized (Q4_1)
    params.nthread = max(1, os.cpu_count() or 1)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".part", dir=target.parent
    )
    os.close(handle)
    try:
        status = llama_cpp.llama_model_quantize(str(source).encode(), temporary.encode(), params)
        if status != 0:
            raise RuntimeError(f"llama_model_quantize returned {status}")
        check_gguf_file(Path(temporary))
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return target
