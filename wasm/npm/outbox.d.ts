// `pagerduty-wasm/outbox` (Node only): the durable outbox.
import type { ChangeEventInput, FetchLike, JsonObject, TriggerEvent, V1Event } from './index.js';

/** The options of {@link Outbox.open} (and {@link Outbox.spool}: the event-building ones). */
export interface OutboxOptions {
  /** `us` (default) or `eu`. */
  region?: 'us' | 'eu';
  /** Another events host (https; http only on loopback), e.g. the local simulator. Every queued event goes where the opener says. */
  baseUrl?: string;
  /** Per-attempt timeout. Default 30000. */
  timeoutMs?: number;
  /** Largest answer read, in bytes. Default 8388608. */
  maxResponseBytes?: number;
  /** Cut summaries longer than 1024 characters instead of refusing them. */
  truncateSummary?: boolean;
  /** Sends per routing key in any `rateWindowMs` (PagerDuty allows about 120 a minute). 0 turns pacing off. Default 120. */
  rateLimit?: number;
  /** The window `rateLimit` counts over, ms (2%, at least 100 ms, is added for the network's jitter). Default 60000. */
  rateWindowMs?: number;
  /** An event not delivered this long after it was queued is a dead letter (`expired`). Default 86400000 (24 h). */
  maxAgeMs?: number;
  /** Sends out at once, over all keys (one per key at most). Default 16. */
  maxInFlight?: number;
  /** fsync every append (the default, and the guarantee); false only for tests and benchmarks that accept losing the last events to a power cut. */
  fsync?: boolean;
  /** The backoff between attempts (retries go on until `maxAgeMs`). */
  retry?: OutboxRetryOptions;
  /** The transport. Default: node:http / node:https. */
  fetch?: FetchLike;
  /** Sent as `User-Agent`. */
  userAgent?: string;
  /** A certificate authority (PEM text) trusted beside the system's roots (not with `fetch`). */
  caPem?: string;
  /** As `caPem`, read from this PEM file. */
  caFile?: string;
  /** How often the background sender takes in DIR/incoming/*.spool, ms. Default 1000. */
  ingestIntervalMs?: number;
}

/** The backoff of {@link OutboxOptions}. */
export interface OutboxRetryOptions {
  /** First backoff ceiling, ms (full jitter). Default 500. */
  baseDelayMs?: number;
  /** Largest backoff ceiling, ms. Default 10000. */
  maxDelayMs?: number;
}

/** A queued event. */
export interface Queued {
  /** The event's id in this outbox (for {@link Outbox.retryDead}). */
  id: number;
  /** The dedup_key fixed at enqueue (v1: incident_key); null for a change event. */
  dedupKey: string | null;
}

/** What {@link Outbox.open} found in the journal. */
export interface Recovered {
  /** Bytes kept. */
  validLen: number;
  /** Bytes of a torn last record cut off (0 after a clean stop). */
  tornBytes: number;
  /** Records read. */
  records: number;
}

/** One routing key's backlog. */
export interface KeyStats {
  /** The key's fingerprint: the first 12 hex digits of its SHA-256 (never the key). */
  key: string;
  /** Events waiting or out. */
  queued: number;
  /** Events out now (0 or 1). */
  inFlight: number;
  /** Sends in the pacing window that ends now. */
  sentInWindow: number;
  /** Milliseconds until this key may send again (0: now). */
  nextSendInMs: number;
  /** The last failure of the event at the head of the queue (no key in it), or null. */
  lastError: string | null;
}

/** A snapshot of the outbox. */
export interface OutboxStats {
  /** Events not yet delivered or dead (in flight included). */
  queued: number;
  /** Events out now. */
  inFlight: number;
  /** Events delivered over the journal's life. */
  delivered: number;
  /** Dead letters. */
  dead: number;
  /** Age of the oldest queued event, ms (0 when none). */
  oldestAgeMs: number;
  /** The pace: sends per key per window (0: off). */
  rateLimit: number;
  /** The pace's window, ms. */
  rateWindowMs: number;
  /** Per routing key with a backlog. */
  keys: KeyStats[];
  /** The journal's size in bytes. */
  journalBytes: number;
}

/** An event that will not be sent again unless {@link Outbox.retryDead} puts it back. */
export interface DeadLetter {
  /** The event's id. */
  id: number;
  /** Its routing key's fingerprint (never the key). */
  key: string;
  /** The endpoint: Events API v2, change events, or v1. */
  kind: 'v2' | 'change' | 'v1';
  /** The dedup_key (v1: incident_key), or null. */
  dedupKey: string | null;
  /** When it was queued (or last retried by hand), Unix ms. */
  enqueuedMs: number;
  /** When it died, Unix ms. */
  deadMs: number;
  /** A stable code: an error code (`invalid_event`, `unauthorized`, `not_found`, `http_error`, ...) or `expired`. */
  code: string;
  /** Why, in words: PagerDuty's message and errors when it answered. */
  reason: string;
  /** The HTTP status, when something answered. */
  status: number | null;
  /** PagerDuty's `errors[]`. */
  errors: string[];
  /** Attempts made. */
  attempts: number;
  /** The event's body, without the key. */
  event: JsonObject;
}

