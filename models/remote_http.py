"""HTTP to an OpenAI-compatible inference server: JSON requests, server-sent events,
and every transport failure turned into one :mod:`models.remote_errors` error.

The API key travels only in the Authorization header; no message, log line or repr
made here contains it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from assistant.errors import ContextOverflowError, ServerError

from .remote_errors import (
    ServerAuthError,
    ServerConnectionLostError,
    ServerModelError,
    ServerTimeoutError,
    ServerUnreachableError,
    no_prompt_logprobs,
    safe_url,
)

#: Seconds to wait for a connection: a server on the local network answers in
#: milliseconds, so a few seconds means it is not there.
CONNECT_TIMEOUT_S = 5.0
#: Seconds to wait for the next bytes of an answer. A cold server may take a while to
#: evaluate a long batch of prompts; a dead one should not hang a correction forever.
READ_TIMEOUT_S = 120.0

_CONTEXT_OVERFLOW = re.compile(r"context (window|length)|maximum context", re.IGNORECASE)
_NO_LOGPROBS = re.compile(r"logprobs is not supported|logits_all", re.IGNORECASE)
_NO_MODEL = re.compile(r"model .*(does not exist|not found)", re.IGNORECASE)


class EndpointMissing(ServerError):
    """The server has no such endpoint (404 without a model complaint): callers may
    try another one."""


class ServerClient:
    """A connection pool to one server; ``base_url`` ends in ``/v1``."""

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None = None,
        api_key_env: str = "ASSISTANT_API_KEY",
        read_timeout_s: float = READ_TIMEOUT_S,
    ):
        self.base_url = normalize_base_url(base_url)
        self.root_url = self.base_url.removesuffix("/v1")
        self.api_key_env = api_key_env
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._http = httpx.Client(
            headers=headers,
            timeout=httpx.Timeout(read_timeout_s, connect=CONNECT_TIMEOUT_S),
        )

    def __repr__(self) -> str:
        return f"ServerClient({safe_url(self.base_url)!r})"

    def get(self, path: str) -> dict:
        with self._errors_mapped(path):
            response = self._http.get(self._url(path))
            self._check(response, path)
            return _json_of(response, self.base_url)

    def post(self, path: str, payload: dict) -> dict:
        with self._errors_mapped(path):
            response = self._http.post(self._url(path), json=payload)
            self._check(response, path)
            return _json_of(response, self.base_url)

    def stream(self, path: str, payload: dict) -> Iterator[dict]:
        """The JSON events of a server-sent-event answer, until ``[DONE]``. Closing the
        iterator closes the connection, which stops generation on the server."""
        with (
            self._errors_mapped(path),
            self._http.stream("POST", self._url(path), json=payload) as response,
        ):
            if response.status_code >= 400:
                response.read()
            self._check(response, path)
            for line in response.iter_lines():
                event = _sse_data(line)
                if event is None:
                    continue
                if event == "[DONE]":
                    return
                yield _event_json(event, self.base_url)
            # Closed without [DONE]: the answer may be cut short, so say so.
            raise ServerConnectionLostError(
                f"the connection to the inference server at {safe_url(self.base_url)} "
                "dropped before the answer was complete"
            )

    def close(self) -> None:
        self._http.close()

    def _url(self, path: str) -> str:
        # Paths starting with "/v1/" are the OpenAI API; others (tokenisation) sit at
        # the server's root.
        if path.startswith("/v1/"):
            return self.base_url + path.removeprefix("/v1")
        return self.root_url + path

    @contextmanager
    def _errors_mapped(self, path: str):
        where = safe_url(self.base_url)
        try:
            yield
        except httpx.TimeoutException:
            raise ServerTimeoutError(
                f"the inference server at {where} did not answer {path} in time"
            ) from None
        except httpx.ConnectError:
            raise ServerUnreachableError(
                f"cannot reach the inference server at {where}: is it running, "
                "and is the address right?"
            ) from None
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError):
            raise ServerConnectionLostError(
                f"the connection to the inference server at {where} dropped during {path}"
            ) from None
        except httpx.HTTPError as error:  # anything else httpx can raise, e.g. a bad URL
            raise ServerError(
                f"inference server at {where}: {type(error).__name__} during {path}"
            ) from None

    def _check(self, response: httpx.Response, path: str) -> None:
        if response.status_code < 400:
            return
        raise error_for_status(
            response.status_code, _error_message(response), path, self.base_url, self.api_key_env
        )


def error_for_status(
    status: int, message: str, path: str, base_url: str, api_key_env: str
) -> ServerError | ContextOverflowError:
    """The error for an HTTP error answer, from its status and the server's message."""
    where = safe_url(base_url)
    if status in (401, 403):
        return ServerAuthError(
            f"the inference server at {where} refused the API key "
            f"(read from the environment variable {api_key_env})"
        )
    if _NO_LOGPROBS.search(message):
        return no_prompt_logprobs(base_url)
    if _CONTEXT_OVERFLOW.search(message):
        return ContextOverflowError(f"the prompt does not fit the server's model: {message}")
    if _NO_MODEL.search(message):
        return ServerModelError(f"the inference server at {where}: {message}")
    if status == 404:
        return EndpointMissing(f"the inference server at {where} has no endpoint {path}")
    return ServerError(f"the inference server at {where} answered {status} to {path}: {message}")


def normalize_base_url(url: str) -> str:
    """``http://host:8000``, ``http://host:8000/`` and ``http://host:8000/v1`` all mean
    the OpenAI API at ``http://host:8000/v1``."""
    url = url.strip().rstrip("/")
    if not re.match(r"^https?://", url):
        raise ServerError(f"the server address must start with http:// or https://: {url!r}")
    return url if url.endswith("/v1") else url + "/v1"


def _error_message(response: httpx.Response) -> str:
    """The server's own explanation: OpenAI's {"error": {"message"}}, vLLM's older
    {"message"}, FastAPI's {"detail"}, or the text (short: it can quote the prompt)."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200].strip() or response.reason_phrase
    error = body.get("error", body) if isinstance(body, dict) else body
    if isinstance(error, dict):
        text = error.get("message") or error.get("detail") or json.dumps(error)
    else:
        text = str(error)
    return str(text)[:300]


def _json_of(response: httpx.Response, base_url: str) -> dict:
    try:
        return response.json()
    except ValueError:
        raise ServerError(
            f"the inference server at {safe_url(base_url)} answered something that is not JSON"
        ) from None


def _sse_data(line: str) -> str | None:
    """The data of one server-sent-event line; comments, pings and blank lines give
    None."""
    if not line.startswith("data:"):
        return None
    return line[5:].strip()


def _event_json(data: str, base_url: str) -> dict:
    try:
        event = json.loads(data)
    except ValueError:
        raise ServerError(
            f"the inference server at {safe_url(base_url)} streamed something that is not JSON"
        ) from None
    if isinstance(event, dict) and "error" in event:
        # Some servers report a failure mid-stream as an event rather than a status.
        error = event["error"]
        message = error.get("message", str(error)) if isinstance(error, dict) else str(error)
        raise ServerError(f"the inference server at {safe_url(base_url)} failed: {message}")
    return event
