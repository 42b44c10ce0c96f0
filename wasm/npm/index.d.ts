// Types of the pagerduty-wasm package (both entry points). No `any` anywhere: JSON from
// PagerDuty is `JsonValue`; the typed operations return the core's resource shapes.

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Query values; arrays are sent as `name[]=a&name[]=b` (e.g. `statuses`, `service_ids`). */
export type QueryValue = string | number | boolean | null | undefined | ReadonlyArray<string | number>;
export type Query = { readonly [name: string]: QueryValue };

/** The subset of `fetch` the package calls: a URL string and this init. */
export interface FetchInit {
  method: string;
  headers: [string, string][];
  body?: string;
  signal: AbortSignal;
  /** Redirects are never followed: PagerDuty's APIs do not redirect; a 3xx is an HttpError. */
  redirect: 'manual';
}
/** What the package reads of a fetch response. */
export interface FetchResponse {
  readonly status: number;
  readonly headers: { forEach(callback: (value: string, name: string) => void): void };
  /** `opaqueredirect`: a browser hid a redirect (a failure, not retried). */
  readonly type?: string;
  /** True if the fetch followed a redirect anyway: the answer is refused. */
  readonly redirected?: boolean;
  /** Read as a stream when present, so an answer over `maxResponseBytes` is cut off while it arrives. */
  readonly body?: {
    getReader(): {
      read(): Promise<{ done: boolean; value?: Uint8Array }>;
      cancel(): Promise<void>;
    };
  } | null;
  arrayBuffer(): Promise<ArrayBuffer>;
  bytes?(): Promise<Uint8Array>;
}
export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponse>;

export interface RetryOptions {
  /** Attempts in all, the first included (1 = never retry). Default: no count, `deadlineMs` bounds the retries. */
  maxAttempts?: number;
  /** No attempt starts later than this after the first. Default 60000. */
  deadlineMs?: number;
  /** First backoff ceiling. Default 500. */
  baseDelayMs?: number;
  /** Largest backoff ceiling. Default 30000. */
  maxDelayMs?: number;
}

export interface ClientOptions {
  /** `us` (default) or `eu`. */
  region?: 'us' | 'eu';
  /** Another base URL (https; http only on loopback), e.g. the local simulator. */
  baseUrl?: string;
  /** Per-attempt timeout, REST and events alike (a finite number; NaN and Infinity are refused). Default 30000. */
  timeoutMs?: number;
  retry?: RetryOptions;
  /**
   * Largest answer read, in bytes: a larger one is a DecodeError naming the cap, found while
   * reading (the rest is never read into memory). Default 8388608 (8 MiB).
   */
  maxResponseBytes?: number;
  /** The transport. Default: node:http in Node, `globalThis.fetch` elsewhere. Redirects are never followed. */
  fetch?: FetchLike;
  /** Sent outside browsers only (a browser refuses it and it breaks CORS). Printable ASCII. */
  userAgent?: string;
  /**
   * A certificate authority (PEM text) trusted beside the system's roots, e.g. a company proxy's
   * or the simulator's `--cert-out` file. Node's own transport only (not with `fetch`, nor in browsers).
   */
  caPem?: string;
  /** As `caPem`, read from this PEM file (Node only). */
  caFile?: string;
}

export interface RestClientOptions extends ClientOptions {
  /** `general` (account key, default), `user` (a user's token) or `oauth` (Bearer). */
  tokenKind?: 'general' | 'user' | 'oauth';
  /** Default `From` email for writes that need one. */
  from?: string;
}

export interface EventsClientOptions extends ClientOptions {
  /** Cut summaries longer than 1024 characters instead of refusing them. */
  truncateSummary?: boolean;
}

export interface CallOptions {
  /** Aborts the request, its retries and waits: the promise rejects with CancelledError. */
  signal?: AbortSignal;
}

export interface RequestOptions extends CallOptions {
  query?: Query;
  body?: JsonValue;
}

