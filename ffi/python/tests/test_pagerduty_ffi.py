"""pagerduty_ffi against the simulator: every call, the error hierarchy, threads, nothing lost."""

import concurrent.futures
import json

import pytest

import pagerduty_ffi as pd
from conftest import FULL, READ_ONLY, ROUTING, USER


def rest(mock, token=FULL, **kw):
    return pd.RestClient(token, region=mock.url, from_email="ada@example.com", **kw)


def test_version():
    assert pd.version() == "0.1.0"


def test_get_post_put_delete(fresh):
    with rest(fresh) as c:
        page = c.get("/incidents", {"statuses": ["triggered"], "limit": 5, "total": True})
        assert len(page["incidents"]) == 5 and page["total"] > 0
        note = c.post("/incidents/Q0000000000002/notes", {"note": {"content": "from Python"}})
        assert note["note"]["content"] == "from Python"
        upd = c.put("/incidents/Q0000000000004", {"incident": {"type": "incident_reference", "status": "acknowledged"}})
        assert upd["incident"]["status"] == "acknowledged"
        with pytest.raises(pd.NotFoundError) as e:
            c.delete("/services/PNOPE")
        assert e.value.status == 404 and e.value.request_id.startswith("mock-")


def test_typed_helpers(fresh):
    with rest(fresh) as c:
        assert c.get_incident("Q0000000000001")["id"] == "Q0000000000001"
        assert c.update_incident("Q0000000000001", {"status": "acknowledged"})["status"] == "acknowledged"
        assert c.update_incident("Q0000000000001", {"status": "resolved", "resolution": "fixed"})["status"] == "resolved"
        assert c.create_incident_note("Q0000000000001", "done")["content"] == "done"
        assert c.list_incident_notes("Q0000000000001")[0]["content"] == "done"
        assert c.get_user("PUSER02")["role"] == "admin"
        assert c.list_contact_methods("PUSER01")[0]["address"] == "ada@example.com"
        assert c.list_notification_rules("PUSER01", urgency="low")[0]["urgency"] == "low"
        assert c.get_service("PSVC001")["name"] == "Checkout API"
        assert c.test_ability("teams") is True
        assert c.test_ability("nope") is False
        assert len(list(c.list_oncalls(user_ids=["PUSER02"]))) == 1
        created = c.create_incident("Made in Python", "PSVC002", urgency="low")
        assert created["urgency"] == "low"
    with pd.RestClient(USER, region=fresh.url, token_kind="user") as u:
        assert u.current_user()["id"] == "PUSER01"


def test_iter_all_classic_and_cursor(fresh):
    with rest(fresh) as c:
        ids = [i["id"] for i in c.iter_all("/incidents", {"limit": 100})]
        assert len(ids) == 250 and len(set(ids)) == 250
        triggered = list(c.list_incidents(statuses=["triggered"], service_ids=["PSVC001"]))
        assert triggered and all(i["status"] == "triggered" and i["service"]["id"] == "PSVC001" for i in triggered)
        assert len(list(c.iter_all("/audit/records"))) == 250
        pages = list(c.iter_pages("/incidents", {"limit": 100}))
        assert [len(p) for p in pages] == [100, 100, 50]
        with c.pager("/incidents") as p:
            list(p)
            assert p.truncated is False


def test_error_hierarchy_and_no_key_in_messages(fresh):
    with pytest.raises(pd.WrongKeyKindError) as e:
        pd.RestClient(ROUTING, region=fresh.url)
    assert "integration key" in str(e.value) and ROUTING not in str(e.value)
    assert isinstance(e.value, pd.InvalidInputError) and isinstance(e.value, ValueError)
    with pytest.raises(pd.InvalidInputError):
        pd.RestClient("pdmock_full_access_1", region="http://10.0.0.1")
    with pytest.raises(pd.UnauthorizedError) as e:
        pd.RestClient("pdmock_unknown_key_1", region=fresh.url).get("/incidents")
    assert "another region" in str(e.value)
    with rest(fresh, READ_ONLY) as ro:
        with pytest.raises(pd.ForbiddenError) as e:
            ro.create_incident_note("Q0000000000001", "nope")
    assert e.value.status == 403 and e.value.pagerduty_code == 2010 and "read-only" in str(e.value)
    assert READ_ONLY not in str(e.value)
    assert isinstance(e.value, pd.ApiError) and isinstance(e.value, pd.PagerDutyError)
    with pytest.raises(pd.EventsClient.__init__.__globals__["WrongKeyKindError"]):
        pd.EventsClient(FULL, region=fresh.url)


