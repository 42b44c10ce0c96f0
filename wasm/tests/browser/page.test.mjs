// Drives examples/browser in Debian's Chromium (playwright-core) against the simulator: the
// page must list exactly the open incidents and acknowledge one for real; the same page built
// by Vite (the package through a bundler) and the package in a module Worker must work too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from '../../tools/node_modules/vite/dist/node/index.js';
import { chromium } from '../../tools/node_modules/playwright-core/index.mjs';
import { serve } from '../../../examples/browser/serve.mjs';
import { startSimulator, FULL, ROUTING } from '../node/simulator.mjs';

let sim; let site; let browser;
before(async () => {
  sim = await startSimulator(150);
  site = await serve({ baseUrl: sim.url, token: FULL, from: 'ada@example.com' });
  browser = await chromium.launch({
    executablePath: execFileSync('sh', ['-c', 'command -v chromium']).toString().trim(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
    // playwright gives every launch a fresh temporary profile (it refuses --user-data-dir here).
  });
});
after(async () => { await browser?.close(); site?.close(); sim?.stop(); });

async function openIncidents() {
  const ids = new Map();
  for (let offset = 0; ; offset += 100) {
    const res = await fetch(`${sim.url}/incidents?statuses[]=triggered&statuses[]=acknowledged&limit=100&offset=${offset}`, {
      headers: { authorization: `Token token=${FULL}`, accept: 'application/vnd.pagerduty+json;version=2' },
    });
    const page = await res.json();
    for (const i of page.incidents) ids.set(i.id, i.status);
    if (!page.more) return ids;
  }
}

async function listAndAcknowledge(url) {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  const agents = new Set();
  page.on('request', (r) => { if (r.url().startsWith(sim.url)) agents.add(r.headers()['user-agent']); });
  await page.goto(url);
  await page.waitForSelector('body[data-ready]');
  assert.equal(await page.getAttribute('body', 'data-ready'), 'true', await page.textContent('#status'));

  const expected = await openIncidents();
  const rows = await page.$$eval('#incidents tr', (trs) => trs.map((tr) => [tr.dataset.id, tr.children[1].textContent]));
  assert.equal(rows.length, expected.size);
  assert.deepEqual(new Map(rows), expected);
  assert.equal(await page.textContent('#status'), `${expected.size} open incidents.`);

  const [id] = rows.find(([, s]) => s === 'triggered');
  await page.click(`tr[data-id="${id}"] button`);
  await page.waitForSelector(`tr[data-id="${id}"] .state.acknowledged`);
  assert.match(await page.textContent('#status'), /^Acknowledged #\d+\.$/);
  assert.equal((await openIncidents()).get(id), 'acknowledged', 'the simulator has it acknowledged');
  assert.deepEqual(problems, []);
  // The package never sets a User-Agent in a browser: only the browser's own went out.
  assert.deepEqual([...agents], [await page.evaluate(() => navigator.userAgent)]);
  await page.close();
}

test('the page lists the open incidents and acknowledges one', async () => {
  await listAndAcknowledge(site.url);
});

test('the same page bundled by Vite', async () => {
  const root = fileURLToPath(new URL('../../../examples/browser/', import.meta.url));
  const outDir = fileURLToPath(new URL('../../../target/vite-browser/', import.meta.url));
  await build({ root, configFile: false, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const bundled = await serve({ baseUrl: sim.url, token: FULL, from: 'ada@example.com' }, 0, outDir);
  try {
    await listAndAcknowledge(bundled.url);
  } finally {
    bundled.close();
  }
});

test('the package in a module Worker (globalThis.fetch, no window)', async () => {
  const page = await browser.newPage();
  await page.goto(`${site.url}config.json`);
  const key = await page.evaluate(async ({ pkg, url }) => {
    const source = `
      import { EventsClient } from '${pkg}';
      try {
        const key = await new EventsClient('pdmockintegrationkey000000000001', { baseUrl: '${url}' })
          .trigger({ summary: 'from a worker', source: 'worker', severity: 'info' });
        self.postMessage({ key });
      } catch (err) { self.postMessage({ error: String(err) }); }`;
    const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })), { type: 'module' });
    const answer = new Promise((resolve) => {
      worker.onmessage = (e) => resolve(e.data);
      worker.onerror = (e) => resolve({ error: `worker failed to start: ${e.message || 'unknown error'}` });
      setTimeout(() => resolve({ error: 'no answer from the worker in 20 s' }), 20000);
    });
    return answer;
  }, { pkg: `${site.url}pkg/browser.js`, url: sim.url });
  assert.equal(key.error, undefined);
  assert.ok((await sim.alerts()).some((a) => a.alert_key === key.key && a.summary === 'from a worker'));
  await page.close();
});

test('in a browser a redirect is an opaqueredirect: a failure, not retried, and nothing reaches the other host', async () => {
  const page = await browser.newPage();
  await page.goto(`${site.url}config.json`);
  try {
    for (const status of [301, 302, 307, 308]) {
      await sim.faults(['/v2/enqueue', '/incidents'].map((route) => ({ route, redirect: 1.0, redirect_status: status })));
      const out = await page.evaluate(async ({ pkg, url, token, routingKey, dedupKey }) => {
        const pd = await import(pkg);
        const describe = (e) => e && { name: e.constructor.name, message: e.message, dedupKey: e.dedupKey };
        const t = performance.now();
        const trigger = await new pd.EventsClient(routingKey, { baseUrl: url })
          .trigger({ summary: 'redirected', source: 'browser', severity: 'info', dedup_key: dedupKey }).then(() => null, describe);
        const rest = await new pd.RestClient(token, { baseUrl: url }).get('/incidents').then(() => null, describe);
        return { trigger, rest, ms: performance.now() - t };
      }, { pkg: `${site.url}pkg/browser.js`, url: sim.url, token: FULL, routingKey: ROUTING, dedupKey: `browser-redirect-${status}` });
      for (const e of [out.trigger, out.rest]) {
        assert.equal(e && e.name, 'TransportError', `${status}: ${JSON.stringify(out)}`);
        assert.match(e.message, /redirect, not followed/);
      }
      assert.equal(out.trigger.dedupKey, `browser-redirect-${status}`);
      assert.ok(out.ms < 2000, `${status}: not retried (${Math.round(out.ms)} ms)`);
    }
    await sim.faults([]);
    assert.equal((await sim.stray()).count, 0);
    assert.ok(!(await sim.alerts()).some((a) => a.alert_key.startsWith('browser-redirect-')));
  } finally {
    await sim.faults([]);
    await page.close();
  }
});
