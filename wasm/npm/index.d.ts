// Types of the pagerduty-wasm package (both entry points). No `any` anywhere: JSON from
// PagerDuty is `JsonValue`; the typed operations return the core's resource shapes.

/** A JSON scalar. */
export type JsonPrimitive = string | number | boolean | null;
/** A JSON value of every kind: what PagerDuty's answers parse to, and what bodies may hold. */
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** Query values; arrays are sent as `name[]=a&name[]=b` (e.g. `statuses`, `service_ids`). */
export type QueryValue = string | number | boolean | null | undefined | ReadonlyArray<string | number>;
/**
 * Query parameters by name, added to the path's own: booleans are sent as `true`/`false`,
 * `null` and `undefined` are left out, nested objects are refused (InvalidInputError).
 */
export type Query = { readonly [name: string]: QueryValue };

/** The subset of `fetch` the package calls: a URL string and this init. */
export interface FetchInit {
  /** The HTTP method: `GET`, `POST`, `PUT`, `DELETE` or `PATCH`. */
  method: string;
  /** The request's headers as `[name, value]` pairs; they hold the key, so never log them. */
  headers: [string, string][];
  /** The JSON text of the body; absent when the request has none. */
  body?: string;
  /** Aborts the attempt: on its timeout (`timeoutMs`), when the caller's signal aborts, or when the package stops reading. */
  signal: AbortSignal;
  /** Redirects are never followed: PagerDuty's APIs do not redirect; a 3xx is an HttpError. */
  redirect: 'manual';
}
/** What the package reads of a fetch response. */
export interface FetchResponse {
  /** The HTTP status. */
  readonly status: number;
  /** The response's headers, all passed on (`x-request-id`, `ratelimit-reset`, `Retry-After`, ...). */
  readonly headers: {
    /** Calls `callback` once for each header. */
    forEach(callback: (value: string, name: string) => void): void;
  };
  /** `opaqueredirect`: a browser hid a redirect (a failure, not retried). */
  readonly type?: string;
  /** True if the fetch followed a redirect anyway: the answer is refused. */
  readonly redirected?: boolean;
  /** Read as a stream when present, so an answer over `maxResponseBytes` is cut off while it arrives. */
  readonly body?: {
    /** A reader of the body's chunks. */
    getReader(): {
      /** The next chunk of the body. */
      read(): Promise<{
        /** True once the body has ended. */
        done: boolean;
        /** The chunk's bytes (absent when `done`). */
        value?: Uint8Array;
      }>;
      /** Stops reading: called when the answer passes `maxResponseBytes`. */
      cancel(): Promise<void>;
    };
  } | null;
  /** The whole body, read only when there is neither a `body` stream nor `bytes`. */
  arrayBuffer(): Promise<ArrayBuffer>;
  /** The whole body, read (before `arrayBuffer`) when there is no `body` stream. */
  bytes?(): Promise<Uint8Array>;
}
/**
 * A fetch-compatible function (`globalThis.fetch` is one), called once per attempt. It should
 * reject when the request fails; one that throws synchronously fails the call, not retried.
 */
export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponse>;

/**
 * How failed attempts are retried, until `deadlineMs`: a 429 always; a 5xx, a timeout or a lost
 * connection for GET, PUT, DELETE and events (a POST or PATCH only when it could not connect).
 * The wait is the server's `ratelimit-reset`/`Retry-After`, else exponential backoff with full jitter.
 */
export interface RetryOptions {
  /** Attempts in all, the first included (1 = never retry). Default: no count, `deadlineMs` bounds the retries. */
  maxAttempts?: number;
  /** No attempt starts later than this after the first. Default 60000. */
  deadlineMs?: number;
  /** First backoff ceiling. Default 500. */
  baseDelayMs?: number;
  /** Largest backoff ceiling. Default 10000. */
  maxDelayMs?: number;
}

/**
 * The options every client takes; durations are in milliseconds. An unknown option is refused
 * with an InvalidInputError naming it.
 */
