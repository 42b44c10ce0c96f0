// The public API over the wasm module. Entry points (node.js, browser.js) load the module,
// then call configure() with the platform's defaults.

import {
  RestClient as RawRest, EventsClient as RawEvents, WebhookVerifier as RawVerifier,
  buildRequest as rawBuild, parseResponse as rawParse, parseWebhookEvent as rawParseWebhook,
  version as rawVersion, ReplayGuard as RawGuard, webhookEventTypes as rawEventTypes,
  dedupKey as rawDedupKey, dedupPollWait as rawPollWait, oauth as rawOauth,
} from './pagerduty_wasm.js';
import { InvalidInputError, AlreadyExistsError } from './errors.js';
import { drive, fetchTransport, traps, wasmCall } from './transport.js';

export {
  PagerDutyError, InvalidInputError, WrongKeyKindError, UnauthorizedError, ForbiddenError,
  NotFoundError, RateLimitedError, InvalidEventError, HttpError, TransportError, TimeoutError,
  DecodeError, InvalidSignatureError, CancelledError, InternalError, TruncatedError,
  AlreadyExistsError,
  ScopeNotGrantedError,
} from './errors.js';

import { platform } from './platform.js';

function invalid(field, reason) {
  return new InvalidInputError(`invalid ${field}: ${reason}`, { code: 'invalid_input', details: { field } });
}

// The options every client takes, the one list in JavaScript (index.d.ts's ClientOptions
// declares the same names; a test compares them): each with the core's name for it, or null
// for the ones this package's JavaScript handles itself (the transport's).
const COMMON = {
  region: 'region',
  baseUrl: 'base_url',
  timeoutMs: 'timeout_ms',
  maxResponseBytes: 'max_response_bytes',
  userAgent: 'user_agent',
  retry: null,
  fetch: null,
  caPem: null,
  caFile: null,
};
const RETRY = { maxAttempts: 'max_attempts', deadlineMs: 'deadline_ms', baseDelayMs: 'base_delay_ms', maxDelayMs: 'max_delay_ms' };

// JSON.stringify turns NaN and ±Infinity into null, which the core reads as "the default":
// a timeout of NaN would silently be 30 s. As text, the core refuses them, naming the field.
const wire = (v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v);

const PEM = '-----BEGIN CERTIFICATE-----';

/** The extra certificate authority of `caPem` / `caFile` (PEM text), or undefined. */
function extraCa(options) {
  const { caPem, caFile } = options;
  if (caPem === undefined && caFile === undefined) return undefined;
  if (caPem !== undefined && caFile !== undefined) throw invalid('options.caFile', 'give caPem or caFile, not both');
  const field = caPem !== undefined ? 'options.caPem' : 'options.caFile';
  // A browser or a fetch function of the caller's checks certificates with its own store.
  if (options.fetch !== undefined || !platform.transport) {
    throw invalid(field, 'needs the Node transport (node:http); a browser or a fetch function uses its own trust store');
  }
  let pem = caPem;
  if (caFile !== undefined) {
    if (typeof caFile !== 'string' || caFile === '') throw invalid(field, 'must be the path of a PEM file');
    try {
      pem = platform.readFile(caFile);
    } catch (e) {
      throw invalid(field, `cannot be read (${(e && e.code) || (e && e.message) || e})`);
    }
  }
  if (typeof pem !== 'string' || !pem.includes(PEM)) throw invalid(field, `must be PEM text (${PEM} ...)`);
  return pem;
}