// PagerDuty's resources, generated from the official spec by scripts/gen-resources.py (all of
// them: `import type { ... } from 'pagerduty-wasm/resources'`).
import type { Ability, Alert, Assignment, ChangeEvent, ContactMethod, EscalationPolicy, Incident, Integration, LogEntry, Note, NotificationRule, OnCall, Override, Priority, Reference, Schedule, Service, Tag, Team, User } from './resources.js';
export type { Ability, Alert, Assignment, ChangeEvent, ContactMethod, EscalationPolicy, Incident, Integration, LogEntry, Note, NotificationRule, OnCall, Override, Priority, Reference, Schedule, Service, Tag, Team, User };

export type IncidentStatus = 'triggered' | 'acknowledged' | 'resolved';
export type Urgency = 'high' | 'low';

export interface NewIncident {
  title: string;
  service_id: string;
  urgency?: Urgency;
  details?: string;
  incident_key?: string;
  priority_id?: string;
  escalation_policy_id?: string;
  assignee_ids?: string[];
}

export interface IncidentUpdate {
  status?: IncidentStatus;
  title?: string;
  urgency?: Urgency;
  resolution?: string;
  escalation_level?: number;
  assignee_ids?: string[];
  escalation_policy_id?: string;
  priority_id?: string;
}

/** ISO 8601 date-times. */
export interface TimeWindow { since?: string; until?: string }

