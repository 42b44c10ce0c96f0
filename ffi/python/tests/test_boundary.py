"""Issue 11, "Trust at the boundary", from Python: no key to another host, no event lost to a
redirect, no secret in an error, no crash on close, every timeout kept, no silent truncation.

The hostile side is the simulator's (redirects to its stray listener on 127.0.0.2, keys echoed,
stalls, huge bodies, events failing several times in a row) or a small server of our own."""

import os
import subprocess
import sys
import threading
import time
import typing

import pytest

import pagerduty_ffi as pd
from conftest import FULL, ROUTING, USER


def rest(mock, token=FULL, **kw):
    return pd.RestClient(token, region=mock.url, from_email="ada@example.com", **kw)


def assert_stray_untouched(mock):
    stray = mock.stray()
    assert stray["count"] == 0, stray["requests"]


def stray_port(mock):
    return mock.stray_url.rsplit(":", 1)[1].strip("/")


# 1. A REST key never goes to another host -----------------------------------------------------

ESCAPING_PATHS = [
    "\\\\127.0.0.2:{port}/x",
    "\\/127.0.0.2/x",
    "http:\\\\127.0.0.2/x",
    "\t//127.0.0.2/x",
    " //127.0.0.2/x",
    "\x0b//127.0.0.2/x",
    "\\\\2130706434:{port}/x",
    "\\\\[::ffff:127.0.0.2]/x",
    "http:127.0.0.2:{port}/x",
    "/..//x",
    "..\\..\\x",
    "/\\x",
    "\r\n//127.0.0.2/x",
    "//127.0.0.2:{port}/x",
    "http://127.0.0.2:{port}/x",
    "{stray}/x",
    "{stray}/incidents?x=1",
    "/incidents\r\nX-Evil: 1",
    "/incidents/..\\..\\x",
]


@pytest.mark.parametrize("template", ESCAPING_PATHS)
def test_escaping_rest_path_is_refused_before_any_io(fresh, template):
    path = template.format(port=stray_port(fresh), stray=fresh.stray_url)
    before = fresh.counters()["requests"]
    with rest(fresh) as c:
        for call in (lambda: c.get(path), lambda: c.post(path, {"note": {"content": "x"}}), lambda: c.delete(path)):
            with pytest.raises(pd.InvalidInputError) as e:
                call()
            assert e.value.field == "path" and "path" in str(e.value), str(e.value)
            assert FULL not in str(e.value)
        with pytest.raises(pd.InvalidInputError) as e:  # when made, or at the latest at its first page
            with c.pager(path) as p:
                next(p)
        assert "path" in str(e.value)
    assert fresh.counters()["requests"] == before + 1  # nothing reached the simulator but this call
    assert_stray_untouched(fresh)


@pytest.mark.parametrize("template", ["/..//x", "..\\..\\x", "/\\x", "../x", "/../x"])
def test_path_cannot_leave_a_base_urls_prefix(fresh, template):
    with pd.RestClient(FULL, region=fresh.url + "/pd/", from_email="ada@example.com") as c:
        with pytest.raises(pd.InvalidInputError) as e:
            c.get(template)
    assert "path" in str(e.value)


def test_full_url_on_the_configured_host_still_works(fresh):
    with rest(fresh) as c:
        assert c.get(fresh.url + "/priorities")["priorities"]


@pytest.mark.parametrize("path", ["http:evil.example/x", "\\\\evil.example/x", "\r\n//evil.example/x", "//evil.example/x",
                                  "\\/evil.example/x", "\t//evil.example/x", "https:evil.example/x"])
def test_build_request_refuses_escaping_paths(path):
    with pytest.raises(pd.InvalidInputError) as e:
        pd.build_request({"api": "rest", "region": "us", "token": FULL, "method": "GET", "path": path})
    assert e.value.field == "path" and "path" in str(e.value)
    assert FULL not in str(e.value)
    req = pd.build_request({"api": "rest", "region": "us", "token": FULL, "method": "GET", "path": "/incidents"})
    assert req["url"].startswith("https://api.pagerduty.com/")


