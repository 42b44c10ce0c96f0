// Trust at the boundary (issue 11), the built package against the simulator as a hostile
// server would behave: keys never go to another host, a redirect never passes for a delivered
// event, servers that quote the key back, stalls, huge answers, untrusted certificates, and
// every number and string checked. Each test runs with the Node transport (node:http) and,
// where the transport matters, with `fetch: globalThis.fetch` (undici).
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as pd from 'pagerduty-wasm';
import { startSimulator, FULL, USER, ROUTING } from './simulator.mjs';

let sim;
let stray; // host:port of the simulator's stray listener
before(async () => {
  sim = await startSimulator(250);
  stray = new URL((await sim.stray()).url).host;
});
after(() => sim.stop());
beforeEach(() => sim.reset());
// Whatever a test did, nothing may have reached the other host.
afterEach(async () => {
  const s = await sim.stray();
  assert.equal(s.count, 0, `the stray listener received: ${JSON.stringify(s.requests)}`);
});

const TRANSPORTS = [['node:http', {}], ['fetch', { fetch: globalThis.fetch }]];
const rest = (o = {}, token = FULL) => new pd.RestClient(token, { baseUrl: sim.url, from: 'ada@example.com', ...o });
const events = (o = {}) => new pd.EventsClient(ROUTING, { baseUrl: sim.url, ...o });
const event = (extra = {}) => ({ summary: 'disk full on db-1', source: 'db-1', severity: 'critical', ...extra });
const caught = (p) => Promise.resolve().then(() => p).then((v) => assert.fail(`resolved to ${JSON.stringify(v)}`), (e) => e);
const catchSync = (f) => { try { f(); } catch (e) { return e; } return assert.fail('did not throw'); };
const packageFile = (name) => new URL(name, import.meta.resolve('pagerduty-wasm'));
const here = fileURLToPath(new URL('.', import.meta.url));

function isInvalidPath(e) {
  return e instanceof pd.InvalidInputError && e.code === 'invalid_input' && e.details.field === 'path';
}

// Issue point 1. Each of these sent the REST key to the stray host (or over plain HTTP), or
// holds a backslash, a control or whitespace (refused whatever it would resolve to).
// `otherScheme`: the scheme that is not the base's (`http:host/x` is a relative path under an
// http base, but another host under an https one).
function escapingPaths(hostPort, otherScheme = 'https') {
  const [host, port] = [hostPort.replace(/:\d+$/, ''), hostPort.replace(/^.*:/, '')];
  return [
    `\\\\${hostPort}/x`, `\\/${hostPort}/x`, `/\\${hostPort}/x`, `http:\\\\${hostPort}/x`,
    `\t//${hostPort}/x`, ` //${hostPort}/x`, `\x0b//${hostPort}/x`, `\r\n//${hostPort}/x`,
    `\\\\2130706434:${port}/x`, `\\\\[::ffff:${host}]:${port}/x`, `//${hostPort}/x`, `///${hostPort}/x`,
    `${otherScheme}:${hostPort}/x`, `${otherScheme}:\\${hostPort}/x`, `http://${hostPort}/x`,
    `HTTP://${hostPort}/x`, `\\${hostPort}/x`, `\x00//${hostPort}/x`, `\x1f//${hostPort}/x`,
    `/x\\..\\..\\${hostPort}`,
  ];
}

