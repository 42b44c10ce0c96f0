// `pagerduty-wasm/outbox` (Node only): the durable outbox. An event that `trigger` (or any
// enqueue method) accepted is in DIR/journal, fsynced, before the call returns, and reaches
// PagerDuty through crashes, restarts, outages and rate limits: the core's scheduler (in wasm:
// FIFO per routing key, pacing per key, retries until maxAgeMs, dead letters) decides, this
// file keeps its contract (wasm/src/outbox.rs, core/src/outbox/mod.rs):
//   open: read the journal, cut it to `validLen`, append `takePending()`;
//   after every call that changes state: append `takePending()` and fsync BEFORE acting on it.
//
// DIR holds `journal` (0600: it holds routing keys), `lock` (the pid of the process that
// delivers this journal), `journal.tmp` during a compaction, and `incoming/` where processes
// that do not own the journal drop `*.spool` files (Outbox.spool here, or the native side).

import {
  closeSync, fchmodSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readdirSync,
  readFileSync, readSync, renameSync, statSync, unlinkSync, writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import './node.js';
import {
  initSync, setErrorFactory, Outbox as RawOutbox, outboxOptionKeys, outboxSpool, outboxSpoolDedupKey,
} from './pagerduty_wasm_outbox.js';
import { InternalError, InvalidInputError, PagerDutyError, makeError } from './errors.js';
import { platform } from './platform.js';
import { failure, fetchTransport, wasmCall } from './transport.js';

/**
 * An error of the outbox's own: `code` is `outbox_locked` (another process, or another Outbox
 * of this one, delivers this journal), `outbox_closed` (used after close(), or after an I/O
 * failure or an internal error closed it: open it again) or `outbox_io` (a file operation
 * failed; `cause` is Node's error).
 */
export class OutboxError extends PagerDutyError {}

function invalid(field, reason) {
  return new InvalidInputError(`invalid ${field}: ${reason}`, { code: 'invalid_input', details: { field } });
}

function ioError(what, e) {
  return new OutboxError(`outbox: ${what}: ${(e && e.message) || e}`, { code: 'outbox_io', cause: e, details: { errno: e && e.code } });
}

// The options: each with the core's name for it, or null for those handled here.
const OPTIONS = {
  region: 'region',
  baseUrl: 'base_url',
  timeoutMs: 'timeout_ms',
  maxResponseBytes: 'max_response_bytes',
  truncateSummary: 'truncate_summary',
  userAgent: null,
  retry: null,
  fetch: null,
  caPem: null,
  caFile: null,
  ingestIntervalMs: null,
};
// The outbox's module (the core with the outbox, a module of its own so that the main one,
// which browsers load, does not carry it), beside this file.
initSync({ module: readFileSync(new URL('./pagerduty_wasm_outbox_bg.wasm', import.meta.url)) });
setErrorFactory(makeError);

// The core's `outbox` object (rate_limit, rate_window_ms, max_age_ms, max_in_flight, fsync),
// under camelCase names: the core's list, not a copy.
const OUTBOX = Object.fromEntries(outboxOptionKeys().map((k) => [k.replace(/_([a-z])/g, (_, c) => c.toUpperCase()), k]));
for (const k of Object.keys(OUTBOX)) OPTIONS[k] = null;
// The outbox retries until maxAgeMs: only the backoff is the caller's to set.
const RETRY = { baseDelayMs: 'base_delay_ms', maxDelayMs: 'max_delay_ms' };

const wire = (v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v);

function coreOptions(options) {
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object') throw invalid('options', 'must be an object');
  for (const k of Object.keys(options)) {
    if (!Object.hasOwn(OPTIONS, k)) throw invalid(`options.${k}`, `is not an outbox option (known: ${Object.keys(OPTIONS).join(', ')})`);
  }
  const o = {};
  for (const [k, snake] of Object.entries(OPTIONS)) {
    if (snake !== null && options[k] !== undefined) o[snake] = wire(options[k]);
  }
  o.outbox = {};
  for (const [k, snake] of Object.entries(OUTBOX)) {
    if (options[k] !== undefined) o.outbox[snake] = wire(options[k]);
  }
  if (options.retry !== undefined) {
    if (options.retry === null || typeof options.retry !== 'object') throw invalid('options.retry', 'must be an object');
    o.retry = {};
    for (const [k, v] of Object.entries(options.retry)) {
      if (!Object.hasOwn(RETRY, k)) throw invalid(`options.retry.${k}`, `is not an outbox retry option (known: ${Object.keys(RETRY).join(', ')}; the outbox retries until maxAgeMs)`);
      o.retry[RETRY[k]] = wire(v);
    }
  }
  return o;
}

/** The core's event spec (`{action, event}` or `{action, dedup_key}`) for a verb. */
function specOf(kind, arg, action) {
  if (kind === 'acknowledge' || kind === 'resolve') return { action: kind, dedup_key: String(arg) };
  if (kind === 'v1') return { action: `v1_${action}`, event: arg };
  return { action: kind, event: arg };
}

function transportOf(options) {
  const userAgent = options.userAgent ?? platform.userAgent;
  if (options.fetch !== undefined) {
    if (typeof options.fetch !== 'function') throw invalid('options.fetch', 'must be a function');
    return fetchTransport(options.fetch, userAgent);
  }
  let ca = options.caPem;
  if (options.caFile !== undefined) {
    if (ca !== undefined) throw invalid('options.caFile', 'give caPem or caFile, not both');
    try { ca = readFileSync(options.caFile, 'utf8'); } catch (e) { throw invalid('options.caFile', `cannot be read (${(e && e.code) || e})`); }
  }
  try {
    return platform.transport(userAgent, { ca });
  } catch (e) {
    throw invalid(options.caPem !== undefined ? 'options.caPem' : 'options.caFile', `is not a certificate OpenSSL can read (${(e && e.message) || e})`);
  }
}

function writeAll(fd, bytes, position) {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
}

function readAll(fd, size) {
  const buf = Buffer.alloc(size);
  let done = 0;
  while (done < size) {
    const n = readSync(fd, buf, done, size - done, done);
    if (n === 0) break;
    done += n;
  }
  return done === size ? buf : buf.subarray(0, done);
}

/** Makes a directory's entries (a created, renamed or removed file) durable. */
function fsyncDir(dir) {
  const fd = openSync(dir, 'r');
  try { fsyncSync(fd); } finally { closeSync(fd); }
}

const sleepSync = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

// ---- The lock ---------------------------------------------------------------------------
// Node has no flock: DIR/lock is created with O_EXCL ('wx') and holds "pid\nhost\n" (native
// owners flock DIR/flock and write theirs there; each side checks the other's). A lock
// whose pid is dead on this host is stale and taken over under DIR/lock.takeover (itself an
// O_EXCL file), which makes "read the stale lock, remove it" atomic against another opener
// doing the same: without it, a second opener could remove the lock the first just made.

/** Directories this process has open (a clearer error than the pid check's). */
const openHere = new Set();

function readHolder(path) {
  let text;
  try { text = readFileSync(path, 'utf8'); } catch (e) { if (e.code === 'ENOENT') return { gone: true }; throw e; }
  const [pid, host] = text.split('\n');
  const n = Number(pid);
  return { text, pid: Number.isInteger(n) && n > 0 ? n : undefined, host };
}

function alive(holder) {
  if (holder.host !== hostname()) return true; // cannot tell: another host's process
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM'; // exists, another user's
  }
}

