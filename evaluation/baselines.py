"""The baselines users know: the model alone, and in-context memory of every fact.

- ``noedit``: the model with the same answer prompt and no facts.
- ``icl``: every correction so far, written as the query completed with the user's
  answer, in the prompt (how chat apps' memory and in-context editing work). The
  facts block comes first and the question last (``notes_prompt``), so the
  backend's prefix cache decodes the shared facts once for all questions. Facts that do not fit the
  model's context are dropped, oldest first, and reported.
"""

from __future__ import annotations

from assistant.api import LanguageModel
from assistant.language.prompts import feedback_sentence, notes_prompt, reasoning_prompt

from .methods import Method

#: Tokens kept free after the prompt: the question's own length varies, plus the answer.
ICL_RESERVED_TOKENS = 192
#: The longest prompt icl builds, whatever the model's context: the llama.cpp backend
#: scores requests of at most a quarter of its 8192-token scoring context.
ICL_MAX_PROMPT_TOKENS = 2048


class NoEditMethod(Method):
    name = "noedit"

    def learn(self, query: str, answer: str, subject: str | None) -> None:
        return None

    def answer_prompt(self, query: str, subject: str | None) -> str:
        return reasoning_prompt(query, [])


class InContextMethod(Method):
    name = "icl"

    def __init__(self, model: LanguageModel):
        self.model = model
        self.sentences: list[str] = []
        self._token_counts: list[int] = []
        self.most_dropped = 0

    def learn(self, query: str, answer: str, subject: str | None) -> None:
        sentence = feedback_sentence(query, answer)
        self.sentences.append(sentence)
        # "[12] " numbering and the separating space cost a few tokens more.
        self._token_counts.append(self.model.count_tokens(sentence) + 4)

    def kept_sentences(self) -> list[str]:
        """The newest facts that fit the context (the oldest are dropped first)."""
        budget = min(self.model.context_length, ICL_MAX_PROMPT_TOKENS) - ICL_RESERVED_TOKENS
        budget -= self.model.count_tokens(notes_prompt("", []))
        kept = 0
        for count in reversed(self._token_counts):
            if budget < count:
                break
            budget -= count
            kept += 1
        self.most_dropped = max(self.most_dropped, len(self.sentences) - kept)
        return self.sentences[len(self.sentences) - kept :]

    def answer_prompt(self, query: str, subject: str | None) -> str:
        return notes_prompt(query, self.kept_sentences())

    def notes(self) -> list[str]:
        if not self.most_dropped:
            return []
        limit = min(self.model.context_length, ICL_MAX_PROMPT_TOKENS)
        return [
            f"icl: a prompt of at most {limit} tokens held only the newest "
            f"facts; up to {self.most_dropped} oldest were left out of the prompt"
        ]
