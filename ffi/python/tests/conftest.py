"""Starts pagerduty-mock (target/release/pagerduty-mock) for the tests."""

import os
import re
import subprocess
import urllib.request

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
os.environ.setdefault("PAGERDUTY_FFI_LIB", os.path.join(ROOT, "target", "release", "libpagerduty.so"))

FULL = "pdmock_full_access_1"
READ_ONLY = "pdmock_read_only_key"
USER = "pdmock_user_token_01"
ROUTING = "pdmockintegrationkey000000000001"


class Mock:
    def __init__(self, url: str) -> None:
        self.url = url

    def call(self, method: str, path: str, body: bytes = b"") -> bytes:
        req = urllib.request.Request(self.url + path, data=body if method != "GET" else None, method=method)
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.read()

    def counters(self) -> dict:
        import json

        return json.loads(self.call("GET", "/_mock/counters"))


@pytest.fixture(scope="session")
def mock():
    binary = os.path.join(ROOT, "target", "release", "pagerduty-mock")
    proc = subprocess.Popen([binary, "--port", "0", "--incidents", "250"], stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    m = re.search(r"listening on (\S+)", line)
    assert m, line
    yield Mock(m.group(1))
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def fresh(mock):
    mock.call("PUT", "/_mock/faults", b"[]")
    mock.call("POST", "/_mock/reset", b"{}")
    return mock