test('REST paths that escape to another host are InvalidInputError naming path, and nothing is sent', async () => {
  for (const [name, o] of TRANSPORTS) {
    const client = rest(o);
    for (const path of escapingPaths(stray)) {
      const what = `${name} ${JSON.stringify(path)}`;
      assert.ok(isInvalidPath(await caught(client.get(path))), what);
      assert.ok(isInvalidPath(await caught(client.request('POST', path, { body: { x: 1 } }))), what);
      assert.ok(isInvalidPath(await caught((async () => { for await (const i of client.iterate(path)) void i; })())), what);
      assert.ok(isInvalidPath(await caught((async () => { for await (const p of client.pages(path)) void p; })())), what);
    }
    // An id is a path segment too.
    for (const id of ['../x', `..\\..\\x`, `\\\\${stray}\\x`, 'P1/../../x', '%2e%2e', 'P1?x=1', 'P1#x']) {
      assert.ok((await caught(client.getIncident(id))) instanceof pd.InvalidInputError, `${name} id ${JSON.stringify(id)}`);
    }
    // Legitimate targets still work: a path, a relative path, a full URL on the configured host.
    for (const ok of ['/incidents', 'incidents', `${sim.url}/incidents`]) {
      assert.ok(Array.isArray((await client.get(ok, { query: { limit: 1 } })).incidents), ok);
    }
  }
});

test('with an https base, a scheme-relative or http: path cannot downgrade to plain HTTP', async () => {
  // Nothing listens on the https base: a refusal must come before any I/O.
  const client = new pd.RestClient(FULL, { baseUrl: 'https://127.0.0.1:9' });
  for (const path of [`http:${stray}/x`, `http:127.0.0.1:9/x`, `http://127.0.0.1:9/x`, `//127.0.0.1:9/x`, ...escapingPaths(stray, 'http')]) {
    assert.ok(isInvalidPath(await caught(client.get(path))), JSON.stringify(path));
  }
});

test('paths that climb out of a base URL\'s path prefix are refused', async () => {
  const client = new pd.RestClient(FULL, { baseUrl: `${sim.url}/api/` });
  for (const path of ['/..//x', '..\\..\\x', '/\\x', '/../x', '../x', '/%2e%2e/x', '%2e%2e/x', '/.%2e/x', '/api/../x', `${sim.url}/x`, `${sim.url}/api/../x`]) {
    assert.ok(isInvalidPath(await caught(client.get(path))), JSON.stringify(path));
  }
});

test('buildRequest (region us and a base URL) refuses the same escapes', () => {
  for (const path of ['http:evil.example/x', '\\\\evil.example/x', '\r\n//evil.example/x', '//evil.example/x', 'https://evil.example/x', ...escapingPaths('evil.example:443', 'http')]) {
    const e = catchSync(() => pd.buildRequest({ api: 'rest', token: FULL, region: 'us', method: 'GET', path }));
    assert.ok(isInvalidPath(e), `${JSON.stringify(path)}: ${e}`);
  }
  for (const path of escapingPaths(stray)) {
    const e = catchSync(() => pd.buildRequest({ api: 'rest', token: FULL, base_url: sim.url, method: 'GET', path }));
    assert.ok(isInvalidPath(e), `${JSON.stringify(path)} on ${sim.url}: ${e}`);
  }
  assert.equal(pd.buildRequest({ api: 'rest', token: FULL, region: 'us', method: 'GET', path: '/incidents' }).url, 'https://api.pagerduty.com/incidents');
});

