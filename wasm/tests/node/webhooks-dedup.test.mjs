// Issue 16, parts 2 and 4: typed webhooks (router, replay guard, the example receiver) and safe
// creates (already exists, the incident of a dedup key, dedup keys), against the simulator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import * as pd from 'pagerduty-wasm';
import { startSimulator, FULL, ROUTING } from './simulator.mjs';

let sim;
before(async () => { sim = await startSimulator(250); });
after(() => sim.stop());

function signed(eventType, data, secret = 's3cret') {
  const body = JSON.stringify({ event: { id: 'E1', event_type: eventType, resource_type: 'incident', occurred_at: '2026-11-23T16:00:00Z', agent: null, client: null, data } });
  return { body, sig: `v1=${createHmac('sha256', secret).update(body).digest('hex')}` };
}

test('the event types are the core\'s; the router dispatches once per X-Webhook-Id and keeps unknown types', async () => {
  assert.equal(pd.WEBHOOK_EVENT_TYPES.length, 31);
  assert.equal(pd.webhookEventTypeCode('incident.acknowledged'), 1);
  assert.equal(pd.webhookEventTypeCode('incident.exploded'), 0);
  const seen = [];
  const router = new pd.WebhookRouter({ secrets: 's3cret', guard: new pd.ReplayGuard(100) })
    .on('incident.acknowledged', (e) => seen.push(['ack', e.data.id]))
    .onOther((e) => seen.push(['other', e.event_type, e.data]));
  const { body, sig } = signed('incident.acknowledged', { id: 'P123', type: 'incident' });
  assert.deepEqual(await router.handle({ 'x-pagerduty-signature': sig, 'x-webhook-id': 'wh-1' }, body), { status: 200, duplicate: false });
  assert.deepEqual(await router.handle({ 'x-pagerduty-signature': sig, 'x-webhook-id': 'wh-1' }, body), { status: 200, duplicate: true });
  const other = signed('incident.exploded', { boom: 1 });
  await router.handle({ 'x-pagerduty-signature': other.sig, 'x-webhook-id': 'wh-2' }, other.body);
  assert.deepEqual(seen, [['ack', 'P123'], ['other', 'incident.exploded', { boom: 1 }]]);
  await assert.rejects(router.handle({ 'x-pagerduty-signature': sig, 'x-webhook-id': 'wh-3' }, body + ' '), pd.InvalidSignatureError);
  assert.throws(() => router.on('incident.exploded', () => {}), pd.InvalidInputError);
  const g = new pd.ReplayGuard(2);
  for (const id of ['a', 'b', 'c']) g.remember(id);
  assert.equal(g.seen('a'), false);
  assert.equal(g.size, 2);
});

test('dedupKey is stable, order-free and in the documented format', () => {
  const k = pd.dedupKey({ host: 'db-1', alertname: 'DiskFull' });
  assert.equal(k, pd.dedupKey({ alertname: 'DiskFull', host: 'db-1' }));
  assert.equal(pd.dedupKey({ a: 'b' }), `dk1-${createHash('sha256').update('1:a=1:b;').digest('hex')}`);
  assert.throws(() => pd.dedupKey({}), pd.InvalidInputError);
});

test('a retried create is safe; the incident of a dedup key is found, or "not yet"', async () => {
  const rest = new pd.RestClient(FULL, { baseUrl: sim.url, from: 'ada@example.com' });
  const key = pd.dedupKey({ check: 'node-safe-create' });
  const first = await rest.createIncidentOnce({ title: 'Disk full', service_id: 'PSVC001', incident_key: key });
  assert.equal(first.created, true);
  await assert.rejects(rest.createIncident({ title: 'Disk full', service_id: 'PSVC001', incident_key: key }),
    (e) => e instanceof pd.AlreadyExistsError && e.code === 'already_exists' && e.status === 400);
  const again = await rest.createIncidentOnce({ title: 'Disk full', service_id: 'PSVC001', incident_key: key });
  assert.deepEqual([again.created, again.incident.id], [false, first.incident.id]);

  const events = new pd.EventsClient(ROUTING, { baseUrl: sim.url });
  const dedup = await events.trigger({ summary: 'CPU hot', source: 'web-1', severity: 'critical' });
  const found = await rest.findIncidentForDedupKey(dedup, { deadlineMs: 5000 });
  assert.equal(found.status, 'triggered');
  const start = Date.now();
  assert.equal(await rest.findIncidentForDedupKey('no-such-key', { deadlineMs: 600 }), null);
  assert.ok(Date.now() - start < 3000);
  await assert.rejects(rest.findIncidentForDedupKey(''), pd.InvalidInputError);
});

test('the example receiver verifies, dedupes and dispatches within 5 s', async () => {
  const example = fileURLToPath(new URL('../../../examples/node/webhook-receiver.mjs', import.meta.url));
  const child = spawn(process.execPath, [example, '0'], { env: { ...process.env, PAGERDUTY_WEBHOOK_SECRET: 's3cret' } });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  try {
    while (!/listening on (\d+)/.test(out)) await once(child.stdout, 'data');
    const port = out.match(/listening on (\d+)/)[1];
    const post = async (body, sig, id) => {
      const start = Date.now();
      const r = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body, headers: { 'x-pagerduty-signature': sig, 'x-webhook-id': id } });
      assert.ok(Date.now() - start < 5000);
      return r.status;
    };
    const { body, sig } = signed('incident.acknowledged', { id: 'P123', type: 'incident' });
    assert.equal(await post(body, sig, 'wh-1'), 200);
    assert.equal(await post(body, sig, 'wh-1'), 200);
    assert.equal(await post(body, `v1=${'0'.repeat(64)}`, 'wh-2'), 401);
  } finally {
    child.kill();
    await once(child, 'exit');
  }
  assert.deepEqual(out.trim().split('\n').slice(1), ['acknowledged P123']);
});
