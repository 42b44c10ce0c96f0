// pagerduty-wasm's browser entry against a raw fetch + res.json() loop in the same headless
// Chromium page (Debian's `chromium`, through playwright-core), over http against a simulator
// with 10,000 incidents: the walk of all 10,000 (100 pages of 100) and 500 triggers, one at a
// time (c1) and 16 in flight (c16). Each run in a fresh browser context (its own cache and
// connection pool), timed in the page with performance.now() from the client's construction
// to the last item; the package's import (fetch + compile + instantiate of the .wasm) is timed
// apart, before. Beside the wall time, what a loaded machine blurs less: the CPU time of all
// of Chromium's processes over the run (renderer, network service, browser; CDP's SystemInfo,
// 10 ms ticks) and the page's main-thread busy time (CDP's TaskDuration: script, wasm,
// res.json()'s parse, fetch's bookkeeping). The runs of the modes alternate, walks first (the
// triggers add incidents). Prints one JSON line per run: {mode, seconds, n, instantiateMs,
// cpuMs, busyMs}; scripts/bench-wasm.sh prints the table.
//   node bench/browser_bench.mjs <simulator-url> [runs] [mode...]
//   node bench/browser_bench.mjs --profile <simulator-url> <mode>   (where a mode's time goes)
//   PKG=dir node bench/browser_bench.mjs ...   (another build of the package than target/npm's)
// modes: wasm-walk, raw-walk, wasm-events, raw-events, wasm-events-c16, raw-events-c16
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from '../wasm/tools/node_modules/playwright-core/index.mjs';

const WALKS = ['wasm-walk', 'raw-walk'];
const EVENTS = ['wasm-events', 'raw-events', 'wasm-events-c16', 'raw-events-c16'];
const EXPECTED = { walk: 10000, events: 500 };
const TOKEN = 'pdmock_full_access_1';
const ROUTING = 'pdmockintegrationkey000000000001';

// PKG=dir benches another build of the package (a glue change, before and after).
const pkg = process.env.PKG ? `${resolve(process.env.PKG)}/` : fileURLToPath(new URL('../target/npm/pagerduty-wasm/', import.meta.url));
const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };

/** The built package at /pkg/ and an empty page at /, on loopback (another origin than the simulator's). */
function serve() {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><meta charset="utf-8"><title>pagerduty-wasm bench</title>');
      return;
    }
    const file = join(pkg, path.slice('/pkg/'.length));
    try {
      if (!path.startsWith('/pkg/') || !file.startsWith(pkg)) throw new Error('outside');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end('not found');
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() }));
  });
}

/**
 * One run, in the page (serialized by playwright: it sees nothing of this module). The raw
 * loops send what a user of fetch would: the token and PagerDuty's Accept on the walk, a JSON
 * body with its Content-Type on the triggers; like the package, they need a CORS preflight.
 */
async function inPage({ mode, base, pkgUrl, token, routing, events }) {
  const concurrency = mode.endsWith('-c16') ? 16 : 1;
  const event = (i) => ({ summary: `browser bench event ${i}`, source: 'bench', severity: 'info' });
  const each = async (send) => {
    let next = 0;
    let done = 0;
    const worker = async () => { while (next < events) { const i = next++; await send(i); done++; } };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return done;
  };
  let n = 0;
  if (mode.startsWith('wasm')) {
    const pd = await import(pkgUrl); // loaded by load() before: the module map's copy, at once
    const start = performance.now();
    if (mode === 'wasm-walk') {
      const rest = new pd.RestClient(token, { baseUrl: base });
      for await (const page of rest.pages('/incidents', { limit: 100 })) n += page.length;
    } else {
      const ev = new pd.EventsClient(routing, { baseUrl: base });
      n = await each((i) => ev.trigger(event(i)));
    }
    return { seconds: (performance.now() - start) / 1000, n };
  }
  const start = performance.now();
  if (mode === 'raw-walk') {
    const headers = { authorization: `Token token=${token}`, accept: 'application/vnd.pagerduty+json;version=2' };
    for (let offset = 0; ; offset += 100) {
      const res = await fetch(`${base}/incidents?limit=100&offset=${offset}`, { headers });
      if (!res.ok) throw new Error(`GET /incidents answered ${res.status}`);
      const page = await res.json();
      n += page.incidents.length;
      if (!page.more) break;
    }
  } else {
    n = await each(async (i) => {
      const res = await fetch(`${base}/v2/enqueue`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ routing_key: routing, event_action: 'trigger', payload: event(i) }),
      });
      if (!res.ok) throw new Error(`POST /v2/enqueue answered ${res.status}`);
      return res.json();
    });
  }
  return { seconds: (performance.now() - start) / 1000, n };
}

/** The package's import in the page, timed: fetch, compile and instantiate of the .wasm. */
async function load(pkgUrl) {
  const t = performance.now();
  await import(pkgUrl);
  return performance.now() - t;
}

