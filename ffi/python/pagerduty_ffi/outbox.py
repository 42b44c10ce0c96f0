"""The durable outbox: an event that an enqueue accepted is on disk (appended and fsynced) before
the call returns, and reaches PagerDuty through crashes, restarts, outages and rate limits.

The rules are libpagerduty's (pagerduty-client's outbox over the core's scheduler): events of one
routing key go out in order, one at a time (a resolve never overtakes its trigger); each key is
paced (120 a minute by default); 429s, 5xx and network failures are retried for as long as the
event is younger than ``max_age`` (24 h); anything else PagerDuty refuses becomes a dead letter
with its reasons. A trigger's dedup_key is fixed at enqueue, so a resend after a crash is a
duplicate PagerDuty ignores while the alert is open.

One process owns a directory (a lock): :class:`Outbox`. Other processes hand it events with
:func:`spool`; :func:`inspect_outbox` reads one without owning it.
"""

import ctypes
import math
import os
from typing import Any, Dict, Iterable, List, Literal, Mapping, Optional, TypedDict, Union, cast

from . import _Handle, _c, _error, _json, _loads, _ms, _number, _options, _path, _retry, _take
from . import _native as _n
from .errors import InvalidInputError

__all__ = ["Outbox", "Queued", "OutboxStats", "OutboxKeyStats", "DeadLetter", "OutboxInspection", "spool", "inspect_outbox"]

PathLike = Union[str, "os.PathLike[str]"]


class Queued(TypedDict):
    """An event on disk: its ``id`` in the journal and its ``dedup_key`` (v1: incident_key), fixed
    at enqueue (the event's own or a generated one); ``None`` for a change event."""

    id: int
    dedup_key: Optional[str]


class OutboxKeyStats(TypedDict):
    """One routing key's backlog. ``key`` is the key's fingerprint (the first 12 hex digits of
    its SHA-256), never the key; ``last_error`` the last failure of the event at the head of its
    queue."""

    key: str
    queued: int
    in_flight: int
    sent_in_window: int
    next_send_in_ms: int
    last_error: Optional[str]


class OutboxStats(TypedDict):
    """A snapshot: events ``queued`` (not yet delivered or dead, in flight included), ``in_flight``,
    ``delivered`` and ``dead`` over the journal's life, the age of the oldest queued event, the
    pace (``rate_limit`` sends per key per ``rate_window_ms``; 0 = off), and per key the backlog."""

    queued: int
    in_flight: int
    delivered: int
    dead: int
    oldest_age_ms: int
    rate_limit: int
    rate_window_ms: int
    keys: List[OutboxKeyStats]


class DeadLetter(TypedDict):
    """An event that will not be sent again unless retried (:meth:`Outbox.retry_dead`): ``code``
    (``invalid_event``, ``unauthorized``, ``not_found``, ``http_error``, ... or ``expired``),
    ``reason`` and PagerDuty's ``errors``, the HTTP ``status`` when something answered, and the
    ``event`` body. ``key`` is the routing key's fingerprint, never the key."""

    id: int
    key: str
    kind: Literal["v2", "change", "v1"]
    dedup_key: Optional[str]
    enqueued_ms: int
    dead_ms: int
    code: str
    reason: str
    status: Optional[int]
    errors: List[str]
    attempts: int
    event: Dict[str, Any]


class OutboxInspection(TypedDict):
    """What :func:`inspect_outbox` reads: the stats, the dead letters, and how many spool files
    wait in ``DIR/incoming`` for the owner."""

    stats: OutboxStats
    dead_letters: List[DeadLetter]
    spooled: int