function ageMs(path) {
  try { return Date.now() - statSync(path).mtimeMs; } catch { return Infinity; }
}

/** Runs `fn` holding DIR/lock.takeover (O_EXCL; one left by a dead process is removed). */
function underTakeover(dir, fn) {
  const path = join(dir, 'lock.takeover');
  for (let i = 0; ; i++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      try { writeSync(fd, `${process.pid}\n${hostname()}\n`); } finally { closeSync(fd); }
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      const h = readHolder(path);
      if (!h.gone && h.pid !== undefined && !alive(h) && ageMs(path) > 1000) {
        try { unlinkSync(path); } catch { /* another opener removed it */ }
      } else if (i > 100) {
        throw new OutboxError(`outbox: ${path} has been held for over 2 s; remove it if no outbox is starting`, { code: 'outbox_locked', details: { path } });
      }
      sleepSync(20);
    }
  }
  try { return fn(); } finally { try { unlinkSync(path); } catch { /* gone */ } }
}

function acquireLock(dir) {
  const path = join(dir, 'lock');
  const mine = `${process.pid}\n${hostname()}\n${Date.now()}\n`;
  for (let i = 0; ; i++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      try { writeAll(fd, Buffer.from(mine), 0); fsyncSync(fd); } finally { closeSync(fd); }
      const lock = { path, mine };
      // A native owner (libpagerduty, Python, the CLI) holds a flock on DIR/flock and names
      // its pid there. Our mark is written first, then theirs is looked for (they do the
      // same in the other order): two openers may both refuse, never both own.
      const native = readHolder(join(dir, 'flock'));
      if (!native.gone && native.pid !== undefined && native.pid !== process.pid && alive(native)) {
        releaseLock(lock);
        throw new OutboxError(`outbox: ${dir} is owned by a native process (pid ${native.pid}); one process delivers a journal at a time`,
          { code: 'outbox_locked', details: { path: join(dir, 'flock'), pid: native.pid, host: native.host } });
      }
      return lock;
    } catch (e) {
      if (e instanceof OutboxError) throw e;
      if (e.code !== 'EEXIST') throw ioError(`cannot create ${path}`, e);
    }
    const h = readHolder(path);
    if (h.gone) continue;
    if (h.pid === undefined) {
      // Being written (created, not yet filled): wait; an empty lock of a process that died
      // between the two is stale after a while.
      if (ageMs(path) < 2000 && i < 200) { sleepSync(10); continue; }
    } else if (alive(h)) {
      const here = h.pid === process.pid && h.host === hostname();
      throw new OutboxError(here
        ? `outbox: ${dir} is already open in this process: close() that Outbox first`
        : `outbox: ${dir} is locked by process ${h.pid} on ${h.host}; one process delivers a journal at a time (if no such process runs any more, remove ${path})`,
      { code: 'outbox_locked', details: { path, pid: h.pid, host: h.host } });
    }
    if (i > 20) throw new OutboxError(`outbox: could not take over the stale lock ${path}`, { code: 'outbox_locked', details: { path } });
    underTakeover(dir, () => {
      const again = readHolder(path);
      if (!again.gone && again.text === h.text) unlinkSync(path);
    });
  }
}

