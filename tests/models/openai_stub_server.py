"""A stand-in OpenAI-compatible server on 127.0.0.1 for the remote backend's protocol
tests: it answers in the documented shapes of vLLM (``owned_by: "vllm"``, lists of
prompts, ``prompt_logprobs``) and of the llama-cpp-python server (``owned_by: "me"``,
one prompt per request, ``echo`` + ``logprobs``), and can misbehave on purpose: drop
the connection, stall, refuse a key, or return generated-token log-probs only (what
llama.cpp's llama-server and Ollama do).

Its text comes from the fake model (:mod:`models.fake`); its log-probabilities follow
a rule a test can recompute (:func:`stub_score`): a word already seen earlier in the
prompt is likely (-0.1, rank 1), any other gets the fake's fixed per-word value
(rank 2). The real llama-cpp-python server is tested in test_remote_real_server.py.
"""

from __future__ import annotations

import json
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from assistant.llm import ChatMessage, Score
from models.fake import FakeLanguageModel, _word_logprob

_PIECE = re.compile(r"\s*(?:\w+|[^\w\s])")


def stub_tokens(text: str) -> list[tuple[int, str]]:
    """(offset, text) of each token: a word or a sign with its leading spaces."""
    return [(m.start(), m.group()) for m in _PIECE.finditer(text)]


def _logprob_at(tokens: list[tuple[int, str]], i: int) -> tuple[float, int]:
    word = tokens[i][1].strip().lower()
    seen = {t.strip().lower() for _, t in tokens[:i]}
    return (-0.1, 1) if word in seen else (_word_logprob(word), 2)


def stub_score(context: str, continuation: str) -> Score:
    """What the remote backend should compute from this server's answers."""
    tokens = stub_tokens(context + continuation)
    chosen = [i for i, (start, text) in enumerate(tokens) if start + len(text) > len(context)]
    values = [_logprob_at(tokens, i) for i in chosen]
    return Score(sum(v for v, _ in values), len(values), all(r == 1 for _, r in values))


@dataclass
class StubServer:
    owned_by: str = "vllm"  # "vllm" or "me" (the llama-cpp-python server)
    model_id: str = "stub/Meta-Llama-3-8B-Instruct"
    api_key: str | None = None
    #: Close the connection without an answer at this scoring request (1-based).
    drop_at_scoring_request: int | None = None
    #: Seconds to stall every scoring request (to test timeouts).
    stall_s: float = 0.0
    #: Answer like llama-server/Ollama: generated-token log-probs only.
    generated_logprobs_only: bool = False
    #: Whether the llama-cpp-python-shaped server's model adds a BOS token.
    adds_bos: bool = True
    requests: list[tuple[str, dict]] = field(default_factory=list)
    authorizations: list[str | None] = field(default_factory=list)
    scoring_requests: int = 0
    fake: FakeLanguageModel = field(default_factory=FakeLanguageModel)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> StubServer:
        self._server = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # ----- answers -------------------------------------------------------------------

    def models(self) -> dict:
        entry = {"id": self.model_id, "object": "model", "owned_by": self.owned_by}
        if self.owned_by == "vllm":
            entry["max_model_len"] = 8192
        return {"object": "list", "data": [entry]}

    def tokenize(self, text: str) -> dict:
        # The llama-cpp-python server adds a BOS (id 1) to every text, "" included.
        bos = [1] if self.owned_by == "me" and self.adds_bos else []
        return {"tokens": bos + [100 + len(t) for _, t in stub_tokens(text)]}

    def scoring_choices(self, body: dict) -> list[dict]:
        prompts = body["prompt"] if isinstance(body["prompt"], list) else [body["prompt"]]
        if self.owned_by != "vllm" and len(prompts) > 1:
            raise AssertionError("the llama-cpp-python server takes one prompt per request")
        return [self._choice(i, p, body) for i, p in enumerate(prompts)]

    def _choice(self, index: int, prompt: str, body: dict) -> dict:
        tokens = stub_tokens(prompt)
        choice = {"index": index, "text": " x", "finish_reason": "length", "logprobs": None}
        if self.generated_logprobs_only:
            choice["logprobs"] = _echo_logprobs([(len(prompt), " x")], [(-0.5, 1)])
        elif body.get("prompt_logprobs") is not None:
            choice["prompt_logprobs"] = [None] + [
                _vllm_entry(tokens, i) for i in range(1, len(tokens))
            ]
        elif body.get("echo"):
            values = [_logprob_at(tokens, i) for i in range(len(tokens))]
            choice["text"] = prompt + " x"
            choice["logprobs"] = _echo_logprobs(
                [*tokens, (len(prompt), " x")], [*values, (-0.5, 1)]
            )
        return choice


