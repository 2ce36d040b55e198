"""A deterministic fake language model with the real interface, for fast tests.

Its behaviour is simple enough to reason about in a test and rich enough to drive
the whole pipeline:
- a continuation token that already occurs in the context is likely (log-prob -0.1),
  any other token is unlikely (a fixed per-word value in [-6, -2)); so a fact that
  contains the answer raises the answer's probability, as with a real model;
- a continuation is "greedy" when all its tokens occur in the context;
- completions follow the prompt's kind: relations after "<relation>:", a name after
  "Entity:", the first fact's object after "<answer>:", otherwise a fixed reply.
``replies`` maps a prompt to a reply to script special cases.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterator, Sequence

from assistant.llm import ChatMessage, LanguageModel, Role, Score, ScoreRequest

_TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)
_FACT = re.compile(r"\[1\] (.+?)\.(?: \[2\]|$)", re.MULTILINE)
_CASE_QUERY = re.compile(r"<query>: (.*?) <answer>:")


def fake_tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def _word_logprob(word: str) -> float:
    return -2.0 - (zlib.crc32(word.encode("utf-8")) % 1000) / 250.0


class FakeLanguageModel(LanguageModel):
    name = "fake"

    def __init__(
        self,
        context_length: int = 2048,
        replies: Callable[[str], str | None] | None = None,
    ):
        self.context_length = context_length
        self.replies = replies
        self.score_calls: list[int] = []  # batch sizes, for tests of batching
        self.closed = False
        self.caches_forgotten = 0  # forget_cache() calls, for privacy tests
        self.prefilled: list[list[str]] = []  # prefill() calls' prompts, for tests
        self.prompts: list[str] = []  # every prompt completed and context scored, for tests

    def tokenize(self, text: str) -> list[int]:
        return [zlib.crc32(t.encode("utf-8")) for t in fake_tokens(text)]

    def score(self, requests: Sequence[ScoreRequest]) -> list[Score]:
        self.score_calls.append(len(requests))
        self.prompts.extend(r.context for r in requests)
        return [self._score_one(r) for r in requests]

    def _score_one(self, request: ScoreRequest) -> Score:
        context = set(fake_tokens(request.context))
        tokens = fake_tokens(request.continuation) or ["<empty>"]
        logprobs = [-0.1 if t in context else _word_logprob(t) for t in tokens]
        return Score(sum(logprobs), len(tokens), all(t in context for t in tokens))

    def complete(
        self, prompt: str, *, max_tokens: int, stop: Sequence[str] = (), temperature: float = 0.0
    ) -> Iterator[str]:
        self.prompts.append(prompt)
        reply = self._reply_to(prompt)
        return self._stream(_cut_at_stops(reply, stop), max_tokens)

    def chat(
        self, messages: Sequence[ChatMessage], *, max_tokens: int, temperature: float = 0.7
    ) -> Iterator[str]:
        system = next((m.content for m in messages if m.role == Role.SYSTEM), "")
        facts = _FACT.search(system)
        if facts:
            reply = f"From what you told me: {facts.group(1)}."
        else:
            reply = "I am not sure. If I am wrong, tell me with thumbs-down."
        return self._stream(reply, max_tokens)

    def _reply_to(self, prompt: str) -> str:
        if self.replies is not None:
            scripted = self.replies(prompt)
            if scripted is not None:
                return scripted
        tail = prompt.rstrip()
        if tail.endswith("<relation>:"):
            return self._relations_for(prompt)
        if tail.endswith("Entity:"):
            last = prompt.rstrip().rsplit("Message:", 1)[-1]
            names = re.findall(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)*", last.replace("Entity:", ""))
            return f" {names[-1]}" if names else " it"
        if tail.endswith("<answer>:"):
            facts = _FACT.search(prompt)
            return f" {facts.group(1).split()[-1]}" if facts else " I do not know"
        return " I do not know."

    def _relations_for(self, prompt: str) -> str:
        cases = _CASE_QUERY.findall(prompt)
        words = [w for w in fake_tokens(cases[-1] if cases else "") if w.isalpha() and len(w) > 3]
        relations = list(dict.fromkeys(words))[:2] + ["likes", "has", "is linked to"]
        return " " + " <sep> ".join(relations[:5]) + "\n<query>: more"

    def _stream(self, text: str, max_tokens: int) -> Iterator[str]:
        pieces = re.findall(r"\s*\S+", text)
        yield from pieces[:max_tokens] if max_tokens > 0 else pieces

    def prefill(self, prompts: Sequence[str]) -> None:
        self.prefilled.append(list(prompts))

    def forget_cache(self) -> None:
        self.caches_forgotten += 1

    def close(self) -> None:
        self.closed = True


def _cut_at_stops(text: str, stops: Sequence[str]) -> str:
    cut = len(text)
    for stop in stops:
        index = text.find(stop)
        if index >= 0:
            cut = min(cut, index)
    return text[:cut]
