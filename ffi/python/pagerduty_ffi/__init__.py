"""PagerDuty's REST API v2, Events APIs and webhooks v3 for Python, over libpagerduty.

Clients are thread-safe (share one between threads); a pager's pages come one at a time
(threads sharing a pager take turns). Calls release the GIL while libpagerduty does its HTTP.
``close()`` may be called from any thread at any time: calls in flight end (with
``CancelledError`` where the library can cancel them, else when they finish) before the native
handle is freed, and later calls fail with ``InvalidInputError`` ("already closed").

:class:`Outbox` is the durable outbox: an event on disk before the enqueue returns, delivered
through crashes, restarts and outages (:func:`spool` from other processes).
"""

# Annotations stay text (PEP 563) and nothing the package needs at import pulls in typing, json,
# re, enum, functools or threading (issue 17: they were most of `import pagerduty_ffi`):
# typing-only names are imported for type checkers alone, json on the first call that needs it,
# and Outbox, the OAuth helpers and the webhook router with their modules on first use
# (``__getattr__`` below, PEP 562).
from __future__ import annotations

import _thread
import ctypes
import os
import sys

from . import _native as _n
from . import _typevars as _tv
from ._operations import OPERATIONS, _Operations
from .errors import (
    AlreadyExistsError,
    ApiError,
    CancelledError,
    DecodeError,
    ForbiddenError,
    HttpError,
    InternalError,
    InvalidEventError,
    InvalidInputError,
    InvalidSignatureError,
    NotFoundError,
    PagerDutyError,
    PagerDutyTimeoutError,
    RateLimitedError,
    ScopeNotGrantedError,
    TransportError,
    TruncatedError,
    UnauthorizedError,
    WrongKeyKindError,
    from_status,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    import threading
    from typing import Any, Callable, Dict, Iterable, Iterator, List, Literal, Mapping, Optional, Sequence, Union

    from .oauth import (
        OAuthPkce,
        OAuthRequest,
        OAuthToken,
        oauth_authorize_url,
        oauth_challenge,
        oauth_code_exchange_request,
        oauth_parse_token,
        oauth_pkce,
        oauth_refresh_request,
    )
    from .outbox import DeadLetter, Outbox, OutboxInspection, OutboxKeyStats, OutboxStats, Queued, inspect_outbox, spool
    from .webhooks import WEBHOOK_EVENT_TYPES, ReplayGuard, WebhookEventType, WebhookRouter, dedup_key

    Json = Any

__all__ = [
    "OPERATIONS",
    "WebhookRouter",
    "ReplayGuard",
    "WebhookEventType",
    "WEBHOOK_EVENT_TYPES",
    "dedup_key",
    "AlreadyExistsError",
    "RestClient",
    "Pager",
    "EventsClient",
    "Outbox",
    "Queued",
    "OutboxStats",
    "OutboxKeyStats",
    "DeadLetter",
    "OutboxInspection",
    "spool",
    "inspect_outbox",
    "verify_webhook",
    "build_request",
    "parse_response",
    "oauth_pkce",
    "oauth_challenge",
    "oauth_authorize_url",
    "oauth_code_exchange_request",
    "oauth_refresh_request",
    "oauth_parse_token",
    "OAuthPkce",
    "OAuthRequest",
    "OAuthToken",
    "version",
    "PagerDutyError",
    "ApiError",
    "InvalidInputError",
    "WrongKeyKindError",
    "UnauthorizedError",
    "ForbiddenError",
    "NotFoundError",
    "RateLimitedError",
    "InvalidEventError",
    "HttpError",
    "TransportError",
    "PagerDutyTimeoutError",
    "DecodeError",
    "TruncatedError",
    "ScopeNotGrantedError",
    "InvalidSignatureError",
    "CancelledError",
    "InternalError",
]

# The public names that live in a module imported on first use (``__getattr__``).
_LAZY = {
    "outbox": ("Outbox", "Queued", "OutboxStats", "OutboxKeyStats", "DeadLetter", "OutboxInspection", "spool", "inspect_outbox"),
    "oauth": (
        "oauth_pkce",
        "oauth_challenge",
        "oauth_authorize_url",
        "oauth_code_exchange_request",
        "oauth_refresh_request",
        "oauth_parse_token",
        "OAuthPkce",
        "OAuthRequest",
        "OAuthToken",
    ),
    "webhooks": ("WebhookRouter", "ReplayGuard", "WebhookEventType", "WEBHOOK_EVENT_TYPES", "dedup_key"),
    "resources": (),
}
_LAZY_NAMES = {name: module for module, names in _LAZY.items() for name in names}

if not TYPE_CHECKING:  # a type checker sees the imports above, and no catch-all attribute

    def __getattr__(name):
        """Outbox, the OAuth helpers and the webhook router: imported with their module on first
        use (as are the submodules ``outbox``, ``oauth``, ``webhooks`` and ``resources``)."""
        module = _LAZY_NAMES.get(name)
        if module is None and name not in _LAZY:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        from importlib import import_module

        mod = import_module(f"{__name__}.{module or name}")
        if module is None:
            return mod
        for n in _LAZY[module]:
            globals()[n] = getattr(mod, n)
        return globals()[name]

    def __dir__():
        """The module's names, those imported on first use included (help() lists them)."""
        return sorted(set(globals()) | set(__all__) | set(_LAZY))


def version() -> str:
    """The version of the loaded libpagerduty."""
    return _n.pd_version().decode()


def _c(value: Optional[str], name: str) -> Optional[bytes]:
    """A Python string as a C string. NUL characters would silently cut it short: refused."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInputError(f"invalid {name}: must be a str, not {type(value).__name__}")
    if "\x00" in value:
        raise InvalidInputError(f"invalid {name}: contains a NUL character")
    return value.encode("utf-8", "surrogatepass")


# A type comment, not an annotation: that would be a module __annotations__ (shown by help()).
_encode = None  # type: Optional[Callable[[Any], str]]


def _dumps(value: Any) -> str:
    """Compact JSON text, as ``json.dumps(value, separators=(",", ":"))``. json is imported on the
    first call (with re, it was most of the package's import time); one encoder then serves every
    call (json.dumps makes a new one per call when given separators)."""
    global _encode
    if _encode is None:
        from json import JSONEncoder

        _encode = JSONEncoder(separators=(",", ":")).encode
    return _encode(value)


def _json(value: Any, name: str) -> Optional[bytes]:
    """``value`` as JSON for the library (``name`` is the argument's name in errors). The text is
    ASCII (``\\u`` escapes: never a NUL byte), so it needs none of ``_c``'s checks."""
    if value is None:
        return None
    return _dumps(value).encode()


def _error(status: int, dedup_key: Optional[str] = None) -> PagerDutyError:
    """The exception for a failed call, from this thread's last error (read it before any other
    library call on this thread)."""
    code = (_n.pd_status_name(status) or b"error").decode()
    msg = _n.pd_last_error_message()
    details = ctypes.c_void_p()
    _n.pd_last_error_details(ctypes.byref(details))
    return from_status(code, msg.decode("utf-8", "replace") if msg else code, _take(details), dedup_key)


def _check(status: int) -> None:
    if status != 0:
        raise _error(status)


def _loads(text: Union[str, bytes]) -> Json:
    """JSON from the library. The library checked it; Python's parser still recurses, so a
    document nested too deeply for it is a DecodeError, not a RecursionError."""
    import json  # imported once (see _dumps); later it is a lookup in sys.modules

    try:
        return json.loads(text)
    except RecursionError:
        raise DecodeError("could not decode the response: JSON nested too deeply for Python's parser") from None


def _take(ptr: ctypes.c_void_p) -> Optional[str]:
    """Reads and frees a string returned by the library."""
    if not ptr.value:
        return None
    try:
        return ctypes.string_at(ptr.value).decode("utf-8")
    finally:
        _n.pd_string_free(ptr.value)


def _options(**kw: Any) -> bytes:
    opts = {k: v for k, v in kw.items() if v is not None}
    try:
        text = _dumps(opts)
    except (TypeError, ValueError):
        # Something JSON cannot say (an object, a float the encoder refuses): handed on as its
        # text so that the library names the option it refuses.
        import json

        text = json.dumps(opts, separators=(",", ":"), default=str)
    return _c(text, "options") or b"{}"


def _oauth(
    client_id: Optional[str],
    client_secret: Optional[str],
    scopes: Union[str, Sequence[str], None],
    subdomain: Optional[str],
    region: Optional[str],
) -> Optional[Dict[str, Any]]:
    """The options object's ``oauth`` (None without client credentials); the library checks it."""
    if client_id is None and client_secret is None and scopes is None and subdomain is None:
        return None
    given = {"client_id": client_id, "client_secret": client_secret, "subdomain": subdomain, "region": region}
    out: Dict[str, Any] = {k: v for k, v in given.items() if v is not None}
    if scopes is not None:
        out["scopes"] = scopes if isinstance(scopes, str) else list(scopes)
    return out


def _finite_decimal(value: Any) -> bool:
    """Whether `value` is a finite decimal.Decimal. The module is not imported for this (it costs
    import time): a caller holding a Decimal has imported it already."""
    decimal = sys.modules.get("decimal")
    return decimal is not None and isinstance(value, decimal.Decimal) and value.is_finite()


def _number(value: Any) -> Any:
    """A whole number as an int; anything else as it is (a non-finite float as its text) for the
    library to check and name."""
    import math
    import numbers

    if _finite_decimal(value):
        value = int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value.is_integer():
            return int(value)
    return value


def _ms(value: Any) -> Any:
    """Seconds as milliseconds for the library. Only real, finite numbers are converted; anything
    else (a string, a bool, inf, nan) is handed on as it is, a non-finite float as its text, for
    the library to refuse with InvalidInputError naming the option."""
    import math
    import numbers

    if _finite_decimal(value):
        value = float(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return value
    if isinstance(value, numbers.Integral):
        return int(value) * 1000
    ms = float(value) * 1000.0
    if not math.isfinite(ms):
        return str(float(value))
    return int(ms) if ms.is_integer() else ms


def _path(value: Any) -> Any:
    return os.fspath(value) if isinstance(value, os.PathLike) else value


def _retry(retry: Optional[Mapping[str, Any]]) -> Optional[Dict[str, Any]]:
    """``{"max_attempts": N, "deadline": 60.0, "base_delay": 0.5, "max_delay": 30.0}`` (seconds)."""
    if retry is None:
        return None
    import collections.abc  # here, not at import: collections costs import time

    if not isinstance(retry, collections.abc.Mapping):
        raise InvalidInputError(f"invalid retry: must be a mapping, not {type(retry).__name__}")
    out: Dict[str, Any] = {}
    for k, v in retry.items():
        if k == "max_attempts":
            out[k] = _number(v)
        elif k in ("deadline", "base_delay", "max_delay"):
            out[f"{k}_ms"] = _ms(v)
        else:
            raise InvalidInputError(f"invalid retry: unknown setting {k!r}")
    return out


class _Handle:
    """A native handle shared by threads. Each call enters (counted) and leaves; ``close()``
    refuses new calls, cancels those in flight where the library can, waits until none is left,
    then frees. The handle is never freed under a running call."""

    _free: Callable[[ctypes.c_void_p], None]
    _cancel: Optional[Callable[[ctypes.c_void_p], Any]] = None

    def __init__(self) -> None:
        self._ptr = ctypes.c_void_p()
        # A plain lock guards the count (threading.Lock is this type; threading itself is not
        # imported for it); the condition close() waits on is made only when it has to wait.
        self._lock = _thread.allocate_lock()
        self._idle: Optional[threading.Condition] = None
        self._users = 0
        self._closing = False

    def _enter(self) -> ctypes.c_void_p:
        """Starts a call: the live handle, counted until ``_leave()``."""
        with self._lock:
            if self._closing or not self._ptr.value:
                raise InvalidInputError(f"invalid {type(self).__name__}: already closed")
            self._users += 1
            return self._ptr

    def _leave(self) -> None:
        with self._lock:
            self._users -= 1
            if self._users == 0 and self._idle is not None:
                self._idle.notify_all()

    def close(self) -> None:
        """Ends the client: later calls fail with InvalidInputError ("already closed"), calls in
        flight end (CancelledError where the library can cancel them, else when they are done),
        then the native handle is freed. Idempotent; safe from any thread."""
        with self._lock:
            if not self._closing:
                self._closing = True
                if self._users and self._ptr.value and self._cancel is not None:
                    self._cancel(self._ptr)
            if self._users:
                if self._idle is None:
                    import threading

                    self._idle = threading.Condition(self._lock)
                while self._users:
                    self._idle.wait()
            if self._ptr.value:
                ptr, self._ptr = self._ptr, ctypes.c_void_p()
                type(self)._free(ptr)

    def __enter__(self: _tv._H) -> _tv._H:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        # No call can be running (each holds a reference), so this never waits; it never blocks
        # on the lock either, whatever the collector interrupted.
        try:
            lock = self._lock
            if not lock.acquire(blocking=False):
                return
            try:
                self._closing = True
                if self._users == 0 and self._ptr.value:
                    ptr, self._ptr = self._ptr, ctypes.c_void_p()
                    type(self)._free(ptr)
            finally:
                lock.release()
        except Exception:
            pass


class RestClient(_Operations, _Handle):
    """The REST API v2.

    ``token``: a 20-character REST API key (``token_kind="general"`` or ``"user"``) or an OAuth
    token (``token_kind="oauth"``). ``region``: ``"us"``, ``"eu"`` or a base URL (https, or
    http on loopback). ``from_email``: sent as ``From`` where PagerDuty requires it.
    ``timeout``: seconds per attempt (30); ``retry``: ``{"max_attempts", "deadline",
    "base_delay", "max_delay"}`` (durations in seconds). ``max_response_bytes``: larger answers
    are a DecodeError (default 8 MiB). ``ca_file`` (a PEM file) or ``ca_pem`` (PEM text): a
    certificate authority trusted in addition to the system's.

    OAuth for scoped apps: give no ``token`` and ``client_id``, ``client_secret``, ``scopes``
    (a list, or a space-separated string) and the account's ``subdomain``
    (``as_account-{us|eu}.{subdomain}`` is added to the scopes; ``oauth_region`` names the
    service region when ``region`` is a base URL). Tokens are then fetched lazily, refreshed
    before they expire and once after a 401 (the call replayed); a scope PagerDuty did not grant
    raises ScopeNotGrantedError naming it. ``rate_limit`` is the last REST answer's budget.
    """

    _free = staticmethod(_n.pd_rest_free)
    _cancel = staticmethod(_n.pd_rest_cancel) if _n.pd_rest_cancel else None

    def __init__(
        self,
        token: Optional[str] = None,
        region: str = "us",
        *,
        client_id: Optional[str] = None,
        client_secret: Optional[str] = None,
        scopes: Union[str, Sequence[str], None] = None,
        subdomain: Optional[str] = None,
        oauth_region: Optional[str] = None,
        token_kind: str = "general",
        from_email: Optional[str] = None,
        timeout: Optional[float] = None,
        retry: Optional[Mapping[str, float]] = None,
        user_agent: Optional[str] = None,
        max_response_bytes: Optional[int] = None,
        ca_file: Union[str, "os.PathLike[str]", None] = None,
        ca_pem: Optional[str] = None,
    ) -> None:
        super().__init__()
        opts = _options(
            region=region,
            token_kind=token_kind,
            **{"from": from_email},
            timeout_ms=_ms(timeout),
            retry=_retry(retry),
            user_agent=user_agent,
            max_response_bytes=_number(max_response_bytes),
            ca_file=_path(ca_file),
            ca_pem=ca_pem,
            oauth=_oauth(client_id, client_secret, scopes, subdomain, oauth_region),
        )
        _check(_n.pd_rest_new(_c(token, "token"), opts, ctypes.byref(self._ptr)))

    @property
    def rate_limit(self) -> Optional[Dict[str, Optional[int]]]:
        """The rate-limit budget of the last REST answer (its ``ratelimit-*`` or
        ``X-RateLimit-*`` headers): ``{"limit", "remaining", "reset_ms"}`` (a value PagerDuty did
        not send is None), or None before any answer carried one. Slow down before a 429."""
        text = self._text_call(_n.pd_rest_rate_limit)
        budget = _loads(text) if text else None
        return budget if isinstance(budget, dict) else None

    def _text_call(self, fn: Callable[..., int], *args: Any) -> Optional[str]:
        """``fn(handle, *args, &out)`` on the live handle; the string it returned."""
        out = ctypes.c_void_p()
        ptr = self._enter()
        try:
            status = fn(ptr, *args, ctypes.byref(out))
            error = _error(status) if status else None
            text = _take(out)
        finally:
            self._leave()
        if error is not None:
            raise error
        return text

    def request(self, method: str, path: str, params: Optional[Mapping[str, Any]] = None, json_body: Json = None) -> Json:
        """Any call; returns the decoded body (``None`` for an empty one)."""
        text = self._text_call(
            _n.pd_rest_request, _c(method, "method"), _c(path, "path"), _json(params, "params"), _json(json_body, "json")
        )
        return _loads(text) if text else None

    def get(self, path: str, params: Optional[Mapping[str, Any]] = None) -> Json:
        """``GET path`` (a path on the configured API, or a full URL on it) with ``params``."""
        return self.request("GET", path, params)

    def post(self, path: str, json: Json = None, params: Optional[Mapping[str, Any]] = None) -> Json:
        """``POST path`` with the JSON body ``json`` (not retried after it may have arrived)."""
        return self.request("POST", path, params, json)

    def put(self, path: str, json: Json = None, params: Optional[Mapping[str, Any]] = None) -> Json:
        """``PUT path`` with the JSON body ``json``."""
        return self.request("PUT", path, params, json)

    def delete(self, path: str, params: Optional[Mapping[str, Any]] = None) -> Json:
        """``DELETE path``."""
        return self.request("DELETE", path, params)

    def op(self, operation: str, **args: Any) -> Json:
        """One of libpagerduty's typed operations (see ``pd_rest_op`` in pagerduty.h)."""
        text = self._text_call(_n.pd_rest_op, _c(operation, "operation"), _json(args, "args"))
        return _loads(text) if text else None

    def pager(self, path: str, params: Optional[Mapping[str, Any]] = None) -> "Pager":
        """A pager over a list endpoint (classic or cursor, chosen from PagerDuty's spec)."""
        return Pager(self, path, params)

    def iter_pages(self, path: str, params: Optional[Mapping[str, Any]] = None) -> Iterator[List[Json]]:
        """Each page's items, one page at a time; ends with TruncatedError at PagerDuty's
        10,000-record cap when records are left."""
        with self.pager(path, params) as p:
            yield from p

    def iter_history(
        self, path: str, since: str, until: str, params: Optional[Mapping[str, Any]] = None
    ) -> Iterator[Json]:
        """Every item of a whole history past PagerDuty's 10,000-record cap: ``path``
        (``/incidents``, ``/log_entries``, ...) from ``since`` up to ``until`` (ISO 8601), with
        the other filters in ``params``. Windows are split by their ``total`` until each fits and
        walked in time order, one page at a time, with no gap and no duplicate at the edges; more
        than 10,000 records in one second ends with TruncatedError."""
        with Pager(self, path, params, since=since, until=until) as p:
            for page in p:
                yield from page

    def iter_all(self, path: str, params: Optional[Mapping[str, Any]] = None) -> Iterator[Json]:
        """Every item of a list endpoint, fetching one page at a time; ends with TruncatedError
        at PagerDuty's 10,000-record cap when records are left."""
        for page in self.iter_pages(path, params):
            yield from page

    def find_incident_for_dedup_key(self, dedup_key: str, *, deadline: float = 10.0) -> Optional[Dict[str, Any]]:
        """After an event's 202: the incident of ``dedup_key`` (``GET /incidents?incident_key=``),
        asked again (250 ms doubling to 2 s) until it shows up or ``deadline`` seconds pass;
        ``None`` is "not yet". An empty key is refused (PagerDuty would answer with every open
        incident)."""
        text = self._text_call(_n.pd_rest_find_incident_for_dedup_key, _c(dedup_key, "dedup_key"), max(0, int(float(deadline) * 1000)))
        return _loads(text) if text else None  # type: ignore[return-value]

    def create_incident_once(self, **args: Any) -> "tuple[Dict[str, Any], bool]":
        """``create_incident`` (same arguments, ``incident_key`` required) safe to retry: when an
        open incident already has the key (PagerDuty's 400, ``AlreadyExistsError``), that
        incident is returned instead. Returns ``(incident, created)``."""
        out = ctypes.c_void_p()
        created = ctypes.c_bool()
        ptr = self._enter()
        try:
            status = _n.pd_rest_create_incident_once(ptr, _json(args, "args"), ctypes.byref(out), ctypes.byref(created))
            error = _error(status) if status else None
            text = _take(out)
        finally:
            self._leave()
        if error is not None:
            raise error
        return _loads(text or "null"), bool(created.value)  # type: ignore[return-value]

    # The typed operations (`_operations.py`, generated from the core's registry) call these.
    def _op(self, name: str, args: Dict[str, Any]) -> Any:
        return self.op(name, **args)

    def _list(self, name: str, args: Dict[str, Any]) -> Iterator[Any]:
        with Pager(self, operation=name, params=args) as p:
            for page in p:
                yield from page


class Pager(_Handle):
    """Pages of a list endpoint; iterate it for lists of items. Pages come one at a time (threads
    sharing a pager take turns). The walk ends with TruncatedError at PagerDuty's 10,000-record
    offset cap when records are left. A pager keeps its client alive and belongs to it: closing
    the client cancels the pager's page in flight and ends the pager. Closing the pager itself
    waits for its page in flight."""

    _free = staticmethod(_n.pd_pager_free)

    def __init__(
        self,
        client: RestClient,
        path: Optional[str] = None,
        params: Optional[Mapping[str, Any]] = None,
        *,
        operation: Optional[str] = None,
        since: Optional[str] = None,
        until: Optional[str] = None,
    ) -> None:
        """Over ``path`` with the query ``params``; or, with ``operation``, one of the core's
        list operations (``list_incidents``, ...) with ``params`` as its filters; or, with
        ``since`` and ``until``, a whole history of ``path`` (see ``RestClient.iter_history``)."""
        super().__init__()
        self._client = client  # its cancel and close reach this pager's calls; kept alive with it
        self._turn = _thread.allocate_lock()
        cptr = client._enter()
        try:
            if operation is not None:
                status = _n.pd_pager_op(cptr, _c(operation, "operation"), _json(params, "params"), ctypes.byref(self._ptr))
            elif since is not None or until is not None:
                status = _n.pd_pager_history(
                    cptr, _c(path, "path"), _json(params, "params"), _c(since, "since"), _c(until, "until"),
                    ctypes.byref(self._ptr),
                )
            else:
                status = _n.pd_pager_new(cptr, _c(path, "path"), _json(params, "params"), ctypes.byref(self._ptr))
            error = _error(status) if status else None
        finally:
            client._leave()
        if error is not None:
            raise error

    def __iter__(self) -> Iterator[List[Json]]:
        return self

    def __next__(self) -> List[Json]:
        out = ctypes.c_void_p()
        with self._turn:
            self._client._enter()
            try:
                ptr = self._enter()
                try:
                    status = _n.pd_pager_next(ptr, ctypes.byref(out))
                    error = _error(status) if status else None
                    # One copy of the page's array out of the C buffer.
                    text = ctypes.string_at(out.value) if out.value else None
                    _n.pd_string_free(out.value)
                finally:
                    self._leave()
            finally:
                self._client._leave()
        if error is not None:
            raise error
        if text is None:
            raise StopIteration
        return _loads(text)

    @property
    def truncated(self) -> bool:
        """True when the walk stopped at PagerDuty's 10,000-item cap with items left."""
        flag = ctypes.c_bool()
        with self._turn:
            ptr = self._enter()
            try:
                status = _n.pd_pager_truncated(ptr, ctypes.byref(flag))
                error = _error(status) if status else None
            finally:
                self._leave()
        if error is not None:
            raise error
        return flag.value


class EventsClient(_Handle):
    """The Events API v2 (and v1) for one 32-character integration key.

    Options as for :class:`RestClient` (``timeout`` per attempt, ``retry``,
    ``max_response_bytes``, ``ca_file``, ``ca_pem``), and ``truncate_summary`` to cut summaries
    over 1024 characters instead of refusing them. An event's error carries ``dedup_key``: the
    key it was sent with."""

    _free = staticmethod(_n.pd_events_free)
    _cancel = staticmethod(_n.pd_events_cancel) if _n.pd_events_cancel else None

    def __init__(
        self,
        routing_key: str,
        region: str = "us",
        *,
        timeout: Optional[float] = None,
        retry: Optional[Mapping[str, float]] = None,
        truncate_summary: bool = False,
        max_response_bytes: Optional[int] = None,
        ca_file: Union[str, "os.PathLike[str]", None] = None,
        ca_pem: Optional[str] = None,
    ) -> None:
        super().__init__()
        opts = _options(
            region=region,
            timeout_ms=_ms(timeout),
            retry=_retry(retry),
            truncate_summary=truncate_summary,
            max_response_bytes=_number(max_response_bytes),
            ca_file=_path(ca_file),
            ca_pem=ca_pem,
        )
        _check(_n.pd_events_new(_c(routing_key, "routing_key"), opts, ctypes.byref(self._ptr)))

    def _call(self, fn: Callable[..., int], *args: Any) -> None:
        ptr = self._enter()
        try:
            status = fn(ptr, *args)
            error = _error(status) if status else None
        finally:
            self._leave()
        if error is not None:
            raise error

    def _keyed(self, fn: Callable[..., int], *args: Any) -> str:
        """A call that hands back the event's key, on failure too (then on the exception)."""
        out = ctypes.c_void_p()
        ptr = self._enter()
        try:
            status = fn(ptr, *args, ctypes.byref(out))
            error = _error(status) if status else None
            key = _take(out)
        finally:
            self._leave()
        if error is not None:
            error.dedup_key = key
            raise error
        return key or ""

    def trigger(
        self, summary: str, source: str, severity: Literal["critical", "error", "warning", "info"], **fields: Any
    ) -> str:
        """Triggers an alert and returns its dedup_key (generated before the first attempt when
        not given, so retries never open a second alert). ``severity`` is required, as in every
        runtime (PagerDuty's four levels). Other fields: ``dedup_key``,
        ``timestamp``, ``component``, ``group``, ``class_`` (``class``), ``custom_details``,
        ``images``, ``links``, ``client``, ``client_url``."""
        if "class_" in fields:
            fields["class"] = fields.pop("class_")
        body = dict(fields, summary=summary, source=source, severity=severity)
        return self._keyed(_n.pd_events_trigger, _json(body, "trigger"))

    def acknowledge(self, dedup_key: str) -> None:
        """Acknowledges the alert with ``dedup_key`` (an error carries the key, as for triggers)."""
        self._call(_n.pd_events_acknowledge, _c(dedup_key, "dedup_key"))

    def resolve(self, dedup_key: str) -> None:
        """Resolves the alert with ``dedup_key``."""
        self._call(_n.pd_events_resolve, _c(dedup_key, "dedup_key"))

    def change(self, summary: str, **fields: Any) -> None:
        """A change event: ``source``, ``timestamp``, ``custom_details``, ``links``."""
        self._call(_n.pd_events_change, _json(dict(fields, summary=summary), "change"))

    def v1(self, action: str, **event: Any) -> str:
        """A legacy Events API v1 event; returns the incident_key (on an error, as ``dedup_key``)."""
        return self._keyed(_n.pd_events_v1, _c(action, "action"), _json(event, "event"))


def verify_webhook(
    secrets: Union[str, Sequence[str]], signature_header: Optional[str], body: bytes, *, max_body: int = 0
) -> Dict[str, Any]:
    """Verifies ``X-PagerDuty-Signature`` over the raw body (bytes, as received) and returns the
    event. Several secrets may be given while one is rotated. Raises InvalidSignatureError (also
    when the header is missing: ``None``)."""
    if isinstance(secrets, str):
        secrets = [secrets]
    if not isinstance(body, (bytes, bytearray)):
        raise InvalidInputError("invalid body: must be the raw bytes as received")
    arr = (ctypes.c_char_p * max(len(secrets), 1))(*[_c(s, "secret") for s in secrets])
    out = ctypes.c_void_p()
    _check(_n.pd_webhook_verify(arr, len(secrets), _c(signature_header, "signature_header"), bytes(body), len(body), max_body, ctypes.byref(out)))
    return _loads(_take(out) or "null")  # type: ignore[no-any-return]


def build_request(spec: Mapping[str, Any]) -> Dict[str, Any]:
    """The sans-IO layer: a request as ``{"api", "method", "url", "headers", "body",
    "dedup_key"}`` for your own HTTP client (see ``pd_build_request``)."""
    out = ctypes.c_void_p()
    _check(_n.pd_build_request(_json(dict(spec), "spec"), ctypes.byref(out)))
    return _loads(_take(out) or "null")  # type: ignore[no-any-return]


def parse_response(api: str, status: int, headers: Union[Mapping[str, str], Iterable[Sequence[str]], None], body: bytes) -> Json:
    """Reads a response to a request from :func:`build_request`; raises the matching error."""
    import collections.abc

    if isinstance(headers, collections.abc.Mapping):
        headers = list(headers.items())
    hdrs = _json([list(h) for h in headers] if headers is not None else None, "headers")
    out = ctypes.c_void_p()
    _check(_n.pd_parse_response(_c(api, "api"), status, hdrs, bytes(body), len(body), ctypes.byref(out)))
    text = _take(out)
    return _loads(text) if text else None