function releaseLock(lock) {
  try {
    if (readFileSync(lock.path, 'utf8') === lock.mine) unlinkSync(lock.path);
  } catch { /* already gone */ }
}

// ---- The outbox -------------------------------------------------------------------------

const parse = (text) => JSON.parse(text);

export class Outbox {
  #dir; #journal; #fd = -1; #offset = 0; #raw; #transport; #lock; #recovered;
  #closed = false; #closing = null; #running = false; #keepAlive = false; #flushing = 0;
  #timer = null; #timerAt = Infinity; #inFlight = new Map(); #waiters = new Set();
  #ingestEvery; #lastIngest = 0;

  constructor(token) {
    if (token !== TOKEN) throw new TypeError('use Outbox.open(dir, options)');
  }

  /**
   * Opens (creating it, 0700) the outbox in `dir`: takes the lock, replays the journal (a torn
   * last record is cut off), takes in DIR/incoming/*.spool. Throws OutboxError `outbox_locked`
   * when another process (or another Outbox here) has it open.
   */
  static open(dir, options = {}) {
    if (typeof dir !== 'string' || dir === '') throw invalid('dir', 'must be a directory path');
    const o = coreOptions(options);
    const transport = transportOf(options ?? {});
    const every = options?.ingestIntervalMs ?? 1000;
    if (typeof every !== 'number' || !(every >= 0)) throw invalid('options.ingestIntervalMs', 'must be a number of ms');
    try { mkdirSync(join(dir, 'incoming'), { recursive: true, mode: 0o700 }); } catch (e) { throw ioError(`cannot create ${dir}`, e); }
    if (openHere.has(dir)) throw new OutboxError(`outbox: ${dir} is already open in this process: close() that Outbox first`, { code: 'outbox_locked', details: { path: join(dir, 'lock') } });
    const lock = acquireLock(dir);
    const box = new Outbox(TOKEN);
    try {
      box.#init(dir, o, transport, lock, every);
    } catch (e) {
      if (box.#fd >= 0) try { closeSync(box.#fd); } catch { /* closed */ }
      releaseLock(lock);
      throw e;
    }
    openHere.add(dir);
    return box;
  }

  #init(dir, o, transport, lock, every) {
    this.#dir = dir;
    this.#journal = join(dir, 'journal');
    this.#transport = transport;
    this.#lock = lock;
    this.#ingestEvery = every;
    try { unlinkSync(join(dir, 'journal.tmp')); } catch { /* none: no compaction was cut short */ }
    let created = false;
    try {
      this.#fd = openSync(this.#journal, 'r+');
    } catch (e) {
      if (e.code !== 'ENOENT') throw ioError(`cannot open ${this.#journal}`, e);
      try { this.#fd = openSync(this.#journal, 'wx+', 0o600); } catch (e2) { throw ioError(`cannot create ${this.#journal}`, e2); }
      created = true;
    }
    let bytes;
    try {
      fchmodSync(this.#fd, 0o600);
      bytes = readAll(this.#fd, fstatSync(this.#fd).size);
    } catch (e) { throw ioError(`cannot read ${this.#journal}`, e); }
    this.#raw = wasmCall(() => RawOutbox.open(bytes, o, Date.now()));
    this.#recovered = parse(this.#raw.recovered());
    this.#offset = this.#recovered.validLen;
    try {
      if (this.#offset < bytes.length) { ftruncateSync(this.#fd, this.#offset); fsyncSync(this.#fd); }
      if (created) fsyncDir(dir);
    } catch (e) { throw ioError(`cannot repair ${this.#journal}`, e); }
    this.#sync();
    this.ingest();
  }

  /** What opening found: `validLen` (the journal's bytes kept), `tornBytes` (a torn last record cut off), `records`. */
  get recovered() { return { ...this.#recovered }; }

  /** The directory. */
  get dir() { return this.#dir; }

  // -- enqueue: each returns once the event is in the journal and fsynced.

  /** Queues a trigger; `{id, dedupKey}` (yours, or one generated now and fixed). */
  trigger(routingKey, event) { return this.#enqueue('trigger', routingKey, event); }
  /** Queues an acknowledge of the alert with `dedupKey`. */
  acknowledge(routingKey, dedupKey) { return this.#enqueue('acknowledge', routingKey, String(dedupKey)); }
  /** Queues a resolve of the alert with `dedupKey`. */
  resolve(routingKey, dedupKey) { return this.#enqueue('resolve', routingKey, String(dedupKey)); }
  /** Queues a change event (`dedupKey` null). */
  change(routingKey, event) { return this.#enqueue('change', routingKey, event); }
  /** Queues an Events API v1 event (`action`: trigger, acknowledge, resolve). */
  v1(routingKey, action, event) { return this.#enqueue('v1', routingKey, event, String(action)); }

  #enqueue(kind, routingKey, arg, action) {
    this.#check();
    if (typeof routingKey !== 'string') throw invalid('routingKey', 'must be a string');
    const spec = specOf(kind, arg, action);
    const r = parse(this.#call(() => this.#raw.enqueue(routingKey, spec, platform.random16(), Date.now())));
    this.#sync();
    this.#kick();
    return r;
  }

  /**
   * Takes in DIR/incoming/*.spool (each once: sync, then the file is removed; one that does
   * not read is renamed *.spool.bad). Returns how many events were queued. The background
   * sender and flush() call it; call it yourself to take files in sooner.
   */
  ingest() {
    this.#check();
    this.#lastIngest = Date.now();
    const dir = join(this.#dir, 'incoming');
    let names;
    try { names = readdirSync(dir); } catch (e) { if (e.code === 'ENOENT') return 0; throw ioError(`cannot list ${dir}`, e); }
    let queued = 0;
    let removed = 0;
    for (const name of names.filter((n) => n.endsWith('.spool')).sort()) {
      const path = join(dir, name);
      let bytes;
      try { bytes = readFileSync(path); } catch (e) { if (e.code === 'ENOENT') continue; throw ioError(`cannot read ${path}`, e); }
      let id;
      try {
        id = this.#call(() => this.#raw.ingest(bytes, name));
      } catch (e) {
        if (e instanceof OutboxError || e instanceof InternalError) throw e;
        try { renameSync(path, `${path}.bad`); } catch { /* gone */ }
        continue;
      }
      this.#sync();
      try { unlinkSync(path); removed += 1; } catch (e) { if (e.code !== 'ENOENT') throw this.#fail(ioError(`cannot remove ${path}`, e)); }
      if (id >= 0) queued += 1;
    }
    if (removed) { try { fsyncDir(dir); } catch (e) { throw this.#fail(ioError(`cannot sync ${dir}`, e)); } }
    if (queued) this.#kick();
    return queued;
  }

  // -- delivery

  /** Starts the background sender (timers on the event loop). `keepAlive`: its timers keep the process alive (default: they do not). */
  start({ keepAlive = false } = {}) {
    this.#check();
    this.#running = true;
    this.#keepAlive = Boolean(keepAlive);
    this.#pump();
  }

  /** Stops the background sender; sends already out finish and are recorded. */
  stop() {
    this.#running = false;
    if (this.#flushing === 0) this.#disarm();
  }

  /** Sends until nothing is queued (dead letters aside) or `timeoutMs` passed; resolves to the stats. */
  async flush(timeoutMs = 30_000) {
    this.#check();
    if (typeof timeoutMs !== 'number' || !(timeoutMs >= 0)) throw invalid('timeoutMs', 'must be a number of ms');
    const deadline = Date.now() + timeoutMs;
    this.#flushing += 1;
    try {
      this.ingest();
      this.#pump();
      for (;;) {
        if (this.#closed) break;
        if (this.#call(() => this.#raw.queued()) === 0) break;
        const left = deadline - Date.now();
        if (left <= 0) break;
        await this.#changed(left);
      }
    } finally {
      this.#flushing -= 1;
      if (this.#flushing === 0 && !this.#running) this.#disarm();
    }
    return this.stats();
  }

  /** A snapshot: the core's stats and `journalBytes`. */
  stats() {
    this.#check();
    return { ...parse(this.#call(() => this.#raw.stats(Date.now()))), journalBytes: this.#offset };
  }

  /** The dead letters, oldest first (never the routing key: its fingerprint). */
  deadLetters() {
    this.#check();
    return parse(this.#call(() => this.#raw.deadLetters()));
  }

  /** Puts dead letters (those of `ids`, or all) back in their queues; how many. */
  retryDead(ids) {
    this.#check();
    if (ids !== undefined && (!Array.isArray(ids) || ids.some((x) => !Number.isSafeInteger(x)))) throw invalid('ids', 'must be an array of event ids');
    const n = this.#call(() => this.#raw.retryDead(ids === undefined ? undefined : Float64Array.from(ids), Date.now()));
    this.#sync();
    this.#kick();
    return n;
  }

  /** Stops sending, cancels the sends out (they are sent again after the next open), closes the journal and releases the lock. */
  close() {
    if (this.#closing) return this.#closing;
    this.#running = false;
    this.#disarm();
    for (const ac of this.#inFlight.values()) ac.abort(new Error('the outbox was closed'));
    const pending = [...this.#inFlight.values()].map((ac) => ac.settled);
    this.#closing = Promise.all(pending).then(() => this.#release());
    return this.#closing;
  }

  #release() {
    if (this.#fd >= 0) { try { closeSync(this.#fd); } catch { /* closed */ } this.#fd = -1; }
    if (this.#lock) { releaseLock(this.#lock); this.#lock = null; openHere.delete(this.#dir); }
    this.#closed = true;
    try { this.#raw.free(); } catch { /* gone with a trapped instance */ }
    this.#notify();
  }

  // -- internals

  #check() {
    if (this.#closed || this.#closing) throw new OutboxError(`outbox: ${this.#dir} is closed; open it again`, { code: 'outbox_closed' });
  }

  /** A call into wasm; a trap (an internal error) closes the outbox: its state is on disk. */
  #call(fn) {
    try {
      return wasmCall(fn);
    } catch (e) {
      if (e instanceof InternalError) this.#fail(e);
      throw e;
    }
  }

  /** Closes after a failure that leaves the state unknown; returns `e`. */
  #fail(e) {
    if (!this.#closed) {
      this.#running = false;
      this.#disarm();
      for (const ac of this.#inFlight.values()) ac.abort(e);
      this.#release();
    }
    return e;
  }

  /** Appends what the core wrote and fsyncs it. */
  #sync() {
    const bytes = this.#raw.takePending();
    if (bytes.length === 0) return;
    try {
      writeAll(this.#fd, bytes, this.#offset);
      if (this.#raw.fsync()) fsyncSync(this.#fd);
    } catch (e) {
      throw this.#fail(ioError(`cannot append to ${this.#journal}`, e));
    }
    this.#offset += bytes.length;
  }

  #compact() {
    const bytes = this.#raw.compact(Date.now());
    const tmp = join(this.#dir, 'journal.tmp');
    try {
      const fd = openSync(tmp, 'w', 0o600);
      try { writeAll(fd, bytes, 0); fsyncSync(fd); } finally { closeSync(fd); }
      renameSync(tmp, this.#journal);
      fsyncDir(this.#dir);
      closeSync(this.#fd);
      this.#fd = openSync(this.#journal, 'r+');
    } catch (e) {
      throw this.#fail(ioError(`cannot compact ${this.#journal}`, e));
    }
    this.#offset = bytes.length;
  }

  #active() { return !this.#closed && !this.#closing && (this.#running || this.#flushing > 0); }

  /** Polls after an enqueue, an answer or a retry (on the next tick: a burst of enqueues polls once). */
  #kick() {
    if (this.#active()) this.#arm(0);
  }

  #arm(ms) {
    const at = Date.now() + ms;
    if (this.#timer !== null && this.#timerAt <= at) return;
    this.#disarm();
    this.#timerAt = at;
    this.#timer = setTimeout(() => { this.#timer = null; this.#timerAt = Infinity; this.#pump(); }, ms);
    if (!this.#keepAlive || !this.#running) this.#timer.unref();
  }

  #disarm() {
    if (this.#timer !== null) { clearTimeout(this.#timer); this.#timer = null; this.#timerAt = Infinity; }
  }

  #pump() {
    if (!this.#active()) return;
    try {
      if (this.#running && Date.now() - this.#lastIngest >= this.#ingestEvery) this.ingest();
      for (;;) {
        const step = parse(this.#call(() => this.#raw.poll(Date.now())));
        this.#sync();
        if (step.send) { this.#send(step.send); continue; }
        if (step.waitMs !== undefined) this.#arm(step.waitMs);
        break;
      }
      if (this.#running) this.#arm(this.#ingestEvery);
    } catch (e) {
      // Closed by #fail: flush() sees it; a background sender has no caller to tell.
      if (!(e instanceof PagerDutyError)) throw e;
    }
    this.#notify();
  }

  #send({ id, request }) {
    const ac = new AbortController();
    this.#inFlight.set(id, ac);
    ac.settled = (async () => {
      let r;
      try {
        r = await this.#transport(request, ac.signal);
      } catch (e) {
        r = failure(e, { answered: false, timedOut: false, timeoutMs: request.timeoutMs, signal: ac.signal, url: request.url });
      }
      this.#inFlight.delete(id);
      if (this.#closed || this.#closing || ac.signal.aborted) return;
      try {
        const now = Date.now();
        if (r.invalid) r = { failure: 'fatal', message: `invalid ${r.invalid}: ${r.message}` };
        parse(this.#call(() => (r.failure
          ? this.#raw.handleTransportError(id, r.failure, r.message, now, Math.random())
          : r.tooLarge
            ? this.#raw.tooLarge(id, r.status, now)
            : this.#raw.handleResponse(id, r.status, r.headers, r.body, now, Math.random()))));
        this.#sync();
        if (this.#call(() => this.#raw.shouldCompact())) this.#compact();
      } catch (e) {
        if (!(e instanceof PagerDutyError)) throw e;
        return;
      }
      this.#pump();
    })();
  }

  #notify() {
    for (const w of this.#waiters) w();
    this.#waiters.clear();
  }

  /** Resolves at the next answer or poll, or after `ms` (a timer that keeps the process alive). */
  #changed(ms) {
    return new Promise((resolve) => {
      const done = () => { clearTimeout(t); this.#waiters.delete(done); resolve(); };
      const t = setTimeout(done, ms);
      this.#waiters.add(done);
    });
  }

  /**
   * Hands an event to the process that owns the outbox in `dir` without opening it: writes
   * DIR/incoming/NAME.spool (through a temporary file, fsynced, renamed, the directory
   * fsynced). The owner queues it at its next ingest. `{file, dedupKey}`.
   */
  static spool(dir, kind, routingKey, arg, { action, ...options } = {}) {
    if (typeof dir !== 'string' || dir === '') throw invalid('dir', 'must be a directory path');
    if (typeof routingKey !== 'string') throw invalid('routingKey', 'must be a string');
    const o = coreOptions(options);
    const spec = specOf(String(kind), arg, action);
    const bytes = wasmCall(() => outboxSpool(o, routingKey, spec, platform.random16(), Date.now()));
    const dedupKey = wasmCall(() => outboxSpoolDedupKey(bytes)) ?? null;
    const incoming = join(dir, 'incoming');
    const name = `${Date.now().toString().padStart(14, '0')}-${process.pid}-${Buffer.from(platform.random16()).toString('hex').slice(0, 12)}.spool`;
    const file = join(incoming, name);
    try {
      mkdirSync(incoming, { recursive: true, mode: 0o700 });
      const tmp = `${file}.tmp`;
      const fd = openSync(tmp, 'wx', 0o600);
      try { writeAll(fd, bytes, 0); fsyncSync(fd); } finally { closeSync(fd); }
      renameSync(tmp, file);
      fsyncDir(incoming);
    } catch (e) {
      throw ioError(`cannot spool into ${incoming}`, e);
    }
    return { file, dedupKey };
  }
}

const TOKEN = Symbol('Outbox.open');
