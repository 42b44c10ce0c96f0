"""Webhooks v3, typed: the event types, a dispatcher and a replay guard.

The event types are the core's list (``WebhookEventType``, a ``Literal``; generated). A type
not in it is kept, handed to the ``other`` handlers with its ``data`` as sent, never an error.

PagerDuty repeats ``X-Webhook-Id`` on every delivery attempt of a webhook and tries again when
no 2xx comes within 5 seconds: ``WebhookRouter.handle`` verifies the signature, skips a webhook
its ``ReplayGuard`` has seen, dispatches, and remembers the ID only once the handlers returned
(so a delivery whose handler raised is handled again when PagerDuty retries it).
"""

from __future__ import annotations

import ctypes
import threading
from typing import Any, Callable, Dict, List, Literal, Mapping, Optional, Sequence, Tuple, TypeVar, Union

from . import _c, _check, _json, _loads, _take, verify_webhook
from . import _native as _n

# <generated:event-types>
WebhookEventType = Literal[
    "incident.acknowledged",
    "incident.annotated",
    "incident.conference_bridge.updated",
    "incident.custom_field_values.updated",
    "incident.delegated",
    "incident.escalated",
    "incident.incident_type.changed",
    "incident.priority_updated",
    "incident.reassigned",
    "incident.reopened",
    "incident.resolved",
    "incident.responder.added",
    "incident.responder.replied",
    "incident.role.assigned",
    "incident.service_updated",
    "incident.status_update_published",
    "incident.task.completed",
    "incident.task.created",
    "incident.task.updated",
    "incident.triggered",
    "incident.unacknowledged",
    "incident.action_invocation.created",
    "incident.action_invocation.terminated",
    "incident.action_invocation.updated",
    "incident.workflow.started",
    "incident.workflow.completed",
    "service.created",
    "service.custom_field_values.updated",
    "service.deleted",
    "service.updated",
    "pagey.ping",
]
"""Every webhook v3 event type PagerDuty documents."""

WEBHOOK_EVENT_TYPES: Dict[str, Tuple[int, str]] = {
    "incident.acknowledged": (1, "incident"),
    "incident.annotated": (2, "incident_note"),
    "incident.conference_bridge.updated": (3, "incident_conference_bridge"),
    "incident.custom_field_values.updated": (4, "incident_field_values"),
    "incident.delegated": (5, "incident"),
    "incident.escalated": (6, "incident"),
    "incident.incident_type.changed": (7, "incident"),
    "incident.priority_updated": (8, "incident"),
    "incident.reassigned": (9, "incident"),
    "incident.reopened": (10, "incident"),
    "incident.resolved": (11, "incident"),
    "incident.responder.added": (12, "incident_responder"),
    "incident.responder.replied": (13, "incident_responder"),
    "incident.role.assigned": (14, "incident_role_assignment"),
    "incident.service_updated": (15, "incident"),
    "incident.status_update_published": (16, "incident_status_update"),
    "incident.task.completed": (17, "incident_task"),
    "incident.task.created": (18, "incident_task"),
    "incident.task.updated": (19, "incident_task"),
    "incident.triggered": (20, "incident"),
    "incident.unacknowledged": (21, "incident"),
    "incident.action_invocation.created": (22, "incident_action_invocation"),
    "incident.action_invocation.terminated": (23, "incident_action_invocation"),
    "incident.action_invocation.updated": (24, "incident_action_invocation"),
    "incident.workflow.started": (25, "incident_workflow_instance"),
    "incident.workflow.completed": (26, "incident_workflow_instance"),
    "service.created": (27, "service"),
    "service.custom_field_values.updated": (28, "service_field_values"),
    "service.deleted": (29, "service"),
    "service.updated": (30, "service"),
    "pagey.ping": (31, "ping"),
}
"""Each type's C code (``PD_WEBHOOK_EVENT_TYPE_*``) and ``data.type``."""
# </generated:event-types>

Handler = Callable[[Dict[str, Any]], Any]
"""A handler: called with the event (the payload's ``event`` object, as a dict)."""

F = TypeVar("F", bound=Handler)


