// The built npm package (imported by name, through its exports map) against the simulator.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as pd from 'pagerduty-wasm';
import { startSimulator, FULL, READ_ONLY, USER, ROUTING } from './simulator.mjs';

let sim;
before(async () => { sim = await startSimulator(250); });
after(() => sim.stop());
beforeEach(() => sim.reset());

const rest = (token = FULL, o = {}) => new pd.RestClient(token, { baseUrl: sim.url, from: 'ada@example.com', ...o });
const events = (o = {}) => new pd.EventsClient(ROUTING, { baseUrl: sim.url, ...o });

test('trigger, acknowledge, resolve: the alert follows, with the dedup_key given back', async () => {
  const ev = events();
  const key = await ev.trigger({ summary: 'disk full on db-1', source: 'db-1', severity: 'critical' });
  assert.match(key, /\S{16,}/);
  const mine = async () => (await sim.alerts()).find((a) => a.alert_key === key);
  assert.equal((await mine()).status, 'triggered');
  assert.equal(await ev.acknowledge(key), key);
  assert.equal((await mine()).status, 'acknowledged');
  assert.equal(await ev.resolve(key), key);
  assert.equal((await mine()).status, 'resolved');
  assert.equal(await ev.trigger({ summary: 's', source: 'x', severity: 'info', dedup_key: 'my-key-1' }), 'my-key-1');
  await ev.change({ summary: 'deployed v2', source: 'ci' });
  assert.equal(await ev.v1('trigger', { description: 'legacy', incident_key: 'legacy-1' }), 'legacy-1');
});

test('iterate pages through every incident the filter matches', async () => {
  const client = rest();
  const all = [];
  for await (const incident of client.iterate('/incidents', { limit: 25 })) all.push(incident);
  assert.equal(all.length, (await sim.counters()).incidents);
  assert.equal(new Set(all.map((i) => i.id)).size, all.length);
  let triggered = 0;
  for await (const i of client.iterate('/incidents', { statuses: ['triggered'] })) {
    assert.equal(i.status, 'triggered');
    triggered += 1;
  }
  assert.ok(triggered > 0 && triggered < all.length);
  const pages = [];
  for await (const page of client.pages('/incidents', { limit: 100 })) pages.push(page.length);
  assert.deepEqual(pages, [100, 100, all.length - 200]);
});

test('typed operations and plain requests', async () => {
  const client = rest();
  const [first] = (await client.get('/incidents', { query: { limit: 1 } })).incidents;
  const incident = await client.getIncident(first.id);
  assert.equal(incident.id, first.id);
  const updated = await client.updateIncident(first.id, { status: 'acknowledged' });
  assert.equal(updated.status, 'acknowledged');
  const note = await client.createIncidentNote(first.id, 'looking into it');
  assert.equal(note.content, 'looking into it');
  assert.equal((await client.listIncidentNotes(first.id)).length, 1);
  assert.equal(typeof (await client.testAbility('teams')), 'boolean');
  const me = await rest(USER).currentUser();
  assert.equal(me.id, 'PUSER01');
});

test('errors are typed Error subclasses with code, status, requestId and details', async () => {
  const client = rest();
  const notFound = await client.getIncident('PNOPE00').catch((e) => e);
  assert.ok(notFound instanceof pd.NotFoundError && notFound instanceof pd.PagerDutyError && notFound instanceof Error);
  assert.equal(notFound.code, 'not_found');
  assert.equal(notFound.status, 404);
  assert.ok(notFound.requestId);
  assert.equal(notFound.details.pagerdutyCode, 2100);

  const forbidden = await rest(READ_ONLY).updateIncident('Q0000000000001', { status: 'resolved' }).catch((e) => e);
  assert.ok(forbidden instanceof pd.ForbiddenError, String(forbidden));
  assert.equal(forbidden.status, 403);

  const unauthorized = await rest('pdmock_unknown_key_0').get('/incidents').catch((e) => e);
  assert.ok(unauthorized instanceof pd.UnauthorizedError);
  assert.ok(!unauthorized.message.includes('pdmock_unknown_key_0'), 'the key must never be echoed');

  assert.throws(() => new pd.RestClient(ROUTING, { baseUrl: sim.url }), pd.WrongKeyKindError);
  assert.throws(() => new pd.EventsClient(FULL, { baseUrl: sim.url }), pd.WrongKeyKindError);
  assert.throws(() => new pd.RestClient(FULL, { timeout: 5 }), (e) => e instanceof pd.InvalidInputError && /timeoutMs/.test(e.message));
  assert.throws(() => new pd.RestClient(FULL, { baseUrl: 'http://pagerduty.example.com' }), pd.InvalidInputError);
  assert.throws(() => new pd.RestClient(FULL, { retry: 3 }), pd.InvalidInputError);
  assert.throws(() => new pd.RestClient(FULL, { retry: { attempts: 3 } }), /maxAttempts/);
  const bad = await events().trigger({ summary: '', source: 'x', severity: 'loud' }).catch((e) => e);
  assert.ok(bad instanceof pd.InvalidInputError);
  const noFrom = await rest(FULL, { from: undefined }).updateIncident('Q0000000000001', { status: 'resolved' }).catch((e) => e);
  assert.ok(noFrom instanceof pd.InvalidInputError, String(noFrom));
});

