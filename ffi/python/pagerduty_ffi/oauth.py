"""OAuth for user apps (authorization code + PKCE, S256), sans-IO: the app sends the requests
with its own HTTP client. The rules are libpagerduty's (``pd_oauth``); these functions convert.

The flow: :func:`oauth_pkce` gives a verifier (keep it in the user's session) and its challenge;
send the user to :func:`oauth_authorize_url`; on the redirect back, check ``state`` and POST
:func:`oauth_code_exchange_request`; read the answer with :func:`oauth_parse_token`. A day later
:func:`oauth_refresh_request` with the refresh token (30 days). Requests and tokens hold secrets:
never log them. Errors name the field and never quote a secret.
"""

from __future__ import annotations

import ctypes
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, TypedDict, Union, cast

from . import _check, _json, _loads, _take
from . import _native as _n


class OAuthPkce(TypedDict):
    """A PKCE pair: the verifier (a secret for the code exchange) and its S256 challenge."""

    verifier: str
    challenge: str


class OAuthRequest(TypedDict):
    """A token request to POST with your own HTTP client (it holds secrets: never log it)."""

    method: str
    url: str
    headers: List[List[str]]
    body: str


class OAuthToken(TypedDict):
    """A token answer, checked: every scope asked for was granted."""

    access_token: str
    token_type: str
    expires_in: float
    scope: str
    refresh_token: Optional[str]


def _oauth(spec: Dict[str, Any]) -> Any:
    out = ctypes.c_void_p()
    _check(_n.pd_oauth(_json(spec, "spec"), ctypes.byref(out)))
    return _loads(_take(out) or "null")


def _where(region: Optional[str], identity_url: Optional[str]) -> Dict[str, Any]:
    spec: Dict[str, Any] = {}
    if region is not None:
        spec["region"] = region
    if identity_url is not None:
        spec["identity_url"] = identity_url
    return spec


def oauth_pkce() -> OAuthPkce:
    """A new PKCE verifier (from the OS random source) and its S256 challenge."""
    return cast(OAuthPkce, _oauth({"action": "pkce"}))


def oauth_challenge(verifier: str) -> str:
    """The S256 challenge of a verifier (RFC 7636: base64url of its SHA-256)."""
    return cast(str, _oauth({"action": "challenge", "verifier": verifier})["challenge"])


def oauth_authorize_url(
    *,
    client_id: str,
    redirect_uri: str,
    scopes: Union[str, Sequence[str]],
    state: str,
    challenge: str,
    region: Optional[str] = None,
    identity_url: Optional[str] = None,
) -> str:
    """The URL to send the user to: ``{identity}/oauth/authorize`` with the S256 challenge.
    ``region`` is ``"us"`` (default) or ``"eu"``; ``identity_url`` another base (a simulator)."""
    spec = _where(region, identity_url)
    spec.update(action="authorize_url", client_id=client_id, redirect_uri=redirect_uri,
                scopes=scopes if isinstance(scopes, str) else list(scopes), state=state, challenge=challenge)
    return cast(str, _oauth(spec)["url"])


def oauth_code_exchange_request(
    *,
    client_id: str,
    code: str,
    redirect_uri: str,
    verifier: str,
    client_secret: Optional[str] = None,
    region: Optional[str] = None,
    identity_url: Optional[str] = None,
) -> OAuthRequest:
    """The authorization-code exchange (``grant_type=authorization_code``): the code the
    redirect brought, the same redirect URI, the verifier; POST it, then :func:`oauth_parse_token`."""
    spec = _where(region, identity_url)
    spec.update(action="code_exchange", client_id=client_id, code=code, redirect_uri=redirect_uri, verifier=verifier)
    if client_secret is not None:
        spec["client_secret"] = client_secret
    return cast(OAuthRequest, _oauth(spec))


def oauth_refresh_request(
    *,
    client_id: str,
    refresh_token: str,
    client_secret: Optional[str] = None,
    region: Optional[str] = None,
    identity_url: Optional[str] = None,
) -> OAuthRequest:
    """A new access token from a refresh token (``grant_type=refresh_token``)."""
    spec = _where(region, identity_url)
    spec.update(action="refresh", client_id=client_id, refresh_token=refresh_token)
    if client_secret is not None:
        spec["client_secret"] = client_secret
    return cast(OAuthRequest, _oauth(spec))


def oauth_parse_token(
    status: int,
    headers: Union[Mapping[str, str], Iterable[Sequence[str]], None],
    body: Union[str, bytes],
    scopes: Union[str, Sequence[str], None] = None,
    request: Optional[OAuthRequest] = None,
) -> OAuthToken:
    """Reads a token answer: the token, or the typed error (``ScopeNotGrantedError`` naming the
    scopes asked for and not granted, ``UnauthorizedError``, ``DecodeError``, ...). Pass the
    ``request`` that was sent and its secrets are scrubbed from a refusal (a token answer is left as
    it is)."""
    if isinstance(headers, Mapping):
        hdrs: Any = dict(headers)
    else:
        hdrs = [list(h) for h in headers] if headers is not None else None
    text = body.decode("utf-8", "replace") if isinstance(body, (bytes, bytearray)) else body
    spec: Dict[str, Any] = {"action": "parse_token", "status": status, "headers": hdrs, "body": text}
    if scopes is not None:
        spec["scopes"] = scopes if isinstance(scopes, str) else list(scopes)
    if request is not None:
        spec["request"] = dict(request)
    return cast(OAuthToken, _oauth(spec))