def _options_json(
    options: Optional[Mapping[str, Any]],
    region: Optional[str],
    timeout: Optional[float],
    retry: Optional[Mapping[str, float]],
    rate_limit: Optional[int],
    rate_window: Optional[float],
    max_age: Optional[float],
    max_in_flight: Optional[int],
    fsync: Optional[bool],
    extra: Mapping[str, Any],
) -> bytes:
    """The options object libpagerduty reads: ``options`` (as given, in its own units: ms),
    with the keyword arguments (seconds) over it."""
    if options is not None and not isinstance(options, Mapping):
        raise InvalidInputError(f"invalid options: must be a mapping, not {type(options).__name__}")
    merged: Dict[str, Any] = dict(options or {})
    outbox = {
        "rate_limit": _number(rate_limit),
        "rate_window_ms": _ms(rate_window),
        "max_age_ms": _ms(max_age),
        "max_in_flight": _number(max_in_flight),
        "fsync": fsync,
    }
    outbox = {k: v for k, v in outbox.items() if v is not None}
    if outbox:
        base = merged.get("outbox")
        merged["outbox"] = dict(base, **outbox) if isinstance(base, Mapping) else outbox
    given = {"region": region, "timeout_ms": _ms(timeout), "retry": _retry(retry), **extra}
    merged.update({k: v for k, v in given.items() if v is not None})
    return _options(**merged)


def _event(kind: str, fields: Dict[str, Any]) -> Dict[str, Any]:
    """``pd_outbox_enqueue``'s event object: ``{"action", "event"}``."""
    if "class_" in fields:
        fields["class"] = fields.pop("class_")
    return {"action": kind, "event": fields}