test('every error code of the core has its own Error subclass', async () => {
  const glue = await import(new URL('pagerduty_wasm.js', import.meta.resolve('pagerduty-wasm')));
  const { makeError } = await import(new URL('errors.js', import.meta.resolve('pagerduty-wasm')));
  const codes = glue.errorCodes();
  assert.ok(codes.length >= 14);
  for (const code of codes) {
    const e = makeError(code, 'm');
    assert.notEqual(e.constructor, pd.PagerDutyError, `${code} has no subclass`);
    assert.ok(e instanceof pd.PagerDutyError);
    assert.equal(e.code, code);
    assert.equal(typeof pd[e.constructor.name], 'function', `${e.constructor.name} is exported`);
  }
});

test('RestClient has a method for every operation of the core\'s registry, and nothing else by that shape', async () => {
  const glue = await import(new URL('pagerduty_wasm.js', import.meta.resolve('pagerduty-wasm')));
  const ops = JSON.parse(glue.operations());
  assert.ok(ops.length >= 47, `${ops.length} operations`);
  const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
  const client = rest();
  for (const op of ops) assert.equal(typeof client[camel(op.name)], 'function', `RestClient.${camel(op.name)} (${op.name})`);
  const own = Object.getOwnPropertyNames(pd.RestClient.prototype)
    .filter((m) => !['constructor', 'request', 'get', 'post', 'put', 'delete', 'iterate', 'pages', 'findIncidentForDedupKey', 'createIncidentOnce', 'iterateHistory', 'rateLimit'].includes(m));
  assert.deepEqual(own.sort(), ops.map((o) => camel(o.name)).sort());
});

test('list operations walk through the core\'s typed filters, checked before anything is sent', async () => {
  const got = [];
  for await (const i of rest().listIncidents({ statuses: ['triggered'], limit: 20 })) got.push(i);
  assert.ok(got.length > 0 && got.every((i) => i.status === 'triggered'));
  const bad = await (async () => { for await (const i of rest().listIncidents({ statuses: ['open'] })) void i; })().catch((e) => e);
  assert.ok(bad instanceof pd.InvalidInputError, String(bad));
  assert.equal(bad.details.field, 'args.statuses[0]');
  const unknown = await rest().listNotificationRules('PUSER01', { urgnecy: 'high' }).catch((e) => e);
  assert.ok(unknown instanceof pd.InvalidInputError, String(unknown));
  assert.equal(unknown.details.field, 'args.urgnecy');
});

test('429 storms: retried with the hint, then RateLimitedError with retryAfterMs', async () => {
  await sim.faults([{ route: '/incidents', rate_limit: 1.0 }]);
  const e = await rest(FULL, { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5, deadlineMs: 3000 } }).get('/incidents').catch((x) => x);
  assert.ok(e instanceof pd.RateLimitedError, String(e));
  assert.equal(e.status, 429);
  assert.equal(typeof e.retryAfterMs, 'number');
});

test('malformed answers: a proxy HTML 502 is retried; a cut body is a DecodeError', async () => {
  await sim.faults([{ route: '/incidents', html_502: 1.0 }]);
  const html = await rest(FULL, { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } }).get('/incidents').catch((e) => e);
  assert.ok(html instanceof pd.HttpError, String(html));
  assert.equal(html.status, 502);
  assert.match(html.details.bodyExcerpt, /html/i);
  await sim.faults([{ route: '/incidents', truncated_json: 1.0 }]);
  const cut = await rest().get('/incidents').catch((e) => e);
  assert.ok(cut instanceof pd.DecodeError, String(cut));
});