export class RestClient {
  /** `token`: a 20-character REST API key, or an OAuth token with `tokenKind: 'oauth'`. */
  constructor(token: string, options?: RestClientOptions);
  request(method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH', path: string, options?: RequestOptions): Promise<JsonValue>;
  get(path: string, options?: RequestOptions): Promise<JsonValue>;
  post(path: string, body?: JsonValue, options?: RequestOptions): Promise<JsonValue>;
  put(path: string, body?: JsonValue, options?: RequestOptions): Promise<JsonValue>;
  delete(path: string, options?: RequestOptions): Promise<JsonValue>;
  /**
   * Every item of a list endpoint (`/incidents`, `/services`, ...), fetching pages as needed.
   * A classic listing that reaches PagerDuty's 10,000-record offset cap with records left ends
   * by throwing {@link TruncatedError} after yielding everything it got: narrow the filters
   * (a shorter `since`/`until` window) to see the rest.
   */
  iterate(path: string, query?: Query, options?: CallOptions): AsyncGenerator<JsonObject, void, undefined>;
  /** The pages of a list endpoint, each an array of items; at the 10,000-record cap, ends as `iterate` does. */
  pages(path: string, query?: Query, options?: CallOptions): AsyncGenerator<JsonObject[], void, undefined>;

  // <generated:operations> (scripts/gen-bindings.sh, from the core's registry: do not edit)
  /**
   * Incidents matching the filters, page by page. `GET /incidents`.
   * - `since`: Start of the window (ISO 8601).
   * - `until`: End of the window (ISO 8601).
   * - `date_range`: "all" to ignore since/until.
   * - `statuses`: Only these statuses.
   * - `service_ids`: Only these services'.
   * - `team_ids`: Only these teams'.
   * - `user_ids`: Only those assigned to these users.
   * - `urgencies`: Only these urgencies.
   * - `incident_key`: Only the incident with this key.
   * - `sort_by`: Sort fields, e.g. created_at:desc.
   * - `include`: Related resources to include.
   * - `time_zone`: Time zone of the answer's times.
   * - `total`: Ask for the total count.
   * - `limit`: Page size, 1 to 100.
   * Ends by throwing `TruncatedError` at PagerDuty's 10,000-record offset cap.
   */
  listIncidents(args?: { since?: string; until?: string; date_range?: 'all'; statuses?: ('triggered' | 'acknowledged' | 'resolved')[]; service_ids?: string[]; team_ids?: string[]; user_ids?: string[]; urgencies?: ('high' | 'low')[]; incident_key?: string; sort_by?: string[]; include?: string[]; time_zone?: string; total?: boolean; limit?: number }, options?: CallOptions): AsyncGenerator<Incident, void, undefined>;
  /**
   * Opens an incident. `POST /incidents`.
   * - `title`: The incident's title.
   * - `service_id`: The service it is on.
   * - `urgency`: high or low.
   * - `details`: The body's details text.
   * - `incident_key`: Deduplication key.
   * - `priority_id`: Its priority.
   * - `escalation_policy_id`: Its escalation policy.
   * - `assignee_ids`: Assign to these users.
   */
  createIncident(args: { title: string; service_id: string; urgency?: 'high' | 'low'; details?: string; incident_key?: string; priority_id?: string; escalation_policy_id?: string; assignee_ids?: string[] }, options?: CallOptions): Promise<Incident>;
  /**
   * Updates several incidents at once. `PUT /incidents`.
   * - `updates`: One {id, update} per incident.
   */
  manageIncidents(updates: { id: string; update: { status?: 'triggered' | 'acknowledged' | 'resolved'; title?: string; urgency?: 'high' | 'low'; resolution?: string; escalation_level?: number; assignee_ids?: string[]; escalation_policy_id?: string; priority_id?: string } }[], options?: CallOptions): Promise<Incident[]>;
  /**
   * One incident. `GET /incidents/{id}`.
   * - `id`: The resource's ID.
   */
  getIncident(id: string, options?: CallOptions): Promise<Incident>;
  /**
   * Acknowledges, resolves, reassigns or otherwise changes an incident. `PUT /incidents/{id}`.
   * - `id`: The resource's ID.
   * - `update`: What to change.
   */
  updateIncident(id: string, update: { status?: 'triggered' | 'acknowledged' | 'resolved'; title?: string; urgency?: 'high' | 'low'; resolution?: string; escalation_level?: number; assignee_ids?: string[]; escalation_policy_id?: string; priority_id?: string }, options?: CallOptions): Promise<Incident>;
  /**
   * Merges other incidents into this one. `PUT /incidents/{id}/merge`.
   * - `id`: The resource's ID.
   * - `source_ids`: The incidents merged into this one.
   */
  mergeIncidents(id: string, sourceIds: string[], options?: CallOptions): Promise<Incident>;
  /**
   * Snoozes an acknowledged incident. `POST /incidents/{id}/snooze`.
   * - `id`: The resource's ID.
   * - `seconds`: How long to snooze.
   */
  snoozeIncident(id: string, seconds: number, options?: CallOptions): Promise<Incident>;
  /**
   * An incident's notes. `GET /incidents/{id}/notes`.
   * - `id`: The resource's ID.
   */
  listIncidentNotes(id: string, options?: CallOptions): Promise<Note[]>;
  /**
   * Adds a note to an incident. `POST /incidents/{id}/notes`.
   * - `id`: The resource's ID.
   * - `content`: The note's text.
   */
  createIncidentNote(id: string, content: string, options?: CallOptions): Promise<Note>;
  /**
   * An incident's log entries, page by page. `GET /incidents/{id}/log_entries`.
   * - `id`: The resource's ID.
   * - `since`: Start of the window (ISO 8601).
   * - `until`: End of the window (ISO 8601).
   * Ends by throwing `TruncatedError` at PagerDuty's 10,000-record offset cap.
   */
  listIncidentLogEntries(id: string, args?: { since?: string; until?: string }, options?: CallOptions): AsyncGenerator<LogEntry, void, undefined>;
  /**
   * An incident's alerts, page by page. `GET /incidents/{id}/alerts`.
   * - `id`: The resource's ID.
   * - `statuses`: Only these statuses.
   * Ends by throwing `TruncatedError` at PagerDuty's 10,000-record offset cap.
   */
  listIncidentAlerts(id: string, args?: { statuses?: ('triggered' | 'resolved')[] }, options?: CallOptions): AsyncGenerator<Alert, void, undefined>;
  /**
   * One alert of an incident. `GET /incidents/{id}/alerts/{alert_id}`.
   * - `id`: The resource's ID.
   * - `alert_id`: The alert's ID.
   */
  getIncidentAlert(id: string, alertId: string, options?: CallOptions): Promise<Alert>;
  /**
   * The account's log entries, page by page. `GET /log_entries`.
   * - `since`: Start of the window (ISO 8601).
   * - `until`: End of the window (ISO 8601).
   * - `team_ids`: Only these teams'.
   * Ends by throwing `TruncatedError` at PagerDuty's 10,000-record offset cap.
   */
  listLogEntries(args?: { since?: string; until?: string; team_ids?: string[] }, options?: CallOptions): AsyncGenerator<LogEntry, void, undefined>;
  /**
   * One log entry. `GET /log_entries/{id}`.
   * - `id`: The resource's ID.
   */
  getLogEntry(id: string, options?: CallOptions): Promise<LogEntry>;
  /**
   * Services, page by page. `GET /services`.
   * - `query`: Only those whose name matches.
   * - `team_ids`: Only these teams'.
   * - `include`: Related resources to include.
   * - `limit`: Page size, 1 to 100.
   * Ends by throwing `TruncatedError` at PagerDuty's 10,000-record offset cap.
   */
  listServices(args?: { query?: string; team_ids?: string[]; include?: string[]; limit?: number }, options?: CallOptions): AsyncGenerator<Service, void, undefined>;
  /**
   * Creates a service. `POST /services`.
   * - `service`: The service (name, escalation_policy, ...).
   */
  createService(service: JsonObject, options?: CallOptions): Promise<Service>;
  /**
   * One service. `GET /services/{id}`.
   * - `id`: The resource's ID.
   */
  getService(id: string, options?: CallOptions): Promise<Service>;
  /**
   * Changes a service. `PUT /services/{id}`.
   * - `id`: The resource's ID.
   * - `changes`: The fields to change.
   */
  updateService(id: string, changes: JsonObject, options?: CallOptions): Promise<Service>;
  /**
   * Deletes a service. `DELETE /services/{id}`.
   * - `id`: The resource's ID.
   */
  deleteService(id: string, options?: CallOptions): Promise<null>;
  /**
   * Adds an integration to a service. `POST /services/{id}/integrations`.
   * - `id`: The resource's ID.
   * - `integration`: The integration (type, name, vendor, ...).
   */
  createServiceIntegration(id: string, integration: JsonObject, options?: CallOptions): Promise<Integration>;
  /**
   * One integration of a service. `GET /services/{id}/integrations/{integration_id}`.
   * - `id`: The resource's ID.
   * - `integration_id`: The integration's ID.
   */
  getServiceIntegration(id: string, integrationId: string, options?: CallOptions): Promise<Integration>;
  /**
   * A service's change events, page by page. `GET /services/{id}/change_events`.
   * - `id`: The resource's ID.
   * - `since`: Start of the window (ISO 8601).
   * - `until`: End of the window (ISO 8601).
   * Ends by throwing `TruncatedError` at PagerDuty's 10,000-record offset cap.
   */
  listServiceChangeEvents(id: string, args?: { since?: string; until?: string }, options?: CallOptions): AsyncGenerator<ChangeEvent, void, undefined>;
  /**
   * Users, page by page. `GET /users`.
   * - `query`: Only those whose name matches.
   * - `team_ids`: Only these teams'.
   * - `include`: Related resources to include.
   * - `limit`: Page size, 1 to 100.
   * Ends by throwing `TruncatedError` at PagerDuty's 10,000-record offset cap.
   */
  listUsers(args?: { query?: string; team_ids?: string[]; include?: string[]; limit?: number }, options?: CallOptions): AsyncGenerator<User, void, undefined>;
  /**
   * The user a user token belongs to. `GET /users/me`.
   */
  currentUser(options?: CallOptions): Promise<User>;
  /**
   * One user. `GET /users/{id}`.
   * - `id`: The resource's ID.
   */
  getUser(id: string, options?: CallOptions): Promise<User>;
  /**
   * A user's contact methods. `GET /users/{id}/contact_methods`.
   * - `user_id`: The user's ID.
   */
  listContactMethods(userId: string, options?: CallOptions): Promise<ContactMethod[]>;
  /**
   * A user's notification rules. `GET /users/{id}/notification_rules`.
   * - `user_id`: The user's ID.
   * - `urgency`: Only this urgency's.
   */
  listNotificationRules(userId: string, args?: { urgency?: 'high' | 'low' | 'any' }, options?: CallOptions): Promise<NotificationRule[]>;
  /**
   * Schedules, page by page. `GET /schedules`.
   * - `query`: Only those whose name matches.
   * - `team_ids`: Only these teams'.
   * - `include`: Related resources to include.
   * - `limit`: Page size, 1 to 100.
   * Ends by throwing `TruncatedError` at PagerDuty's 10,000-record offset cap.
   */
  listSchedules(args?: { query?: string; team_ids?: string[]; include?: string[]; limit?: number }, options?: CallOptions): AsyncGenerator<Schedule, void, undefined>;
  /**
   * One schedule, rendered for the window. `GET /schedules/{id}`.
   * - `id`: The resource's ID.
   * - `since`: Start of the window (ISO 8601).
   * - `until`: End of the window (ISO 8601).
   */
  getSchedule(id: string, args?: { since?: string; until?: string }, options?: CallOptions): Promise<Schedule>;
  /**
   * The users on call in a schedule during the window. `GET /schedules/{id}/users`.
   * - `id`: The resource's ID.
   * - `since`: Start of the window (ISO 8601).
   * - `until`: End of the window (ISO 8601).
   */
  listScheduleUsers(id: string, args?: { since?: string; until?: string }, options?: CallOptions): Promise<User[]>;
  /**
   * A schedule's overrides in the window. `GET /schedules/{id}/overrides`.
   * - `id`: The resource's ID.
   * - `since`: Start of the window (ISO 8601).
   * - `until`: End of the window (ISO 8601).
   */
  listOverrides(id: string, args: { since: string; until: string }, options?: CallOptions): Promise<Override[]>;
  /**
   * Puts a user on call in a schedule for a while. `POST /schedules/{id}/overrides`.
   * - `id`: The resource's ID.
   * - `user_id`: Who takes over.
   * - `start`: From (ISO 8601).
   * - `end`: Until (ISO 8601).
   */
  createOverride(id: string, args: { user_id: string; start: string; end: string }, options?: CallOptions): Promise<Override[]>;
  /**
   * Removes an override. `DELETE /schedules/{id}/overrides/{override_id}`.
   * - `id`: The resource's ID.
   * - `override_id`: The override's ID.
   */
  deleteOverride(id: string, overrideId: string, options?: CallOptions): Promise<null>;
  /**
   * Escalation policies, page by page. `GET /escalation_policies`.
   * - `query`: Only those whose name matches.
   * - `team_ids`: Only these teams'.
   * - `include`: Related resources to include.
   * - `limit`: Page size, 1 to 100.
   * - `user_ids`: Only those these users are on.
   * Ends by throwing `TruncatedError` at PagerDuty's 10,000-record offset cap.
   */
  listEscalationPolicies(args?: { query?: string; team_ids?: string[]; include?: string[]; limit?: number; user_ids?: string[] }, options?: CallOptions): AsyncGenerator<EscalationPolicy, void, undefined>;
  /**
   * One escalation policy. `GET /escalation_policies/{id}`.
   * - `id`: The resource's ID.
   */
  getEscalationPolicy(id: string, options?: CallOptions): Promise<EscalationPolicy>;
  /**
   * Who is on call, page by page. `GET /oncalls`.
   * - `since`: Start of the window (ISO 8601).
   * - `until`: End of the window (ISO 8601).
   * - `earliest`: Only the earliest on-call per user and level.
   * - `user_ids`: Only these users.
   * - `escalation_policy_ids`: Only these escalation policies.
   * - `schedule_ids`: Only these schedules.
   * - `time_zone`: Time zone of the answer's times.
   * - `include`: Related resources to include.
   * Ends by throwing `TruncatedError` at PagerDuty's 10,000-record offset cap.
   */
  listOncalls(args?: { since?: string; until?: string; earliest?: boolean; user_ids?: string[]; escalation_policy_ids?: string[]; schedule_ids?: string[]; time_zone?: string; include?: string[] }, options?: CallOptions): AsyncGenerator<OnCall, void, undefined>;
  /**
   * Teams, page by page. `GET /teams`.
   * - `query`: Only those whose name matches.
   * - `limit`: Page size, 1 to 100.
   * Ends by throwing `TruncatedError` at PagerDuty's 10,000-record offset cap.
   */
  listTeams(args?: { query?: string; limit?: number }, options?: CallOptions): AsyncGenerator<Team, void, undefined>;
  /**
   * One team. `GET /teams/{id}`.
   * - `id`: The resource's ID.
   */
  getTeam(id: string, options?: CallOptions): Promise<Team>;
  /**
   * The account's incident priorities. `GET /priorities`.
   * Ends by throwing `TruncatedError` at PagerDuty's 10,000-record offset cap.
   */
  listPriorities(options?: CallOptions): AsyncGenerator<Priority, void, undefined>;
  /**
   * Tags, page by page. `GET /tags`.
   * - `query`: Only those whose name matches.
   * - `limit`: Page size, 1 to 100.
   * Ends by throwing `TruncatedError` at PagerDuty's 10,000-record offset cap.
   */
  listTags(args?: { query?: string; limit?: number }, options?: CallOptions): AsyncGenerator<Tag, void, undefined>;
  /**
   * One tag. `GET /tags/{id}`.
   * - `id`: The resource's ID.
   */
  getTag(id: string, options?: CallOptions): Promise<Tag>;
  /**
   * The tags on a user, team or escalation policy, page by page. `GET /{entity_type}/{id}/tags`.
   * - `entity_type`: What is tagged.
   * - `id`: The resource's ID.
   * Ends by throwing `TruncatedError` at PagerDuty's 10,000-record offset cap.
   */
  listEntityTags(entityType: 'users' | 'teams' | 'escalation_policies', id: string, options?: CallOptions): AsyncGenerator<Tag, void, undefined>;
  /**
   * Adds and removes tags on a user, team or escalation policy. `POST /{entity_type}/{id}/change_tags`.
   * - `entity_type`: What is tagged.
   * - `id`: The resource's ID.
   * - `add`: Labels of tags to add (created when new).
   * - `remove`: IDs of tags to remove.
   */
  changeTags(entityType: 'users' | 'teams' | 'escalation_policies', id: string, args?: { add?: string[]; remove?: string[] }, options?: CallOptions): Promise<null>;
  /**
   * The account's abilities (features of its plan). `GET /abilities`.
   */
  listAbilities(options?: CallOptions): Promise<string[]>;
  /**
   * Whether the account has an ability. `GET /abilities/{id}`.
   * - `ability`: The ability's name.
   */
  testAbility(ability: string, options?: CallOptions): Promise<boolean>;
  /**
   * The account's change events, page by page. `GET /change_events`.
   * - `since`: Start of the window (ISO 8601).
   * - `until`: End of the window (ISO 8601).
   * - `team_ids`: Only these teams'.
   * - `integration_ids`: Only these integrations'.
   * Ends by throwing `TruncatedError` at PagerDuty's 10,000-record offset cap.
   */
  listChangeEvents(args?: { since?: string; until?: string; team_ids?: string[]; integration_ids?: string[] }, options?: CallOptions): AsyncGenerator<ChangeEvent, void, undefined>;
  /**
   * One change event. `GET /change_events/{id}`.
   * - `id`: The resource's ID.
   */
  getChangeEvent(id: string, options?: CallOptions): Promise<ChangeEvent>;
  // </generated:operations>
}

export type Severity = 'critical' | 'error' | 'warning' | 'info';
export interface Link { href: string; text?: string }
export interface Image { src: string; href?: string; alt?: string }

export interface TriggerEvent {
  summary: string;
  source: string;
  severity: Severity;
  timestamp?: string;
  component?: string;
  group?: string;
  class?: string;
  custom_details?: JsonValue;
  images?: Image[];
  links?: Link[];
  /** Generated (a random UUID) when absent. */
  dedup_key?: string;
  client?: string;
  client_url?: string;
}

/** A change event to send (`EventsClient.change`); `ChangeEvent` is the REST resource. */
export interface ChangeEventInput {
  summary: string;
  source?: string;
  timestamp?: string;
  custom_details?: JsonValue;
  links?: Link[];
}

export interface V1Event {
  incident_key?: string;
  description?: string;
  details?: JsonValue;
  client?: string;
  client_url?: string;
  links?: Link[];
  images?: Image[];
}

/**
 * Every error of `trigger`, `acknowledge`, `resolve` and `v1` carries the dedup_key that was
 * sent in `err.dedupKey`: re-send with it (`dedup_key`) and PagerDuty cannot open a second
 * incident, even if the failed attempt was in fact delivered.
 */
export class EventsClient {
  /** `routingKey`: the 32-character integration key. REST keys are refused (WrongKeyKindError). */
  constructor(routingKey: string, options?: EventsClientOptions);
  /** Resolves to the alert's dedup_key: yours, or the generated one. */
  trigger(event: TriggerEvent, options?: CallOptions): Promise<string>;
  /** Resolves to the alert's dedup_key. */
  acknowledge(dedupKey: string, options?: CallOptions): Promise<string>;
  /** Resolves to the alert's dedup_key. */
  resolve(dedupKey: string, options?: CallOptions): Promise<string>;
  change(event: ChangeEventInput, options?: CallOptions): Promise<void>;
  /** Events API v1; resolves to the incident_key. */
  v1(action: 'trigger' | 'acknowledge' | 'resolve', event: V1Event, options?: CallOptions): Promise<string>;
}

export interface WebhookEvent {
  id: string;
  event_type: string;
  resource_type: string;
  occurred_at: string;
  agent?: JsonValue;
  client?: JsonValue;
  data: JsonValue;
  [key: string]: unknown;
}

export type RawBody = string | Uint8Array | ArrayBuffer;

export class WebhookVerifier {
  /** One secret, or several while rotating. `maxBodyBytes`: the largest body checked (default 1 MiB; a whole number). */
  constructor(secrets: string | string[], options?: { maxBodyBytes?: number });
  /** Throws InvalidSignatureError unless a signature in `X-PagerDuty-Signature` matches the raw body. */
  verify(signatureHeader: string, rawBody: RawBody): void;
  verifyAndParse(signatureHeader: string, rawBody: RawBody): WebhookEvent;
}
/** Parses a webhook payload without checking a signature (for payloads verified elsewhere). */
export function parseWebhookEvent(rawBody: RawBody): WebhookEvent;

export type BuildSpec =
  | { api: 'rest'; token: string; token_kind?: 'general' | 'user' | 'oauth'; region?: string; base_url?: string; from?: string; method: string; path: string; query?: Query; body?: JsonValue }
  | { api: 'events'; routing_key: string; region?: string; base_url?: string; action: 'trigger' | 'acknowledge' | 'resolve' | 'change' | 'v1_trigger' | 'v1_acknowledge' | 'v1_resolve'; event?: JsonObject; dedup_key?: string };

export type ApiName = 'rest' | 'events_v2' | 'events_v1';

export interface BuiltRequest {
  api: ApiName;
  method: string;
  url: string;
  /** Holds the key: never log it. */
  headers: [string, string][];
  body: string | null;
  dedup_key: string | null;
}
/** Sans-IO: the request a spec describes, to send with your own transport. */
export function buildRequest(spec: BuildSpec): BuiltRequest;
/** Sans-IO: reads the response (REST: the body; events: `{status, message, dedup_key}`), or throws the typed error. */
export function parseResponse(api: ApiName, response: { status: number; headers?: [string, string][] | { [name: string]: string }; body?: RawBody }): JsonValue;

export function version(): string;

export interface ErrorDetails {
  /** PagerDuty's numeric error code (`error.code`). */
  pagerdutyCode?: number | null;
  pagerdutyMessage?: string;
  /** PagerDuty's reasons (`error.errors[]`). */
  errors?: string[];
  /** The start of a body that was not PagerDuty's JSON. */
  bodyExcerpt?: string;
  /** The input at fault (InvalidInputError). */
  field?: string;
  retryAfterMs?: number;
}

export class PagerDutyError extends Error {
  readonly code: ErrorCode;
  /** The HTTP status, when there was an answer. */
  readonly status: number | undefined;
  /** PagerDuty's `x-request-id`: quote it to support. */
  readonly requestId: string | undefined;
  readonly details: ErrorDetails;
  /** Events: the dedup_key that was sent (re-send with it to avoid a duplicate); otherwise undefined. */
  readonly dedupKey: string | undefined;
}
// <generated:errors> (scripts/gen-bindings.sh, from the core's ErrorCode: do not edit)
export type ErrorCode =
  | 'invalid_input'
  | 'wrong_key_kind'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'rate_limited'
  | 'invalid_event'
  | 'http_error'
  | 'transport'
  | 'timeout'
  | 'decode'
  | 'invalid_signature'
  | 'cancelled'
  | 'internal'
  | 'truncated';

/** A field given by the caller is invalid; nothing was sent. */
export class InvalidInputError extends PagerDutyError {}
/** A key of one kind was given where another is needed; nothing was sent. */
export class WrongKeyKindError extends PagerDutyError {}
/** 401: the key is wrong, revoked, or for another region. */
export class UnauthorizedError extends PagerDutyError {}
/** 403: a read-only key, or a user token without the permission. */
export class ForbiddenError extends PagerDutyError {}
/** 404: no such resource. */
export class NotFoundError extends PagerDutyError {}
/** 429 (or Events API v1's 403): retry later. */
export class RateLimitedError extends PagerDutyError { readonly retryAfterMs: number | undefined }
/** Events API 400: PagerDuty refused the event and said why. */
export class InvalidEventError extends PagerDutyError {}
/** Any other HTTP error status (a redirect included: never followed). */
export class HttpError extends PagerDutyError {}
/** No answer: connection, TLS or DNS failure. */
export class TransportError extends PagerDutyError {}
/** No answer in time. */
export class TimeoutError extends PagerDutyError {}
/** The answer could not be understood (or was larger than the size cap). */
export class DecodeError extends PagerDutyError {}
/** A webhook's signature did not verify. */
export class InvalidSignatureError extends PagerDutyError {}
/** The caller cancelled, or closed the client. */
export class CancelledError extends PagerDutyError {}
/** A bug in this library (a panic caught at the boundary): please report it. */
export class InternalError extends PagerDutyError {}
/** A list walk reached PagerDuty's 10,000-record offset cap with records left over. */
export class TruncatedError extends PagerDutyError {}
// </generated:errors>
