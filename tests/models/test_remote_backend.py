"""The remote backend over HTTP against a stand-in server on 127.0.0.1 that answers in
vLLM's and the llama-cpp-python server's shapes (:mod:`tests.models.openai_stub_server`):
batching, tokenisation, streaming, the errors a user can meet, and a correction whose
connection drops mid-scoring."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from assistant.answering.answer import answer_question
from assistant.errors import ServerError
from assistant.learning.correction import run_correction
from assistant.llm import ChatMessage, ScoreRequest
from assistant.settings import Settings
from models.loader import load_model
from models.remote_backend import RemoteLanguageModel
from models.remote_errors import (
    PromptLogprobsUnsupportedError,
    ServerAuthError,
    ServerConnectionLostError,
    ServerModelError,
    ServerTimeoutError,
    ServerUnreachableError,
)
from models.remote_http import ServerClient
from ui.launcher import run_cli

from .openai_stub_server import StubServer, stub_score

QUESTION = "What does my dog Bruno eat?"
REQUESTS = [
    ScoreRequest("Bruno eats vegetables. What does Bruno eat? Bruno eats", " vegetables"),
    ScoreRequest("What does Bruno eat? Bruno eats", " vegetables"),
    ScoreRequest("What does Bruno eat? Bruno eats", " fresh vegetables every day"),
    ScoreRequest("To answer: where does Anna live? I need information Anna", " lives in"),
]


@pytest.fixture
def serve():
    started = []

    def start(**options) -> StubServer:
        server = StubServer(**options).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def remote(serve):
    models = []

    def connect(server: StubServer, **options) -> RemoteLanguageModel:
        model = RemoteLanguageModel(server.url, **options)
        models.append(model)
        return model

    yield connect
    for model in models:
        model.close()


def _completions(server: StubServer) -> list[dict]:
    return [body for path, body in server.requests if path == "/v1/completions"]


@pytest.mark.parametrize("owned_by", ["vllm", "me"])
def test_scores_are_the_servers_prompt_logprobs_of_the_continuation(serve, remote, owned_by):
    server = serve(owned_by=owned_by)
    scores = remote(server).score(REQUESTS)
    assert scores == [stub_score(r.context, r.continuation) for r in REQUESTS]
    assert scores[0].is_greedy and not scores[1].is_greedy


def test_vllm_gets_all_prompts_in_one_request_with_prompt_logprobs(serve, remote):
    server = serve(owned_by="vllm")
    model = remote(server)
    model.score(REQUESTS)
    (body,) = _completions(server)
    assert body["prompt"] == [r.context + r.continuation for r in REQUESTS]
    assert body["prompt_logprobs"] == 0 and body["max_tokens"] == 1
    assert model.context_length == 8192  # vLLM's max_model_len


def test_the_llama_cpp_python_server_gets_one_echoed_prompt_per_request(serve, remote):
    server = serve(owned_by="me")
    remote(server).score(REQUESTS)
    bodies = _completions(server)
    assert [b["prompt"] for b in bodies] == [r.context + r.continuation for r in REQUESTS]
    # max_tokens 0 would mean "unlimited" on this server: one token, then ignored.
    assert all(b["echo"] and b["logprobs"] == 1 and b["max_tokens"] == 1 for b in bodies)


def test_scores_are_remembered_until_the_cache_is_forgotten(serve, remote):
    server = serve()
    model = remote(server)
    model.score(REQUESTS)
    model.score(REQUESTS[:2])
    assert len(_completions(server)) == 1
    model.forget_cache()
    model.score(REQUESTS[:2])
    assert len(_completions(server)) == 2


def test_tokenize_takes_off_the_bos_the_llama_cpp_python_server_adds(serve, remote):
    model = remote(serve(owned_by="me"))
    assert model.tokenize("Bruno eats") == [105, 105]
    assert model.count_tokens("Bruno eats vegetables") == 3


def test_tokenize_asks_vllm_for_no_special_tokens(serve, remote):
    server = serve(owned_by="vllm")
    assert remote(server).tokenize("Bruno eats") == [105, 105]
    assert server.requests[-1] == (
        "/tokenize",
        {"model": server.model_id, "prompt": "Bruno eats", "add_special_tokens": False},
    )


def test_completion_and_chat_stream_piece_by_piece(serve, remote):
    server = serve()
    model = remote(server)
    prompt = "<facts>: [1] Bruno eats vegetables.\n<answer>:"
    assert list(model.complete(prompt, max_tokens=8, stop=["\n"])) == [" vegetables"]
    assert _completions(server)[-1]["stop"] == ["\n"]
    system = ChatMessage("system", "Facts: [1] Bruno eats vegetables.")
    pieces = list(model.chat([system, ChatMessage("user", "Hi")], max_tokens=50))
    assert len(pieces) > 1 and "".join(pieces) == "From what you told me: Bruno eats vegetables."


def test_breaking_out_of_a_stream_closes_it(serve, remote):
    model = remote(serve())
    stream = model.chat([ChatMessage("user", "Hi")], max_tokens=50)
    assert next(stream)
    stream.close()
    # The connection is free for the next call.
    assert list(model.complete("x <answer>:", max_tokens=3)) == [" I", " do", " not"]


def test_a_correction_and_an_answer_through_the_server(serve, remote, store):
    model = remote(serve(owned_by="me"))
    result = run_correction(model, store, QUESTION, "vegetables")
    assert result.applied.added and all(f.object == "vegetables" for f in result.applied.added)
    assert "vegetables" in answer_question(model, store, QUESTION).text


def test_a_connection_dropped_mid_scoring_leaves_the_graph_unchanged(serve, remote, store):
    model = remote(serve(owned_by="me"))
    run_correction(model, store, QUESTION, "vegetables")
    before = (store.facts(include_invalid=True), store.corrections())
    dropping = remote(serve(owned_by="me", drop_at_scoring_request=3))
    with pytest.raises(ServerConnectionLostError, match="dropped"):
        run_correction(dropping, store, QUESTION, "fish")
    assert (store.facts(include_invalid=True), store.corrections()) == before


def test_an_unreachable_server_is_one_clear_error():
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ServerUnreachableError, match=f"127.0.0.1:{port}/v1: is it running"):
        RemoteLanguageModel(f"http://127.0.0.1:{port}")


def test_a_wrong_model_name_names_the_served_ones(serve):
    server = serve()
    with pytest.raises(ServerModelError, match="no model 'llama3'; it serves: stub/Meta"):
        RemoteLanguageModel(server.url, model="llama3")


def test_a_server_without_prompt_logprobs_says_which_engines_have_them(serve, remote):
    model = remote(serve(owned_by="unknown-engine", generated_logprobs_only=True))
    with pytest.raises(PromptLogprobsUnsupportedError, match="llama-cpp-python server .* vLLM"):
        model.score(REQUESTS[:1])


def test_a_llama_cpp_python_server_whose_model_has_no_bos_is_refused(serve, remote):
    """Its echoed log-probs would be off by one token: no score beats a wrong one."""
    model = remote(serve(owned_by="me", adds_bos=False))
    with pytest.raises(PromptLogprobsUnsupportedError, match="add_bos_token=bool:true"):
        model.score(REQUESTS[:1])


def test_a_stalled_server_times_out(serve):
    server = serve(stall_s=2.0)
    client = ServerClient(server.url, read_timeout_s=0.2)
    model = RemoteLanguageModel(server.url, client=client)
    with pytest.raises(ServerTimeoutError, match="in time"):
        model.score(REQUESTS[:1])
    model.close()


def test_the_api_key_is_sent_and_never_shown(serve, remote):
    server = serve(api_key="sk-secret-123")
    model = remote(server, api_key="sk-secret-123")
    model.score(REQUESTS[:1])
    assert set(server.authorizations) == {"Bearer sk-secret-123"}
    with pytest.raises(ServerAuthError) as refused:
        RemoteLanguageModel(server.url, api_key="wrong-key", api_key_env="GPU_BOX_KEY")
    message = str(refused.value)
    assert "GPU_BOX_KEY" in message and "wrong-key" not in message
    assert "sk-secret" not in repr(model._client)


def test_credentials_in_the_url_stay_out_of_messages():
    with pytest.raises(ServerError) as error:
        RemoteLanguageModel("http://user:hunter2@127.0.0.1:9/v1")
    assert "hunter2" not in str(error.value)


def test_the_loader_picks_the_server_from_the_settings(serve, monkeypatch):
    server = serve(api_key="k-from-env")
    monkeypatch.setenv("GPU_BOX_KEY", "k-from-env")
    settings = Settings(server_url=server.url, server_api_key_env="GPU_BOX_KEY")
    model = load_model(settings)
    try:
        assert isinstance(model, RemoteLanguageModel) and model.name == "Meta-Llama-3-8B-Instruct"
    finally:
        model.close()


def test_the_cli_runs_correct_and_ask_through_the_server(serve, capsys, monkeypatch, private_home):
    server = serve(owned_by="me", api_key="k-cli")
    monkeypatch.setenv("MY_GPU_KEY", "k-cli")
    common = ["--server", server.url, "--api-key-env", "MY_GPU_KEY"]
    assert run_cli([*common, "correct", QUESTION, "vegetables"]) == 0
    assert run_cli([*common, "ask", QUESTION]) == 0
    assert "vegetables" in capsys.readouterr().out.splitlines()[-1]
    # The server is this run's choice: nothing about it (or its key) is saved.
    saved = (
        (private_home / "settings.json").read_text()
        if (private_home / "settings.json").exists()
        else ""
    )
    assert "k-cli" not in saved and server.url not in saved


def test_the_cli_reports_a_refused_key_in_one_line(serve, capsys, monkeypatch):
    server = serve(api_key="right")
    monkeypatch.setenv("ASSISTANT_API_KEY", "wrong-secret")
    assert run_cli(["--server", server.url, "ask", QUESTION]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "ASSISTANT_API_KEY" in err and "wrong-secret" not in err


def test_vllms_recorded_model_list_makes_a_batching_vllm_model(serve, remote):
    recorded = json.loads((Path(__file__).parent / "data" / "vllm_models.json").read_text())
    server = serve()
    server.models = lambda: recorded
    model = remote(server)
    assert (model.info.engine, model.info.prompts_per_request) == ("vllm", 32)
    assert (model.name, model.context_length) == ("Meta-Llama-3-8B-Instruct", 8192)