export interface ClientOptions {
  /** `us` (default) or `eu`. */
  region?: 'us' | 'eu';
  /** Another base URL (https; http only on loopback), e.g. the local simulator. */
  baseUrl?: string;
  /** Per-attempt timeout, REST and events alike (a finite number; NaN and Infinity are refused). Default 30000. */
  timeoutMs?: number;
  /** How failed attempts are retried. Default: until 60 s after the first attempt, with no attempt cap. */
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

/** The options of a {@link RestClient}. */
export interface RestClientOptions extends ClientOptions {
  /** `general` (account key, default), `user` (a user's token) or `oauth` (Bearer). */
  tokenKind?: 'general' | 'user' | 'oauth';
  /** Default `From` email for writes that need one. */
  from?: string;
  /**
   * A scoped OAuth app's client credentials (give `null` as the token): tokens are fetched
   * lazily, refreshed before they expire and once after a 401 (the request replayed). A scope
   * PagerDuty did not grant rejects with {@link ScopeNotGrantedError} naming it.
   */
  oauth?: OAuthClientCredentials;
}

/** The client credentials of a scoped OAuth app (PagerDuty's `client_credentials` grant). */
export interface OAuthClientCredentials {
  /** The app's client id. */
  clientId: string;
  /** The app's client secret (never in an error or a log). */
  clientSecret: string;
  /** The scopes to ask for (`incidents.read`, ...): an array, or one space-separated string. */
  scopes?: string[] | string;
  /** The account's subdomain: `as_account-{us|eu}.{subdomain}` is added to the scopes. */
  subdomain?: string;
  /** The service region of `as_account-` when `baseUrl` is not PagerDuty's. Default from `region`, else `us`. */
  region?: 'us' | 'eu';
  /** Another identity server. Default: PagerDuty's for the region, or `baseUrl` itself. */
  identityUrl?: string;
}

/** The rate-limit budget PagerDuty reported on a REST answer. */
export interface RateLimit {
  /** Requests allowed in the window (`ratelimit-limit`), or null when not sent. */
  limit: number | null;
  /** Requests left in the window (`ratelimit-remaining`), or null when not sent. */
  remaining: number | null;
  /** Milliseconds until the window resets (`ratelimit-reset`), or null when not sent. */
  resetMs: number | null;
}

/** The options of an {@link EventsClient}. */
export interface EventsClientOptions extends ClientOptions {
  /** Cut summaries longer than 1024 characters instead of refusing them. */
  truncateSummary?: boolean;
}

/** What every call takes after its own arguments. */
export interface CallOptions {
  /** Aborts the request, its retries and waits: the promise rejects with CancelledError. */
  signal?: AbortSignal;
}

/** The options of {@link RestClient.request} and its shortcuts. */
export interface RequestOptions extends CallOptions {
  /** Query parameters, added to those already in `path`. */
  query?: Query;
  /** The JSON body. `post` and `put` take theirs as an argument instead. */
  body?: JsonValue;
}

// PagerDuty's resources, generated from the official spec by scripts/gen-resources.py (all of
// them: `import type { ... } from 'pagerduty-wasm/resources'`).
import type { Ability, Alert, Assignment, ChangeEvent, ContactMethod, EscalationPolicy, Incident, Integration, LogEntry, Note, NotificationRule, OnCall, Override, Priority, Reference, Schedule, Service, Tag, Team, User } from './resources.js';
export type { Ability, Alert, Assignment, ChangeEvent, ContactMethod, EscalationPolicy, Incident, Integration, LogEntry, Note, NotificationRule, OnCall, Override, Priority, Reference, Schedule, Service, Tag, Team, User };

/** An incident's status. */
export type IncidentStatus = 'triggered' | 'acknowledged' | 'resolved';
/** An incident's urgency. */
export type Urgency = 'high' | 'low';

/** A new incident, as `createIncident` takes it. */
export interface NewIncident {
  /** The incident's title. */
  title: string;
  /** The ID of the service it is on. */
  service_id: string;
  /** The service's default when absent. */
  urgency?: Urgency;
  /** Details shown in the incident's body. */
  details?: string;
  /** A de-duplication key: PagerDuty refuses a second incident with it while the first is open. */
  incident_key?: string;
  /** The ID of its priority. */
  priority_id?: string;
  /** The ID of an escalation policy to use instead of the service's. */
  escalation_policy_id?: string;
  /** IDs of users to assign instead of following the escalation policy. */
  assignee_ids?: string[];
}

/** Changes to an incident, as `updateIncident` and `manageIncidents` take them; fields left out stay as they are. */
export interface IncidentUpdate {
  /** The new status, e.g. `acknowledged` or `resolved`. */
  status?: IncidentStatus;
  /** The new title. */
  title?: string;
  /** The new urgency. */
  urgency?: Urgency;
  /** A resolution note (with `status: 'resolved'`). */
  resolution?: string;
  /** Escalate to this level of the escalation policy. */
  escalation_level?: number;
  /** IDs of the users to reassign it to. */
  assignee_ids?: string[];
  /** The ID of the new escalation policy. */
  escalation_policy_id?: string;
  /** The ID of the new priority. */
  priority_id?: string;
}

/** ISO 8601 date-times. */
export interface TimeWindow {
  /** Start of the window. */
  since?: string;
  /** End of the window. */
  until?: string;
}

/**
 * PagerDuty's REST API v2 with one key. Failures reject with a {@link PagerDutyError} subclass;
 * retries follow {@link RetryOptions}. Writes that need a `From` header send the `from` option
 * (a user token needs none).
 */
export class RestClient {
  /**
   * `token`: a 20-character REST API key, or an OAuth token with `tokenKind: 'oauth'`; null
   * with the `oauth` option's client credentials.
   */
  constructor(token: string | null, options?: RestClientOptions);
  /**
   * The rate-limit budget of the last REST answer (its `ratelimit-*` or `X-RateLimit-*`
   * headers), or null until an answer carried one: slow down before a 429.
   */
  readonly rateLimit: RateLimit | null;
  /**
   * Sends one request; resolves to the parsed JSON body (null when empty). `path` is a path such
   * as `/incidents/P1`, or a full URL on the configured REST host: the key is never sent elsewhere.
   */
  request(method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH', path: string, options?: RequestOptions): Promise<JsonValue>;
  /** `request('GET', path, options)`. */
  get(path: string, options?: RequestOptions): Promise<JsonValue>;
  /** `request('POST', ...)` with `body`; retried only when PagerDuty cannot have acted on it (a 429, or no connection). */
  post(path: string, body?: JsonValue, options?: RequestOptions): Promise<JsonValue>;
  /** `request('PUT', ...)` with `body`. */
  put(path: string, body?: JsonValue, options?: RequestOptions): Promise<JsonValue>;
  /** `request('DELETE', path, options)`. */
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
  /**
   * Every item of a whole history past PagerDuty's 10,000-record cap: `path` (`/incidents`,
   * `/log_entries`, ...) from `since` up to `until` (ISO 8601), with the other filters in
   * `query`. Windows are split by their `total` until each fits and walked in time order, one
   * page at a time, with no gap and no duplicate at the edges; more than 10,000 records in one
   * second ends by throwing {@link TruncatedError}.
   */
  iterateHistory(path: string, since: string, until: string, query?: Query, options?: CallOptions): AsyncGenerator<JsonObject, void, undefined>;

  /** After an event's 202: the incident of `dedupKey`, asked again (250 ms doubling to 2 s) until it shows up or `deadlineMs` (default 10,000) passes; null is "not yet". An empty key is refused. */
  findIncidentForDedupKey(dedupKey: string, options?: CallOptions & { deadlineMs?: number }): Promise<Incident | null>;
  /** createIncident made safe to retry: when an open incident already has the `incident_key` (AlreadyExistsError), that incident is returned instead. */
  createIncidentOnce(args: Parameters<RestClient['createIncident']>[0] & { incident_key: string }, options?: CallOptions): Promise<{
    /** The incident: the new one, or the open one that already had the key. */
    incident: Incident;
    /** False when it already existed. */
    created: boolean;
  }>;
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
   * The incident with this incident_key (or whose alert has it as dedup key), or null. `GET /incidents`.
   * - `incident_key`: The incident's key, or its alert's dedup key (never empty).
   */
  findIncidentByKey(incidentKey: string, options?: CallOptions): Promise<Incident | null>;
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

/** How bad an alert is. */
export type Severity = 'critical' | 'error' | 'warning' | 'info';
/** A link shown with an alert or a change. */
export interface Link {
  /** The URL. */
  href: string;
  /** The link's text. */
  text?: string;
}
/** An image shown with an alert. */
export interface Image {
  /** The image's URL: must be https. */
  src: string;
  /** Where clicking the image goes. */
  href?: string;
  /** Alternative text. */
  alt?: string;
}

/**
 * An alert to trigger (`EventsClient.trigger`). Checked before anything is sent (an
 * InvalidInputError names the field at fault); the whole event may be at most 512 KB.
 */
export interface TriggerEvent {
  /** What is wrong: at most 1024 characters (refused, or cut with `truncateSummary`). */
  summary: string;
  /** Where: a host name, service or device. */
  source: string;
  /** How bad. */
  severity: Severity;
  /** When it was detected (ISO 8601). */
  timestamp?: string;
  /** The part of the source that is affected. */
  component?: string;
  /** A logical group of components. */
  group?: string;
  /** The class or type of the event. */
  class?: string;
  /** Free-form details shown with the alert. */
  custom_details?: JsonValue;
  /** Images shown with the alert (https sources only). */
  images?: Image[];
  /** Links shown with the alert. */
  links?: Link[];
  /** The alert's key, at most 255 characters. Generated (a random UUID) when absent. */
  dedup_key?: string;
  /** The name of the monitoring client. */
  client?: string;
  /** A URL of the monitoring client. */
  client_url?: string;
}

/** A change event to send (`EventsClient.change`); `ChangeEvent` is the REST resource. */
export interface ChangeEventInput {
  /** What changed: at most 1024 characters (refused, or cut with `truncateSummary`). */
  summary: string;
  /** Where it changed. */
  source?: string;
  /** When (ISO 8601). */
  timestamp?: string;
  /** Free-form details. */
  custom_details?: JsonValue;
  /** Links shown with the change: at most 50. */
  links?: Link[];
}

/** An event of the legacy Events API v1 (`EventsClient.v1`). */
export interface V1Event {
  /** The incident's key, at most 255 characters: generated for a trigger when absent, required to acknowledge or resolve. */
  incident_key?: string;
  /** What is wrong: required for a trigger, at most 1024 characters (refused, or cut with `truncateSummary`). */
  description?: string;
  /** Free-form details. */
  details?: JsonValue;
  /** The name of the monitoring client. */
  client?: string;
  /** A URL of the monitoring client. */
  client_url?: string;
  /** Links, sent as `contexts` of type `link`. */
  links?: Link[];
  /** Images (https sources only), sent as `contexts` of type `image`. */
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
  /** Sends a change event (a deploy, a configuration change: it never pages anyone); resolves once PagerDuty accepts it. */
  change(event: ChangeEventInput, options?: CallOptions): Promise<void>;
  /** Events API v1; resolves to the incident_key. */
  v1(action: 'trigger' | 'acknowledge' | 'resolve', event: V1Event, options?: CallOptions): Promise<string>;
}

/** A webhook v3 event: the payload's `event` object. Fields beyond these are kept as they came. */
export interface WebhookEvent {
  /** The event's ID. */
  id: string;
  /** What happened: `incident.triggered`, `incident.acknowledged`, `service.updated`, ... */
  event_type: string;
  /** The kind of resource: `incident`, `service`, ... */
  resource_type: string;
  /** When it happened (ISO 8601). */
  occurred_at: string;
  /** Who or what caused it. */
  agent?: JsonValue;
  /** The client that caused it, if one did. */
  client?: JsonValue;
  /** The resource the event is about. */
  data: JsonValue;
  [key: string]: unknown;
}

/** A body exactly as it arrived, before JSON parsing: text (read as UTF-8) or bytes. */
export type RawBody = string | Uint8Array | ArrayBuffer;

/**
 * Checks webhook v3 signatures: `X-PagerDuty-Signature` holds `v1=` HMAC-SHA256 entries of the
 * raw body, one per secret; one match is enough. Verify the raw body, before it is parsed.
 */
export class WebhookVerifier {
  /** One secret, or several while rotating. `maxBodyBytes`: the largest body checked (default 1 MiB; a whole number). */
  constructor(secrets: string | string[], options?: { maxBodyBytes?: number });
  /** Throws InvalidSignatureError unless a signature in `X-PagerDuty-Signature` matches the raw body. */
  verify(signatureHeader: string, rawBody: RawBody): void;
  /** Verifies as `verify` does, then returns the payload's event; a body that is not a webhook v3 payload is a DecodeError. */
  verifyAndParse(signatureHeader: string, rawBody: RawBody): WebhookEvent;
}
/** Parses a webhook payload without checking a signature (for payloads verified elsewhere). */
export function parseWebhookEvent(rawBody: RawBody): WebhookEvent;

/** A reference to another resource in a webhook's data. */
export interface WebhookReference {
  /** Its ID. */
  id: string;
  /** The `data.type`. */
  type?: string;
  /** A one-line summary. */
  summary?: string | null;
  /** Its API URL. */
  self?: string;
  /** Its page in PagerDuty's web app. */
  html_url?: string;
  [key: string]: unknown;
}
/** `data.type` `incident`. */
export interface WebhookIncidentData {
  /** Its ID. */
  id: string;
  /** The `data.type`. */
  type: 'incident';
  /** The number. */
  number?: number;
  /** Its status. */
  status?: IncidentStatus;
  /** The incident key (the alert's dedup_key), or null. */
  incident_key?: string | null;
  /** The title. */
  title?: string;
  /** `high` or `low`. */
  urgency?: Urgency;
  /** When it was created (ISO 8601). */
  created_at?: string;
  /** Its page in PagerDuty's web app. */
  html_url?: string;
  /** The service. */
  service?: WebhookReference;
  /** Who it is assigned to. */
  assignees?: WebhookReference[];
  /** The escalation policy. */
  escalation_policy?: WebhookReference;
  /** The teams. */
  teams?: WebhookReference[];
  /** The priority, or null. */
  priority?: WebhookReference | null;
  [key: string]: unknown;
}
/** `data.type` `incident_note`. */
export interface WebhookIncidentNoteData {
  /** Its ID. */
  id: string;
  /** The `data.type`. */
  type: 'incident_note';
  /** The note's text. */
  content?: string;
  /** True when PagerDuty cut the text short in the webhook. */
  trimmed?: boolean;
  /** The incident it belongs to. */
  incident?: WebhookReference;
  [key: string]: unknown;
}
/** `data.type` `incident_conference_bridge`. */
export interface WebhookIncidentConferenceBridgeData {
  /** The `data.type`. */
  type: 'incident_conference_bridge';
  /** The incident it belongs to. */
  incident?: WebhookReference;
  /** The bridge's dial-in numbers. */
  conference_numbers?: {
    /** What the number is for. */
    label?: string;
    /** The number to dial. */
    number?: string;
  }[];
  /** The bridge's URL. */
  conference_url?: string;
  [key: string]: unknown;
}
/** `data.type` `incident_field_values`. */
export interface WebhookIncidentFieldValuesData {
  /** The `data.type`. */
  type: 'incident_field_values';
  /** The incident it belongs to. */
  incident?: WebhookReference;
  /** The custom fields and their values. */
  custom_fields?: JsonObject[];
  /** The custom fields that changed. */
  changed_custom_fields?: JsonObject[];
  [key: string]: unknown;
}
/** `data.type` `incident_responder`. */
export interface WebhookIncidentResponderData {
  /** The `data.type`. */
  type: 'incident_responder';
  /** The incident it belongs to. */
  incident?: WebhookReference;
  /** The responder. */
  user?: WebhookReference;
  /** The escalation policy. */
  escalation_policy?: WebhookReference | null;
  /** The message. */
  message?: string;
  /** Its state. */
  state?: string;
  [key: string]: unknown;
}
/** `data.type` `incident_role_assignment`. */
export interface WebhookIncidentRoleAssignmentData {
  /** The `data.type`. */
  type: 'incident_role_assignment';
  /** The role assignments. */
  incident_role_assignments?: JsonObject[];
  [key: string]: unknown;
}
/** `data.type` `incident_status_update`. */
export interface WebhookIncidentStatusUpdateData {
  /** Its ID. */
  id: string;
  /** The `data.type`. */
  type: 'incident_status_update';
  /** The message. */
  message?: string;
  /** True when PagerDuty cut the text short in the webhook. */
  trimmed?: boolean;
  /** The incident it belongs to. */
  incident?: WebhookReference;
  [key: string]: unknown;
}
/** `data.type` `incident_task`. */
export interface WebhookIncidentTaskData {
  /** Its ID. */
  id: string;
  /** The `data.type`. */
  type: 'incident_task';
  /** Its name. */
  name?: string;
  /** Its description. */
  description?: string;
  /** Its status. */
  status?: string;
  /** Who it is assigned to. */
  assignees?: WebhookReference[];
  /** The incident it belongs to. */
  incident?: WebhookReference;
  [key: string]: unknown;
}
/** `data.type` `incident_action_invocation`. */
export interface WebhookIncidentActionInvocationData {
  /** Its ID. */
  id: string;
  /** The `data.type`. */
  type: 'incident_action_invocation';
  /** Its state. */
  state?: string;
  /** The action invoked. */
  action?: WebhookReference;
  /** The incident it belongs to. */
  incident?: WebhookReference;
  [key: string]: unknown;
}
/** `data.type` `incident_workflow_instance`. */
export interface WebhookIncidentWorkflowInstanceData {
  /** Its ID. */
  id: string;
  /** The `data.type`. */
  type: 'incident_workflow_instance';
  /** A one-line summary. */
  summary?: string;
  /** The workflow. */
  incident_workflow?: WebhookReference;
  /** What started the workflow. */
  workflow_trigger?: WebhookReference;
  /** The incident it belongs to. */
  incident?: WebhookReference;
  /** The service. */
  service?: WebhookReference;
  [key: string]: unknown;
}
/** `data.type` `service`. */
export interface WebhookServiceData {
  /** Its ID. */
  id: string;
  /** The `data.type`. */
  type: 'service';
  /** A one-line summary. */
  summary?: string;
  /** The teams. */
  teams?: WebhookReference[];
  [key: string]: unknown;
}
/** `data.type` `service_field_values`. */
export interface WebhookServiceFieldValuesData {
  /** The `data.type`. */
  type: 'service_field_values';
  /** The service. */
  service?: WebhookReference;
  /** The custom fields and their values. */
  custom_fields?: JsonObject[];
  /** The custom fields that changed. */
  changed_custom_fields?: JsonObject[];
  [key: string]: unknown;
}
/** `data.type` `ping` (`pagey.ping`). */
export interface WebhookPingData {
  /** The `data.type`. */
  type?: 'ping';
  /** The message. */
  message?: string;
  [key: string]: unknown;
}

// <generated:webhook-types> (scripts/gen-bindings.sh, from the core's list: do not edit)
/** Every webhook v3 event type PagerDuty documents. */
export type WebhookEventType =
  | 'incident.acknowledged'
  | 'incident.annotated'
  | 'incident.conference_bridge.updated'
  | 'incident.custom_field_values.updated'
  | 'incident.delegated'
  | 'incident.escalated'
  | 'incident.incident_type.changed'
  | 'incident.priority_updated'
  | 'incident.reassigned'
  | 'incident.reopened'
  | 'incident.resolved'
  | 'incident.responder.added'
  | 'incident.responder.replied'
  | 'incident.role.assigned'
  | 'incident.service_updated'
  | 'incident.status_update_published'
  | 'incident.task.completed'
  | 'incident.task.created'
  | 'incident.task.updated'
  | 'incident.triggered'
  | 'incident.unacknowledged'
  | 'incident.action_invocation.created'
  | 'incident.action_invocation.terminated'
  | 'incident.action_invocation.updated'
  | 'incident.workflow.started'
  | 'incident.workflow.completed'
  | 'service.created'
  | 'service.custom_field_values.updated'
  | 'service.deleted'
  | 'service.updated'
  | 'pagey.ping';

/** The `data` of each event type. */
export interface WebhookDataMap {
  /** An incident was acknowledged. */
  'incident.acknowledged': WebhookIncidentData;
  /** A note was added to an incident. */
  'incident.annotated': WebhookIncidentNoteData;
  /** An incident's conference bridge changed. */
  'incident.conference_bridge.updated': WebhookIncidentConferenceBridgeData;
  /** An incident's custom field values changed. */
  'incident.custom_field_values.updated': WebhookIncidentFieldValuesData;
  /** An incident was reassigned to another escalation policy. */
  'incident.delegated': WebhookIncidentData;
  /** An incident was escalated. */
  'incident.escalated': WebhookIncidentData;
  /** An incident's type changed. */
  'incident.incident_type.changed': WebhookIncidentData;
  /** An incident's priority changed. */
  'incident.priority_updated': WebhookIncidentData;
  /** An incident was reassigned to another user. */
  'incident.reassigned': WebhookIncidentData;
  /** An incident was reopened. */
  'incident.reopened': WebhookIncidentData;
  /** An incident was resolved. */
  'incident.resolved': WebhookIncidentData;
  /** A responder was added to an incident. */
  'incident.responder.added': WebhookIncidentResponderData;
  /** A responder replied to a request. */
  'incident.responder.replied': WebhookIncidentResponderData;
  /** An incident role was assigned or unassigned. */
  'incident.role.assigned': WebhookIncidentRoleAssignmentData;
  /** An incident moved to another service. */
  'incident.service_updated': WebhookIncidentData;
  /** A status update was added to an incident. */
  'incident.status_update_published': WebhookIncidentStatusUpdateData;
  /** An incident task was completed. */
  'incident.task.completed': WebhookIncidentTaskData;
  /** An incident task was created. */
  'incident.task.created': WebhookIncidentTaskData;
  /** An incident task was updated. */
  'incident.task.updated': WebhookIncidentTaskData;
  /** An incident was triggered. */
  'incident.triggered': WebhookIncidentData;
  /** An incident was unacknowledged. */
  'incident.unacknowledged': WebhookIncidentData;
  /** An incident action invocation was created. */
  'incident.action_invocation.created': WebhookIncidentActionInvocationData;
  /** An incident action invocation was terminated. */
  'incident.action_invocation.terminated': WebhookIncidentActionInvocationData;
  /** An incident action invocation was updated. */
  'incident.action_invocation.updated': WebhookIncidentActionInvocationData;
  /** An incident workflow started. */
  'incident.workflow.started': WebhookIncidentWorkflowInstanceData;
  /** An incident workflow completed. */
  'incident.workflow.completed': WebhookIncidentWorkflowInstanceData;
  /** A service was created. */
  'service.created': WebhookServiceData;
  /** A service's custom field values changed. */
  'service.custom_field_values.updated': WebhookServiceFieldValuesData;
  /** A service was deleted. */
  'service.deleted': WebhookServiceData;
  /** A service was updated. */
  'service.updated': WebhookServiceData;
  /** The test event of a webhook subscription. */
  'pagey.ping': WebhookPingData;
}
// </generated:webhook-types>

/** An event of a known type, its `data` typed. */
export type TypedWebhookEvent<T extends WebhookEventType> = WebhookEvent & {
  /** The event's type. */
  event_type: T;
  /** The typed `data` of that type. */
  data: WebhookDataMap[T];
};

/** The webhook event types the core knows. */
export const WEBHOOK_EVENT_TYPES: readonly WebhookEventType[];

/** The `X-Webhook-Id`s of the webhooks handled: a bounded LRU (the core's) you own. */
export class ReplayGuard {
  /** Remembers up to `capacity` IDs (default 10,000); the least recently seen go first. */
  constructor(capacity?: number);
  /** Whether this webhook was remembered before (an empty ID never is). */
  seen(webhookId: string): boolean;
  /** Remembers this webhook as handled. */
  remember(webhookId: string): void;
  /** Forgets this webhook (its handling failed after all). */
  forget(webhookId: string): void;
  /** How many IDs are remembered. */
  readonly size: number;
}

/** Headers of a delivery: Node's `req.headers`, a `Headers`, or a plain object. */
export type WebhookHeaders = {
  /** A header by name (a fetch `Headers`, say), or null. */
  get(name: string): string | null;
} | { [name: string]: string | string[] | undefined };

/** Calls the handlers registered for an event's type; `handle` verifies and dedupes first. */
export class WebhookRouter {
  /** `secrets`: the subscription's secret(s), for `handle`; `guard`: a ReplayGuard (optional). */
  constructor(options?: {
    /** The subscription's secret(s), for `handle`. */
    secrets?: string | string[];
    /** Skips re-deliveries (by `X-Webhook-Id`). */
    guard?: ReplayGuard;
  });
  /** Registers `fn` for `eventType`; returns the router. */
  on<T extends WebhookEventType>(eventType: T, fn: (event: TypedWebhookEvent<T>) => void | Promise<void>): this;
  /** Registers `fn` for types the core does not know (data as sent). */
  onOther(fn: (event: WebhookEvent) => void | Promise<void>): this;
  /** Calls the handlers of the event's type in order; resolves to how many were called. */
  dispatch(event: WebhookEvent): Promise<number>;
  /** Verifies, skips a re-delivery the guard has seen, dispatches, remembers the `X-Webhook-Id`. Answer `status`. */
  handle(headers: WebhookHeaders, rawBody: RawBody): Promise<{
    /** The HTTP status to answer PagerDuty with (500 when a handler failed: it delivers again). */
    status: number;
    /** True for a re-delivery the guard had already seen (not dispatched). */
    duplicate: boolean;
  }>;
}

/** C's `PD_WEBHOOK_EVENT_TYPE_*` code of an event type; 0 for one the core does not know. */
export function webhookEventTypeCode(eventType: string): number;

/** A dedup key from named fields: `dk1-` and 64 hex digits, the same in every runtime; order does not matter. */
export function dedupKey(fields: { [name: string]: string | number | boolean }): string;

/** What {@link buildRequest} builds: a REST API request, or an event. */
export type BuildSpec =
  | {
    /** A REST API request. */
    api: 'rest';
    /** The REST API key, or an OAuth token with `token_kind: 'oauth'`. */
    token: string;
    /** As `tokenKind` of {@link RestClientOptions}. Default `general`. */
    token_kind?: 'general' | 'user' | 'oauth';
    /** `us` (default), `eu`, or a base URL. */
    region?: string;
    /** Another base URL (https; http only on loopback); wins over `region`. */
    base_url?: string;
    /** The `From` email, for writes that need one. */
    from?: string;
    /** `GET`, `POST`, `PUT`, `DELETE` or `PATCH`. */
    method: string;
    /** A path such as `/incidents/P1`, or a full URL on the configured REST host. */
    path: string;
    /** Query parameters, added to those already in `path`. */
    query?: Query;
    /** The JSON body. */
    body?: JsonValue;
  }
  | {
    /** An event (Events API v2, or v1 with the `v1_` actions). */
    api: 'events';
    /** The 32-character integration key. */
    routing_key: string;
    /** `us` (default), `eu`, or a base URL. */
    region?: string;
    /** Another base URL (https; http only on loopback); wins over `region`. */
    base_url?: string;
    /** What to send: an alert action, a change event, or an Events API v1 action (`v1_`). */
    action: 'trigger' | 'acknowledge' | 'resolve' | 'change' | 'v1_trigger' | 'v1_acknowledge' | 'v1_resolve';
    /** A {@link TriggerEvent} for `trigger`, a {@link ChangeEventInput} for `change`, a {@link V1Event} for the `v1_` actions. */
    event?: JsonObject;
    /** The alert's key, required for `acknowledge` and `resolve` (a trigger's is `event.dedup_key`). */
    dedup_key?: string;
  };

/** Which API answers a built request: pass it to {@link parseResponse}. */
export type ApiName = 'rest' | 'events_v2' | 'events_v1';

/**
 * A request built by {@link buildRequest}: send it with your own transport (no retries are made
 * for you), then read the answer with {@link parseResponse}.
 */
export interface BuiltRequest {
  /** The API that answers: pass it to `parseResponse`. */
  api: ApiName;
  /** The HTTP method. */
  method: string;
  /** The full URL, query included. */
  url: string;
  /** Holds the key: never log it. */
  headers: [string, string][];
  /** The JSON text of the body, or null for none. */
  body: string | null;
  /** The event's dedup_key (v1: incident_key), generated for a trigger without one; null for REST and change events. */
  dedup_key: string | null;
}
/** Sans-IO: the request a spec describes, to send with your own transport. */
export function buildRequest(spec: BuildSpec): BuiltRequest;
/** Sans-IO: reads the response (REST: the body; events: `{status, message, dedup_key}`), or throws the typed error. */
export function parseResponse(api: ApiName, response: { status: number; headers?: [string, string][] | { [name: string]: string }; body?: RawBody }): JsonValue;

/** Where the identity server is: PagerDuty's US (default) or EU host, or another base URL. */
export interface OAuthIdentityOptions {
  /** `us` (default) or `eu`. */
  region?: 'us' | 'eu';
  /** Another identity base URL (a simulator; https, http only on loopback); wins over `region`. */
  identityUrl?: string;
}
/** A PKCE pair from {@link oauthPkce}. */
export interface OAuthPkce {
  /** The code verifier: a secret, kept in the user's session for {@link oauthCodeExchangeRequest}. */
  verifier: string;
  /** Its S256 challenge, for {@link oauthAuthorizeUrl}. */
  challenge: string;
}
/** Options of {@link oauthAuthorizeUrl}. */
export interface OAuthAuthorizeOptions extends OAuthIdentityOptions {
  /** The app's client id. */
  clientId: string;
  /** Where PagerDuty sends the user back (registered with the app). */
  redirectUri: string;
  /** The scopes asked for: an array, or one space-separated string. */
  scopes: string[] | string;
  /** A value the app checks when the user comes back (CSRF). */
  state: string;
  /** The S256 challenge from {@link oauthPkce}. */
  challenge: string;
}
/** Options of {@link oauthCodeExchangeRequest}. */
export interface OAuthCodeExchangeOptions extends OAuthIdentityOptions {
  /** The app's client id. */
  clientId: string;
  /** The app's client secret, when it has one. */
  clientSecret?: string;
  /** The `code` the redirect brought. */
  code: string;
  /** The same redirect URI as in the authorize URL. */
  redirectUri: string;
  /** The verifier from {@link oauthPkce}. */
  verifier: string;
}
/** Options of {@link oauthRefreshRequest}. */
export interface OAuthRefreshOptions extends OAuthIdentityOptions {
  /** The app's client id. */
  clientId: string;
  /** The app's client secret, when it has one. */
  clientSecret?: string;
  /** The refresh token a code exchange gave (30 days). */
  refreshToken: string;
}
/** A token request to POST with your own transport; read the answer with {@link oauthParseToken}. */
export interface OAuthTokenRequest {
  /** `POST`. */
  method: string;
  /** `{identity}/oauth/token`. */
  url: string;
  /** The form's content type and `accept`. */
  headers: [string, string][];
  /** The form-encoded body: holds secrets, never log it. */
  body: string;
}
/** A token answer, checked: every scope asked for was granted. */
export interface OAuthToken {
  /** The access token (a secret), sent as `Authorization: Bearer`. */
  access_token: string;
  /** Always `bearer`. */
  token_type: 'bearer';
  /** Its lifetime in seconds from when it was asked for. */
  expires_in: number;
  /** The scopes granted, space-separated. */
  scope: string;
  /** The refresh token (authorization-code grants), or null. */
  refresh_token: string | null;
}
/** OAuth for user apps (PKCE, S256): a new code verifier from the platform's CSPRNG and its challenge. */
export function oauthPkce(): OAuthPkce;
/** The S256 challenge of a code verifier (RFC 7636: base64url of its SHA-256). */
export function oauthChallenge(verifier: string): string;
/** The URL to send the user to: `{identity}/oauth/authorize` with the S256 challenge. */
export function oauthAuthorizeUrl(options: OAuthAuthorizeOptions): string;
/** The authorization-code exchange (`grant_type=authorization_code`), to send with your own transport. */
export function oauthCodeExchangeRequest(options: OAuthCodeExchangeOptions): OAuthTokenRequest;
/** A new access token from a refresh token (`grant_type=refresh_token`), to send with your own transport. */
export function oauthRefreshRequest(options: OAuthRefreshOptions): OAuthTokenRequest;
/**
 * Reads a token answer; throws the typed error: `ScopeNotGrantedError` naming the scopes asked
 * for (`scopes`) and not granted, `UnauthorizedError`, `DecodeError`, ... Pass the `request`
 * that was sent (from {@link oauthCodeExchangeRequest} or {@link oauthRefreshRequest}) and its
 * secrets are scrubbed from a refusal: an identity server that quotes a refresh token, code or
 * client secret back does not put it in the error (a token answer is left as it is).
 */
export function oauthParseToken(
  response: { status: number; headers?: [string, string][] | { [name: string]: string }; body?: RawBody },
  scopes?: string[] | string,
  request?: OAuthTokenRequest,
): OAuthToken;

/** The version of the Rust code compiled into the wasm module, e.g. `"0.1.0"`. */
export function version(): string;

/** What an error knows beyond its message; a field is absent when it does not apply. */
export interface ErrorDetails {
  /** PagerDuty's numeric error code (`error.code`). */
  pagerdutyCode?: number | null;
  /** PagerDuty's error message, or a description of what came back instead. */
  pagerdutyMessage?: string;
  /** PagerDuty's reasons (`error.errors[]`). */
  errors?: string[];
  /** The start of a body that was not PagerDuty's JSON. */
  bodyExcerpt?: string;
  /** The input at fault (InvalidInputError). */
  field?: string;
  /** How long PagerDuty asked to wait (`ratelimit-reset` or `Retry-After`), in milliseconds. */
  retryAfterMs?: number;
}

/**
 * The base class of every error the package throws. Test `code`, or `instanceof` a subclass
 * (across two copies of the package, as with `import` and `require` in one process, only `code` works).
 */
export class PagerDutyError extends Error {
  /** What kind of failure this is: stable, one per subclass. */
  readonly code: ErrorCode;
  /** The HTTP status, when there was an answer. */
  readonly status: number | undefined;
  /** PagerDuty's `x-request-id`: quote it to support. */
  readonly requestId: string | undefined;
  /** More about the failure: PagerDuty's code, message and reasons, the input at fault. */
  readonly details: ErrorDetails;
  /** Events: the dedup_key that was sent (re-send with it to avoid a duplicate); otherwise undefined. */
  readonly dedupKey: string | undefined;
}
// The generator writes no comment for RateLimitedError's property (below): this merged
// declaration of it, identical in type, carries its documentation.
export interface RateLimitedError {
  /** How long PagerDuty asked to wait (`ratelimit-reset` or `Retry-After`), in milliseconds; undefined when it did not say. */
  readonly retryAfterMs: number | undefined;
}
/** The `code` of a {@link PagerDutyError}: one per subclass (`rate_limited` is RateLimitedError, ...). */
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
  | 'truncated'
  | 'already_exists'
  | 'scope_not_granted';

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
/** 400: it already exists (an open incident has this incident_key): nothing was created. */
export class AlreadyExistsError extends PagerDutyError {}
/** An OAuth token came without scopes that were asked for (PagerDuty drops invalid scopes). */
export class ScopeNotGrantedError extends PagerDutyError {}
// </generated:errors>