def test_bad_inputs_never_crash(fresh):
    with rest(fresh) as c:
        with pytest.raises(pd.InvalidInputError):
            c.get("/incidents\x00/evil")
        with pytest.raises(pd.InvalidInputError):
            c.get(123)  # type: ignore[arg-type]
        with pytest.raises(pd.InvalidInputError):
            c.request("FETCH", "/incidents")
        with pytest.raises(pd.InvalidInputError):
            c.get("https://evil.example.com/incidents")
        with pytest.raises(pd.InvalidInputError):
            c.get_incident("../users")
        with pytest.raises(pd.InvalidInputError):
            c.op("teleport")
        with pytest.raises(pd.InvalidInputError):
            c.get("/incidents", {"nested": {"a": 1}})
        with pytest.raises(pd.InvalidInputError):
            c.get("/x" * (9 * 1024 * 1024))
    c.close()
    c.close()
    with pytest.raises(pd.InvalidInputError):
        c.get("/incidents")
    with pytest.raises(pd.InvalidInputError):
        pd.RestClient(None, region=fresh.url)  # type: ignore[arg-type]


def test_rate_limit_error_carries_retry_after(fresh):
    fresh.call("PUT", "/_mock/rate_limits", b'{"rest": {"limit": 1, "window_secs": 60}}')
    try:
        with rest(fresh, retry={"max_attempts": 1}) as c:
            c.get("/priorities")
            with pytest.raises(pd.RateLimitedError) as e:
                c.get("/priorities")
        assert e.value.status == 429 and e.value.retry_after and e.value.retry_after >= 1
    finally:
        fresh.call("PUT", "/_mock/rate_limits", b'{"rest": {"limit": 1000000, "window_secs": 60}}')


def test_events(fresh):
    with pd.EventsClient(ROUTING, region=fresh.url) as ev:
        key = ev.trigger("Disk full on db-1", source="db-1", severity="critical", component="pg", class_="disk",
                         custom_details={"free": "4%"}, links=[{"href": "https://runbook.example.com", "text": "Runbook"}])
        assert len(key) == 36
        ev.acknowledge(key)
        ev.resolve(key)
        assert ev.trigger("s", source="x", severity="info", dedup_key="mine") == "mine"
        ev.change("Deployed v42", source="ci", links=[{"href": "https://ci.example.com/42"}])
        ik = ev.v1("trigger", description="CPU on fire")
        ev.v1("resolve", incident_key=ik)
        with pytest.raises(pd.InvalidInputError) as e:
            ev.trigger("s", source="x", severity="loud")
        assert "severity" in str(e.value)
        with pytest.raises(pd.InvalidInputError):
            ev.resolve("")
    alerts = json.loads(fresh.call("GET", "/_mock/alerts"))["alerts"]
    statuses = {a["alert_key"]: a["status"] for a in alerts}
    assert statuses[key] == "resolved" and statuses["mine"] == "triggered"
    with pd.EventsClient("0" * 32, region=fresh.url) as unknown:
        with pytest.raises(pd.InvalidEventError) as e:
            unknown.trigger("s", source="x", severity="info")
    assert any("routing_key" in err for err in e.value.errors)


GO_SECRET = "lDQHScfUeXUKaQRNF+8XIiDKZ7XX3itBAYzwU0TARw8lJqRnkKl2iB1anSb0Z+IK"
GO_SIG = "v1=0c0b9495b893a39e70d1fea2fe11fbe0a825f88b9f67846f6cc07dd2bc5476cd"


def _go_body() -> bytes:
    import hashlib
    import hmac

    body = b'{"event":{"id":"E1","event_type":"incident.triggered","resource_type":"incident","occurred_at":"2026-11-23T16:00:00Z","agent":null,"client":null,"data":{"id":"P1"}}}'
    return body, "v1=" + hmac.new(b"new-secret", body, hashlib.sha256).hexdigest()


def test_webhooks():
    body, sig = _go_body()
    event = pd.verify_webhook(["old-secret", "new-secret"], f"v1=deadbeef,{sig}", body)
    assert event["event_type"] == "incident.triggered"
    with pytest.raises(pd.InvalidSignatureError):
        pd.verify_webhook("old-secret", sig, body)
    with pytest.raises(pd.InvalidSignatureError):
        pd.verify_webhook("new-secret", sig, body + b" ")
    with pytest.raises(pd.InvalidSignatureError):
        pd.verify_webhook("new-secret", sig, body, max_body=10)
    with pytest.raises(pd.InvalidInputError):
        pd.verify_webhook("new-secret", sig, body.decode())  # type: ignore[arg-type]
    with pytest.raises(pd.InvalidInputError):
        pd.verify_webhook([], sig, body)