class Outbox(_Handle):
    """A durable outbox in the directory ``dir``, owned by this process (created if missing; the
    journal ``DIR/journal`` is mode 0600: it holds routing keys). Opening repairs a torn last
    record, takes in events spooled by other processes, and sends nothing until :meth:`flush`
    or :meth:`start`. A second owner (another process, or another ``Outbox`` here) is refused
    with InvalidInputError: hand it events with :func:`spool` instead.

    ``region``: ``"us"``, ``"eu"`` or a base URL. ``rate_limit``: sends per routing key per
    ``rate_window`` seconds (120 a minute; 0 turns pacing off); ``max_age``: seconds after
    which an undelivered event is a dead letter (a day); ``max_in_flight``: events out at once
    (16); ``fsync``: make every append durable (True; False only for tests). ``retry``:
    ``{"base_delay", "max_delay"}`` seconds between attempts (there is no deadline: ``max_age``
    bounds the retries). ``timeout`` (seconds per attempt), ``truncate_summary``,
    ``max_response_bytes``, ``ca_file``, ``ca_pem``, ``user_agent`` as for
    :class:`~pagerduty_ffi.EventsClient`. ``options``: the options object every binding reads
    (``{"region", "timeout_ms", "retry": {"base_delay_ms", ...}, "outbox": {"rate_limit",
    "rate_window_ms", "max_age_ms", "max_in_flight", "fsync"}, ...}``), under the keywords.

    Thread-safe. A context manager: leaving the block closes the outbox (what is queued stays on
    disk for the next opener; :meth:`flush` first to send it now). ``close()`` may be called from
    any thread: a :meth:`flush` in progress ends with CancelledError."""

    _free = staticmethod(_n.pd_outbox_free)
    _cancel = staticmethod(_n.pd_outbox_close)

    def __init__(
        self,
        dir: PathLike,
        region: Optional[str] = None,
        *,
        options: Optional[Mapping[str, Any]] = None,
        rate_limit: Optional[int] = None,
        rate_window: Optional[float] = None,
        max_age: Optional[float] = None,
        max_in_flight: Optional[int] = None,
        fsync: Optional[bool] = None,
        timeout: Optional[float] = None,
        retry: Optional[Mapping[str, float]] = None,
        truncate_summary: Optional[bool] = None,
        max_response_bytes: Optional[int] = None,
        ca_file: Optional[PathLike] = None,
        ca_pem: Optional[str] = None,
        user_agent: Optional[str] = None,
    ) -> None:
        super().__init__()
        self._dir = os.fspath(dir) if isinstance(dir, os.PathLike) else dir
        opts = _options_json(
            options,
            region,
            timeout,
            retry,
            rate_limit,
            rate_window,
            max_age,
            max_in_flight,
            fsync,
            {
                "truncate_summary": truncate_summary,
                "max_response_bytes": _number(max_response_bytes),
                "ca_file": _path(ca_file),
                "ca_pem": ca_pem,
                "user_agent": user_agent,
            },
        )
        status = _n.pd_outbox_open(_c(self._dir, "dir"), opts, ctypes.byref(self._ptr))
        if status:
            raise _error(status)

    @property
    def dir(self) -> str:
        """The directory."""
        return self._dir

    def _text(self, fn: Any, *args: Any) -> Optional[str]:
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

    def enqueue(self, routing_key: str, event: Mapping[str, Any]) -> Queued:
        """Queues an event for the 32-character ``routing_key`` and returns once it is on disk.
        ``event`` is ``pd_outbox_enqueue``'s object: ``{"action": "trigger", "event": {...}}``,
        ``{"action": "acknowledge" | "resolve", "dedup_key": ...}``, ``{"action": "change",
        "event": {...}}`` or ``{"action": "v1_trigger" | "v1_acknowledge" | "v1_resolve",
        "event": {...}}``."""
        if not isinstance(event, Mapping):
            raise InvalidInputError(f"invalid event: must be a mapping, not {type(event).__name__}")
        text = self._text(_n.pd_outbox_enqueue, _c(routing_key, "routing_key"), _json(dict(event), "event"))
        return cast(Queued, _loads(text or "null"))

    def trigger(
        self,
        routing_key: str,
        summary: str,
        source: str,
        severity: Literal["critical", "error", "warning", "info"],
        **fields: Any,
    ) -> Queued:
        """Queues a trigger. Its dedup_key is fixed now (``dedup_key=`` or a generated one) so a
        resend never opens a second alert. Other fields as for
        :meth:`~pagerduty_ffi.EventsClient.trigger` (``timestamp``, ``component``, ``group``,
        ``class_``, ``custom_details``, ``images``, ``links``, ``client``, ``client_url``)."""
        return self.enqueue(routing_key, _event("trigger", dict(fields, summary=summary, source=source, severity=severity)))

    def acknowledge(self, routing_key: str, dedup_key: str) -> Queued:
        """Queues an acknowledge of the alert with ``dedup_key`` (after its key's earlier events)."""
        return self.enqueue(routing_key, {"action": "acknowledge", "dedup_key": dedup_key})

    def resolve(self, routing_key: str, dedup_key: str) -> Queued:
        """Queues a resolve of the alert with ``dedup_key`` (never before its trigger)."""
        return self.enqueue(routing_key, {"action": "resolve", "dedup_key": dedup_key})

    def change(self, routing_key: str, summary: str, **fields: Any) -> Queued:
        """Queues a change event: ``source``, ``timestamp``, ``custom_details``, ``links``."""
        return self.enqueue(routing_key, _event("change", dict(fields, summary=summary)))

    def v1(self, routing_key: str, action: Literal["trigger", "acknowledge", "resolve"], **event: Any) -> Queued:
        """Queues a legacy Events API v1 event (``incident_key``, ``description``, ``details``,
        ...)."""
        if not isinstance(action, str):
            raise InvalidInputError(f"invalid action: must be a str, not {type(action).__name__}")
        return self.enqueue(routing_key, {"action": "v1_" + action, "event": event})

    def flush(self, timeout: float = 30.0) -> OutboxStats:
        """Sends on this thread until nothing is queued or ``timeout`` seconds pass (with
        :meth:`start`'s sender running, waits for it instead); the stats at the end. A paced or
        failing queue may not empty: check ``stats["queued"]``; what is left stays on disk."""
        ms = _ms(timeout)
        if isinstance(ms, bool) or not isinstance(ms, (int, float)) or not math.isfinite(ms) or ms < 0:
            raise InvalidInputError(f"invalid timeout: must be a number of seconds >= 0, not {timeout!r}")
        text = self._text(_n.pd_outbox_flush, min(int(ms), 2**64 - 1))
        return cast(OutboxStats, _loads(text or "null"))

    def start(self) -> None:
        """Starts a background thread (in libpagerduty) that sends as events come; idempotent.
        It stops at :meth:`close`."""
        ptr = self._enter()
        try:
            status = _n.pd_outbox_start(ptr)
            error = _error(status) if status else None
        finally:
            self._leave()
        if error is not None:
            raise error

    def stats(self) -> OutboxStats:
        """A snapshot (see :class:`OutboxStats`)."""
        return cast(OutboxStats, _loads(self._text(_n.pd_outbox_stats) or "null"))

    def dead_letters(self) -> List[DeadLetter]:
        """The dead letters, with PagerDuty's reasons (never a routing key)."""
        return cast(List[DeadLetter], _loads(self._text(_n.pd_outbox_dead) or "[]"))

    def retry_dead(self, ids: Optional[Iterable[int]] = None) -> int:
        """Puts dead letters back at the end of their keys' queues (those with ``ids``, or all);
        how many."""
        arg = None if ids is None else _json([_number(i) for i in ids], "ids")
        count = ctypes.c_uint64()
        ptr = self._enter()
        try:
            status = _n.pd_outbox_retry_dead(ptr, arg, ctypes.byref(count))
            error = _error(status) if status else None
        finally:
            self._leave()
        if error is not None:
            raise error
        return count.value

    def close(self) -> None:
        """Stops the sender and ends the outbox: a :meth:`flush` in progress ends with
        CancelledError, later calls fail with InvalidInputError ("already closed"), then the
        directory is given up. What is queued stays on disk for the next opener. Idempotent;
        safe from any thread."""
        super().close()


