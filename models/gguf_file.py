"""Is this file a GGUF model llama.cpp can open? Checked before llama.cpp sees it.

llama.cpp may abort the whole process on a broken file instead of raising, so the
file must exist, be readable, start with the GGUF magic and a supported version, and
be longer than its header. Its own module: the loader, the CPU-format copy and model
management all check files, and none of them needs the others for it.
"""

from __future__ import annotations

import struct
from pathlib import Path

from assistant.errors import ModelError

GGUF_MAGIC = b"GGUF"
SUPPORTED_GGUF_VERSIONS = (2, 3)
MIN_GGUF_BYTES = 1024


def check_gguf_file(path: Path) -> None:
    """Raise :class:`ModelError` with one clear line unless ``path`` looks like a GGUF."""
    if not path.exists():
        raise ModelError(f"model file not found: {path}")
    if not path.is_file():
        raise ModelError(f"model path is not a file: {path}")
    try:
        with path.open("rb") as handle:
            header = handle.read(8)
        size = path.stat().st_size
    except OSError as error:
        raise ModelError(f"cannot read model file {path}: {error.strerror}") from None
    if header[:4] != GGUF_MAGIC:
        raise ModelError(f"not a GGUF model file: {path}")
    version = struct.unpack("<I", header[4:8])[0] if len(header) == 8 else 0
    if version not in SUPPORTED_GGUF_VERSIONS:
        raise ModelError(f"unsupported GGUF version {version} in {path}")
    if size < MIN_GGUF_BYTES:
        raise ModelError(f"model file is truncated: {path} ({size} bytes)")