/** The JS options object → the core's options object, and the transport. */
function coreOptions(options, extra) {
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object') throw invalid('options', 'must be an object');
  const names = { ...COMMON, ...extra };
  for (const k of Object.keys(options)) {
    if (!Object.hasOwn(names, k)) throw invalid(`options.${k}`, `is not an option (known: ${Object.keys(names).join(', ')})`);
  }
  const o = {};
  for (const [k, snake] of Object.entries(names)) {
    if (snake !== null && options[k] !== undefined) o[snake] = wire(options[k]);
  }
  if (options.retry !== undefined) {
    if (options.retry === null || typeof options.retry !== 'object') throw invalid('options.retry', 'must be an object');
    o.retry = {};
    for (const [k, v] of Object.entries(options.retry)) {
      if (!Object.hasOwn(RETRY, k)) throw invalid(`options.retry.${k}`, `is not a retry option (known: ${Object.keys(RETRY).join(', ')})`);
      o.retry[RETRY[k]] = wire(v);
    }
  }
  if (options.fetch !== undefined && typeof options.fetch !== 'function') throw invalid('options.fetch', 'must be a function');
  const ca = extraCa(options);
  // Browsers refuse a User-Agent from script (and it breaks CORS preflights): never set one there.
  const userAgent = platform.browser ? undefined : (options.userAgent ?? platform.userAgent);
  let transport;
  if (options.fetch) transport = fetchTransport(options.fetch, userAgent);
  else if (!platform.transport) transport = fetchTransport(platform.fetch, userAgent);
  else {
    try {
      transport = platform.transport(userAgent, { ca });
    } catch (e) {
      throw invalid(options.caPem !== undefined ? 'options.caPem' : 'options.caFile', `is not a certificate OpenSSL can read (${(e && e.message) || e})`);
    }
  }
  return { o, transport };
}

// The `oauth` option of a RestClient: client credentials of a scoped app, in the core's names.
const OAUTH = {
  clientId: 'client_id', clientSecret: 'client_secret', scopes: 'scopes', subdomain: 'subdomain',
  region: 'region', identityUrl: 'identity_url',
};

function oauthOptions(oauth) {
  if (oauth === null || typeof oauth !== 'object') throw invalid('options.oauth', 'must be an object');
  const out = {};
  for (const [k, v] of Object.entries(oauth)) {
    if (!Object.hasOwn(OAUTH, k)) throw invalid(`options.oauth.${k}`, `is not an oauth option (known: ${Object.keys(OAUTH).join(', ')})`);
    out[OAUTH[k]] = v;
  }
  return out;
}

/** A wasm object made by `make`, rebuilt if a trap may have left the old one unusable. */
class Rebuilt {
  constructor(make) { this.make = make; this.obj = wasmCall(make); this.gen = traps.count; }
  get() {
    if (this.gen !== traps.count) { this.obj = wasmCall(this.make); this.gen = traps.count; }
    return this.obj;
  }
}

function query(q) { return q === undefined ? null : q; }
function body(b) { return b === undefined ? null : b; }

export class RestClient {
  #raw; #transport;
  constructor(token, options) {
    const oauth = options && typeof options === 'object' ? options.oauth : undefined;
    // With client credentials there is no token: the client fetches its own.
    if (oauth !== undefined && (token === null || token === undefined)) token = '';
    if (typeof token !== 'string') throw invalid('token', 'must be a string');
    const { o, transport } = coreOptions(options, { tokenKind: 'token_kind', from: 'from', oauth: null });
    if (oauth !== undefined) o.oauth = oauthOptions(oauth);
    this.#raw = new Rebuilt(() => new RawRest(token, o));
    this.#transport = transport;
  }

