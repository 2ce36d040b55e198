"""A scored (context, continuation) from the log-probabilities a server returns for
the prompt's own tokens.

Two answer shapes carry them:
- ``echo`` + ``logprobs`` (OpenAI's legacy completions; the llama-cpp-python server
  and vLLM): ``choice.logprobs`` holds ``tokens``, ``text_offset`` (characters from the
  prompt's start), ``token_logprobs`` (None for the first token: nothing predicts it)
  and ``top_logprobs`` (the most likely tokens at each position, the token itself
  included);
- vLLM's ``prompt_logprobs`` extra field: ``choice.prompt_logprobs`` is one entry per
  prompt token, None for the first, else {token id: {logprob, rank, decoded_token}};
  with ``prompt_logprobs: 0`` each entry holds the prompt's token alone, and rank 1
  means greedy. It has no offsets: they are counted back from the prompt's end.

The prompt is tokenised once, whole, by the server; the continuation's tokens are
those ending after the context's last character, so a token that straddles the
boundary belongs to the continuation, as in the in-process backend.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.errors import ServerError
from assistant.llm import Score

#: A top-ranked alternative this much likelier than the token still counts as a tie:
#: the numbers crossed JSON as decimal text.
GREEDY_TOLERANCE = 1e-6


@dataclass(frozen=True)
class PromptToken:
    start: int  # character offset in the prompt
    end: int
    logprob: float | None  # None: nothing before it to predict it
    is_greedy: bool


class MissingPromptLogprobs(ServerError):
    """The answer has no log-probabilities for the prompt's tokens."""


def prompt_tokens_of(choice: dict, prompt: str) -> list[PromptToken]:
    """The prompt's tokens from either answer shape."""
    if choice.get("prompt_logprobs"):
        return _from_prompt_logprobs(choice["prompt_logprobs"], prompt)
    logprobs = choice.get("logprobs") or {}
    if not logprobs.get("text_offset") or not logprobs.get("token_logprobs"):
        raise MissingPromptLogprobs("no prompt log-probabilities in the answer")
    if not str(choice.get("text", "")).startswith(prompt):
        # Servers that ignore ``echo`` (llama-server, Ollama) answer with the generated
        # text alone, and their log-probs are the generated tokens'.
        raise MissingPromptLogprobs("the answer does not echo the prompt")
    return _from_echo(logprobs, prompt)


def score_of(tokens: list[PromptToken], context: str, prompt: str) -> Score:
    """Sum, count and greediness of the continuation's tokens."""
    continuation = [t for t in tokens if t.end > len(context) and t.start < len(prompt)]
    if not continuation:
        raise MissingPromptLogprobs("the answer's tokens do not reach the continuation")
    if any(t.logprob is None for t in continuation):
        # The first token of the prompt is never predicted: an empty context.
        raise MissingPromptLogprobs("the continuation starts the prompt; give it a context")
    return Score(
        sum(t.logprob for t in continuation),
        len(continuation),
        all(t.is_greedy for t in continuation),
    )


def _from_echo(logprobs: dict, prompt: str) -> list[PromptToken]:
    offsets = _prompt_offsets(logprobs, prompt)
    values = logprobs["token_logprobs"]
    tops = logprobs.get("top_logprobs") or [None] * len(values)
    # Tokens at or past the prompt's end are the one generated token (max_tokens=1).
    count = sum(1 for offset in offsets if offset < len(prompt))
    if count == 0 or len(values) < count:
        raise MissingPromptLogprobs("the answer's log-probabilities do not cover the prompt")
    ends = [*offsets[1:count], len(prompt)]
    return [
        PromptToken(offsets[i], ends[i], values[i], _greedy_in(values[i], tops[i]))
        for i in range(count)
    ]


def _prompt_offsets(logprobs: dict, prompt: str) -> list[int]:
    """Offsets counted from the prompt's first character. vLLM counts them from the
    decoded text of every token, a BOS token's name included ("<|begin_of_text|>"
    before the prompt); the llama-cpp-python server skips the BOS. Where the tokens'
    text holds the prompt further on, the offsets move back by that much."""
    offsets = logprobs["text_offset"]
    joined = "".join(str(t) for t in logprobs.get("tokens") or [])
    shift = offsets[0] + max(joined.find(prompt), 0) if prompt else offsets[0]
    return [offset - shift for offset in offsets]


def _greedy_in(logprob: float | None, top: dict | None) -> bool:
    """The token is greedy when nothing in the top list is likelier (the top list
    includes the token itself on both llama-cpp-python and vLLM)."""
    if logprob is None:
        return True
    if not top:
        return False
    return max(top.values()) <= logprob + GREEDY_TOLERANCE


def _from_prompt_logprobs(entries: list, prompt: str) -> list[PromptToken]:
    end = len(prompt)
    tokens: list[PromptToken] = []
    for entry in reversed(entries[1:]):
        if not entry or len(entry) != 1:
            raise MissingPromptLogprobs("ask vLLM for prompt_logprobs: 0 (one entry per token)")
        info = next(iter(entry.values()))
        start = end - len(info.get("decoded_token") or "")
        tokens.append(PromptToken(start, end, info["logprob"], info.get("rank") == 1))
        end = start
    # The first entry (None) is the first token, or a BOS token that has no text.
    tokens.append(PromptToken(0, end, None, True))
    tokens.reverse()
    if end < 0:
        raise MissingPromptLogprobs("the decoded prompt tokens are longer than the prompt")
    return tokens