async function launch() {
  return chromium.launch({
    executablePath: execFileSync('sh', ['-c', 'command -v chromium']).toString().trim(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A fresh context and page on the site's empty page, the page's errors collected. */
async function freshPage(browser, site) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(site.url);
  return { context, page, problems };
}

const args = (mode, base, site) => ({
  mode, base, pkgUrl: `${site.url}pkg/browser.js`, token: TOKEN, routing: ROUTING, events: EXPECTED.events,
});

/** The page's main-thread time in tasks so far (CDP Performance metrics), in ms. */
async function busyMs(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return 1000 * metrics.find((m) => m.name === 'TaskDuration').value;
}

/** The CPU time of each of Chromium's processes (browser, renderers, network service...), in ms by pid. */
async function cpuMs(browserCdp) {
  const { processInfo } = await browserCdp.send('SystemInfo.getProcessInfo');
  return new Map(processInfo.map((p) => [p.id, 1000 * p.cpuTime]));
}

async function runOne(browser, browserCdp, site, mode, base) {
  const { context, page, problems } = await freshPage(browser, site);
  try {
    const a = args(mode, base, site);
    const instantiateMs = mode.startsWith('wasm') ? await page.evaluate(load, a.pkgUrl) : null;
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const before = await busyMs(cdp);
    const cpuBefore = await cpuMs(browserCdp);
    const out = { ...(await page.evaluate(inPage, a)), instantiateMs };
    let cpu = 0;
    for (const [pid, ms] of await cpuMs(browserCdp)) cpu += ms - (cpuBefore.get(pid) ?? 0);
    out.cpuMs = cpu;
    out.busyMs = (await busyMs(cdp)) - before;
    const want = EXPECTED[mode.includes('walk') ? 'walk' : 'events'];
    if (out.n !== want) throw new Error(`${mode}: ${out.n} items, expected ${want}`);
    if (problems.length) throw new Error(`${mode}: ${problems.join('; ')}`);
    return out;
  } finally {
    await context.close();
  }
}

// Where a wasm mode's time goes: the V8 CPU profile of one run (after a warm-up import, so
// the import is not in it), self time summed by script and by function.
async function profile(browser, site, mode, base) {
  const { context, page } = await freshPage(browser, site);
  try {
    await page.evaluate(load, `${site.url}pkg/browser.js`);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
    const out = await page.evaluate(inPage, args(mode, base, site));
    const { profile: p } = await cdp.send('Profiler.stop');
    const byId = new Map(p.nodes.map((node) => [node.id, node]));
    const self = new Map();
    for (let i = 0; i < p.samples.length; i++) {
      const dt = p.timeDeltas[i + 1] ?? 0;
      self.set(p.samples[i], (self.get(p.samples[i]) || 0) + dt);
    }
    const total = [...self.values()].reduce((a, b) => a + b, 0);
    const where = (f) => {
      if (!f.url) return f.functionName || '(native)';
      if (f.url.startsWith('wasm://')) return '(wasm)';
      return f.url.slice(f.url.lastIndexOf('/') + 1);
    };
    const byScript = new Map();
    const byFunction = new Map();
    for (const [id, us] of self) {
      const f = byId.get(id).callFrame;
      const s = where(f);
      byScript.set(s, (byScript.get(s) || 0) + us);
      const name = `${s} ${f.functionName || '(anonymous)'}${f.url && !f.url.startsWith('wasm://') ? `:${f.lineNumber + 1}` : ''}`;
      byFunction.set(name, (byFunction.get(name) || 0) + us);
    }
    const show = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k)
      .map(([name, us]) => `  ${(us / 1000).toFixed(1).padStart(8)} ms ${(100 * us / total).toFixed(1).padStart(5)}%  ${name}`).join('\n');
    // The package's JavaScript, its wasm, and the rest (the browser's fetch and JSON, V8's own work).
    const kind = (script) => (script.endsWith('.wasm') ? 'wasm'
      : script.endsWith('.js') ? 'package JS' : script === '(idle)' ? 'idle' : 'browser and V8');
    const byKind = new Map();
    for (const [script, us] of byScript) byKind.set(kind(script), (byKind.get(kind(script)) || 0) + us);
    console.log(`${mode}: ${out.seconds.toFixed(3)} s in the page, ${(total / 1000).toFixed(1)} ms sampled`);
    console.log(`self time by kind:\n${show(byKind, 4)}`);
    console.log(`self time by script:\n${show(byScript, 12)}\nself time by function:\n${show(byFunction, 25)}`);
  } finally {
    await context.close();
  }
}

const argv = process.argv.slice(2);
const profiling = argv[0] === '--profile';
if (profiling) argv.shift();
const [base, runsArg, ...only] = argv;
if (!base) throw new Error('usage: node bench/browser_bench.mjs [--profile] <simulator-url> [runs] [mode...]');
const site = await serve();
const browser = await launch();
try {
  if (profiling) {
    await profile(browser, site, runsArg || 'wasm-walk', base);
  } else {
    const runs = Number(runsArg || 5);
    const browserCdp = await browser.newBrowserCDPSession();
    const pick = (modes) => (only.length ? modes.filter((m) => only.includes(m)) : modes);
    for (const group of [pick(WALKS), pick(EVENTS)]) {
      for (let run = 0; run < runs; run++) {
        for (const mode of group) console.log(JSON.stringify({ mode, ...(await runOne(browser, browserCdp, site, mode, base)) }));
      }
    }
  }
} finally {
  await browser.close();
  site.close();
}
