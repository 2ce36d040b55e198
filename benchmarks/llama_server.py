"""The real llama-cpp-python OpenAI-compatible server (``python -m llama_cpp.server``,
its ``[server]`` extra) on 127.0.0.1, as a subprocess: for the remote backend's
integration tests and ``scripts/server_bench.py``.

- ``--logits_all true``: the server refuses ``logprobs`` without it (its default is
  already true; said anyway so a changed default cannot break scoring).
- A GGUF whose model adds no BOS token (SmolLM2) gets one with ``--kv_overrides``:
  the server's echoed log-probabilities are off by one position without it (a known
  llama-cpp-python bug with echo and no BOS). The in-process backend compared with it
  must be loaded with :data:`BOS_OVERRIDE` too, to evaluate the same tokens.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

#: The GGUF metadata override that makes a model start every prompt with BOS.
BOS_OVERRIDE = {"tokenizer.ggml.add_bos_token": True}
#: Seconds a server may take to load a small model on a busy CPU.
START_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class RunningServer:
    url: str  # the OpenAI API's base, ending in /v1
    process: subprocess.Popen
    log: Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_command(
    model_path: str, port: int, *, context_length: int = 2048, threads: int | None = None
) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        model_path,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        str(context_length),
        "--logits_all",
        "true",
        "--kv_overrides",
        "tokenizer.ggml.add_bos_token=bool:true",
    ]
    if threads:
        command += ["--n_threads", str(threads), "--n_threads_batch", str(threads)]
    return command


@contextmanager
def llama_server(
    model_path: str,
    log: Path,
    *,
    context_length: int = 2048,
    threads: int | None = None,
    extra_args: Sequence[str] = (),
) -> Iterator[RunningServer]:
    """A started server that answers ``/v1/models``; stopped on exit."""
    port = free_port()
    command = [*server_command(model_path, port, context_length=context_length, threads=threads)]
    with open(log, "wb") as output:
        process = subprocess.Popen([*command, *extra_args], stdout=output, stderr=subprocess.STDOUT)
    server = RunningServer(f"http://127.0.0.1:{port}/v1", process, log)
    try:
        wait_until_ready(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_ready(server: RunningServer, timeout_s: float = START_TIMEOUT_S) -> None:
    """Poll ``/v1/models`` until it answers; between polls, wait on the process
    itself, so a server that dies at start is reported at once with its log."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(server.url + "/models", timeout=2.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        try:
            server.process.wait(timeout=0.25)
        except subprocess.TimeoutExpired:
            continue
        raise RuntimeError(f"the llama-cpp-python server exited: {server.log.read_text()[-2000:]}")
    raise TimeoutError(f"the llama-cpp-python server did not answer in {timeout_s:.0f} s")