# 2. Redirects are failures, never followed ------------------------------------------------------

REDIRECTS = [301, 302, 307, 308]


@pytest.mark.parametrize("status", REDIRECTS)
def test_rest_redirect_is_an_http_error(fresh, status):
    fresh.faults({"route": "/priorities", "redirect": 1.0, "redirect_status": status},
                 {"route": "/incidents", "redirect": 1.0, "redirect_status": status})
    with rest(fresh) as c:
        with pytest.raises(pd.HttpError) as e:
            c.get("/priorities")
        assert e.value.status == status
        with pytest.raises(pd.HttpError) as e:
            c.create_incident_note("Q0000000000001", "must not be replayed elsewhere")
        assert e.value.status == status
        with pytest.raises(pd.HttpError):
            list(c.iter_all("/incidents"))
    assert_stray_untouched(fresh)


@pytest.mark.parametrize("status", REDIRECTS)
def test_event_redirect_is_a_failure(fresh, status):
    fresh.faults(*[{"route": r, "redirect": 1.0, "redirect_status": status}
                   for r in ("/v2/enqueue", "/v2/change/enqueue", "/generic/2010-04-15/create_event.json")])
    with pd.EventsClient(ROUTING, region=fresh.url) as ev:
        with pytest.raises(pd.PagerDutyError) as e:
            ev.trigger("redirected", source="py", severity="error")
        assert e.value.status == status and isinstance(e.value, pd.HttpError)
        assert e.value.dedup_key  # the key it was sent with, to re-send without a duplicate
        with pytest.raises(pd.HttpError):
            ev.resolve("some-key")
        with pytest.raises(pd.HttpError):
            ev.change("deployed", source="ci")
        with pytest.raises(pd.HttpError):
            ev.v1("trigger", description="legacy")
    assert_stray_untouched(fresh)
    assert fresh.alerts() == []


# 3. No secret in an error ------------------------------------------------------------------------

def _everything_in(e: pd.PagerDutyError) -> str:
    return " ".join([str(e), repr(e), repr(e.args), repr(vars(e))])


def test_rest_key_echoed_by_a_server_is_redacted(fresh):
    fresh.faults({"route": "/priorities", "echo_key": 1.0}, {"route": "/incidents", "echo_key": 1.0})
    for token, kind in ((FULL, "general"), (USER, "user"), ("oauth-Zm9vYmFyYmF6cXV4LXNlY3JldA", "oauth")):
        with pd.RestClient(token, region=fresh.url, token_kind=kind) as c:
            for call in (lambda: c.get("/priorities"), lambda: list(c.iter_all("/incidents"))):
                with pytest.raises(pd.PagerDutyError) as e:
                    call()
                assert e.value.status == 400
                everything = _everything_in(e.value)
                assert token not in everything, everything
                assert e.value.errors and all(token not in x for x in e.value.errors)
                assert token not in (e.value.request_id or "")


def test_routing_key_echoed_by_a_server_is_redacted(fresh):
    fresh.faults({"route": "/v2/enqueue", "echo_key": 1.0}, {"route": "/generic/2010-04-15/create_event.json", "echo_key": 1.0})
    with pd.EventsClient(ROUTING, region=fresh.url) as ev:
        for call in (lambda: ev.trigger("s", source="x", severity="info"), lambda: ev.v1("trigger", description="d")):
            with pytest.raises(pd.PagerDutyError) as e:
                call()
            assert e.value.status == 400
            everything = _everything_in(e.value)
            assert ROUTING not in everything, everything
            assert e.value.errors


# 4. close() while other threads call: no crash ----------------------------------------------------

def test_close_while_calling_never_crashes(fresh):
    """The race runs in a child process, so that a crash is a failed test, not a dead suite."""
    script = os.path.join(os.path.dirname(__file__), "close_race.py")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    run = subprocess.run([sys.executable, script, fresh.url, "50"], env=env, capture_output=True, text=True, timeout=150)
    assert run.returncode == 0, f"exit {run.returncode}\n{run.stdout}\n{run.stderr}"
    assert "50 rounds" in run.stdout


