"""Type-checked with ``mypy --strict`` (not collected by pytest): the generated operations
(pagerduty_ffi/_operations.py, from the core's registry) are typed end to end, and typos are
refused. ``--strict`` includes ``--warn-unused-ignores``: each ``# type: ignore[...]`` must still
silence an error. The README's Python example is here too, so it cannot rot."""
from typing import List, Optional

import pagerduty_ffi as pd


def readme(token: str, routing_key: str) -> None:
    with pd.EventsClient(routing_key, region="eu") as events:
        key: str = events.trigger("Disk full on db-1", source="db-1", severity="critical")
        assert key
    with pd.RestClient(token, region="eu", from_email="me@example.com") as rest:
        for incident in rest.list_incidents(statuses=["triggered"]):
            rest.update_incident(incident["id"], {"status": "acknowledged"})


def operations(rest: pd.RestClient) -> None:
    incident = rest.get_incident("PABC123")
    title: Optional[str] = incident.get("title")
    notes = rest.list_incident_notes("PABC123")
    first: Optional[str] = notes[0].get("content") if notes else None
    allowed: bool = rest.test_ability("teams")
    abilities: List[str] = rest.list_abilities()
    for oncall in rest.list_oncalls(earliest=True, schedule_ids=["PSCHED1"]):
        level: Optional[int] = oncall.get("escalation_level")
        del level
    rest.list_incidents(statuses=["open"])  # type: ignore[list-item]
    rest.get_incidnet("PABC123")  # type: ignore[attr-defined]
    rest.list_teams(team_ids=["PT1"])  # type: ignore[call-arg]
    incident["titel"]  # type: ignore[typeddict-item]
    del title, first, allowed, abilities


def events(ev: pd.EventsClient) -> None:
    ev.trigger("s", source="x")  # type: ignore[call-arg]
    ev.trigger("s", source="x", severity="loud")  # type: ignore[arg-type]


def errors() -> None:
    try:
        pass
    except pd.TruncatedError as e:
        code: str = e.code
        dedup: Optional[str] = e.dedup_key
        del code, dedup
