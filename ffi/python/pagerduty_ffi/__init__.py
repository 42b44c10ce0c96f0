"""PagerDuty's REST API v2, Events APIs and webhooks v3 for Python, over libpagerduty.

Clients are thread-safe (share one between threads); a pager belongs to one thread. Calls
release the GIL while libpagerduty does its HTTP.
"""

import ctypes
import json
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Union

from . import _native as _n
from .errors import (
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
    TransportError,
    UnauthorizedError,
    WrongKeyKindError,
    from_status,
)

__all__ = [
    "RestClient",
    "Pager",
    "EventsClient",
    "verify_webhook",
    "build_request",
    "parse_response",
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
    "InvalidSignatureError",
    "CancelledError",
    "InternalError",
]

Json = Any


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


def _json(value: Any, name: str) -> Optional[bytes]:
    if value is None:
        return None
    return _c(json.dumps(value, separators=(",", ":")), name)


def _check(status: int) -> None:
    if status == 0:
        return
    code = (_n.pd_status_name(status) or b"error").decode()
    msg = _n.pd_last_error_message()
    details = ctypes.c_void_p()
    _n.pd_last_error_details(ctypes.byref(details))
    raise from_status(code, msg.decode("utf-8", "replace") if msg else code, _take(details))


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
    return _json(opts, "options") or b"{}"


def _retry(retry: Optional[Mapping[str, float]]) -> Optional[Dict[str, int]]:
    """``{"max_attempts": 6, "deadline": 60.0, "base_delay": 0.5, "max_delay": 30.0}`` (seconds)."""
    if retry is None:
        return None
    out: Dict[str, int] = {}
    for k, v in retry.items():
        if k == "max_attempts":
            out[k] = int(v)
        elif k in ("deadline", "base_delay", "max_delay"):
            out[f"{k}_ms"] = int(v * 1000)
        else:
            raise InvalidInputError(f"invalid retry: unknown setting {k!r}")
    return out


class _Handle:
    _free = None

    def __init__(self) -> None:
        self._ptr = ctypes.c_void_p()

    def _live(self) -> ctypes.c_void_p:
        if not self._ptr.value:
            raise InvalidInputError(f"invalid {type(self).__name__}: already closed")
        return self._ptr

    def close(self) -> None:
        """Frees the native handle (idempotent)."""
        if self._ptr.value:
            type(self)._free(self._ptr)
            self._ptr = ctypes.c_void_p()

    def __enter__(self):
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass


class RestClient(_Handle):
    """The REST API v2.

    ``token``: a 20-character REST API key (``token_kind="general"`` or ``"user"``) or an OAuth
    token (``token_kind="oauth"``). ``region``: ``"us"``, ``"eu"`` or a base URL (https, or
    http on loopback). ``from_email``: sent as ``From`` where PagerDuty requires it.
    ``timeout`` in seconds; ``retry``: ``{"max_attempts", "deadline", "base_delay", "max_delay"}``.
    """

    _free = staticmethod(_n.pd_rest_free)

    def __init__(
        self,
        token: str,
        region: str = "us",
        *,
        token_kind: str = "general",
        from_email: Optional[str] = None,
        timeout: float = 30.0,
        retry: Optional[Mapping[str, float]] = None,
        user_agent: Optional[str] = None,
    ) -> None:
        super().__init__()
        opts = _options(
            region=region,
            token_kind=token_kind,
            **{"from": from_email},
            timeout_ms=int(timeout * 1000),
            retry=_retry(retry),
            user_agent=user_agent,
        )
        _check(_n.pd_rest_new(_c(token, "token"), opts, ctypes.byref(self._ptr)))

    def request(self, method: str, path: str, params: Optional[Mapping[str, Any]] = None, json_body: Json = None) -> Json:
        """Any call; returns the decoded body (``None`` for an empty one)."""
        out = ctypes.c_void_p()
        _check(
            _n.pd_rest_request(
                self._live(), _c(method, "method"), _c(path, "path"), _json(params, "params"), _json(json_body, "json"), ctypes.byref(out)
            )
        )
        text = _take(out)
        return json.loads(text) if text else None

    def get(self, path: str, params: Optional[Mapping[str, Any]] = None) -> Json:
        return self.request("GET", path, params)

    def post(self, path: str, json: Json = None, params: Optional[Mapping[str, Any]] = None) -> Json:
        return self.request("POST", path, params, json)

    def put(self, path: str, json: Json = None, params: Optional[Mapping[str, Any]] = None) -> Json:
        return self.request("PUT", path, params, json)

    def delete(self, path: str, params: Optional[Mapping[str, Any]] = None) -> Json:
        return self.request("DELETE", path, params)

    def op(self, operation: str, **args: Any) -> Json:
        """One of libpagerduty's typed operations (see ``pd_rest_op`` in pagerduty.h)."""
        out = ctypes.c_void_p()
        _check(_n.pd_rest_op(self._live(), _c(operation, "operation"), _json(args, "args"), ctypes.byref(out)))
        text = _take(out)
        return json.loads(text) if text else None

    def pager(self, path: str, params: Optional[Mapping[str, Any]] = None) -> "Pager":
        """A pager over a list endpoint (classic or cursor, chosen from PagerDuty's spec)."""
        return Pager(self, path, params)

    def iter_pages(self, path: str, params: Optional[Mapping[str, Any]] = None) -> Iterator[List[Json]]:
        """Each page's items, one page at a time."""
        with self.pager(path, params) as p:
            yield from p

    def iter_all(self, path: str, params: Optional[Mapping[str, Any]] = None) -> Iterator[Json]:
        """Every item of a list endpoint, fetching one page at a time."""
        for page in self.iter_pages(path, params):
            yield from page

    # Typed helpers over the common operations.
    def list_incidents(self, **filters: Any) -> Iterator[Json]:
        """Incidents; filters such as ``statuses=["triggered"]``, ``service_ids``, ``team_ids``,
        ``urgencies``, ``since``, ``until`` (array filters get their ``[]``)."""
        return self.iter_all("/incidents", filters)

    def get_incident(self, incident_id: str) -> Json:
        return self.op("get_incident", id=incident_id)

    def update_incident(self, incident_id: str, **update: Any) -> Json:
        """``status="acknowledged"``, ``resolution=...``, ``urgency``, ``title``,
        ``escalation_level``, ``assignee_ids``, ``priority_id``, ``escalation_policy_id``."""
        return self.op("update_incident", id=incident_id, update=update)

    def acknowledge_incident(self, incident_id: str) -> Json:
        return self.update_incident(incident_id, status="acknowledged")

    def resolve_incident(self, incident_id: str, resolution: Optional[str] = None) -> Json:
        return self.update_incident(incident_id, status="resolved", **({"resolution": resolution} if resolution else {}))

    def create_incident(self, title: str, service_id: str, **fields: Any) -> Json:
        return self.op("create_incident", title=title, service_id=service_id, **fields)

    def list_notes(self, incident_id: str) -> List[Json]:
        return self.op("list_incident_notes", id=incident_id)

    def add_note(self, incident_id: str, content: str) -> Json:
        return self.op("create_incident_note", id=incident_id, content=content)

    def current_user(self) -> Json:
        return self.op("current_user")

    def get_user(self, user_id: str) -> Json:
        return self.op("get_user", id=user_id)

    def contact_methods(self, user_id: str) -> List[Json]:
        return self.op("list_contact_methods", user_id=user_id)

    def notification_rules(self, user_id: str, urgency: Optional[str] = None) -> List[Json]:
        return self.op("list_notification_rules", user_id=user_id, urgency=urgency)

    def get_service(self, service_id: str) -> Json:
        return self.op("get_service", id=service_id)

    def oncalls(self, **filters: Any) -> Iterator[Json]:
        return self.iter_all("/oncalls", filters)

    def has_ability(self, ability: str) -> bool:
        return bool(self.op("test_ability", ability=ability))


class Pager(_Handle):
    """Pages of a list endpoint; iterate it for lists of items. One thread at a time."""

    _free = staticmethod(_n.pd_pager_free)

    def __init__(self, client: RestClient, path: str, params: Optional[Mapping[str, Any]] = None) -> None:
        super().__init__()
        _check(_n.pd_pager_new(client._live(), _c(path, "path"), _json(params, "params"), ctypes.byref(self._ptr)))

    def __iter__(self) -> Iterator[List[Json]]:
        return self

    def __next__(self) -> List[Json]:
        out = ctypes.c_void_p()
        _check(_n.pd_pager_next(self._live(), ctypes.byref(out)))
        if not out.value:
            raise StopIteration
        try:
            # One parse of the page's array, straight from the C buffer.
            return json.loads(ctypes.string_at(out.value))
        finally:
            _n.pd_string_free(out.value)

    @property
    def truncated(self) -> bool:
        """True when the walk stopped at PagerDuty's 10,000-item cap with items left."""
        flag = ctypes.c_bool()
        _check(_n.pd_pager_truncated(self._live(), ctypes.byref(flag)))
        return flag.value


