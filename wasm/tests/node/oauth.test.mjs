// OAuth client credentials and rate limits against the simulator's identity endpoint (issue 16):
// the token fetched lazily, refreshed before expiry, fetched once more after a 401 with the
// request replayed, a dropped scope a typed error naming it, no secret in any error; and
// `client.rateLimit`.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import * as pd from 'pagerduty-wasm';
import { startSimulator, FULL } from './simulator.mjs';

const CLIENT_ID = 'pdmock-oauth-client';
const SECRET = 'pdmock-oauth-secret-5f1c9e2a';

let sim;
before(async () => { sim = await startSimulator(20); });
after(() => sim.stop());
beforeEach(() => sim.reset());

const oauth = (scopes, clientSecret = SECRET) =>
  new pd.RestClient(null, { baseUrl: sim.url, oauth: { clientId: CLIENT_ID, clientSecret, scopes, subdomain: 'pdmock' } });
const tokens = async () => (await sim.counters()).token_requests;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('oauth: the token is fetched lazily and reused', async () => {
  const rest = oauth(['incidents.read']);
  assert.equal(await tokens(), 0);
  await rest.get('/incidents');
  await rest.get('/incidents');
  assert.equal(await tokens(), 1);
});

test('oauth: the token is refreshed before expiry', async () => {
  await sim.call('PUT', '/_mock/oauth', { expires_in: 3 });
  const rest = oauth('incidents.read');
  await rest.get('/incidents');
  await sleep(2800); // inside the 10% margin, before the simulator's expiry
  await rest.get('/incidents');
  assert.equal(await tokens(), 2);
  assert.equal((await sim.counters()).expired_tokens, 0);
});

test('oauth: a 401 fetches a new token once and replays the request', async () => {
  const rest = oauth(['incidents.read']);
  await rest.get('/incidents');
  await sim.call('POST', '/_mock/oauth/expire');
  for await (const _ of rest.iterate('/incidents', { limit: 5 })) break; // a page, replayed too
  assert.equal(await tokens(), 2);
  assert.equal((await sim.counters()).expired_tokens, 1);
  await sim.call('PUT', '/_mock/oauth', { expires_in: 0 });
  await sim.call('POST', '/_mock/oauth/expire');
  await assert.rejects(rest.get('/incidents'), pd.UnauthorizedError);
  assert.equal(await tokens(), 3);
});

test('oauth: a dropped scope is a typed error naming it', async () => {
  await assert.rejects(oauth(['incidents.read', 'incidents.wirte']).get('/incidents'), (e) => {
    assert.ok(e instanceof pd.ScopeNotGrantedError, String(e));
    assert.equal(e.code, 'scope_not_granted');
    assert.match(e.message, /incidents\.wirte/);
    return true;
  });
  await assert.rejects(oauth(['services.read']).get('/incidents'), pd.ForbiddenError);
  assert.throws(
    () => new pd.RestClient(null, { baseUrl: sim.url, oauth: { clientId: CLIENT_ID, clientSecret: SECRET, scopes: ['read'] } }),
    (e) => e instanceof pd.InvalidInputError && /oauth\.subdomain/.test(e.message),
  );
  assert.throws(() => new pd.RestClient(null, { baseUrl: sim.url, oauth: { clientID: 'x' } }), /options\.oauth\.clientID/);
});

test('oauth: the secret and the token never appear in errors', async () => {
  const wrong = 'pdmock-wrong-secret-77';
  await assert.rejects(oauth(['read'], wrong).get('/incidents'), (e) => {
    assert.ok(e instanceof pd.UnauthorizedError);
    assert.ok(!JSON.stringify({ m: e.message, d: e.details }).includes(wrong));
    return true;
  });
  const rest = oauth(['read']);
  await rest.get('/incidents');
  await sim.faults([{ route: '/incidents', echo_key: 1.0 }]);
  await assert.rejects(rest.get('/incidents'), (e) => {
    const text = JSON.stringify({ m: e.message, d: e.details, r: e.requestId });
    assert.ok(text.includes('<redacted>'), text);
    assert.ok(!text.includes('pdmock_oauth_'), text);
    return true;
  });
});

test('rateLimit: the last REST answer\'s budget', async () => {
  await sim.call('PUT', '/_mock/rate_limits', { rest: { limit: 50, window_secs: 60 } });
  const rest = new pd.RestClient(FULL, { baseUrl: sim.url });
  assert.equal(rest.rateLimit, null);
  await rest.get('/incidents');
  const first = rest.rateLimit;
  assert.equal(first.limit, 50);
  assert.equal(first.remaining, 49);
  assert.ok(first.resetMs > 0);
  for await (const _ of rest.iterate('/incidents', { limit: 5 })) break;
  assert.equal(rest.rateLimit.remaining, 48);
  await sim.call('PUT', '/_mock/rate_limits', { rest: { limit: 1000000, window_secs: 60 } });
});

test('rateLimit: the older X-RateLimit-* names', async () => {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'X-RateLimit-Limit': '900', 'X-RateLimit-Remaining': '7', 'X-RateLimit-Reset': '2.5' });
    res.end('{}');
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    const rest = new pd.RestClient(FULL, { baseUrl: `http://127.0.0.1:${server.address().port}` });
    await rest.get('/users');
    assert.deepEqual(rest.rateLimit, { limit: 900, remaining: 7, resetMs: 2500 });
  } finally {
    server.close();
  }
});