def test_sans_io():
    req = pd.build_request({"api": "rest", "token": FULL, "method": "GET", "path": "/incidents", "query": {"statuses": ["triggered"]}})
    assert req["url"] == "https://api.pagerduty.com/incidents?statuses%5B%5D=triggered"
    assert ["accept", "application/vnd.pagerduty+json;version=2"] in req["headers"]
    ev = pd.build_request({"api": "events", "region": "eu", "routing_key": ROUTING, "action": "trigger",
                           "event": {"summary": "s", "source": "x", "severity": "error"}})
    assert ev["url"] == "https://events.eu.pagerduty.com/v2/enqueue" and ev["dedup_key"]
    assert pd.parse_response("rest", 200, {"x-request-id": "r"}, b'{"a":1}') == {"a": 1}
    assert pd.parse_response("rest", 204, None, b"") is None
    with pytest.raises(pd.RateLimitedError) as e:
        pd.parse_response("rest", 429, [("ratelimit-reset", "3")], b'{"error":{"message":"Rate Limit Exceeded","code":2020}}')
    assert e.value.retry_after == 3.0 and e.value.pagerduty_code == 2020
    with pytest.raises(pd.HttpError):
        pd.parse_response("rest", 502, None, b"<html><title>502 Bad Gateway</title></html>")
    with pytest.raises(pd.RateLimitedError):
        pd.parse_response("events_v1", 403, None, b"")
    assert pd.parse_response("events_v2", 202, None, b'{"status":"success","dedup_key":"k"}')["dedup_key"] == "k"
    with pytest.raises(pd.DecodeError):
        pd.parse_response("rest", 200, None, b'{"a":')


def test_one_client_many_threads(fresh):
    with rest(fresh) as c, pd.EventsClient(ROUTING, region=fresh.url) as ev:
        def work(i):
            key = ev.trigger(f"threaded {i}", source="t", severity="warning")
            ids = [x["id"] for x in c.iter_all("/incidents", {"limit": 100, "statuses": ["acknowledged"]})]
            return key, len(ids)

        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(work, range(64)))
    keys = {k for k, _ in results}
    assert len(keys) == 64
    assert len({n for _, n in results}) == 1
    assert fresh.counters()["alerts"] == 64


# The 2,000 triggers under faults (and events failing 8 times in a row): test_boundary.py.


def test_every_operation_of_the_core_is_a_method_and_every_status_an_exception():
    import ctypes
    import json as _json

    from pagerduty_ffi import _native
    from pagerduty_ffi.errors import BY_CODE

    out = ctypes.c_void_p()
    assert _native.pd_operations(ctypes.byref(out)) == 0
    try:
        registry = _json.loads(ctypes.string_at(out.value))
    finally:
        _native.pd_string_free(out.value)
    names = [o["name"] for o in registry]
    assert len(names) >= 47
    assert names == list(pd.OPERATIONS), "the generated operations match the loaded library's"
    for name in names:
        assert callable(getattr(pd.RestClient, name)), name
    status = 1
    while _native.pd_status_name(status):
        assert _native.pd_status_name(status).decode() in BY_CODE
        status += 1
    assert status >= 16


def test_a_whole_history_past_the_cap_equals_the_simulators_incidents(mock_factory):
    import datetime

    m = mock_factory("--incidents", "30000")
    want = {i["id"] for i in json.loads(m.call("GET", "/_mock/incidents"))["incidents"]}
    assert len(want) == 30000
    now = datetime.datetime.now(datetime.timezone.utc)
    since = (now - datetime.timedelta(days=125)).strftime("%Y-%m-%dT%H:%M:%SZ")
    until = (now + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    with rest(m) as client:
        got = [i["id"] for i in client.iter_history("/incidents", since, until)]
        assert len(got) == 30000  # no duplicate
        assert set(got) == want
        # A plain walk of the same window stops at the cap, and says so.
        with pytest.raises(pd.TruncatedError):
            for _ in client.iter_all("/incidents", {"since": since, "until": until}):
                pass
        with pytest.raises(pd.InvalidInputError, match="until"):
            next(client.iter_history("/incidents", until, since))
