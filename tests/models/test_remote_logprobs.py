"""Prompt log-probabilities parsed from vLLM's two answer shapes (recorded JSON written
from vLLM's documented format; vLLM itself needs a GPU and cannot run here) and from
the llama-cpp-python server's shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.llm import Score
from models.remote_logprobs import MissingPromptLogprobs, prompt_tokens_of, score_of

DATA = Path(__file__).parent / "data"
CONTEXT = "The capital of France is"


def _choices(name: str) -> list[dict]:
    answer = json.loads((DATA / name).read_text(encoding="utf-8"))
    return sorted(answer["choices"], key=lambda c: c["index"])


def _score(choice: dict, continuation: str) -> Score:
    prompt = CONTEXT + continuation
    return score_of(prompt_tokens_of(choice, prompt), CONTEXT, prompt)


def test_echo_logprobs_with_vllms_bos_text_score_the_continuation_only():
    paris, lyon = _choices("vllm_completion_echo.json")
    # The BOS's decoded name shifts vLLM's offsets by 17 characters; the generated
    # "." after the prompt is not part of the continuation.
    assert _score(paris, " Paris") == Score(-0.0234375, 1, True)
    assert _score(lyon, " Lyon") == Score(-4.5, 1, False)


def test_echo_logprobs_of_a_longer_continuation_sum_its_tokens():
    paris, _ = _choices("vllm_completion_echo.json")
    prompt = CONTEXT + " Paris"
    tokens = prompt_tokens_of(paris, prompt)
    assert score_of(tokens, "The capital of", prompt) == Score(-1.125 - 0.5 - 0.0234375, 3, False)


def test_vllm_prompt_logprobs_count_offsets_back_from_the_prompts_end():
    paris, marseille = _choices("vllm_prompt_logprobs.json")
    assert _score(paris, " Paris") == Score(-0.0234375, 1, True)
    # Two tokens (" Mars" + "eille"), neither the most likely one (rank > 1).
    assert _score(marseille, " Marseille") == Score(-6.5 - 2.75, 2, False)


def test_a_token_straddling_the_boundary_belongs_to_the_continuation():
    _, marseille = _choices("vllm_prompt_logprobs.json")
    prompt = CONTEXT + " Marseille"
    tokens = prompt_tokens_of(marseille, prompt)
    # The context ends inside " Mars": that token and the rest are the continuation.
    assert score_of(tokens, CONTEXT + " Ma", prompt) == Score(-6.5 - 2.75, 2, False)


def test_llama_cpp_python_echo_without_bos_in_the_token_list():
    choice = {
        "index": 0,
        "text": "Bruno eats vegetables.",
        "logprobs": {
            "tokens": ["Bruno", " eats", " vegetables", "."],
            "text_offset": [0, 5, 10, 21],
            "token_logprobs": [None, -3.0, -1.5, -0.7],
            "top_logprobs": [
                None,
                {" eats": -3.0, " is": -1.0},
                {" vegetables": -1.5},
                {".": -0.7},
            ],
        },
    }
    prompt = "Bruno eats vegetables"
    assert score_of(prompt_tokens_of(choice, prompt), "Bruno eats", prompt) == Score(-1.5, 1, True)
    assert score_of(prompt_tokens_of(choice, prompt), "Bruno", prompt) == Score(-4.5, 2, False)


@pytest.mark.parametrize(
    "choice",
    [
        {"index": 0, "text": " x", "logprobs": None},
        # llama-server / Ollama: log-probs of the generated token only.
        {
            "index": 0,
            "text": " x",
            "logprobs": {
                "tokens": [" x"],
                "text_offset": [21],
                "token_logprobs": [-0.5],
                "top_logprobs": [{" x": -0.5}],
            },
        },
    ],
)
def test_an_answer_without_prompt_logprobs_is_refused(choice):
    prompt = "Bruno eats vegetables"
    with pytest.raises(MissingPromptLogprobs):
        score_of(prompt_tokens_of(choice, prompt), "Bruno eats", prompt)
