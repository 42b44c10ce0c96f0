"""Exceptions, one class per pd_status, all under PagerDutyError."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported with the package (issue 17), json only by from_status
    from typing import Any, Dict, List, Optional, Type


class PagerDutyError(Exception):
    """Any failure. ``code`` is the stable string code (``"rate_limited"``); ``status`` the
    HTTP status when there was a response; ``pagerduty_code``, ``pagerduty_message``,
    ``errors`` and ``request_id`` are what PagerDuty said; ``field`` names the input refused;
    ``body_excerpt`` is the start of a body that could not be understood. ``dedup_key`` is, for
    an event that failed, the key it was sent with (``None`` otherwise): re-send with it and
    PagerDuty opens no second alert even if the first attempt had in fact arrived. No text here
    ever contains a key (a server that quotes one back is redacted)."""

    code = "error"

    def __init__(self, message: str, details: Optional[Dict[str, Any]] = None, dedup_key: Optional[str] = None) -> None:
        super().__init__(message)
        d = details or {}
        self.message = message
        self.dedup_key: Optional[str] = dedup_key
        status = d.get("status", d.get("http_status"))  # "http_status" in libpagerduty before 0.2
        self.status: Optional[int] = status if isinstance(status, int) else None
        self.pagerduty_code: Optional[int] = d.get("pagerduty_code")
        self.pagerduty_message: Optional[str] = d.get("pagerduty_message")
        self.errors: List[str] = list(d.get("errors") or [])
        self.request_id: Optional[str] = d.get("request_id")
        self.field: Optional[str] = d.get("field")
        self.body_excerpt: Optional[str] = d.get("body_excerpt")
        ms = d.get("retry_after_ms")
        self.retry_after: Optional[float] = ms / 1000.0 if ms is not None else None


class ApiError(PagerDutyError):
    """PagerDuty (or something in between) answered with an error status."""


# <generated:errors> (scripts/gen-bindings.sh, from the core's ErrorCode: do not edit)


class InvalidInputError(PagerDutyError, ValueError):
    """A field given by the caller is invalid; nothing was sent."""

    code = "invalid_input"


class WrongKeyKindError(InvalidInputError):
    """A key of one kind was given where another is needed; nothing was sent."""

    code = "wrong_key_kind"


class UnauthorizedError(ApiError):
    """401: the key is wrong, revoked, or for another region."""

    code = "unauthorized"


class ForbiddenError(ApiError):
    """403: a read-only key, or a user token without the permission."""

    code = "forbidden"


class NotFoundError(ApiError):
    """404: no such resource."""

    code = "not_found"


class RateLimitedError(ApiError):
    """429 (or Events API v1's 403): retry later."""

    code = "rate_limited"


class InvalidEventError(ApiError):
    """Events API 400: PagerDuty refused the event and said why."""

    code = "invalid_event"


class HttpError(ApiError):
    """Any other HTTP error status (a redirect included: never followed)."""

    code = "http_error"


class TransportError(PagerDutyError, ConnectionError):
    """No answer: connection, TLS or DNS failure."""

    code = "transport"


class PagerDutyTimeoutError(TransportError, TimeoutError):
    """No answer in time."""

    code = "timeout"


class DecodeError(PagerDutyError):
    """The answer could not be understood (or was larger than the size cap)."""

    code = "decode"


class InvalidSignatureError(PagerDutyError):
    """A webhook's signature did not verify."""

    code = "invalid_signature"


class CancelledError(PagerDutyError):
    """The caller cancelled, or closed the client."""

    code = "cancelled"


class InternalError(PagerDutyError):
    """A bug in this library (a panic caught at the boundary): please report it."""

    code = "internal"


class TruncatedError(PagerDutyError):
    """A list walk reached PagerDuty's 10,000-record offset cap with records left over."""

    code = "truncated"


class AlreadyExistsError(PagerDutyError):
    """400: it already exists (an open incident has this incident_key): nothing was created."""

    code = "already_exists"


class ScopeNotGrantedError(PagerDutyError):
    """An OAuth token came without scopes that were asked for (PagerDuty drops invalid scopes)."""

    code = "scope_not_granted"


BY_CODE: Dict[str, Type[PagerDutyError]] = {
    "invalid_input": InvalidInputError,
    "wrong_key_kind": WrongKeyKindError,
    "unauthorized": UnauthorizedError,
    "forbidden": ForbiddenError,
    "not_found": NotFoundError,
    "rate_limited": RateLimitedError,
    "invalid_event": InvalidEventError,
    "http_error": HttpError,
    "transport": TransportError,
    "timeout": PagerDutyTimeoutError,
    "decode": DecodeError,
    "invalid_signature": InvalidSignatureError,
    "cancelled": CancelledError,
    "internal": InternalError,
    "truncated": TruncatedError,
    "already_exists": AlreadyExistsError,
    "scope_not_granted": ScopeNotGrantedError,
}
# </generated:errors>


def from_status(code: str, message: str, details_json: Optional[str], dedup_key: Optional[str] = None) -> PagerDutyError:
    """The exception for a failed call: ``code`` is ``pd_status_name(status)``."""
    import json

    try:
        details = json.loads(details_json) if details_json else {}
    except ValueError:
        details = {}
    return BY_CODE.get(code, PagerDutyError)(message, details, dedup_key)