def test_close_cancels_a_call_in_a_retry_wait(fresh):
    fresh.faults({"route": "/priorities", "server_error": 1.0}, {"route": "/v2/enqueue", "server_error": 1.0})
    slow = {"base_delay": 5, "max_delay": 5, "deadline": 60}
    for client, call in ((rest(fresh, retry=slow), lambda c: c.get("/priorities")),
                         (pd.EventsClient(ROUTING, region=fresh.url, retry=slow), lambda c: c.trigger("s", source="x", severity="info"))):
        outcome = []

        def run():
            try:
                call(client)
                outcome.append("ok")
            except pd.PagerDutyError as e:
                outcome.append(e)

        t = threading.Thread(target=run)
        t.start()
        time.sleep(0.5)  # the first attempt failed; now in a 5 s wait
        t0 = time.monotonic()
        client.close()
        t.join(10)
        took = time.monotonic() - t0
        assert not t.is_alive()
        assert isinstance(outcome[0], pd.CancelledError), outcome
        assert took < 1.5, took
        with pytest.raises(pd.InvalidInputError, match="already closed"):
            call(client)


def test_pager_keeps_its_client_alive_and_ends_with_it(fresh):
    p = rest(fresh).pager("/incidents", {"limit": 100})  # the client is referenced only by the pager
    import gc

    gc.collect()
    assert len(next(p)) == 100
    c = rest(fresh)
    q = c.pager("/incidents", {"limit": 100})
    c.close()
    with pytest.raises(pd.InvalidInputError, match="already closed"):
        next(q)
    q.close()
    p.close()
    p.close()


def test_unclosed_objects_are_freed_by_the_collector(fresh):
    import gc

    for _ in range(100):
        c = rest(fresh)
        p = c.pager("/incidents", {"limit": 5})
        next(p)
        ev = pd.EventsClient(ROUTING, region=fresh.url)
        cycle = [c, p, ev]
        cycle.append(cycle)  # freed by the cycle collector, from whatever thread runs it
        del c, p, ev, cycle
    gc.collect()


# 5. Timeouts ---------------------------------------------------------------------------------------

def test_event_timeout_is_kept(fresh):
    fresh.faults({"route": "/v2/enqueue", "stall": 1.0})
    with pd.EventsClient(ROUTING, region=fresh.url, timeout=2, retry={"max_attempts": 1}) as ev:
        t0 = time.monotonic()
        with pytest.raises(pd.PagerDutyTimeoutError) as e:
            ev.trigger("stalled", source="py", severity="error", dedup_key="stalled-1")
        took = time.monotonic() - t0
    assert 1.5 <= took <= 3.0, took
    assert isinstance(e.value, TimeoutError)
    assert e.value.dedup_key == "stalled-1"


def test_rest_timeout_is_kept(fresh):
    fresh.faults({"route": "/priorities", "stall": 1.0})
    with rest(fresh, timeout=1.5, retry={"max_attempts": 1}) as c:
        t0 = time.monotonic()
        with pytest.raises(pd.PagerDutyTimeoutError):
            c.get("/priorities")
    assert time.monotonic() - t0 <= 2.5


def test_the_deadline_bounds_retries_by_time(fresh):
    """No attempt cap by default: a stalled server is tried again until the deadline, each
    attempt bounded by the timeout."""
    fresh.faults({"route": "/v2/enqueue", "stall": 1.0})
    with pd.EventsClient(ROUTING, region=fresh.url, timeout=0.5, retry={"deadline": 2, "base_delay": 0.01, "max_delay": 0.05}) as ev:
        t0 = time.monotonic()
        with pytest.raises(pd.PagerDutyTimeoutError) as e:
            ev.trigger("stalled", source="py", severity="error")
        took = time.monotonic() - t0
    assert 1.5 <= took <= 3.5, took
    assert e.value.dedup_key