  /**
   * The rate-limit budget of the last REST answer (`ratelimit-*` or `X-RateLimit-*` headers):
   * `{limit, remaining, resetMs}` (a value PagerDuty did not send is null), or null before any.
   */
  get rateLimit() {
    const r = JSON.parse(wasmCall(() => this.#raw.get().rateLimit()));
    return r === null ? null : { limit: r.limit, remaining: r.remaining, resetMs: r.reset_ms };
  }

  /** Any request; resolves to the parsed body (null when empty). */
  request(method, path, { query: q, body: b, signal } = {}) {
    return this.#run(() => this.#raw.get().request(method, path, query(q), body(b)), signal);
  }
  get(path, options = {}) { return this.request('GET', path, options); }
  post(path, b, options = {}) { return this.request('POST', path, { ...options, body: b }); }
  put(path, b, options = {}) { return this.request('PUT', path, { ...options, body: b }); }
  delete(path, options = {}) { return this.request('DELETE', path, options); }

  async #run(make, signal) {
    return drive(wasmCall(make), this.#transport, signal);
  }

  #op(name, args, options) {
    return this.#run(() => this.#raw.get().op(name, args), options && options.signal);
  }

  /**
   * Every item of a list endpoint, page by page (`for await`). A classic listing that reaches
   * PagerDuty's 10,000-record offset cap with records left ends by throwing TruncatedError
   * (after yielding everything it got): narrow the filters to see the rest.
   */
  async *iterate(path, q, options = {}) {
    for await (const page of this.pages(path, q, options)) yield* page;
  }

  /** The pages of a list endpoint, each an array of items; ends as `iterate` does. */
  async *pages(path, q, { signal } = {}) {
    yield* this.#walk(() => this.#raw.get().pager(path, query(q)), signal);
  }

  /**
   * Every item of a whole history past PagerDuty's 10,000-record cap (`for await`): `path`
   * from `since` up to `until` (ISO 8601), windows split by their `total` until each fits and
   * walked in time order, with no gap and no duplicate at the edges.
   */
  async *iterateHistory(path, since, until, q, { signal } = {}) {
    const pages = this.#walk(() => this.#raw.get().historyPager(path, query(q), String(since), String(until)), signal);
    for await (const page of pages) yield* page;
  }

  /** A list operation of the core's registry, item by item. */
  async *#list(name, args, options = {}) {
    for await (const page of this.#walk(() => this.#raw.get().pagerOp(name, args), options.signal)) yield* page;
  }

  async *#walk(makePager, signal) {
    const pager = wasmCall(makePager);
    try {
      for (;;) {
        const ex = wasmCall(() => pager.next());
        if (ex === undefined) return;
        yield await drive(ex, this.#transport, signal, true);
      }
    } finally {
      try { pager.free(); } catch { /* gone with a trapped instance */ }
    }
  }

  /**
   * After an event's 202: the incident of `dedupKey`, asked again (the core's schedule: 250 ms
   * doubling to 2 s) until it shows up or `deadlineMs` passes; null is "not yet".
   */
  async findIncidentForDedupKey(dedupKey, { deadlineMs = 10000, signal } = {}) {
    const start = Date.now();
    for (let attempt = 0; ; attempt++) {
      const found = await this.findIncidentByKey(dedupKey, { signal });
      if (found !== null) return found;
      const wait = wasmCall(() => rawPollWait(attempt, Date.now() - start, deadlineMs));
      if (wait < 0) return null;
      await new Promise((resolve) => setTimeout(resolve, wait));
      if (signal && signal.aborted) throw signal.reason;
    }
  }

  /**
   * createIncident made safe to retry: when an open incident already has the `incident_key`
   * (AlreadyExistsError), that incident is returned instead. Resolves to `{ incident, created }`.
   */
  async createIncidentOnce(args, options) {
    try {
      return { incident: await this.createIncident(args, options), created: true };
    } catch (e) {
      if (!(e instanceof AlreadyExistsError)) throw e;
      const incident = await this.findIncidentByKey(args.incident_key, options);
      if (incident === null) throw e;
      return { incident, created: false };
    }
  }

  // <generated:operations> (scripts/gen-bindings.sh, from the core's registry: do not edit)
  listIncidents(args, options) { return this.#list('list_incidents', args, options); }
  createIncident(args, options) { return this.#op('create_incident', args, options); }
  findIncidentByKey(incidentKey, options) { return this.#op('find_incident_by_key', { incident_key: incidentKey }, options); }
  manageIncidents(updates, options) { return this.#op('manage_incidents', { updates }, options); }
  getIncident(id, options) { return this.#op('get_incident', { id }, options); }
  updateIncident(id, update, options) { return this.#op('update_incident', { id, update }, options); }
  mergeIncidents(id, sourceIds, options) { return this.#op('merge_incidents', { id, source_ids: sourceIds }, options); }
  snoozeIncident(id, seconds, options) { return this.#op('snooze_incident', { id, seconds }, options); }
  listIncidentNotes(id, options) { return this.#op('list_incident_notes', { id }, options); }
  createIncidentNote(id, content, options) { return this.#op('create_incident_note', { id, content }, options); }
  listIncidentLogEntries(id, args, options) { return this.#list('list_incident_log_entries', { ...args, id }, options); }
  listIncidentAlerts(id, args, options) { return this.#list('list_incident_alerts', { ...args, id }, options); }
  getIncidentAlert(id, alertId, options) { return this.#op('get_incident_alert', { id, alert_id: alertId }, options); }
  listLogEntries(args, options) { return this.#list('list_log_entries', args, options); }
  getLogEntry(id, options) { return this.#op('get_log_entry', { id }, options); }
  listServices(args, options) { return this.#list('list_services', args, options); }
  createService(service, options) { return this.#op('create_service', { service }, options); }
  getService(id, options) { return this.#op('get_service', { id }, options); }
  updateService(id, changes, options) { return this.#op('update_service', { id, changes }, options); }
  deleteService(id, options) { return this.#op('delete_service', { id }, options); }
  createServiceIntegration(id, integration, options) { return this.#op('create_service_integration', { id, integration }, options); }
  getServiceIntegration(id, integrationId, options) { return this.#op('get_service_integration', { id, integration_id: integrationId }, options); }
  listServiceChangeEvents(id, args, options) { return this.#list('list_service_change_events', { ...args, id }, options); }
  listUsers(args, options) { return this.#list('list_users', args, options); }
  currentUser(options) { return this.#op('current_user', {}, options); }
  getUser(id, options) { return this.#op('get_user', { id }, options); }
  listContactMethods(userId, options) { return this.#op('list_contact_methods', { user_id: userId }, options); }
  listNotificationRules(userId, args, options) { return this.#op('list_notification_rules', { ...args, user_id: userId }, options); }
  listSchedules(args, options) { return this.#list('list_schedules', args, options); }
  getSchedule(id, args, options) { return this.#op('get_schedule', { ...args, id }, options); }
  listScheduleUsers(id, args, options) { return this.#op('list_schedule_users', { ...args, id }, options); }
  listOverrides(id, args, options) { return this.#op('list_overrides', { ...args, id }, options); }
  createOverride(id, args, options) { return this.#op('create_override', { ...args, id }, options); }
  deleteOverride(id, overrideId, options) { return this.#op('delete_override', { id, override_id: overrideId }, options); }
  listEscalationPolicies(args, options) { return this.#list('list_escalation_policies', args, options); }
  getEscalationPolicy(id, options) { return this.#op('get_escalation_policy', { id }, options); }
  listOncalls(args, options) { return this.#list('list_oncalls', args, options); }
  listTeams(args, options) { return this.#list('list_teams', args, options); }
  getTeam(id, options) { return this.#op('get_team', { id }, options); }
  listPriorities(options) { return this.#list('list_priorities', {}, options); }
  listTags(args, options) { return this.#list('list_tags', args, options); }
  getTag(id, options) { return this.#op('get_tag', { id }, options); }
  listEntityTags(entityType, id, options) { return this.#list('list_entity_tags', { entity_type: entityType, id }, options); }
  changeTags(entityType, id, args, options) { return this.#op('change_tags', { ...args, entity_type: entityType, id }, options); }
  listAbilities(options) { return this.#op('list_abilities', {}, options); }
  testAbility(ability, options) { return this.#op('test_ability', { ability }, options); }
  listChangeEvents(args, options) { return this.#list('list_change_events', args, options); }
  getChangeEvent(id, options) { return this.#op('get_change_event', { id }, options); }
  // </generated:operations>
}

export class EventsClient {
  #raw; #transport;
  constructor(routingKey, options) {
    if (typeof routingKey !== 'string') throw invalid('routingKey', 'must be a string');
    const { o, transport } = coreOptions(options, { truncateSummary: 'truncate_summary' });
    this.#raw = new Rebuilt(() => new RawEvents(routingKey, o));
    this.#transport = transport;
  }
  #send(make, options) {
    return (async () => drive(wasmCall(() => make(this.#raw.get())), this.#transport, options && options.signal))();
  }
  /** Triggers an alert; resolves to its dedup_key (yours, or a generated one). */
  trigger(event, o) { return this.#send((r) => r.trigger(event, platform.random16()), o); }
  /** Acknowledges the alert; resolves to its dedup_key. */
  acknowledge(dedupKey, o) { return this.#send((r) => r.acknowledge(String(dedupKey)), o); }
  /** Resolves the alert; resolves to its dedup_key. */
  resolve(dedupKey, o) { return this.#send((r) => r.resolve(String(dedupKey)), o); }
  change(event, o) { return this.#send((r) => r.change(event), o).then(() => undefined); }
  /** Events API v1; resolves to the incident_key. */
  v1(action, event, o) { return this.#send((r) => r.v1(String(action), event, platform.random16()), o); }
}

const encoder = new TextEncoder();
function bytes(b) {
  if (typeof b === 'string') return encoder.encode(b);
  if (b instanceof Uint8Array) return b;
  if (b instanceof ArrayBuffer) return new Uint8Array(b);
  throw invalid('body', 'must be the raw body: a string, Uint8Array or ArrayBuffer');
}

export class WebhookVerifier {
  #raw;
  constructor(secrets, { maxBodyBytes = 0 } = {}) {
    const list = typeof secrets === 'string' ? [secrets] : secrets;
    if (!Array.isArray(list) || list.some((s) => typeof s !== 'string')) throw invalid('secrets', 'must be a string or an array of strings');
    this.#raw = new Rebuilt(() => new RawVerifier(list, maxBodyBytes));
  }
  /** Throws InvalidSignatureError unless a signature in the header matches the raw body. */
  verify(signatureHeader, rawBody) {
    wasmCall(() => this.#raw.get().verify(String(signatureHeader ?? ''), bytes(rawBody)));
  }
  /** Verifies, then returns the payload's event. */
  verifyAndParse(signatureHeader, rawBody) {
    return wasmCall(() => this.#raw.get().verifyAndParse(String(signatureHeader ?? ''), bytes(rawBody)));
  }
}

/** Parses a webhook payload without checking a signature (verified elsewhere). */
export function parseWebhookEvent(rawBody) { return wasmCall(() => rawParseWebhook(bytes(rawBody))); }

/** Sans-IO: the request a spec describes, for your own transport. Holds the key: never log it. */
export function buildRequest(spec) { return wasmCall(() => rawBuild(spec, platform.random16())); }

/** Sans-IO: reads a response to a built request, or throws the typed error. */
export function parseResponse(api, response) {
  const { status, headers = null, body: b = '' } = response;
  return wasmCall(() => rawParse(String(api), status, headers, bytes(b)));
}

// OAuth for user apps (authorization code + PKCE): the core's rules (`pd_oauth` in C), the
// options renamed from camelCase. Absent options stay absent so the core names what is missing.
function oauthCall(action, fields) {
  const spec = { action };
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) spec[k] = v;
  const random = new Uint8Array(32);
  random.set(platform.random16(), 0);
  random.set(platform.random16(), 16);
  try { return wasmCall(() => rawOauth(spec, random)); } finally { random.fill(0); }
}
const where = (o) => ({ region: o.region, identity_url: o.identityUrl });

/** OAuth (PKCE): a new verifier (from the platform's CSPRNG) and its S256 challenge. */
export function oauthPkce() { return oauthCall('pkce', {}); }

/** OAuth (PKCE): the S256 challenge of a verifier. */
export function oauthChallenge(verifier) { return oauthCall('challenge', { verifier }).challenge; }

/** OAuth (PKCE): the URL to send the user to. */
export function oauthAuthorizeUrl(o = {}) {
  return oauthCall('authorize_url', {
    ...where(o), client_id: o.clientId, redirect_uri: o.redirectUri, scopes: o.scopes, state: o.state,
    challenge: o.challenge,
  }).url;
}

/** OAuth (PKCE): the authorization-code exchange request. Holds secrets: never log it. */
export function oauthCodeExchangeRequest(o = {}) {
  return oauthCall('code_exchange', {
    ...where(o), client_id: o.clientId, client_secret: o.clientSecret, code: o.code, redirect_uri: o.redirectUri,
    verifier: o.verifier,
  });
}

/** OAuth (PKCE): the refresh-token request. Holds secrets: never log it. */
export function oauthRefreshRequest(o = {}) {
  return oauthCall('refresh', {
    ...where(o), client_id: o.clientId, client_secret: o.clientSecret, refresh_token: o.refreshToken,
  });
}

/**
 * OAuth: reads a token answer, or throws the typed error (ScopeNotGrantedError, ...); with the
 * `request` that was sent, its secrets are scrubbed from a refusal (never from a token answer).
 */
export function oauthParseToken(response, scopes, request) {
  const { status, headers = null, body: b = '' } = response ?? {};
  const body = typeof b === 'string' ? b : new TextDecoder().decode(bytes(b));
  return oauthCall('parse_token', { status, headers, body, scopes, request });
}

export function version() { return rawVersion(); }

// The core's event types: name → [code, data.type]. Read at first use: the module is
// instantiated after this file is evaluated.
let eventTypes;
function types() {
  eventTypes ??= new Map(wasmCall(() => rawEventTypes()).map(([name, code, data]) => [name, [code, data]]));
  return eventTypes;
}
const EVENT_TYPES = { has: (t) => types().has(t), get: (t) => types().get(t) };

/** The webhook event types the core knows, in C's code order (read-only, filled at first use). */
export const WEBHOOK_EVENT_TYPES = new Proxy([], {
  get: (_, k) => { const list = Object.freeze([...types().keys()]); const v = Reflect.get(list, k); return typeof v === 'function' ? v.bind(list) : v; },
  has: (_, k) => Reflect.has([...types().keys()], k),
  ownKeys: () => Reflect.ownKeys(Object.freeze([...types().keys()])),
  getOwnPropertyDescriptor: (_, k) => Reflect.getOwnPropertyDescriptor([...types().keys()], k),
  set: () => false,
  defineProperty: () => false,
});

/** The `X-Webhook-Id`s of the webhooks handled: a bounded LRU (the core's) you own. */
export class ReplayGuard {
  #raw;
  constructor(capacity = 10000) { this.#raw = new Rebuilt(() => new RawGuard(capacity)); }
  /** Whether this webhook was remembered before (an empty ID never is). */
  seen(id) { return wasmCall(() => this.#raw.get().seen(String(id))); }
  /** Remembers this webhook as handled. */
  remember(id) { wasmCall(() => this.#raw.get().remember(String(id))); }
  /** Forgets this webhook (its handling failed after all). */
  forget(id) { wasmCall(() => this.#raw.get().forget(String(id))); }
  /** How many IDs are remembered. */
  get size() { return wasmCall(() => this.#raw.get().size); }
}

/** Calls the handlers registered for an event's type; verifies and dedupes with `handle`. */
export class WebhookRouter {
  #handlers = new Map(); #other = []; #verifier; #guard;
  constructor({ secrets, guard } = {}) {
    this.#verifier = secrets === undefined ? undefined : new WebhookVerifier(secrets);
    this.#guard = guard;
  }
  /** Registers `fn` for `eventType` (one of WEBHOOK_EVENT_TYPES); returns the router. */
  on(eventType, fn) {
    if (!EVENT_TYPES.has(eventType)) throw invalid('eventType', `${JSON.stringify(eventType)} is not a webhook event type (use onOther for unknown ones)`);
    if (typeof fn !== 'function') throw invalid('handler', 'must be a function');
    if (!this.#handlers.has(eventType)) this.#handlers.set(eventType, []);
    this.#handlers.get(eventType).push(fn);
    return this;
  }
  /** Registers `fn` for event types the core does not know (their data as sent). */
  onOther(fn) {
    if (typeof fn !== 'function') throw invalid('handler', 'must be a function');
    this.#other.push(fn);
    return this;
  }
  /** Calls the handlers of the event's type in order (awaiting each); resolves to how many. */
  async dispatch(event) {
    const list = EVENT_TYPES.has(event.event_type) ? (this.#handlers.get(event.event_type) || []) : this.#other;
    for (const fn of list) await fn(event);
    return list.length;
  }
  /**
   * One delivery: verifies the signature, skips a webhook the guard has seen, dispatches, then
   * remembers its `X-Webhook-Id`. Resolves to `{ status, duplicate }` (answer 200); throws
   * InvalidSignatureError (answer 401) or a handler's error (answer 5xx: PagerDuty retries).
   */
  async handle(headers, rawBody) {
    if (!this.#verifier) throw invalid('secrets', 'WebhookRouter.handle needs the webhook secrets');
    const get = (name) => {
      if (typeof headers.get === 'function') return headers.get(name) ?? '';
      for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return Array.isArray(v) ? v.join(',') : String(v);
      return '';
    };
    const event = this.#verifier.verifyAndParse(get('x-pagerduty-signature'), rawBody);
    const id = get('x-webhook-id');
    if (this.#guard && id && this.#guard.seen(id)) return { status: 200, duplicate: true };
    await this.dispatch(event);
    if (this.#guard && id) this.#guard.remember(id);
    return { status: 200, duplicate: false };
  }
}

/** C's PD_WEBHOOK_EVENT_TYPE_* code of an event type; 0 for one the core does not know. */
export function webhookEventTypeCode(eventType) { return (EVENT_TYPES.get(eventType) || [0])[0]; }

/** A dedup key from named fields: `dk1-` and 64 hex digits, the same in every runtime. */
export function dedupKey(fields) {
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) throw invalid('fields', 'must be an object of name: value');
  return wasmCall(() => rawDedupKey(JSON.stringify(fields)));
}
