// The Node entry's default transport: node:http / node:https with keep-alive agents, called
// directly (no fetch Response objects, no AbortController per attempt), because Node 20's
// global fetch (undici) measured 2x slower for pages and 3.6x slower for small POSTs here.
// Same contract as transport.js's fetch transport: resolves (never rejects) to
// `{status, headers: "name\nvalue\n...", body: Uint8Array}` or `{failure, message}`.

import { createRequire } from 'node:module';
import { failure } from './transport.js';

// node:http and node:https (with TLS) are loaded at the first request, not at import: they
// are ~10 ms of the package's import time otherwise.
const require = createRequire(import.meta.url);
const modules = {};
function mod(protocol) {
  if (!modules[protocol]) {
    const m = require(protocol === 'https:' ? 'node:https' : 'node:http');
    modules[protocol] = { m, agent: new m.Agent({ keepAlive: true }) };
  }
  return modules[protocol];
}

export function nodeTransport(userAgent) {
  return (send, signal) => new Promise((resolve) => {
    const u = new URL(send.url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') {
      resolve({ failure: 'connect', message: `unsupported protocol ${u.protocol}` });
      return;
    }
    const { m, agent } = mod(u.protocol);
    const headers = {};
    const h = send.headers;
    for (let i = 0; i + 1 < h.length; i += 2) headers[h[i]] = h[i + 1];
    if (userAgent) headers['user-agent'] = userAgent;
    if (send.body != null) headers['content-length'] = Buffer.byteLength(send.body);
    let settled = false;
    let timedOut = false;
    const finish = (value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (signal) signal.removeEventListener('abort', onAbort);
      resolve(value);
    };
    const req = m.request({
      protocol: u.protocol, hostname: u.hostname, port: u.port, path: u.pathname + u.search,
      method: send.method, headers, agent,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const raw = res.rawHeaders;
        let text = '';
        for (let i = 0; i + 1 < raw.length; i += 2) text += `${raw[i].toLowerCase()}\n${raw[i + 1]}\n`;
        finish({ status: res.statusCode, headers: text, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks) });
      });
      res.on('error', (e) => fail(e, true));
    });
    const fail = (e, answered) => finish(failure(e, { answered, timedOut, timeoutMs: send.timeoutMs, signal }));
    const timer = setTimeout(() => { timedOut = true; req.destroy(); fail(new Error('timeout'), false); }, Math.max(1, send.timeoutMs));
    const onAbort = () => { req.destroy(); fail(new Error('aborted'), false); };
    if (signal) {
      if (signal.aborted) { onAbort(); return; }
      signal.addEventListener('abort', onAbort, { once: true });
    }
    req.on('error', (e) => fail(e, false));
    if (send.body != null) req.end(send.body); else req.end();
  });
}