def _vllm_entry(tokens: list[tuple[int, str]], i: int) -> dict:
    logprob, rank = _logprob_at(tokens, i)
    return {str(100 + i): {"logprob": logprob, "rank": rank, "decoded_token": tokens[i][1]}}


def _echo_logprobs(tokens: list[tuple[int, str]], values: list[tuple[float, int]]) -> dict:
    tops = [
        {text: lp} if rank == 1 else {text: lp, " the": -0.05}
        for (_, text), (lp, rank) in zip(tokens, values)
    ]
    logprobs = [lp for lp, _ in values]
    logprobs[0], tops[0] = None, None  # OpenAI's convention: nothing predicts the first
    return {
        "tokens": [t for _, t in tokens],
        "text_offset": [o for o, _ in tokens],
        "token_logprobs": logprobs,
        "top_logprobs": tops,
    }


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _handler_for(stub: StubServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            if not self._authorized():
                return
            if self.path == "/v1/models":
                return self._json(200, stub.models())
            return self._json(404, {"detail": "Not Found"})

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
            stub.requests.append((self.path, body))
            if not self._authorized():
                return
            tokenize = "/tokenize" if stub.owned_by == "vllm" else "/extras/tokenize"
            if self.path == tokenize:
                return self._json(200, stub.tokenize(body.get("prompt", body.get("input", ""))))
            if self.path == "/v1/completions" and body.get("stream"):
                reply = stub.fake.complete(
                    body["prompt"],
                    max_tokens=body.get("max_tokens") or 0,
                    stop=body.get("stop", []),
                )
                return self._stream({"choices": [{"text": p, "index": 0}]} for p in reply)
            if self.path == "/v1/completions":
                return self._score(body)
            if self.path == "/v1/chat/completions":
                messages = [ChatMessage(m["role"], m["content"]) for m in body["messages"]]
                reply = stub.fake.chat(messages, max_tokens=body.get("max_tokens") or 0)
                return self._stream(
                    {"choices": [{"delta": {"content": p}, "index": 0}]} for p in reply
                )
            return self._json(404, {"detail": "Not Found"})

        def _score(self, body: dict):
            stub.scoring_requests += 1
            if stub.scoring_requests == stub.drop_at_scoring_request:
                # The GPU box rebooted, the Wi-Fi dropped: no answer, connection closed.
                self.close_connection = True
                self.connection.shutdown(2)
                return
            if stub.stall_s:
                time.sleep(stub.stall_s)
            choices = stub.scoring_choices(body)
            return self._json(200, {"object": "text_completion", "choices": choices})

        def _authorized(self) -> bool:
            given = self.headers.get("Authorization")
            stub.authorizations.append(given)
            if stub.api_key is None or given == f"Bearer {stub.api_key}":
                return True
            self._json(401, {"error": {"message": "Invalid API key", "code": 401}})
            return False

        def _json(self, status: int, payload: dict):
            data = json.dumps(payload).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _stream(self, events):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            try:
                for event in events:
                    self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
                    self.wfile.flush()
                self.wfile.write(b"data: [DONE]\n\n")
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client closed the stream early: generation stops

    return Handler
