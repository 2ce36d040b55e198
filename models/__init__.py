"""Model management: catalog, downloads, the llama.cpp backend and a deterministic fake."""

import atexit
import os
import sys

# llama.cpp's CPU threads come from OpenMP, whose threads spin while they wait for work
# by default. On a desktop the model shares its cores with the window, the embedding
# search and other programs, and spinning threads steal those cores from the one that
# has work. Measured on 2 cores with other programs busy (the dev scenarios' memory pass,
# 8 scenarios, three runs each): 18-22 s passive against 17-31 s spinning, so passive
# is steadier and on average faster (docs/PERFORMANCE.md). Set before llama_cpp loads
# its library, which happens only inside this package; a user's own setting wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def _close_llama_cpp_null_files() -> None:
    """llama_cpp opens os.devnull twice when it is imported (``llama_cpp._utils``, to
    silence llama.cpp while a model loads) and never closes either file, so every
    process that imported it ended with "ResourceWarning: unclosed file /dev/null".
    At exit no model loads any more: close them."""
    utils = sys.modules.get("llama_cpp._utils")
    for name in ("outnull_file", "errnull_file"):
        handle = getattr(utils, name, None)
        if handle is not None:
            handle.close()


atexit.register(_close_llama_cpp_null_files)