// Issue point 2.
test('redirects are never followed: every 3xx on events and REST fails, with either transport', async () => {
  const statuses = [301, 302, 307, 308];
  const retry = { deadlineMs: 1000, baseDelayMs: 1, maxDelayMs: 5 };
  for (const [name, o] of TRANSPORTS) {
    for (const status of statuses) {
      await sim.faults(['/v2/enqueue', '/v2/change/enqueue', '/generic', '/incidents', '/users']
        .map((route) => ({ route, redirect: 1.0, redirect_status: status })));
      const what = `${name} ${status}`;
      const ev = events({ ...o, retry });
      const http = (e) => e instanceof pd.HttpError && e.status === status;
      const trig = await caught(ev.trigger(event({ dedup_key: `redirected-${name}-${status}` })));
      assert.ok(http(trig), `${what} trigger: ${trig}`);
      assert.equal(trig.dedupKey, `redirected-${name}-${status}`);
      const generated = await caught(ev.trigger(event()));
      assert.ok(http(generated), `${what} trigger: ${generated}`);
      assert.ok(http(await caught(ev.acknowledge(`redirected-${name}-${status}`))), what);
      assert.ok(http(await caught(ev.resolve(`redirected-${name}-${status}`))), what);
      assert.ok(http(await caught(ev.change({ summary: 'deployed', source: 'ci' }))), what);
      assert.ok(http(await caught(ev.v1('trigger', { description: 'legacy', incident_key: `v1-${name}-${status}` }))), what);
      const client = rest({ ...o, retry });
      assert.ok(http(await caught(client.get('/incidents'))), what);
      assert.ok(http(await caught(client.createIncident({ title: 't', service_id: 'PSVC001' }))), what);
      assert.ok(http(await caught(client.currentUser())), what);
      assert.ok(http(await caught((async () => { for await (const i of client.iterate('/incidents')) void i; })())), what);
    }
  }
  await sim.faults([]);
  // Every call met its redirect (10 calls per status and transport), and not one of them was
  // accepted anywhere.
  assert.ok((await sim.counters()).faults.redirect >= 80, JSON.stringify((await sim.counters()).faults));
  assert.deepEqual((await sim.alerts()).filter((a) => /redirected-|v1-/.test(a.alert_key)), []);
});

test('a browser\'s opaqueredirect (status 0) is a failure that is not retried', async () => {
  let calls = 0;
  const opaque = async (url, init) => {
    calls += 1;
    assert.equal(init.redirect, 'manual');
    return { type: 'opaqueredirect', status: 0, redirected: false, headers: new Headers(), body: null, arrayBuffer: async () => new ArrayBuffer(0) };
  };
  const e = await caught(events({ fetch: opaque }).trigger(event({ dedup_key: 'opaque-1' })));
  assert.ok(e instanceof pd.TransportError, String(e));
  assert.match(e.message, /redirect, not followed/);
  assert.equal(e.dedupKey, 'opaque-1');
  assert.equal(calls, 1);
  // A fetch that follows anyway (it ignored redirect: 'manual'): refused too.
  const follows = async () => ({ type: 'basic', status: 200, redirected: true, headers: new Headers(), body: null, arrayBuffer: async () => new ArrayBuffer(2) });
  const f = await caught(rest({ fetch: follows, retry: { maxAttempts: 1 } }).get('/incidents'));
  assert.ok(f instanceof pd.TransportError, String(f));
});

// Issue point 3.
test('a server that quotes the key back: no secret in any field of the error', async () => {
  await sim.faults(['/incidents', '/users', '/v2/enqueue', '/generic'].map((route) => ({ route, echo_key: 1.0 })));
  const secrets = [FULL, USER, ROUTING];
  for (const [name, o] of TRANSPORTS) {
    const errors = [
      await caught(rest(o).get('/incidents')),
      await caught(rest(o).createIncident({ title: 't', service_id: 'PSVC001' })),
      await caught(rest(o, USER).currentUser()),
      await caught((async () => { for await (const i of rest(o).iterate('/incidents')) void i; })()),
      await caught(events(o).trigger(event())),
      await caught(events(o).v1('trigger', { description: 'legacy' })),
    ];
    for (const e of errors) {
      assert.ok(e instanceof pd.PagerDutyError, `${name}: ${e}`);
      const seen = [e.message, e.stack, e.requestId, JSON.stringify(e.details), JSON.stringify(e.details.errors), e.details.bodyExcerpt, e.dedupKey].join('\n');
      for (const s of secrets) assert.ok(!seen.includes(s), `${name}: ${s} in ${seen}`);
      assert.match(seen, /<redacted>/, `${name}: the server did quote the key (${seen})`);
    }
  }
});