class EventsClient(_Handle):
    """The Events API v2 (and v1) for one 32-character integration key."""

    _free = staticmethod(_n.pd_events_free)

    def __init__(
        self,
        routing_key: str,
        region: str = "us",
        *,
        timeout: float = 30.0,
        retry: Optional[Mapping[str, float]] = None,
        truncate_summary: bool = False,
    ) -> None:
        super().__init__()
        opts = _options(region=region, timeout_ms=int(timeout * 1000), retry=_retry(retry), truncate_summary=truncate_summary)
        _check(_n.pd_events_new(_c(routing_key, "routing_key"), opts, ctypes.byref(self._ptr)))

    def trigger(self, summary: str, source: str, severity: str = "error", **fields: Any) -> str:
        """Triggers an alert and returns its dedup_key (generated before the first attempt when
        not given, so retries never open a second alert). Other fields: ``dedup_key``,
        ``timestamp``, ``component``, ``group``, ``class_`` (``class``), ``custom_details``,
        ``images``, ``links``, ``client``, ``client_url``."""
        if "class_" in fields:
            fields["class"] = fields.pop("class_")
        body = dict(fields, summary=summary, source=source, severity=severity)
        out = ctypes.c_void_p()
        _check(_n.pd_events_trigger(self._live(), _json(body, "trigger"), ctypes.byref(out)))
        return _take(out) or ""

    def acknowledge(self, dedup_key: str) -> None:
        _check(_n.pd_events_acknowledge(self._live(), _c(dedup_key, "dedup_key")))

    def resolve(self, dedup_key: str) -> None:
        _check(_n.pd_events_resolve(self._live(), _c(dedup_key, "dedup_key")))

    def change(self, summary: str, **fields: Any) -> None:
        """A change event: ``source``, ``timestamp``, ``custom_details``, ``links``."""
        _check(_n.pd_events_change(self._live(), _json(dict(fields, summary=summary), "change")))

    def v1(self, action: str, **event: Any) -> str:
        """A legacy Events API v1 event; returns the incident_key."""
        out = ctypes.c_void_p()
        _check(_n.pd_events_v1(self._live(), _c(action, "action"), _json(event, "event"), ctypes.byref(out)))
        return _take(out) or ""


def verify_webhook(
    secrets: Union[str, Sequence[str]], signature_header: str, body: bytes, *, max_body: int = 0
) -> Dict[str, Any]:
    """Verifies ``X-PagerDuty-Signature`` over the raw body (bytes, as received) and returns the
    event. Several secrets may be given while one is rotated. Raises InvalidSignatureError."""
    if isinstance(secrets, str):
        secrets = [secrets]
    if not isinstance(body, (bytes, bytearray)):
        raise InvalidInputError("invalid body: must be the raw bytes as received")
    arr = (ctypes.c_char_p * max(len(secrets), 1))(*[_c(s, "secret") for s in secrets])
    out = ctypes.c_void_p()
    _check(_n.pd_webhook_verify(arr, len(secrets), _c(signature_header, "signature_header"), bytes(body), len(body), max_body, ctypes.byref(out)))
    return json.loads(_take(out) or "null")


def build_request(spec: Mapping[str, Any]) -> Dict[str, Any]:
    """The sans-IO layer: a request as ``{"api", "method", "url", "headers", "body",
    "dedup_key"}`` for your own HTTP client (see ``pd_build_request``)."""
    out = ctypes.c_void_p()
    _check(_n.pd_build_request(_json(dict(spec), "spec"), ctypes.byref(out)))
    return json.loads(_take(out) or "null")


def parse_response(api: str, status: int, headers: Union[Mapping[str, str], Iterable[Sequence[str]], None], body: bytes) -> Json:
    """Reads a response to a request from :func:`build_request`; raises the matching error."""
    if isinstance(headers, Mapping):
        headers = list(headers.items())
    hdrs = _json([list(h) for h in headers] if headers is not None else None, "headers")
    out = ctypes.c_void_p()
    _check(_n.pd_parse_response(_c(api, "api"), status, hdrs, bytes(body), len(body), ctypes.byref(out)))
    text = _take(out)
    return json.loads(text) if text else None
