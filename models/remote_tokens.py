"""Tokenisation on the server, which holds the model's tokenizer.

- llama-cpp-python server: ``POST /extras/tokenize`` {"input"} -> {"tokens"}. It adds
  the BOS token when the model wants one (and reads special-token text such as
  "<|im_start|>" as the special token); the BOS is taken off by tokenising "" once,
  which gives exactly the tokens added to every text.
- vLLM: ``POST /tokenize`` {"prompt", "add_special_tokens": false} -> {"tokens"}.
- A server with neither cannot give token ids; counting still works, honestly but
  slowly, from ``usage.prompt_tokens`` of a one-token completion (a full evaluation
  of the text, plus its BOS if any: at most one token too many, the safe side for
  the context check that counts).
"""

from __future__ import annotations

from assistant.errors import ModelError

from .remote_errors import safe_url
from .remote_http import EndpointMissing, ServerClient
from .remote_server import ServerInfo

_ENDPOINTS = {"llama-cpp-python": ["/extras/tokenize"], "vllm": ["/tokenize"]}


class RemoteTokenizer:
    def __init__(self, client: ServerClient, info: ServerInfo):
        self._client = client
        self._info = info
        self._candidates = _ENDPOINTS.get(info.engine, ["/extras/tokenize", "/tokenize"])
        self._endpoint: str | None = None
        self._added: list[int] | None = None  # what the endpoint adds to every text

    def tokenize(self, text: str) -> list[int]:
        tokens = self._raw(text)
        if tokens is None:
            raise ModelError(
                f"the inference server at {safe_url(self._client.base_url)} has no "
                "tokenize endpoint (the llama-cpp-python server and vLLM have one)"
            )
        added = self._added_tokens()
        return tokens[len(added) :] if tokens[: len(added)] == added else tokens

    def count(self, text: str) -> int:
        tokens = self._raw(text)
        if tokens is not None:
            return len(tokens) - len(self._added_tokens())
        answer = self._client.post(
            "/v1/completions",
            {"model": self._info.model, "prompt": text, "max_tokens": 1, "temperature": 0},
        )
        return int(answer["usage"]["prompt_tokens"])

    def adds_bos(self) -> bool:
        """Whether the llama-cpp-python server's model starts every prompt with a BOS
        token (its tokenize endpoint adds one to "" exactly then)."""
        return bool(self._added_tokens())

    def _added_tokens(self) -> list[int]:
        if self._endpoint == "/tokenize":
            return []  # vLLM was asked for none
        if self._added is None:
            self._added = self._raw("") or []
        return self._added

    def _raw(self, text: str) -> list[int] | None:
        """The endpoint's tokens for ``text``, or None when the server has none."""
        for endpoint in [self._endpoint] if self._endpoint else list(self._candidates):
            try:
                tokens = self._client.post(endpoint, self._payload(endpoint, text))["tokens"]
            except EndpointMissing:
                self._candidates.remove(endpoint)
                continue
            self._endpoint = endpoint
            return [int(t) for t in tokens]
        return None

    def _payload(self, endpoint: str, text: str) -> dict:
        if endpoint == "/tokenize":
            return {"model": self._info.model, "prompt": text, "add_special_tokens": False}
        return {"model": self._info.model, "input": text}