// Issue point 5: one per-attempt timeout, events included.
test('the timeout is kept: a stalled or dripping server ends in TimeoutError on time', async () => {
  await sim.faults([{ route: '/v2/enqueue', stall: 1.0 }, { route: '/generic', stall: 1.0 }, { route: '/incidents', stall: 1.0 }, { route: '/users', drip: 1.0 }]);
  const timed = async (what, p, limit) => {
    const t = performance.now();
    const e = await caught(p);
    const ms = performance.now() - t;
    assert.ok(e instanceof pd.TimeoutError, `${what}: ${e}`);
    assert.ok(ms <= limit, `${what}: ${Math.round(ms)} ms`);
    return { e, ms };
  };
  await Promise.all(TRANSPORTS.flatMap(([name, o]) => {
    const one = { ...o, timeoutMs: 2000, retry: { maxAttempts: 1 } };
    return [
      timed(`${name} trigger`, events(one).trigger(event({ dedup_key: `stalled-${name}` })), 3000)
        .then(({ e, ms }) => { assert.equal(e.dedupKey, `stalled-${name}`); assert.ok(ms >= 1900, `${Math.round(ms)} ms`); }),
      timed(`${name} v1`, events(one).v1('trigger', { description: 'x' }), 3000),
      timed(`${name} REST`, rest(one).get('/incidents'), 3000),
      // A 200 whose body comes at one byte a second: the timeout covers reading it.
      timed(`${name} drip`, rest({ ...o, timeoutMs: 1500, retry: { maxAttempts: 1 } }).currentUser(), 3000),
      // Several attempts: each has its own timeout, the deadline bounds when one may start.
      timed(`${name} retried`, events({ ...o, timeoutMs: 500, retry: { deadlineMs: 1200, baseDelayMs: 1, maxDelayMs: 5 } }).trigger(event()), 2500),
    ];
  }));
});

// Issue point 6.
test('iterate() and pages() end with TruncatedError at the 10,000-record cap, after every item', async () => {
  const big = await startSimulator(10_050);
  try {
    const client = new pd.RestClient(FULL, { baseUrl: big.url });
    const ids = [];
    const e = await caught((async () => { for await (const i of client.iterate('/incidents', { limit: 100 })) ids.push(i.id); })());
    assert.ok(e instanceof pd.TruncatedError && e instanceof pd.PagerDutyError, String(e));
    assert.equal(e.code, 'truncated');
    assert.equal(ids.length, 10_000);
    assert.equal(new Set(ids).size, 10_000);
    const sizes = [];
    const e2 = await caught((async () => { for await (const page of client.pages('/incidents', { limit: 30 })) sizes.push(page.length); })());
    assert.ok(e2 instanceof pd.TruncatedError, String(e2));
    assert.equal(sizes.reduce((a, b) => a + b, 0), 10_000);
    // Under the cap, a listing ends quietly.
    let n = 0;
    for await (const i of client.iterate('/incidents', { statuses: ['acknowledged'] })) { assert.equal(i.status, 'acknowledged'); n += 1; }
    assert.ok(n > 0 && n < 10_000, String(n));
  } finally {
    big.stop();
  }
});

