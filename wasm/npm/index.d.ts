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

export interface Reference {
  id: string;
  type: string;
  summary?: string | null;
  self?: string | null;
  html_url?: string | null;
  [key: string]: unknown;
}

export interface Resource {
  id: string;
  type: string;
  summary?: string | null;
  html_url?: string | null;
  [key: string]: unknown;
}

export interface Incident extends Resource {
  incident_number?: number | null;
  title?: string | null;
  status?: string | null;
  urgency?: string | null;
  created_at?: string | null;
  last_status_change_at?: string | null;
  incident_key?: string | null;
  service?: Reference | null;
  escalation_policy?: Reference | null;
  priority?: Reference | null;
  teams?: Reference[];
  assignments?: JsonValue[];
}
export interface Note extends Resource { content?: string | null; created_at?: string | null; user?: Reference | null }
export interface LogEntry extends Resource { created_at?: string | null; agent?: Reference | null; channel?: JsonValue; incident?: Reference | null }
export interface Alert extends Resource { status?: string | null; alert_key?: string | null; created_at?: string | null; severity?: string | null }

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

  getIncident(id: string, options?: CallOptions): Promise<Incident>;
  createIncident(incident: NewIncident, options?: CallOptions): Promise<Incident>;
  updateIncident(id: string, update: IncidentUpdate, options?: CallOptions): Promise<Incident>;
  manageIncidents(updates: { id: string; update: IncidentUpdate }[], options?: CallOptions): Promise<Incident[]>;
  mergeIncidents(id: string, sourceIds: string[], options?: CallOptions): Promise<Incident>;
  snoozeIncident(id: string, seconds: number, options?: CallOptions): Promise<Incident>;
  listIncidentNotes(id: string, options?: CallOptions): Promise<Note[]>;
  createIncidentNote(id: string, content: string, options?: CallOptions): Promise<Note>;
  getIncidentAlert(id: string, alertId: string, options?: CallOptions): Promise<Alert>;
  getLogEntry(id: string, options?: CallOptions): Promise<LogEntry>;
  getService(id: string, options?: CallOptions): Promise<Resource>;
  createService(service: JsonObject, options?: CallOptions): Promise<Resource>;
  updateService(id: string, changes: JsonObject, options?: CallOptions): Promise<Resource>;
  deleteService(id: string, options?: CallOptions): Promise<null>;
  getUser(id: string, options?: CallOptions): Promise<Resource>;
  currentUser(options?: CallOptions): Promise<Resource>;
  listContactMethods(userId: string, options?: CallOptions): Promise<Resource[]>;
  listNotificationRules(userId: string, urgency?: Urgency, options?: CallOptions): Promise<Resource[]>;
  getSchedule(id: string, window?: TimeWindow, options?: CallOptions): Promise<Resource>;
  listScheduleUsers(id: string, window?: TimeWindow, options?: CallOptions): Promise<Resource[]>;
  listOverrides(id: string, window: Required<TimeWindow>, options?: CallOptions): Promise<JsonObject[]>;
  createOverride(id: string, override: { userId: string; start: string; end: string }, options?: CallOptions): Promise<JsonObject>;
  deleteOverride(id: string, overrideId: string, options?: CallOptions): Promise<null>;
  getEscalationPolicy(id: string, options?: CallOptions): Promise<Resource>;
  getTeam(id: string, options?: CallOptions): Promise<Resource>;
  getTag(id: string, options?: CallOptions): Promise<Resource>;
  listAbilities(options?: CallOptions): Promise<string[]>;
  /** false when the account's plan lacks it (PagerDuty's 402). */
  testAbility(ability: string, options?: CallOptions): Promise<boolean>;
  getChangeEvent(id: string, options?: CallOptions): Promise<JsonObject>;
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

export interface ChangeEvent {
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
  change(event: ChangeEvent, options?: CallOptions): Promise<void>;
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

export type ErrorCode =
  | 'invalid_input' | 'wrong_key_kind' | 'unauthorized' | 'forbidden' | 'not_found'
  | 'rate_limited' | 'invalid_event' | 'http_error' | 'transport' | 'timeout' | 'decode'
  | 'invalid_signature' | 'cancelled' | 'internal' | 'truncated';

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
export class InvalidInputError extends PagerDutyError {}
export class WrongKeyKindError extends PagerDutyError {}
export class UnauthorizedError extends PagerDutyError {}
export class ForbiddenError extends PagerDutyError {}
export class NotFoundError extends PagerDutyError {}
export class RateLimitedError extends PagerDutyError { readonly retryAfterMs: number | undefined }
export class InvalidEventError extends PagerDutyError {}
export class HttpError extends PagerDutyError {}
export class TransportError extends PagerDutyError {}
export class TimeoutError extends PagerDutyError {}
export class DecodeError extends PagerDutyError {}
export class InvalidSignatureError extends PagerDutyError {}
export class CancelledError extends PagerDutyError {}
export class InternalError extends PagerDutyError {}
/** `iterate()`/`pages()` reached PagerDuty's 10,000-record offset cap with records left over. */
export class TruncatedError extends PagerDutyError {}