@pytest.mark.parametrize("bad", [float("inf"), float("nan"), "5", -1, True, [5], 1e308])
def test_timeout_must_be_a_finite_number(fresh, bad):
    for make in (lambda: rest(fresh, timeout=bad), lambda: pd.EventsClient(ROUTING, region=fresh.url, timeout=bad)):
        with pytest.raises(pd.InvalidInputError) as e:
            make()
        assert e.value.field == "timeout_ms" and "timeout_ms" in str(e.value), str(e.value)


@pytest.mark.parametrize("key", ["deadline", "base_delay", "max_delay"])
@pytest.mark.parametrize("bad", [float("inf"), float("-inf"), "5", -1])
def test_retry_durations_must_be_finite_numbers(fresh, key, bad):
    with pytest.raises(pd.InvalidInputError) as e:
        rest(fresh, retry={key: bad})
    assert e.value.field == f"retry.{key}_ms" and f"{key}_ms" in str(e.value), str(e.value)


def test_fractional_and_integral_durations_are_accepted(fresh):
    with rest(fresh, timeout=2.5, retry={"deadline": 10.25, "base_delay": 0.001, "max_delay": 1, "max_attempts": 3.0}) as c:
        assert c.get("/priorities")["priorities"]
    with pd.EventsClient(ROUTING, region=fresh.url, timeout=0.75) as ev:
        assert ev.trigger("s", source="x", severity="info")
    import decimal
    import fractions

    for t in (fractions.Fraction(5, 2), decimal.Decimal("2.5"), 3):
        with pd.EventsClient(ROUTING, region=fresh.url, timeout=t, retry={"deadline": decimal.Decimal(10)}) as ev:
            assert ev.trigger("s", source="x", severity="info")


def test_crlf_in_user_agent_is_invalid_input(fresh):
    with pytest.raises(pd.InvalidInputError) as e:
        with rest(fresh, user_agent="me\r\nX-Evil: 1") as c:
            c.get("/priorities")
    assert "user_agent" in str(e.value)


# 6. Truncation is never silent ---------------------------------------------------------------------

def test_iteration_ends_with_truncated_error_at_the_cap(mock_factory):
    big = mock_factory("--incidents", "10050")
    with rest(big) as c:
        seen = []
        with pytest.raises(pd.TruncatedError) as e:
            for incident in c.iter_all("/incidents", {"limit": 100}):
                seen.append(incident["id"])
        assert len(seen) == 10_000 and len(set(seen)) == 10_000
        assert "10,000" in str(e.value) or "10000" in str(e.value)
        with c.pager("/incidents", {"limit": 100, "offset": 9900}) as p:
            assert len(next(p)) == 100
            with pytest.raises(pd.TruncatedError):
                next(p)
            assert p.truncated is True
        with c.pager("/incidents", {"limit": 100, "offset": 9950, "statuses": ["resolved"]}) as p:
            for _ in p:  # fewer than 10,000 resolved ones: a plain end
                pass


# 7. Smaller points ----------------------------------------------------------------------------------

def test_oversized_answer_is_a_decode_error_naming_the_cap(fresh):
    fresh.faults({"route": "/priorities", "huge_body": 1.0, "huge_body_mb": 50})
    with rest(fresh, retry={"max_attempts": 1}) as c:
        t0 = time.monotonic()
        with pytest.raises(pd.DecodeError) as e:
            c.get("/priorities")
        assert time.monotonic() - t0 < 10
    assert "8388608" in str(e.value) or "8 MiB" in str(e.value), str(e.value)
    fresh.faults()
    with rest(fresh, max_response_bytes=1000) as c:
        with pytest.raises(pd.DecodeError) as e:
            c.get("/incidents", {"limit": 100})
        assert "1000" in str(e.value), str(e.value)
        assert c.get("/priorities", {"limit": 1})


def test_max_response_bytes_raises_the_cap(fresh):
    fresh.faults({"route": "/priorities", "huge_body": 1.0, "huge_body_mb": 9})
    with rest(fresh, max_response_bytes=16 * 1024 * 1024) as c:
        body = c.get("/priorities")
    assert body is not None


