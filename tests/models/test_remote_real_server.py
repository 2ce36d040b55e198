"""The remote backend against the REAL llama-cpp-python server (``python -m
llama_cpp.server``) on the embedded GGUF, started once per test session on 127.0.0.1:
its scores agree with the in-process backend's, and ``correct`` / ``ask`` run through it.

The embedded SmolLM2 adds no BOS token, which the server's echoed log-probabilities
need (:mod:`benchmarks.llama_server`): the server gets one by a metadata override,
and the in-process backend compared with it the same override, so both evaluate the
same tokens. The server formats log-probabilities in Python (a sort of the whole
vocabulary per prompt token: ~0.1-0.2 s per token here), so these tests keep their
prompts few.
"""

from __future__ import annotations

import json

import pytest

from assistant.language.prompts import reasoning_prompt, retrieval_context
from assistant.llm import ChatMessage, ScoreRequest
from benchmarks.llama_server import BOS_OVERRIDE, llama_server
from models.llama_backend import LlamaLanguageModel
from models.remote_backend import RemoteLanguageModel
from ui.launcher import run_cli

from .test_llama_backend import QUERY, TOLERANCE_NATS, _assert_close

pytestmark = pytest.mark.real_model


@pytest.fixture(scope="session")
def server_url(embedded_model_path, tmp_path_factory):
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    with llama_server(embedded_model_path, log) as server:
        yield server.url


@pytest.fixture(scope="session")
def remote_model(server_url):
    model = RemoteLanguageModel(server_url)
    yield model
    model.close()


def test_scores_agree_with_the_in_process_backend(remote_model, embedded_model_path):
    requests = [
        ScoreRequest(reasoning_prompt(QUERY, [("Bruno", "eats", "vegetables")]), " vegetables"),
        ScoreRequest(reasoning_prompt(QUERY, [("Bruno", "diet", "vegetables")]), " vegetables"),
        ScoreRequest(reasoning_prompt(QUERY, []), " fresh vegetables"),
        ScoreRequest(retrieval_context(QUERY, "Bruno"), " likes to eat"),
    ]
    local = LlamaLanguageModel(embedded_model_path, context_length=2048, kv_overrides=BOS_OVERRIDE)
    try:
        expected = local.score_separately(requests)
    finally:
        local.close()
    remote = remote_model.score(requests)
    _assert_close(remote, expected)  # within TOLERANCE_NATS per continuation
    assert [s.is_greedy for s in remote] == [s.is_greedy for s in expected]
    assert TOLERANCE_NATS < 1.0


def test_tokens_are_the_in_process_backends(remote_model, embedded_model_path):
    local = LlamaLanguageModel(embedded_model_path, context_length=2048)
    try:
        text = "What does my dog Bruno eat? Vegetables, mostly."
        assert remote_model.tokenize(text) == local.tokenize(text)
    finally:
        local.close()


def test_correct_and_ask_through_the_server(server_url, private_home, capsys):
    private_home.mkdir(parents=True, exist_ok=True)
    # Two candidate relations: fewer prompts for this slow-scoring server.
    (private_home / "settings.json").write_text(json.dumps({"k_relations": 2}))
    common = ["--server", server_url, "--json"]
    assert run_cli([*common, "correct", QUERY, "vegetables", "--subject", "Bruno"]) == 0
    learned = json.loads(capsys.readouterr().out)
    assert learned["added"] and all(f["object"] == "vegetables" for f in learned["added"])
    assert run_cli([*common, "ask", QUERY]) == 0
    answered = json.loads(capsys.readouterr().out)
    assert answered["subject"] == "Bruno"
    assert {f["object"] for f in answered["facts"]} == {"vegetables"}


def test_greedy_completion_and_chat_stream_from_the_server(remote_model, embedded_model_path):
    prompt = reasoning_prompt(QUERY, [("Bruno", "eats", "vegetables")])
    local = LlamaLanguageModel(embedded_model_path, context_length=2048, kv_overrides=BOS_OVERRIDE)
    try:
        expected = "".join(local.complete(prompt, max_tokens=8, stop=["\n"]))
    finally:
        local.close()
    assert "".join(remote_model.complete(prompt, max_tokens=8, stop=["\n"])) == expected
    reply = list(remote_model.chat([ChatMessage("user", "Say hello.")], max_tokens=8))
    assert reply and "".join(reply).strip()


def test_the_scenario_benchmark_runs_through_the_server(server_url, private_home, tmp_path, capsys):
    # One scenario of the dev set's shape: a teach, the fact asked back in other words, a
    # question about something else. Every step goes through the chat's own code path,
    # the model on the server.
    scenario = {
        "id": "dog-breed",
        "steps": [
            {"teach": "What breed is my dog Pepper?", "answer": "whippet"},
            {"ask": "Which breed is Pepper?", "expect": ["whippet"], "kind": "paraphrase"},
        ],
    }
    data = tmp_path / "scenarios.json"
    data.write_text(json.dumps([scenario]))
    private_home.mkdir(parents=True, exist_ok=True)
    (private_home / "settings.json").write_text(json.dumps({"k_relations": 2}))
    assert (
        run_cli(["--server", server_url, "--json", "eval", "scenarios", "--data", str(data)]) == 0
    )
    summary = json.loads(capsys.readouterr().out)
    assert summary["corrections"] == 1 and summary["failed_corrections"] == 0
    assert summary["kinds"]["paraphrase"] == {
        "passed": 1,
        "total": 1,
        "rate": 100.0,
        "baseline_rate": summary["kinds"]["paraphrase"]["baseline_rate"],
    }
