// Drives an Exchange (the core's retry machine, in wasm) with real I/O: one fetch per `send`
// step (with the step's timeout and the caller's AbortSignal), real timers for `wait` steps.
// Every call into wasm is synchronous; see wasm/src/exchange.rs for why.

import { CancelledError, InvalidInputError, PagerDutyError, fromThrown } from './errors.js';
import { platform } from './platform.js';

/** Incremented on every wasm trap; clients rebuild their wasm objects when it moves. */
export const traps = { count: 0 };

export function wasmCall(fn) {
  try {
    return fn();
  } catch (e) {
    const err = fromThrown(e);
    if (err !== e) traps.count += 1;
    throw err;
  }
}

const now = () => globalThis.performance.now();

function abortMessage(signal) {
  const r = signal.reason;
  return r && r.message ? String(r.message) : 'the AbortSignal fired';
}

function throwIfAborted(signal) {
  if (signal && signal.aborted) {
    throw new CancelledError(`cancelled: ${abortMessage(signal)}`, { code: 'cancelled', cause: signal.reason });
  }
}

const CONNECT_CODES = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
// OpenSSL's verification failures as Node names them (plus any CERT_* / ERR_TLS_CERT_*):
// retrying cannot make a certificate trusted.
const CERT_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_CRL',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE', 'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY', 'INVALID_CA',
  'PATH_LENGTH_EXCEEDED', 'INVALID_PURPOSE', 'HOSTNAME_MISMATCH', 'ERR_TLS_CERT_ALTNAME_INVALID',
]);
const isCertificateCode = (code) => CERT_CODES.has(code) || code.startsWith('CERT_') || code.startsWith('ERR_TLS_CERT_');

/** The error that says what failed: fetch wraps the socket's error (with its code) in `cause`. */
function rootCause(e) {
  for (let x = e, i = 0; x && typeof x === 'object' && i < 8; x = x.cause, i++) {
    if (typeof x.code === 'string' && x.code) return x;
  }
  return e;
}

function hostOf(url) {
  try { return new URL(url).hostname; } catch { return ''; }
}

export const REDIRECT_MESSAGE = 'the server answered with a redirect, not followed';

/**
 * What a failed attempt was, for the core's retry rules: `cancelled`, `timeout`, `connect`
 * (nothing was sent: safe to resend anything), `fatal` (retrying cannot help: an untrusted
 * certificate, an unknown host) or `other`. Used by every transport. The message names what
 * failed and never holds the URL's path or query, nor a header.
 */
export function failure(e, { answered, timedOut, timeoutMs, signal, url }) {
  if (signal && signal.aborted) return { failure: 'cancelled', message: abortMessage(signal) };
  if (timedOut) return { failure: 'timeout', message: `no answer within ${timeoutMs} ms` };
  const root = rootCause(e);
  const code = (root && typeof root.code === 'string' && root.code) || '';
  const what = (root && root.message) || String(root);
  if (isCertificateCode(code)) return { failure: 'fatal', message: `certificate not trusted: ${code}: ${what}` };
  if (code === 'ENOTFOUND') return { failure: 'fatal', message: `could not resolve host ${hostOf(url) || root.hostname || ''}`.trim() };
  if (code === 'EAI_AGAIN') return { failure: 'connect', message: `could not resolve host ${hostOf(url)} (EAI_AGAIN: a temporary DNS failure)` };
  const message = `${(e && e.name) || 'Error'}: ${(e && e.message) || e}${code ? ` (${code}${root !== e && root.message ? `: ${root.message}` : ''})` : ''}`;
  return { failure: !answered && CONNECT_CODES.has(code) ? 'connect' : 'other', message };
}

/** The first header that no HTTP stack may send (a line break or NUL in its value), or undefined. */
export function badHeader(pairs) {
  for (const [name, value] of pairs) {
    if (/[\0\r\n]/.test(value) || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) return name;
  }
  return undefined;
}

/** The transport's answer for a request the runtime would refuse to send as it is. */
export function badRequest(name) {
  return { invalid: name === 'user-agent' ? 'options.userAgent' : `header ${name}`, message: 'holds a line break or a character HTTP forbids' };
}