// Issue point 7: a response size cap, enforced while reading.
test('an answer over maxResponseBytes is a DecodeError naming the cap (Content-Length, chunked, either transport)', async () => {
  const server = createServer((req, res) => {
    const size = Number(new URL(req.url, 'http://x').searchParams.get('size'));
    const chunked = req.url.includes('chunked');
    res.writeHead(200, { 'content-type': 'application/json', ...(chunked ? {} : { 'content-length': String(size + 2) }) });
    const piece = 'x'.repeat(16_384);
    let sent = 0;
    res.write('"');
    const more = () => {
      while (sent < size) {
        const n = Math.min(piece.length, size - sent);
        sent += n;
        if (!res.write(piece.slice(0, n))) { res.once('drain', more); return; }
      }
      res.end('"');
    };
    more();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    for (const [name, o] of TRANSPORTS) {
      const client = new pd.RestClient(FULL, { baseUrl: base, maxResponseBytes: 100_000, retry: { maxAttempts: 1 }, ...o });
      for (const kind of ['length', 'chunked']) {
        const e = await caught(client.get(`/big?size=1000000&kind=${kind}`));
        assert.ok(e instanceof pd.DecodeError, `${name} ${kind}: ${e}`);
        assert.match(e.message, /100000|100,000|max_response_bytes|maxResponseBytes/, `${name} ${kind}`);
        assert.equal((await client.get(`/big?size=99000&kind=${kind}`)).length, 99_000, `${name} ${kind}: under the cap`);
      }
    }
  } finally {
    server.close();
    server.closeAllConnections();
  }
});

test('a 50 MB answer is refused with bounded memory (peak RSS under 150 MB)', async () => {
  await sim.faults([{ route: '/incidents', huge_body: 1.0, huge_body_mb: 50 }]);
  // A child process, so that its peak RSS is this download's alone.
  const script = `
    import { RestClient } from 'pagerduty-wasm';
    const out = {};
    for (const [name, o] of [['node', {}], ['fetch', { fetch: globalThis.fetch }]]) {
      const e = await new RestClient('${FULL}', { baseUrl: '${sim.url}', retry: { maxAttempts: 1 }, ...o })
        .get('/incidents').then(() => null, (x) => x);
      out[name] = { error: e && e.constructor.name, message: e && e.message };
    }
    out.maxRssMb = process.resourceUsage().maxRSS / 1024;
    console.log(JSON.stringify(out));`;
  const out = JSON.parse(await node(script));
  for (const name of ['node', 'fetch']) {
    assert.equal(out[name].error, 'DecodeError', `${name}: ${out[name].message}`);
    assert.match(out[name].message, /8388608|8,388,608|8 MiB|max_response_bytes/, name);
  }
  assert.ok(out.maxRssMb < 150, `peak RSS ${out.maxRssMb.toFixed(1)} MB`);
});

function node(script, env = {}) {
  return new Promise((resolve, reject) => execFile(process.execPath, ['--input-type=module', '-e', script],
    { cwd: here, env: { ...process.env, ...env }, maxBuffer: 1 << 20 },
    (err, stdout, stderr) => (err ? reject(new Error(stderr || err.message)) : resolve(stdout))));
}

// Issue point 8.
test('every error of an event carries the dedup_key that was sent; re-sending it makes no duplicate', async () => {
  await sim.faults([{ route: '/v2/enqueue', server_error: 1.0 }, { route: '/generic', server_error: 1.0 }]);
  const ev = events({ retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } });
  const given = await caught(ev.trigger(event({ dedup_key: 'given-key-1' })));
  assert.ok(given instanceof pd.HttpError, String(given));
  assert.equal(given.dedupKey, 'given-key-1');
  const generated = await caught(ev.trigger(event()));
  assert.match(generated.dedupKey, /\S{16,}/);
  assert.equal((await caught(ev.acknowledge('ack-key-1'))).dedupKey, 'ack-key-1');
  assert.equal((await caught(ev.resolve('resolve-key-1'))).dedupKey, 'resolve-key-1');
  assert.equal((await caught(ev.v1('trigger', { description: 'd', incident_key: 'v1-key-1' }))).dedupKey, 'v1-key-1');
  assert.match((await caught(ev.v1('trigger', { description: 'd' }))).dedupKey, /\S{16,}/);
  const cancelled = await caught(ev.trigger(event({ dedup_key: 'cancelled-1' }), { signal: AbortSignal.abort() }));
  assert.ok(cancelled instanceof pd.CancelledError && cancelled.dedupKey === 'cancelled-1', String(cancelled));
  // Processed, then the connection dropped: the error says which key, and it was delivered.
  await sim.faults([{ route: '/v2/enqueue', drop_after: 1.0 }]);
  const dropped = await caught(events({ retry: { maxAttempts: 1 } }).trigger(event()));
  assert.ok(dropped instanceof pd.TransportError, String(dropped));
  const key = dropped.dedupKey;
  assert.equal(typeof key, 'string');
  await sim.faults([]);
  assert.equal((await sim.alerts()).filter((a) => a.alert_key === key).length, 1);
  assert.equal(await ev.trigger(event({ dedup_key: key })), key);
  assert.equal((await sim.alerts()).filter((a) => a.alert_key === key).length, 1);
  // Not an event: no key. An event refused before sending: no key was chosen.
  assert.equal((await caught(rest().getIncident('PNOPE00'))).dedupKey, undefined);
  assert.equal((await caught(ev.trigger({ summary: '', source: 'x', severity: 'loud' }))).dedupKey, undefined);
});

