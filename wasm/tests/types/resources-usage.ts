// Compiled with `tsc --strict --noEmit` (tsconfig.resources.json): the generated resource types
// (wasm/npm/resources.d.ts, from PagerDuty's OpenAPI specs) describe real use and refuse typos.
// Imported by relative path: the package's exports map has no `./resources` entry yet.
import type {
  Ability, Alert, ChangeEvent, ChangeEventPayload, ContactMethod, EscalationPolicy, Incident,
  IncidentNote, Integration, LogEntry, Note, NotificationRule, OnCall, Oncall, Override, Priority,
  Schedule, Service, Tag, Team, Trigger, User, V1Event, V2Event, WebhookEvent, WebhookPayload,
} from '../../npm/resources.js';

/** True only when A and B are the same type (not merely assignable). */
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
function expectType<A, B>(_proof: Equals<A, B>): void {}

export function incidents(incident: Incident): void {
  const who = incident.assignments?.[0]?.assignee?.summary;
  // `summary` is `nullable: true` in the spec, and every field but id/type may be left out.
  expectType<typeof who, string | null | undefined>(true);
  const id: string = incident.id;
  const status: 'triggered' | 'acknowledged' | 'resolved' | undefined = incident.status;
  void id; void status;
  // @ts-expect-error a typo is not a field
  void incident.asignments;
  // @ts-expect-error status is an enum
  const wrong: Incident = { id: 'P1', type: 'incident', status: 'open' };
  void wrong;
  // @ts-expect-error `id` is required
  const noId: Incident = { type: 'incident' };
  void noId;
  const service = incident.service;
  if (service !== undefined && service.type === 'service') {
    // Narrowed to the full Service (include[]=services) by its `type`.
    const name: string | undefined = service.name;
    void name;
  }
  for (const team of incident.teams ?? []) void team.summary;
}

export function resources(
  alert: Alert, note: Note, incidentNote: IncidentNote, entry: LogEntry, service: Service,
  integration: Integration, user: User, method: ContactMethod, rule: NotificationRule,
  schedule: Schedule, override: Override, policy: EscalationPolicy, oncall: OnCall, team: Team,
  priority: Priority, tag: Tag, change: ChangeEvent, ability: Ability,
): void {
  const sameNote: IncidentNote = note;
  const sameOncall: Oncall = oncall;
  const severity: 'info' | 'warning' | 'error' | 'critical' | undefined = alert.severity;
  const agent: string | undefined = entry.agent?.id;
  const name: string | undefined = service.name;
  const email: string | undefined = user.email;
  const address: string | undefined = method.address;
  const delay: number | undefined = rule.start_delay_in_minutes;
  const zone: string | undefined = schedule.time_zone;
  const start: string | undefined = override.start;
  const rules = policy.escalation_rules?.[0]?.targets;
  const level: number | undefined = oncall.escalation_level;
  const label: string | undefined = tag.label;
  const content: string | undefined = incidentNote.content;
  const priorityName: string | undefined = priority.name;
  const teamName: string | undefined = team.name;
  const vendor: string | undefined = integration.vendor?.id;
  const changeSummary: string | undefined = change.summary;
  const abilityName: string = ability;
  void [sameNote, sameOncall, severity, agent, name, email, address, delay, zone, start, rules,
    level, label, content, priorityName, teamName, vendor, changeSummary, abilityName];
  // @ts-expect-error OnCall has no `id`
  void oncall.id;
}

export function events(): void {
  const trigger: Trigger = { summary: 'disk full', source: 'db-1', severity: 'critical', class: 'disk' };
  const event: V2Event = { routing_key: 'R0123456789abcdef0123456789abcde', event_action: 'trigger', payload: trigger };
  const change: ChangeEventPayload = { summary: 'deployed v2', custom_details: { build: 220 } };
  const v1: V1Event = { description: 'disk full', details: { host: 'db-1' }, client: 'monitor' };
  // @ts-expect-error `source` is required in a trigger's payload
  const noSource: Trigger = { summary: 's', severity: 'info' };
  // @ts-expect-error severity must be one of PagerDuty's four
  const loud: Trigger = { summary: 's', source: 'x', severity: 'loud' };
  // @ts-expect-error v1 events have no `summary`
  const v1Typo: V1Event = { summary: 'disk full' };
  void [event, change, v1, noSource, loud, v1Typo];
}

export function webhooks(body: WebhookPayload): WebhookEvent {
  const event = body.event;
  const kind: string = event.event_type;
  const agent: string | undefined = event.agent?.id;
  const data = event.data['id'];
  void [kind, agent, data];
  // @ts-expect-error a typo is not a field
  void event.occured_at;
  return event;
}
