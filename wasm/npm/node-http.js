// The Node entry's default transport: node:http / node:https with keep-alive agents, called
// directly (no fetch Response objects, no AbortController per attempt), because Node 20's
// global fetch (undici) measured 2x slower for pages and 3.6x slower for small POSTs here.
// Same contract as transport.js's fetch transport: resolves (never rejects) to
// `{status, headers: "name\nvalue\n...", body: Uint8Array}`, `{failure, message}`,
// `{tooLarge: true, status}` or `{invalid: field, message}`. node:http never follows a
// redirect: a 3xx is handed over as an answer (the core makes it an HttpError).

import { createRequire } from 'node:module';
import { badHeader, badRequest, failure, maxBytes } from './transport.js';

// node:http and node:https (with TLS) are loaded at the first request, not at import: they
// are ~10 ms of the package's import time otherwise. Only built-in modules are required, so any
// base will do where a bundle left `import.meta.url` empty (esbuild's CommonJS output).
const require = createRequire(typeof import.meta.url === 'string' ? import.meta.url : process.execPath);
const modules = {};
function mod(protocol) {
  if (!modules[protocol]) {
    const m = require(protocol === 'https:' ? 'node:https' : 'node:http');
    modules[protocol] = { m, agent: new m.Agent({ keepAlive: true }) };
  }
  return modules[protocol];
}

/** The roots Node trusts by default: its bundled roots and NODE_EXTRA_CA_CERTS's. */
function defaultRoots(tls) {
  // Node 22.15+/23.5+ says which; before, passing `ca` drops NODE_EXTRA_CA_CERTS: read it too.
  if (typeof tls.getCACertificates === 'function') return tls.getCACertificates('default');
  const roots = [...tls.rootCertificates];
  const extra = process.env.NODE_EXTRA_CA_CERTS;
  if (extra) {
    try { roots.push(require('node:fs').readFileSync(extra, 'utf8')); } catch { /* Node warned at start */ }
  }
  return roots;
}

// One keep-alive https agent per extra CA (PEM text), shared by the clients that give it.
const caAgents = new Map();
function caAgent(pem) {
  let agent = caAgents.get(pem);
  if (!agent) {
    // Checked now, every certificate of it (OpenSSL skips unreadable CA blocks silently), so
    // that a PEM that is not one fails the client's constructor, not each request.
    const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) || [];
    if (blocks.length === 0) throw new Error('no certificate in it');
    const { X509Certificate } = require('node:crypto');
    for (const b of blocks) new X509Certificate(b); // eslint-disable-line no-new
    const ca = [...defaultRoots(require('node:tls')), pem];
    agent = new (mod('https:').m.Agent)({ keepAlive: true, ca });
    caAgents.set(pem, agent);
  }
  return agent;
}

/** The transport factory: `userAgent` (or none), `ca`: extra PEM trusted beside the roots. */
export function nodeTransport(userAgent, { ca } = {}) {
  // Throws (a PEM OpenSSL cannot read) here, in the client's constructor.
  const httpsAgent = ca === undefined ? undefined : caAgent(ca);
  return (send, signal) => new Promise((resolve) => {
    const u = new URL(send.url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') {
      resolve({ failure: 'fatal', message: `unsupported protocol ${u.protocol}` });
      return;
    }
    const { m, agent } = mod(u.protocol);
    const headers = {};
    const pairs = [];
    const h = send.headers;
    for (let i = 0; i + 1 < h.length; i += 2) { headers[h[i]] = h[i + 1]; pairs.push([h[i], h[i + 1]]); }
    if (userAgent) { headers['user-agent'] = userAgent; pairs.push(['user-agent', userAgent]); }
    const bad = badHeader(pairs);
    if (bad !== undefined) { resolve(badRequest(bad)); return; }
    if (send.body != null) headers['content-length'] = Buffer.byteLength(send.body);
    const max = maxBytes(send);
    let settled = false;
    let timedOut = false;
    let timer;
    const finish = (value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (signal) signal.removeEventListener('abort', onAbort);
      resolve(value);
    };
    let req;
    const fail = (e, answered) => finish(failure(e, { answered, timedOut, timeoutMs: send.timeoutMs, signal, url: send.url }));
    const onAbort = () => { if (req) req.destroy(); fail(new Error('aborted'), false); };
    try {
      req = m.request({
        protocol: u.protocol, hostname: u.hostname, port: u.port, path: u.pathname + u.search,
        method: send.method, headers, agent: u.protocol === 'https:' && httpsAgent ? httpsAgent : agent,
      }, (res) => {
        const tooLarge = () => {
          finish({ tooLarge: true, status: res.statusCode });
          req.destroy();
        };
        if (Number(res.headers['content-length']) > max) { tooLarge(); return; }
        let chunks = [];
        let total = 0;
        res.on('data', (c) => {
          if (settled) return;
          total += c.length;
          // Counted as it arrives: past the cap, the connection is dropped and nothing kept.
          if (total > max) { chunks = []; tooLarge(); return; }
          chunks.push(c);
        });
        res.on('end', () => {
          const raw = res.rawHeaders;
          let text = '';
          for (let i = 0; i + 1 < raw.length; i += 2) text += `${raw[i].toLowerCase()}\n${raw[i + 1]}\n`;
          finish({ status: res.statusCode, headers: text, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total) });
        });
        res.on('error', (e) => fail(e, true));
      });
    } catch (e) {
      // node:http validates what it is given synchronously (ERR_INVALID_CHAR and the like):
      // nothing was sent.
      resolve(e && typeof e.code === 'string' && (e.code.startsWith('ERR_INVALID') || e.code === 'ERR_UNESCAPED_CHARACTERS')
        ? { invalid: 'request', message: `refused by node:http (${e.code})` }
        : failure(e, { answered: false, timedOut: false, timeoutMs: send.timeoutMs, signal, url: send.url }));
      return;
    }
    timer = setTimeout(() => { timedOut = true; req.destroy(); fail(new Error('timeout'), false); }, Math.max(1, send.timeoutMs));
    if (signal) {
      if (signal.aborted) { onAbort(); return; }
      signal.addEventListener('abort', onAbort, { once: true });
    }
    req.on('error', (e) => fail(e, false));
    if (send.body != null) req.end(send.body); else req.end();
  });
}