/** The step's size cap (the core's max_response_bytes). */
export function maxBytes(send) {
  return typeof send.maxBytes === 'number' && send.maxBytes >= 0 ? send.maxBytes : Infinity;
}

function concat(chunks, total) {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.byteLength; }
  return out;
}

/** The body, read as a stream and given up past `max` bytes (null then). */
async function readBody(res, max, cancel) {
  const stream = res.body;
  if (stream && typeof stream.getReader === 'function') {
    const reader = stream.getReader();
    const chunks = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return concat(chunks, total);
      total += value.byteLength;
      if (total > max) {
        chunks.length = 0;
        reader.cancel().catch(() => {});
        cancel();
        return null;
      }
      chunks.push(value);
    }
  }
  // A fetch without streams (a test double, an old polyfill): read whole, then checked.
  const body = typeof res.bytes === 'function' ? await res.bytes() : new Uint8Array(await res.arrayBuffer());
  return body.byteLength > max ? null : body;
}

/**
 * A transport over any fetch-compatible function: one attempt per call, resolving (never
 * rejecting) to `{status, headers: "name\nvalue\n...", body: Uint8Array}`, `{failure, message}`,
 * `{tooLarge: true, status}` (the answer passed the step's `maxBytes`: reading stopped there)
 * or `{invalid: field, message}` (a header no HTTP stack may send). Redirects are never
 * followed (`redirect: 'manual'`): Node's fetch hands the 3xx over as an answer (the core makes
 * it an HttpError); a browser hides it as an `opaqueredirect`, a failure that is not retried.
 */
export const fetchTransport = (fetchFn, userAgent) => async (send, signal) => {
  const h = send.headers;
  const headers = [];
  for (let i = 0; i + 1 < h.length; i += 2) headers.push([h[i], h[i + 1]]);
  if (userAgent) headers.push(['user-agent', userAgent]);
  const bad = badHeader(headers);
  if (bad !== undefined) return badRequest(bad);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; controller.abort(); }, Math.max(1, send.timeoutMs));
  const onAbort = () => controller.abort();
  if (signal) signal.addEventListener('abort', onAbort, { once: true });
  let connected = false;
  try {
    const init = { method: send.method, headers, signal: controller.signal, redirect: 'manual' };
    if (send.body != null) init.body = send.body;
    let pending;
    try {
      pending = fetchFn(send.url, init);
    } catch (e) {
      // Thrown before any promise: the function refused the call itself (nothing was sent),
      // and will refuse it again.
      return { failure: 'fatal', message: `the fetch function threw: ${(e && e.name) || 'Error'}: ${(e && e.message) || e}` };
    }
    const res = await pending;
    connected = true;
    if (res.type === 'opaqueredirect' || res.redirected === true) {
      controller.abort();
      return { failure: 'fatal', message: REDIRECT_MESSAGE };
    }
    const max = maxBytes(send);
    let text = '';
    let declared = -1;
    res.headers.forEach((value, name) => {
      text += `${name}\n${value}\n`;
      if (name.toLowerCase() === 'content-length') declared = Number(value);
    });
    if (declared > max) {
      controller.abort();
      return { tooLarge: true, status: res.status };
    }
    const body = await readBody(res, max, () => controller.abort());
    if (body === null) return { tooLarge: true, status: res.status };
    return { status: res.status, headers: text, body };
  } catch (e) {
    return failure(e, { answered: connected, timedOut, timeoutMs: send.timeoutMs, signal, url: send.url });
  } finally {
    clearTimeout(timer);
    if (signal) signal.removeEventListener('abort', onAbort);
  }
};

