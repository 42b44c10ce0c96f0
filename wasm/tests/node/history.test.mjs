// A whole history past the 10,000-record cap: 30,000 incidents in the simulator walked by
// RestClient.iterateHistory come back each once, equal to the simulator's set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { RestClient, InvalidInputError, TruncatedError } from 'pagerduty-wasm';
import { startSimulator, FULL } from './simulator.mjs';

let sim;
before(async () => { sim = await startSimulator(30_000); });
after(() => sim.stop());

test('iterateHistory: 30,000 incidents past the cap, each once, equal to the simulator\'s', async () => {
  const want = new Set((await sim.call('GET', '/_mock/incidents')).incidents.map((i) => i.id));
  assert.equal(want.size, 30_000);
  const rest = new RestClient(FULL, { baseUrl: sim.url });
  const day = 86_400_000;
  const since = new Date(Date.now() - 125 * day).toISOString();
  const until = new Date(Date.now() + day).toISOString();
  const got = [];
  for await (const incident of rest.iterateHistory('/incidents', since, until)) got.push(incident.id);
  assert.equal(got.length, 30_000, 'no duplicate');
  assert.deepEqual(new Set(got), want);
  // A plain walk of the same window stops at the cap, and says so.
  await assert.rejects(async () => { for await (const _ of rest.iterate('/incidents', { since, until })) { /* */ } }, TruncatedError);
  await assert.rejects(async () => { for await (const _ of rest.iterateHistory('/incidents', until, since)) { /* */ } }, InvalidInputError);
});
