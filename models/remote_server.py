"""What an OpenAI-compatible server says about itself: its models, which engine it
is, and how many prompts one scoring request may carry.

The engine is told apart by ``owned_by`` in ``/v1/models``: vLLM writes "vllm"; the
llama-cpp-python server writes "me". Only vLLM takes a list of prompts in one
completions request (the llama-cpp-python server asserts a list has at most one), so
any other server gets one prompt per request, which every server accepts.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.errors import ServerError

from .remote_errors import ServerModelError, safe_url
from .remote_http import ServerClient

#: Prompts per scoring request on vLLM: a correction's 10-40 prompts in one or two
#: requests, which vLLM batches on the GPU and whose shared beginnings its automatic
#: prefix cache computes once.
VLLM_PROMPTS_PER_REQUEST = 32


@dataclass(frozen=True)
class ServerInfo:
    model: str
    engine: str  # "vllm", "llama-cpp-python" or "unknown"
    max_model_len: int | None  # vLLM says; the llama-cpp-python server does not

    @property
    def prompts_per_request(self) -> int:
        return VLLM_PROMPTS_PER_REQUEST if self.engine == "vllm" else 1


def discover(client: ServerClient, wanted: str | None) -> ServerInfo:
    """The served model called ``wanted`` (or the only one, or the first), checked
    now: the llama-cpp-python server silently answers an unknown name with its default
    model, so a typo would otherwise go unnoticed."""
    listed = client.get("/v1/models").get("data") or []
    if not listed:
        raise ServerError(f"the inference server at {safe_url(client.base_url)} serves no model")
    ids = [str(entry.get("id")) for entry in listed]
    if wanted is not None and wanted not in ids:
        raise ServerModelError(
            f"the inference server at {safe_url(client.base_url)} has no model {wanted!r}; "
            f"it serves: {', '.join(ids)}"
        )
    entry = listed[ids.index(wanted)] if wanted is not None else listed[0]
    return ServerInfo(str(entry["id"]), _engine_of(entry), entry.get("max_model_len"))


def _engine_of(entry: dict) -> str:
    owner = str(entry.get("owned_by", ""))
    if owner == "vllm":
        return "vllm"
    if owner == "me":
        return "llama-cpp-python"
    return "unknown"