test('a page is still checked: cut, malformed, not UTF-8 or empty-with-more pages are DecodeErrors', async () => {
  await sim.faults([{ route: '/incidents', truncated_json: 1.0 }]);
  const walk = async (client) => { const got = []; for await (const p of client.pages('/incidents')) got.push(p); return got; };
  const cut = await walk(rest()).catch((e) => e);
  assert.ok(cut instanceof pd.DecodeError, String(cut));
  // Bodies no simulator serves, through a fetch of our own: each the core's error, as before.
  const serve = (body, status = 200) => rest(FULL, { fetch: async () => new Response(body, { status, headers: { 'content-type': 'application/json' } }) });
  for (const [body, why] of [
    ['{"incidents":[{"id":"P1"}],"more":"yes"}', /more/],
    [Buffer.concat([Buffer.from('{"incidents":[{"id":"P'), Buffer.from([0xff]), Buffer.from('"}],"more":false}')]), /UTF-8/],
    ['\ufeff{"incidents":[],"more":false}', /./],
    ['{"incidents":[],"more":true}', /more items follow but holds none/],
    ['{"incidents":{"id":"P1"},"more":false}', /./],
    ['[{"id":"P1"}]', /./],
  ]) {
    const e = await walk(serve(body)).catch((x) => x);
    assert.ok(e instanceof pd.DecodeError, `${body}: ${e}`);
    assert.match(e.message, why);
  }
  // What the core settles from the page's outline: its items; the one array when the key differs.
  assert.deepEqual(await walk(serve('{"incidents":[{"id":"P1"},{"id":"P2"}],"more":false,"offset":0}')), [[{ id: 'P1' }, { id: 'P2' }]]);
  assert.deepEqual(await walk(serve('{"things":[{"id":"P3"}],"more":false}')), [[{ id: 'P3' }]]);
  // An error status is read from the body, as ever.
  const denied = await walk(serve('{"error":{"message":"Access Denied","code":2010}}', 403)).catch((x) => x);
  assert.ok(denied instanceof pd.ForbiddenError, String(denied));
});

test('timeouts and AbortSignal really abort', async () => {
  await sim.faults([{ route: '/incidents', latency_ms: 2000 }]);
  let t = performance.now();
  const slow = await rest(FULL, { timeoutMs: 100, retry: { maxAttempts: 1 } }).get('/incidents').catch((e) => e);
  assert.ok(slow instanceof pd.TimeoutError, String(slow));
  assert.ok(performance.now() - t < 1500);
  t = performance.now();
  const ctl = new AbortController();
  setTimeout(() => ctl.abort(new Error('operator gave up')), 50);
  const aborted = await rest().get('/incidents', { signal: ctl.signal }).catch((e) => e);
  assert.ok(aborted instanceof pd.CancelledError, String(aborted));
  assert.match(aborted.message, /operator gave up/);
  assert.ok(performance.now() - t < 1500);
  // Aborting during a retry wait ends it too.
  await sim.faults([{ route: '/v2/enqueue', server_error: 1.0 }]);
  t = performance.now();
  const waiting = await events({ retry: { maxAttempts: 10, baseDelayMs: 5000, maxDelayMs: 5000 } })
    .trigger({ summary: 's', source: 'x', severity: 'info' }, { signal: AbortSignal.timeout(200) }).catch((e) => e);
  assert.ok(waiting instanceof pd.CancelledError, String(waiting));
  assert.ok(performance.now() - t < 2000);
});

test('https: the Node transport talks TLS (the simulator with --tls, its certificate trusted)', async () => {
  const cert = join(mkdtempSync(join(tmpdir(), 'pd-tls-')), 'cert.pem');
  const tls = await startSimulator(5, ['--tls', '--cert-out', cert]);
  try {
    assert.match(tls.url, /^https:/);
    // NODE_EXTRA_CA_CERTS is read at process start: a child process with it set.
    const script = `
      import { EventsClient, RestClient } from 'pagerduty-wasm';
      const key = await new EventsClient('${ROUTING}', { baseUrl: '${tls.url}' }).trigger({ summary: 'over tls', source: 'x', severity: 'info' });
      const page = await new RestClient('${FULL}', { baseUrl: '${tls.url}' }).get('/incidents', { query: { limit: 2 } });
      const alerts = (await (await fetch('${tls.url}/_mock/alerts')).json()).alerts;
      console.log(JSON.stringify({ n: page.incidents.length, stored: alerts.some((a) => a.alert_key === key) }));`;
    const out = await new Promise((resolve, reject) => execFile(process.execPath, ['--input-type=module', '-e', script],
      { cwd: fileURLToPath(new URL('.', import.meta.url)), env: { ...process.env, NODE_EXTRA_CA_CERTS: cert } },
      (err, stdout, stderr) => (err ? reject(new Error(stderr || err.message)) : resolve(stdout))));
    assert.deepEqual(JSON.parse(out), { n: 2, stored: true });
  } finally {
    tls.stop();
  }
});

