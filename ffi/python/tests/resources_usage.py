"""Type-checked with ``mypy --strict`` (not collected by pytest): the generated resource types
(pagerduty_ffi/resources.py, from PagerDuty's OpenAPI specs) describe real use and refuse typos.

``--strict`` includes ``--warn-unused-ignores``: every ``# type: ignore[...]`` below must still
silence an error, so each proves that mypy refuses that line. Also runs under Python 3.8+.
"""
from typing import TYPE_CHECKING, List, Literal, Optional

from pagerduty_ffi.resources import (
    Ability, Alert, ChangeEvent, ChangeEventPayload, EscalationPolicy, Incident, IncidentNote,
    Note, OnCall, Oncall, Override, Service, Trigger, User, V1Event, V2Event, WebhookEvent,
    WebhookPayload,
)

if TYPE_CHECKING:
    from typing_extensions import assert_type
else:
    def assert_type(value, _type):
        return value


def incidents(incident: Incident) -> Optional[str]:
    summary = incident["assignments"][0]["assignee"]["summary"]
    # `summary` is `nullable: true` in the spec.
    assert_type(summary, Optional[str])
    incident_id: str = incident["id"]
    status = incident.get("status")
    assert_type(status, Optional[Literal["triggered", "acknowledged", "resolved"]])
    assert incident_id and status
    if TYPE_CHECKING:  # refused by mypy (and a KeyError at run time)
        incident["asignments"]  # type: ignore[typeddict-item]
        wrong: Incident = {"id": "P1", "type": "incident", "status": "open"}  # type: ignore[typeddict-item]
    return summary


def resources(alert: Alert, note: Note, service: Service, user: User, policy: EscalationPolicy,
              oncall: OnCall, override: Override, change: ChangeEvent, ability: Ability) -> None:
    same_note: IncidentNote = note
    same_oncall: Oncall = oncall
    severity = alert.get("severity")
    name: str = service["name"]
    email: str = user["email"]
    rules = policy["escalation_rules"][0]["targets"]
    level: int = oncall["escalation_level"]
    start: str = override["start"]
    summary: str = change["summary"]
    ability_name: str = ability
    del same_note, same_oncall, severity, name, email, rules, level, start, summary, ability_name
    if TYPE_CHECKING:
        oncall["id"]  # type: ignore[typeddict-item]


def events() -> List[object]:
    trigger: Trigger = {"summary": "disk full", "source": "db-1", "severity": "critical", "class": "disk"}
    event: V2Event = {"routing_key": "R0123456789abcdef0123456789abcde", "event_action": "trigger", "payload": trigger}
    change: ChangeEventPayload = {"summary": "deployed v2", "custom_details": {"build": 220}}
    v1: V1Event = {"description": "disk full", "details": {"host": "db-1"}, "client": "monitor"}
    loud: Trigger = {"summary": "s", "source": "x", "severity": "loud"}  # type: ignore[typeddict-item]
    v1_typo: V1Event = {"summary": "disk full"}  # type: ignore[typeddict-unknown-key]
    return [event, change, v1, loud, v1_typo]


def webhooks(body: WebhookPayload) -> WebhookEvent:
    event = body["event"]
    kind: str = event["event_type"]
    agent = event.get("agent")
    agent_id: Optional[str] = agent["id"] if agent is not None else None
    del kind, agent_id
    if TYPE_CHECKING:
        event["occured_at"]  # type: ignore[typeddict-item]
    return event


if __name__ == "__main__":
    sample: Incident = {
        "id": "PABC123", "type": "incident", "status": "acknowledged",
        "assignments": [{"at": "2024-01-01T00:00:00Z", "assignee": {"id": "PU1", "type": "user_reference", "summary": "Ada"}}],
    }
    assert incidents(sample) == "Ada"
    print("ok")