/** The `code` of an {@link OutboxError}. */
export type OutboxErrorCode = 'outbox_locked' | 'outbox_closed' | 'outbox_io';

/**
 * A failure of the outbox's own (at run time also a `PagerDutyError`): `outbox_locked` (another
 * process, or another Outbox of this one, delivers this journal), `outbox_closed` (used after
 * close(), or after an I/O failure or internal error closed it: open it again), `outbox_io` (a
 * file operation failed; `cause` is Node's error). Errors of the events themselves are the
 * package's typed errors (`InvalidInputError`, ...); a damaged journal is a `DecodeError`.
 */
export class OutboxError extends Error {
  /** Which failure. */
  readonly code: OutboxErrorCode;
  /** `path` of the lock, `pid` and `host` of its holder, `errno` of a failed file operation. */
  readonly details: { path?: string; pid?: number; host?: string; errno?: string };
}

/** What {@link Outbox.spool} wrote. */
export interface Spooled {
  /** The spool file's path. */
  file: string;
  /** The event's dedup_key (null for a change event). */
  dedupKey: string | null;
}

/**
 * A durable outbox in a directory: an event an enqueue method accepted is in DIR/journal and
 * fsynced before the method returns, and is delivered through crashes, restarts, outages and
 * rate limits (at least once; PagerDuty's dedup_key makes that exactly one alert while the alert
 * is open). Per routing key, events go out in order, one at a time, paced to `rateLimit` per `rateWindowMs`.
 * One process delivers a journal at a time (DIR/lock).
 */
export class Outbox {
  private constructor();
  /**
   * Opens (creating it, 0700) the outbox in `dir`: takes DIR/lock, replays DIR/journal (0600; a
   * torn last record is cut off), takes in DIR/incoming/*.spool. Throws an {@link OutboxError}
   * `outbox_locked` when another process or another Outbox of this one has it open.
   */
  static open(dir: string, options?: OutboxOptions): Outbox;
  /**
   * Hands a trigger to the process that owns the outbox in `dir` without opening it: writes
   * DIR/incoming/NAME.spool (temporary file, fsync, rename, directory fsync); the owner queues it
   * at its next ingest.
   */
  static spool(dir: string, kind: 'trigger', routingKey: string, event: TriggerEvent, options?: OutboxOptions): Spooled;
  /** As the trigger's `spool`, for an acknowledge or resolve of the alert with `dedupKey`. */
  static spool(dir: string, kind: 'acknowledge' | 'resolve', routingKey: string, dedupKey: string, options?: OutboxOptions): Spooled;
  /** As the trigger's `spool`, for a change event. */
  static spool(dir: string, kind: 'change', routingKey: string, event: ChangeEventInput, options?: OutboxOptions): Spooled;
  /** As the trigger's `spool`, for an Events API v1 event (`options.action`). */
  static spool(dir: string, kind: 'v1', routingKey: string, event: V1Event, options: OutboxOptions & { action: 'trigger' | 'acknowledge' | 'resolve' }): Spooled;
  /** What opening found in the journal. */
  readonly recovered: Recovered;
  /** The directory. */
  readonly dir: string;
  /** Queues a trigger; returns once it is on disk. */
  trigger(routingKey: string, event: TriggerEvent): Queued;
  /** Queues an acknowledge of the alert with `dedupKey`. */
  acknowledge(routingKey: string, dedupKey: string): Queued;
  /** Queues a resolve of the alert with `dedupKey`. */
  resolve(routingKey: string, dedupKey: string): Queued;
  /** Queues a change event. */
  change(routingKey: string, event: ChangeEventInput): Queued;
  /** Queues an Events API v1 event. */
  v1(routingKey: string, action: 'trigger' | 'acknowledge' | 'resolve', event: V1Event): Queued;
  /** Takes in DIR/incoming/*.spool now; how many events were queued. */
  ingest(): number;
  /**
   * Starts the background sender (timers on the event loop; it also takes in spool files every
   * `ingestIntervalMs`). Its timers do not keep the process alive unless `keepAlive`.
   */
  start(options?: { keepAlive?: boolean }): void;
  /** Stops the background sender; sends already out finish and are recorded. */
  stop(): void;
  /** Sends until nothing is queued (dead letters aside) or `timeoutMs` (default 30000) passed; resolves to the stats. */
  flush(timeoutMs?: number): Promise<OutboxStats>;
  /** A snapshot. */
  stats(): OutboxStats;
  /** The dead letters, oldest first. */
  deadLetters(): DeadLetter[];
  /** Puts the dead letters of `ids` (or all) back in their queues; how many. */
  retryDead(ids?: number[]): number;
  /** Stops, cancels sends out (sent again after the next open), closes the journal, releases the lock. */
  close(): Promise<void>;
}