@pytest.mark.parametrize("bad", [-1, "big", float("inf"), True])
def test_max_response_bytes_is_checked(fresh, bad):
    with pytest.raises(pd.InvalidInputError) as e:
        rest(fresh, max_response_bytes=bad)
    assert "max_response_bytes" in str(e.value)


DEEP = b"[" * 100_000 + b"]" * 100_000


def test_deeply_nested_answers_are_decode_errors(canned):
    canned.body = b'{"incidents":[' + DEEP + b'],"limit":100,"offset":0,"more":false}'
    with pd.RestClient(FULL, region=canned.url, retry={"max_attempts": 1}) as c:
        with pytest.raises(pd.DecodeError):
            c.get("/incidents")
        with pytest.raises(pd.DecodeError):
            list(c.iter_all("/incidents"))
    with pytest.raises(pd.DecodeError):
        pd.parse_response("rest", 200, None, DEEP)


def test_verify_webhook_without_a_header_is_an_invalid_signature():
    with pytest.raises(pd.InvalidSignatureError):
        pd.verify_webhook("secret", None, b'{"event":{}}')
    with pytest.raises(pd.InvalidSignatureError):
        pd.verify_webhook("secret", "", b'{"event":{}}')


def test_webhook_decode_error_does_not_claim_an_http_status():
    import hashlib
    import hmac

    body = b"not json"
    sig = "v1=" + hmac.new(b"secret", body, hashlib.sha256).hexdigest()
    with pytest.raises(pd.DecodeError) as e:
        pd.verify_webhook("secret", sig, body)
    assert "HTTP 0" not in str(e.value) and e.value.status is None


def test_every_status_of_the_library_has_its_exception():
    from pagerduty_ffi import _native

    names = []
    for i in range(64):
        name = _native.pd_status_name(i)
        if name is None:
            break
        names.append(name.decode())
    assert names[0] == "ok" and "truncated" in names
    for name in names[1:]:
        assert pd.errors.BY_CODE[name].code == name
    assert pd.errors.BY_CODE["truncated"] is pd.TruncatedError


def test_enter_is_typed_as_the_class():
    hints = typing.get_type_hints(pd.EventsClient.__enter__)
    ret = hints["return"]
    assert isinstance(ret, typing.TypeVar) and hints["self"] is ret


# 8. Nothing lost, and the dedup_key on every event error --------------------------------------------

def test_failed_trigger_carries_its_dedup_key(fresh):
    # Processed, then the connection dropped: the caller cannot know; re-sending with the key is safe.
    fresh.faults({"route": "/v2/enqueue", "drop_after": 1.0}, {"route": "/generic/2010-04-15/create_event.json", "drop_after": 1.0})
    with pd.EventsClient(ROUTING, region=fresh.url, retry={"max_attempts": 1}) as ev:
        with pytest.raises(pd.TransportError) as e:
            ev.trigger("lost answer", source="py", severity="error")
        key = e.value.dedup_key
        assert key and len(key) == 36
        with pytest.raises(pd.TransportError) as e:
            ev.trigger("lost answer", source="py", severity="error", dedup_key="chosen-by-me")
        assert e.value.dedup_key == "chosen-by-me"
        with pytest.raises(pd.TransportError) as e:
            ev.v1("trigger", description="legacy lost answer", incident_key="v1-key")
        assert e.value.dedup_key == "v1-key"
        fresh.faults()
        assert ev.trigger("lost answer", source="py", severity="error", dedup_key=key) == key
        with pytest.raises(pd.InvalidInputError) as e:
            ev.trigger("s", source="x", severity="loud")
        assert e.value.dedup_key is None
    assert sum(a["alert_key"] == key for a in fresh.alerts()) == 1


def test_trigger_failing_eight_times_in_a_row_still_arrives(fresh):
    fresh.faults({"route": "/v2/enqueue", "fail_streak": 8, "fail_streak_fraction": 1.0})
    with pd.EventsClient(ROUTING, region=fresh.url, retry={"base_delay": 0.005, "max_delay": 0.02}) as ev:
        key = ev.trigger("eight faults first", source="py", severity="error")
    with pd.EventsClient(ROUTING, region=fresh.url, retry={"max_attempts": 3, "base_delay": 0.005, "max_delay": 0.02}) as ev:
        with pytest.raises(pd.ApiError) as e:
            ev.trigger("capped", source="py", severity="error")
        assert e.value.dedup_key
    keys = {a["alert_key"] for a in fresh.alerts()}
    assert key in keys and e.value.dedup_key not in keys


