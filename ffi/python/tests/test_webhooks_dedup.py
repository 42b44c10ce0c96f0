"""Issue 16, parts 2 and 4: typed webhooks (router, replay guard, the example receiver) and
safe creates (already exists, the incident of a dedup key, dedup keys), against the simulator."""

import hashlib
import hmac
import json
import os
import subprocess
import sys
import time
import urllib.request

import pytest

import pagerduty_ffi as pd
from conftest import FULL, ROUTING

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = os.path.join(HERE, "..", "..", "..", "examples", "python", "webhook_receiver.py")


def rest(mock):
    return pd.RestClient(FULL, region=mock.url, from_email="ada@example.com")


def signed(event_type, data, secret="s3cret"):
    body = json.dumps({"event": {"id": "E1", "event_type": event_type, "resource_type": "incident",
                                 "occurred_at": "2026-11-23T16:00:00Z", "agent": None, "client": None,
                                 "data": data}}).encode()
    sig = "v1=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return body, sig


def test_the_event_types_are_the_cores():
    assert len(pd.WEBHOOK_EVENT_TYPES) == 31
    assert pd.WEBHOOK_EVENT_TYPES["incident.acknowledged"] == (1, "incident")
    assert pd.WEBHOOK_EVENT_TYPES["pagey.ping"][1] == "ping"
    from pagerduty_ffi import _native

    for name, (code, _) in pd.WEBHOOK_EVENT_TYPES.items():
        assert _native.pd_webhook_event_code(name.encode()) == code
    assert _native.pd_webhook_event_code(b"incident.exploded") == 0


def test_router_dispatches_once_per_webhook_id_and_keeps_unknown_types():
    guard = pd.ReplayGuard(100)
    router = pd.WebhookRouter("s3cret", guard)
    seen = []

    @router.on("incident.acknowledged")
    def acked(event):
        seen.append(("ack", event["data"]["id"]))

    @router.on_other
    def other(event):
        seen.append(("other", event["event_type"], event["data"]))

    body, sig = signed("incident.acknowledged", {"id": "P123", "type": "incident"})
    headers = {"X-PagerDuty-Signature": sig, "X-Webhook-Id": "wh-1"}
    assert router.handle(headers, body) == 200
    assert router.handle(headers, body) == 200  # a re-delivery: not handled again
    body2, sig2 = signed("incident.exploded", {"boom": 1})
    router.handle({"x-pagerduty-signature": sig2, "x-webhook-id": "wh-2"}, body2)
    assert seen == [("ack", "P123"), ("other", "incident.exploded", {"boom": 1})]
    with pytest.raises(pd.InvalidSignatureError):
        router.handle({"X-PagerDuty-Signature": sig, "X-Webhook-Id": "wh-3"}, body + b" ")
    with pytest.raises(ValueError):
        router.on("incident.exploded")  # type: ignore[arg-type]

    # A handler that fails leaves the ID unremembered: PagerDuty's retry is handled.
    failing = pd.WebhookRouter("s3cret", guard)
    calls = []

    @failing.on("incident.resolved")
    def boom(event):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("down")

    body3, sig3 = signed("incident.resolved", {"id": "P9", "type": "incident"})
    h3 = {"X-PagerDuty-Signature": sig3, "X-Webhook-Id": "wh-4"}
    with pytest.raises(RuntimeError):
        failing.handle(h3, body3)
    failing.handle(h3, body3)
    failing.handle(h3, body3)
    assert calls == [1, 1]


def test_replay_guard_is_bounded():
    g = pd.ReplayGuard(2)
    for i in ("a", "b", "c"):
        g.remember(i)
    assert not g.seen("a") and g.seen("b") and g.seen("c")
    with pytest.raises(pd.InvalidInputError):
        pd.ReplayGuard(0)


def test_dedup_key_is_stable_and_documented():
    k = pd.dedup_key({"host": "db-1", "alertname": "DiskFull"})
    assert k == pd.dedup_key({"alertname": "DiskFull", "host": "db-1"})
    assert k.startswith("dk1-") and len(k) == 68
    assert pd.dedup_key({"a": "b"}) == "dk1-" + hashlib.sha256(b"1:a=1:b;").hexdigest()
    with pytest.raises(pd.InvalidInputError, match="fields"):
        pd.dedup_key({})


def test_a_retried_create_is_safe(fresh):
    with rest(fresh) as c:
        key = pd.dedup_key({"check": "python-safe-create"})
        first, created = c.create_incident_once(title="Disk full", service_id="PSVC001", incident_key=key)
        assert created
        with pytest.raises(pd.AlreadyExistsError) as e:
            c.create_incident(title="Disk full", service_id="PSVC001", incident_key=key)
        assert e.value.code == "already_exists" and e.value.status == 400
        again, created = c.create_incident_once(title="Disk full", service_id="PSVC001", incident_key=key)
        assert not created and again["id"] == first["id"]


def test_find_incident_for_dedup_key(fresh):
    with rest(fresh) as c, pd.EventsClient(ROUTING, region=fresh.url) as events:
        key = events.trigger("CPU hot", source="web-1", severity="critical")
        found = c.find_incident_for_dedup_key(key, deadline=5)
        assert found is not None and found["status"] == "triggered"
        start = time.monotonic()
        assert c.find_incident_for_dedup_key("no-such-key", deadline=0.6) is None
        assert time.monotonic() - start < 3
        with pytest.raises(pd.InvalidInputError, match="dedup_key"):
            c.find_incident_for_dedup_key("")
        assert c.find_incident_by_key(key)["id"] == found["id"]
        assert c.find_incident_by_key("no-such-key") is None


def test_the_example_receiver_verifies_dedupes_and_dispatches():
    proc = subprocess.Popen([sys.executable, "-u", EXAMPLE, "0"], stdout=subprocess.PIPE, text=True,
                            env=dict(os.environ, PAGERDUTY_WEBHOOK_SECRET="s3cret"))
    try:
        port = int(proc.stdout.readline().split()[-1])

        def post(body, sig, webhook_id):
            req = urllib.request.Request(f"http://127.0.0.1:{port}/", data=body, method="POST",
                                         headers={"X-PagerDuty-Signature": sig, "X-Webhook-Id": webhook_id})
            start = time.monotonic()
            try:
                with urllib.request.urlopen(req, timeout=5) as r:
                    status = r.status
            except urllib.error.HTTPError as e:
                status = e.code
            assert time.monotonic() - start < 5  # PagerDuty's limit
            return status

        body, sig = signed("incident.acknowledged", {"id": "P123", "type": "incident"})
        assert post(body, sig, "wh-1") == 200
        assert post(body, sig, "wh-1") == 200  # re-delivered: handled once
        assert post(body, "v1=" + "0" * 64, "wh-2") == 401
        body2, sig2 = signed("pagey.ping", {"message": "Hello", "type": "ping"})
        assert post(body2, sig2, "wh-3") == 200
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=5)
    assert out.splitlines() == ["acknowledged P123"]