def spool(
    dir: PathLike,
    routing_key: str,
    event: Mapping[str, Any],
    *,
    options: Optional[Mapping[str, Any]] = None,
    region: Optional[str] = None,
    truncate_summary: Optional[bool] = None,
) -> Optional[str]:
    """Hands an event to the process that owns the outbox in ``dir`` (or to its next opener)
    without owning it: a file in ``DIR/incoming``, durable when this returns. ``event`` as for
    :meth:`Outbox.enqueue`. Returns the event's dedup_key (``None`` for a change event)."""
    if not isinstance(event, Mapping):
        raise InvalidInputError(f"invalid event: must be a mapping, not {type(event).__name__}")
    opts = _options_json(options, region, None, None, None, None, None, None, None, {"truncate_summary": truncate_summary})
    path = os.fspath(dir) if isinstance(dir, os.PathLike) else dir
    out = ctypes.c_void_p()
    status = _n.pd_outbox_spool(_c(path, "dir"), opts, _c(routing_key, "routing_key"), _json(dict(event), "event"), ctypes.byref(out))
    error = _error(status) if status else None
    text = _take(out)
    if error is not None:
        raise error
    result = _loads(text or "{}")
    key = result.get("dedup_key") if isinstance(result, dict) else None
    return key if isinstance(key, str) else None


def inspect_outbox(dir: PathLike) -> OutboxInspection:
    """Reads the outbox in ``dir`` without owning it (its owner may be running): stats, dead
    letters, and spool files not yet taken in."""
    path = os.fspath(dir) if isinstance(dir, os.PathLike) else dir
    out = ctypes.c_void_p()
    status = _n.pd_outbox_inspect(_c(path, "dir"), ctypes.byref(out))
    error = _error(status) if status else None
    text = _take(out)
    if error is not None:
        raise error
    return cast(OutboxInspection, _loads(text or "null"))

