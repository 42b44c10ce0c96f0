"""Every typed operation of the core, as methods of RestClient (generated from the core's registry by scripts/gen-bindings.sh: do not edit by hand)."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported with the package (issue 17)
    from typing import Any, Dict, Iterator, List, Literal, Mapping, Optional, Sequence

    from .resources import Alert, ChangeEvent, ContactMethod, EscalationPolicy, Incident, Integration, LogEntry, Note, NotificationRule, OnCall, Override, Priority, Schedule, Service, Tag, Team, User

OPERATIONS = (
    "list_incidents",
    "create_incident",
    "find_incident_by_key",
    "manage_incidents",
    "get_incident",
    "update_incident",
    "merge_incidents",
    "snooze_incident",
    "list_incident_notes",
    "create_incident_note",
    "list_incident_log_entries",
    "list_incident_alerts",
    "get_incident_alert",
    "list_log_entries",
    "get_log_entry",
    "list_services",
    "create_service",
    "get_service",
    "update_service",
    "delete_service",
    "create_service_integration",
    "get_service_integration",
    "list_service_change_events",
    "list_users",
    "current_user",
    "get_user",
    "list_contact_methods",
    "list_notification_rules",
    "list_schedules",
    "get_schedule",
    "list_schedule_users",
    "list_overrides",
    "create_override",
    "delete_override",
    "list_escalation_policies",
    "get_escalation_policy",
    "list_oncalls",
    "list_teams",
    "get_team",
    "list_priorities",
    "list_tags",
    "get_tag",
    "list_entity_tags",
    "change_tags",
    "list_abilities",
    "test_ability",
    "list_change_events",
    "get_change_event",
)


def _args(**kw: Any) -> Dict[str, Any]:
    return {k: v for k, v in kw.items() if v is not None}


class _Operations:
    """The typed operations; RestClient supplies ``_op`` and ``_list``."""

    def _op(self, name: str, args: Dict[str, Any]) -> Any:
        raise NotImplementedError

    def _list(self, name: str, args: Dict[str, Any]) -> Iterator[Any]:
        raise NotImplementedError

    def list_incidents(self, *, since: Optional[str] = None, until: Optional[str] = None, date_range: Optional[Literal["all"]] = None, statuses: Optional[Sequence[Literal["triggered", "acknowledged", "resolved"]]] = None, service_ids: Optional[Sequence[str]] = None, team_ids: Optional[Sequence[str]] = None, user_ids: Optional[Sequence[str]] = None, urgencies: Optional[Sequence[Literal["high", "low"]]] = None, incident_key: Optional[str] = None, sort_by: Optional[Sequence[str]] = None, include: Optional[Sequence[str]] = None, time_zone: Optional[str] = None, total: Optional[bool] = None, limit: Optional[int] = None) -> Iterator["Incident"]:
        """Incidents matching the filters, page by page. ``GET /incidents``.

        - ``since``: Start of the window (ISO 8601).
        - ``until``: End of the window (ISO 8601).
        - ``date_range``: "all" to ignore since/until.
        - ``statuses``: Only these statuses.
        - ``service_ids``: Only these services'.
        - ``team_ids``: Only these teams'.
        - ``user_ids``: Only those assigned to these users.
        - ``urgencies``: Only these urgencies.
        - ``incident_key``: Only the incident with this key.
        - ``sort_by``: Sort fields, e.g. created_at:desc.
        - ``include``: Related resources to include.
        - ``time_zone``: Time zone of the answer's times.
        - ``total``: Ask for the total count.
        - ``limit``: Page size, 1 to 100.

        Raises TruncatedError at PagerDuty's 10,000-record offset cap.
        """
        return self._list("list_incidents", _args(since=since, until=until, date_range=date_range, statuses=statuses, service_ids=service_ids, team_ids=team_ids, user_ids=user_ids, urgencies=urgencies, incident_key=incident_key, sort_by=sort_by, include=include, time_zone=time_zone, total=total, limit=limit))

    def create_incident(self, title: str, service_id: str, *, urgency: Optional[Literal["high", "low"]] = None, details: Optional[str] = None, incident_key: Optional[str] = None, priority_id: Optional[str] = None, escalation_policy_id: Optional[str] = None, assignee_ids: Optional[Sequence[str]] = None) -> "Incident":
        """Opens an incident. ``POST /incidents``.

        - ``title``: The incident's title.
        - ``service_id``: The service it is on.
        - ``urgency``: high or low.
        - ``details``: The body's details text.
        - ``incident_key``: Deduplication key.
        - ``priority_id``: Its priority.
        - ``escalation_policy_id``: Its escalation policy.
        - ``assignee_ids``: Assign to these users.
        """
        return self._op("create_incident", _args(title=title, service_id=service_id, urgency=urgency, details=details, incident_key=incident_key, priority_id=priority_id, escalation_policy_id=escalation_policy_id, assignee_ids=assignee_ids))

    def find_incident_by_key(self, incident_key: str) -> Optional["Incident"]:
        """The incident with this incident_key (or whose alert has it as dedup key), or null. ``GET /incidents``.

        - ``incident_key``: The incident's key, or its alert's dedup key (never empty).
        """
        return self._op("find_incident_by_key", _args(incident_key=incident_key))

    def manage_incidents(self, updates: Sequence[Mapping[str, Any]]) -> List["Incident"]:
        """Updates several incidents at once. ``PUT /incidents``.

        - ``updates``: One {id, update} per incident.
        """
        return self._op("manage_incidents", _args(updates=updates))

    def get_incident(self, id: str) -> "Incident":
        """One incident. ``GET /incidents/{id}``.

        - ``id``: The resource's ID.
        """
        return self._op("get_incident", _args(id=id))

    def update_incident(self, id: str, update: Mapping[str, Any]) -> "Incident":
        """Acknowledges, resolves, reassigns or otherwise changes an incident. ``PUT /incidents/{id}``.

        - ``id``: The resource's ID.
        - ``update``: What to change.
        """
        return self._op("update_incident", _args(id=id, update=update))

    def merge_incidents(self, id: str, source_ids: Sequence[str]) -> "Incident":
        """Merges other incidents into this one. ``PUT /incidents/{id}/merge``.

        - ``id``: The resource's ID.
        - ``source_ids``: The incidents merged into this one.
        """
        return self._op("merge_incidents", _args(id=id, source_ids=source_ids))

    def snooze_incident(self, id: str, seconds: int) -> "Incident":
        """Snoozes an acknowledged incident. ``POST /incidents/{id}/snooze``.

        - ``id``: The resource's ID.
        - ``seconds``: How long to snooze.
        """
        return self._op("snooze_incident", _args(id=id, seconds=seconds))

    def list_incident_notes(self, id: str) -> List["Note"]:
        """An incident's notes. ``GET /incidents/{id}/notes``.

        - ``id``: The resource's ID.
        """
        return self._op("list_incident_notes", _args(id=id))

    def create_incident_note(self, id: str, content: str) -> "Note":
        """Adds a note to an incident. ``POST /incidents/{id}/notes``.

        - ``id``: The resource's ID.
        - ``content``: The note's text.
        """
        return self._op("create_incident_note", _args(id=id, content=content))

    def list_incident_log_entries(self, id: str, *, since: Optional[str] = None, until: Optional[str] = None) -> Iterator["LogEntry"]:
        """An incident's log entries, page by page. ``GET /incidents/{id}/log_entries``.

        - ``id``: The resource's ID.
        - ``since``: Start of the window (ISO 8601).
        - ``until``: End of the window (ISO 8601).

        Raises TruncatedError at PagerDuty's 10,000-record offset cap.
        """
        return self._list("list_incident_log_entries", _args(id=id, since=since, until=until))

    def list_incident_alerts(self, id: str, *, statuses: Optional[Sequence[Literal["triggered", "resolved"]]] = None) -> Iterator["Alert"]:
        """An incident's alerts, page by page. ``GET /incidents/{id}/alerts``.

        - ``id``: The resource's ID.
        - ``statuses``: Only these statuses.

        Raises TruncatedError at PagerDuty's 10,000-record offset cap.
        """
        return self._list("list_incident_alerts", _args(id=id, statuses=statuses))

    def get_incident_alert(self, id: str, alert_id: str) -> "Alert":
        """One alert of an incident. ``GET /incidents/{id}/alerts/{alert_id}``.

        - ``id``: The resource's ID.
        - ``alert_id``: The alert's ID.
        """
        return self._op("get_incident_alert", _args(id=id, alert_id=alert_id))

    def list_log_entries(self, *, since: Optional[str] = None, until: Optional[str] = None, team_ids: Optional[Sequence[str]] = None) -> Iterator["LogEntry"]:
        """The account's log entries, page by page. ``GET /log_entries``.

        - ``since``: Start of the window (ISO 8601).
        - ``until``: End of the window (ISO 8601).
        - ``team_ids``: Only these teams'.

        Raises TruncatedError at PagerDuty's 10,000-record offset cap.
        """
        return self._list("list_log_entries", _args(since=since, until=until, team_ids=team_ids))

    def get_log_entry(self, id: str) -> "LogEntry":
        """One log entry. ``GET /log_entries/{id}``.

        - ``id``: The resource's ID.
        """
        return self._op("get_log_entry", _args(id=id))

    def list_services(self, *, query: Optional[str] = None, team_ids: Optional[Sequence[str]] = None, include: Optional[Sequence[str]] = None, limit: Optional[int] = None) -> Iterator["Service"]:
        """Services, page by page. ``GET /services``.

        - ``query``: Only those whose name matches.
        - ``team_ids``: Only these teams'.
        - ``include``: Related resources to include.
        - ``limit``: Page size, 1 to 100.

        Raises TruncatedError at PagerDuty's 10,000-record offset cap.
        """
        return self._list("list_services", _args(query=query, team_ids=team_ids, include=include, limit=limit))

    def create_service(self, service: Mapping[str, Any]) -> "Service":
        """Creates a service. ``POST /services``.

        - ``service``: The service (name, escalation_policy, ...).
        """
        return self._op("create_service", _args(service=service))

    def get_service(self, id: str) -> "Service":
        """One service. ``GET /services/{id}``.

        - ``id``: The resource's ID.
        """
        return self._op("get_service", _args(id=id))

    def update_service(self, id: str, changes: Mapping[str, Any]) -> "Service":
        """Changes a service. ``PUT /services/{id}``.

        - ``id``: The resource's ID.
        - ``changes``: The fields to change.
        """
        return self._op("update_service", _args(id=id, changes=changes))

    def delete_service(self, id: str) -> None:
        """Deletes a service. ``DELETE /services/{id}``.

        - ``id``: The resource's ID.
        """
        return self._op("delete_service", _args(id=id))

    def create_service_integration(self, id: str, integration: Mapping[str, Any]) -> "Integration":
        """Adds an integration to a service. ``POST /services/{id}/integrations``.

        - ``id``: The resource's ID.
        - ``integration``: The integration (type, name, vendor, ...).
        """
        return self._op("create_service_integration", _args(id=id, integration=integration))

    def get_service_integration(self, id: str, integration_id: str) -> "Integration":
        """One integration of a service. ``GET /services/{id}/integrations/{integration_id}``.

        - ``id``: The resource's ID.
        - ``integration_id``: The integration's ID.
        """
        return self._op("get_service_integration", _args(id=id, integration_id=integration_id))

    def list_service_change_events(self, id: str, *, since: Optional[str] = None, until: Optional[str] = None) -> Iterator["ChangeEvent"]:
        """A service's change events, page by page. ``GET /services/{id}/change_events``.

        - ``id``: The resource's ID.
        - ``since``: Start of the window (ISO 8601).
        - ``until``: End of the window (ISO 8601).

        Raises TruncatedError at PagerDuty's 10,000-record offset cap.
        """
        return self._list("list_service_change_events", _args(id=id, since=since, until=until))

    def list_users(self, *, query: Optional[str] = None, team_ids: Optional[Sequence[str]] = None, include: Optional[Sequence[str]] = None, limit: Optional[int] = None) -> Iterator["User"]:
        """Users, page by page. ``GET /users``.

        - ``query``: Only those whose name matches.
        - ``team_ids``: Only these teams'.
        - ``include``: Related resources to include.
        - ``limit``: Page size, 1 to 100.

        Raises TruncatedError at PagerDuty's 10,000-record offset cap.
        """
        return self._list("list_users", _args(query=query, team_ids=team_ids, include=include, limit=limit))

    def current_user(self) -> "User":
        """The user a user token belongs to. ``GET /users/me``.
        """
        return self._op("current_user", _args())

    def get_user(self, id: str) -> "User":
        """One user. ``GET /users/{id}``.

        - ``id``: The resource's ID.
        """
        return self._op("get_user", _args(id=id))

    def list_contact_methods(self, user_id: str) -> List["ContactMethod"]:
        """A user's contact methods. ``GET /users/{id}/contact_methods``.

        - ``user_id``: The user's ID.
        """
        return self._op("list_contact_methods", _args(user_id=user_id))

    def list_notification_rules(self, user_id: str, *, urgency: Optional[Literal["high", "low", "any"]] = None) -> List["NotificationRule"]:
        """A user's notification rules. ``GET /users/{id}/notification_rules``.

        - ``user_id``: The user's ID.
        - ``urgency``: Only this urgency's.
        """
        return self._op("list_notification_rules", _args(user_id=user_id, urgency=urgency))

    def list_schedules(self, *, query: Optional[str] = None, team_ids: Optional[Sequence[str]] = None, include: Optional[Sequence[str]] = None, limit: Optional[int] = None) -> Iterator["Schedule"]:
        """Schedules, page by page. ``GET /schedules``.

        - ``query``: Only those whose name matches.
        - ``team_ids``: Only these teams'.
        - ``include``: Related resources to include.
        - ``limit``: Page size, 1 to 100.

        Raises TruncatedError at PagerDuty's 10,000-record offset cap.
        """
        return self._list("list_schedules", _args(query=query, team_ids=team_ids, include=include, limit=limit))

    def get_schedule(self, id: str, *, since: Optional[str] = None, until: Optional[str] = None) -> "Schedule":
        """One schedule, rendered for the window. ``GET /schedules/{id}``.

        - ``id``: The resource's ID.
        - ``since``: Start of the window (ISO 8601).
        - ``until``: End of the window (ISO 8601).
        """
        return self._op("get_schedule", _args(id=id, since=since, until=until))

    def list_schedule_users(self, id: str, *, since: Optional[str] = None, until: Optional[str] = None) -> List["User"]:
        """The users on call in a schedule during the window. ``GET /schedules/{id}/users``.

        - ``id``: The resource's ID.
        - ``since``: Start of the window (ISO 8601).
        - ``until``: End of the window (ISO 8601).
        """
        return self._op("list_schedule_users", _args(id=id, since=since, until=until))

    def list_overrides(self, id: str, since: str, until: str) -> List["Override"]:
        """A schedule's overrides in the window. ``GET /schedules/{id}/overrides``.

        - ``id``: The resource's ID.
        - ``since``: Start of the window (ISO 8601).
        - ``until``: End of the window (ISO 8601).
        """
        return self._op("list_overrides", _args(id=id, since=since, until=until))

    def create_override(self, id: str, user_id: str, start: str, end: str) -> List["Override"]:
        """Puts a user on call in a schedule for a while. ``POST /schedules/{id}/overrides``.

        - ``id``: The resource's ID.
        - ``user_id``: Who takes over.
        - ``start``: From (ISO 8601).
        - ``end``: Until (ISO 8601).
        """
        return self._op("create_override", _args(id=id, user_id=user_id, start=start, end=end))

    def delete_override(self, id: str, override_id: str) -> None:
        """Removes an override. ``DELETE /schedules/{id}/overrides/{override_id}``.

        - ``id``: The resource's ID.
        - ``override_id``: The override's ID.
        """
        return self._op("delete_override", _args(id=id, override_id=override_id))

    def list_escalation_policies(self, *, query: Optional[str] = None, team_ids: Optional[Sequence[str]] = None, include: Optional[Sequence[str]] = None, limit: Optional[int] = None, user_ids: Optional[Sequence[str]] = None) -> Iterator["EscalationPolicy"]:
        """Escalation policies, page by page. ``GET /escalation_policies``.

        - ``query``: Only those whose name matches.
        - ``team_ids``: Only these teams'.
        - ``include``: Related resources to include.
        - ``limit``: Page size, 1 to 100.
        - ``user_ids``: Only those these users are on.

        Raises TruncatedError at PagerDuty's 10,000-record offset cap.
        """
        return self._list("list_escalation_policies", _args(query=query, team_ids=team_ids, include=include, limit=limit, user_ids=user_ids))

    def get_escalation_policy(self, id: str) -> "EscalationPolicy":
        """One escalation policy. ``GET /escalation_policies/{id}``.

        - ``id``: The resource's ID.
        """
        return self._op("get_escalation_policy", _args(id=id))

    def list_oncalls(self, *, since: Optional[str] = None, until: Optional[str] = None, earliest: Optional[bool] = None, user_ids: Optional[Sequence[str]] = None, escalation_policy_ids: Optional[Sequence[str]] = None, schedule_ids: Optional[Sequence[str]] = None, time_zone: Optional[str] = None, include: Optional[Sequence[str]] = None) -> Iterator["OnCall"]:
        """Who is on call, page by page. ``GET /oncalls``.

        - ``since``: Start of the window (ISO 8601).
        - ``until``: End of the window (ISO 8601).
        - ``earliest``: Only the earliest on-call per user and level.
        - ``user_ids``: Only these users.
        - ``escalation_policy_ids``: Only these escalation policies.
        - ``schedule_ids``: Only these schedules.
        - ``time_zone``: Time zone of the answer's times.
        - ``include``: Related resources to include.

        Raises TruncatedError at PagerDuty's 10,000-record offset cap.
        """
        return self._list("list_oncalls", _args(since=since, until=until, earliest=earliest, user_ids=user_ids, escalation_policy_ids=escalation_policy_ids, schedule_ids=schedule_ids, time_zone=time_zone, include=include))

    def list_teams(self, *, query: Optional[str] = None, limit: Optional[int] = None) -> Iterator["Team"]:
        """Teams, page by page. ``GET /teams``.

        - ``query``: Only those whose name matches.
        - ``limit``: Page size, 1 to 100.

        Raises TruncatedError at PagerDuty's 10,000-record offset cap.
        """
        return self._list("list_teams", _args(query=query, limit=limit))

    def get_team(self, id: str) -> "Team":
        """One team. ``GET /teams/{id}``.

        - ``id``: The resource's ID.
        """
        return self._op("get_team", _args(id=id))

    def list_priorities(self) -> Iterator["Priority"]:
        """The account's incident priorities. ``GET /priorities``.

        Raises TruncatedError at PagerDuty's 10,000-record offset cap.
        """
        return self._list("list_priorities", _args())

    def list_tags(self, *, query: Optional[str] = None, limit: Optional[int] = None) -> Iterator["Tag"]:
        """Tags, page by page. ``GET /tags``.

        - ``query``: Only those whose name matches.
        - ``limit``: Page size, 1 to 100.

        Raises TruncatedError at PagerDuty's 10,000-record offset cap.
        """
        return self._list("list_tags", _args(query=query, limit=limit))

    def get_tag(self, id: str) -> "Tag":
        """One tag. ``GET /tags/{id}``.

        - ``id``: The resource's ID.
        """
        return self._op("get_tag", _args(id=id))

    def list_entity_tags(self, entity_type: Literal["users", "teams", "escalation_policies"], id: str) -> Iterator["Tag"]:
        """The tags on a user, team or escalation policy, page by page. ``GET /{entity_type}/{id}/tags``.

        - ``entity_type``: What is tagged.
        - ``id``: The resource's ID.

        Raises TruncatedError at PagerDuty's 10,000-record offset cap.
        """
        return self._list("list_entity_tags", _args(entity_type=entity_type, id=id))

    def change_tags(self, entity_type: Literal["users", "teams", "escalation_policies"], id: str, *, add: Optional[Sequence[str]] = None, remove: Optional[Sequence[str]] = None) -> None:
        """Adds and removes tags on a user, team or escalation policy. ``POST /{entity_type}/{id}/change_tags``.

        - ``entity_type``: What is tagged.
        - ``id``: The resource's ID.
        - ``add``: Labels of tags to add (created when new).
        - ``remove``: IDs of tags to remove.
        """
        return self._op("change_tags", _args(entity_type=entity_type, id=id, add=add, remove=remove))

    def list_abilities(self) -> List[str]:
        """The account's abilities (features of its plan). ``GET /abilities``.
        """
        return self._op("list_abilities", _args())

    def test_ability(self, ability: str) -> bool:
        """Whether the account has an ability. ``GET /abilities/{id}``.

        - ``ability``: The ability's name.
        """
        return self._op("test_ability", _args(ability=ability))

    def list_change_events(self, *, since: Optional[str] = None, until: Optional[str] = None, team_ids: Optional[Sequence[str]] = None, integration_ids: Optional[Sequence[str]] = None) -> Iterator["ChangeEvent"]:
        """The account's change events, page by page. ``GET /change_events``.

        - ``since``: Start of the window (ISO 8601).
        - ``until``: End of the window (ISO 8601).
        - ``team_ids``: Only these teams'.
        - ``integration_ids``: Only these integrations'.

        Raises TruncatedError at PagerDuty's 10,000-record offset cap.
        """
        return self._list("list_change_events", _args(since=since, until=until, team_ids=team_ids, integration_ids=integration_ids))

    def get_change_event(self, id: str) -> "ChangeEvent":
        """One change event. ``GET /change_events/{id}``.

        - ``id``: The resource's ID.
        """
        return self._op("get_change_event", _args(id=id))
