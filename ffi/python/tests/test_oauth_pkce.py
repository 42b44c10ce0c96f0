"""OAuth for user apps (PKCE, issue 16): the RFC 7636 example, the authorize URL's parameters,
the code-exchange and refresh requests' form fields, a dropped scope named by the typed error,
and no secret in any error. Typed: mypy --strict checks this file (make test-python)."""

import json
from typing import Callable, List, Optional, Tuple, cast
from urllib.parse import parse_qs, urlsplit

import pytest

import pagerduty_ffi as pd

RFC_VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
RFC_CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
SECRETS = ["sec-ret-value", "auth-code-value", RFC_VERIFIER, "pdus+_refresh-value"]


def test_pkce_matches_rfc_7636_appendix_b() -> None:
    assert pd.oauth_challenge(RFC_VERIFIER) == RFC_CHALLENGE
    p = pd.oauth_pkce()
    assert len(p["verifier"]) == 43 and pd.oauth_challenge(p["verifier"]) == p["challenge"]
    assert pd.oauth_pkce()["verifier"] != p["verifier"]


def test_authorize_url_parameters() -> None:
    url = pd.oauth_authorize_url(client_id="cid", redirect_uri="https://app.example/cb", scopes=["incidents.read", "services.read"],
                                 state="st4te", challenge=RFC_CHALLENGE, region="eu")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "identity.eu.pagerduty.com", "/oauth/authorize")
    assert parse_qs(parts.query) == {
        "client_id": ["cid"], "redirect_uri": ["https://app.example/cb"], "response_type": ["code"],
        "scope": ["incidents.read services.read"], "state": ["st4te"], "code_challenge": [RFC_CHALLENGE],
        "code_challenge_method": ["S256"],
    }


def test_code_exchange_and_refresh_requests() -> None:
    r = pd.oauth_code_exchange_request(client_id="cid", client_secret="sec-ret-value", code="auth-code-value",
                                       redirect_uri="https://app.example/cb", verifier=RFC_VERIFIER, identity_url="http://127.0.0.1:9")
    assert (r["method"], r["url"]) == ("POST", "http://127.0.0.1:9/oauth/token")
    assert ["content-type", "application/x-www-form-urlencoded"] in r["headers"]
    assert parse_qs(r["body"]) == {
        "grant_type": ["authorization_code"], "client_id": ["cid"], "code": ["auth-code-value"],
        "redirect_uri": ["https://app.example/cb"], "code_verifier": [RFC_VERIFIER], "client_secret": ["sec-ret-value"],
    }
    r = pd.oauth_refresh_request(client_id="cid", refresh_token="pdus+_refresh-value")
    assert r["url"] == "https://identity.pagerduty.com/oauth/token"
    assert parse_qs(r["body"]) == {"grant_type": ["refresh_token"], "client_id": ["cid"], "refresh_token": ["pdus+_refresh-value"]}


ANSWER = ('{"access_token":"pdus+_user-token","token_type":"bearer","expires_in":86400,'
          '"refresh_token":"pdus+_refresh-2","scope":"incidents.read"}')


def test_parse_token_and_a_dropped_scope() -> None:
    t = pd.oauth_parse_token(200, {"content-type": "application/json"}, ANSWER, ["incidents.read"])
    assert t == {"access_token": "pdus+_user-token", "token_type": "bearer", "expires_in": 86400.0,
                 "scope": "incidents.read", "refresh_token": "pdus+_refresh-2"}
    with pytest.raises(pd.ScopeNotGrantedError) as e:
        pd.oauth_parse_token(200, None, ANSWER.encode(), "incidents.read incidents.write")
    assert "incidents.write" in str(e.value) and "pdus+_" not in str(e.value)
    with pytest.raises(pd.UnauthorizedError):
        pd.oauth_parse_token(401, [], '{"error":"invalid_grant"}')


def test_an_answer_quoting_the_secrets_sent_is_scrubbed_given_the_request() -> None:
    sent = pd.oauth_refresh_request(client_id="cid", client_secret="s3cr3t-value", refresh_token="pdus+_R3FR3SH")
    # An identity server that quotes what it got, raw and form-encoded.
    echo = json.dumps({"error": "invalid_grant: " + sent["body"] + " (refresh token pdus+_R3FR3SH)"})

    def told(request: Optional[pd.OAuthRequest]) -> str:
        with pytest.raises(pd.PagerDutyError) as e:
            pd.oauth_parse_token(400, None, echo, None, request)
        return str(e.value) + " " + repr(vars(e.value))

    assert "R3FR3SH" in told(None)
    scrubbed = told(sent)
    assert "<redacted>" in scrubbed
    for secret in ("R3FR3SH", "s3cr3t-value"):
        assert secret not in scrubbed, scrubbed
    # A token answer that hands the same refresh token back (RFC 6749 section 6) keeps it.
    same = '{"access_token":"pdus+_new","token_type":"bearer","refresh_token":"pdus+_R3FR3SH"}'
    assert pd.oauth_parse_token(200, None, same, None, sent)["refresh_token"] == "pdus+_R3FR3SH"
    with pytest.raises(pd.InvalidInputError, match="request.body"):
        pd.oauth_parse_token(400, None, echo, None, cast(pd.OAuthRequest, {"headers": []}))


def test_errors_name_the_field_and_never_a_secret() -> None:
    messages: List[str] = []
    cases: List[Tuple[str, Callable[[], object]]] = [
        ("client_secret", lambda: pd.oauth_code_exchange_request(client_id="c", client_secret="sec-ret-value x", code="auth-code-value",
                                                                 redirect_uri="https://a.example/", verifier=RFC_VERIFIER)),
        ("code", lambda: pd.oauth_code_exchange_request(client_id="c", code="auth-code-value x", redirect_uri="https://a.example/",
                                                        verifier=RFC_VERIFIER)),
        ("verifier", lambda: pd.oauth_code_exchange_request(client_id="c", code="auth-code-value", redirect_uri="https://a.example/",
                                                            verifier=RFC_VERIFIER[:20])),
        ("refresh_token", lambda: pd.oauth_refresh_request(client_id="c", refresh_token="pdus+_refresh-value x")),
        ("challenge", lambda: pd.oauth_authorize_url(client_id="c", redirect_uri="https://a.example/", scopes="read", state="s",
                                                     challenge=RFC_VERIFIER[:10])),
    ]
    for field, call in cases:
        with pytest.raises(pd.InvalidInputError) as e:
            call()
        assert field in str(e.value), (field, str(e.value))
        messages.append(f"{e.value} {e.value!r}")
    for m in messages:
        for s in SECRETS:
            assert s[:12] not in m, (s, m)
