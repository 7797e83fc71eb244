"""A real local HTTP server for tests: a folder of files plus behaviour routes, on 127.0.0.1, port 0.

    from tests.servers import Reply, serve

    with serve(FIXTURES / "site", routes={"/status/500": lambda req: Reply(500)}) as server:
        crawl(server.url + "/")
        assert "/private/secret.html" not in server.paths()

Static files get an ETag and Last-Modified and answer conditional requests with 304, like a real web
server. In text files (.html .xml .txt .css .js) the marker `{{BASE}}` becomes the server's base URL, so a
fixture sitemap or robots.txt can hold absolute URLs; a request for `X.gz` when only `X` exists is answered
with `X` gzip-compressed (a gzip sitemap). Every request is logged (`server.log`, `server.paths()`).
`behaviour_routes()` has the usual misbehaving pages: slow, trickling, 500, 503 then 200, 429 with
Retry-After, a redirect loop, a huge page.
"""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import mimetypes
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import SplitResult, urlsplit

TEXT_SUFFIXES = {".html", ".htm", ".xml", ".txt", ".css", ".js", ".json"}


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # without the query
    query: str
    headers: dict[str, str]
    count: int  # 1 for the first request to this path on this server, 2 for the second, ...
    base: str  # the server's base URL


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/html; charset=utf-8"
    delay: float = 0.0  # seconds to wait before answering
    chunks: Iterable[bytes] | None = None  # streamed with chunked encoding instead of `body`
    # > 0: the answer goes out one byte every `trickle` seconds (from the status line, or from the body when
    # `trickle_body`), and the connection is closed after `lifetime` seconds whatever is left.
    trickle: float = 0.0
    trickle_body: bool = False
    lifetime: float = 30.0


Route = Callable[[Request], Reply]


@dataclass(frozen=True)
class Logged:
    method: str
    path: str
    query: str
    status: int
    headers: dict[str, str]
    at: float  # time.monotonic() when the request arrived


class TestServer:
    __test__ = False  # not a pytest test class

    def __init__(self, root: Path | None, routes: dict[str, Route]) -> None:
        self.root = root
        self.routes = routes
        self.log: list[Logged] = []
        self.counts: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0  # the most requests this server was answering at once
        self.httpd: ThreadingHTTPServer | None = None
        self.url = ""

    def paths(self) -> list[str]:
        """Every requested path (with its query, if any), in order."""
        with self.lock:
            return [entry.path + (f"?{entry.query}" if entry.query else "") for entry in self.log]

    def statuses(self, path: str) -> list[int]:
        with self.lock:
            return [entry.status for entry in self.log if entry.path == path]

    def clear(self) -> None:
        with self.lock:
            self.log.clear()
            self.counts.clear()
            self.max_in_flight = 0

    def route_for(self, path: str) -> Route | None:
        if path in self.routes:
            return self.routes[path]
        for pattern, route in self.routes.items():
            if pattern.endswith("*") and path.startswith(pattern[:-1]):
                return route
        return None

    def static(self, request: Request) -> Reply:
        if self.root is None:
            return Reply(404, "not found")
        relative = request.path.lstrip("/")
        target = (self.root / relative).resolve()
        if not str(target).startswith(str(self.root.resolve())):
            return Reply(403, "forbidden")
        if target.is_dir():
            target = target / "index.html"
        compress = False
        if not target.is_file() and target.suffix == ".gz" and target.with_suffix("").is_file():
            target, compress = target.with_suffix(""), True
        if not target.is_file():
            return Reply(404, "<h1>Not found</h1>")
        data = target.read_bytes()
        if target.suffix in TEXT_SUFFIXES:
            data = data.replace(b"{{BASE}}", request.base.encode("ascii"))
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if target.suffix in (".html", ".htm"):
            content_type = "text/html; charset=utf-8"
        if compress:
            data = gzip.compress(data, mtime=0)
            content_type = "application/gzip"
        etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
        modified = email.utils.formatdate(int(target.stat().st_mtime), usegmt=True)
        headers = {"ETag": etag, "Last-Modified": modified}
        if request.headers.get("if-none-match") == etag or (
            "if-none-match" not in request.headers and request.headers.get("if-modified-since") == modified
        ):
            return Reply(304, b"", headers)
        return Reply(200, data, headers, content_type)