function sleep(ms, signal) {
  return new Promise((resolve) => {
    const onAbort = () => { clearTimeout(timer); resolve(); };
    const timer = setTimeout(() => {
      if (signal) signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (signal) signal.addEventListener('abort', onAbort, { once: true });
  });
}

const decoder = new TextDecoder();
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The body as text, or undefined when it is not UTF-8 (a BOM is kept: JSON.parse refuses it). */
function utf8(body) {
  // A Node Buffer: simdutf's check, then its own utf8Slice (faster than TextDecoder there).
  if (platform.isUtf8 && typeof body.utf8Slice === 'function') return platform.isUtf8(body) ? body.utf8Slice(0, body.length) : undefined;
  try { return strict.decode(body); } catch { return undefined; }
}

/**
 * The body parsed by JSON.parse and its top level in the core's outline form (`[key, value,
 * ...]`, an array as `[length]`, an object as `{}`; see pagination::Outline), or undefined when
 * it is not a UTF-8 JSON object: the core then reads the body itself.
 */
function outlined(body) {
  const text = utf8(body);
  if (text === undefined) return undefined;
  let parsed;
  try { parsed = JSON.parse(text); } catch { return undefined; }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const flat = [];
  for (const k of Object.keys(parsed)) {
    const v = parsed[k];
    flat.push(k, Array.isArray(v) ? [v.length] : v !== null && typeof v === 'object' ? {} : v);
  }
  return { parsed, outline: JSON.stringify(flat) };
}

/** The typed error for a transport's `{invalid}` answer (nothing was sent). */
function invalidRequest(r) {
  return new InvalidInputError(`invalid ${r.invalid}: ${r.message}`, { code: 'invalid_input', details: { field: r.invalid } });
}

/**
 * Runs `exchange` to its result over `transport` (or throws the typed error); frees it. An
 * event's errors carry the dedup_key that was sent (`err.dedupKey`), so a caller can re-send
 * it without opening a second incident. `page`: the exchange is a pager's (its result the
 * page's items).
 */
export async function drive(exchange, transport, signal, page = false) {
  let body;
  let dedupKey;
  try {
    // Read first: the exchange is freed before the error reaches the caller.
    dedupKey = wasmCall(() => exchange.dedupKey);
    throwIfAborted(signal);
    let step = JSON.parse(wasmCall(() => exchange.start(now())));
    for (;;) {
      if (step.send) {
        if (step.send.bodyApart) step.send.body = wasmCall(() => exchange.takeBody());
        let r;
        try {
          r = await transport(step.send, signal);
        } catch (e) {
          // Transports resolve, never reject; one that throws (a caller's fetch that throws
          // synchronously) is a failure of this attempt that retrying will not mend.
          r = failure(e, { answered: false, timedOut: false, timeoutMs: step.send.timeoutMs, signal, url: step.send.url });
          if (r.failure === 'other' || r.failure === 'connect') r = { failure: 'fatal', message: `the request could not be sent: ${r.message}` };
        }
        throwIfAborted(signal);
        if (r.invalid) throw invalidRequest(r);
        body = r.body;
        // A page: V8's JSON.parse is the one full parse; the core reads the outline and says
        // whether that settles it (else it reads the body below, as for any answer).
        const o = page && body !== undefined ? outlined(body) : undefined;
        if (o !== undefined) {
          step = JSON.parse(wasmCall(() => exchange.pageOutline(r.status, r.headers, o.outline, now(), Math.random())));
          if (typeof step.key === 'string') return o.parsed[step.key];
          if (!step.body) continue;
        }
        step = JSON.parse(wasmCall(() => (r.failure
          ? exchange.failure(r.failure, r.message, now(), Math.random())
          : r.tooLarge
            ? exchange.tooLarge(r.status, now())
            : exchange.response(r.status, r.headers, r.body, now(), Math.random()))));
      } else if ('wait' in step) {
        await sleep(step.wait, signal);
        throwIfAborted(signal);
        step = JSON.parse(wasmCall(() => exchange.resume(now())));
      } else if (step.items) {
        const [start, end] = step.items;
        // A Node Buffer decodes faster through its own utf8Slice than through TextDecoder.
        const text = typeof body.utf8Slice === 'function' ? body.utf8Slice(start, end) : decoder.decode(body.subarray(start, end));
        return JSON.parse(text);
      } else {
        return step.done;
      }
    }
  } catch (e) {
    if (typeof dedupKey === 'string' && e instanceof PagerDutyError) e.dedupKey = dedupKey;
    throw e;
  } finally {
    try { exchange.free(); } catch { /* already gone with a trapped instance */ }
  }
}
