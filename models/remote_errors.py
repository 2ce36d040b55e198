"""The ways an inference server can fail, each with a one-line message for the user.

Messages name the server by its URL without any user:password part, and name the
environment variable the API key comes from, never the key itself.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from assistant.errors import ServerError

#: Engines whose OpenAI-compatible server returns the log-probabilities of the
#: prompt's own tokens, which KGT's scoring needs.
SCORING_ENGINES = (
    "the llama-cpp-python server (python -m llama_cpp.server, logits_all on: its default) "
    "or vLLM (vllm serve)"
)


class ServerUnreachableError(ServerError):
    """Nothing answers at the server's address."""


class ServerTimeoutError(ServerError):
    """The server took longer than the timeout to answer."""


class ServerConnectionLostError(ServerError):
    """The connection dropped before the answer was complete."""


class ServerAuthError(ServerError):
    """The server refused the API key (or its absence)."""


class ServerModelError(ServerError):
    """The server does not serve the model asked for."""


class PromptLogprobsUnsupportedError(ServerError):
    """The server returns log-probabilities of generated tokens only, so it cannot score."""


def safe_url(url: str) -> str:
    """``url`` without credentials, fit for messages and logs."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def no_prompt_logprobs(url: str) -> PromptLogprobsUnsupportedError:
    return PromptLogprobsUnsupportedError(
        f"the inference server at {safe_url(url)} does not return log-probabilities of "
        f"the prompt's tokens, which learning needs; use {SCORING_ENGINES} "
        "(llama.cpp's llama-server and Ollama can chat but cannot score)"
    )


def echo_needs_bos(url: str) -> PromptLogprobsUnsupportedError:
    """The llama-cpp-python server pairs each echoed token with the log-probabilities
    of the position before it only when the prompt starts with a BOS token; without
    one every value is off by one position (a known llama-cpp-python bug with echo and no BOS)."""
    return PromptLogprobsUnsupportedError(
        f"the model on the llama-cpp-python server at {safe_url(url)} adds no BOS token, "
        "so the server's prompt log-probabilities are off by one token; restart it with "
        "--kv_overrides tokenizer.ggml.add_bos_token=bool:true"
    )