def _handler(server: TestServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            parts = urlsplit(self.path)
            arrived = time.monotonic()
            with server.lock:
                server.counts[parts.path] += 1
                count = server.counts[parts.path]
                server.in_flight += 1
                server.max_in_flight = max(server.max_in_flight, server.in_flight)
            try:
                self._answer(parts, count, arrived)
            finally:
                with server.lock:
                    server.in_flight -= 1

        def _answer(self, parts: SplitResult, count: int, arrived: float) -> None:
            host = f"http://{self.server.server_address[0]}:{self.server.server_address[1]}"
            request = Request(
                "GET", parts.path, parts.query, {k.lower(): v for k, v in self.headers.items()}, count, host
            )
            route = server.route_for(parts.path)
            reply = route(request) if route is not None else server.static(request)
            with server.lock:
                server.log.append(
                    Logged("GET", parts.path, parts.query, reply.status, request.headers, arrived)
                )
            if reply.delay:
                time.sleep(reply.delay)
            try:
                self._send(reply)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

        def _send(self, reply: Reply) -> None:
            if reply.trickle:
                self._trickle(reply)
                return
            self.send_response(reply.status)
            body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
            if reply.status not in (204, 304):
                self.send_header("Content-Type", reply.content_type)
            for key, value in reply.headers.items():
                self.send_header(key, value)
            if reply.chunks is not None:
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for chunk in reply.chunks:
                    self.wfile.write(f"{len(chunk):x}\r\n".encode("ascii") + chunk + b"\r\n")
                self.wfile.write(b"0\r\n\r\n")
                return
            if reply.status == 304:
                self.end_headers()
                return
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _trickle(self, reply: Reply) -> None:
            body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
            head = (
                f"HTTP/1.1 {reply.status} OK\r\nContent-Type: {reply.content_type}\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode("ascii")
            end = time.monotonic() + reply.lifetime
            self.close_connection = True
            if reply.trickle_body:
                self.wfile.write(head)
                head = b""
            for byte in head + body:
                if time.monotonic() > end:
                    return
                self.wfile.write(bytes([byte]))
                time.sleep(reply.trickle)

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # Clients that hang up early (a size cap, a timeout) are part of the tests, not errors.
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError | TimeoutError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextmanager
def serve(root: Path | None = None, routes: dict[str, Route] | None = None) -> Iterator[TestServer]:
    """Serve `root` plus `routes` (exact paths, or prefixes ending in `*`) on 127.0.0.1, a free port."""
    server = TestServer(root, dict(routes or {}))
    httpd = _Server(("127.0.0.1", 0), _handler(server))
    server.httpd = httpd
    server.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (connection refused)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


# -- behaviour routes --------------------------------------------------------------------------------------


def slow(seconds: float) -> Route:
    def route(request: Request) -> Reply:
        return Reply(200, "<html><body><p>Finally.</p></body></html>", delay=seconds)

    return route


def status(code: int) -> Route:
    return lambda request: Reply(code, f"<h1>Error {code}</h1>")


def fails_then_ok(code: int, times: int, body: str, retry_after: str | None = None) -> Route:
    """`code` for the first `times` requests to the path, then 200 with `body`."""

    def route(request: Request) -> Reply:
        if request.count <= times:
            headers = {"Retry-After": retry_after} if retry_after is not None else {}
            return Reply(code, f"<h1>{code}</h1>", headers)
        return Reply(200, body)

    return route


def redirect(to: str, code: int = 302) -> Route:
    return lambda request: Reply(code, b"", {"Location": to})


def huge(megabytes: int) -> Route:
    """A page of `megabytes` MB, streamed in 64 KiB chunks with no Content-Length."""

    def route(request: Request) -> Reply:
        chunk = b"<p>" + b"x" * (65536 - 7) + b"</p>\n"
        count = megabytes * 1024 * 1024 // len(chunk)
        return Reply(200, chunks=(chunk for _ in range(count)))

    return route


def trickle(every: float = 1.0, *, body_only: bool = False, lifetime: float = 30.0) -> Route:
    """A page sent one byte every `every` seconds (headers included unless `body_only`): each read gets a
    byte well within any per-read timeout, so only a total deadline stops it. The server gives up after
    `lifetime` seconds."""
    html = "<html><body><p>" + "Trickled text. " * 200 + "</p></body></html>"

    def route(request: Request) -> Reply:
        return Reply(200, html, trickle=every, trickle_body=body_only, lifetime=lifetime)

    return route


def page(html: str) -> Route:
    return lambda request: Reply(200, html.replace("{{BASE}}", request.base))


def behaviour_routes(slow_seconds: float = 2.0) -> dict[str, Route]:
    """The misbehaving pages every crawler test wants; each one's name is its path."""
    return {
        "/slow": slow(slow_seconds),
        "/status/500": status(500),
        "/status/404": status(404),
        "/flaky": fails_then_ok(503, 1, "<html><body><p>Back after a 503.</p></body></html>"),
        "/ratelimited": fails_then_ok(429, 1, "<html><body><p>Served after waiting.</p></body></html>", "1"),
        "/redirect-loop/a": redirect("/redirect-loop/b"),
        "/redirect-loop/b": redirect("/redirect-loop/a"),
        "/huge": huge(20),
        "/trickle": trickle(0.5, lifetime=20.0),
        "/trickle-body": trickle(0.5, body_only=True, lifetime=20.0),
    }
