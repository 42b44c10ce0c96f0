// pagerduty-wasm from Node: trigger, acknowledge and resolve an alert, then list recent incidents.
//
//   scripts/build-npm.sh && node examples/node/example.mjs
//
// Against the simulator when PAGERDUTY_BASE_URL is set (make demo does this); against PagerDuty
// when PAGERDUTY_TOKEN and PAGERDUTY_ROUTING_KEY are set (PAGERDUTY_REGION, PAGERDUTY_FROM).
// Keys come from the environment and are never printed.
import { RestClient, EventsClient, PagerDutyError, version } from 'pagerduty-wasm';

const env = (name, fallback) => process.env[name] || fallback;
const where = process.env.PAGERDUTY_BASE_URL
  ? { baseUrl: process.env.PAGERDUTY_BASE_URL }
  : { region: env('PAGERDUTY_REGION', 'us') };

const events = new EventsClient(env('PAGERDUTY_ROUTING_KEY', 'pdmockintegrationkey000000000001'), where);
const rest = new RestClient(env('PAGERDUTY_TOKEN', 'pdmock_full_access_1'), { ...where, from: env('PAGERDUTY_FROM', 'ada@example.com') });
console.log(`pagerduty-wasm ${version()} (WebAssembly) at ${where.baseUrl || where.region}`);

try {
  const key = await events.trigger({
    summary: 'Disk /var at 96% on db-1 (pagerduty-wasm Node example)',
    source: 'db-1.prod',
    severity: 'critical',
    custom_details: { free_percent: 4 },
  });
  console.log(`triggered      dedup_key=${key}`);
  await events.acknowledge(key);
  console.log('acknowledged');
  await events.resolve(key);
  console.log('resolved');

  const since = new Date(Date.now() - 24 * 3600 * 1000).toISOString();
  let count = 0;
  for await (const incident of rest.listIncidents({ since, statuses: ['triggered', 'acknowledged'], limit: 100 })) {
    if (count < 5) console.log(`  #${incident.incident_number} ${incident.status.padEnd(12)} ${incident.title}`);
    count += 1;
  }
  console.log(`open incidents in the last 24 h: ${count}`);
} catch (e) {
  if (e instanceof PagerDutyError) {
    console.error(`failed: ${e.name} (${e.code}${e.status ? `, HTTP ${e.status}` : ''}${e.requestId ? `, request ${e.requestId}` : ''}): ${e.message}`);
    process.exit(1);
  }
  throw e;
}