// Issue point 9.
test('an untrusted certificate fails at once, named; caPem and caFile make the simulator\'s trusted', async () => {
  const cert = join(mkdtempSync(join(tmpdir(), 'pd-tls-')), 'cert.pem');
  const tls = await startSimulator(5, ['--tls', '--cert-out', cert]);
  try {
    for (const [name, o] of TRANSPORTS) {
      for (const [what, call] of [
        ['trigger', () => new pd.EventsClient(ROUTING, { baseUrl: tls.url, ...o }).trigger(event())],
        ['REST', () => new pd.RestClient(FULL, { baseUrl: tls.url, ...o }).get('/incidents', { query: { since: 'query-secret' } })],
      ]) {
        const t = performance.now();
        const e = await caught(call());
        const ms = performance.now() - t;
        assert.ok(e instanceof pd.TransportError, `${name} ${what}: ${e}`);
        assert.match(e.message, /certificate not trusted: [A-Z_]+/, `${name} ${what}`);
        assert.ok(ms < 1500, `${name} ${what}: not retried (${Math.round(ms)} ms)`);
        for (const s of [ROUTING, FULL, 'query-secret', '/incidents', '/v2/enqueue']) assert.ok(!e.message.includes(s), `${name} ${what}: ${e.message}`);
      }
    }
    const pem = readFileSync(cert, 'utf8');
    for (const [what, ca] of [['caPem', { caPem: pem }], ['caFile', { caFile: cert }]]) {
      const key = await new pd.EventsClient(ROUTING, { baseUrl: tls.url, ...ca }).trigger(event({ summary: `trusted by ${what}` }));
      const client = new pd.RestClient(FULL, { baseUrl: tls.url, ...ca });
      assert.equal((await client.get('/incidents', { query: { limit: 2 } })).incidents.length, 2, what);
      assert.ok((await client.get('/_mock/alerts')).alerts.some((a) => a.alert_key === key), what);
    }
    const refused = (o, field) => {
      const e = catchSync(() => new pd.RestClient(FULL, { baseUrl: tls.url, ...o }));
      assert.ok(e instanceof pd.InvalidInputError && e.details.field === field, `${JSON.stringify(o).slice(0, 60)}: ${e}`);
    };
    refused({ caPem: pem, fetch: globalThis.fetch }, 'options.caPem');
    refused({ caPem: 'not a certificate' }, 'options.caPem');
    refused({ caPem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' }, 'options.caPem');
    refused({ caPem: 42 }, 'options.caPem');
    refused({ caFile: join(tmpdir(), 'no-such-dir-pd', 'ca.pem') }, 'options.caFile');
    refused({ caFile: cert, caPem: pem }, 'options.caFile');
  } finally {
    tls.stop();
  }
});

test('an unknown host fails at once, named by its host alone', async () => {
  for (const [name, o] of TRANSPORTS) {
    for (const [what, call] of [
      ['REST', () => new pd.RestClient(FULL, { baseUrl: 'https://pd-test.invalid', ...o }).get('/incidents', { query: { since: 'query-secret' } })],
      ['trigger', () => new pd.EventsClient(ROUTING, { baseUrl: 'https://pd-test.invalid', ...o }).trigger(event())],
    ]) {
      const t = performance.now();
      const e = await caught(call());
      assert.ok(e instanceof pd.TransportError, `${name} ${what}: ${e}`);
      assert.match(e.message, /could not resolve host pd-test\.invalid/, `${name} ${what}`);
      assert.ok(performance.now() - t < 2000, `${name} ${what}: not retried`);
      for (const s of [ROUTING, FULL, 'query-secret', '/incidents', '/v2/enqueue']) assert.ok(!e.message.includes(s), `${name} ${what}: ${e.message}`);
    }
  }
});

// Issue point 7: numbers and strings checked, one error kind per mistake.
test('NaN, Infinity and negative numbers are refused, naming the option', () => {
  const refused = (make, field) => {
    const e = catchSync(make);
    assert.ok(e instanceof pd.InvalidInputError, String(e));
    assert.match(e.message, new RegExp(field.replace('.', '\\.')), e.message);
  };
  for (const bad of [NaN, Infinity, -Infinity, -1, '5']) {
    refused(() => new pd.RestClient(FULL, { timeoutMs: bad }), 'timeout_ms');
    refused(() => new pd.EventsClient(ROUTING, { timeoutMs: bad }), 'timeout_ms');
    refused(() => new pd.RestClient(FULL, { retry: { deadlineMs: bad } }), 'retry.deadline_ms');
    refused(() => new pd.EventsClient(ROUTING, { retry: { baseDelayMs: bad } }), 'retry.base_delay_ms');
    refused(() => new pd.EventsClient(ROUTING, { retry: { maxDelayMs: bad } }), 'retry.max_delay_ms');
    refused(() => new pd.EventsClient(ROUTING, { retry: { maxAttempts: bad } }), 'retry.max_attempts');
    refused(() => new pd.RestClient(FULL, { maxResponseBytes: bad }), 'max_response_bytes');
  }
  // Fractions are rounded, not refused.
  new pd.RestClient(FULL, { timeoutMs: 1500.5, retry: { deadlineMs: 10.2 } });
});

test('WebhookVerifier maxBodyBytes never wraps: -1, NaN, Infinity refused; 2^32 + 10 refused or meant', () => {
  const secret = 'whsec-test';
  const body = JSON.stringify({ event: { id: '01A', event_type: 'incident.triggered', resource_type: 'incident', occurred_at: '2026-11-23T10:00:00Z', data: { id: 'P1' } } });
  const sig = `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;
  for (const bad of [-1, -0.5, NaN, Infinity, -(2 ** 32)]) {
    const e = catchSync(() => new pd.WebhookVerifier(secret, { maxBodyBytes: bad }));
    assert.ok(e instanceof pd.InvalidInputError, `${bad}: ${e}`);
  }
  // Beyond 2^32: refused, or meant (wrapped, it would be 10 and refuse this body).
  let big = null;
  try { big = new pd.WebhookVerifier(secret, { maxBodyBytes: 2 ** 32 + 10 }); } catch (e) { assert.ok(e instanceof pd.InvalidInputError, String(e)); }
  if (big) big.verify(sig, body);
  assert.throws(() => new pd.WebhookVerifier(secret, { maxBodyBytes: 10 }).verify(sig, body), pd.PagerDutyError);
});

test('a line break in a User-Agent, a From or a path is InvalidInputError, never a raw TypeError', async () => {
  for (const [name, o] of TRANSPORTS) {
    for (const ua of ['a\r\nX-Evil: 1', 'a\nb', 'a\rb', 'a\0b']) {
      assert.throws(() => rest({ ...o, userAgent: ua }), pd.InvalidInputError, `${name} ${JSON.stringify(ua)}`);
      assert.throws(() => events({ ...o, userAgent: ua }), pd.InvalidInputError, `${name} ${JSON.stringify(ua)}`);
    }
    assert.throws(() => rest({ ...o, from: 'ada@example.com\r\nX-Evil: 1' }), pd.InvalidInputError, name);
    for (const path of ['/incidents\r\nX-Evil: 1', '/incidents\n', '/incidents/\rP1', '/incidents\0']) {
      const e = await caught(rest(o).get(path));
      assert.ok(e instanceof pd.InvalidInputError, `${name} ${JSON.stringify(path)}: ${e}`);
    }
    // In a query value a line break is data: encoded, sent, answered.
    assert.ok(Array.isArray((await rest(o).get('/incidents', { query: { incident_key: 'a\r\nb' } })).incidents), name);
  }
});

test('the transports refuse a header HTTP forbids instead of throwing (what reaches them is checked again)', async () => {
  const { fetchTransport } = await import(packageFile('transport.js'));
  const { nodeTransport } = await import(packageFile('node-http.js'));
  const send = { method: 'GET', url: `${sim.url}/incidents`, headers: ['accept', 'application/json', 'x-evil', 'a\r\nx-injected: 1'], timeoutMs: 2000, maxBytes: 1 << 20 };
  for (const [name, transport] of [['fetch', fetchTransport(globalThis.fetch)], ['node:http', nodeTransport(undefined)], ['ua', nodeTransport('a\r\nb')]]) {
    const r = await transport(name === 'ua' ? { ...send, headers: [] } : send, undefined);
    assert.ok(r.invalid, `${name}: ${JSON.stringify(r)}`);
  }
  // A fetch that throws synchronously is a typed error, not retried.
  let calls = 0;
  const throwing = () => { calls += 1; throw new TypeError('boom'); };
  const e = await caught(rest({ fetch: throwing }).get('/incidents'));
  assert.ok(e instanceof pd.TransportError, String(e));
  assert.equal(calls, 1);
});

test('the options index.d.ts declares are exactly the options the clients take', async () => {
  const dts = readFileSync(packageFile('index.d.ts'), 'utf8');
  const members = (name) => {
    const m = new RegExp(`export interface ${name}(?: extends \\w+)? \\{([\\s\\S]*?)\\n\\}`).exec(dts);
    assert.ok(m, name);
    return [...m[1].matchAll(/^ {2}(\w+)\??:/gm)].map((x) => x[1]);
  };
  const known = (make) => /known: ([^)]*)\)/.exec(catchSync(make).message)[1].split(', ').sort();
  assert.deepEqual(known(() => new pd.RestClient(FULL, { notAnOption: 1 })), [...members('ClientOptions'), ...members('RestClientOptions')].sort());
  assert.deepEqual(known(() => new pd.EventsClient(ROUTING, { notAnOption: 1 })), [...members('ClientOptions'), ...members('EventsClientOptions')].sort());
  assert.deepEqual(known(() => new pd.RestClient(FULL, { retry: { notAnOption: 1 } })), members('RetryOptions').sort());
  // ...and they are the core's options, under their camelCase names (plus `fetch`, the
  // package's own transport; the core's `*_ms` durations are `*Ms`).
  const glue = await import(new URL('pagerduty_wasm.js', import.meta.resolve('pagerduty-wasm')));
  const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
  const core = glue.optionKeys().map(camel);
  const js = [...known(() => new pd.RestClient(FULL, { notAnOption: 1 })), ...known(() => new pd.EventsClient(ROUTING, { notAnOption: 1 }))];
  const retry = known(() => new pd.RestClient(FULL, { retry: { notAnOption: 1 } })).map((k) => k.replace(/Ms$/, ''));
  const taken = new Set([...js, ...retry]);
  // (`outbox` is taken by pagerduty-wasm/outbox, whose option names come from the core's list.)
  for (const k of core) if (k !== 'outbox') assert.ok(taken.has(k) || taken.has(`${k}Ms`), `the core's option ${k} is not taken by the package`);
  for (const k of taken) if (k !== 'fetch') assert.ok(core.includes(k) || core.includes(k.replace(/Ms$/, '')), `${k} is not one of the core's options`);
});
