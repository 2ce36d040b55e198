"""A fake Hugging Face Hub on 127.0.0.1 that serves files the way the hub's file API does.

It speaks just enough of ``/{repo_id}/resolve/{revision}/{filename}`` for
``huggingface_hub`` clients: HEAD and GET, the ``X-Repo-Commit`` / ``ETag`` /
``X-Linked-Etag`` / ``X-Linked-Size`` headers, ``X-Error-Code`` on 404s, and
``Range: bytes=N-`` for resumed downloads. Every request is logged so tests can check
what the client asked for (e.g. that a resumed download sent a Range header).
"""

from __future__ import annotations

import hashlib
import re
import sys
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

COMMIT_HASH = "0123456789abcdef0123456789abcdef01234567"
_RESOLVE_PATH = re.compile(
    r"^/(?P<repo_id>[^/]+/[^/]+)/resolve/(?P<revision>[^/]+)/(?P<filename>.+)$"
)
_RANGE = re.compile(r"^bytes=(?P<start>\d+)-$")


@dataclass
class LoggedRequest:
    method: str
    path: str
    range: str | None


@dataclass
class FakeHub:
    """Serves ``files`` ({(repo_id, filename): bytes}) until :meth:`stop`."""

    files: dict[tuple[str, str], bytes] = field(default_factory=dict)
    requests: list[LoggedRequest] = field(default_factory=list)
    #: When true, GET bodies have one byte flipped while the headers still advertise the
    #: true sha256: the corruption in transit that a checksum must catch.
    corrupt_body: bool = False
    #: Bytes written per socket write, so clients see the body arrive in several pieces.
    write_size: int = 16 * 1024
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def add_file(self, repo_id: str, filename: str, content: bytes) -> str:
        """Publish ``content``; returns its sha256 (the hub's ETag for LFS files)."""
        self.files[(repo_id, filename)] = content
        return hashlib.sha256(content).hexdigest()

    def start(self) -> FakeHub:
        self._server = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FakeHub:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def gets(self) -> list[LoggedRequest]:
        return [request for request in self.requests if request.method == "GET"]


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that cancels mid-body resets the connection: expected here, not a failure.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _handler_for(hub: FakeHub) -> type[BaseHTTPRequestHandler]:
    class HubHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_HEAD(self):
            self._serve(send_body=False)

        def do_GET(self):
            self._serve(send_body=True)

        def log_message(self, format, *args):  # keep test output quiet
            pass

        def _serve(self, send_body: bool) -> None:
            hub.requests.append(LoggedRequest(self.command, self.path, self.headers.get("Range")))
            content = self._resolve()
            if content is None:
                return
            start = self._range_start(len(content))
            if start is None:
                return
            self._send_headers(content, start)
            if send_body:
                self._send_body(content[start:])

        def _resolve(self) -> bytes | None:
            match = _RESOLVE_PATH.match(self.path.split("?")[0])
            if not match:
                self._send_error(404, "RepoNotFound")
                return None
            key = (match["repo_id"], match["filename"])
            if key not in hub.files:
                self._send_error(404, "EntryNotFound")
                return None
            return hub.files[key]

        def _range_start(self, size: int) -> int | None:
            header = self.headers.get("Range")
            if header is None:
                return 0
            match = _RANGE.match(header)
            if not match or int(match["start"]) >= size:
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            return int(match["start"])

        def _send_headers(self, content: bytes, start: int) -> None:
            etag = hashlib.sha256(content).hexdigest()
            self.send_response(206 if start else 200)
            self.send_header("X-Repo-Commit", COMMIT_HASH)
            self.send_header("ETag", f'"{etag}"')
            self.send_header("X-Linked-Etag", f'"{etag}"')
            self.send_header("X-Linked-Size", str(len(content)))
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(content) - start))
            if start:
                self.send_header(
                    "Content-Range", f"bytes {start}-{len(content) - 1}/{len(content)}"
                )
            self.end_headers()

        def _send_body(self, body: bytes) -> None:
            if hub.corrupt_body and body:
                body = bytes([body[0] ^ 0xFF]) + body[1:]
            for offset in range(0, len(body), hub.write_size):
                self.wfile.write(body[offset : offset + hub.write_size])
                self.wfile.flush()

        def _send_error(self, status: int, error_code: str) -> None:
            self.send_response(status)
            self.send_header("X-Error-Code", error_code)
            self.send_header("Content-Length", "0")
            self.end_headers()

    return HubHandler