def test_nothing_lost_under_faults_and_fail_streaks(fresh):
    """2,000 triggers with 20% 5xx, 10% 429, 5% connections dropped after processing, and some
    events refused 8 times in a row: exactly 2,000 alerts, with the default attempt policy."""
    fresh.faults({
        "route": "/v2/enqueue", "server_error": 0.2, "rate_limit": 0.005, "rate_limit_no_headers": 0.095, "drop_after": 0.05,
        "fail_streak": 8, "fail_streak_fraction": 0.02,
    })
    retry = {"base_delay": 0.002, "max_delay": 0.02}
    failures = []
    keys = []
    with pd.EventsClient(ROUTING, region=fresh.url, retry=retry) as ev:
        for i in range(2000):
            try:
                keys.append(ev.trigger(f"event {i}", source="py", severity="error"))
            except pd.PagerDutyError as e:
                failures.append(e)
    fresh.faults()
    counters = fresh.counters()
    alerts = {a["alert_key"] for a in fresh.alerts()}
    assert failures == [], [(str(e), e.dedup_key) for e in failures[:5]]
    assert len(set(keys)) == 2000
    assert counters["alerts"] == 2000 and alerts == set(keys)
    assert counters["events_accepted"] > 2000  # the faults really happened
    assert counters["faults"].get("fail_streak", 0) >= 8 * 10, counters["faults"]  # ~40 events failed 8 times each


# 9. TLS and transport errors that say what happened -------------------------------------------------

@pytest.fixture
def tls_mock(mock_factory, tmp_path):
    cert = tmp_path / "mock-ca.pem"
    m = mock_factory("--tls", "--cert-out", str(cert), "--incidents", "5")
    for _ in range(50):
        if cert.exists() and cert.stat().st_size:
            break
        time.sleep(0.05)
    return m, cert


def test_untrusted_certificate_fails_at_once_and_named(tls_mock):
    m, _ = tls_mock
    assert m.url.startswith("https://")
    for call in (lambda: rest(m).get("/priorities"), lambda: pd.EventsClient(ROUTING, region=m.url).trigger("s", source="x", severity="info")):
        t0 = time.monotonic()
        with pytest.raises(pd.TransportError) as e:
            call()
        assert time.monotonic() - t0 < 2.0
        assert "certificate" in str(e.value), str(e.value)
        assert FULL not in str(e.value) and ROUTING not in str(e.value)


def test_a_private_ca_can_be_trusted(tls_mock):
    m, cert = tls_mock
    pem = cert.read_text()
    for opts in ({"ca_file": str(cert)}, {"ca_file": cert}, {"ca_pem": pem}):
        with rest(m, **opts) as c:
            assert c.get("/priorities")["priorities"]
        with pd.EventsClient(ROUTING, region=m.url, **opts) as ev:
            assert ev.trigger("over TLS", source="py", severity="info")


def test_bad_ca_options_are_refused(tmp_path):
    with pytest.raises(pd.InvalidInputError) as e:
        pd.RestClient(FULL, ca_file=str(tmp_path / "missing.pem"))
    assert "ca_file" in str(e.value)
    with pytest.raises(pd.InvalidInputError) as e:
        pd.RestClient(FULL, ca_pem="not a certificate")
    assert "ca_pem" in str(e.value)


def test_dns_failure_is_named_and_not_retried():
    with pd.RestClient(FULL, region="https://no-such-host.invalid", retry={"base_delay": 1, "max_delay": 1}) as c:
        t0 = time.monotonic()
        with pytest.raises(pd.TransportError) as e:
            c.get("/priorities")
    assert "resolve" in str(e.value), str(e.value)
    assert time.monotonic() - t0 < 5
