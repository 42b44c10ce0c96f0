"""Exceptions, one class per pd_status, all under PagerDutyError."""

import json
from typing import Any, Dict, List, Optional, Type


class PagerDutyError(Exception):
    """Any failure. ``code`` is the stable string code (``"rate_limited"``); ``status`` the
    HTTP status when there was a response; ``pagerduty_code``, ``errors`` and ``request_id``
    are what PagerDuty said. Messages never contain a key."""

    code = "error"

    def __init__(self, message: str, details: Optional[Dict[str, Any]] = None) -> None:
        super().__init__(message)
        d = details or {}
        self.message = message
        self.status: Optional[int] = d.get("http_status")
        self.pagerduty_code: Optional[int] = d.get("pagerduty_code")
        self.errors: List[str] = list(d.get("errors") or [])
        self.request_id: Optional[str] = d.get("request_id")
        ms = d.get("retry_after_ms")
        self.retry_after: Optional[float] = ms / 1000.0 if ms is not None else None


class InvalidInputError(PagerDutyError, ValueError):
    code = "invalid_input"


class WrongKeyKindError(InvalidInputError):
    code = "wrong_key_kind"


class ApiError(PagerDutyError):
    """PagerDuty (or something in between) answered with an error status."""


class UnauthorizedError(ApiError):
    code = "unauthorized"


class ForbiddenError(ApiError):
    code = "forbidden"


class NotFoundError(ApiError):
    code = "not_found"


class RateLimitedError(ApiError):
    code = "rate_limited"


class InvalidEventError(ApiError):
    code = "invalid_event"


class HttpError(ApiError):
    code = "http_error"


class TransportError(PagerDutyError, ConnectionError):
    code = "transport"


class PagerDutyTimeoutError(TransportError, TimeoutError):
    code = "timeout"


class DecodeError(PagerDutyError):
    code = "decode"


class InvalidSignatureError(PagerDutyError):
    code = "invalid_signature"


class CancelledError(PagerDutyError):
    code = "cancelled"


class InternalError(PagerDutyError):
    code = "internal"


def _by_code() -> Dict[str, Type[PagerDutyError]]:
    out: Dict[str, Type[PagerDutyError]] = {}
    todo = [PagerDutyError]
    while todo:
        cls = todo.pop()
        out.setdefault(cls.code, cls)
        todo.extend(cls.__subclasses__())
    return out


# The library names each pd_status (pd_status_name); each class declares the name it stands for,
# so the numbers live only in include/pagerduty.h.
BY_CODE: Dict[str, Type[PagerDutyError]] = _by_code()


def from_status(code: str, message: str, details_json: Optional[str]) -> PagerDutyError:
    """The exception for a failed call: ``code`` is ``pd_status_name(status)``."""
    details = json.loads(details_json) if details_json else {}
    return BY_CODE.get(code, PagerDutyError)(message, details)