test('a caller-supplied fetch is used, and so is globalThis.fetch', async () => {
  const seen = [];
  const spy = (url, init) => { seen.push([init.method, new URL(url).pathname]); return globalThis.fetch(url, init); };
  await rest(FULL, { fetch: spy }).get('/incidents', { query: { limit: 1 } });
  assert.deepEqual(seen, [['GET', '/incidents']]);
  const key = await events({ fetch: globalThis.fetch }).trigger({ summary: 'via undici', source: 'x', severity: 'info' });
  assert.ok((await sim.alerts()).some((a) => a.alert_key === key));
});

test('a panic in the module is an InternalError and leaves it usable', async () => {
  // The package's own glue and call guard (same module instances as the package uses).
  const raw = (await import(new URL('pagerduty_wasm.js', import.meta.resolve('pagerduty-wasm')))).__panicForTests;
  const client = rest();
  await client.get('/incidents', { query: { limit: 1 } });
  const transport = await import(new URL('transport.js', import.meta.resolve('pagerduty-wasm')));
  assert.throws(() => transport.wasmCall(() => raw()), pd.InternalError);
  const after = await client.get('/incidents', { query: { limit: 2 } });
  assert.equal(after.incidents.length, 2);
  assert.equal(typeof (await events().trigger({ summary: 'after a panic', source: 'x', severity: 'info' })), 'string');
});

test('webhooks: a good signature verifies and parses; a bad one throws', () => {
  const secret = 'whsec-test-secret';
  const body = JSON.stringify({ event: { id: '01ABC', event_type: 'incident.triggered', resource_type: 'incident', occurred_at: '2026-11-23T10:00:00Z', data: { id: 'PINC1' } } });
  const sig = `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;
  const v = new pd.WebhookVerifier(['old-secret', secret]);
  const event = v.verifyAndParse(`v1=00ff, ${sig}`, body);
  assert.equal(event.event_type, 'incident.triggered');
  assert.equal(event.data.id, 'PINC1');
  v.verify(sig, new TextEncoder().encode(body));
  assert.throws(() => v.verify(sig, body + ' '), pd.InvalidSignatureError);
  assert.throws(() => v.verify('', body), pd.InvalidSignatureError);
  assert.equal(pd.parseWebhookEvent(body).id, '01ABC');
  assert.throws(() => pd.parseWebhookEvent('{"nope":1}'), pd.DecodeError);
});

test('sans-IO: build a request, send it yourself, parse the answer', async () => {
  const req = pd.buildRequest({ api: 'events', routing_key: ROUTING, base_url: sim.url, action: 'trigger', event: { summary: 's', source: 'x', severity: 'info' } });
  assert.equal(req.api, 'events_v2');
  const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
  const out = pd.parseResponse(req.api, { status: res.status, headers: [...res.headers], body: new Uint8Array(await res.arrayBuffer()) });
  assert.equal(out.dedup_key, req.dedup_key);
  const get = pd.buildRequest({ api: 'rest', token: FULL, base_url: sim.url, method: 'GET', path: '/incidents/PNOPE00' });
  assert.ok(get.headers.some(([k, v]) => k.toLowerCase() === 'authorization' && v === `Token token=${FULL}`));
  const r2 = await fetch(get.url, { headers: get.headers });
  assert.throws(() => pd.parseResponse('rest', { status: r2.status, body: '{"error":{"code":2100,"message":"Not Found"}}' }), pd.NotFoundError);
});

test('nothing lost: 2,000 triggers under 20% 5xx, 10% 429, 5% dropped after processing, and events failed 8 times in a row', async () => {
  // fail_streak: an event picked (2%) fails its first 8 deliveries (502s and bare 429s) before
  // it is processed: a retry budget counted in attempts loses it; one bounded by time does not.
  await sim.faults([{ route: '/v2/enqueue', server_error: 0.2, rate_limit: 0.005, rate_limit_no_headers: 0.095, drop_after: 0.05, fail_streak: 8, fail_streak_fraction: 0.02 }]);
  // The default policy (retries bounded by the 60 s deadline, not by a count), quicker backoff.
  const ev = events({ retry: { baseDelayMs: 2, maxDelayMs: 20 } });
  const keys = [];
  for (let i = 0; i < 2000; i++) keys.push(await ev.trigger({ summary: `event ${i}`, source: 'node', severity: 'error' }));
  await sim.faults([]);
  const counters = await sim.counters();
  const alerts = new Set((await sim.alerts()).map((a) => a.alert_key));
  assert.equal(new Set(keys).size, 2000);
  assert.equal(counters.alerts, 2000);
  assert.deepEqual(alerts, new Set(keys));
  assert.ok(counters.events_accepted > 2000, 'the faults really happened');
  assert.ok(counters.faults.fail_streak >= 8 * 10, `events failed 8 times in a row: ${JSON.stringify(counters.faults)}`);
});