class ReplayGuard:
    """The ``X-Webhook-Id`` s of the webhooks handled: a bounded LRU (the core's), owned by the
    caller. Thread-safe. ``seen(id)`` before handling, ``remember(id)`` once handled."""

    def __init__(self, capacity: int = 10_000) -> None:
        """Remembers up to ``capacity`` IDs (1 to 10,000,000); the least recently seen go first."""
        handle = ctypes.c_void_p()
        _check(_n.pd_replay_guard_new(capacity, ctypes.byref(handle)))
        self._handle: Optional[ctypes.c_void_p] = handle
        self._lock = threading.Lock()

    def _live(self) -> ctypes.c_void_p:
        if self._handle is None:
            raise ValueError("the replay guard is closed")
        return self._handle

    def seen(self, webhook_id: str) -> bool:
        """Whether this webhook was remembered before (an empty ID never is)."""
        out = ctypes.c_bool()
        _check(_n.pd_replay_guard_seen(self._live(), _c(webhook_id, "webhook_id"), ctypes.byref(out)))
        return bool(out.value)

    def remember(self, webhook_id: str) -> None:
        """Records this webhook as handled."""
        _check(_n.pd_replay_guard_remember(self._live(), _c(webhook_id, "webhook_id"), False))

    def forget(self, webhook_id: str) -> None:
        """Forgets this webhook (its handling failed after all)."""
        _check(_n.pd_replay_guard_remember(self._live(), _c(webhook_id, "webhook_id"), True))

    def close(self) -> None:
        """Frees the guard (also done when it is collected)."""
        with self._lock:
            if self._handle is not None:
                _n.pd_replay_guard_free(self._handle)
                self._handle = None

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass


class WebhookRouter:
    """Calls the handlers registered for an event's type::

        router = WebhookRouter(secrets, ReplayGuard(10_000))

        @router.on("incident.acknowledged")
        def acked(event):
            print(event["data"]["id"])

        status = router.handle(headers, raw_body)  # 200, 204 (duplicate) or raises
    """

    def __init__(self, secrets: Union[str, Sequence[str], None] = None, guard: Optional[ReplayGuard] = None) -> None:
        """``secrets``: the subscription's webhook secret(s) (needed by ``handle``; several
        while rotating); ``guard``: a ``ReplayGuard`` (optional)."""
        self.secrets = secrets
        self.guard = guard
        self._handlers: Dict[str, List[Handler]] = {}
        self._other: List[Handler] = []

    def on(self, event_type: WebhookEventType) -> Callable[[F], F]:
        """A decorator registering a handler for ``event_type``."""
        if event_type not in WEBHOOK_EVENT_TYPES:
            raise ValueError(f"invalid event_type: {event_type!r} is not a webhook event type (use on_other for unknown ones)")

        def register(fn: F) -> F:
            self._handlers.setdefault(event_type, []).append(fn)
            return fn

        return register

    def on_other(self, fn: F) -> F:
        """A decorator registering a handler for event types not in ``WebhookEventType``."""
        self._other.append(fn)
        return fn

    def dispatch(self, event: Mapping[str, Any]) -> int:
        """Calls the handlers of ``event["event_type"]``; returns how many were called."""
        kind = event.get("event_type")
        handlers = self._handlers.get(kind, []) if kind in WEBHOOK_EVENT_TYPES else self._other
        for h in handlers:
            h(dict(event))
        return len(handlers)

    def handle(self, headers: Mapping[str, str], body: bytes) -> int:
        """Verifies, dedupes and dispatches one delivery; returns the HTTP status to answer:
        200 when handled, 200 too for a re-delivery already handled (nothing is called).
        Raises ``InvalidSignatureError`` (answer 401) or a handler's exception (answer 500:
        PagerDuty retries)."""
        if self.secrets is None:
            raise ValueError("WebhookRouter.handle needs the webhook secrets")
        lower = {k.lower(): v for k, v in headers.items()}
        event = verify_webhook(self.secrets, lower.get("x-pagerduty-signature"), body)
        webhook_id = lower.get("x-webhook-id", "")
        if self.guard is not None and webhook_id and self.guard.seen(webhook_id):
            return 200
        try:
            self.dispatch(event)
        except BaseException:
            raise
        if self.guard is not None and webhook_id:
            self.guard.remember(webhook_id)
        return 200


def event_type_code(event_type: str) -> int:
    """C's ``PD_WEBHOOK_EVENT_TYPE_*`` code of a type; 0 for one not in the list."""
    return WEBHOOK_EVENT_TYPES.get(event_type, (0, ""))[0]


def dedup_key(fields: Mapping[str, Any]) -> str:
    """A dedup key from named fields (str, int, float or bool values): ``dk1-`` and 64 hex
    digits, the same for the same fields in every runtime; order does not matter."""
    out = ctypes.c_void_p()
    _check(_n.pd_dedup_key(_json(dict(fields), "fields"), ctypes.byref(out)))
    return _take(out) or ""


__all__ = [
    "WebhookEventType",
    "WEBHOOK_EVENT_TYPES",
    "ReplayGuard",
    "WebhookRouter",
    "Handler",
    "event_type_code",
    "dedup_key",
]
