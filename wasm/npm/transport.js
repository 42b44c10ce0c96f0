// Drives an Exchange (the core's retry machine, in wasm) with real I/O: one fetch per `send`
// step (with the step's timeout and the caller's AbortSignal), real timers for `wait` steps.
// Every call into wasm is synchronous; see wasm/src/exchange.rs for why.

import { CancelledError, fromThrown } from './errors.js';

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

const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * What a failed attempt was, for the core's retry rules: `cancelled`, `timeout`, `connect`
 * (nothing was sent: safe to resend anything) or `other`. Used by every transport.
 */
export function failure(e, { answered, timedOut, timeoutMs, signal }) {
  if (signal && signal.aborted) return { failure: 'cancelled', message: abortMessage(signal) };
  if (timedOut) return { failure: 'timeout', message: `no answer within ${timeoutMs} ms` };
  const code = (e && (e.code || (e.cause && e.cause.code))) || '';
  // Never the URL or headers: only what failed.
  const message = `${(e && e.name) || 'Error'}: ${(e && e.message) || e}${code ? ` (${code})` : ''}`;
  return { failure: !answered && CONNECT_CODES.has(code) ? 'connect' : 'other', message };
}

/**
 * A transport over any fetch-compatible function: one attempt per call, resolving (never
 * rejecting) to `{status, headers: "name\nvalue\n...", body: Uint8Array}` or `{failure, message}`.
 */
export const fetchTransport = (fetchFn, userAgent) => async (send, signal) => {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; controller.abort(); }, Math.max(1, send.timeoutMs));
  const onAbort = () => controller.abort();
  if (signal) signal.addEventListener('abort', onAbort, { once: true });
  const h = send.headers;
  const headers = [];
  for (let i = 0; i + 1 < h.length; i += 2) headers.push([h[i], h[i + 1]]);
  if (userAgent) headers.push(['user-agent', userAgent]);
  let connected = false;
  try {
    const init = { method: send.method, headers, signal: controller.signal };
    if (send.body !== undefined) init.body = send.body;
    const res = await fetchFn(send.url, init);
    connected = true;
    const body = typeof res.bytes === 'function' ? await res.bytes() : new Uint8Array(await res.arrayBuffer());
    let text = '';
    res.headers.forEach((value, name) => { text += `${name}\n${value}\n`; });
    return { status: res.status, headers: text, body };
  } catch (e) {
    return failure(e, { answered: connected, timedOut, timeoutMs: send.timeoutMs, signal });
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

/** Runs `exchange` to its result over `transport` (or throws the typed error); frees it. */
export async function drive(exchange, transport, signal) {
  let body;
  try {
    throwIfAborted(signal);
    let step = JSON.parse(wasmCall(() => exchange.start(now())));
    for (;;) {
      if (step.send) {
        const r = await transport(step.send, signal);
        throwIfAborted(signal);
        body = r.body;
        step = JSON.parse(wasmCall(() => (r.failure
          ? exchange.failure(r.failure, r.message, now(), Math.random())
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
  } finally {
    try { exchange.free(); } catch { /* already gone with a trapped instance */ }
  }
}
