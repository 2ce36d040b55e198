"""A :class:`assistant.llm.LanguageModel` on an OpenAI-compatible inference server.

The model runs on another machine (a GPU box); the graph, the corrections and every
KGT decision stay here. What crosses the network is prompts (which quote the facts
retrieved for a question) and the model's answers and log-probabilities.

- chat: ``/v1/chat/completions`` streamed (the server applies the model's template);
- completion: ``/v1/completions`` streamed, with stop strings;
- scoring: ``/v1/completions`` with ``echo`` + ``logprobs`` (vLLM: its
  ``prompt_logprobs`` field), ``max_tokens: 1`` because 0 means "unlimited" on the
  llama-cpp-python server; the generated token is ignored
  (:mod:`models.remote_logprobs` slices the prompt's own tokens);
- tokenisation: :mod:`models.remote_tokens`.

Scores are remembered by request, as the in-process backend does (a correction reuses
its answer's retrieval scores): a round trip saved each time.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Sequence

from assistant.llm import ChatMessage, LanguageModel, Score, ScoreRequest

from .remote_errors import echo_needs_bos, no_prompt_logprobs
from .remote_http import ServerClient
from .remote_logprobs import MissingPromptLogprobs, prompt_tokens_of, score_of
from .remote_server import ServerInfo, discover
from .remote_tokens import RemoteTokenizer

#: Scores remembered by request, oldest dropped first (see the module docstring).
SCORE_MEMO_ENTRIES = 4096


class RemoteLanguageModel(LanguageModel):
    """The model ``model`` (default: the server's first) at ``base_url``."""

    def __init__(
        self,
        base_url: str,
        *,
        model: str | None = None,
        api_key: str | None = None,
        api_key_env: str = "ASSISTANT_API_KEY",
        context_length: int = 4096,
        client: ServerClient | None = None,
    ):
        self._client = client or ServerClient(base_url, api_key=api_key, api_key_env=api_key_env)
        try:
            self.info: ServerInfo = discover(self._client, model)
        except BaseException:
            self._client.close()
            raise
        self.name = self.info.model.rsplit("/", 1)[-1]
        # vLLM says how long its context is; the llama-cpp-python server does not, so
        # the setting (which should match the server's --n_ctx) stands in.
        self.context_length = self.info.max_model_len or context_length
        self._tokens = RemoteTokenizer(self._client, self.info)
        self._memo: OrderedDict[ScoreRequest, Score] = OrderedDict()
        self._echo_checked = False

    # ----- tokens ------------------------------------------------------------------

    def tokenize(self, text: str) -> list[int]:
        return self._tokens.tokenize(text)

    def count_tokens(self, text: str) -> int:
        return self._tokens.count(text)

    # ----- scoring -----------------------------------------------------------------

    def score(self, requests: Sequence[ScoreRequest]) -> list[Score]:
        missing = list(dict.fromkeys(r for r in requests if r not in self._memo))
        step = self.info.prompts_per_request
        for start in range(0, len(missing), step):
            batch = missing[start : start + step]
            for request, score in zip(batch, self._score_batch(batch)):
                self._remember(request, score)
        return [self._memo[r] for r in requests]

    def _score_batch(self, batch: list[ScoreRequest]) -> list[Score]:
        self._check_echo_alignment()
        prompts = [r.context + r.continuation for r in batch]
        answer = self._client.post("/v1/completions", self._scoring_payload(prompts))
        choices = sorted(answer.get("choices") or [], key=lambda c: c.get("index", 0))
        if len(choices) != len(prompts):
            raise no_prompt_logprobs(self._client.base_url)
        try:
            return [
                score_of(prompt_tokens_of(choice, prompt), request.context, prompt)
                for choice, prompt, request in zip(choices, prompts, batch)
            ]
        except MissingPromptLogprobs:
            raise no_prompt_logprobs(self._client.base_url) from None

    def _check_echo_alignment(self) -> None:
        """Refuse the llama-cpp-python server's scores where they would be wrong (a
        model without BOS token), rather than learn from them."""
        if self._echo_checked or self.info.engine != "llama-cpp-python":
            return
        if not self._tokens.adds_bos():
            raise echo_needs_bos(self._client.base_url)
        self._echo_checked = True

    def _scoring_payload(self, prompts: list[str]) -> dict:
        payload = {
            "model": self.info.model,
            "prompt": prompts if len(prompts) > 1 else prompts[0],
            "max_tokens": 1,
            "temperature": 0.0,
        }
        if self.info.engine == "vllm":
            payload["prompt_logprobs"] = 0  # the prompt's own token and its rank
        else:
            payload.update(echo=True, logprobs=1)
        return payload

    def _remember(self, request: ScoreRequest, score: Score) -> None:
        self._memo[request] = score
        while len(self._memo) > SCORE_MEMO_ENTRIES:
            self._memo.popitem(last=False)

    # ----- generation --------------------------------------------------------------

    def complete(
        self,
        prompt: str,
        *,
        max_tokens: int,
        stop: Sequence[str] = (),
        temperature: float = 0.0,
    ) -> Iterator[str]:
        payload = {
            "model": self.info.model,
            "prompt": prompt,
            "max_tokens": max_tokens if max_tokens > 0 else None,
            "temperature": temperature,
            "stop": list(stop),
            "stream": True,
            # The llama-cpp-python server penalises repeats by default (1.1); the
            # in-process backend does not, and a greedy answer should be the same on
            # both. vLLM ignores the unknown field.
            "repeat_penalty": 1.0,
        }
        return self._pieces(self._client.stream("/v1/completions", payload), _completion_text)

    def chat(
        self,
        messages: Sequence[ChatMessage],
        *,
        max_tokens: int,
        temperature: float = 0.7,
    ) -> Iterator[str]:
        payload = {
            "model": self.info.model,
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "max_tokens": max_tokens if max_tokens > 0 else None,
            "temperature": temperature,
            "stream": True,
        }
        return self._pieces(self._client.stream("/v1/chat/completions", payload), _chat_text)

    @staticmethod
    def _pieces(events: Iterator[dict], text_of) -> Iterator[str]:
        try:
            for event in events:
                piece = text_of(event)
                if piece:
                    yield piece
        finally:
            events.close()  # an early break closes the connection: the server stops

    # ----- lifetime ----------------------------------------------------------------

    def prefill(self, prompts: Sequence[str]) -> None:
        """Does nothing. A prefill would be a request of its own (a whole prompt
        evaluation sent over the network), and the llama-cpp-python server keeps only
        its last prompt, so the next prefill would evict the one before."""

    def forget_cache(self) -> None:
        """Forget the remembered scores (they quote facts). The server's own prompt
        cache is out of reach: it keeps what its engine keeps (vLLM's prefix cache,
        the llama-cpp-python server's last prompt) until newer prompts evict it."""
        self._memo.clear()

    def close(self) -> None:
        self._memo.clear()
        self._client.close()


def _completion_text(event: dict) -> str:
    choices = event.get("choices") or [{}]
    return choices[0].get("text") or ""


def _chat_text(event: dict) -> str:
    choices = event.get("choices") or [{}]
    return (choices[0].get("delta") or {}).get("content") or ""
