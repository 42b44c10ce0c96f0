"""OAuth client credentials and rate limits against the simulator's identity endpoint (issue 16):
the token fetched lazily, refreshed before expiry, fetched once more after a 401 with the call
replayed, a dropped scope a typed error naming it, no secret in any error; and ``rate_limit``."""

import time

import pytest

import pagerduty_ffi as pd
from conftest import FULL

CLIENT_ID = "pdmock-oauth-client"
SECRET = "pdmock-oauth-secret-5f1c9e2a"


def oauth(mock, scopes, secret=SECRET):
    return pd.RestClient(region=mock.url, client_id=CLIENT_ID, client_secret=secret, scopes=scopes, subdomain="pdmock")


def tokens(mock):
    return mock.counters()["token_requests"]


def test_oauth_token_is_fetched_lazily_and_reused(fresh):
    with oauth(fresh, ["incidents.read"]) as rest:
        assert tokens(fresh) == 0
        rest.request("GET", "/incidents")
        rest.request("GET", "/incidents")
        assert tokens(fresh) == 1


def test_oauth_token_is_refreshed_before_expiry(fresh):
    fresh.call("PUT", "/_mock/oauth", b'{"expires_in": 3}')
    with oauth(fresh, "incidents.read") as rest:
        rest.request("GET", "/incidents")
        time.sleep(2.8)  # inside the 10% margin, before the simulator's expiry
        rest.request("GET", "/incidents")
        assert tokens(fresh) == 2
        assert fresh.counters()["expired_tokens"] == 0


def test_oauth_401_fetches_a_new_token_once_and_replays(fresh):
    with oauth(fresh, ["incidents.read"]) as rest:
        rest.request("GET", "/incidents")
        fresh.call("POST", "/_mock/oauth/expire")
        rest.request("GET", "/incidents")
        assert tokens(fresh) == 2
        assert fresh.counters()["expired_tokens"] == 1
        fresh.call("PUT", "/_mock/oauth", b'{"expires_in": 0}')
        fresh.call("POST", "/_mock/oauth/expire")
        with pytest.raises(pd.UnauthorizedError):
            rest.request("GET", "/incidents")
        assert tokens(fresh) == 3


def test_oauth_dropped_scope_is_a_typed_error_naming_it(fresh):
    with oauth(fresh, ["incidents.read", "incidents.wirte"]) as rest:
        with pytest.raises(pd.ScopeNotGrantedError) as e:
            rest.request("GET", "/incidents")
        assert e.value.code == "scope_not_granted"
        assert "incidents.wirte" in str(e.value)
    with oauth(fresh, ["services.read"]) as rest:
        with pytest.raises(pd.ForbiddenError):
            rest.request("GET", "/incidents")
    with pytest.raises(pd.InvalidInputError, match="oauth.subdomain"):
        pd.RestClient(region=fresh.url, client_id=CLIENT_ID, client_secret=SECRET, scopes=["read"])
    with pytest.raises(pd.InvalidInputError, match="not both"):
        pd.RestClient(FULL, region=fresh.url, client_id=CLIENT_ID, client_secret=SECRET, subdomain="pdmock")


def test_oauth_secret_and_token_never_in_errors(fresh):
    wrong = "pdmock-wrong-secret-77"
    with oauth(fresh, ["read"], wrong) as rest:
        with pytest.raises(pd.UnauthorizedError) as e:
            rest.request("GET", "/incidents")
        assert wrong not in str(e.value) + repr(e.value.errors) + str(e.value.body_excerpt)
    with oauth(fresh, ["read"]) as rest:
        rest.request("GET", "/incidents")
        fresh.faults({"route": "/incidents", "echo_key": 1.0})
        with pytest.raises(pd.PagerDutyError) as e:
            rest.request("GET", "/incidents")
        text = str(e.value) + repr(e.value.errors) + str(e.value.request_id) + str(e.value.body_excerpt)
        assert "<redacted>" in text and "pdmock_oauth_" not in text


def test_rate_limit_is_the_last_rest_answers_budget(fresh):
    fresh.call("PUT", "/_mock/rate_limits", b'{"rest": {"limit": 50, "window_secs": 60}}')
    with pd.RestClient(FULL, region=fresh.url) as rest:
        assert rest.rate_limit is None
        rest.request("GET", "/incidents")
        first = rest.rate_limit
        assert first is not None and first["limit"] == 50 and first["remaining"] == 49 and first["reset_ms"] > 0
        rest.request("GET", "/incidents")
        assert rest.rate_limit["remaining"] == 48
    fresh.call("PUT", "/_mock/rate_limits", b'{"rest": {"limit": 1000000, "window_secs": 60}}')


def test_rate_limit_reads_the_older_x_ratelimit_names(canned):
    canned.headers += [("X-RateLimit-Limit", "900"), ("X-RateLimit-Remaining", "7"), ("X-RateLimit-Reset", "2.5")]
    with pd.RestClient(FULL, region=canned.url) as rest:
        rest.request("GET", "/users")
        assert rest.rate_limit == {"limit": 900, "remaining": 7, "reset_ms": 2500}
