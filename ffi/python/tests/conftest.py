"""Starts pagerduty-mock (target/release/pagerduty-mock) for the tests."""

import json
import os
import re
import subprocess
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Iterator, List, Optional, Tuple

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
# PD_TEST_INSTALLED=1: the suite runs against an installed pagerduty_ffi (a wheel) and the library
# inside it, as a user gets them (scripts/test-wheel.sh). Otherwise against target/release's
# libpagerduty unless PAGERDUTY_FFI_LIB names another.
INSTALLED = os.environ.get("PD_TEST_INSTALLED") == "1"
if INSTALLED:
    if os.environ.get("PAGERDUTY_FFI_LIB"):
        raise pytest.UsageError("PD_TEST_INSTALLED=1 tests the library inside the package: unset PAGERDUTY_FFI_LIB")
    import importlib.util

    _spec = importlib.util.find_spec("pagerduty_ffi")
    if _spec is None or _spec.origin is None:
        raise pytest.UsageError("PD_TEST_INSTALLED=1 but pagerduty_ffi is not installed")
    _package = os.path.dirname(os.path.abspath(_spec.origin))
    if _package.startswith(os.path.join(ROOT, "ffi", "python") + os.sep):
        raise pytest.UsageError(f"PD_TEST_INSTALLED=1 but pagerduty_ffi comes from the source tree: {_package}")
    from pagerduty_ffi import _native

    if not os.path.abspath(_native.lib._name).startswith(_package + os.sep):
        raise pytest.UsageError(f"the installed pagerduty_ffi loaded a library outside it: {_native.lib._name}")
else:
    os.environ.setdefault("PAGERDUTY_FFI_LIB", os.path.join(ROOT, "target", "release", "libpagerduty.so"))
MOCK_BINARY = os.environ.get("PAGERDUTY_MOCK") or os.path.join(ROOT, "target", "release", "pagerduty-mock")

FULL = "pdmock_full_access_1"
READ_ONLY = "pdmock_read_only_key"
USER = "pdmock_user_token_01"
ROUTING = "pdmockintegrationkey000000000001"


class Mock:
    def __init__(self, url: str, proc: Optional[subprocess.Popen] = None) -> None:
        self.url = url
        self.proc = proc

    def call(self, method: str, path: str, body: bytes = b"") -> bytes:
        req = urllib.request.Request(self.url + path, data=body if method != "GET" else None, method=method)
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.read()

    def counters(self) -> dict:
        return json.loads(self.call("GET", "/_mock/counters"))

    def faults(self, *rules: dict) -> None:
        self.call("PUT", "/_mock/faults", json.dumps(list(rules)).encode())

    def alerts(self) -> List[dict]:
        return json.loads(self.call("GET", "/_mock/alerts"))["alerts"]

    def stray(self) -> dict:
        """What the simulator's second listener (on 127.0.0.2, where its redirects point)
        received: ``{"url", "count", "requests"}``."""
        return json.loads(self.call("GET", "/_mock/stray"))

    @property
    def stray_url(self) -> str:
        return self.stray()["url"]

    def clear_stray(self) -> None:
        self.call("DELETE", "/_mock/stray")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


def start_mock(*args: str) -> Mock:
    """A simulator of its own (``--port 0`` and ``args``)."""
    proc = subprocess.Popen([MOCK_BINARY, "--port", "0", *args], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    m = re.search(r"listening on (\S+)", line)
    assert m, line
    return Mock(m.group(1), proc)


@pytest.fixture(scope="session")
def mock():
    m = start_mock("--incidents", "250")
    yield m
    m.stop()


@pytest.fixture
def fresh(mock):
    mock.call("PUT", "/_mock/faults", b"[]")
    mock.call("POST", "/_mock/reset", b"{}")
    try:
        mock.clear_stray()
    except urllib.error.HTTPError:
        pass  # a simulator without the stray listener: the tests that need it fail on their own
    return mock


class Canned:
    """A server of our own on loopback that answers every request with one canned response."""

    def __init__(self) -> None:
        self.status = 200
        self.headers: List[Tuple[str, str]] = [("content-type", "application/json")]
        self.body = b"{}"
        self.requests: List[Tuple[str, str, dict]] = []
        canned = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                if length:
                    self.rfile.read(length)
                canned.requests.append((self.command, self.path, dict(self.headers)))
                self.send_response(canned.status)
                for k, v in canned.headers:
                    self.send_header(k, v)
                self.send_header("content-length", str(len(canned.body)))
                self.end_headers()
                self.wfile.write(canned.body)

            do_GET = do_POST = do_PUT = do_DELETE = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def canned() -> Iterator[Canned]:
    c = Canned()
    yield c
    c.close()


@pytest.fixture
def mock_factory() -> Iterator[Callable[..., Mock]]:
    started: List[Mock] = []

    def make(*args: str) -> Mock:
        m = start_mock(*args)
        started.append(m)
        return m

    yield make
    for m in started:
        m.stop()
